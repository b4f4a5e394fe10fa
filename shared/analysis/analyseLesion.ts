/**
 * Assisted cortical analysis from one click (issues 6 and 13; definitions: clinical-rules.md §1).
 *
 *   const r = analyseLesion(volume, seedLps, { thresholdHu: 400 });
 *   if (r.ok) r.value.axialLengthMm, r.value.circumferentialPercent, r.value.axialPercent, r.value.profile …
 *
 * The pipeline, one module a step:
 * 1. axis        fitBoneAxis (axis.ts): periosteal circle centres around the seed, line fit, repeat.
 * 2. sections    sectionGrid (sections.ts): true cross-sections every profileStepMm along the axis.
 * 3. walls       measureWalls (walls.ts): periosteal radius and wall thickness on sparse sections.
 * 4. reference   intactReference (intactReference.ts): the intact wall per position and angle,
 *                following the bone's own trend along the axis.
 * 5. involvement evaluateSection (involvement.ts): involved angles, circumferential % and axial %
 *                of a section; sections partly outside the volume are not measured.
 * 6. length      lesionRun.ts: the measured stretch around the seed, the run of involved sections
 *                *at the clicked level* (never a far one), its ends to boundaryStepMm, the most
 *                affected section.
 * Errors (a seed outside the volume, a bad threshold) are values; everything the data cannot
 * support comes back as warnings with null numbers rather than a wrong number.
 */
import { appError, err, ok, type Result } from '../errors';
import type { AnalysisWarning, AnalysisWarningCode, DensityRelation, LesionAnalysis, ProfilePoint, Rigidity, SectionPlane } from '../schemas/analysis';
import type { Vec3 } from '../schemas/common';
import { arcsOf } from './arcs';
import { addContralateral, boneRigidity, resolveDensityRelation, rigidityNotComputed } from './boneRigidity';
import { fitBoneAxis } from './axis';
import { intactReference, type IntactReference } from './intactReference';
import { evaluateSection, UNMEASURED, type SectionEval } from './involvement';
import { distanceToRun, extendRun, involvedRuns, measuredStretch, mostAffectedIndex, refineEnd, runAtSeed, runPeakPercent, type Run } from './lesionRun';
import { ANALYSIS_PARAMETERS as P, RIGIDITY_PARAMETERS } from './parameters';
import { sectionFrame, type SectionFrame } from './rays';
import { makeVoxelSampler, type VoxelSampler } from './sampler';
import { pointOnAxis, sectionGrid, type AxisLine } from './sections';
import type { CtVolume } from './volume';
import { measureWalls } from './walls';

export const ANALYSIS_METHOD_VERSION = 2;

export interface AnalyseOptions {
  thresholdHu?: number;
  /** Called with 0–1 as the analysis advances (for a progress bar). */
  onProgress?: (fraction: number, phase: 'axis' | 'walls' | 'involvement' | 'done') => void;
  /** Clock for elapsedMs (injected so shared/ does not depend on a host timer). */
  now?: () => number;
  /**
   * CT-based structural rigidity along the bone (issue 18, informational): the density relation
   * (defaults: RIGIDITY_PARAMETERS) and, optionally, a click in the other side's bone as a
   * contralateral reference.
   */
  rigidity?: boolean | { densityRelation?: Partial<DensityRelation>; contralateralSeed?: Vec3 };
}

const A = P.angleCount;

export function analyseLesion(volume: CtVolume, seed: Vec3, options: AnalyseOptions = {}): Result<LesionAnalysis> {
  const now = options.now ?? (() => (typeof performance !== 'undefined' ? performance.now() : Date.now()));
  const t0 = now();
  const thresholdHu = options.thresholdHu ?? P.defaultThresholdHu;
  const progress = options.onProgress ?? (() => {});
  if (!Number.isFinite(thresholdHu) || thresholdHu < -1000 || thresholdHu > 3000) {
    return err(appError('analysis.threshold', `The cortical threshold must be a number of HU between -1000 and 3000 (got ${thresholdHu}).`, { field: 'thresholdHu' }));
  }
  if (!seed.every(Number.isFinite)) return err(appError('analysis.seed', 'The seed must be three finite coordinates (LPS mm).', { field: 'seed' }));
  const expected = volume.dimensions[0] * volume.dimensions[1] * volume.dimensions[2];
  if (volume.hu.length !== expected || volume.dimensions.some((n) => n < 2)) {
    return err(appError('analysis.volume', `The volume needs at least 2 voxels per axis and ${expected} HU values (got ${volume.hu.length}).`, { field: 'volume' }));
  }
  let sampler: VoxelSampler;
  try {
    sampler = makeVoxelSampler(volume);
  } catch {
    return err(appError('analysis.volume', 'The volume geometry (direction / spacing) is degenerate.', { field: 'volume' }));
  }
  const start = seedInsideVolume(sampler, seed);
  if (!start) {
    return err(appError('analysis.seed-outside-volume', `The seed (${seed.map((c) => c.toFixed(1)).join(', ')}) lies outside the volume.`, { field: 'seed' }));
  }
  const seedHu = sampler.at(start);

  const warnings: AnalysisWarning[] = [];
  const warn = (code: AnalysisWarningCode, message: string) => warnings.push({ code, message });
  const rigidityOptions = options.rigidity === true ? {} : options.rigidity || null;
  const relation = rigidityOptions ? resolveDensityRelation(rigidityOptions.densityRelation) : null;
  let rigidityInput: Omit<Parameters<typeof boneRigidity>[0], 'lesional'> | null = null;
  /** Rigidity of the lesional sections `lesional` (issue 18), when asked for. */
  const rigidityFor = (lesional: Run | null): { rigidity?: Rigidity } => {
    if (!relation) return {};
    // Without measured bone the analysis' own reason is the rigidity's (e.g. a vertebra: not a long bone).
    const why = warnings.find((w) => w.code !== 'seed-not-in-canal' && w.code !== 'poor-fit' && w.code !== 'metal' && w.code !== 'cortex-thin');
    const r = lesional && rigidityInput ? boneRigidity({ ...rigidityInput, lesional }) : rigidityNotComputed(relation, why ? why.message : 'the cortical analysis measured no bone here.');
    const other = rigidityOptions?.contralateralSeed;
    if (other && lesional) {
      const c = analyseLesion(volume, other, { thresholdHu, rigidity: { densityRelation: relation } });
      if (c.ok && c.value.rigidity) addContralateral(r, c.value.rigidity, other);
      else r.warnings.push({ code: 'rigidity-contralateral', message: 'The contralateral click is not in a measurable bone: no contralateral reference.' });
    }
    return { rigidity: r };
  };
  const result = (fields: Partial<LesionAnalysis>): Result<LesionAnalysis> => {
    progress(1, 'done');
    return ok({
      ...rigidityFor(null),
      axialLengthMm: null,
      circumferentialPercent: null,
      axialPercent: null,
      profile: [],
      axis: null,
      thresholdHu,
      warnings,
      seed,
      involvedRangeMm: null,
      mostAffectedSection: null,
      endSections: [],
      boneRadiusMm: null,
      corticalThicknessMm: null,
      nearestInvolvement: null,
      method: methodInfo(),
      ...fields,
      elapsedMs: now() - t0,
    });
  };

  // 1. Axis.
  progress(0, 'axis');
  if (seedHu >= thresholdHu) warn('seed-not-in-canal', `The seed is in dense bone (${Math.round(seedHu)} HU ≥ ${thresholdHu} HU); click inside the medullary canal.`);
  const fit = fitBoneAxis(sampler, start, thresholdHu);
  if (!fit) {
    warn('no-bone-found', 'No tubular bone was found around the seed at this threshold: no measurement.');
    return result({});
  }
  const axis: AxisLine = { point: fit.point, direction: fit.direction };
  if (fit.seedHitShare < P.minSeedRayHitShare || fit.seedOffsetMm > fit.radiusMm) {
    warn('seed-outside-bone', `The seed does not lie inside a bone's canal (cortex met on ${Math.round(fit.seedHitShare * 100)} % of directions): no measurement.`);
    return result({ axis, boneRadiusMm: fit.radiusMm });
  }
  if (fit.rmsMm > P.poorFitRmsShare * fit.radiusMm) {
    warn('poor-fit', `The bone's cross-section is far from a ring here (fit residual ${fit.rmsMm.toFixed(1)} mm for a ${fit.radiusMm.toFixed(1)} mm radius): treat the numbers as approximate.`);
  }
  progress(0.15, 'axis');

  // 2–4. Sections, walls, intact reference.
  const grid = sectionGrid(sampler, axis);
  const { count: M, seedIndex: mSeed, tOf } = grid;
  const walls = measureWalls(sampler, axis, { fromMm: tOf(0), toMm: tOf(M - 1) }, fit.radiusMm, thresholdHu, (f) => progress(0.15 + 0.45 * f, 'walls'));
  if (walls.maxHu > P.metalHu) warn('metal', `Metal-like density (${Math.round(walls.maxHu)} HU > ${P.metalHu} HU) near the bone: streaks can fake or hide lysis.`);
  const reference = intactReference(walls);
  progress(0.7, 'involvement');

  // 5. Involvement, evaluated lazily outward from the seed and only as far as the bone can be measured.
  const computed: Array<SectionEval | undefined> = new Array(M);
  let evaluatedCount = 0;
  const get = (m: number): SectionEval => {
    let e = computed[m];
    if (!e) {
      e = evaluateSection(sampler, axis, reference, tOf(m), thresholdHu);
      computed[m] = e;
      if (++evaluatedCount % 16 === 0) progress(Math.min(0.95, 0.7 + 0.25 * (evaluatedCount / M)), 'involvement');
    }
    return e;
  };

  const corticalThicknessMm = reference.medianThicknessAt(0);
  const pixelMm = Math.max(volume.spacing[0], volume.spacing[1]);
  if (corticalThicknessMm !== null && corticalThicknessMm < P.thinCortexPixels * pixelMm) {
    warn('cortex-thin', `The cortex is ${corticalThicknessMm.toFixed(1)} mm thick, under ${P.thinCortexPixels} pixels (${(P.thinCortexPixels * pixelMm).toFixed(1)} mm): partial volume makes the percentages unreliable.`);
  }

  // 6. The measured stretch, the run at the clicked level, its length.
  const bridge = Math.round(P.maxUnmeasuredGapMm / grid.stepMm);
  const stretch = measuredStretch(get, mSeed, M, bridge);
  const evals: SectionEval[] = Array.from({ length: M }, (_, m) => computed[m] ?? UNMEASURED);
  const profile: ProfilePoint[] = evals.map((e, m) => ({
    positionMm: round(tOf(m), 3),
    circumferentialPercent: round(e.circumferentialPercent, 2),
    axialPercent: round(e.axialPercent, 2),
    measured: e.measured,
    notMeasuredReason: e.measured ? null : computed[m] ? e.notMeasured : 'not-analysed',
  }));
  const base: Partial<LesionAnalysis> = {
    profile,
    axis,
    boneRadiusMm: round(fit.radiusMm, 2),
    corticalThicknessMm: corticalThicknessMm === null ? null : round(corticalThicknessMm, 2),
  };
  const at = (t: number) => pointOnAxis(axis, t);
  if (!stretch) {
    const outside = evals.slice(Math.max(0, mSeed - bridge), mSeed + bridge + 1).some((e) => e.notMeasured === 'outside-volume');
    warn(
      'bone-not-followed',
      outside
        ? 'The cross-sections around the seed reach beyond the volume (the bone leaves the scan here): no measurement; click a level where the whole bone is in the scan.'
        : 'The bone could not be measured on the cross-sections around the seed (cortex not found all round: a small or curved bone such as a rib, or a seed off the bone). No measurement; measure by hand.',
    );
    return result(base);
  }
  const { lo: sLo, hi: sHi } = stretch;
  const stretchMm = tOf(sHi) - tOf(sLo);
  if (stretchMm < P.minMeasuredStretchMm) {
    warn(
      'bone-not-followed',
      `Only ${round(stretchMm, 0)} mm of bone could be measured around the seed (at least ${P.minMeasuredStretchMm} mm are needed to know the intact bone): a flat, curved or short bone, or the end of the scan. No measurement; measure by hand.`,
    );
    return result(base);
  }
  const runs = involvedRuns(evals, sLo, sHi);
  const measuredCount = evals.filter((e, m) => m >= sLo && m <= sHi && e.measured).length;
  const involvedCount = runs.reduce((n, r) => n + evals.slice(r[0], r[1] + 1).filter((e) => e.measured && e.circumferentialPercent > 0).length, 0);
  if (measuredCount >= 10 && involvedCount > P.maxInvolvedSectionShare * measuredCount) {
    warn('no-intact-reference', `${involvedCount} of ${measuredCount} analysed sections look involved: there is no intact bone to compare with (not a long bone, or a diffuse process). No measurement; measure by hand.`);
    return result(base);
  }
  const describeSection = (tSection: number, e: SectionEval) => describe(reference, axis, tSection, e);
  // Each run with its tapering ends (sections still at runEdgeShare of its peak, or runEdgePercent).
  const edgePercent = (r: Run) => Math.min(P.runEdgePercent, P.runEdgeShare * runPeakPercent(r, evals));
  const fullRuns = runs.map((r) => extendRun(r, evals, sLo, sHi, edgePercent(r)));
  const { run, nearest } = runAtSeed(fullRuns, mSeed, Math.round(P.seedRunToleranceMm / grid.stepMm));
  if (relation) rigidityInput = { sampler, axis, reference, grid, evals, stretch, runs: fullRuns, relation };
  const click = Math.round(RIGIDITY_PARAMETERS.clickHalfWidthMm / grid.stepMm);
  const atClick: Run = [Math.max(sLo, mSeed - click), Math.min(sHi, mSeed + click)];
  if (!run && nearest) {
    // Something looks involved elsewhere, not where the user clicked: point to it, never measure it.
    const distanceMm = round(distanceToRun(nearest, mSeed) * grid.stepMm, 1);
    const side = nearest[0] > mSeed ? 'along' : 'against';
    warn(
      'no-involvement-at-seed',
      `No cortical involvement at the clicked level. Possible involvement ${distanceMm} mm away (${side} the axis direction, ${round(tOf(nearest[0]), 0)} to ${round(tOf(nearest[1]), 0)} mm): click there to analyse it.`,
    );
    return result({ ...base, nearestInvolvement: { startMm: round(tOf(nearest[0]), 2), endMm: round(tOf(nearest[1]), 2), distanceMm }, ...rigidityFor(atClick) });
  }
  if (!run) {
    // No angle has lost half its wall: length and circumferential involvement are 0, but bone
    // may still be destroyed (endosteal scalloping): axial % is the largest destroyed share of
    // the ring near the clicked level (§1 defines it on the most affected section).
    const window = Math.round(P.clickWindowMm / grid.stepMm);
    let mMax = mSeed;
    for (let m = Math.max(sLo, mSeed - window); m <= Math.min(sHi, mSeed + window); m++) {
      if (evals[m].measured && (!evals[mMax].measured || evals[m].axialPercent > evals[mMax].axialPercent)) mMax = m;
    }
    warn('no-involvement', `No cortical involvement (half the wall or more destroyed) at ${thresholdHu} HU along the ${round(tOf(sHi) - tOf(sLo), 0)} mm of bone measured around the seed.`);
    return result({
      ...base,
      axialLengthMm: 0,
      circumferentialPercent: 0,
      axialPercent: round(evals[mMax].axialPercent, 2),
      mostAffectedSection: describeSection(tOf(mMax), evals[mMax]),
      ...rigidityFor(atClick),
    });
  }

  const minEdgePercent = edgePercent(run);
  const isInvolved = (t: number) => {
    const e = evaluateSection(sampler, axis, reference, t, thresholdHu);
    return e.measured && e.circumferentialPercent > 0 && e.circumferentialPercent >= minEdgePercent;
  };
  const atStart = run[0] === sLo;
  const atEnd = run[1] === sHi;
  const startMm = atStart ? tOf(run[0]) : refineEnd(isInvolved, tOf(run[0]), tOf(run[0] - 1));
  const endMm = atEnd ? tOf(run[1]) : refineEnd(isInvolved, tOf(run[1]), tOf(run[1] + 1));
  if (atStart || atEnd) {
    warn('lesion-at-scan-end', 'The involvement reaches the end of the bone that could be measured (volume edge, scan limit, or where the bone leaves the straight axis): the axial length is a lower bound.');
  }
  const axialLengthMm = endMm - startMm;
  if (axialLengthMm > P.referenceWindowWarningShare * 2 * P.referenceHalfWindowMm) {
    warn('reference-window-short', `The involvement (${axialLengthMm.toFixed(0)} mm) covers most of the ${2 * P.referenceHalfWindowMm} mm used to estimate the intact bone: the intact wall may be underestimated.`);
  }
  const sliceMm = Math.abs(volume.spacing[2]);
  if (sliceMm >= axialLengthMm) {
    warn('slices-thicker-than-lesion', `The slices (${sliceMm.toFixed(2)} mm) are as thick as the involvement (${axialLengthMm.toFixed(1)} mm): the length and percentages cannot be trusted.`);
  }
  const mBest = mostAffectedIndex(evals, run);
  const best = evals[mBest];
  if (best.borderlineDeg >= P.borderlineWarningDeg && best.borderlineDeg >= P.borderlineWarningShare * ((best.circumferentialPercent / 100) * 360)) {
    warn('borderline-involvement', `Over ${Math.round(best.borderlineDeg)}° of the most affected section the lesion destroys about half of the wall (${Math.round(100 * (P.involvedWallFraction - P.borderlineWallMargin))}–${Math.round(100 * (P.involvedWallFraction + P.borderlineWallMargin))} %): whether that counts as involvement depends on the threshold and partial volume, so the circumferential % and the length are uncertain there.`);
  }
  return result({
    ...base,
    axialLengthMm: round(axialLengthMm, 2),
    circumferentialPercent: round(best.circumferentialPercent, 2),
    axialPercent: round(best.axialPercent, 2),
    involvedRangeMm: { startMm: round(startMm, 2), endMm: round(endMm, 2) },
    mostAffectedSection: describeSection(tOf(mBest), best),
    endSections: [plane(sectionFrame(at(startMm), axis.direction), startMm), plane(sectionFrame(at(endMm), axis.direction), endMm)],
    ...rigidityFor(run),
  });
}

/**
 * The seed as a point inside the volume. A click on the first or last slice (or column, row)
 * may lie up to half a voxel beyond the outermost voxel centres — inside the voxel the viewer
 * shows — so it is moved onto them; anything further out is outside.
 */
export function seedInsideVolume(sampler: VoxelSampler, seed: Vec3): Vec3 | null {
  const v = sampler.toVoxel(seed);
  const dims = sampler.volume.dimensions;
  const clamped: number[] = [];
  for (let i = 0; i < 3; i++) {
    if (!(v[i] >= -0.5 && v[i] <= dims[i] - 0.5)) return null;
    clamped.push(Math.min(dims[i] - 1, Math.max(0, v[i])));
  }
  if (clamped.every((c, i) => c === v[i])) return seed;
  const { origin: o, spacing: s, direction: d } = sampler.volume;
  return [0, 1, 2].map((r) => o[r] + clamped[0] * s[0] * d[r] + clamped[1] * s[1] * d[3 + r] + clamped[2] * s[2] * d[6 + r]) as Vec3;
}

/** The section drawn for the user: its plane, numbers, involved arcs and intact ring. */
function describe(reference: IntactReference, axis: AxisLine, tSection: number, e: SectionEval): NonNullable<LesionAnalysis['mostAffectedSection']> {
  const radiusStepDeg = 5;
  const periostealRadiusMm: Array<number | null> = [];
  const endostealRadiusMm: Array<number | null> = [];
  for (let a = 0; a < A; a += radiusStepDeg * (A / 360)) {
    const [r, w] = reference.at(tSection, a, A);
    periostealRadiusMm.push(r > 0 ? round(r, 2) : null);
    endostealRadiusMm.push(r > 0 && w > 0 ? round(Math.max(0, r - w), 2) : null);
  }
  return {
    ...plane(sectionFrame(pointOnAxis(axis, tSection), axis.direction), tSection),
    circumferentialPercent: round(e.circumferentialPercent, 2),
    axialPercent: round(e.axialPercent, 2),
    involvedArcs: arcsOf(e.involved),
    radiusStepDeg,
    periostealRadiusMm,
    endostealRadiusMm,
  };
}

function methodInfo(): LesionAnalysis['method'] {
  return {
    name: 'frw-cortical-profile',
    version: ANALYSIS_METHOD_VERSION,
    angleStepDeg: 360 / A,
    profileStepMm: P.profileStepMm,
    boundaryStepMm: P.boundaryStepMm,
    referenceHalfWindowMm: P.referenceHalfWindowMm,
  };
}

function plane(f: SectionFrame, positionMm: number): SectionPlane {
  const r3 = (v: Vec3): Vec3 => [round(v[0], 4), round(v[1], 4), round(v[2], 4)];
  return { positionMm: round(positionMm, 2), origin: r3(f.origin), normal: r3(f.normal), u: r3(f.u), v: r3(f.v) };
}

function round(x: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}
