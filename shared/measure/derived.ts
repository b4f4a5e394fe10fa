import { mostAffectedMeasurement } from '../report/measuredValues';
import { MeasurementKindSchema, type Measurement, type MeasurementKind } from '../schemas/measurement';
import type { Session } from '../schemas/session';

/**
 * What a lesion's measurements say, per quantity: the most affected value (clinical-rules §1:
 * "at the most affected level"), which measurement it is, and whether it is an axial length
 * drawn off the bone axis (the tool warned; its value may be too short or too long).
 * Lengths drawn along the bone are preferred over off-axis ones; an off-axis length is used
 * only when it is the only kind there is, and then flagged so the UI and report can say so.
 */
export interface LesionValue {
  kind: MeasurementKind;
  value: number | null;
  measurement: Measurement | null;
  /** The chosen value comes from a length the tool flagged as not along the bone. */
  offAxis: boolean;
  count: number;
}

export function isOffAxisLength(s: Session, m: Measurement): boolean {
  const d = s.drawings[m.id];
  return m.kind === 'axialLengthMm' && d?.tool === 'AxialLength' && d.notAlongBone;
}

export function lesionValue(s: Session, lesionId: string, kind: MeasurementKind): LesionValue {
  const all = s.measurements.filter((m) => m.lesionId === lesionId && m.kind === kind);
  const alongBone = all.filter((m) => !isOffAxisLength(s, m));
  const chosen = mostAffectedMeasurement(alongBone.length ? alongBone : all, kind);
  return { kind, value: chosen?.value ?? null, measurement: chosen, offAxis: !!chosen && isOffAxisLength(s, chosen), count: all.length };
}

/** The three quantities of a lesion, in the schema's order. */
export function lesionValues(s: Session, lesionId: string): LesionValue[] {
  return MeasurementKindSchema.options.map((k) => lesionValue(s, lesionId, k));
}
