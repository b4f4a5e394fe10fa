/**
 * Encapsulated PDF Storage (issue 16): the report's PDF as a DICOM object in the CT's study
 * (patient and study modules copied from the source image), in a new series, so a PACS files
 * it beside the images. Pure: bytes in, bytes out; dcmjs encodes.
 */
import { z } from 'zod';
import { appError, err, ok, type AppError, type Result } from '../errors';
import { TimestampSchema } from '../schemas/common';
import { dicomDateTime, newUid, readPart10, writePart10, type NaturalDataset } from './dicomCodec';
import { StudyContextSchema, patientStudyAttributes, textOf } from './studyContext';

export const ENCAPSULATED_PDF_STORAGE = '1.2.840.10008.5.1.4.1.1.104.1';

export const EncapsulatedPdfInputSchema = z.object({
  context: StudyContextSchema,
  pdf: z.custom<Uint8Array>((b) => b instanceof Uint8Array && b.length > 4 && String.fromCharCode(...b.subarray(0, 5)) === '%PDF-', 'a PDF (starts with %PDF-)'),
  documentTitle: z.string().min(1).max(64),
  createdAt: TimestampSchema,
  app: z.object({ name: z.string().min(1), version: z.string().min(1) }),
  seriesInstanceUid: z.string().optional(),
  sopInstanceUid: z.string().optional(),
  seriesNumber: z.number().int().default(9902),
  instanceNumber: z.number().int().default(1),
});
export type EncapsulatedPdfInput = z.input<typeof EncapsulatedPdfInputSchema>;

/** OB values have an even length: one NUL pads an odd PDF (PS3.3 C.24.2.1 allows it; the length is kept apart). */
function evenLength(pdf: Uint8Array): ArrayBuffer {
  const out = new Uint8Array(pdf.length + (pdf.length % 2));
  out.set(pdf);
  return out.buffer;
}

export function buildEncapsulatedPdfDataset(raw: EncapsulatedPdfInput): NaturalDataset {
  const input = EncapsulatedPdfInputSchema.parse(raw);
  const when = dicomDateTime(input.createdAt);
  return {
    ...patientStudyAttributes(input.context),
    SOPClassUID: ENCAPSULATED_PDF_STORAGE,
    SOPInstanceUID: input.sopInstanceUid ?? newUid(),
    InstanceCreationDate: when.date,
    InstanceCreationTime: when.time,
    TimezoneOffsetFromUTC: '+0000',
    // Encapsulated Document Series
    Modality: 'DOC',
    SeriesInstanceUID: input.seriesInstanceUid ?? newUid(),
    SeriesNumber: input.seriesNumber,
    SeriesDescription: 'Fracture-risk report (PDF)',
    // General Equipment, SC Equipment: made on a workstation, not acquired.
    Manufacturer: input.app.name,
    SoftwareVersions: input.app.version,
    ConversionType: 'WSD',
    // Encapsulated Document
    InstanceNumber: input.instanceNumber,
    ContentDate: when.date,
    ContentTime: when.time,
    AcquisitionDateTime: when.dateTime,
    // The report prints patient and study identifiers on its pages.
    BurnedInAnnotation: 'YES',
    DocumentTitle: input.documentTitle,
    ConceptNameCodeSequence: [],
    SourceInstanceSequence: [{ ReferencedSOPClassUID: input.context.image.sopClassUid, ReferencedSOPInstanceUID: input.context.image.sopInstanceUid }],
    MIMETypeOfEncapsulatedDocument: 'application/pdf',
    EncapsulatedDocumentLength: input.pdf.length,
    EncapsulatedDocument: [evenLength(input.pdf)],
  };
}

/** The Encapsulated PDF as Part 10 bytes (host.saveExport, STOW-RS). */
export function buildEncapsulatedPdf(raw: EncapsulatedPdfInput): Uint8Array {
  return writePart10(buildEncapsulatedPdfDataset(raw));
}

/** The PDF inside an Encapsulated PDF object, without the pad byte. */
export function readEncapsulatedPdf(bytes: Uint8Array): Result<{ pdf: Uint8Array; documentTitle: string; studyInstanceUid: string; seriesInstanceUid: string }, AppError> {
  const read = readPart10(bytes);
  if (!read.ok) return read;
  const ds = read.value;
  if (ds.SOPClassUID !== ENCAPSULATED_PDF_STORAGE) return err(appError('NOT_ENCAPSULATED_PDF', 'The DICOM object is not an Encapsulated PDF.'));
  const doc = Array.isArray(ds.EncapsulatedDocument) ? ds.EncapsulatedDocument[0] : ds.EncapsulatedDocument;
  if (!(doc instanceof ArrayBuffer)) return err(appError('NOT_ENCAPSULATED_PDF', 'The Encapsulated PDF holds no document.'));
  const all = new Uint8Array(doc);
  const declared = Number(textOf(ds.EncapsulatedDocumentLength));
  // Without the declared length, the pad is the one NUL after the PDF's last byte.
  const length = Number.isInteger(declared) && declared > 0 && declared <= all.length ? declared : all.length - (all[all.length - 1] === 0 ? 1 : 0);
  return ok({ pdf: all.slice(0, length), documentTitle: textOf(ds.DocumentTitle), studyInstanceUid: textOf(ds.StudyInstanceUID), seriesInstanceUid: textOf(ds.SeriesInstanceUID) });
}
