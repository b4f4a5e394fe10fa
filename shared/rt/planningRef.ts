/** The planning-CT reference an RTSTRUCT export needs, from the scanned study and series (the app's tab and `cli analyze --rtstruct`). */
import type { CtStudyFields } from './ctStudyFields';
import type { PlanningCtRef } from './exportRtStruct';
import { seriesGeometryOf } from './seriesGeometry';
import type { Series, Study } from '../schemas/scan';

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
