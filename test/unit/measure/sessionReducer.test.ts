import { describe, expect, it } from 'vitest';
import { canRedo, canUndo, initialHistory, sessionReducer, UNDO_LIMIT, type SessionAction, type SessionHistory } from '../../../shared/measure';
import type { Measurement } from '../../../shared/schemas/measurement';
import { emptySession, SessionSchema, type Drawing } from '../../../shared/schemas/session';

const T0 = '2026-11-24T12:00:00.000Z';
const T1 = '2026-11-24T12:01:00.000Z';
const view = { viewportId: 'oblique', focalPoint: [0, 0, 10] as [number, number, number], viewPlaneNormal: [0, 0, 1] as [number, number, number], viewUp: [0, -1, 0] as [number, number, number] };

function measurement(id: string, kind: Measurement['kind'], value: number, lesionId = 'L1'): Measurement {
  const unit = kind === 'axialLengthMm' ? 'mm' : '%';
  return {
    id,
    lesionId,
    kind,
    value,
    unit,
    provenance: {
      seriesInstanceUid: '1.2.3',
      plane: { kind: 'oblique', origin: [0, 0, 10], normal: [0, 0, 1] },
      tool: 'CircumferentialArc',
      thresholdHu: 400,
      method: 'manual',
      reader: 'AB',
      time: T0,
    },
  } as Measurement;
}
const arcDrawing: Drawing = { tool: 'CircumferentialArc', view, arcs: [{ centre: [0, 0, 10], start: [10, 0, 10], end: [0, 10, 10], sweepDeg: 90 }] };

const run = (actions: SessionAction[], h: SessionHistory = initialHistory(emptySession('1.2.3', T0))) => actions.reduce(sessionReducer, h);
const addLesion: SessionAction = { type: 'addLesion', lesion: { id: 'L1', bone: 'femur', site: 'lower-limb', label: 'left femur', level: undefined }, now: T1 };

describe('session reducer', () => {
  it('adds a lesion with the default 400 HU threshold and a measurement with its drawing', () => {
    const h = run([addLesion, { type: 'addMeasurement', measurement: measurement('M1', 'circumferentialPercent', 25), drawing: arcDrawing, now: T1 }]);
    expect(h.present.lesions[0].thresholdHu).toBe(400);
    expect(h.present.measurements.map((m) => m.value)).toEqual([25]);
    expect(h.present.drawings.M1).toEqual(arcDrawing);
    expect(h.present.updatedAt).toBe(T1);
    expect(SessionSchema.safeParse(h.present).success).toBe(true);
  });

  it('a reader typed after measuring is recorded on the measurements that had none, never over another reader (issue 14)', () => {
    const anonymous = { ...measurement('M2', 'axialPercent', 30), provenance: { ...measurement('M2', 'axialPercent', 30).provenance, reader: '' } } as Measurement;
    let h = run([addLesion, { type: 'addMeasurement', measurement: measurement('M1', 'axialPercent', 25), now: T1 }, { type: 'addMeasurement', measurement: anonymous, now: T1 }]);
    h = sessionReducer(h, { type: 'fillMissingReader', reader: '  Dr B ', now: T1 });
    expect(h.present.measurements.map((m) => m.provenance.reader)).toEqual(['AB', 'Dr B']);
    // Nothing to fill: no new undo step.
    expect(sessionReducer(h, { type: 'fillMissingReader', reader: 'Dr C', now: T1 })).toBe(h);
    expect(sessionReducer(h, { type: 'undo' }).present.measurements[1].provenance.reader).toBe('');
  });

  it('adds sharing a coalescing key are one undo step (a restore from an SR), and the next edit is its own', () => {
    const before = run([addLesion, { type: 'addMeasurement', measurement: measurement('M1', 'axialPercent', 30), now: T1 }]);
    const restored = run(
      [
        { type: 'addLesion', lesion: { id: 'L2', bone: 'humerus', site: 'upper-limb', label: 'from SR' }, now: T1, coalesceKey: 'restore-1' },
        { type: 'addMeasurement', measurement: measurement('M2', 'axialLengthMm', 31.5, 'L2'), now: T1, coalesceKey: 'restore-1' },
        { type: 'addMeasurement', measurement: measurement('M3', 'circumferentialPercent', 55, 'L2'), now: T1, coalesceKey: 'restore-1' },
      ],
      before,
    );
    expect(restored.present.measurements.map((m) => m.id)).toEqual(['M1', 'M2', 'M3']);
    expect(sessionReducer(restored, { type: 'undo' }).present).toEqual(before.present);
    const edited = sessionReducer(restored, { type: 'updateMeasurement', id: 'M2', value: 30, now: T1 });
    expect(sessionReducer(edited, { type: 'undo' }).present).toEqual(restored.present);
  });

  it('undo and redo restore values step by step', () => {
    let h = run([
      addLesion,
      { type: 'addMeasurement', measurement: measurement('M1', 'axialPercent', 30), now: T1 },
      { type: 'updateMeasurement', id: 'M1', value: 42, now: T1 },
      { type: 'deleteMeasurement', id: 'M1', now: T1 },
    ]);
    expect(h.present.measurements).toHaveLength(0);
    h = sessionReducer(h, { type: 'undo' });
    expect(h.present.measurements[0].value).toBe(42);
    h = sessionReducer(h, { type: 'undo' });
    expect(h.present.measurements[0].value).toBe(30);
    expect(canRedo(h)).toBe(true);
    h = sessionReducer(h, { type: 'redo' });
    expect(h.present.measurements[0].value).toBe(42);
    // A new edit after undo drops the redo branch.
    h = sessionReducer(h, { type: 'undo' });
    h = sessionReducer(h, { type: 'updateMeasurement', id: 'M1', value: 35, now: T1 });
    expect(canRedo(h)).toBe(false);
    expect(h.present.measurements[0].value).toBe(35);
  });

  it('a drag (updates with one coalesce key) is one undo step; another key starts a new step', () => {
    let h = run([addLesion, { type: 'addMeasurement', measurement: measurement('M1', 'axialPercent', 30), now: T1 }]);
    for (const v of [31, 32, 33]) h = sessionReducer(h, { type: 'updateMeasurement', id: 'M1', value: v, now: T1, coalesceKey: 'drag-1' });
    h = sessionReducer(h, { type: 'updateMeasurement', id: 'M1', value: 40, now: T1, coalesceKey: 'drag-2' });
    expect(h.present.measurements[0].value).toBe(40);
    h = sessionReducer(h, { type: 'undo' });
    expect(h.present.measurements[0].value).toBe(33);
    h = sessionReducer(h, { type: 'undo' });
    expect(h.present.measurements[0].value).toBe(30);
    // After an undo the same key must not merge into the restored state.
    h = sessionReducer(h, { type: 'updateMeasurement', id: 'M1', value: 50, now: T1, coalesceKey: 'drag-2' });
    h = sessionReducer(h, { type: 'undo' });
    expect(h.present.measurements[0].value).toBe(30);
  });

  it('undo / redo with empty stacks change nothing', () => {
    const h = run([]);
    expect(canUndo(h)).toBe(false);
    expect(sessionReducer(h, { type: 'undo' })).toBe(h);
    expect(sessionReducer(h, { type: 'redo' })).toBe(h);
  });

  it('a no-op edit (unknown id) adds no undo step', () => {
    const h = run([addLesion]);
    expect(sessionReducer(h, { type: 'deleteMeasurement', id: 'nope', now: T1 })).toBe(h);
    expect(sessionReducer(h, { type: 'addLesion', lesion: addLesion.type === 'addLesion' ? addLesion.lesion : (null as never), now: T1 })).toBe(h);
  });

  it('deleting a lesion removes its measurements, drawings and assessment; undo brings all back', () => {
    let h = run([
      addLesion,
      { type: 'addLesion', lesion: { id: 'L2', bone: 'humerus', site: 'upper-limb', label: 'humerus' }, now: T1 },
      { type: 'addMeasurement', measurement: measurement('M1', 'circumferentialPercent', 25), drawing: arcDrawing, now: T1 },
      { type: 'addMeasurement', measurement: measurement('M2', 'axialPercent', 10, 'L2'), now: T1 },
      { type: 'setAssessment', lesionId: 'L1', input: { site: 'lower-limb', pain: 'moderate' }, now: T1 },
      { type: 'deleteLesion', id: 'L1', now: T1 },
    ]);
    expect(h.present.lesions.map((l) => l.id)).toEqual(['L2']);
    expect(h.present.measurements.map((m) => m.id)).toEqual(['M2']);
    expect(h.present.drawings).toEqual({});
    expect(h.present.assessments).toEqual({});
    h = sessionReducer(h, { type: 'undo' });
    expect(h.present.measurements.map((m) => m.id)).toEqual(['M1', 'M2']);
    expect(h.present.drawings.M1).toEqual(arcDrawing);
    expect(h.present.assessments.L1).toEqual({ site: 'lower-limb', pain: 'moderate' });
  });

  it('a measurement moved to another lesion keeps its value and provenance; undo moves it back', () => {
    let h = run([
      addLesion,
      { type: 'addLesion', lesion: { id: 'L2', bone: 'humerus', site: 'upper-limb', label: 'humerus' }, now: T1 },
      { type: 'addMeasurement', measurement: measurement('M1', 'axialPercent', 30), now: T1 },
      { type: 'updateMeasurement', id: 'M1', lesionId: 'L2', now: T1 },
    ]);
    expect(h.present.measurements[0]).toMatchObject({ lesionId: 'L2', value: 30, provenance: { tool: 'CircumferentialArc', thresholdHu: 400 } });
    h = sessionReducer(h, { type: 'undo' });
    expect(h.present.measurements[0].lesionId).toBe('L1');
  });

  it('a changed lesion threshold is kept and undoable', () => {
    let h = run([addLesion, { type: 'updateLesion', id: 'L1', patch: { thresholdHu: 300 }, now: T1 }]);
    expect(h.present.lesions[0].thresholdHu).toBe(300);
    h = sessionReducer(h, { type: 'undo' });
    expect(h.present.lesions[0].thresholdHu).toBe(400);
  });

  it('keeps at most UNDO_LIMIT steps', () => {
    let h = run([addLesion]);
    for (let i = 0; i < UNDO_LIMIT + 20; i++) h = sessionReducer(h, { type: 'updateLesion', id: 'L1', patch: { label: `l${i}` }, now: T1 });
    expect(h.past.length).toBe(UNDO_LIMIT);
  });

  it('load replaces the session and clears the history', () => {
    const h = run([addLesion]);
    const loaded = sessionReducer(h, { type: 'load', session: emptySession('9.9', T0) });
    expect(loaded.present.seriesInstanceUid).toBe('9.9');
    expect(canUndo(loaded)).toBe(false);
  });
});

describe('session schema', () => {
  it('round-trips through JSON and rejects a measurement without provenance', () => {
    const h = run([addLesion, { type: 'addMeasurement', measurement: measurement('M1', 'circumferentialPercent', 25), drawing: arcDrawing, now: T1 }]);
    const back = SessionSchema.parse(JSON.parse(JSON.stringify(h.present)));
    expect(back).toEqual(h.present);
    const bad = JSON.parse(JSON.stringify(h.present));
    delete bad.measurements[0].provenance;
    const r = SessionSchema.safeParse(bad);
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues[0].path.slice(0, 2)).toEqual(['measurements', 0]);
  });
  it('rejects a percentage over 100 and an unknown version', () => {
    const s = emptySession('1.2.3', T0);
    expect(SessionSchema.safeParse({ ...s, version: 3 }).success).toBe(false);
    expect(SessionSchema.safeParse({ ...s, measurements: [measurement('M', 'axialPercent', 120)] }).success).toBe(false);
  });
});
