import type { CtVolume } from '../analysis/volume';
import { dot, sub, type Vec3 } from './vec';
import { planeToWorld, type PlaneFrame } from './plane';
import type { HuSampler } from './ring';

/** Continuous voxel index (i, j, k) of a world point in the volume (see CtVolume's layout). */
export function worldToVoxel(vol: CtVolume, p: Vec3): Vec3 {
  const d = vol.direction;
  const r = sub(p, vol.origin);
  // The direction cosines are orthonormal, so the inverse is the transpose.
  return [
    dot(r, [d[0], d[1], d[2]]) / vol.spacing[0],
    dot(r, [d[3], d[4], d[5]]) / vol.spacing[1],
    dot(r, [d[6], d[7], d[8]]) / vol.spacing[2],
  ];
}

/**
 * HU at a world point by trilinear interpolation between voxel centres; NaN outside the
 * volume. Interpolation is what carries partial volume into sub-voxel area counting.
 */
export function sampleHuTrilinear(vol: CtVolume, p: Vec3): number {
  const [nx, ny, nz] = vol.dimensions;
  const [fi, fj, fk] = worldToVoxel(vol, p);
  const eps = 1e-6;
  if (fi < -eps || fj < -eps || fk < -eps || fi > nx - 1 + eps || fj > ny - 1 + eps || fk > nz - 1 + eps) return Number.NaN;
  const clamp = (v: number, n: number) => Math.min(Math.max(v, 0), n - 1);
  const x = clamp(fi, nx);
  const y = clamp(fj, ny);
  const z = clamp(fk, nz);
  const i0 = Math.min(Math.floor(x), Math.max(nx - 2, 0));
  const j0 = Math.min(Math.floor(y), Math.max(ny - 2, 0));
  const k0 = Math.min(Math.floor(z), Math.max(nz - 2, 0));
  const i1 = Math.min(i0 + 1, nx - 1);
  const j1 = Math.min(j0 + 1, ny - 1);
  const k1 = Math.min(k0 + 1, nz - 1);
  const tx = x - i0;
  const ty = y - j0;
  const tz = z - k0;
  const h = vol.hu;
  const at = (i: number, j: number, k: number) => h[i + j * nx + k * nx * ny];
  const c00 = at(i0, j0, k0) * (1 - tx) + at(i1, j0, k0) * tx;
  const c10 = at(i0, j1, k0) * (1 - tx) + at(i1, j1, k0) * tx;
  const c01 = at(i0, j0, k1) * (1 - tx) + at(i1, j0, k1) * tx;
  const c11 = at(i0, j1, k1) * (1 - tx) + at(i1, j1, k1) * tx;
  const c0 = c00 * (1 - ty) + c10 * ty;
  const c1 = c01 * (1 - ty) + c11 * ty;
  return c0 * (1 - tz) + c1 * tz;
}

/** A sampler over a plane of the volume, for ring counting on any (oblique) cross-section. */
export function planeSampler(vol: CtVolume, frame: PlaneFrame): HuSampler {
  return (q) => sampleHuTrilinear(vol, planeToWorld(frame, q));
}
