/**
 * Patient and study attributes an RTSTRUCT repeats from its CT (Study Time, Study ID, Accession
 * Number, Referring Physician, Birth Date, Sex) that the scan does not keep: read from one CT file's
 * header, so the exported structure set matches the planning CT the planning system holds (and
 * dciodvfy has nothing to say about empty Type 2 study values). The same reading of the source
 * image as the SR and PDF exports (shared/export/studyContext.ts). Pure: bytes in, strings out.
 */
import { studyContextFromImage } from '../export/studyContext';

export interface CtStudyFields {
  studyTime?: string;
  studyId?: string;
  accessionNumber?: string;
  referringPhysicianName?: string;
  patientBirthDate?: string;
  patientSex?: string;
}

const FIELDS: Array<keyof CtStudyFields> = ['studyTime', 'studyId', 'accessionNumber', 'referringPhysicianName', 'patientBirthDate', 'patientSex'];

/** The fields present in a CT file's header; {} when it cannot be read (the export then leaves them empty). */
export function readCtStudyFields(bytes: Uint8Array): CtStudyFields {
  const context = studyContextFromImage(bytes);
  if (!context.ok) return {};
  const out: CtStudyFields = {};
  for (const key of FIELDS) {
    const v = context.value[key].trim();
    if (v) out[key] = v;
  }
  return out;
}
