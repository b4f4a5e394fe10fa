import { describe, expect, it } from 'vitest';
import { analyseLesion } from '../../../shared/analysis';
import { makeSyntheticCt, seededRandom } from '../../fixtures/synthetic-ct';
import { seedFor, specFor, type AccuracyCase } from './accuracy-cases';

/**
 * Random cases over the whole domain clinical-rules §1 promises (noise 20 HU, pixel 0.5–0.9 mm,
 * slices 0.8–2.5 mm, tilt ≤ 20°), with any azimuth, bone size, wall thickness, lesion shape,
 * depth (including shallower than half the wall), length and extent, and an off-axis seed.
 * Fixed PRNG seed: deterministic. Bounds: length within max(1 mm, one slice), percents within 5.
 */
function randomCases(seed: number, n: number): AccuracyCase[] {
  const rnd = seededRandom(seed);
  const pick = <T,>(a: readonly T[]) => a[Math.floor(rnd() * a.length)];
  return Array.from({ length: n }, (_, i) => ({
    id: `random-${seed}-${i}`,
    tiltDeg: Math.round(rnd() * 20),
    azimuthDeg: Math.round(rnd() * 360),
    pixelMm: +(0.5 + rnd() * 0.4).toFixed(2),
    sliceMm: +(0.8 + rnd() * 1.7).toFixed(2),
    noiseHu: 20,
    shape: pick(['box', 'ellipsoid'] as const),
    depth: pick(['full', 0.6, 0.7, 0.8, 0.9, 0.3] as const),
    lengthMm: Math.round(8 + rnd() * 32),
    startDeg: Math.round(rnd() * 360),
    extentDeg: Math.round(40 + rnd() * 240),
    thicknessMm: +(2.5 + rnd() * 3).toFixed(1),
    outerRadiusMm: Math.round(10 + rnd() * 6),
    seedOffsetMm: Math.round(rnd() * 4),
  }));
}

const EXCLUDING = new Set(['cortex-thin', 'slices-thicker-than-lesion']);

describe('assisted analysis: random synthetic cases within the §1 promise domain', () => {
  it.each(randomCases(20261124, 16).map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const { volume, truth } = makeSyntheticCt(specFor(c));
    const r = analyseLesion(volume, seedFor(truth, c.seedOffsetMm ?? 0));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const a = r.value;
    if (a.warnings.some((w) => EXCLUDING.has(w.code))) return;
    const label = JSON.stringify({ c, truth: [truth.axialLengthMm, truth.circumferentialPercent, truth.axialPercent], got: [a.axialLengthMm, a.circumferentialPercent, a.axialPercent] });
    expect(Math.abs(a.axialLengthMm! - truth.axialLengthMm), label).toBeLessThanOrEqual(Math.max(1, c.sliceMm));
    expect(Math.abs(a.circumferentialPercent! - truth.circumferentialPercent), label).toBeLessThanOrEqual(5);
    expect(Math.abs(a.axialPercent! - truth.axialPercent), label).toBeLessThanOrEqual(5);
  });
});
