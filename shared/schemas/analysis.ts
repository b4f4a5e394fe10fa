import { z } from 'zod';
import { Vec3Schema } from './common';

/**
 * Result of the assisted cortical analysis (shared/analysis/analyseLesion): the `analyze`
 * command's JSON, the worker's answer to the viewer, and the provenance of assisted
 * measurements. Keys may be added, never renamed (CLI contract, issue 6).
 * Positions along the axis are mm from the seed's projection on the axis, positive along
 * `axis.direction`. Angles are degrees in a section's (u, v) frame, from u towards v.
 */
export const AnalysisWarningCodeSchema = z.enum([
  'no-bone-found',
  'seed-outside-bone',
  'seed-not-in-canal',
  'cortex-thin',
  'slices-thicker-than-lesion',
  'metal',
  'poor-fit',
  'lesion-at-scan-end',
  'reference-window-short',
  'no-involvement',
  'no-intact-reference',
  'bone-not-followed',
  'borderline-involvement',
  /** Involvement found only away from the clicked level: pointed to, never measured (issue 13). */
  'no-involvement-at-seed',
]);
export const AnalysisWarningSchema = z.object({ code: AnalysisWarningCodeSchema, message: z.string() });

export const ProfilePointSchema = z.object({
  positionMm: z.number(),
  circumferentialPercent: z.number().min(0).max(100),
  axialPercent: z.number().min(0).max(100),
  /** False when part of the section lies outside the volume, it has no intact reference, or it was not analysed. */
  measured: z.boolean(),
  /** Why a section is not measured (null when measured): it is never counted as intact or involved. */
  notMeasuredReason: z.enum(['outside-volume', 'no-reference', 'not-analysed']).nullable().optional(),
});

export const SectionPlaneSchema = z.object({
  positionMm: z.number(),
  origin: Vec3Schema,
  normal: Vec3Schema,
  u: Vec3Schema,
  v: Vec3Schema,
});

export const ArcSchema = z.object({ startDeg: z.number(), sweepDeg: z.number() });

export const MostAffectedSectionSchema = SectionPlaneSchema.extend({
  circumferentialPercent: z.number(),
  axialPercent: z.number(),
  involvedArcs: z.array(ArcSchema),
  /** Intact periosteal / endosteal radius every `radiusStepDeg` from the section's origin (mm). */
  radiusStepDeg: z.number(),
  periostealRadiusMm: z.array(z.number().nullable()),
  endostealRadiusMm: z.array(z.number().nullable()),
});

/** HU → ash density → modulus (clinical-rules.md §9); every constant shown with the results. */
export const DensityRelationSchema = z.object({
  /** ρ_ash (g/cm³) = ashDensityPerHu · HU + ashDensityAtZeroHu. */
  ashDensityPerHu: z.number().positive(),
  ashDensityAtZeroHu: z.number(),
  /** E (MPa) = modulusCoefficientMpa · ρ_ash ^ modulusExponent. */
  modulusCoefficientMpa: z.number().positive(),
  modulusExponent: z.number().positive().max(5),
  poissonRatio: z.number().min(0).max(0.49),
  /** Samples below this HU are not counted as bone. */
  minBoneHu: z.number(),
  /** How HU were turned into density (phantom, phantomless …), shown with the results. */
  calibration: z.string().max(200),
});

const RigidityValuesSchema = z.object({
  /** Axial rigidity, N. */
  EA: z.number(),
  /** Smallest principal bending rigidity, N·mm². */
  EImin: z.number(),
  /** Torsional rigidity, N·mm². */
  GJ: z.number(),
});
const LossSchema = z.object({ EA: z.number(), EImin: z.number(), GJ: z.number() });

export const RigiditySectionSchema = z.object({
  positionMm: z.number(),
  /** Null where the section is not fully measured (notMeasuredReason says why). */
  EA: z.number().nullable(),
  EImin: z.number().nullable(),
  EImax: z.number().nullable(),
  GJ: z.number().nullable(),
  /** Axis of weakest bending, degrees in the section's (u, v) frame (0–180). */
  weakAxisDeg: z.number().nullable(),
  /** Modulus-weighted centroid (u, v) in mm from the axis. */
  centroidMm: z.tuple([z.number(), z.number()]).nullable(),
  boneAreaMm2: z.number().nullable(),
  /** A lesional section (the measured run, or the clicked level without one). */
  lesional: z.boolean(),
  /** Counted in the intact reference. */
  reference: z.boolean(),
  notMeasuredReason: z.enum(['outside-volume', 'metal', 'no-reference', 'not-analysed']).nullable(),
});

export const RigidityWarningSchema = z.object({
  code: z.enum(['rigidity-not-computed', 'rigidity-uncalibrated', 'rigidity-sections-not-measured', 'rigidity-no-intact-reference', 'rigidity-lesion-not-measured', 'rigidity-contralateral']),
  message: z.string(),
});

/**
 * CT-based structural rigidity (issue 18; clinical-rules.md §9): informational, never an input
 * of the recommendation. N for EA, N·mm² for EI and GJ, losses in %. Keys may be added, never renamed.
 */
export const RigiditySchema = z.object({
  informational: z.literal(true),
  weakestSection: RigidityValuesSchema.extend({ positionMm: z.number(), EImax: z.number(), weakAxisDeg: z.number(), centroidMm: z.tuple([z.number(), z.number()]) }).nullable(),
  intactReference: RigidityValuesSchema.extend({
    /** Positions (mm along the axis) of the intact sections used. */
    sections: z.array(z.number()),
    /** Which sections and why, in words. */
    basis: z.string(),
  }).nullable(),
  /** Loss at the weakest section against the intact reference (positive = weaker). */
  lossPercent: LossSchema.nullable(),
  /** The informational CTRA criterion (a loss > criterionPercent in EA, EI or GJ); null without a loss. */
  exceedsCriterion: z.boolean().nullable(),
  criterionPercent: z.number(),
  /** Optional reference: the same level of the other side's bone, clicked by the user. */
  contralateralReference: RigidityValuesSchema.extend({ seed: Vec3Schema, sections: z.array(z.number()) }).nullable(),
  lossVsContralateralPercent: LossSchema.nullable(),
  densityRelation: DensityRelationSchema,
  profile: z.array(RigiditySectionSchema),
  warnings: z.array(RigidityWarningSchema),
  /** Citations of the sources of the method and the criterion. */
  sources: z.array(z.string()),
});

/**
 * What a lesion keeps of an accepted analysis' rigidity (session, report): everything but the
 * per-section profile, plus the analysis it came from.
 */
export const RigiditySummarySchema = RigiditySchema.omit({ profile: true }).extend({
  thresholdHu: z.number(),
  methodVersion: z.number().int(),
});
export type RigiditySummary = z.infer<typeof RigiditySummarySchema>;

export const LesionAnalysisSchema = z.object({
  axialLengthMm: z.number().nullable(),
  circumferentialPercent: z.number().nullable(),
  axialPercent: z.number().nullable(),
  profile: z.array(ProfilePointSchema),
  axis: z.object({ point: Vec3Schema, direction: Vec3Schema }).nullable(),
  thresholdHu: z.number(),
  warnings: z.array(AnalysisWarningSchema),
  seed: Vec3Schema,
  /** Proximal / distal ends of the involvement along the axis (mm from the seed). */
  involvedRangeMm: z.object({ startMm: z.number(), endMm: z.number() }).nullable(),
  mostAffectedSection: MostAffectedSectionSchema.nullable(),
  /** Section planes at the two ends of the involvement (for drawing the length on reformats). */
  endSections: z.array(SectionPlaneSchema),
  boneRadiusMm: z.number().nullable(),
  corticalThicknessMm: z.number().nullable(),
  /** Involvement seen only away from the clicked level (positions along the axis, distance from the click); never measured. */
  nearestInvolvement: z.object({ startMm: z.number(), endMm: z.number(), distanceMm: z.number() }).nullable().optional(),
  method: z.object({
    name: z.literal('frw-cortical-profile'),
    version: z.number().int(),
    angleStepDeg: z.number(),
    profileStepMm: z.number(),
    boundaryStepMm: z.number(),
    referenceHalfWindowMm: z.number(),
  }),
  /** Only when asked for (analyze --rigidity, the analysis tab). */
  rigidity: RigiditySchema.optional(),
  elapsedMs: z.number(),
});

export type AnalysisWarningCode = z.infer<typeof AnalysisWarningCodeSchema>;
export type AnalysisWarning = z.infer<typeof AnalysisWarningSchema>;
export type ProfilePoint = z.infer<typeof ProfilePointSchema>;
export type SectionPlane = z.infer<typeof SectionPlaneSchema>;
export type MostAffectedSection = z.infer<typeof MostAffectedSectionSchema>;
export type LesionAnalysis = z.infer<typeof LesionAnalysisSchema>;
export type DensityRelation = z.infer<typeof DensityRelationSchema>;
export type Rigidity = z.infer<typeof RigiditySchema>;
export type RigiditySection = z.infer<typeof RigiditySectionSchema>;
export type RigidityWarning = z.infer<typeof RigidityWarningSchema>;
