import type { SyntheticCtSpec } from '../../fixtures/synthetic-ct';
import type { Vec3 } from '../../../shared/schemas/common';

/**
 * Synthetic accuracy cases for the assisted analysis (issue 6): tilt 0–25°, pixel 0.5–1 mm,
 * slices 0.6–3 mm, noise, full / partial depth, box / ellipsoid. Each volume is sized to hold
 * the tilted bone over ~110 mm. `seedOffsetMm` moves the click off the axis inside the canal.
 */
export interface AccuracyCase {
  id: string;
  tiltDeg: number;
  azimuthDeg?: number;
  pixelMm: number;
  sliceMm: number;
  noiseHu: number;
  shape: 'box' | 'ellipsoid';
  depth: 'full' | number;
  lengthMm: number;
  startDeg: number;
  extentDeg: number;
  outerRadiusMm?: number;
  thicknessMm?: number;
  seedOffsetMm?: number;
  /** Warnings this case is designed to raise (they exclude it from the accuracy bounds). */
  expectWarnings?: string[];
}

export const ACCURACY_CASES: AccuracyCase[] = [
  { id: 'straight-box-full', tiltDeg: 0, pixelMm: 0.7, sliceMm: 1.25, noiseHu: 20, shape: 'box', depth: 'full', lengthMm: 30, startDeg: 20, extentDeg: 120 },
  { id: 'tilt10-fine-box', tiltDeg: 10, pixelMm: 0.5, sliceMm: 0.6, noiseHu: 20, shape: 'box', depth: 'full', lengthMm: 20, startDeg: 100, extentDeg: 200, seedOffsetMm: 3 },
  { id: 'tilt20-box-70pct', tiltDeg: 20, pixelMm: 0.9, sliceMm: 2.5, noiseHu: 20, shape: 'box', depth: 0.7, lengthMm: 35, startDeg: 250, extentDeg: 90 },
  { id: 'tilt25-coarse-ellipsoid', tiltDeg: 25, azimuthDeg: 200, pixelMm: 1.0, sliceMm: 3.0, noiseHu: 20, shape: 'ellipsoid', depth: 'full', lengthMm: 40, startDeg: 0, extentDeg: 150 },
  { id: 'tilt15-ellipsoid-80pct', tiltDeg: 15, azimuthDeg: 75, pixelMm: 0.6, sliceMm: 1.0, noiseHu: 30, shape: 'ellipsoid', depth: 0.8, lengthMm: 30, startDeg: 45, extentDeg: 180, seedOffsetMm: 2 },
  { id: 'shallow-30pct-not-involved', tiltDeg: 5, pixelMm: 0.8, sliceMm: 2.0, noiseHu: 10, shape: 'box', depth: 0.3, lengthMm: 25, startDeg: 0, extentDeg: 120 },
  { id: 'tilt20-small-wrap', tiltDeg: 20, azimuthDeg: 300, pixelMm: 0.7, sliceMm: 0.8, noiseHu: 20, shape: 'box', depth: 'full', lengthMm: 10, startDeg: 330, extentDeg: 60 },
  { id: 'tilt25-large-partial', tiltDeg: 25, azimuthDeg: 120, pixelMm: 0.5, sliceMm: 1.5, noiseHu: 20, shape: 'box', depth: 0.6, lengthMm: 25, startDeg: 10, extentDeg: 300 },
  { id: 'tilt12-ellipsoid-full', tiltDeg: 12, pixelMm: 0.75, sliceMm: 1.25, noiseHu: 20, shape: 'ellipsoid', depth: 'full', lengthMm: 25, startDeg: 160, extentDeg: 100 },
  { id: 'tilt18-long-wide', tiltDeg: 18, azimuthDeg: 10, pixelMm: 0.6, sliceMm: 2.0, noiseHu: 20, shape: 'box', depth: 'full', lengthMm: 45, startDeg: 200, extentDeg: 270 },
  { id: 'tilt22-noiseless-ellipsoid-90pct', tiltDeg: 22, azimuthDeg: 250, pixelMm: 0.55, sliceMm: 0.7, noiseHu: 0, shape: 'ellipsoid', depth: 0.9, lengthMm: 20, startDeg: 280, extentDeg: 80 },
  { id: 'humerus-size-tilt8', tiltDeg: 8, pixelMm: 0.6, sliceMm: 1.0, noiseHu: 20, shape: 'box', depth: 'full', lengthMm: 15, startDeg: 90, extentDeg: 150, outerRadiusMm: 10, thicknessMm: 2.5 },
  { id: 'slices-thicker-than-lesion', tiltDeg: 0, pixelMm: 1.0, sliceMm: 3.0, noiseHu: 20, shape: 'box', depth: 'full', lengthMm: 3, startDeg: 0, extentDeg: 90, expectWarnings: ['slices-thicker-than-lesion'] },
  { id: 'thin-cortex', tiltDeg: 10, pixelMm: 1.0, sliceMm: 2.0, noiseHu: 20, shape: 'box', depth: 'full', lengthMm: 20, startDeg: 0, extentDeg: 120, thicknessMm: 1.2, expectWarnings: ['cortex-thin'] },
];

/** The generator spec for a case: a volume long enough (≈110 mm) and wide enough for the tilt. */
export function specFor(c: AccuracyCase): SyntheticCtSpec {
  const R = c.outerRadiusMm ?? 13;
  const zLengthMm = 110;
  const nz = Math.round(zLengthMm / c.sliceMm);
  const drift = Math.tan((c.tiltDeg * Math.PI) / 180) * zLengthMm;
  const fovMm = drift + 2 * R + 16;
  const n = Math.ceil(fovMm / c.pixelMm);
  return {
    dimensions: [n, n, nz],
    pixelMm: c.pixelMm,
    sliceSpacingMm: c.sliceMm,
    noiseSigmaHu: c.noiseHu,
    seed: c.id.length * 7919 + nz,
    bone: { tiltDeg: c.tiltDeg, tiltAzimuthDeg: c.azimuthDeg ?? 30, outerRadiusMm: R, corticalThicknessMm: c.thicknessMm ?? 4 },
    lesion: { axialLengthMm: c.lengthMm, startAngleDeg: c.startDeg, extentDeg: c.extentDeg, depth: c.depth, shape: c.shape },
  };
}

/** A seed inside the canal, `offset` mm off the axis (opposite the lesion), at the lesion's centre. */
export function seedFor(truth: { canalSeed: Vec3; axis: { direction: Vec3 } }, offsetMm = 0): Vec3 {
  const d = truth.axis.direction;
  // Any unit vector perpendicular to the axis.
  const ref: Vec3 = Math.abs(d[1]) < 0.9 ? [0, 1, 0] : [1, 0, 0];
  const k = ref[0] * d[0] + ref[1] * d[1] + ref[2] * d[2];
  const p: Vec3 = [ref[0] - k * d[0], ref[1] - k * d[1], ref[2] - k * d[2]];
  const n = Math.hypot(...p);
  return [0, 1, 2].map((a) => truth.canalSeed[a] + (offsetMm * p[a]) / n) as Vec3;
}
