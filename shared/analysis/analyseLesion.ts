/**
 * Assisted cortical analysis from one click (issue 6; definitions: clinical-rules.md §1).
 *
 *   const r = analyseLesion(volume, seedLps, { thresholdHu: 400 });
 *   if (r.ok) r.value.axialLengthMm, r.value.circumferentialPercent, r.value.axialPercent, r.value.profile …
 *
 * Steps:
 * 1. Axis: fitBoneAxis (periosteal circle centres on sections around the seed, line fit, repeat).
 * 2. Walls: on true cross-sections every profileStepMm along the axis, 360 rays find each
 *    angle's periosteal and endosteal surfaces (half-maximum edges).
 * 3. Intact bone: per angle, the periosteal radius is the median over neighbouring sections
 *    and the wall thickness a high quantile of theirs (a lesion only removes bone, so it
 *    cannot pull these), interpolated along the axis.
 * 4. Involvement: on each section, an angle is involved when ≥ half of the intact wall there
 *    is destroyed; circumferential % = involved angles / 360; axial % = destroyed ring area /
 *    intact ring area (both sampled on the intact ring). A ray with nothing below the threshold
 *    is intact; on a ray with destroyed material the cortex left is estimated by mass balance
 *    against the section's intact wall profile (partial-volume correction, see
 *    ANALYSIS_PARAMETERS.partialVolumeCorrection).
 * 5. Length: the run of involved sections containing (or nearest to) the seed, its ends
 *    located to boundaryStepMm; the most affected section is the one with the largest axial %.
 * Errors (a seed outside the volume, a bad threshold) are values; everything the data cannot
 * support comes back as warnings with null numbers rather than a wrong number.
 */
import { appError, err, ok, type Result } from '../errors';
import type { LesionAnalysis, ProfilePoint, SectionPlane, AnalysisWarning, AnalysisWarningCode } from '../schemas/analysis';
import type { Vec3 } from '../schemas/common';
import { fitBoneAxis } from './axis';
import { quantileInPlace } from './fit';
import { ANALYSIS_PARAMETERS as P } from './parameters';
import { findWall, sampleAt, sampleRay, sectionFrame, sectionRays, type SectionFrame } from './rays';
import { makeVoxelSampler, type VoxelSampler } from './sampler';
import type { CtVolume } from './volume';

export const ANALYSIS_METHOD_VERSION = 1;

export interface AnalyseOptions {
  thresholdHu?: number;
  /** Called with 0–1 as the analysis advances (for a progress bar). */
  onProgress?: (fraction: number, phase: 'axis' | 'walls' | 'involvement' | 'done') => void;
  /** Clock for elapsedMs (injected so shared/ does not depend on a host timer). */
  now?: () => number;
}

interface SectionEval {
  circumferentialPercent: number;
  axialPercent: number;
  involved: Uint8Array;
  /** Angles whose destroyed share of the wall is close to the half-wall criterion. */
  borderlineDeg: number;
  measured: boolean;
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
  const seedHu = sampler.at(seed);
  if (Number.isNaN(seedHu)) {
    return err(appError('analysis.seed-outside-volume', `The seed (${seed.map((c) => c.toFixed(1)).join(', ')}) lies outside the volume.`, { field: 'seed' }));
  }

  const warnings: AnalysisWarning[] = [];
  const warn = (code: AnalysisWarningCode, message: string) => warnings.push({ code, message });
  const empty = (): LesionAnalysis => ({
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
    method: methodInfo(),
    elapsedMs: now() - t0,
  });

  // 1. Axis.
  progress(0, 'axis');
  if (seedHu >= thresholdHu) warn('seed-not-in-canal', `The seed is in dense bone (${Math.round(seedHu)} HU ≥ ${thresholdHu} HU); click inside the medullary canal.`);
  const axis = fitBoneAxis(sampler, seed, thresholdHu);
  if (!axis) {
    warn('no-bone-found', 'No tubular bone was found around the seed at this threshold: no measurement.');
    return ok(empty());
  }
  if (axis.seedHitShare < P.minSeedRayHitShare || axis.seedOffsetMm > axis.radiusMm) {
    warn('seed-outside-bone', `The seed does not lie inside a bone's canal (cortex met on ${Math.round(axis.seedHitShare * 100)} % of directions): no measurement.`);
    return ok({ ...empty(), axis: { point: axis.point, direction: axis.direction }, boneRadiusMm: axis.radiusMm });
  }
  if (axis.rmsMm > P.poorFitRmsShare * axis.radiusMm) {
    warn('poor-fit', `The bone's cross-section is far from a ring here (fit residual ${axis.rmsMm.toFixed(1)} mm for a ${axis.radiusMm.toFixed(1)} mm radius): treat the numbers as approximate.`);
  }
  progress(0.15, 'axis');

  const d = axis.direction;
  const at = (t: number): Vec3 => [axis.point[0] + t * d[0], axis.point[1] + t * d[1], axis.point[2] + t * d[2]];

  // 2. Sections: every profileStepMm, walking out from the seed until a section's centre
  //    leaves the volume (or the scan limit).
  const step = P.profileStepMm;
  let mMin = 0;
  while (-(mMin - 1) * step <= P.scanHalfLengthMm && !Number.isNaN(sampler.at(at((mMin - 1) * step)))) mMin--;
  let mMax = 0;
  while ((mMax + 1) * step <= P.scanHalfLengthMm && !Number.isNaN(sampler.at(at((mMax + 1) * step)))) mMax++;
  const M = mMax - mMin + 1;
  const tOf = (m: number) => (m + mMin) * step;
  const tFirst = tOf(0);
  const tLast = tOf(M - 1);

  //    Walls on sparser sections and rays (they only feed the pooled reference).
  const AW = P.wallAngleCount;
  const W = Math.max(2, Math.round((tLast - tFirst) / P.wallSectionStepMm) + 1);
  const wStep = (tLast - tFirst) / (W - 1);
  const rp = new Float32Array(W * AW).fill(Number.NaN);
  const wt = new Float32Array(W * AW).fill(Number.NaN);
  const rayStep = P.rayStepMm;
  const r0 = P.wallSearchStartShare * axis.radiusMm;
  const reach = axis.radiusMm * P.rayReachFactor + 4;
  const nSamples = Math.ceil((reach - r0) / rayStep);
  const buf = new Float32Array(nSamples);
  const gap = Math.max(1, Math.round(P.leaveCortexGapMm / rayStep));
  const maxPeriosteal = axis.radiusMm * 1.5 + 2;
  let maxHu = -Infinity;
  for (let w = 0; w < W; w++) {
    const rays = sectionRays(sampler, sectionFrame(at(tFirst + w * wStep), d), AW);
    for (let a = 0; a < AW; a++) {
      const got = sampleRay(sampler, rays, a, rayStep, nSamples, buf, r0);
      for (let s = 0; s < got; s++) if (buf[s] > maxHu) maxHu = buf[s];
      const wall = findWall(buf, got, rayStep, thresholdHu, gap, P.backgroundOffsetMm);
      if (!wall) continue;
      const outer = r0 + wall.periostealMm;
      const inner = r0 + wall.endostealMm;
      if (outer > maxPeriosteal || !(outer > inner)) continue;
      rp[w * AW + a] = outer;
      wt[w * AW + a] = outer - inner;
    }
    if (w % 8 === 0) progress(0.15 + 0.45 * (w / W), 'walls');
  }
  if (maxHu > P.metalHu) warn('metal', `Metal-like density (${Math.round(maxHu)} HU > ${P.metalHu} HU) near the bone: streaks can fake or hide lysis.`);

  // 3. Intact reference per wall section and angle, from the wall sections within the window.
  const refRp = new Float32Array(W * AW);
  const refW = new Float32Array(W * AW);
  const win = Math.max(1, Math.round(P.referenceHalfWindowMm / wStep));
  const pool = new Float64Array(2 * win + 1);
  const pool2 = new Float64Array(2 * win + 1);
  for (let j = 0; j < W; j++) {
    const lo = Math.max(0, j - win);
    const hi = Math.min(W - 1, j + win);
    for (let a = 0; a < AW; a++) {
      let n = 0;
      for (let m = lo; m <= hi; m++) {
        const r = rp[m * AW + a];
        if (Number.isNaN(r)) continue;
        pool[n] = r;
        pool2[n] = wt[m * AW + a];
        n++;
      }
      // Too few intact sightings of this angle: unknown rather than guessed.
      const enough = n >= Math.max(3, 0.1 * (hi - lo + 1));
      refRp[j * AW + a] = enough ? quantileInPlace(pool, n, 0.5) : Number.NaN;
      refW[j * AW + a] = enough ? quantileInPlace(pool2, n, P.referenceThicknessQuantile) : Number.NaN;
    }
  }
  /** Intact [periosteal radius, wall thickness] at position t for 1° ray a (bilinear in t and angle). */
  const refAt = (t: number, a: number): [number, number] => {
    const wf = Math.min(W - 1, Math.max(0, (t - tFirst) / wStep));
    const j = Math.min(W - 2, Math.floor(wf));
    const f = wf - j;
    const af = (a * AW) / A;
    const a0 = Math.floor(af) % AW;
    const a1 = (a0 + 1) % AW;
    const g = af - Math.floor(af);
    const v = (arr: Float32Array) => {
      const x0 = arr[j * AW + a0] * (1 - g) + arr[j * AW + a1] * g;
      const x1 = arr[(j + 1) * AW + a0] * (1 - g) + arr[(j + 1) * AW + a1] * g;
      return x0 * (1 - f) + x1 * f;
    };
    return [v(refRp), v(refW)];
  };
  progress(0.7, 'involvement');

  // 4. Involvement on a section.
  const WS = P.wallSamples;
  const dTheta = (2 * Math.PI) / A;
  const huBuf = new Float32Array(A * WS);
  const rayMean = new Float32Array(A);
  const evaluate = (t: number): SectionEval => {
    const rays = sectionRays(sampler, sectionFrame(at(t), d), A);
    const involved = new Uint8Array(A);
    const state = new Uint8Array(A); // 0 unknown, 1 intact (no sample below threshold), 2 some below
    // Pass 1: sample every ray across its intact wall.
    for (let a = 0; a < A; a++) {
      const [rpa, wa] = refAt(t, a);
      if (!(rpa > 0) || !(wa > 0)) continue;
      const re = Math.max(0, rpa - wa);
      const dr = (rpa - re) / WS;
      let counted = 0;
      let sum = 0;
      let anyBelow = false;
      for (let s = 0; s < WS; s++) {
        const hu = sampleAt(sampler, rays, a, re + (s + 0.5) * dr);
        huBuf[a * WS + s] = hu;
        if (Number.isNaN(hu)) continue;
        counted++;
        sum += hu;
        if (hu < thresholdHu) anyBelow = true;
      }
      if (counted < WS / 2) continue;
      state[a] = anyBelow ? 2 : 1;
      rayMean[a] = sum / counted;
    }
    // Intact cortex level of this section: median of the intact rays' mean HU.
    const intact: number[] = [];
    for (let a = 0; a < A; a++) if (state[a] === 1) intact.push(rayMean[a]);
    intact.sort((x, y) => x - y);
    const cortexHu = intact.length ? intact[intact.length >> 1] : Number.NaN;
    // Mean HU at each depth across the intact wall (it carries the intact surfaces' blur).
    const intactProfile = new Float64Array(WS);
    let intactRays = 0;
    for (let a = 0; a < A; a++) {
      if (state[a] !== 1) continue;
      let ok = true;
      for (let s = 0; s < WS; s++) if (Number.isNaN(huBuf[a * WS + s])) ok = false;
      if (!ok) continue;
      for (let s = 0; s < WS; s++) intactProfile[s] += huBuf[a * WS + s];
      intactRays++;
    }
    if (intactRays) for (let s = 0; s < WS; s++) intactProfile[s] /= intactRays;
    // Pass 2: classify. On a ray with destroyed material, the boundary between material below
    // the threshold and cortex is placed half-way between their levels (partial volume blurs it
    // symmetrically about that level; a fixed 400 HU cut would shift it into the lesion).
    let unknown = 0;
    let ring = 0;
    let destroyed = 0;
    let borderline = 0;
    for (let a = 0; a < A; a++) {
      if (state[a] === 0) {
        unknown++;
        continue;
      }
      const [rpa, wa] = refAt(t, a);
      const re = Math.max(0, rpa - wa);
      const dr = (rpa - re) / WS;
      let level = thresholdHu;
      if (state[a] === 2 && P.partialVolumeCorrection && cortexHu > thresholdHu) {
        let low = Infinity;
        for (let s = 0; s < WS; s++) {
          const hu = huBuf[a * WS + s];
          if (hu < low) low = hu;
        }
        level = Math.max(thresholdHu, (Math.min(low, thresholdHu) + cortexHu) / 2);
      }
      if (state[a] === 2 && P.partialVolumeCorrection && intactRays >= P.minIntactRaysForMass && cortexHu > thresholdHu) {
        // Mass balance: the cortex left at each depth is (HU − lesion HU) / (intact HU − lesion
        // HU) at that depth, which blur does not change on average, so a remnant thinner than a
        // pixel still counts for what it is.
        // Lesion level: median of this ray's samples below the threshold (robust to noise, unlike
        // their minimum, which would bias every destroyed sample towards "some cortex left").
        const lows: number[] = [];
        for (let s = 0; s < WS; s++) if (huBuf[a * WS + s] < thresholdHu) lows.push(huBuf[a * WS + s]);
        lows.sort((x, y) => x - y);
        const lesionHu = lows[lows.length >> 1];
        let counted = 0;
        let left = 0;
        let areaAll = 0;
        let areaLeft = 0;
        for (let s = 0; s < WS; s++) {
          const hu = huBuf[a * WS + s];
          if (Number.isNaN(hu)) continue;
          const r = re + (s + 0.5) * dr;
          const span = intactProfile[s] - lesionHu;
          const w = span > 1 ? Math.min(1, Math.max(0, (hu - lesionHu) / span)) : hu >= thresholdHu ? 1 : 0;
          counted++;
          left += w;
          areaAll += r;
          areaLeft += w * r;
        }
        ring += areaAll * dr * dTheta;
        destroyed += (areaAll - areaLeft) * dr * dTheta;
        const fraction = 1 - left / counted;
        if (fraction >= P.involvedWallFraction) involved[a] = 1;
        if (Math.abs(fraction - P.involvedWallFraction) <= P.borderlineWallMargin) borderline++;
        continue;
      }
      let below = 0;
      let counted = 0;
      let areaBelow = 0;
      let areaAll = 0;
      const edge = P.partialVolumeEdgeSamples;
      for (let s = 0; s < WS; s++) {
        const hu = huBuf[a * WS + s];
        if (Number.isNaN(hu)) continue;
        const r = re + (s + 0.5) * dr;
        counted++;
        areaAll += r;
        // Next to the intact ring's own surfaces the blur is that of the ring, not of the lesion.
        const cut = s < edge || s >= WS - edge ? thresholdHu : level;
        if (hu < cut) {
          below++;
          areaBelow += r;
        }
      }
      ring += areaAll * dr * dTheta;
      destroyed += areaBelow * dr * dTheta;
      const fraction = below / counted;
      if (fraction >= P.involvedWallFraction) involved[a] = 1;
      if (Math.abs(fraction - P.involvedWallFraction) <= P.borderlineWallMargin) borderline++;
    }
    dropShortRuns(involved, Math.ceil(P.minInvolvedArcDeg / (360 / A)));
    let count = 0;
    for (let a = 0; a < A; a++) count += involved[a];
    const measured = unknown <= P.maxUnknownAngleShare * A && ring > 0;
    return {
      circumferentialPercent: measured ? (100 * count) / A : 0,
      axialPercent: measured ? (100 * destroyed) / ring : 0,
      involved,
      borderlineDeg: (borderline * 360) / A,
      measured,
    };
  };

  // Sections are evaluated lazily, outward from the seed, and only as far as the bone can be
  // measured (see step 5): beyond that nothing is computed.
  const computed: Array<SectionEval | undefined> = new Array(M);
  let evaluatedCount = 0;
  const get = (m: number): SectionEval => {
    let e = computed[m];
    if (!e) {
      e = evaluate(tOf(m));
      computed[m] = e;
      if (++evaluatedCount % 16 === 0) progress(Math.min(0.95, 0.7 + 0.25 * (evaluatedCount / M)), 'involvement');
    }
    return e;
  };
  const unmeasured: SectionEval = { circumferentialPercent: 0, axialPercent: 0, involved: new Uint8Array(A), borderlineDeg: 0, measured: false };

  // Intact cortex summary (median reference thickness round the bone at the seed's level).
  const jSeed = Math.min(W - 1, Math.max(0, Math.round(-tFirst / wStep)));
  const wSeed = Array.from(refW.subarray(jSeed * AW, (jSeed + 1) * AW)).filter((w) => w > 0).sort((a, b) => a - b);
  const corticalThicknessMm = wSeed.length ? wSeed[Math.floor(wSeed.length / 2)] : null;
  const pixelMm = Math.max(volume.spacing[0], volume.spacing[1]);
  if (corticalThicknessMm !== null && corticalThicknessMm < P.thinCortexPixels * pixelMm) {
    warn('cortex-thin', `The cortex is ${corticalThicknessMm.toFixed(1)} mm thick, under ${P.thinCortexPixels} pixels (${(P.thinCortexPixels * pixelMm).toFixed(1)} mm): partial volume makes the percentages unreliable.`);
  }

  // 5. The run of involved sections at (or nearest to) the seed; gaps of one section are bridged.
  //    Only the stretch of measured sections around the seed counts: beyond it the straight
  //    axis has left the bone (curved bone, bone end) or the volume.
  const mSeed = -mMin;
  let sLo = mSeed;
  let sHi = mSeed;
  const bridge = Math.round(P.maxUnmeasuredGapMm / step);
  const extend = (from: number, dir: 1 | -1) => {
    let last = from;
    for (let m = from + dir; m >= 0 && m < M; m += dir) {
      if (get(m).measured) last = m;
      else if (Math.abs(m - last) > bridge) break;
    }
    return last;
  };
  let seedMeasured = false;
  for (let m = Math.max(0, mSeed - bridge); m <= Math.min(M - 1, mSeed + bridge) && !seedMeasured; m++) seedMeasured = get(m).measured;
  if (seedMeasured) {
    sLo = extend(mSeed, -1);
    sHi = extend(mSeed, 1);
  }
  const evals: SectionEval[] = Array.from({ length: M }, (_, m) => computed[m] ?? unmeasured);
  const profile: ProfilePoint[] = evals.map((e, m) => ({
    positionMm: round(tOf(m), 3),
    circumferentialPercent: round(e.circumferentialPercent, 2),
    axialPercent: round(e.axialPercent, 2),
    measured: e.measured,
  }));
  const inv = evals.map((e, m) => m >= sLo && m <= sHi && e.measured && e.circumferentialPercent > 0);
  const runs: Array<[number, number]> = [];
  for (let m = 0; m < M; m++) {
    if (!inv[m]) continue;
    const last = runs[runs.length - 1];
    if (last && m - last[1] <= 2) last[1] = m;
    else runs.push([m, m]);
  }
  const base = {
    ...empty(),
    profile,
    axis: { point: axis.point, direction: axis.direction },
    boneRadiusMm: round(axis.radiusMm, 2),
    corticalThicknessMm: corticalThicknessMm === null ? null : round(corticalThicknessMm, 2),
  };
  if (!seedMeasured) {
    warn('bone-not-followed', `The bone could not be measured on the cross-sections around the seed (cortex not found all round: a small or curved bone such as a rib, or a seed off the bone). No measurement; measure by hand.`);
    progress(1, 'done');
    return ok({ ...base, warnings, elapsedMs: now() - t0 });
  }
  const measuredCount = evals.filter((e, m) => m >= sLo && m <= sHi && e.measured).length;
  const involvedCount = inv.filter(Boolean).length;
  if (measuredCount >= 10 && involvedCount > P.maxInvolvedSectionShare * measuredCount) {
    warn('no-intact-reference', `${involvedCount} of ${measuredCount} analysed sections look involved: there is no intact bone to compare with (not a long bone, or a diffuse process). No measurement; measure by hand.`);
    progress(1, 'done');
    return ok({ ...base, warnings, elapsedMs: now() - t0 });
  }
  /** The section drawn for the user: its plane, numbers, involved arcs and intact ring. */
  const describeSection = (tSection: number, e: SectionEval): NonNullable<LesionAnalysis['mostAffectedSection']> => {
    const radiusStepDeg = 5;
    const periostealRadiusMm: Array<number | null> = [];
    const endostealRadiusMm: Array<number | null> = [];
    for (let a = 0; a < A; a += radiusStepDeg * (A / 360)) {
      const [r, w] = refAt(tSection, a);
      periostealRadiusMm.push(r > 0 ? round(r, 2) : null);
      endostealRadiusMm.push(r > 0 && w > 0 ? round(Math.max(0, r - w), 2) : null);
    }
    return {
      ...plane(sectionFrame(at(tSection), d), tSection),
      circumferentialPercent: round(e.circumferentialPercent, 2),
      axialPercent: round(e.axialPercent, 2),
      involvedArcs: arcsOf(e.involved),
      radiusStepDeg,
      periostealRadiusMm,
      endostealRadiusMm,
    };
  };
  if (runs.length === 0) {
    // No angle has lost half its wall: length and circumferential involvement are 0, but bone
    // may still be destroyed (endosteal scalloping): axial % is the largest destroyed share of
    // the ring over the measured bone (§1 defines it on the most affected section).
    let mMax = mSeed;
    for (let m = sLo; m <= sHi; m++) if (evals[m].measured && evals[m].axialPercent > evals[mMax].axialPercent) mMax = m;
    warn('no-involvement', `No cortical involvement (half the wall or more destroyed) at ${thresholdHu} HU along the ${round(tOf(sHi) - tOf(sLo), 0)} mm of bone measured around the seed.`);
    progress(1, 'done');
    return ok({
      ...base,
      axialLengthMm: 0,
      circumferentialPercent: 0,
      axialPercent: round(evals[mMax].axialPercent, 2),
      mostAffectedSection: describeSection(tOf(mMax), evals[mMax]),
      warnings,
      elapsedMs: now() - t0,
    });
  }
  const distance = (r: [number, number]) => (mSeed < r[0] ? r[0] - mSeed : mSeed > r[1] ? mSeed - r[1] : 0);
  const run = runs.reduce((best, r) => (distance(r) < distance(best) ? r : best));

  const isInvolved = (t: number) => {
    const e = evaluate(t);
    return e.measured && e.circumferentialPercent > 0;
  };
  const refine = (inside: number, outside: number): number => {
    // Walk from the involved section towards the uninvolved one in boundary steps.
    const dir = Math.sign(outside - inside);
    let last = inside;
    for (let t = inside + dir * P.boundaryStepMm; dir * (outside - t) > 1e-9; t += dir * P.boundaryStepMm) {
      if (!isInvolved(t)) break;
      last = t;
    }
    return last;
  };
  const atStart = run[0] === sLo;
  const atEnd = run[1] === sHi;
  const startMm = atStart ? tOf(run[0]) : refine(tOf(run[0]), tOf(run[0] - 1));
  const endMm = atEnd ? tOf(run[1]) : refine(tOf(run[1]), tOf(run[1] + 1));
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

  // Most affected: the largest axial %; among sections within mostAffectedTiePercent of it
  // (a uniform lesion, noise) the one nearest the middle of the involvement, not an edge.
  let maxAxial = 0;
  for (let m = run[0]; m <= run[1]; m++) maxAxial = Math.max(maxAxial, evals[m].axialPercent);
  const middle = (run[0] + run[1]) / 2;
  let mBest = run[0];
  for (let m = run[0]; m <= run[1]; m++) {
    if (evals[m].axialPercent < maxAxial - P.mostAffectedTiePercent) continue;
    if (evals[mBest].axialPercent < maxAxial - P.mostAffectedTiePercent || Math.abs(m - middle) < Math.abs(mBest - middle)) mBest = m;
  }
  const best = evals[mBest];
  const tBest = tOf(mBest);
  if (best.borderlineDeg >= P.borderlineWarningDeg && best.borderlineDeg >= P.borderlineWarningShare * ((best.circumferentialPercent / 100) * 360)) {
    warn('borderline-involvement', `Over ${Math.round(best.borderlineDeg)}° of the most affected section the lesion destroys about half of the wall (${Math.round(100 * (P.involvedWallFraction - P.borderlineWallMargin))}–${Math.round(100 * (P.involvedWallFraction + P.borderlineWallMargin))} %): whether that counts as involvement depends on the threshold and partial volume, so the circumferential % and the length are uncertain there.`);
  }
  progress(1, 'done');
  return ok({
    ...base,
    axialLengthMm: round(axialLengthMm, 2),
    circumferentialPercent: round(best.circumferentialPercent, 2),
    axialPercent: round(best.axialPercent, 2),
    involvedRangeMm: { startMm: round(startMm, 2), endMm: round(endMm, 2) },
    mostAffectedSection: describeSection(tBest, best),
    endSections: [plane(sectionFrame(at(startMm), d), startMm), plane(sectionFrame(at(endMm), d), endMm)],
    warnings,
    elapsedMs: now() - t0,
  });
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

/** Maximal runs of set rays around the circle ({start, len}; a run may wrap past ray 0), or null when every ray is set. */
function circularRuns(mask: Uint8Array): Array<{ start: number; len: number }> | null {
  const n = mask.length;
  const firstClear = mask.indexOf(0);
  if (firstClear < 0) return null;
  const runs: Array<{ start: number; len: number }> = [];
  let a = 1;
  while (a <= n) {
    const k = (firstClear + a) % n;
    if (!mask[k]) {
      a++;
      continue;
    }
    let len = 0;
    while (len < n && mask[(k + len) % n]) len++;
    runs.push({ start: k, len });
    a += len;
  }
  return runs;
}

/** Clears circular runs of involved angles shorter than minLen. */
export function dropShortRuns(mask: Uint8Array, minLen: number): void {
  const n = mask.length;
  for (const { start, len } of circularRuns(mask) ?? []) {
    if (len < minLen) for (let j = 0; j < len; j++) mask[(start + j) % n] = 0;
  }
}

/** Involved runs as arcs (degrees, counter-clockwise from u towards v; one arc may cross 0°). */
export function arcsOf(mask: Uint8Array): Array<{ startDeg: number; sweepDeg: number }> {
  const w = 360 / mask.length;
  const runs = circularRuns(mask);
  if (!runs) return [{ startDeg: 0, sweepDeg: 360 }];
  // Ray k stands for the sector [k·w − w/2, k·w + w/2].
  return runs.map(({ start, len }) => ({ startDeg: (((start - 0.5) * w) % 360 + 360) % 360, sweepDeg: len * w }));
}
