import type { Vec3 } from '../schemas/common';
import type { CtVolume } from './volume';

/**
 * Fast trilinear HU sampling for the assisted analysis: world (LPS mm) → continuous voxel index
 * through the inverse of [Δx·dirI | Δy·dirJ | Δz·dirK] (general 3×3 inverse, so a sheared
 * geometry would still map correctly), and rays sampled by adding a constant voxel step.
 * The analysis samples millions of points, so this avoids allocating per sample.
 */
export interface VoxelSampler {
  volume: CtVolume;
  /** Continuous voxel index of a world point. */
  toVoxel(p: Vec3): Vec3;
  /** Voxel-index change for one mm along a world direction. */
  stepToVoxel(d: Vec3): Vec3;
  /** Trilinear HU at a continuous voxel index; NaN outside the volume (beyond its voxel centres). */
  atVoxel(fi: number, fj: number, fk: number): number;
  /** Trilinear HU at a world point; NaN outside. */
  at(p: Vec3): number;
}

export function makeVoxelSampler(volume: CtVolume): VoxelSampler {
  const [nx, ny, nz] = volume.dimensions;
  const [sx, sy, sz] = volume.spacing;
  const d = volume.direction;
  // Columns of M map voxel index → world offset.
  const m = [d[0] * sx, d[3] * sy, d[6] * sz, d[1] * sx, d[4] * sy, d[7] * sz, d[2] * sx, d[5] * sy, d[8] * sz];
  const det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
  if (!(Math.abs(det) > 1e-12)) throw new Error('volume geometry is degenerate (direction/spacing)');
  const inv = [
    (m[4] * m[8] - m[5] * m[7]) / det,
    (m[2] * m[7] - m[1] * m[8]) / det,
    (m[1] * m[5] - m[2] * m[4]) / det,
    (m[5] * m[6] - m[3] * m[8]) / det,
    (m[0] * m[8] - m[2] * m[6]) / det,
    (m[2] * m[3] - m[0] * m[5]) / det,
    (m[3] * m[7] - m[4] * m[6]) / det,
    (m[1] * m[6] - m[0] * m[7]) / det,
    (m[0] * m[4] - m[1] * m[3]) / det,
  ];
  const o = volume.origin;
  const hu = volume.hu;
  const nxy = nx * ny;
  const maxI = nx - 1;
  const maxJ = ny - 1;
  const maxK = nz - 1;
  const eps = 1e-6;
  const stepToVoxel = (v: Vec3): Vec3 => [
    inv[0] * v[0] + inv[1] * v[1] + inv[2] * v[2],
    inv[3] * v[0] + inv[4] * v[1] + inv[5] * v[2],
    inv[6] * v[0] + inv[7] * v[1] + inv[8] * v[2],
  ];
  const toVoxel = (p: Vec3): Vec3 => stepToVoxel([p[0] - o[0], p[1] - o[1], p[2] - o[2]]);
  const atVoxel = (fi: number, fj: number, fk: number): number => {
    if (!(fi >= -eps && fj >= -eps && fk >= -eps && fi <= maxI + eps && fj <= maxJ + eps && fk <= maxK + eps)) return Number.NaN;
    let i0 = Math.floor(fi);
    let j0 = Math.floor(fj);
    let k0 = Math.floor(fk);
    if (i0 >= maxI) i0 = maxI > 0 ? maxI - 1 : 0;
    if (j0 >= maxJ) j0 = maxJ > 0 ? maxJ - 1 : 0;
    if (k0 >= maxK) k0 = maxK > 0 ? maxK - 1 : 0;
    if (i0 < 0) i0 = 0;
    if (j0 < 0) j0 = 0;
    if (k0 < 0) k0 = 0;
    const tx = Math.min(1, Math.max(0, fi - i0));
    const ty = Math.min(1, Math.max(0, fj - j0));
    const tz = Math.min(1, Math.max(0, fk - k0));
    const di = maxI > 0 ? 1 : 0;
    const dj = maxJ > 0 ? nx : 0;
    const dk = maxK > 0 ? nxy : 0;
    const b = i0 + j0 * nx + k0 * nxy;
    const c00 = hu[b] + (hu[b + di] - hu[b]) * tx;
    const c10 = hu[b + dj] + (hu[b + dj + di] - hu[b + dj]) * tx;
    const c01 = hu[b + dk] + (hu[b + dk + di] - hu[b + dk]) * tx;
    const c11 = hu[b + dk + dj] + (hu[b + dk + dj + di] - hu[b + dk + dj]) * tx;
    const c0 = c00 + (c10 - c00) * ty;
    const c1 = c01 + (c11 - c01) * ty;
    return c0 + (c1 - c0) * tz;
  };
  return {
    volume,
    toVoxel,
    stepToVoxel,
    atVoxel,
    at: (p) => {
      const v = toVoxel(p);
      return atVoxel(v[0], v[1], v[2]);
    },
  };
}
