/**
 * Patient and study attributes an RTSTRUCT repeats from its CT (Study Time, Study ID, Accession
 * Number, Referring Physician, Birth Date, Sex) that the scan does not keep: read from one CT file's
 * header, so the exported structure set matches the planning CT the planning system holds (and
 * dciodvfy has nothing to say about empty Type 2 study values). Pure: bytes in, strings out.
 */
import * as dicomParserNs from 'dicom-parser';
import type { DataSet } from 'dicom-parser';

const dicomParser: typeof dicomParserNs = (dicomParserNs as unknown as { default?: typeof dicomParserNs }).default ?? dicomParserNs;

export interface CtStudyFields {
  studyTime?: string;
  studyId?: string;
  accessionNumber?: string;
  referringPhysicianName?: string;
  patientBirthDate?: string;
  patientSex?: string;
}

const TAGS: Record<keyof CtStudyFields, string> = {
  studyTime: 'x00080030',
  studyId: 'x00200010',
  accessionNumber: 'x00080050',
  referringPhysicianName: 'x00080090',
  patientBirthDate: 'x00100030',
  patientSex: 'x00100040',
};

/** The fields present in a CT file's header; {} when it cannot be read (the export then leaves them empty). */
export function readCtStudyFields(bytes: Uint8Array): CtStudyFields {
  let ds: DataSet;
  try {
    ds = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' } as Parameters<typeof dicomParser.parseDicom>[1]);
  } catch {
    return {};
  }
  const out: CtStudyFields = {};
  for (const [key, tag] of Object.entries(TAGS) as Array<[keyof CtStudyFields, string]>) {
    const v = (ds.string(tag) ?? '').trim();
    if (v) out[key] = v;
  }
  return out;
}
