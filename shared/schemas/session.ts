import { z } from 'zod';
import { AssessmentInputFieldsSchema } from './assessment';
import { TimestampSchema, Vec3Schema } from './common';
import { LesionSchema, MeasurementSchema } from './measurement';
import { KeyImageSchema } from './report';
import { RigiditySummarySchema } from './analysis';
import { RtLesionCoverageSchema } from './rt';

/**
 * The autosaved work on one CT series: lesions, their measurements (with provenance), the
 * drawings behind each measurement (to redraw it and jump back to its image), each lesion's
 * assessment input, and (version 2) the report's key images, the calcaemia helper's values and
 * the bone axis the user defined. Saved by the host (Electron: atomic JSON file; browser:
 * IndexedDB) and parsed with this schema when the same series is opened again.
 *
 * Version 2 only adds fields, each with a default: a version 1 session still loads (it comes
 * out as version 2 with no key images, empty calcaemia and no axis) and is saved as version 2.
 */
export const SESSION_VERSION = 2;
/** Versions this schema reads (older ones are migrated on parse). */
export const READABLE_SESSION_VERSIONS = [1, 2] as const;

/** Default cortical threshold of a new lesion (clinical-rules §1). */
export const DEFAULT_LESION_THRESHOLD_HU = 400;

export const SessionLesionSchema = LesionSchema.extend({
  /** Cortical-density threshold for this lesion's ring counting (default 400 HU, adjustable). */
  thresholdHu: z.number().finite().default(DEFAULT_LESION_THRESHOLD_HU),
  /** CT-based structural rigidity of the accepted assisted analysis (issue 18), informational. */
  rigidity: RigiditySummarySchema.optional(),
  /** Planning structures covering the accepted analysis' involved cortex and seed (issue 17). */
  structureCoverage: z.array(RtLesionCoverageSchema).optional(),
  /**
   * DICOM Tracking Unique Identifier of a lesion restored from an SR: the same lesion keeps it in
   * the SRs exported again, and restoring that SR again is recognised. Absent: derived from the
   * study and the lesion id (shared/export/sr.ts trackingUidFor).
   */
  trackingUid: z.string().min(1).optional(),
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
  /** The reader's click on the involved side (issue 14: it, not the mouse path, picks which of the two arcs). */
  side: Vec3Schema.optional(),
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
    /**
     * What the reader chose for a length drawn off the bone axis (issue 14): its along-axis
     * component as the value, or the line as drawn (kept flagged). Absent: not chosen yet, and the
     * length enters neither the assessment nor the report's values.
     */
    offAxisChoice: z.enum(['along-axis', 'as-drawn']).optional(),
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
export const AssessmentDraftSchema = AssessmentInputFieldsSchema.partial();
export type AssessmentDraft = z.infer<typeof AssessmentDraftSchema>;

/**
 * Key images (PNG data URLs, annotations drawn in) are the heaviest part of a session and the
 * whole session is rewritten on every autosave and crosses Electron's IPC, whose session limit
 * is MAX_SESSION_JSON_CHARS (8 MiB, shared/ipc/channels.ts). These caps keep a full session
 * well under it: 8 × 700 000 chars ≈ 5.3 MiB of images + measurements (a few kB).
 * A capture larger than the per-image cap is downscaled before it is stored (renderer/state/keyImageFit.ts).
 */
export const MAX_KEY_IMAGES_PER_LESION = 4;
export const MAX_KEY_IMAGES_PER_SESSION = 8;
export const MAX_KEY_IMAGE_DATA_URL_CHARS = 700_000;

/** Key images per lesion id, in capture order (the report shows them in this order). */
export const SessionKeyImagesSchema = z.record(z.string(), z.array(KeyImageSchema));
export type SessionKeyImages = z.infer<typeof SessionKeyImagesSchema>;

/**
 * The corrected-calcaemia helper's two laboratory values exactly as typed (a half-typed or
 * mistyped value comes back as it was, so the helper shows the same warning after a reload).
 */
export const MAX_CALCAEMIA_INPUT_CHARS = 32;
export const CalcaemiaEntrySchema = z.object({
  /** Measured total calcaemia, mmol/L, as typed. */
  measured: z.string().max(MAX_CALCAEMIA_INPUT_CHARS),
  /** Albuminaemia, g/L, as typed. */
  albumin: z.string().max(MAX_CALCAEMIA_INPUT_CHARS),
});
export type CalcaemiaEntry = z.infer<typeof CalcaemiaEntrySchema>;
export const EMPTY_CALCAEMIA: CalcaemiaEntry = { measured: '', albumin: '' };

/**
 * The bone's long axis as the user defined it in the viewer: the two points clicked (LPS mm)
 * and the normal of the view they were clicked on (orients the along-the-bone oblique). The
 * direction is derived again from the points when the axis is restored.
 */
export const SessionBoneAxisSchema = z.object({
  p1Mm: Vec3Schema,
  p2Mm: Vec3Schema,
  drawnOnNormal: Vec3Schema,
});
export type SessionBoneAxis = z.infer<typeof SessionBoneAxisSchema>;

export const SessionSchema = z.object({
  /** 1 or 2 on input; always SESSION_VERSION once parsed. */
  version: z.union([z.literal(1), z.literal(2)]).transform((): typeof SESSION_VERSION => SESSION_VERSION),
  seriesInstanceUid: z.string().min(1),
  lesions: z.array(SessionLesionSchema),
  measurements: z.array(MeasurementSchema),
  /** Drawing behind each measurement, by measurement id (assisted measurements may have none). */
  drawings: z.record(z.string(), DrawingSchema),
  /** Assessment input per lesion id. */
  assessments: z.record(z.string(), AssessmentDraftSchema),
  /** Report key images per lesion id (v2; none in a v1 session). */
  keyImages: SessionKeyImagesSchema.default({}),
  /** Calcaemia helper input for this patient (v2). */
  calcaemia: CalcaemiaEntrySchema.default(EMPTY_CALCAEMIA),
  /** The bone axis defined in the viewer, restored when the series is reopened (v2). */
  boneAxis: SessionBoneAxisSchema.nullable().default(null),
  updatedAt: TimestampSchema,
});
export type Session = z.output<typeof SessionSchema>;
/** What may be stored (any readable version, new fields optional). */
export type StoredSession = z.input<typeof SessionSchema>;

export function emptySession(seriesInstanceUid: string, now: string): Session {
  return {
    version: SESSION_VERSION,
    seriesInstanceUid,
    lesions: [],
    measurements: [],
    drawings: {},
    assessments: {},
    keyImages: {},
    calcaemia: EMPTY_CALCAEMIA,
    boneAxis: null,
    updatedAt: now,
  };
}
