import { expect } from 'vitest';
import type { Result } from '../../../shared/errors';
import { LesionAnalysisSchema, type LesionAnalysis } from '../../../shared/schemas/analysis';
import type { Vec3 } from '../../../shared/schemas/common';
import { boneAxisDirection, type SyntheticBoneSpec, type SyntheticCtSpec } from '../../fixtures/synthetic-ct';

/**
 * Intact bones as real CT shows them (issue 13): tilted and cut by the scan's ends, flaring
 * toward a metaphysis with a thinning cortex, oval or triangular in section. No lesion: every
 * seed in the canal must come back without involvement.
 */
export interface IntactCase {
  id: string;
  tiltDeg: number;
  azimuthDeg: number;
  pixelMm: number;
  sliceMm: number;
  noiseHu: number;
  /** Length of the volume along z (mm): the bone leaves through its top and bottom slices. */
  zLengthMm: number;
  outerRadiusMm: number;
  thicknessMm: number;
  flare?: SyntheticBoneSpec['flare'];
  section?: SyntheticBoneSpec['section'];
}

export const INTACT_CASES: IntactCase[] = [
  { id: 'tilt8-cut-by-ends', tiltDeg: 8, azimuthDeg: 30, pixelMm: 0.8, sliceMm: 1, noiseHu: 20, zLengthMm: 90, outerRadiusMm: 12, thicknessMm: 4 },
  { id: 'tilt15-cut-by-ends-coarse', tiltDeg: 15, azimuthDeg: 200, pixelMm: 0.9, sliceMm: 2.5, noiseHu: 20, zLengthMm: 80, outerRadiusMm: 13, thicknessMm: 4.5 },
  { id: 'tilt5-short-scan', tiltDeg: 5, azimuthDeg: 120, pixelMm: 0.6, sliceMm: 0.8, noiseHu: 20, zLengthMm: 45, outerRadiusMm: 11, thicknessMm: 3.5 },
  {
    id: 'metaphysis-flare',
    tiltDeg: 6,
    azimuthDeg: 300,
    pixelMm: 0.7,
    sliceMm: 1.25,
    noiseHu: 20,
    zLengthMm: 110,
    outerRadiusMm: 12,
    thicknessMm: 4.5,
    flare: { fromMm: 0, toMm: 45, outerRadiusMm: 19, corticalThicknessMm: 2 },
  },
  { id: 'oval-tilt10', tiltDeg: 10, azimuthDeg: 60, pixelMm: 0.7, sliceMm: 1.25, noiseHu: 20, zLengthMm: 100, outerRadiusMm: 13, thicknessMm: 4, section: { kind: 'oval', ratio: 1.5 } },
  { id: 'triangle-tilt12', tiltDeg: 12, azimuthDeg: 250, pixelMm: 0.6, sliceMm: 1, noiseHu: 20, zLengthMm: 100, outerRadiusMm: 13, thicknessMm: 4.5, section: { kind: 'triangle', amplitude: 0.15 } },
];

export function intactSpec(c: IntactCase, prngSeed = 1): SyntheticCtSpec {
  const nz = Math.round(c.zLengthMm / c.sliceMm);
  const flareR = c.flare ? Math.max(c.flare.outerRadiusMm, c.outerRadiusMm) : c.outerRadiusMm;
  const shapeScale = c.section?.kind === 'oval' ? Math.sqrt(c.section.ratio) : c.section?.kind === 'triangle' ? 1 + c.section.amplitude : 1;
  const drift = Math.tan((c.tiltDeg * Math.PI) / 180) * c.zLengthMm;
  const n = Math.ceil((drift + 2 * flareR * shapeScale + 14) / c.pixelMm);
  return {
    dimensions: [n, n, nz],
    pixelMm: c.pixelMm,
    sliceSpacingMm: c.sliceMm,
    noiseSigmaHu: c.noiseHu,
    seed: prngSeed,
    bone: { tiltDeg: c.tiltDeg, tiltAzimuthDeg: c.azimuthDeg, outerRadiusMm: c.outerRadiusMm, corticalThicknessMm: c.thicknessMm, flare: c.flare, section: c.section },
    lesion: null,
  };
}

/** Seeds on the axis (in the canal) every `stepMm` along it, from end to end of the volume's z range, `offsetMm` off the axis. */
export function canalSeeds(c: IntactCase, stepMm: number, offsetMm = 0): Vec3[] {
  const d = boneAxisDirection(c.tiltDeg, c.azimuthDeg);
  const half = c.zLengthMm / 2 - 0.5 * c.sliceMm;
  const seeds: Vec3[] = [];
  // Volume centred on the origin, axis through it; t such that z = t·d_z stays inside.
  for (let z = -half; z <= half + 1e-9; z += stepMm) {
    const t = z / d[2];
    const p: Vec3 = [t * d[0], t * d[1], t * d[2]];
    // Off the axis, perpendicular to it in the x-y plane direction (-d_y, d_x) normalised.
    const ox = -d[1];
    const oy = d[0];
    const on = Math.hypot(ox, oy) || 1;
    seeds.push(offsetMm ? [p[0] + (offsetMm * (ox || 1)) / on, p[1] + (offsetMm * oy) / on, p[2]] : p);
  }
  return seeds;
}

/** Codes that say "no measurement here" (null numbers are then honest). */
const REFUSALS = new Set(['no-bone-found', 'seed-outside-bone', 'bone-not-followed', 'no-intact-reference', 'no-involvement-at-seed']);

/** Intact bone is intact (issue 13): no involvement, axial % under 5, no length, never a run's numbers. */
export function expectNoInvolvement(r: Result<LesionAnalysis>, label: string, maxAxialPercent = 5): LesionAnalysis {
  expect(r.ok, label).toBe(true);
  if (!r.ok) throw new Error(label);
  const a = LesionAnalysisSchema.parse(r.value);
  const codes = a.warnings.map((w) => w.code);
  const why = `${label}: ${JSON.stringify({ codes, L: a.axialLengthMm, circ: a.circumferentialPercent, ax: a.axialPercent })}`;
  expect(a.involvedRangeMm, why).toBeNull();
  expect([0, null], why).toContain(a.circumferentialPercent);
  expect([0, null], why).toContain(a.axialLengthMm);
  if (a.axialPercent !== null) expect(a.axialPercent, why).toBeLessThan(maxAxialPercent);
  if (a.circumferentialPercent === null) expect(codes.some((c) => REFUSALS.has(c)), why).toBe(true);
  else expect(codes, why).toContain('no-involvement');
  return a;
}

