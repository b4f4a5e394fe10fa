import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arcMidDeg, arcThroughSide, arcUnionDeg, complementArc, circumferentialPercent, type Arc } from '../../../shared/geometry';
import type { Vec2 } from '../../../shared/geometry';

const at = (deg: number, r = 10, c: Vec2 = [3, -2]): Vec2 => [c[0] + r * Math.cos((deg * Math.PI) / 180), c[1] + r * Math.sin((deg * Math.PI) / 180)];

describe('arcThroughSide (issue 14: the side click, not the mouse path, picks the arc)', () => {
  const c: Vec2 = [3, -2];
  it('takes the arc through the side click, either way round', () => {
    const a = arcThroughSide(c, at(30), at(120), at(75));
    expect(a.startDeg).toBeCloseTo(30, 9);
    expect(a.sweepDeg).toBeCloseTo(90, 9);
    const other = arcThroughSide(c, at(30), at(120), at(250));
    expect(other.sweepDeg).toBeCloseTo(-270, 9);
    expect(circumferentialPercent([other])).toBeCloseTo(75, 9);
  });
  it('the decisive case: the same two ends give 193° or 167° by the side only', () => {
    // The report: ends 193° apart clicked directly; the involved arc is the larger one.
    const big = arcThroughSide(c, at(80), at(273), at(180));
    expect(circumferentialPercent([big])).toBeCloseTo((193 / 360) * 100, 9);
    const small = arcThroughSide(c, at(80), at(273), at(0));
    expect(circumferentialPercent([small])).toBeCloseTo((167 / 360) * 100, 9);
  });
  it('wraps past 0° and the handle radii do not matter', () => {
    const a = arcThroughSide(c, at(350, 3), at(10, 30), at(0, 12));
    expect(a.sweepDeg).toBeCloseTo(20, 9);
    const b = arcThroughSide(c, at(10, 3), at(350, 30), at(0, 12));
    expect(b.sweepDeg).toBeCloseTo(-20, 9);
  });
  it('any side direction inside an arc gives that arc; the complement covers the rest (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 359, noNaN: true }), fc.double({ min: 1, max: 358, noNaN: true }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (s, len, f) => {
        const a = arcThroughSide(c, at(s), at(s + len), at(s + len * f));
        expect(a.sweepDeg).toBeCloseTo(len, 6);
        const b = arcThroughSide(c, at(s), at(s + len), at(s + len + (360 - len) * f));
        expect(b.sweepDeg).toBeCloseTo(len - 360, 6);
        expect(arcUnionDeg([a, complementArc(a)])).toBeCloseTo(360, 6);
        expect(inArc(a, arcMidDeg(a))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('arcUnionDeg (several arcs on one section)', () => {
  it('counts overlaps once', () => {
    expect(arcUnionDeg([{ startDeg: 0, sweepDeg: 90 }, { startDeg: 45, sweepDeg: 90 }])).toBeCloseTo(135, 9);
  });
  it('counts overlaps once across 0° and in either direction', () => {
    // 350→20 (ccw) and 30→10 drawn clockwise: union 350→30 = 40°.
    expect(arcUnionDeg([{ startDeg: 350, sweepDeg: 30 }, { startDeg: 30, sweepDeg: -20 }])).toBeCloseTo(40, 9);
  });
  it('adds disjoint arcs', () => {
    expect(arcUnionDeg([{ startDeg: 10, sweepDeg: 20 }, { startDeg: 200, sweepDeg: -30 }])).toBeCloseTo(50, 9);
  });
  it('caps at 360 and handles nested arcs', () => {
    expect(arcUnionDeg([{ startDeg: 0, sweepDeg: 300 }, { startDeg: 250, sweepDeg: 200 }])).toBe(360);
    expect(arcUnionDeg([{ startDeg: 100, sweepDeg: 100 }, { startDeg: 120, sweepDeg: 10 }])).toBeCloseTo(100, 9);
    expect(arcUnionDeg([])).toBe(0);
  });
  it('equals a brute-force count of covered angles (property)', () => {
    const arc = fc.record({ startDeg: fc.double({ min: -720, max: 720, noNaN: true }), sweepDeg: fc.double({ min: -360, max: 360, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(arc, { maxLength: 5 }), (arcs: Arc[]) => {
        const N = 3600;
        let covered = 0;
        for (let k = 0; k < N; k++) {
          const t = ((k + 0.5) * 360) / N;
          if (arcs.some((a) => inArc(a, t))) covered++;
        }
        const brute = (covered * 360) / N;
        expect(Math.abs(arcUnionDeg(arcs) - brute)).toBeLessThanOrEqual(0.1 * (2 * arcs.length) + 1e-9);
      }),
      { numRuns: 200 },
    );
  });
});

function inArc(a: Arc, t: number): boolean {
  const len = Math.min(360, Math.abs(a.sweepDeg));
  const from = a.sweepDeg >= 0 ? a.startDeg : a.startDeg + a.sweepDeg;
  const rel = (((t - from) % 360) + 360) % 360;
  return len >= 360 || rel < len;
}
