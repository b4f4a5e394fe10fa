import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HostApi } from '../../../shared/ipc/hostApi';
import { SessionSchema } from '../../../shared/schemas/session';
import {
  addLesion,
  addMeasurement,
  AUTOSAVE_DEBOUNCE_MS,
  flushAutosave,
  getSessionState,
  openSessionFor,
  redo,
  setAssessment,
  undo,
  updateMeasurement,
} from '../../../renderer/state/session';

/** A host whose session storage is a map (what IndexedDB / the session files hold). */
function fakeHost(stored: Record<string, unknown> = {}) {
  const aside: Array<{ uid: string; why: string }> = [];
  const saves: Array<{ uid: string; session: unknown }> = [];
  const host = {
    kind: 'browser',
    loadSession: vi.fn(async (uid: string) => (uid in stored ? stored[uid] : null)),
    saveSession: vi.fn(async (uid: string, session: unknown) => {
      saves.push({ uid, session: JSON.parse(JSON.stringify(session)) });
      stored[uid] = JSON.parse(JSON.stringify(session));
    }),
    setAsideSession: vi.fn(async (uid: string, why: string) => {
      aside.push({ uid, why });
      delete stored[uid];
    }),
  } as unknown as HostApi & { setAsideSession: (uid: string, why: string) => Promise<void> };
  return { host, stored, aside, saves };
}

const provenance = { tool: 'CircumferentialArc', method: 'manual' as const, thresholdHu: 400, plane: { kind: 'oblique' as const, origin: [0, 0, 0] as [number, number, number], normal: [0, 0, 1] as [number, number, number] } };
let uidCounter = 0;
const freshUid = () => `1.2.826.0.1.${++uidCounter}`;

describe('session store (renderer/state/session.ts)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('starts an empty session, autosaves edits after the debounce, and restores them on reopening', async () => {
    const { host, saves, stored } = fakeHost();
    const uid = freshUid();
    await openSessionFor(host, uid);
    expect(getSessionState().status).toBe('ready');
    expect(getSessionState().restored).toBe(false);
    const lesionId = addLesion({ bone: 'femur', site: 'peritrochanteric' })!;
    const id = addMeasurement({ kind: 'circumferentialPercent', value: 40, provenance })!;
    expect(getSessionState().saveStatus).toBe('pending');
    expect(saves).toHaveLength(0); // debounced
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DEBOUNCE_MS + 10);
    await flushAutosave();
    expect(saves).toHaveLength(1); // one save for the burst of edits
    expect(SessionSchema.parse(stored[uid]).measurements[0]).toMatchObject({ id, lesionId, value: 40 });

    // Another series, then back: the session comes back from storage.
    await openSessionFor(host, freshUid());
    expect(getSessionState().session!.measurements).toHaveLength(0);
    await openSessionFor(host, uid);
    expect(getSessionState().restored).toBe(true);
    expect(getSessionState().session!.measurements.map((m) => m.value)).toEqual([40]);
  });

  it('undo / redo restore values; a drag is one undo step', async () => {
    const { host } = fakeHost();
    await openSessionFor(host, freshUid());
    const id = addMeasurement({ kind: 'axialPercent', value: 20, provenance })!;
    for (const v of [21, 22, 23]) updateMeasurement(id, { value: v }, 'drag-1');
    expect(getSessionState().session!.measurements[0].value).toBe(23);
    undo();
    expect(getSessionState().session!.measurements[0].value).toBe(20);
    redo();
    expect(getSessionState().session!.measurements[0].value).toBe(23);
  });

  it('a session that fails the schema is kept aside and reported, and a new one starts', async () => {
    const uid = freshUid();
    const { host, aside } = fakeHost({ [uid]: { version: 1, seriesInstanceUid: uid, lesions: 'oops' } });
    const before = getSessionState().errors.length;
    await openSessionFor(host, uid);
    expect(aside).toEqual([{ uid, why: expect.stringContaining('session.lesions') }]);
    const errors = getSessionState().errors.slice(before);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'SESSION_INVALID', field: 'session.lesions' });
    expect(getSessionState().session!.lesions).toEqual([]);
  });

  it('a host that cannot read the stored session (damaged file) is reported with its code', async () => {
    const uid = freshUid();
    const { host } = fakeHost();
    (host.loadSession as ReturnType<typeof vi.fn>).mockRejectedValueOnce({ code: 'STORAGE_CORRUPT', message: 'moved aside to x.corrupt', file: 'session-x.json' });
    const before = getSessionState().errors.length;
    await openSessionFor(host, uid);
    expect(getSessionState().errors.slice(before)).toEqual([{ code: 'STORAGE_CORRUPT', message: 'moved aside to x.corrupt', file: 'session-x.json' }]);
    expect(getSessionState().status).toBe('ready');
  });

  it('two parts of the UI binding the same series load it once', async () => {
    const { host } = fakeHost();
    const uid = freshUid();
    await Promise.all([openSessionFor(host, uid), openSessionFor(host, uid)]);
    expect(host.loadSession).toHaveBeenCalledTimes(1);
  });

  it('setAssessment refuses unknown keys (a misspelt field must not vanish silently)', async () => {
    const { host } = fakeHost();
    await openSessionFor(host, freshUid());
    const lesionId = addLesion()!;
    expect(setAssessment(lesionId, { site: 'lower-limb', axialPercnt: 30 })?.code).toBe('ASSESSMENT_INVALID');
    expect(setAssessment(lesionId, { site: 'lower-limb', pain: 'moderate' })).toBeNull();
    expect(getSessionState().session!.assessments[lesionId]).toMatchObject({ site: 'lower-limb', pain: 'moderate' });
  });

  it('a failed save is reported and retried with the next save', async () => {
    const { host, saves } = fakeHost();
    await openSessionFor(host, freshUid());
    (host.saveSession as ReturnType<typeof vi.fn>).mockRejectedValueOnce({ code: 'SESSION_SAVE_FAILED', message: 'disk full' });
    addLesion();
    await flushAutosave();
    expect(getSessionState().saveStatus).toBe('error');
    expect(getSessionState().errors.at(-1)).toMatchObject({ code: 'SESSION_SAVE_FAILED' });
    await flushAutosave(); // still dirty: saved now
    expect(saves.length).toBe(1);
    expect(getSessionState().saveStatus).toBe('saved');
  });
});
