import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HostApi } from '../../../shared/ipc/hostApi';
import type { KeyImage } from '../../../shared/schemas/report';
import { MAX_KEY_IMAGES_PER_LESION, SessionSchema } from '../../../shared/schemas/session';
import { addLesion, AUTOSAVE_DEBOUNCE_MS, flushAutosave, getSessionState, openSessionFor, setBoneAxis, undo } from '../../../renderer/state/session';
// The report and assess panels go through these (they delegate to the session store).
import { addKeyImage, getKeyImages, removeKeyImage } from '../../../renderer/report/keyImages';
import { getCalcaemiaValues, setCalcaemiaValues } from '../../../renderer/assess/calcaemiaStore';

function fakeHost(stored: Record<string, unknown> = {}) {
  const saves: Array<{ uid: string; session: unknown }> = [];
  const host = {
    kind: 'browser',
    loadSession: vi.fn(async (uid: string) => (uid in stored ? JSON.parse(JSON.stringify(stored[uid])) : null)),
    saveSession: vi.fn(async (uid: string, session: unknown) => {
      saves.push({ uid, session: JSON.parse(JSON.stringify(session)) });
      stored[uid] = JSON.parse(JSON.stringify(session));
    }),
    setAsideSession: vi.fn(async () => {}),
  } as unknown as HostApi;
  return { host, stored, saves };
}
const image = (caption: string): KeyImage => ({ viewportId: 'oblique', caption, pngDataUrl: 'data:image/png;base64,iVBORw0KGgo=', capturedAt: '2026-11-24T10:00:00.000Z' });
let n = 0;
const freshUid = () => `1.2.826.0.1.88.${++n}`;

describe('session store v2: key images, calcaemia and bone axis survive a reload, per series', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('autosaves them with the session and restores them when the series is opened again; another series starts empty', async () => {
    const { host, stored } = fakeHost();
    const a = freshUid();
    await openSessionFor(host, a);
    const lesionId = addLesion({ bone: 'femur', site: 'peritrochanteric' })!;
    expect(addKeyImage(lesionId, image('femur oblique'))).toBeNull();
    setCalcaemiaValues({ measured: '2,9' });
    setCalcaemiaValues({ albumin: '30' });
    setBoneAxis({ p1Mm: [0, 0, 10], p2Mm: [0, 0, 90], drawnOnNormal: [0, -1, 0] });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DEBOUNCE_MS + 10);
    await flushAutosave();
    const saved = SessionSchema.parse(stored[a]);
    expect(saved.keyImages[lesionId].map((i) => i.caption)).toEqual(['femur oblique']);
    expect(saved.calcaemia).toEqual({ measured: '2,9', albumin: '30' });
    expect(saved.boneAxis).toEqual({ p1Mm: [0, 0, 10], p2Mm: [0, 0, 90], drawnOnNormal: [0, -1, 0] });

    // Another patient's series: nothing of the first shows or goes into its report.
    await openSessionFor(host, freshUid());
    expect(getKeyImages()).toEqual({});
    expect(getCalcaemiaValues()).toEqual({ measured: '', albumin: '' });
    expect(getSessionState().session!.boneAxis).toBeNull();

    // Back (as after a reload): everything returns, and restoring is not an edit.
    await openSessionFor(host, a);
    expect(getSessionState().restored).toBe(true);
    expect(getKeyImages()[lesionId].map((i) => i.caption)).toEqual(['femur oblique']);
    expect(getCalcaemiaValues()).toEqual({ measured: '2,9', albumin: '30' });
    expect(getSessionState().session!.boneAxis?.p2Mm).toEqual([0, 0, 90]);
    expect(getSessionState().saveStatus).toBe('saved');
  });

  it('a capture beyond the per-lesion cap is refused with a coded error, and undo does not remove a capture', async () => {
    const { host } = fakeHost();
    await openSessionFor(host, freshUid());
    const lesionId = addLesion()!;
    for (let i = 0; i < MAX_KEY_IMAGES_PER_LESION; i++) expect(addKeyImage(lesionId, image(`k${i}`))).toBeNull();
    expect(addKeyImage(lesionId, image('one too many'))).toMatchObject({ code: 'KEY_IMAGE_LIMIT_LESION', field: 'keyImages' });
    expect(addKeyImage('no-such-lesion', image('x'))).toMatchObject({ code: 'KEY_IMAGE_NO_LESION' });
    removeKeyImage(lesionId, 0);
    expect(getKeyImages()[lesionId].map((i) => i.caption)).toEqual(['k1', 'k2', 'k3']);
    setCalcaemiaValues({ measured: '3' });
    undo(); // undoes the calcaemia typing, not the key images
    expect(getCalcaemiaValues().measured).toBe('');
    expect(getKeyImages()[lesionId]).toHaveLength(3);
  });

  it('an old (version 1) stored session loads with no key images, empty calcaemia and no axis, and is saved back as version 2', async () => {
    const uid = freshUid();
    const v1 = { version: 1, seriesInstanceUid: uid, lesions: [{ id: 'L1', bone: 'femur', site: 'lower-limb', label: '#1' }], measurements: [], drawings: {}, assessments: {}, updatedAt: '2026-01-01T00:00:00.000Z' };
    const { host, stored } = fakeHost({ [uid]: v1 });
    await openSessionFor(host, uid);
    expect(getSessionState().errors.filter((e) => e.code === 'SESSION_INVALID')).toHaveLength(0);
    expect(getSessionState().restored).toBe(true);
    expect(getSessionState().session).toMatchObject({ version: 2, keyImages: {}, calcaemia: { measured: '', albumin: '' }, boneAxis: null });
    expect(addKeyImage('L1', image('new'))).toBeNull();
    await flushAutosave();
    expect(stored[uid]).toMatchObject({ version: 2, keyImages: { L1: [{ caption: 'new' }] } });
  });
});
