import { describe, expect, it } from 'vitest';
import { analyseLesion } from '../../../shared/analysis';
import { LesionAnalysisSchema } from '../../../shared/schemas/analysis';
import { makeSyntheticCt, type SyntheticCtSpec } from '../../fixtures/synthetic-ct';
import type { Vec3 } from '../../../shared/schemas/common';

const spec: SyntheticCtSpec = {
  dimensions: [90, 90, 80],
  pixelMm: 0.8,
  sliceSpacingMm: 1.25,
  noiseSigmaHu: 20,
  seed: 5,
  bodyRadiusMm: 34,
  bone: { tiltDeg: 15, tiltAzimuthDeg: 60, outerRadiusMm: 13, corticalThicknessMm: 4 },
  lesion: { axialLengthMm: 24, startAngleDeg: 200, extentDeg: 120, depth: 'full', shape: 'box' },
};
const { volume, truth } = makeSyntheticCt(spec);

const codes = (r: ReturnType<typeof analyseLesion>) => (r.ok ? r.value.warnings.map((w) => w.code) : []);

describe('analyseLesion: results the data can support, warnings otherwise', () => {
  it('reports the intact ring (not the lesion) as the reference on the most affected section', () => {
    const r = analyseLesion(volume, truth.canalSeed);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const a = LesionAnalysisSchema.parse(r.value);
    const s = a.mostAffectedSection!;
    // Every 5°, including inside the full-thickness lesion (200°–320°): R = 13, R − T = 9.
    s.periostealRadiusMm.forEach((rp) => expect(Math.abs(rp! - 13)).toBeLessThan(0.4));
    s.endostealRadiusMm.forEach((re) => expect(Math.abs(re! - 9)).toBeLessThan(0.4));
    expect(a.corticalThicknessMm).toBeGreaterThan(3.6);
    expect(a.corticalThicknessMm).toBeLessThan(4.4);
    // Profile: ordered along the axis, involved only where the lesion is (|t| ≤ 12 mm).
    const positions = a.profile.map((p) => p.positionMm);
    expect([...positions].sort((x, y) => x - y)).toEqual(positions);
    for (const p of a.profile) {
      if (Math.abs(p.positionMm) > 13.5) expect(p.circumferentialPercent).toBe(0);
      if (Math.abs(p.positionMm) < 10.5 && p.measured) expect(p.circumferentialPercent).toBeGreaterThan(30);
    }
    expect(a.involvedRangeMm!.startMm).toBeCloseTo(-12, 0);
    expect(a.involvedRangeMm!.endMm).toBeCloseTo(12, 0);
    expect(a.endSections).toHaveLength(2);
    // The section planes are perpendicular to the axis.
    const n = s.normal;
    const d = a.axis!.direction;
    expect(Math.abs(n[0] * d[0] + n[1] * d[1] + n[2] * d[2])).toBeCloseTo(1, 3);
  });

  it('finds the same lesion from a seed 10 mm along the canal, off-centre', () => {
    const d = truth.axis.direction;
    const seed: Vec3 = [truth.canalSeed[0] + 10 * d[0] + 3, truth.canalSeed[1] + 10 * d[1], truth.canalSeed[2] + 10 * d[2]];
    const r = analyseLesion(volume, seed);
    expect(r.ok && r.value.axialLengthMm).toBeGreaterThan(23);
    expect(r.ok && r.value.axialLengthMm).toBeLessThan(25);
  });

  it('reports progress from 0 to 1', () => {
    const seen: number[] = [];
    analyseLesion(volume, truth.canalSeed, { onProgress: (f) => seen.push(f) });
    expect(seen[0]).toBe(0);
    expect(seen[seen.length - 1]).toBe(1);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('uses the threshold it is given and records it', () => {
    // At 1500 HU (above the cortex) every angle looks destroyed: no intact reference at all.
    const high = analyseLesion(volume, truth.canalSeed, { thresholdHu: 1500 });
    expect(high.ok).toBe(true);
    if (high.ok) {
      expect(high.value.thresholdHu).toBe(1500);
      expect(high.value.axialLengthMm).toBeNull();
    }
  });

  it('withholds numbers for a seed in soft tissue outside the bone', () => {
    const p = truth.axis.point;
    const r = analyseLesion(volume, [p[0] + 25, p[1], p[2]]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.axialLengthMm).toBeNull();
    expect(codes(r).some((c) => c === 'seed-outside-bone' || c === 'no-bone-found' || c === 'bone-not-followed')).toBe(true);
  });

  it('says when there is no bone at all', () => {
    const blank = makeSyntheticCt({ ...spec, lesion: null, bone: { ...spec.bone, cortexHu: 60 } });
    const r = analyseLesion(blank.volume, blank.truth.canalSeed);
    expect(r.ok && r.value.axialLengthMm).toBeNull();
    expect(codes(r)).toContain('no-bone-found');
  });

  it('flags metal near the bone', () => {
    const metal = makeSyntheticCt(spec);
    const [nx, ny] = metal.volume.dimensions;
    // A 3×3×3 voxel "screw" (4000 HU) just outside the cortex at the seed level.
    const v = metal.volume;
    const p = truth.canalSeed;
    const i0 = Math.round((p[0] + 15 - v.origin[0]) / v.spacing[0]);
    const j0 = Math.round((p[1] - v.origin[1]) / v.spacing[1]);
    const k0 = Math.round((p[2] - v.origin[2]) / v.spacing[2]);
    for (let k = k0 - 1; k <= k0 + 1; k++) for (let j = j0 - 1; j <= j0 + 1; j++) for (let i = i0 - 1; i <= i0 + 1; i++) v.hu[i + j * nx + k * nx * ny] = 4000;
    const r = analyseLesion(v, p);
    expect(codes(r)).toContain('metal');
    expect(codes(analyseLesion(volume, p))).not.toContain('metal');
  });

  it('warns when about half of the wall is destroyed over the arc (the half-wall rule is ill-conditioned), not for a full-thickness lesion', () => {
    const half = makeSyntheticCt({ ...spec, lesion: { ...spec.lesion!, depth: 0.55 } });
    expect(codes(analyseLesion(half.volume, half.truth.canalSeed))).toContain('borderline-involvement');
    expect(codes(analyseLesion(volume, truth.canalSeed))).not.toContain('borderline-involvement');
  });

  it('returns coded errors for a seed outside the volume, a bad threshold and a malformed volume', () => {
    const out = analyseLesion(volume, [1000, 0, 0]);
    expect(!out.ok && out.error.code).toBe('analysis.seed-outside-volume');
    const nan = analyseLesion(volume, truth.canalSeed, { thresholdHu: Number.NaN });
    expect(!nan.ok && nan.error.field).toBe('thresholdHu');
    const short = analyseLesion({ ...volume, hu: volume.hu.subarray(0, 10) }, truth.canalSeed);
    expect(!short.ok && short.error.code).toBe('analysis.volume');
  });
});
