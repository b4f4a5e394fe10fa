import { DEG_PER_RAD, type Vec2 } from './vec';

/**
 * An arc of the bone's circumference seen from the centre of its cross-section:
 * it starts at `startDeg` and sweeps `sweepDeg` (positive = counter-clockwise in plane
 * coordinates, negative = clockwise; |sweep| ≤ 360).
 */
export interface Arc {
  startDeg: number;
  sweepDeg: number;
}

/** Angle of `p` seen from `centre`, in [0, 360). */
export function polarAngleDeg(centre: Vec2, p: Vec2): number {
  const a = Math.atan2(p[1] - centre[1], p[0] - centre[0]) * DEG_PER_RAD;
  return wrapDeg(a);
}

/** An angle brought into [0, 360). */
export function wrapDeg(a: number): number {
  const w = a % 360;
  return w < 0 ? w + 360 : w === 360 ? 0 : w;
}

/** Signed smallest rotation from angle a to angle b, in (−180, 180]. */
export function signedDeltaDeg(fromDeg: number, toDeg: number): number {
  const d = wrapDeg(toDeg - fromDeg);
  return d > 180 ? d - 360 : d;
}

/**
 * The arc from handle `start` to handle `end` around `centre`. Two handles bound two arcs
 * (one each way round); `sweepHintDeg` says which: the arc whose signed sweep is nearest to it.
 * A tool accumulates the hint as the user drags the handle round the bone, so an arc larger
 * than 180° — the clinically decisive case (> 50 %) — is reachable in either direction.
 * Without a hint the counter-clockwise arc is taken.
 */
export function arcFromHandles(centre: Vec2, start: Vec2, end: Vec2, sweepHintDeg?: number): Arc {
  const startDeg = polarAngleDeg(centre, start);
  const ccw = wrapDeg(polarAngleDeg(centre, end) - startDeg); // [0, 360)
  if (sweepHintDeg === undefined) return { startDeg, sweepDeg: ccw };
  const cw = ccw - 360; // (−360, 0]
  // Full turns are allowed when the user went all the way round.
  const candidates = [ccw, cw, ccw === 0 ? 360 : ccw, cw === 0 ? -360 : cw];
  let best = candidates[0];
  for (const c of candidates) if (Math.abs(c - sweepHintDeg) < Math.abs(best - sweepHintDeg)) best = c;
  return { startDeg, sweepDeg: best };
}

/** Accumulate the signed sweep while a handle moves from `prev` to `next` around `centre`. */
export function accumulateSweepDeg(sweepDeg: number, centre: Vec2, prev: Vec2, next: Vec2): number {
  const s = sweepDeg + signedDeltaDeg(polarAngleDeg(centre, prev), polarAngleDeg(centre, next));
  return Math.max(-360, Math.min(360, s));
}

/** The arc as counter-clockwise intervals [from, to) within [0, 360), split where it passes 0°. */
export function arcIntervals(arc: Arc): Array<[number, number]> {
  const len = Math.min(360, Math.abs(arc.sweepDeg));
  if (len <= 0) return [];
  if (len >= 360) return [[0, 360]];
  const from = wrapDeg(arc.sweepDeg >= 0 ? arc.startDeg : arc.startDeg + arc.sweepDeg);
  const to = from + len;
  return to <= 360 ? [[from, to]] : [[from, 360], [0, to - 360]];
}

/** Total angle covered by several arcs on one section, overlaps counted once (degrees, 0–360). */
export function arcUnionDeg(arcs: readonly Arc[]): number {
  const iv = arcs.flatMap(arcIntervals).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let cur: [number, number] | null = null;
  for (const [a, b] of iv) {
    if (!cur || a > cur[1]) {
      if (cur) total += cur[1] - cur[0];
      cur = [a, b];
    } else cur[1] = Math.max(cur[1], b);
  }
  if (cur) total += cur[1] - cur[0];
  return Math.min(360, total);
}

/**
 * Circumferential involvement (clinical-rules §1): share of the circumference, as angle / 360°,
 * covered by the involved arcs drawn on one cross-section, overlaps counted once.
 */
export function circumferentialPercent(arcs: readonly Arc[]): number {
  return (arcUnionDeg(arcs) / 360) * 100;
}
