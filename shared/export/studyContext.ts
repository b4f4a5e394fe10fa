/**
 * The patient / study / series / frame-of-reference attributes a derived object (SR,
 * encapsulated PDF) copies from its source CT, read from one source image's bytes. Copying them
 * from the image itself (not from the app's scan summary) keeps the derived object in the same
 * study and patient as the PACS knows them.
 */
import { z } from 'zod';
import { appError, err, ok, type AppError, type Result } from '../errors';
import { readPart10, type NaturalDataset } from './dicomCodec';

/** One source image an export references (Image Library, evidence). */
export const ImageRefSchema = z.object({
  sopClassUid: z.string().min(1),
  sopInstanceUid: z.string().min(1),
});
export type ImageRef = z.infer<typeof ImageRefSchema>;

export const StudyContextSchema = z.object({
  patientName: z.string(),
  patientId: z.string(),
  patientBirthDate: z.string(),
  patientSex: z.string(),
  studyInstanceUid: z.string().min(1),
  studyDate: z.string(),
  studyTime: z.string(),
  studyId: z.string(),
  accessionNumber: z.string(),
  referringPhysicianName: z.string(),
  studyDescription: z.string(),
  seriesInstanceUid: z.string().min(1),
  frameOfReferenceUid: z.string(),
  /** Character set of the source (copied so non-ASCII names stay readable). */
  specificCharacterSet: z.string(),
  /** The image the context was read from. */
  image: ImageRefSchema,
});
export type StudyContext = z.infer<typeof StudyContextSchema>;

/** A PN value as dcmjs gives it (string, or [{Alphabetic}]) → its alphabetic text. */
export function personNameText(v: unknown): string {
  const first = Array.isArray(v) ? v[0] : v;
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object' && typeof (first as { Alphabetic?: unknown }).Alphabetic === 'string') return (first as { Alphabetic: string }).Alphabetic;
  return '';
}

export function textOf(v: unknown): string {
  const first = Array.isArray(v) ? v[0] : v;
  return first === undefined || first === null ? '' : String(first);
}

/** Context of a naturalized image dataset (shared with the SR reader). */
export function contextOfDataset(ds: NaturalDataset): Result<StudyContext, AppError> {
  const context = {
    patientName: personNameText(ds.PatientName),
    patientId: textOf(ds.PatientID),
    patientBirthDate: textOf(ds.PatientBirthDate),
    patientSex: textOf(ds.PatientSex),
    studyInstanceUid: textOf(ds.StudyInstanceUID),
    studyDate: textOf(ds.StudyDate),
    studyTime: textOf(ds.StudyTime),
    studyId: textOf(ds.StudyID),
    accessionNumber: textOf(ds.AccessionNumber),
    referringPhysicianName: personNameText(ds.ReferringPhysicianName),
    studyDescription: textOf(ds.StudyDescription),
    seriesInstanceUid: textOf(ds.SeriesInstanceUID),
    frameOfReferenceUid: textOf(ds.FrameOfReferenceUID),
    specificCharacterSet: Array.isArray(ds.SpecificCharacterSet) ? ds.SpecificCharacterSet.join('\\') : textOf(ds.SpecificCharacterSet),
    image: { sopClassUid: textOf(ds.SOPClassUID), sopInstanceUid: textOf(ds.SOPInstanceUID) },
  };
  const parsed = StudyContextSchema.safeParse(context);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') ?? '';
    return err(appError('SOURCE_MISSING_UID', `The source image lacks a required identifier (${field}).`, { field }));
  }
  return ok(parsed.data);
}

/** Context of a source image's Part 10 bytes. */
export function studyContextFromImage(bytes: Uint8Array): Result<StudyContext, AppError> {
  const read = readPart10(bytes, true);
  return read.ok ? contextOfDataset(read.value) : read;
}

/** The Patient and General Study module attributes of a derived object, copied from the source. */
export function patientStudyAttributes(c: StudyContext): NaturalDataset {
  return {
    // dcmjs writes text as UTF-8 whatever the source's set: declare that, so names stay readable.
    SpecificCharacterSet: 'ISO_IR 192',
    PatientName: c.patientName,
    PatientID: c.patientId,
    PatientBirthDate: c.patientBirthDate,
    PatientSex: c.patientSex,
    StudyInstanceUID: c.studyInstanceUid,
    StudyDate: c.studyDate,
    StudyTime: c.studyTime,
    StudyID: c.studyId,
    AccessionNumber: c.accessionNumber,
    ReferringPhysicianName: c.referringPhysicianName,
    ...(c.studyDescription ? { StudyDescription: c.studyDescription } : {}),
  };
}
