import { z } from 'zod';
import { TimestampSchema, Vec3Schema } from './common';

/**
 * The three CT measurements of cortical lysis (clinical-rules.md §1) and where each number
 * came from. Every number keeps its provenance (series, instances or reformat plane, tool,
 * HU threshold, manual or assisted, reader, time) so a report can be traced back to pixels.
 */

/** Which quantity a measurement is; the key names are the rule engine's input keys. */
export const MeasurementKindSchema = z.enum(['axialLengthMm', 'circumferentialPercent', 'axialPercent']);
export type MeasurementKind = z.infer<typeof MeasurementKindSchema>;

/** Unit of each kind: a length along the bone axis (mm) or a share (%). */
export const MEASUREMENT_UNIT = {
  axialLengthMm: 'mm',
  circumferentialPercent: '%',
  axialPercent: '%',
} as const satisfies Record<MeasurementKind, string>;

/** Anatomical sites as used by Mirels (long bones), SINS (spine) and the decision procedure. */
export const SiteSchema = z.enum(['upper-limb', 'lower-limb', 'peritrochanteric', 'spine', 'pelvis', 'other']);
export type Site = z.infer<typeof SiteSchema>;

/** A plane in patient coordinates (DICOM LPS, mm): an MPR / oblique reformat the user measured on. */
export const ReformatPlaneSchema = z.object({
  kind: z.enum(['axial', 'sagittal', 'coronal', 'oblique']),
  /** A point of the plane, LPS mm. */
  origin: Vec3Schema,
  /** Unit normal of the plane, LPS. */
  normal: Vec3Schema,
});
export type ReformatPlane = z.infer<typeof ReformatPlaneSchema>;

export const MeasurementMethodSchema = z.enum(['manual', 'assisted']);
export type MeasurementMethod = z.infer<typeof MeasurementMethodSchema>;

export const MeasurementProvenanceSchema = z
  .object({
    seriesInstanceUid: z.string().min(1),
    /** Instances the measurement was drawn on (stack / acquired slices). */
    sopInstanceUids: z.array(z.string().min(1)).optional(),
    /** The reformat plane, when drawn on an MPR / oblique view (no single source instance). */
    plane: ReformatPlaneSchema.optional(),
    /** Cornerstone tool name (e.g. 'Length', 'ArcAngle', 'CorticalRing') or 'assisted-analysis'. */
    tool: z.string().min(1),
    /** Cortical-density threshold used to judge destruction (default 400 HU, §1). */
    thresholdHu: z.number().finite(),
    method: MeasurementMethodSchema,
    /** Who measured or accepted the number (a user name / initials, never a patient identifier). */
    reader: z.string(),
    time: TimestampSchema,
  })
  .refine((p) => (p.sopInstanceUids?.length ?? 0) > 0 || p.plane !== undefined, {
    message: 'provenance needs sopInstanceUids or a reformat plane',
    path: ['sopInstanceUids'],
  });
export type MeasurementProvenance = z.infer<typeof MeasurementProvenanceSchema>;

const PercentSchema = z.number().finite().min(0).max(100);
const LengthMmSchema = z.number().finite().min(0);

const base = {
  id: z.string().min(1),
  /** The lesion this number belongs to (LesionSchema.id), once assigned. */
  lesionId: z.string().min(1).optional(),
  provenance: MeasurementProvenanceSchema,
};

export const MeasurementSchema = z.discriminatedUnion('kind', [
  z.object({ ...base, kind: z.literal('axialLengthMm'), value: LengthMmSchema, unit: z.literal('mm') }),
  z.object({ ...base, kind: z.literal('circumferentialPercent'), value: PercentSchema, unit: z.literal('%') }),
  z.object({ ...base, kind: z.literal('axialPercent'), value: PercentSchema, unit: z.literal('%') }),
]);
export type Measurement = z.infer<typeof MeasurementSchema>;

/** One lesion: the unit a recommendation is made for. */
export const LesionSchema = z.object({
  id: z.string().min(1),
  /** Bone name as the user writes it (e.g. 'femur', 'humerus', 'L2'). */
  bone: z.string(),
  site: SiteSchema,
  /** Free label shown in lists and reports (e.g. 'left femur, proximal'). */
  label: z.string(),
  /** Vertebral level for the spine (e.g. 'T12'), when relevant. */
  level: z.string().optional(),
});
export type Lesion = z.infer<typeof LesionSchema>;
