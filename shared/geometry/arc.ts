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
 * The arc from handle `start` to handle `end` around `centre` that passes through the direction
 * of `side`: the reader's click on the involved part of the cortex (issue 14). Two ends bound two
 * arcs, one each way round; the side click says which, whatever path the mouse took.
 */
export function arcThroughSide(centre: Vec2, start: Vec2, end: Vec2, side: Vec2): Arc {
  const startDeg = polarAngleDeg(centre, start);
  const ccw = wrapDeg(polarAngleDeg(centre, end) - startDeg); // [0, 360)
  const sideOffsetDeg = wrapDeg(polarAngleDeg(centre, side) - startDeg);
  return { startDeg, sweepDeg: sideOffsetDeg <= ccw ? ccw : ccw - 360 };
}

/** The other arc between the same two ends (the rest of the circumference). */
export function complementArc(arc: Arc): Arc {
  const len = Math.min(360, Math.abs(arc.sweepDeg));
  return { startDeg: arc.startDeg, sweepDeg: arc.sweepDeg >= 0 ? len - 360 : 360 - len };
}

/** Angle of the arc's middle, in [0, 360). */
export function arcMidDeg(arc: Arc): number {
  return wrapDeg(arc.startDeg + arc.sweepDeg / 2);
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
