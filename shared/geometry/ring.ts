import type { AppError, Result } from '../errors';
import { appError, err, ok } from '../errors';
import { arcUnionDeg, type Arc } from './arc';
import { outlineAreaMm2, outlineBounds, outlineCentre, outlineContains, rayToOutlineMm, type Outline } from './outline';
import { RAD_PER_DEG, type Vec2 } from './vec';

/** Cortical density threshold (clinical-rules §1): cortex below it counts as destroyed. */
export const DEFAULT_CORTICAL_THRESHOLD_HU = 400;
/**
 * A point of the wall is "involved" when at least this share of the local wall thickness is
 * below threshold (clinical-rules §1: "destroyed at least half of the local wall thickness").
 */
export const INVOLVED_WALL_FRACTION = 0.5;
/** Sub-grid step for area counting (mm): a fifth of the finest CT pixel we support (0.5 mm). */
export const DEFAULT_RING_SAMPLE_STEP_MM = 0.1;
/** Angular step for the proposed circumferential % (degrees). */
export const DEFAULT_ANGLE_STEP_DEG = 1;
/** Samples across the wall per angle: enough to resolve the half-thickness criterion at 2 %. */
const WALL_SAMPLES = 50;

/** HU at a point of the cross-section (plane mm), interpolated, or NaN outside the volume. */
export type HuSampler = (q: Vec2) => number;

export interface CorticalRing {
  periosteal: Outline;
  endosteal: Outline;
}

export interface AngularSample {
  angleDeg: number;
  /** Share of the local wall thickness below threshold, 0–1. */
  wallBelowFraction: number;
  involved: boolean;
}

export interface RingAnalysis {
  /** Ring area from the outlines' exact areas (mm²). */
  ringAreaMm2: number;
  /** Ring area counted on the sub-grid (mm²); close to ringAreaMm2, the denominator of axialPercent. */
  sampledRingAreaMm2: number;
  /** Ring area below threshold (mm²), counted on the same sub-grid. */
  involvedAreaMm2: number;
  /** Axial % (clinical-rules §1): share of the intact ring's cortical area below threshold. */
  axialPercent: number;
  /** Proposed circumferential %: share of angles where ≥ half the wall is below threshold. */
  proposedCircumferentialPercent: number;
  /** The involved angles as arcs (counter-clockwise, for drawing). */
  involvedArcs: Arc[];
  angular: AngularSample[];
  thresholdHu: number;
  /** Sub-grid points below threshold (plane mm), thinned for drawing; empty unless asked for. */
  involvedPoints: Vec2[];
  /** Samples that fell outside the volume (always 0: a ring partly outside is refused, 'ring.outside-volume'). */
  samplesOutsideVolume: number;
}

export interface RingOptions {
  stepMm?: number;
  angleStepDeg?: number;
  /** Return up to about this many involved sub-grid points for display (0 = none). */
  displayPoints?: number;
}

/** Checks that the endosteal outline lies inside the periosteal one (on 72 rays). */
export function validateRing(ring: CorticalRing): AppError | null {
  const ap = outlineAreaMm2(ring.periosteal);
  const ae = outlineAreaMm2(ring.endosteal);
  if (!(ap > 0) || !(ae > 0)) return appError('ring.degenerate', 'Both outlines need a positive area.', { field: ae > 0 ? 'periosteal' : 'endosteal' });
  const c = outlineCentre(ring.endosteal);
  if (!outlineContains(ring.periosteal, c)) return appError('ring.not-nested', 'The endosteal outline must lie inside the periosteal outline.', { field: 'endosteal' });
  for (let k = 0; k < 72; k++) {
    const a = k * 5;
    if (rayToOutlineMm(ring.endosteal, c, a) > rayToOutlineMm(ring.periosteal, c, a) + 1e-9)
      return appError('ring.not-nested', 'The endosteal outline must lie inside the periosteal outline.', { field: 'endosteal' });
  }
  return null;
}

/**
 * Counts the cortical ring (between the periosteal and endosteal outlines of the intact bone)
 * below the cortical threshold. Partial volume: the ring is sampled on a sub-grid much finer than
 * the CT pixel with interpolated HU, so a pixel straddling the lesion's edge contributes the
 * share of its area on each side instead of all or nothing, and the ring's curved edges are
 * followed to the sub-grid step.
 */
export function analyseCorticalRing(
  ring: CorticalRing,
  sample: HuSampler,
  thresholdHu = DEFAULT_CORTICAL_THRESHOLD_HU,
  options: RingOptions = {},
): Result<RingAnalysis> {
  const invalid = validateRing(ring);
  if (invalid) return err(invalid);
  if (!Number.isFinite(thresholdHu)) return err(appError('ring.threshold', 'The cortical threshold must be a number of HU.', { field: 'thresholdHu' }));
  const step = options.stepMm ?? DEFAULT_RING_SAMPLE_STEP_MM;
  const [x0, y0, x1, y1] = outlineBounds(ring.periosteal);
  const cell = step * step;
  let ringCells = 0;
  let involvedCells = 0;
  let outside = 0;
  const involvedRaw: Vec2[] = [];
  for (let y = y0 + step / 2; y < y1; y += step) {
    for (let x = x0 + step / 2; x < x1; x += step) {
      const q: Vec2 = [x, y];
      if (!outlineContains(ring.periosteal, q) || outlineContains(ring.endosteal, q)) continue;
      const hu = sample(q);
      if (Number.isNaN(hu)) {
        outside++;
        continue;
      }
      ringCells++;
      if (hu < thresholdHu) {
        involvedCells++;
        if (options.displayPoints) involvedRaw.push(q);
      }
    }
  }
  if (outside > 0) {
    // Issue 13: a ring partly beyond the scan is not measured (its inside part alone would read
    // as the whole ring's axial %), like the assisted analysis' sections.
    const share = Math.max(1, Math.round((100 * outside) / (outside + ringCells)));
    return err(
      appError('ring.outside-volume', `${share} % of the cortical ring lies outside the volume (beyond the first or last slice or the image edge): not measured. Draw it where the whole bone is in the scan.`, {
        field: 'ring',
      }),
    );
  }
  const angular = angularInvolvement(ring, sample, thresholdHu, options.angleStepDeg ?? DEFAULT_ANGLE_STEP_DEG);
  const involvedArcs = involvedRuns(angular);
  const thin = options.displayPoints ? Math.max(1, Math.ceil(involvedRaw.length / options.displayPoints)) : 1;
  return ok({
    ringAreaMm2: outlineAreaMm2(ring.periosteal) - outlineAreaMm2(ring.endosteal),
    sampledRingAreaMm2: ringCells * cell,
    involvedAreaMm2: involvedCells * cell,
    axialPercent: ringCells > 0 ? (100 * involvedCells) / ringCells : 0,
    proposedCircumferentialPercent: (arcUnionDeg(involvedArcs) / 360) * 100,
    involvedArcs,
    angular,
    thresholdHu,
    involvedPoints: involvedRaw.filter((_, i) => i % thin === 0),
    samplesOutsideVolume: outside,
  });
}

/**
 * For each angle round the ring's centre, the share of the wall (from the endosteal to the
 * periosteal outline along the ray) below threshold, and whether it reaches half the wall.
 */
export function angularInvolvement(ring: CorticalRing, sample: HuSampler, thresholdHu: number, angleStepDeg = DEFAULT_ANGLE_STEP_DEG): AngularSample[] {
  const c = outlineCentre(ring.endosteal);
  const out: AngularSample[] = [];
  const n = Math.max(1, Math.round(360 / angleStepDeg));
  for (let k = 0; k < n; k++) {
    const angleDeg = (k + 0.5) * (360 / n);
    const rIn = rayToOutlineMm(ring.endosteal, c, angleDeg);
    const rOut = rayToOutlineMm(ring.periosteal, c, angleDeg);
    const dx = Math.cos(angleDeg * RAD_PER_DEG);
    const dy = Math.sin(angleDeg * RAD_PER_DEG);
    let below = 0;
    let counted = 0;
    for (let s = 0; s < WALL_SAMPLES; s++) {
      const r = rIn + ((s + 0.5) / WALL_SAMPLES) * (rOut - rIn);
      const hu = sample([c[0] + r * dx, c[1] + r * dy]);
      if (Number.isNaN(hu)) continue;
      counted++;
      if (hu < thresholdHu) below++;
    }
    const wallBelowFraction = counted ? below / counted : 0;
    out.push({ angleDeg, wallBelowFraction, involved: counted > 0 && wallBelowFraction >= INVOLVED_WALL_FRACTION });
  }
  return out;
}

/** Runs of involved angles as counter-clockwise arcs (a run crossing 0° stays one arc). */
function involvedRuns(angular: AngularSample[]): Arc[] {
  const n = angular.length;
  if (n === 0) return [];
  const w = 360 / n;
  if (angular.every((a) => a.involved)) return [{ startDeg: 0, sweepDeg: 360 }];
  // Start scanning just after a non-involved sample so no run is split at the array's end.
  const first = angular.findIndex((a) => !a.involved);
  const arcs: Arc[] = [];
  let runStart = -1;
  for (let i = 1; i <= n; i++) {
    const k = (first + i) % n;
    if (angular[k].involved) {
      if (runStart < 0) runStart = k;
    } else if (runStart >= 0) {
      const len = (k - runStart + n) % n;
      arcs.push({ startDeg: runStart * w, sweepDeg: len * w });
      runStart = -1;
    }
  }
  return arcs;
}
