import type { Vec3 } from '../schemas/common';
import type { CtVolume } from './volume';

/**
 * A copy of the part of `volume` within ± halfSizeMm of `centre` along each volume axis (index
 * box, clamped), keeping the geometry exact (same spacing and direction, shifted origin). The
 * viewer sends this to the analysis worker instead of the whole series: the analysis only looks
 * ± ANALYSIS_PARAMETERS.scanHalfLengthMm along the bone plus a bone radius around it.
 */
export function cropVolumeAround(volume: CtVolume, centre: Vec3, halfSizeMm: number): CtVolume {
  const [nx, ny, nz] = volume.dimensions;
  const d = volume.direction;
  const rel = [centre[0] - volume.origin[0], centre[1] - volume.origin[1], centre[2] - volume.origin[2]];
  const lo: number[] = [];
  const hi: number[] = [];
  const n = [nx, ny, nz];
  for (let a = 0; a < 3; a++) {
    // Orthonormal directions: the index along axis a is the projection on its direction.
    const idx = (rel[0] * d[3 * a] + rel[1] * d[3 * a + 1] + rel[2] * d[3 * a + 2]) / volume.spacing[a];
    const half = halfSizeMm / volume.spacing[a];
    lo.push(Math.max(0, Math.floor(idx - half)));
    hi.push(Math.min(n[a] - 1, Math.ceil(idx + half)));
  }
  const cx = hi[0] - lo[0] + 1;
  const cy = hi[1] - lo[1] + 1;
  const cz = hi[2] - lo[2] + 1;
  if (cx < 2 || cy < 2 || cz < 2) return volume;
  const out = volume.hu instanceof Int16Array ? new Int16Array(cx * cy * cz) : new Float32Array(cx * cy * cz);
  for (let k = 0; k < cz; k++) {
    for (let j = 0; j < cy; j++) {
      const src = lo[0] + (lo[1] + j) * nx + (lo[2] + k) * nx * ny;
      out.set(volume.hu.subarray(src, src + cx), j * cx + k * cx * cy);
    }
  }
  const origin: Vec3 = [0, 1, 2].map(
    (c) => volume.origin[c] + lo[0] * volume.spacing[0] * d[c] + lo[1] * volume.spacing[1] * d[3 + c] + lo[2] * volume.spacing[2] * d[6 + c],
  ) as Vec3;
  return { dimensions: [cx, cy, cz], spacing: [...volume.spacing], origin, direction: [...volume.direction], hu: out };
}
