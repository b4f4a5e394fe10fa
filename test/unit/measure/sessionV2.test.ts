import { describe, expect, it } from 'vitest';
import { MAX_SESSION_JSON_CHARS } from '../../../shared/ipc/channels';
import { INVOKE_CHANNELS } from '../../../shared/ipc/channels';
import { initialHistory, keyImageCount, sessionReducer, withoutOrphanKeyImages, type SessionAction, type SessionHistory } from '../../../shared/measure';
import type { KeyImage } from '../../../shared/schemas/report';
import {
  emptySession,
  MAX_KEY_IMAGE_DATA_URL_CHARS,
  MAX_KEY_IMAGES_PER_LESION,
  MAX_KEY_IMAGES_PER_SESSION,
  SESSION_VERSION,
  SessionSchema,
} from '../../../shared/schemas/session';

const T0 = '2026-11-24T12:00:00.000Z';
const T1 = '2026-11-24T12:01:00.000Z';

/** A session exactly as version 1 of the app saved it (before key images, calcaemia and axis). */
const V1_SESSION = {
  version: 1,
  seriesInstanceUid: '1.2.826.0.1.3680043.8.498.1',
  lesions: [{ id: 'L1', bone: 'femur', site: 'peritrochanteric', label: '#1', thresholdHu: 400 }],
  measurements: [
    {
      id: 'M1',
      lesionId: 'L1',
      kind: 'axialPercent',
      value: 62.5,
      unit: '%',
      provenance: {
        seriesInstanceUid: '1.2.826.0.1.3680043.8.498.1',
        plane: { kind: 'oblique', origin: [0, 0, 10], normal: [0, 0, 1] },
        tool: 'CorticalRing',
        thresholdHu: 400,
        method: 'manual',
        reader: 'AB',
        time: T0,
      },
    },
  ],
  drawings: {},
  assessments: { L1: { site: 'peritrochanteric', pain: 'moderate' } },
  updatedAt: T0,
};

/** A key image whose data URL has `chars` characters (valid PNG data URL syntax). */
function image(caption: string, chars = 200): KeyImage {
  const prefix = 'data:image/png;base64,';
  return { viewportId: 'oblique', caption, pngDataUrl: prefix + 'A'.repeat(Math.max(4, chars - prefix.length)), capturedAt: T1 };
}

const withLesions = (...ids: string[]): SessionHistory =>
  ids.reduce<SessionHistory>(
    (h, id) => sessionReducer(h, { type: 'addLesion', lesion: { id, bone: 'femur', site: 'lower-limb', label: id }, now: T0 }),
    initialHistory(emptySession('1.2.3', T0)),
  );
const run = (h: SessionHistory, actions: SessionAction[]) => actions.reduce(sessionReducer, h);

describe('session schema v2: key images, calcaemia, bone axis', () => {
  it('a version 1 session still loads, as version 2 with no key images, empty calcaemia and no axis, and keeps all its work', () => {
    const s = SessionSchema.parse(JSON.parse(JSON.stringify(V1_SESSION)));
    expect(s.version).toBe(SESSION_VERSION);
    expect(SESSION_VERSION).toBe(2);
    expect(s.keyImages).toEqual({});
    expect(s.calcaemia).toEqual({ measured: '', albumin: '' });
    expect(s.boneAxis).toBeNull();
    expect(s.measurements[0]).toMatchObject({ id: 'M1', value: 62.5 });
    expect(s.assessments.L1).toMatchObject({ site: 'peritrochanteric', pain: 'moderate' });
    // Saved again as v2, it reads back identically.
    expect(SessionSchema.parse(JSON.parse(JSON.stringify(s)))).toEqual(s);
  });

  it('a v2 session round-trips its key images, calcaemia as typed and bone axis', () => {
    const s = {
      ...SessionSchema.parse(V1_SESSION),
      keyImages: { L1: [image('femur')] },
      calcaemia: { measured: '2,9', albumin: '3' },
      boneAxis: { p1Mm: [1.5, -2, 10] as [number, number, number], p2Mm: [1.5, -2, 90.25] as [number, number, number], drawnOnNormal: [0, -1, 0] as [number, number, number] },
    };
    expect(SessionSchema.parse(JSON.parse(JSON.stringify(s)))).toEqual(s);
  });

  it('refuses a key image that is not a PNG data URL, a malformed axis, and an unknown version', () => {
    const base = SessionSchema.parse(V1_SESSION);
    const bad = (patch: object) => SessionSchema.safeParse({ ...base, ...patch });
    const r = bad({ keyImages: { L1: [{ ...image('x'), pngDataUrl: 'data:text/html;base64,AAAA' }] } });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues[0].path.slice(0, 4)).toEqual(['keyImages', 'L1', 0, 'pngDataUrl']);
    expect(bad({ boneAxis: { p1Mm: [0, 0], p2Mm: [0, 0, 1], drawnOnNormal: [0, 1, 0] } }).success).toBe(false);
    expect(bad({ calcaemia: { measured: 2.9, albumin: '30' } }).success).toBe(false);
    expect(bad({ version: 3 }).success).toBe(false);
  });

  it('a session at every key image cap still fits the Electron session IPC limit', () => {
    let h = withLesions('L1', 'L2');
    for (let i = 0; i < MAX_KEY_IMAGES_PER_SESSION; i++)
      h = sessionReducer(h, { type: 'addKeyImage', lesionId: i < MAX_KEY_IMAGES_PER_LESION ? 'L1' : 'L2', image: image(`k${i}`, MAX_KEY_IMAGE_DATA_URL_CHARS), now: T1 });
    expect(keyImageCount(h.present)).toBe(MAX_KEY_IMAGES_PER_SESSION);
    const text = JSON.stringify(h.present);
    expect(text.length).toBeLessThan(MAX_SESSION_JSON_CHARS * 0.8); // room left for lesions and measurements
    const ok = INVOKE_CHANNELS.saveSession.request.safeParse({ seriesInstanceUid: '1.2.3', session: h.present });
    expect(ok.success).toBe(true);
  });
});

describe('session reducer: key images, calcaemia, bone axis', () => {
  it('key images are kept per lesion in capture order and removed by index', () => {
    const h = run(withLesions('L1'), [
      { type: 'addKeyImage', lesionId: 'L1', image: image('a'), now: T1 },
      { type: 'addKeyImage', lesionId: 'L1', image: image('b'), now: T1 },
      { type: 'addKeyImage', lesionId: 'L1', image: image('c'), now: T1 },
      { type: 'removeKeyImage', lesionId: 'L1', index: 1, now: T1 },
    ]);
    expect(h.present.keyImages.L1.map((i) => i.caption)).toEqual(['a', 'c']);
    const replaced = sessionReducer(h, { type: 'setKeyImages', lesionId: 'L1', images: [image('z')], now: T1 });
    expect(replaced.present.keyImages.L1.map((i) => i.caption)).toEqual(['z']);
  });

  it('refuses key images over the caps or of an unknown lesion (no change)', () => {
    let h = withLesions('L1', 'L2', 'L3');
    for (let i = 0; i < MAX_KEY_IMAGES_PER_LESION + 2; i++) h = sessionReducer(h, { type: 'addKeyImage', lesionId: 'L1', image: image(`a${i}`), now: T1 });
    expect(h.present.keyImages.L1).toHaveLength(MAX_KEY_IMAGES_PER_LESION);
    for (let i = 0; i < MAX_KEY_IMAGES_PER_LESION; i++) h = sessionReducer(h, { type: 'addKeyImage', lesionId: 'L2', image: image(`b${i}`), now: T1 });
    expect(keyImageCount(h.present)).toBe(MAX_KEY_IMAGES_PER_SESSION);
    expect(sessionReducer(h, { type: 'addKeyImage', lesionId: 'L3', image: image('over'), now: T1 })).toBe(h);
    const big = withLesions('L1');
    expect(sessionReducer(big, { type: 'addKeyImage', lesionId: 'L1', image: image('big', MAX_KEY_IMAGE_DATA_URL_CHARS + 1), now: T1 })).toBe(big);
    expect(sessionReducer(big, { type: 'addKeyImage', lesionId: 'nope', image: image('x'), now: T1 })).toBe(big);
  });

  it('key images and the bone axis are outside undo: undo / redo of a measurement edit keep them, and they add no undo step', () => {
    let h = run(withLesions('L1'), [{ type: 'setAssessment', lesionId: 'L1', input: { pain: 'mild' }, now: T1 }]);
    const steps = h.past.length;
    h = run(h, [
      { type: 'addKeyImage', lesionId: 'L1', image: image('k'), now: T1 },
      { type: 'setBoneAxis', axis: { p1Mm: [0, 0, 0], p2Mm: [0, 0, 50], drawnOnNormal: [0, -1, 0] }, now: T1 },
    ]);
    expect(h.past.length).toBe(steps);
    h = sessionReducer(h, { type: 'undo' });
    expect(h.present.assessments.L1).toBeUndefined(); // the assessment edit was undone …
    expect(h.present.keyImages.L1.map((i) => i.caption)).toEqual(['k']); // … the capture was not
    expect(h.present.boneAxis?.p2Mm).toEqual([0, 0, 50]);
    h = sessionReducer(h, { type: 'redo' });
    expect(h.present.assessments.L1).toEqual({ pain: 'mild' });
    expect(h.present.keyImages.L1).toHaveLength(1);
    // Undo back to the very start (before the lesion) still keeps the captures of the session.
    while (h.past.length) h = sessionReducer(h, { type: 'undo' });
    expect(h.present.lesions).toEqual([]);
    expect(h.present.keyImages.L1).toHaveLength(1);
  });

  it('the same axis again is no change (no autosave); a cleared axis is null', () => {
    const axis = { p1Mm: [0, 0, 0] as [number, number, number], p2Mm: [0, 0, 50] as [number, number, number], drawnOnNormal: [0, -1, 0] as [number, number, number] };
    const h = sessionReducer(withLesions(), { type: 'setBoneAxis', axis, now: T1 });
    expect(sessionReducer(h, { type: 'setBoneAxis', axis: JSON.parse(JSON.stringify(axis)), now: T1 })).toBe(h);
    expect(sessionReducer(h, { type: 'setBoneAxis', axis: null, now: T1 }).present.boneAxis).toBeNull();
  });

  it('calcaemia typing is one undo step and undo restores the previous values', () => {
    let h = withLesions('L1');
    for (const measured of ['2', '2,', '2,9']) h = sessionReducer(h, { type: 'setCalcaemia', calcaemia: { measured, albumin: '' }, now: T1, coalesceKey: 'calcaemia' });
    h = sessionReducer(h, { type: 'setCalcaemia', calcaemia: { measured: '2,9', albumin: '30' }, now: T1, coalesceKey: 'calcaemia' });
    expect(h.present.calcaemia).toEqual({ measured: '2,9', albumin: '30' });
    h = sessionReducer(h, { type: 'undo' });
    expect(h.present.calcaemia).toEqual({ measured: '', albumin: '' });
  });

  it('key images of lesions no longer in the session are dropped when it is reopened', () => {
    const h = run(withLesions('L1', 'L2'), [
      { type: 'addKeyImage', lesionId: 'L1', image: image('a'), now: T1 },
      { type: 'addKeyImage', lesionId: 'L2', image: image('b'), now: T1 },
      { type: 'deleteLesion', id: 'L2', now: T1 },
    ]);
    expect(Object.keys(h.present.keyImages).sort()).toEqual(['L1', 'L2']); // undo could bring L2 back
    expect(Object.keys(withoutOrphanKeyImages(h.present).keyImages)).toEqual(['L1']);
  });
});
