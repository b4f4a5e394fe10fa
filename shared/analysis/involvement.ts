import type { ProfilePoint } from '../schemas/analysis';
import { dropShortRuns, longestRun } from './arcs';
import type { IntactReference } from './intactReference';
import { ANALYSIS_PARAMETERS as P } from './parameters';
import { findWall, sampleAt, sampleRay, sectionFrame, sectionRays, type SectionRays } from './rays';
import type { VoxelSampler } from './sampler';
import { pointOnAxis, type AxisLine } from './sections';

/** Why an evaluated section has no numbers: part of its intact ring lies outside the volume, or too many angles have no intact reference. */
export type NotMeasuredReason = Exclude<NonNullable<ProfilePoint['notMeasuredReason']>, 'not-analysed'>;

export interface SectionEval {
  circumferentialPercent: number;
  axialPercent: number;
  /** 1 per involved 1° ray. */
  involved: Uint8Array;
  /** Whether an involved arc is at least minLesionArcDeg wide (a run needs one such section). */
  lesionArc: boolean;
  /** Angles whose destroyed share of the wall is close to the half-wall criterion. */
  borderlineDeg: number;
  measured: boolean;
  notMeasured: NotMeasuredReason | null;
}

export const UNMEASURED: SectionEval = Object.freeze({
  circumferentialPercent: 0,
  axialPercent: 0,
  involved: new Uint8Array(P.angleCount),
  lesionArc: false,
  borderlineDeg: 0,
  measured: false,
  notMeasured: null,
}) as SectionEval;

/**
 * Cortical involvement on the true cross-section at t (clinical-rules.md §1): sample every 1° ray
 * across its intact wall; an angle is involved when at least half of that wall is destroyed;
 * circumferential % = involved angles / 360; axial % = destroyed ring area / intact ring area.
 *
 * A ray with nothing below the threshold is intact. On a ray with destroyed material the cortex
 * left is estimated by mass balance against the section's intact wall profile
 * (ANALYSIS_PARAMETERS.partialVolumeCorrection). A section any of whose ring lies outside the
 * volume is *not measured* (an oblique bone leaving the scan is not a lesion).
 */
export function evaluateSection(sampler: VoxelSampler, axis: AxisLine, reference: IntactReference, t: number, thresholdHu: number): SectionEval {
  const A = P.angleCount;
  const WS = P.wallSamples;
  const dTheta = (2 * Math.PI) / A;
  const huBuf = new Float32Array(A * WS);
  const rayMean = new Float32Array(A);
  const rays = sectionRays(sampler, sectionFrame(pointOnAxis(axis, t), axis.direction), A);
  const involved = new Uint8Array(A);
  // 0 unknown, 1 intact (no sample below threshold), 2 some below, 3 intact by its own wall (wallLooksIntact)
  const state = new Uint8Array(A);
  const refRp = new Float32Array(A);
  const refW = new Float32Array(A);
  const ringPeak = new Float32Array(A);
  const belowShare = new Float32Array(A);
  let outside = 0;
  // Pass 1: sample every ray across its intact wall.
  for (let a = 0; a < A; a++) {
    const [rpa, wa] = reference.at(t, a, A);
    refRp[a] = rpa;
    refW[a] = wa;
    if (!(rpa > 0) || !(wa > 0)) continue;
    const re = Math.max(0, rpa - wa);
    const dr = (rpa - re) / WS;
    let sum = 0;
    let below = 0;
    let inside = true;
    for (let s = 0; s < WS; s++) {
      const hu = sampleAt(sampler, rays, a, re + (s + 0.5) * dr);
      huBuf[a * WS + s] = hu;
      if (Number.isNaN(hu)) {
        inside = false;
        break;
      }
      sum += hu;
      if (hu > ringPeak[a] || s === 0) ringPeak[a] = hu;
      if (hu < thresholdHu) below++;
    }
    if (!inside) {
      outside++;
      continue;
    }
    state[a] = below > 0 ? 2 : 1;
    belowShare[a] = below / WS;
    rayMean[a] = sum / WS;
  }
  if (outside > 0) return { ...UNMEASURED, involved: new Uint8Array(A), notMeasured: 'outside-volume' };
  // A ray whose own wall is found where the intact one is expected, as thick as it, is intact even
  // where the reference lags behind the bone's shape (a ridge, a flare, a bend the line misses).
  // Not a lesion's blurred edge either: its peak is near the section's typical cortical peak.
  const peaks = Array.from(ringPeak).filter((_, a) => state[a] !== 0).sort((x, y) => x - y);
  const minPeakHu = peaks.length ? P.intactWallPeakShare * peaks[peaks.length >> 1] : Infinity;
  // (A ray with nearly all of its ring below the threshold cannot hold a wall overlapping it: not looked for.)
  const maxBelowForWall = 1 - P.intactWallOverlapShare / 2;
  for (let a = 0; a < A; a++) {
    if (state[a] === 2 && belowShare[a] <= maxBelowForWall && wallLooksIntact(sampler, rays, a, refRp[a], refW[a], thresholdHu, minPeakHu)) state[a] = 3;
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
    for (let s = 0; s < WS; s++) intactProfile[s] += huBuf[a * WS + s];
    intactRays++;
  }
  if (intactRays) for (let s = 0; s < WS; s++) intactProfile[s] /= intactRays;
  const useMass = P.partialVolumeCorrection && intactRays >= P.minIntactRaysForMass && cortexHu > thresholdHu;
  // Pass 2: classify.
  let unknown = 0;
  let ring = 0;
  let destroyed = 0;
  let borderline = 0;
  const lows: number[] = [];
  for (let a = 0; a < A; a++) {
    if (state[a] === 0) {
      unknown++;
      continue;
    }
    const re = Math.max(0, refRp[a] - refW[a]);
    const dr = (refRp[a] - re) / WS;
    let areaAll = 0;
    let areaDestroyed = 0;
    let destroyedShare: number;
    if (state[a] === 3) {
      // Intact by its own wall: nothing destroyed, the intact ring's area counted.
      for (let s = 0; s < WS; s++) areaAll += re + (s + 0.5) * dr;
      destroyedShare = 0;
    } else if (state[a] === 2 && useMass) {
      // Mass balance: the cortex left at each depth is (HU − lesion HU) / (intact HU − lesion
      // HU) at that depth, which blur does not change on average, so a remnant thinner than a
      // pixel still counts for what it is. Lesion level: median of this ray's samples below the
      // threshold (robust to noise, unlike their minimum).
      lows.length = 0;
      for (let s = 0; s < WS; s++) if (huBuf[a * WS + s] < thresholdHu) lows.push(huBuf[a * WS + s]);
      lows.sort((x, y) => x - y);
      const lesionHu = lows[lows.length >> 1];
      let left = 0;
      for (let s = 0; s < WS; s++) {
        const hu = huBuf[a * WS + s];
        const r = re + (s + 0.5) * dr;
        const span = intactProfile[s] - lesionHu;
        const w = span > 1 ? Math.min(1, Math.max(0, (hu - lesionHu) / span)) : hu >= thresholdHu ? 1 : 0;
        left += w;
        areaAll += r;
        areaDestroyed += (1 - w) * r;
      }
      destroyedShare = 1 - left / WS;
    } else {
      // Below-threshold count. On a ray with destroyed material (without the mass balance) the
      // boundary between lesion and cortex is placed half-way between their levels (partial
      // volume blurs it symmetrically about that level); next to the intact ring's own surfaces
      // the blur is that of the ring, so the threshold itself applies there.
      let level = thresholdHu;
      if (state[a] === 2 && P.partialVolumeCorrection && cortexHu > thresholdHu) {
        let low = Infinity;
        for (let s = 0; s < WS; s++) low = Math.min(low, huBuf[a * WS + s]);
        level = Math.max(thresholdHu, (Math.min(low, thresholdHu) + cortexHu) / 2);
      }
      let below = 0;
      const edge = P.partialVolumeEdgeSamples;
      for (let s = 0; s < WS; s++) {
        const hu = huBuf[a * WS + s];
        const r = re + (s + 0.5) * dr;
        areaAll += r;
        const cut = s < edge || s >= WS - edge ? thresholdHu : level;
        if (hu < cut) {
          below++;
          areaDestroyed += r;
        }
      }
      destroyedShare = below / WS;
    }
    ring += areaAll * dr * dTheta;
    destroyed += areaDestroyed * dr * dTheta;
    if (destroyedShare >= P.involvedWallFraction) involved[a] = 1;
    if (Math.abs(destroyedShare - P.involvedWallFraction) <= P.borderlineWallMargin) borderline++;
  }
  dropShortRuns(involved, Math.ceil(P.minInvolvedArcDeg / (360 / A)));
  const lesionArc = longestRun(involved) >= P.minLesionArcDeg / (360 / A);
  let count = 0;
  for (let a = 0; a < A; a++) count += involved[a];
  const measured = unknown <= P.maxUnknownAngleShare * A && ring > 0;
  return {
    circumferentialPercent: measured ? (100 * count) / A : 0,
    axialPercent: measured ? (100 * destroyed) / ring : 0,
    involved,
    lesionArc: measured && lesionArc,
    borderlineDeg: (borderline * 360) / A,
    measured,
    notMeasured: measured ? null : 'no-reference',
  };
}

const wallBuf = new Float32Array(1024);

/**
 * Whether ray a shows, on this section, its own cortical wall where the intact ring is expected
 * or displaced from it (further out: the bone widens toward a metaphysis faster than the
 * reference's line; further in: a local bend), at least intactWallShare as thick and about as
 * dense as the section's cortex: such a wall is intact bone, not a lesion (a lesion only removes
 * bone, and partial volume at a lesion's edge lowers the peak).
 */
function wallLooksIntact(sampler: VoxelSampler, rays: SectionRays, a: number, rp: number, w: number, thresholdHu: number, minPeakHu: number): boolean {
  const step = P.rayStepMm;
  const re = rp - w;
  const from = Math.max(0, re - w / 2 - 1);
  // Far enough out for a wall displaced by its own thickness and the gap that ends it.
  const n = Math.min(wallBuf.length, Math.ceil((rp + w + P.leaveCortexGapMm + 1 - from) / step));
  const got = sampleRay(sampler, rays, a, step, n, wallBuf, from);
  const wall = findWall(wallBuf, got, step, thresholdHu, Math.max(1, Math.round(P.leaveCortexGapMm / step)), P.backgroundOffsetMm);
  if (!wall) return false;
  const inner = from + wall.endostealMm;
  const outer = from + wall.periostealMm;
  // As thick as the intact wall (a lesion, from inside or outside, thins it) and overlapping the
  // expected ring: by a little when further out (the bone widens), by half when further in (a wall
  // displaced inward by a local bend, not a dense structure inside the canal).
  // Where the wall is where expected, also about as dense as the section's cortex: a lesion's
  // edge blurred by partial volume is found as a full-width wall of lower peak.
  const overlap = Math.min(outer, rp) - Math.max(inner, re);
  const minOverlap = outer >= rp ? P.intactWallOverlapShare : P.intactWallInwardOverlapShare;
  const displaced = overlap < P.intactWallShare * w;
  return overlap >= minOverlap * w && outer - inner >= P.intactWallShare * w && (displaced || wall.peakHu >= minPeakHu);
}
