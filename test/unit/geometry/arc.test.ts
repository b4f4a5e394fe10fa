import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accumulateSweepDeg, arcFromHandles, arcUnionDeg, circumferentialPercent, type Arc } from '../../../shared/geometry';
import type { Vec2 } from '../../../shared/geometry';

const at = (deg: number, r = 10, c: Vec2 = [3, -2]): Vec2 => [c[0] + r * Math.cos((deg * Math.PI) / 180), c[1] + r * Math.sin((deg * Math.PI) / 180)];

describe('arcFromHandles', () => {
  const c: Vec2 = [3, -2];
  it('takes the counter-clockwise arc without a hint', () => {
    const a = arcFromHandles(c, at(30), at(120));
    expect(a.startDeg).toBeCloseTo(30, 9);
    expect(a.sweepDeg).toBeCloseTo(90, 9);
  });
  it('wraps past 0° counter-clockwise (350° → 10° is 20°)', () => {
    const a = arcFromHandles(c, at(350), at(10), 15);
    expect(a.sweepDeg).toBeCloseTo(20, 9);
    expect(circumferentialPercent([a])).toBeCloseTo((20 / 360) * 100, 9);
  });
  it('goes clockwise when the hint says so, including the large arc past 0°', () => {
    const cw = arcFromHandles(c, at(10), at(350), -25);
    expect(cw.sweepDeg).toBeCloseTo(-20, 9);
    const big = arcFromHandles(c, at(10), at(350), 300);
    expect(big.sweepDeg).toBeCloseTo(340, 9);
    const bigCw = arcFromHandles(c, at(350), at(10), -300);
    expect(bigCw.sweepDeg).toBeCloseTo(-340, 9);
    expect(circumferentialPercent([bigCw])).toBeCloseTo((340 / 360) * 100, 9);
  });
  it('the handle radius does not matter, only the angle', () => {
    const a = arcFromHandles(c, at(45, 3), at(135, 30));
    expect(a.sweepDeg).toBeCloseTo(90, 9);
  });
});

describe('accumulateSweepDeg (dragging a handle round the bone)', () => {
  it('accumulates 270° counter-clockwise in small steps across 0°', () => {
    const c: Vec2 = [0, 0];
    let sweep = 0;
    for (let d = 300; d < 300 + 270; d += 7) sweep = accumulateSweepDeg(sweep, c, at(d, 10, c), at(Math.min(d + 7, 570), 10, c));
    expect(sweep).toBeCloseTo(270, 6);
    const a = arcFromHandles(c, at(300, 10, c), at(570, 10, c), sweep);
    expect(a.sweepDeg).toBeCloseTo(270, 6);
    expect(circumferentialPercent([a])).toBeCloseTo(75, 6);
  });
  it('accumulates clockwise too', () => {
    const c: Vec2 = [0, 0];
    let sweep = 0;
    for (let d = 20; d > 20 - 200; d -= 10) sweep = accumulateSweepDeg(sweep, c, at(d, 10, c), at(d - 10, 10, c));
    expect(sweep).toBeCloseTo(-200, 6);
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
