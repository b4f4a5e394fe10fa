/** The geometry validation needs, from a scanned series (orientation and each slice's position). */
import type { Vec3 } from '../schemas/common';
import type { RtSeriesGeometry } from '../schemas/rt';
import type { Series } from '../schemas/scan';

export function seriesGeometryOf(series: Series): RtSeriesGeometry | null {
  const iop = series.imageOrientationPatient;
  if (!iop) return null;
  const r: Vec3 = [iop[0], iop[1], iop[2]];
  const c: Vec3 = [iop[3], iop[4], iop[5]];
  const n: Vec3 = [r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]];
  const l = Math.hypot(...n);
  if (!(l > 0)) return null;
  const normal: Vec3 = [n[0] / l, n[1] / l, n[2] / l];
  return {
    seriesInstanceUid: series.seriesInstanceUid,
    frameOfReferenceUid: series.frameOfReferenceUid,
    normal,
    slices: series.instances.flatMap((i) =>
      i.imagePositionPatient ? [{ sopInstanceUid: i.sopInstanceUid, positionMm: i.imagePositionPatient[0] * normal[0] + i.imagePositionPatient[1] * normal[1] + i.imagePositionPatient[2] * normal[2] }] : [],
    ),
  };
}
