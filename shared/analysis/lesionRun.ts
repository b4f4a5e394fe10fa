import type { SectionEval } from './involvement';
import { ANALYSIS_PARAMETERS as P } from './parameters';

/** A run of involved sections [first, last] (section indices, inclusive). */
export type Run = [number, number];

/**
 * The stretch of bone that can be measured around the clicked level: from the seed outward
 * while sections are measured, unmeasured gaps up to `bridge` sections bridged. Beyond it the
 * straight axis has left the bone (curved bone, bone end) or the volume. Null when no section
 * within `bridge` of the seed is measured.
 */
export function measuredStretch(get: (m: number) => SectionEval, seedIndex: number, count: number, bridge: number): { lo: number; hi: number } | null {
  let seedMeasured = false;
  for (let m = Math.max(0, seedIndex - bridge); m <= Math.min(count - 1, seedIndex + bridge) && !seedMeasured; m++) seedMeasured = get(m).measured;
  if (!seedMeasured) return null;
  get(seedIndex); // the clicked level is always evaluated (its numbers are the ones shown without involvement)
  const extend = (dir: 1 | -1) => {
    let last = seedIndex;
    for (let m = seedIndex + dir; m >= 0 && m < count; m += dir) {
      if (get(m).measured) last = m;
      else if (Math.abs(m - last) > bridge) break;
    }
    return last;
  };
  return { lo: extend(-1), hi: extend(1) };
}

/**
 * Runs of sections within [lo, hi] that are measured and show a lesion-wide involved arc
 * (minLesionArcDeg; gaps of up to `maxGap` − 1 sections bridged). Narrower arcs are the noise
 * of real cortex (ridges, bends, density changes round the bone): they never start a run
 * (extendRun carries a run's own tapering ends).
 */
export function involvedRuns(evals: readonly SectionEval[], lo: number, hi: number, maxGap = 2): Run[] {
  const runs: Run[] = [];
  for (let m = lo; m <= hi; m++) {
    if (!evals[m].lesionArc) continue;
    const last = runs[runs.length - 1];
    if (last && m - last[1] <= maxGap) last[1] = m;
    else runs.push([m, m]);
  }
  return runs;
}

/**
 * A run's tapering ends (an ellipsoidal lesion's arc shrinks to nothing): the neighbouring
 * measured sections whose circumferential % is still at least `minPercent` join it.
 */
export function extendRun(run: Run, evals: readonly SectionEval[], lo: number, hi: number, minPercent: number): Run {
  const joins = (m: number) => evals[m].measured && evals[m].circumferentialPercent > 0 && evals[m].circumferentialPercent >= minPercent;
  let a = run[0];
  let b = run[1];
  while (a - 1 >= lo && joins(a - 1)) a--;
  while (b + 1 <= hi && joins(b + 1)) b++;
  return [a, b];
}

/** The largest circumferential % of a run's sections. */
export function runPeakPercent(run: Run, evals: readonly SectionEval[]): number {
  let peak = 0;
  for (let m = run[0]; m <= run[1]; m++) peak = Math.max(peak, evals[m].circumferentialPercent);
  return peak;
}

/** Sections between a level and a run (0 when the run contains it). */
export function distanceToRun(run: Run, m: number): number {
  return m < run[0] ? run[0] - m : m > run[1] ? m - run[1] : 0;
}

/**
 * The run the user clicked: "the lesion is here" (issue 13). The run containing the clicked
 * level, or one within `toleranceSections` of it (a click just beyond the run's visible end);
 * otherwise null and the nearest run, which is only pointed to, never measured.
 */
export function runAtSeed(runs: readonly Run[], seedIndex: number, toleranceSections: number): { run: Run | null; nearest: Run | null } {
  if (!runs.length) return { run: null, nearest: null };
  const nearest = runs.reduce((best, r) => (distanceToRun(r, seedIndex) < distanceToRun(best, seedIndex) ? r : best));
  return { run: distanceToRun(nearest, seedIndex) <= toleranceSections ? nearest : null, nearest };
}

/** Walk from an involved position towards an uninvolved one in `stepMm` steps; the last involved position. */
export function refineEnd(isInvolved: (tMm: number) => boolean, insideMm: number, outsideMm: number, stepMm = P.boundaryStepMm): number {
  const dir = Math.sign(outsideMm - insideMm);
  let last = insideMm;
  for (let t = insideMm + dir * stepMm; dir * (outsideMm - t) > 1e-9; t += dir * stepMm) {
    if (!isInvolved(t)) break;
    last = t;
  }
  return last;
}

/**
 * The most affected section of a run: the largest axial %; among sections within
 * mostAffectedTiePercent of it (a uniform lesion, noise) the one nearest the run's middle.
 */
export function mostAffectedIndex(evals: readonly SectionEval[], run: Run): number {
  let maxAxial = 0;
  for (let m = run[0]; m <= run[1]; m++) maxAxial = Math.max(maxAxial, evals[m].axialPercent);
  const middle = (run[0] + run[1]) / 2;
  const tied = (m: number) => evals[m].axialPercent >= maxAxial - P.mostAffectedTiePercent;
  let best = run[0];
  for (let m = run[0]; m <= run[1]; m++) {
    if (!tied(m)) continue;
    if (!tied(best) || Math.abs(m - middle) < Math.abs(best - middle)) best = m;
  }
  return best;
}
