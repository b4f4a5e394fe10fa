import type { Vec3 } from '../schemas/common';
import type { VoxelSampler } from './sampler';

/** An orthonormal frame of a cross-section: normal = the axis, u = +x projected, v = normal × u. */
export interface SectionFrame {
  origin: Vec3;
  normal: Vec3;
  u: Vec3;
  v: Vec3;
}

/**
 * The section frame used everywhere in the analysis (same convention as shared/geometry's
 * planeFrame and the synthetic CT's angles): u = patient +x projected on the plane (or +y
 * when the axis runs along x), v = normal × u.
 */
export function sectionFrame(origin: Vec3, normal: Vec3): SectionFrame {
  let pref: Vec3 = [1, 0, 0];
  if (Math.abs(normal[0]) > 0.99) pref = [0, 1, 0];
  const k = pref[0] * normal[0] + pref[1] * normal[1] + pref[2] * normal[2];
  let u: Vec3 = [pref[0] - k * normal[0], pref[1] - k * normal[1], pref[2] - k * normal[2]];
  const n = Math.hypot(u[0], u[1], u[2]);
  u = [u[0] / n, u[1] / n, u[2] / n];
  const v: Vec3 = [normal[1] * u[2] - normal[2] * u[1], normal[2] * u[0] - normal[0] * u[2], normal[0] * u[1] - normal[1] * u[0]];
  return { origin, normal, u, v };
}

export function framePoint(f: SectionFrame, x: number, y: number): Vec3 {
  return [f.origin[0] + x * f.u[0] + y * f.v[0], f.origin[1] + x * f.u[1] + y * f.v[1], f.origin[2] + x * f.u[2] + y * f.v[2]];
}

/** Precomputed voxel start and per-mm voxel step of each ray of a section. */
export interface SectionRays {
  frame: SectionFrame;
  start: Vec3;
  /** 3 numbers per ray. */
  step: Float64Array;
  count: number;
}

export function sectionRays(sampler: VoxelSampler, frame: SectionFrame, count: number): SectionRays {
  const start = sampler.toVoxel(frame.origin);
  const su = sampler.stepToVoxel(frame.u);
  const sv = sampler.stepToVoxel(frame.v);
  const step = new Float64Array(3 * count);
  for (let a = 0; a < count; a++) {
    const th = ((2 * Math.PI) / count) * a;
    const c = Math.cos(th);
    const s = Math.sin(th);
    step[3 * a] = c * su[0] + s * sv[0];
    step[3 * a + 1] = c * su[1] + s * sv[1];
    step[3 * a + 2] = c * su[2] + s * sv[2];
  }
  return { frame, start, step, count };
}

/** HU along ray `a` at r = r0, r0 + δ, r0 + 2δ, … into `out`; returns how many samples fell inside the volume. */
export function sampleRay(sampler: VoxelSampler, rays: SectionRays, a: number, stepMm: number, n: number, out: Float32Array, r0 = 0): number {
  const di = rays.step[3 * a] * stepMm;
  const dj = rays.step[3 * a + 1] * stepMm;
  const dk = rays.step[3 * a + 2] * stepMm;
  const i0 = rays.start[0] + r0 * rays.step[3 * a];
  const j0 = rays.start[1] + r0 * rays.step[3 * a + 1];
  const k0 = rays.start[2] + r0 * rays.step[3 * a + 2];
  for (let s = 0; s < n; s++) {
    const v = sampler.atVoxel(i0 + s * di, j0 + s * dj, k0 + s * dk);
    if (Number.isNaN(v)) return s;
    out[s] = v;
  }
  return n;
}

/** HU at radius r on ray a. */
export function sampleAt(sampler: VoxelSampler, rays: SectionRays, a: number, r: number): number {
  return sampler.atVoxel(rays.start[0] + r * rays.step[3 * a], rays.start[1] + r * rays.step[3 * a + 1], rays.start[2] + r * rays.step[3 * a + 2]);
}

export interface WallHit {
  /** Threshold crossings entering and leaving the cortex (mm from the ray origin). */
  entryMm: number;
  exitMm: number;
  /** Half-maximum edges between the cortex peak and the local background on each side (mm). */
  endostealMm: number;
  periostealMm: number;
  peakHu: number;
}

/**
 * The first cortical wall along a sampled ray: enter at the first sample ≥ threshold, leave at
 * the first run of ≥ gap samples below it (so trabecular gaps do not end the wall). Edges are
 * placed at half maximum between the wall's peak and the background just beyond each crossing,
 * which stays unbiased when partial volume blurs the wall (a fixed threshold would not).
 */
export function findWall(h: Float32Array, n: number, stepMm: number, thresholdHu: number, gapSamples: number, bgOffset: readonly [number, number]): WallHit | null {
  let s = 0;
  while (s < n && h[s] < thresholdHu) s++;
  if (s >= n) return null;
  const entry = s;
  let below = 0;
  let exit = -1;
  for (; s < n; s++) {
    if (h[s] < thresholdHu) {
      below++;
      if (below >= gapSamples) {
        exit = s - below + 1;
        break;
      }
    } else below = 0;
  }
  if (exit < 0) return null; // never left the bone within reach
  let peak = -Infinity;
  let peakAt = entry;
  for (let k = entry; k < exit; k++)
    if (h[k] > peak) {
      peak = h[k];
      peakAt = k;
    }
  const o1 = Math.round(bgOffset[0] / stepMm);
  const o2 = Math.max(o1, Math.round(bgOffset[1] / stepMm));
  const mean = (a: number, b: number) => {
    let sum = 0;
    let c = 0;
    for (let k = Math.max(0, a); k <= Math.min(n - 1, b); k++) {
      sum += h[k];
      c++;
    }
    return c ? sum / c : Number.NaN;
  };
  let bgIn = mean(entry - o2, entry - o1);
  if (Number.isNaN(bgIn)) bgIn = h[0];
  let bgOut = mean(exit + o1, exit + o2);
  if (Number.isNaN(bgOut)) bgOut = h[n - 1];
  const levelIn = (peak + Math.min(bgIn, thresholdHu)) / 2;
  const levelOut = (peak + Math.min(bgOut, thresholdHu)) / 2;
  const crossing = (k: number, dir: 1 | -1, level: number) => {
    // From the peak walk in `dir` until below level; interpolate between k−dir and k.
    let j = k;
    while (j + dir >= 0 && j + dir < n && h[j + dir] >= level) j += dir;
    const a = j + dir;
    if (a < 0 || a >= n) return j * stepMm;
    const frac = (h[j] - level) / (h[j] - h[a]);
    return (j + dir * frac) * stepMm;
  };
  const interpThreshold = (k: number) => {
    // Crossing between k−1 (below) and k (at/above).
    if (k <= 0) return 0;
    const frac = (thresholdHu - h[k - 1]) / (h[k] - h[k - 1]);
    return (k - 1 + frac) * stepMm;
  };
  const exitMm = exit > 0 ? (exit - 1 + (h[exit - 1] - thresholdHu) / (h[exit - 1] - h[exit])) * stepMm : 0;
  return {
    entryMm: interpThreshold(entry),
    exitMm,
    endostealMm: crossing(peakAt, -1, levelIn),
    periostealMm: crossing(peakAt, 1, levelOut),
    peakHu: peak,
  };
}
