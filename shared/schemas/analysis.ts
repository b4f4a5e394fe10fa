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
  elapsedMs: z.number(),
});

export type AnalysisWarningCode = z.infer<typeof AnalysisWarningCodeSchema>;
export type AnalysisWarning = z.infer<typeof AnalysisWarningSchema>;
export type ProfilePoint = z.infer<typeof ProfilePointSchema>;
export type SectionPlane = z.infer<typeof SectionPlaneSchema>;
export type MostAffectedSection = z.infer<typeof MostAffectedSectionSchema>;
export type LesionAnalysis = z.infer<typeof LesionAnalysisSchema>;
