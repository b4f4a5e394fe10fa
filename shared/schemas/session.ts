import { z } from 'zod';
import { AssessmentInputSchema } from './assessment';
import { TimestampSchema, Vec3Schema } from './common';
import { LesionSchema, MeasurementSchema } from './measurement';

/**
 * The autosaved work on one CT series: lesions, their measurements (with provenance), the
 * drawings behind each measurement (to redraw it and jump back to its image), and each lesion's
 * assessment input. Saved by the host (Electron: atomic JSON file; browser: IndexedDB) and
 * parsed with this schema when the same series is opened again.
 */
export const SESSION_VERSION = 1;

/** Default cortical threshold of a new lesion (clinical-rules §1). */
export const DEFAULT_LESION_THRESHOLD_HU = 400;

export const SessionLesionSchema = LesionSchema.extend({
  /** Cortical-density threshold for this lesion's ring counting (default 400 HU, adjustable). */
  thresholdHu: z.number().finite().default(DEFAULT_LESION_THRESHOLD_HU),
});
export type SessionLesion = z.infer<typeof SessionLesionSchema>;

/** The camera of the view a measurement was drawn on: where "select → jump to the image" goes. */
export const DrawingViewSchema = z.object({
  viewportId: z.string().min(1),
  focalPoint: Vec3Schema,
  viewPlaneNormal: Vec3Schema,
  viewUp: Vec3Schema,
});
export type DrawingView = z.infer<typeof DrawingViewSchema>;

/** An ellipse in patient space: its centre and the ends of its two semi-axes (LPS mm). */
export const WorldEllipseSchema = z.object({
  kind: z.literal('ellipse'),
  centre: Vec3Schema,
  axisXEnd: Vec3Schema,
  axisYEnd: Vec3Schema,
});
export const WorldPolygonSchema = z.object({ kind: z.literal('polygon'), points: z.array(Vec3Schema).min(3) });
export const WorldOutlineSchema = z.discriminatedUnion('kind', [WorldEllipseSchema, WorldPolygonSchema]);
export type WorldOutline = z.infer<typeof WorldOutlineSchema>;

export const ArcDrawingSchema = z.object({
  /** Cornerstone annotation UID while the annotation exists in this page (not meaningful after reload). */
  annotationUID: z.string().optional(),
  centre: Vec3Schema,
  start: Vec3Schema,
  end: Vec3Schema,
  /** Signed sweep (°) from start to end, positive counter-clockwise seen along the view normal. */
  sweepDeg: z.number().finite().min(-360).max(360),
});
export type ArcDrawing = z.infer<typeof ArcDrawingSchema>;

export const DrawingSchema = z.discriminatedUnion('tool', [
  z.object({
    tool: z.literal('AxialLength'),
    view: DrawingViewSchema,
    points: z.tuple([Vec3Schema, Vec3Schema]),
    /** Angle between the line and the bone axis (°) and which axis was used. */
    lineAxisAngleDeg: z.number(),
    axisSource: z.enum(['bone-axis', 'scanner-z']),
    notAlongBone: z.boolean(),
  }),
  z.object({
    tool: z.literal('CircumferentialArc'),
    view: DrawingViewSchema,
    /** Several arcs on one cross-section; the value is their union (overlaps counted once). */
    arcs: z.array(ArcDrawingSchema).min(1),
  }),
  z.object({
    tool: z.literal('CorticalRing'),
    view: DrawingViewSchema,
    annotationUID: z.string().optional(),
    periosteal: WorldOutlineSchema,
    endosteal: WorldOutlineSchema,
    ringAreaMm2: z.number().finite().min(0),
    involvedAreaMm2: z.number().finite().min(0),
    /** Circumferential % proposed from the same ring (angles where ≥ half the wall is below threshold). */
    proposedCircumferentialPercent: z.number().finite().min(0).max(100),
  }),
]);
export type Drawing = z.infer<typeof DrawingSchema>;
export type DrawingTool = Drawing['tool'];

/** Assessment input while it is being filled in: every field may still be missing. */
export const AssessmentDraftSchema = AssessmentInputSchema.partial();
export type AssessmentDraft = z.infer<typeof AssessmentDraftSchema>;

export const SessionSchema = z.object({
  version: z.literal(SESSION_VERSION),
  seriesInstanceUid: z.string().min(1),
  lesions: z.array(SessionLesionSchema),
  measurements: z.array(MeasurementSchema),
  /** Drawing behind each measurement, by measurement id (assisted measurements may have none). */
  drawings: z.record(z.string(), DrawingSchema),
  /** Assessment input per lesion id. */
  assessments: z.record(z.string(), AssessmentDraftSchema),
  updatedAt: TimestampSchema,
});
export type Session = z.infer<typeof SessionSchema>;

export function emptySession(seriesInstanceUid: string, now: string): Session {
  return { version: SESSION_VERSION, seriesInstanceUid, lesions: [], measurements: [], drawings: {}, assessments: {}, updatedAt: now };
}
