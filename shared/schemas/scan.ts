import { z } from 'zod';
import { Vec3Schema } from './common';

/**
 * The result of scanning files or folders for DICOM (the `scan` command, the study browser).
 * Every input file ends up in exactly one of: a series' instances, otherObjects, errors, skipped.
 * Contract of `npm run -s cli -- scan PATH --json`: keys may be added, never renamed.
 */
export const ScanWarningSchema = z.object({ code: z.string(), message: z.string() });

export const InstanceSchema = z.object({
  /** Opaque id the host uses to read the file's bytes (a path in Node, an index in the browser). */
  fileId: z.string(),
  file: z.string(),
  sopInstanceUid: z.string(),
  instanceNumber: z.number().nullable(),
  imagePositionPatient: Vec3Schema.nullable(),
  /** Position along the series' slice normal, mm; the sort key. */
  positionMm: z.number().nullable(),
});

export const SeriesSchema = z.object({
  seriesInstanceUid: z.string(),
  modality: z.string(),
  description: z.string(),
  seriesNumber: z.number().nullable(),
  instanceCount: z.number().int(),
  rows: z.number().int().nullable(),
  columns: z.number().int().nullable(),
  pixelSpacingMm: z.tuple([z.number(), z.number()]).nullable(),
  sliceThicknessMm: z.number().nullable(),
  sliceSpacingMm: z.number().nullable(),
  imageOrientationPatient: z.array(z.number()).length(6).nullable(),
  convolutionKernel: z.string().nullable(),
  transferSyntaxUid: z.string().nullable(),
  transferSyntaxName: z.string().nullable(),
  frameOfReferenceUid: z.string().nullable(),
  measurable: z.boolean(),
  kind: z.enum(['diagnostic', 'dosimetric']),
  warnings: z.array(ScanWarningSchema),
  instances: z.array(InstanceSchema),
  /** Why the series is not measurable (empty when measurable); each also appears in warnings. */
  notMeasurableReasons: z.array(ScanWarningSchema),
  /** Frames per instance (1 for classic single-frame CT). */
  numberOfFrames: z.number().int(),
  bitsStored: z.number().int().nullable(),
  /** 0 unsigned, 1 signed (two's complement). */
  pixelRepresentation: z.number().int().nullable(),
  rescaleSlope: z.number().nullable(),
  rescaleIntercept: z.number().nullable(),
  /** Gantry/detector tilt as recorded (0018,1120), degrees. */
  gantryTiltDeg: z.number().nullable(),
  /** The transfer syntax can be decoded by the viewer (see TRANSFER_SYNTAXES). */
  transferSyntaxSupported: z.boolean(),
  /** SOP Instance UIDs of RT objects (RTSTRUCT/RTPLAN/RTDOSE) linked to this series. */
  linkedRtObjectUids: z.array(z.string()),
});

export const OtherObjectSchema = z.object({
  fileId: z.string(),
  file: z.string(),
  modality: z.string(),
  sopClassUid: z.string(),
  sopInstanceUid: z.string(),
  seriesInstanceUid: z.string().nullable(),
  frameOfReferenceUid: z.string().nullable(),
  /** Series this object references (RTSTRUCT contours, RTPLAN/RTDOSE via frame of reference). */
  referencedSeriesInstanceUids: z.array(z.string()),
  warnings: z.array(ScanWarningSchema),
});

export const StudySchema = z.object({
  studyInstanceUid: z.string(),
  patientName: z.string(),
  patientId: z.string(),
  studyDate: z.string(),
  studyDescription: z.string(),
  series: z.array(SeriesSchema),
  otherObjects: z.array(OtherObjectSchema),
});

/**
 * One file's header, as `parseHeader` returns it (crosses the worker / Web Worker boundary).
 * Numbers are null when absent or invalid (an invalid value also yields a warning).
 */
export const ParsedHeaderSchema = z.object({
  fileId: z.string(),
  file: z.string(),
  transferSyntaxUid: z.string(),
  sopClassUid: z.string(),
  sopInstanceUid: z.string(),
  modality: z.string(),
  patientName: z.string(),
  patientId: z.string(),
  studyInstanceUid: z.string(),
  studyDate: z.string(),
  studyDescription: z.string(),
  seriesInstanceUid: z.string(),
  seriesNumber: z.number().nullable(),
  seriesDescription: z.string(),
  instanceNumber: z.number().nullable(),
  frameOfReferenceUid: z.string().nullable(),
  imagePositionPatient: Vec3Schema.nullable(),
  imageOrientationPatient: z.array(z.number()).length(6).nullable(),
  pixelSpacingMm: z.tuple([z.number(), z.number()]).nullable(),
  sliceThicknessMm: z.number().nullable(),
  spacingBetweenSlicesMm: z.number().nullable(),
  rows: z.number().int().nullable(),
  columns: z.number().int().nullable(),
  numberOfFrames: z.number().int().nullable(),
  samplesPerPixel: z.number().int().nullable(),
  bitsAllocated: z.number().int().nullable(),
  bitsStored: z.number().int().nullable(),
  pixelRepresentation: z.number().int().nullable(),
  rescaleSlope: z.number().nullable(),
  rescaleIntercept: z.number().nullable(),
  convolutionKernel: z.string().nullable(),
  gantryTiltDeg: z.number().nullable(),
  imageType: z.array(z.string()),
  hasPixelData: z.boolean(),
  /** RT / reference links found in the data set. */
  referencedFrameOfReferenceUids: z.array(z.string()),
  referencedSeriesInstanceUids: z.array(z.string()),
  referencedSopInstanceUids: z.array(z.string()),
  /** Problems with this file that did not stop parsing (invalid values, UIDs taken from meta…). */
  warnings: z.array(ScanWarningSchema),
});
export type ParsedHeader = z.infer<typeof ParsedHeaderSchema>;

export const HeaderResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('instance'), header: ParsedHeaderSchema }),
  z.object({ kind: z.literal('error'), file: z.string(), code: z.string(), message: z.string() }),
  z.object({ kind: z.literal('skipped'), file: z.string(), reason: z.string() }),
]);
export type HeaderResult = z.infer<typeof HeaderResultSchema>;

export const ScanResultSchema = z.object({
  studies: z.array(StudySchema),
  errors: z.array(z.object({ file: z.string(), code: z.string(), message: z.string() })),
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
});

export type ScanWarning = z.infer<typeof ScanWarningSchema>;
export type Instance = z.infer<typeof InstanceSchema>;
export type Series = z.infer<typeof SeriesSchema>;
export type OtherObject = z.infer<typeof OtherObjectSchema>;
export type Study = z.infer<typeof StudySchema>;
export type ScanResult = z.infer<typeof ScanResultSchema>;

export const ScanProgressSchema = z.object({
  phase: z.enum(['walking', 'parsing', 'grouping', 'done']),
  filesFound: z.number().int(),
  filesParsed: z.number().int(),
});
export type ScanProgress = z.infer<typeof ScanProgressSchema>;
