import { z } from 'zod';
import { RigiditySummarySchema } from './analysis';
import { AssessmentInputSchema, AssessmentResultSchema, CalcaemiaInputSchema, CalcaemiaResultSchema, ComparatorSchema, ReasonSchema } from './assessment';
import { TimestampSchema } from './common';
import { LesionSchema, MeasurementKindSchema, MeasurementSchema } from './measurement';
import { RtLesionCoverageSchema } from './rt';

/**
 * The report as data: the JSON export, and the one model both the PDF and the on-screen report
 * are drawn from. Self-contained on purpose — it embeds the thresholds and sources the rules
 * used, the measurements with their provenance and the key images — so importing the JSON
 * regenerates the same report even after the app or its rules have changed.
 *
 * Versioned: `schemaVersion` is bumped on any incompatible change; an import of another version
 * is refused with a message naming it (never half-read).
 */
export const REPORT_SCHEMA_VERSION = 1;
export const REPORT_FORMAT = 'fracture-risk-report';

export const ReportLanguageSchema = z.enum(['fr', 'en']);
export type ReportLanguage = z.infer<typeof ReportLanguageSchema>;

/** One quantity of a lesion as given to the rule engine, and where it came from. */
export const UsedValueSchema = z.strictObject({
  quantity: MeasurementKindSchema,
  value: z.number().finite().nullable(),
  unit: z.enum(['mm', '%']),
  origin: z.enum(['measured', 'entered', 'not-measured']),
  /** The measurement chosen (most affected of its kind), with its provenance. */
  measurement: MeasurementSchema.nullable(),
  measurementCount: z.number().int().min(0),
  /** The most affected measured value, also when an entered value overrides it. */
  measuredValue: z.number().finite().nullable(),
  /** Present when the measured value is an axial length drawn off the bone axis (the only length there was). */
  offAxis: z.literal(true).optional(),
  /** How many lengths drawn off the bone axis were set aside for one along it (present when > 0). */
  offAxisSetAside: z.number().int().positive().optional(),
  /** Lengths drawn off the bone axis still waiting for the reader's choice: not used (present when > 0). */
  offAxisPending: z.number().int().positive().optional(),
  /** Present when the measured value is an axial length drawn with no bone axis defined (checked against scanner z only). */
  boneAxisNotDefined: z.literal(true).optional(),
});
export type UsedValueJson = z.infer<typeof UsedValueSchema>;

export const KeyImageSchema = z.strictObject({
  /** Viewport it was captured from (axial, sagittal, coronal, oblique). */
  viewportId: z.string().min(1),
  caption: z.string(),
  pngDataUrl: z.string().regex(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/, 'a PNG data URL'),
  capturedAt: TimestampSchema,
});
export type KeyImage = z.infer<typeof KeyImageSchema>;

export const ReportLesionSchema = z.strictObject({
  lesion: LesionSchema,
  /** The three quantities in fixed order (axial length, circumferential %, axial %). */
  values: z.array(UsedValueSchema).length(3),
  /** The assessment items still missing before the engine could run (form keys); empty when it ran. */
  formMissing: z.array(z.string()),
  /** The rule engine's result; null when the form lacked site, lesion type or pain. */
  result: AssessmentResultSchema.nullable(),
  /** The exact engine input (null when it could not run); result.input repeats it parsed. */
  input: AssessmentInputSchema.nullable(),
  keyImages: z.array(KeyImageSchema),
  /** CT-based structural rigidity (issue 18), informational; absent when the lesion has none. */
  rigidity: RigiditySummarySchema.optional(),
  /** Planning structures covering the lesion's involved cortex and seed (issue 17); absent without a planning RTSTRUCT. */
  structureCoverage: z.array(RtLesionCoverageSchema).optional(),
});
export type ReportLesion = z.infer<typeof ReportLesionSchema>;

export const ReportThresholdSchema = z.strictObject({
  id: z.string(),
  value: z.number(),
  comparator: ComparatorSchema.nullable(),
  unit: z.string(),
  quantity: z.string(),
  source: z.string(),
  alsoCited: z.array(z.string()).optional(),
  note: z.string(),
});

export const ReportSourceSchema = z.strictObject({
  id: z.string(),
  /** The label shown beside a reason (author year, or the guideline's section). */
  short: z.string().optional(),
  citation: z.string(),
  /** Written by reports before issue 14 (a file name of the project's sources); read, never shown. */
  seed: z.string().optional(),
  locator: z.string().optional(),
});

export const ReportSchema = z.strictObject({
  format: z.literal(REPORT_FORMAT),
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  generatedAt: TimestampSchema,
  language: ReportLanguageSchema,
  /** Who produced the report (user name / initials). */
  reader: z.string(),
  app: z.strictObject({ name: z.string(), version: z.string() }),
  rulesVersion: z.string(),
  patient: z.strictObject({ name: z.string(), id: z.string() }),
  study: z.strictObject({ studyInstanceUid: z.string(), date: z.string(), description: z.string() }),
  series: z
    .strictObject({
      seriesInstanceUid: z.string(),
      description: z.string(),
      modality: z.string(),
      kind: z.enum(['diagnostic', 'dosimetric']),
      instanceCount: z.number().int(),
      sliceThicknessMm: z.number().nullable(),
      pixelSpacingMm: z.tuple([z.number(), z.number()]).nullable(),
      convolutionKernel: z.string().nullable(),
    })
    .nullable(),
  lesions: z.array(ReportLesionSchema),
  calcaemia: z.strictObject({ input: CalcaemiaInputSchema, result: CalcaemiaResultSchema }).nullable(),
  /** The thresholds, caveats and sources of the rules used (Definitions and sources section). */
  definitions: z.strictObject({
    thresholds: z.array(ReportThresholdSchema),
    caveats: z.array(ReasonSchema),
    sources: z.array(ReportSourceSchema),
  }),
});
export type Report = z.infer<typeof ReportSchema>;
