import { arcUnionDeg, circumferentialPercent, complementArc, type Arc } from '../geometry/arc';
import { planeFrame, worldToPlane, type PlaneFrame } from '../geometry/plane';
import { distance, type Vec3 } from '../geometry/vec';
import { THRESHOLDS } from '../rules/thresholds';
import { mostAffectedMeasurement } from '../report/measuredValues';
import { MeasurementKindSchema, type Measurement, type MeasurementKind } from '../schemas/measurement';
import type { ArcDrawing, Session } from '../schemas/session';

/**
 * What a lesion's measurements say, per quantity: the most affected value (clinical-rules §1:
 * "at the most affected level"), which measurement it is, and whether it is an axial length
 * drawn off the bone axis (the tool warned; its value may be too short or too long).
 * Lengths drawn along the bone are preferred over off-axis ones. A length drawn off the axis
 * counts only once the reader has chosen (issue 14): its along-axis component (then it is a
 * length along the bone), or the line as drawn (used only when it is the only kind there is, and
 * flagged). Until then it is pending: never used, and said so.
 */
export interface LesionValue {
  kind: MeasurementKind;
  value: number | null;
  measurement: Measurement | null;
  /** The chosen value comes from a length the tool flagged as not along the bone (kept as drawn). */
  offAxis: boolean;
  count: number;
  /** Off-axis lengths waiting for the reader's choice (not used). */
  pendingOffAxis: number;
}

/** An off-axis length the reader chose to keep as drawn (used with a flag). */
export function isOffAxisLength(s: Session, m: Measurement): boolean {
  const d = s.drawings[m.id];
  return m.kind === 'axialLengthMm' && d?.tool === 'AxialLength' && d.notAlongBone && d.offAxisChoice === 'as-drawn';
}

/** An off-axis length without the reader's choice yet: it enters nothing. */
export function isPendingOffAxisLength(s: Session, m: Measurement): boolean {
  const d = s.drawings[m.id];
  return m.kind === 'axialLengthMm' && d?.tool === 'AxialLength' && d.notAlongBone && d.offAxisChoice === undefined;
}

/** The component along the bone axis of a drawn length (mm): the line's length × cos(its angle to the axis). */
export function alongAxisComponentMm(points: readonly [Vec3, Vec3], lineAxisAngleDeg: number): number {
  return distance(points[0], points[1]) * Math.cos((lineAxisAngleDeg * Math.PI) / 180);
}

/** The tools whose value depends on the cortical threshold (a ruler or an arc counts no density). */
export function usesThreshold(tool: string): boolean {
  return tool === 'CorticalRing' || tool === 'assisted-analysis';
}

export function lesionValue(s: Session, lesionId: string, kind: MeasurementKind): LesionValue {
  const own = s.measurements.filter((m) => m.lesionId === lesionId && m.kind === kind);
  const all = own.filter((m) => !isPendingOffAxisLength(s, m));
  const alongBone = all.filter((m) => !isOffAxisLength(s, m));
  const chosen = mostAffectedMeasurement(alongBone.length ? alongBone : all, kind);
  return { kind, value: chosen?.value ?? null, measurement: chosen, offAxis: !!chosen && isOffAxisLength(s, chosen), count: own.length, pendingOffAxis: own.length - all.length };
}

/** The three quantities of a lesion, in the schema's order. */
export function lesionValues(s: Session, lesionId: string): LesionValue[] {
  return MeasurementKindSchema.options.map((k) => lesionValue(s, lesionId, k));
}

/** The plane frame in which arc angles are measured: it depends on the view normal only, so
 * every arc drawn on one section shares the same 0°. */
export function arcFrame(centre: Vec3, normal: Vec3): PlaneFrame {
  return planeFrame(centre, normal, [1, 0, 0])!;
}

/** The arcs of one section's drawing, as angles in that section's plane. */
export function arcsOfDrawing(arcs: readonly ArcDrawing[], normal: Vec3): Arc[] {
  return arcs.map((d) => {
    const f = arcFrame(d.centre, normal);
    const start = worldToPlane(f, d.start);
    const c = worldToPlane(f, d.centre);
    return { startDeg: (Math.atan2(start[1] - c[1], start[0] - c[0]) * 180) / Math.PI, sweepDeg: d.sweepDeg };
  });
}

/**
 * Issue 14: the two ends of an arc bound two arcs. When taking the other one for any arc of the
 * section would put the section's circumferential % on the other side of the threshold
 * (clinical-rules §3, > 50 %), the reader is told the figure the other side would give.
 */
export interface ArcSideCaution {
  arcIndex: number;
  otherSidePercent: number;
  thresholdPercent: number;
}

export function arcSideCautions(arcs: readonly Arc[]): ArcSideCaution[] {
  const thresholdPercent = THRESHOLDS['ct-circumferential-percent'].value;
  const above = (p: number) => p > thresholdPercent;
  const now = circumferentialPercent(arcs);
  const out: ArcSideCaution[] = [];
  arcs.forEach((arc, i) => {
    const other = (arcUnionDeg(arcs.map((a, k) => (k === i ? complementArc(arc) : a))) / 360) * 100;
    if (above(other) !== above(now)) out.push({ arcIndex: i, otherSidePercent: other, thresholdPercent });
  });
  return out;
}
