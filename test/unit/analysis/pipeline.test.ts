import { describe, expect, it } from 'vitest';
import { analyseLesion } from '../../../shared/analysis';
import { seedInsideVolume } from '../../../shared/analysis/analyseLesion';
import { longestRun } from '../../../shared/analysis/arcs';
import { trendAtZero } from '../../../shared/analysis/intactReference';
import { evaluateSection, UNMEASURED, type SectionEval } from '../../../shared/analysis/involvement';
import { extendRun, involvedRuns, measuredStretch, refineEnd, runAtSeed } from '../../../shared/analysis/lesionRun';
import { makeVoxelSampler } from '../../../shared/analysis/sampler';
import { sectionGrid } from '../../../shared/analysis/sections';
import { makeSyntheticCt } from '../../fixtures/synthetic-ct';

/** The named steps of the analysis pipeline (issue 15), each on its own. */
const section = (circ: number, lesionArc = circ >= 15 / 3.6, measured = true): SectionEval => ({ ...UNMEASURED, circumferentialPercent: circ, lesionArc, measured, notMeasured: measured ? null : 'outside-volume' });

describe('intact reference: trendAtZero', () => {
  const t = Array.from({ length: 33 }, (_, i) => (i - 16) * 2.5);
  it('follows a thinning cortex along the axis (a constant would leave the trend behind)', () => {
    const v = t.map((x) => 3 - 0.03 * x); // 4.2 mm at -40, 1.8 mm at +40
    expect(trendAtZero(t, v, t.length, 3.5, { mm: 0.5, share: 0.2 }, true)).toBeCloseTo(3, 1);
    // At the end of the scan (one-sided window) it extrapolates the trend, not the median.
    const ts = t.filter((x) => x <= 0);
    const vs = ts.map((x) => 3 - 0.03 * x);
    expect(trendAtZero(ts, vs, ts.length, 3.5, { mm: 0.5, share: 0.2 }, true)).toBeCloseTo(3, 1);
  });
  it('ignores a lesion that thins the wall, even over most of the window near the section', () => {
    const v = t.map((x) => (Math.abs(x) < 15 ? 1.2 : 4));
    expect(trendAtZero(t, v, t.length, 4, { mm: 0.5, share: 0.2 }, true)).toBeCloseTo(4, 1);
  });
});

describe('lesion run: the clicked level decides', () => {
  it('measures the run containing the click and only points to a far one', () => {
    const runs: Array<[number, number]> = [[10, 20], [50, 60]];
    expect(runAtSeed(runs, 15, 3)).toEqual({ run: [10, 20], nearest: [10, 20] });
    expect(runAtSeed(runs, 22, 3).run).toEqual([10, 20]);
    expect(runAtSeed(runs, 35, 3)).toEqual({ run: null, nearest: [10, 20] });
    expect(runAtSeed([], 35, 3)).toEqual({ run: null, nearest: null });
  });
  it('starts runs only at lesion-wide arcs and extends them over their tapering ends', () => {
    const evals = [0, 2, 3, 30, 40, 30, 8, 1.5, 0, 3, 3, 0].map((c) => section(c));
    // 3 % arcs (11°) alone never make a run; 8 % (29°) does.
    expect(involvedRuns(evals, 0, evals.length - 1)).toEqual([[3, 6]]);
    expect(extendRun([3, 6], evals, 0, evals.length - 1, 2)).toEqual([1, 6]);
  });
  it('keeps the measured stretch around the seed, bridging short gaps', () => {
    const evals = [1, 1, 0, 0, 0, 1, 1, 1, 0, 1, 1].map((m) => section(0, false, m === 1));
    expect(measuredStretch((m) => evals[m], 6, evals.length, 1)).toEqual({ lo: 5, hi: 10 });
    expect(measuredStretch((m) => evals[m], 3, evals.length, 0)).toBeNull();
  });
  it('refines an end to the step', () => {
    expect(refineEnd((t) => t < 4.25, 4, 5, 0.1)).toBeCloseTo(4.2, 6);
    expect(refineEnd((t) => t > -2.55, -2, -3, 0.1)).toBeCloseTo(-2.5, 6);
  });
  it('measures arcs round the circle', () => {
    const mask = new Uint8Array(360);
    for (let a = 350; a < 370; a++) mask[a % 360] = 1;
    expect(longestRun(mask)).toBe(20);
  });
});

describe('sections, involvement and the seed', () => {
  const { volume, truth } = makeSyntheticCt({ dimensions: [64, 64, 40], pixelMm: 0.8, sliceSpacingMm: 1, noiseSigmaHu: 0, bone: { outerRadiusMm: 12, corticalThicknessMm: 4 } });
  const sampler = makeVoxelSampler(volume);
  it('a section partly outside the volume is not measured', () => {
    const a = analyseLesion(volume, truth.canalSeed);
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    const axis = a.value.axis!;
    const grid = sectionGrid(sampler, axis);
    expect(grid.tOf(grid.seedIndex)).toBe(0);
    expect(a.value.profile.some((p) => p.notMeasuredReason === 'outside-volume')).toBe(false); // an axial bone: whole sections
    // A section whose ring reaches past the last slice (the reference radius pushed out).
    const reference = { at: () => [12, 4] as [number, number], medianThicknessAt: () => 4 };
    const tilted = { point: axis.point, direction: [0.6, 0, 0.8] as [number, number, number] };
    expect(evaluateSection(sampler, tilted, reference, 18, 400).notMeasured).toBe('outside-volume');
    expect(evaluateSection(sampler, axis, reference, 0, 400)).toMatchObject({ measured: true, circumferentialPercent: 0 });
  });
  it('moves a seed within half a voxel of the volume onto it, refuses one beyond', () => {
    const [, , zFirst] = volume.origin;
    const moved = seedInsideVolume(sampler, [0, 0, zFirst - 0.4])!;
    [0, 0, zFirst].forEach((c, i) => expect(moved[i]).toBeCloseTo(c, 9));
    expect(seedInsideVolume(sampler, [0, 0, zFirst - 0.6])).toBeNull();
    expect(seedInsideVolume(sampler, [0, 0, 0])).toEqual([0, 0, 0]);
  });
});

describe('the lesion is where the user clicked (issue 13)', () => {
  const spec = {
    dimensions: [80, 80, 120] as [number, number, number],
    pixelMm: 0.7,
    sliceSpacingMm: 1.25,
    noiseSigmaHu: 20,
    seed: 5,
    bone: { tiltDeg: 8, outerRadiusMm: 13, corticalThicknessMm: 4 },
    lesion: { axialLengthMm: 20, startAngleDeg: 40, extentDeg: 120, depth: 'full' as const, shape: 'box' as const, centreAlongAxisMm: -25 },
  };
  const { volume, truth } = makeSyntheticCt(spec);
  const along = (tMm: number): [number, number, number] => [0, 1, 2].map((a) => truth.axis.point[a] + tMm * truth.axis.direction[a]) as [number, number, number];

  it('a click on intact shaft 30 mm from a lesion gives null numbers and points to it', () => {
    const r = analyseLesion(volume, along(20));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const a = r.value;
    expect([a.axialLengthMm, a.circumferentialPercent, a.axialPercent, a.involvedRangeMm]).toEqual([null, null, null, null]);
    expect(a.warnings.map((w) => w.code)).toContain('no-involvement-at-seed');
    // The lesion spans t = -35 … -15 from the axis point: 35 mm … 55 mm behind the click.
    expect(a.nearestInvolvement!.distanceMm).toBeGreaterThan(33);
    expect(a.nearestInvolvement!.distanceMm).toBeLessThan(37);
    expect(a.nearestInvolvement!.endMm).toBeLessThan(-33);
  });
  it('a click in the lesion measures it', () => {
    const r = analyseLesion(volume, along(-25));
    expect(r.ok && r.value.axialLengthMm).toBeCloseTo(20, -0.5);
    expect(r.ok && r.value.circumferentialPercent).toBeCloseTo(100 / 3, -1);
  });
});

describe('scan ends (issue 13)', () => {
  it('a lesion that really reaches the scan end keeps lesion-at-scan-end, its length a lower bound', () => {
    // Tilted bone, 30 mm lesion centred 10 mm below the bottom of a 90 mm scan: ~20 mm of it inside.
    const nz = 72;
    const sliceMm = 1.25;
    const bottomZ = -((nz - 1) * sliceMm) / 2;
    const { volume, truth } = makeSyntheticCt({
      dimensions: [80, 80, nz],
      pixelMm: 0.7,
      sliceSpacingMm: sliceMm,
      noiseSigmaHu: 20,
      seed: 11,
      bone: { tiltDeg: 8, outerRadiusMm: 13, corticalThicknessMm: 4 },
      lesion: { axialLengthMm: 30, startAngleDeg: 100, extentDeg: 140, depth: 'full', shape: 'box', centreAlongAxisMm: bottomZ / Math.cos((8 * Math.PI) / 180) + 5 },
    });
    const d = truth.axis.direction;
    const tSeed = (bottomZ + 10) / d[2]; // 10 mm above the bottom slice, inside the lesion
    const r = analyseLesion(volume, [0, 1, 2].map((a) => truth.axis.point[a] + tSeed * d[a]) as [number, number, number]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const a = r.value;
    expect(a.warnings.map((w) => w.code)).toContain('lesion-at-scan-end');
    expect(a.axialLengthMm!).toBeGreaterThan(10);
    expect(a.axialLengthMm!).toBeLessThan(truth.axialLengthMm);
    expect(Math.abs(a.circumferentialPercent! - truth.circumferentialPercent)).toBeLessThan(5);
    expect(a.profile.some((p) => p.notMeasuredReason === 'outside-volume')).toBe(true);
  });
});
