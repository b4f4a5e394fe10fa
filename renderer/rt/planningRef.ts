/** The planning-CT reference an RTSTRUCT export needs, from the scanned study and series. */
import type { CtStudyFields } from '../../shared/rt/ctStudyFields';
import type { PlanningCtRef } from '../../shared/rt/exportRtStruct';
import { seriesGeometryOf } from '../../shared/rt/seriesGeometry';
import type { Series, Study } from '../../shared/schemas/scan';

/** CT Image Storage: the single-frame CT slices the viewer builds its volume from. */
const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';

export function planningCtRefOf(study: Study, series: Series, studyFields: CtStudyFields = {}): PlanningCtRef | null {
  const g = seriesGeometryOf(series);
  if (!g || !series.frameOfReferenceUid) return null;
  return {
    studyInstanceUid: study.studyInstanceUid,
    seriesInstanceUid: series.seriesInstanceUid,
    frameOfReferenceUid: series.frameOfReferenceUid,
    sopClassUid: CT_IMAGE_STORAGE,
    patientName: study.patientName,
    patientId: study.patientId,
    studyDate: study.studyDate,
    normal: g.normal,
    slices: g.slices,
    studyFields,
  };
}
