import { describe, expect, it } from 'vitest';
import { alongAxisComponentMm, arcSideCautions, lesionValue, lesionValues } from '../../../shared/measure';
import { usedValue } from '../../../shared/report/measuredValues';
import type { Measurement } from '../../../shared/schemas/measurement';
import { emptySession, type Drawing, type Session } from '../../../shared/schemas/session';

const T = '2026-11-24T12:00:00.000Z';
const view = { viewportId: 'coronal', focalPoint: [0, 0, 0] as [number, number, number], viewPlaneNormal: [0, 1, 0] as [number, number, number], viewUp: [0, 0, 1] as [number, number, number] };
function m(id: string, kind: Measurement['kind'], value: number, lesionId = 'L1'): Measurement {
  return {
    id,
    lesionId,
    kind,
    value,
    unit: kind === 'axialLengthMm' ? 'mm' : '%',
    provenance: { seriesInstanceUid: '1.2', plane: { kind: 'coronal', origin: [0, 0, 0], normal: [0, 1, 0] }, tool: 'AxialLength', thresholdHu: 400, method: 'manual', reader: '', time: T },
  } as Measurement;
}
const length = (notAlongBone: boolean, offAxisChoice?: 'along-axis' | 'as-drawn'): Drawing => ({
  tool: 'AxialLength',
  view,
  points: [[0, 0, 0], [0, 0, 30]],
  lineAxisAngleDeg: notAlongBone ? 20 : 0,
  axisSource: 'bone-axis',
  notAlongBone,
  ...(offAxisChoice ? { offAxisChoice } : {}),
});

function session(ms: Measurement[], drawings: Record<string, Drawing>): Session {
  return { ...emptySession('1.2', T), lesions: [{ id: 'L1', bone: 'femur', site: 'lower-limb', label: '1', thresholdHu: 400 }], measurements: ms, drawings };
}

describe('lesion values', () => {
  it('takes the most affected value of each kind and says when one is not measured', () => {
    const s = session([m('a', 'axialPercent', 20), m('b', 'axialPercent', 35), m('c', 'circumferentialPercent', 50), m('x', 'axialPercent', 90, 'L2')], {});
    const v = lesionValues(s, 'L1');
    expect(v.map((x) => [x.kind, x.value])).toEqual([
      ['axialLengthMm', null],
      ['circumferentialPercent', 50],
      ['axialPercent', 35],
    ]);
    expect(v[2].count).toBe(2);
  });
  it('prefers lengths along the bone over a longer off-axis one, and flags an off-axis-only length', () => {
    const s = session([m('along', 'axialLengthMm', 28), m('off', 'axialLengthMm', 33)], { along: length(false), off: length(true, 'as-drawn') });
    expect(lesionValue(s, 'L1', 'axialLengthMm')).toMatchObject({ value: 28, offAxis: false, count: 2 });
    const only = session([m('off', 'axialLengthMm', 33)], { off: length(true, 'as-drawn') });
    expect(lesionValue(only, 'L1', 'axialLengthMm')).toMatchObject({ value: 33, offAxis: true });
  });
  it('an off-axis length without the reader\'s choice enters nothing and is counted as pending (issue 14)', () => {
    const pending = session([m('off', 'axialLengthMm', 33)], { off: length(true) });
    expect(lesionValue(pending, 'L1', 'axialLengthMm')).toMatchObject({ value: null, measurement: null, pendingOffAxis: 1, count: 1 });
    const used = usedValue('axialLengthMm', pending.measurements, {}, new Set(), new Set(['off']));
    expect(used).toMatchObject({ value: null, origin: 'not-measured', offAxisPending: 1 });
    // Its along-axis component: the line's length × cos(angle).
    expect(alongAxisComponentMm([[0, 0, 0], [0, 0, 30]], 20)).toBeCloseTo(30 * Math.cos((20 * Math.PI) / 180), 9);
    const component = session([m('off', 'axialLengthMm', 28.19)], { off: length(true, 'along-axis') });
    expect(lesionValue(component, 'L1', 'axialLengthMm')).toMatchObject({ value: 28.19, offAxis: false, pendingOffAxis: 0 });
  });
});

describe('arcSideCautions (issue 14: which side of 50 % the other arc would give)', () => {
  it('names the other side when it crosses the threshold, and only then', () => {
    const [c] = arcSideCautions([{ startDeg: 80, sweepDeg: 193 }]);
    expect(c.arcIndex).toBe(0);
    expect(c.otherSidePercent).toBeCloseTo((167 / 360) * 100, 9);
    expect(c.thresholdPercent).toBe(50);
    // Two 40° arcs (22 %): taking the other side of either gives 320° + 40° overlap-free = 89 %.
    const two = arcSideCautions([{ startDeg: 0, sweepDeg: 40 }, { startDeg: 180, sweepDeg: 40 }]);
    expect(two.map((x) => x.arcIndex)).toEqual([0, 1]);
    // Arc exactly 50 % and its complement 50 %: neither is above, no caution.
    expect(arcSideCautions([{ startDeg: 10, sweepDeg: 180 }])).toEqual([]);
    // A second arc covering the gap already: the total is 100 % either way.
    expect(arcSideCautions([{ startDeg: 0, sweepDeg: 100 }, { startDeg: 0, sweepDeg: -300 }]).some((x) => x.arcIndex === 0)).toBe(false);
  });
});
