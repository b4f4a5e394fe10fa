/**
 * CT-based structural rigidity of true cross-sections (clinical-rules.md §9; issue 18).
 *
 * On a section (the analysis' own: perpendicular to the bone axis), every bone sample of area dA
 * gets a modulus E from its HU through the density relation (HU → ash density ρ → E = a·ρ^b,
 * G = E / (2(1 + ν))), and
 *   EA    = Σ E dA                                          (N)
 *   EImin = smallest principal value of Σ E (y², x², xy) dA  (N·mm²), about the modulus-weighted centroid
 *   GJ    = Σ G r² dA                                       (N·mm²), r from that centroid
 * The section is sampled on a square grid (half the finest voxel spacing) inside the intact
 * periosteal ring plus a margin, so a neighbouring bone does not count and a lesion's missing
 * bone does. A section any sample of which lies outside the volume, or on metal, has no values.
 */
import type { DensityRelation } from '../schemas/analysis';
import { RIGIDITY_PARAMETERS as R } from './parameters';
import { framePoint, type SectionFrame } from './rays';
import type { VoxelSampler } from './sampler';

export type RigidityNotMeasured = 'outside-volume' | 'metal' | 'no-reference';

export interface SectionRigidity {
  EA: number;
  EImin: number;
  EImax: number;
  GJ: number;
  /** Direction of the axis about which bending is weakest, degrees in the section's (u, v) frame, 0–180. */
  weakAxisDeg: number;
  /** Modulus-weighted centroid, mm from the section's origin on the axis, in (u, v). */
  centroidMm: [number, number];
  /** Area of the samples counted as bone (mm²). */
  boneAreaMm2: number;
}

/** ρ_ash (g/cm³) of a sample, 0 below the bone mask. */
export function ashDensity(hu: number, relation: DensityRelation): number {
  if (hu < relation.minBoneHu) return 0;
  return Math.max(0, relation.ashDensityPerHu * hu + relation.ashDensityAtZeroHu);
}

/** E (MPa = N/mm²) of a sample. */
export function elasticModulusMpa(hu: number, relation: DensityRelation): number {
  const rho = ashDensity(hu, relation);
  return rho > 0 ? relation.modulusCoefficientMpa * rho ** relation.modulusExponent : 0;
}

/** The sampling step on a section: half the finest voxel spacing, never coarser than R.maxSampleStepMm. */
export function rigiditySampleStepMm(spacing: readonly number[]): number {
  return Math.min(R.maxSampleStepMm, Math.min(Math.abs(spacing[0]), Math.abs(spacing[1]), Math.abs(spacing[2])) / 2);
}

/**
 * Rigidity of the section `frame`, counting samples within `maskRadiusMm(θ)` of its origin
 * (θ in degrees from u towards v). Returns the reason instead when a sample is outside the
 * volume or metal.
 */
export function sectionRigidity(
  sampler: VoxelSampler,
  frame: SectionFrame,
  maskRadiusMm: (angleDeg: number) => number,
  relation: DensityRelation,
  stepMm: number,
): SectionRigidity | RigidityNotMeasured {
  let reach = 0;
  const maskByDeg = new Float64Array(360);
  for (let a = 0; a < 360; a++) {
    maskByDeg[a] = maskRadiusMm(a);
    reach = Math.max(reach, maskByDeg[a]);
  }
  const n = Math.ceil(reach / stepMm);
  const dA = stepMm * stepMm;
  let s0 = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  let boneSamples = 0;
  for (let j = -n; j <= n; j++) {
    const y = j * stepMm;
    for (let i = -n; i <= n; i++) {
      const x = i * stepMm;
      const r = Math.hypot(x, y);
      if (r > reach) continue;
      const deg = ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360;
      if (r > maskByDeg[Math.floor(deg) % 360]) continue;
      const hu = sampler.at(framePoint(frame, x, y));
      if (Number.isNaN(hu)) return 'outside-volume';
      if (hu > R.metalHu) return 'metal';
      const e = elasticModulusMpa(hu, relation);
      if (e <= 0) continue;
      boneSamples++;
      s0 += e;
      sx += e * x;
      sy += e * y;
      sxx += e * x * x;
      syy += e * y * y;
      sxy += e * x * y;
    }
  }
  if (s0 <= 0) return { EA: 0, EImin: 0, EImax: 0, GJ: 0, weakAxisDeg: 0, centroidMm: [0, 0], boneAreaMm2: 0 };
  const cx = sx / s0;
  const cy = sy / s0;
  // Second moments about the centroid (parallel-axis theorem), N·mm².
  const ix = (syy - s0 * cy * cy) * dA; // about the axis along u: distances are y
  const iy = (sxx - s0 * cx * cx) * dA; // about the axis along v: distances are x
  const ixy = (sxy - s0 * cx * cy) * dA;
  const mean = (ix + iy) / 2;
  const half = Math.hypot((ix - iy) / 2, ixy);
  // I(φ) about the axis at angle φ is ix cos²φ + iy sin²φ − 2 ixy sinφ cosφ: largest at
  // φ = ½·atan2(−2 ixy, ix − iy), smallest 90° from there.
  const strongDeg = (0.5 * Math.atan2(-2 * ixy, ix - iy) * 180) / Math.PI;
  return {
    EA: s0 * dA,
    EImin: mean - half,
    EImax: mean + half,
    GJ: (ix + iy) / (2 * (1 + relation.poissonRatio)),
    weakAxisDeg: (((strongDeg + 90) % 180) + 180) % 180,
    centroidMm: [cx, cy],
    boneAreaMm2: boneSamples * dA,
  };
}

/** Relative loss of `value` against `reference`, in %. */
export function lossPercent(value: number, reference: number): number {
  return 100 * (1 - value / reference);
}
