import type { Vec3 } from '../schemas/common';
import { ANALYSIS_PARAMETERS as P } from './parameters';
import type { VoxelSampler } from './sampler';

/** The bone's axis as the analysis walks it: a point (the seed's projection) and a unit direction. */
export interface AxisLine {
  point: Vec3;
  direction: Vec3;
}

export function pointOnAxis(axis: AxisLine, tMm: number): Vec3 {
  const { point: p, direction: d } = axis;
  return [p[0] + tMm * d[0], p[1] + tMm * d[1], p[2] + tMm * d[2]];
}

/**
 * The cross-sections of the profile: every profileStepMm along the axis, walking out from the
 * seed until a section's centre leaves the volume or the scan limit. Index `seedIndex` is the
 * clicked level (t = 0).
 */
export interface SectionGrid {
  stepMm: number;
  count: number;
  seedIndex: number;
  /** Position of section m along the axis (mm from the seed). */
  tOf(m: number): number;
}

export function sectionGrid(sampler: VoxelSampler, axis: AxisLine): SectionGrid {
  const step = P.profileStepMm;
  const inside = (m: number) => Math.abs(m * step) <= P.scanHalfLengthMm && !Number.isNaN(sampler.at(pointOnAxis(axis, m * step)));
  let mMin = 0;
  while (inside(mMin - 1)) mMin--;
  let mMax = 0;
  while (inside(mMax + 1)) mMax++;
  return { stepMm: step, count: mMax - mMin + 1, seedIndex: -mMin, tOf: (m) => (m + mMin) * step };
}
