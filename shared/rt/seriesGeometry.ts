/** The geometry validation needs, from a scanned series (orientation and each slice's position). */
import { cross, dot, normalize } from '../geometry/vec';
import type { RtSeriesGeometry } from '../schemas/rt';
import type { Series } from '../schemas/scan';

export function seriesGeometryOf(series: Series): RtSeriesGeometry | null {
  const iop = series.imageOrientationPatient;
  if (!iop) return null;
  const normal = normalize(cross([iop[0], iop[1], iop[2]], [iop[3], iop[4], iop[5]]));
  if (!normal) return null;
  return {
    seriesInstanceUid: series.seriesInstanceUid,
    frameOfReferenceUid: series.frameOfReferenceUid,
    normal,
    slices: series.instances.flatMap((i) =>
      i.imagePositionPatient ? [{ sopInstanceUid: i.sopInstanceUid, positionMm: dot(i.imagePositionPatient, normal) }] : [],
    ),
  };
}
