import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HostApi } from '../../../shared/ipc/hostApi';
import type { AppError } from '../../../shared/errors';
import { REPORT_CONTEXT_VERSION, type KeyImage, type ReportContext } from '../../../shared/schemas/report';
import { openSessionFor } from '../../../renderer/state/session';
import { getCalcaemiaValues, setCalcaemiaValues } from '../../../renderer/assess/calcaemiaStore';
import { addKeyImage, getKeyImages } from '../../../renderer/report/keyImages';
import { REPORT_CONTEXT_SAVE_DELAY_MS, startReportContext, type ReportContextBackend } from '../../../renderer/report/reportContext';

const host = { kind: 'browser', loadSession: async () => null, saveSession: async () => {} } as unknown as HostApi;

function memoryBackend(stored: Record<string, unknown> = {}) {
  const saves: Array<{ uid: string; record: ReportContext }> = [];
  const backend: ReportContextBackend = {
    load: async (uid) => (uid in stored ? JSON.parse(JSON.stringify(stored[uid])) : null),
    save: async (uid, record) => {
      saves.push({ uid, record: JSON.parse(JSON.stringify(record)) });
      stored[uid] = JSON.parse(JSON.stringify(record));
    },
  };
  return { backend, stored, saves };
}

const image = (caption: string): KeyImage => ({ viewportId: 'oblique', caption, pngDataUrl: 'data:image/png;base64,iVBORw0KGgo=', capturedAt: '2026-01-01T10:00:00.000Z' });
let n = 0;
const freshUid = () => `1.2.826.0.1.77.${++n}`;
/** Let the backend's promises settle (fake timers do not run microtasks on their own). */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('report context: key images and calcaemia per series, kept between page loads', () => {
  let stop: (() => void) | null = null;
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    stop?.();
    stop = null;
    vi.useRealTimers();
  });

  it('saves the values of a series, clears them when another series opens, and restores them on return', async () => {
    const { backend, saves, stored } = memoryBackend();
    stop = startReportContext(backend);
    const a = freshUid();
    const b = freshUid();
    await openSessionFor(host, a);
    await settle();
    setCalcaemiaValues({ measured: '2,9' });
    setCalcaemiaValues({ albumin: '30' });
    addKeyImage('lesion-a', image('femur'));
    expect(saves).toHaveLength(0); // debounced
    await vi.advanceTimersByTimeAsync(REPORT_CONTEXT_SAVE_DELAY_MS + 10);
    expect(saves).toHaveLength(1);
    expect(stored[a]).toMatchObject({ version: REPORT_CONTEXT_VERSION, seriesInstanceUid: a, calcaemia: { measured: '2,9', albumin: '30' } });

    // Another patient's series: nothing of the first one stays on screen or goes into its report.
    await openSessionFor(host, b);
    expect(getCalcaemiaValues()).toEqual({ measured: '', albumin: '' });
    expect(getKeyImages()).toEqual({});
    await settle();
    expect(getCalcaemiaValues()).toEqual({ measured: '', albumin: '' });

    // Back to the first series (or a reload of the page): its values return.
    await openSessionFor(host, a);
    await settle();
    expect(getCalcaemiaValues()).toEqual({ measured: '2,9', albumin: '30' });
    expect(getKeyImages()['lesion-a']?.map((i) => i.caption)).toEqual(['femur']);
    // Restoring is not an edit: no write-back.
    await vi.advanceTimersByTimeAsync(REPORT_CONTEXT_SAVE_DELAY_MS + 10);
    expect(saves).toHaveLength(1);
  });

  it('a change pending when the series switches is saved to its own series', async () => {
    const { backend, stored } = memoryBackend();
    stop = startReportContext(backend);
    const a = freshUid();
    await openSessionFor(host, a);
    await settle();
    setCalcaemiaValues({ measured: '3,6', albumin: '40' });
    await openSessionFor(host, freshUid()); // before the debounce ran
    await settle();
    expect(stored[a]).toMatchObject({ seriesInstanceUid: a, calcaemia: { measured: '3,6', albumin: '40' } });
  });

  it('a damaged or foreign stored record is reported and not used, and not overwritten by the restore', async () => {
    const a = freshUid();
    const c = freshUid();
    const { backend, saves } = memoryBackend({
      [a]: { version: REPORT_CONTEXT_VERSION, seriesInstanceUid: a, calcaemia: { measured: 3 }, keyImages: {} },
      [c]: { version: REPORT_CONTEXT_VERSION, seriesInstanceUid: 'another', calcaemia: { measured: '3', albumin: '20' }, keyImages: {} },
    });
    const errors: AppError[] = [];
    stop = startReportContext(backend, (e) => errors.push(e));
    await openSessionFor(host, a);
    await settle();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'REPORT_CONTEXT_INVALID', field: 'calcaemia.measured' });
    expect(getCalcaemiaValues()).toEqual({ measured: '', albumin: '' });
    await openSessionFor(host, c);
    await settle();
    expect(errors[1]).toMatchObject({ code: 'REPORT_CONTEXT_INVALID', field: 'seriesInstanceUid' });
    expect(getCalcaemiaValues()).toEqual({ measured: '', albumin: '' });
    await vi.advanceTimersByTimeAsync(REPORT_CONTEXT_SAVE_DELAY_MS + 10);
    expect(saves).toHaveLength(0);
  });

  it('values typed before the stored ones arrive win; images captured meanwhile are kept beside the stored ones', async () => {
    const a = freshUid();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const { backend: inner } = memoryBackend({
      [a]: { version: REPORT_CONTEXT_VERSION, seriesInstanceUid: a, calcaemia: { measured: '2,1', albumin: '35' }, keyImages: { l1: [image('stored')] } },
    });
    const backend: ReportContextBackend = { load: async (uid) => (await gate, inner.load(uid)), save: inner.save };
    stop = startReportContext(backend);
    await openSessionFor(host, a);
    setCalcaemiaValues({ measured: '2,5', albumin: '38' });
    addKeyImage('l1', image('new'));
    release();
    await settle();
    expect(getCalcaemiaValues()).toEqual({ measured: '2,5', albumin: '38' });
    expect(getKeyImages().l1.map((i) => i.caption)).toEqual(['stored', 'new']);
  });
});
