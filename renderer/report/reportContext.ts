/**
 * The report's context of the open series — key images per lesion and the calcaemia helper's
 * two laboratory values — kept per series between page loads and swapped when another series
 * opens. Without it both were lost on reload, and the calcaemia values of one patient stayed on
 * screen (and in the report) after opening another patient's series.
 *
 * The autosaved session (renderer/state/session.ts) does not carry them: the images would make
 * every autosave rewrite megabytes. They go to their own IndexedDB store, one record per series
 * (Electron's app origin is a secure standard scheme, so IndexedDB lives in the app's data folder
 * there too). Every record is parsed with ReportContextSchema when read; a damaged one is reported
 * through the error listener and left in place, never used.
 *
 *   startReportContext(backend?, onError?) → stop()   // once, at app start (App.tsx)
 */
import { appError, type AppError } from '../../shared/errors';
import { REPORT_CONTEXT_VERSION, ReportContextSchema, type KeyImage, type ReportContext } from '../../shared/schemas/report';
import { getSessionState, subscribeSession } from '../state/session';
import { getCalcaemiaValues, replaceCalcaemiaValues, subscribeCalcaemiaValues } from '../assess/calcaemiaStore';
import { getKeyImages, replaceKeyImages, subscribeKeyImages } from './keyImages';

export interface ReportContextBackend {
  load(seriesInstanceUid: string): Promise<unknown | null>;
  save(seriesInstanceUid: string, record: ReportContext): Promise<void>;
}

/** Delay after the last change before writing (ms): typing a value writes once. */
export const REPORT_CONTEXT_SAVE_DELAY_MS = 400;

const DB_NAME = 'frw-report-context';
const STORE = 'bySeries';

function openDb(): Promise<IDBDatabase> {
  return new Promise((res, rej) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => res(req.result);
    req.onerror = () => rej(req.error);
  });
}

/** The IndexedDB backend (browser host and Electron renderer alike). */
export function indexedDbReportContextBackend(): ReportContextBackend {
  let db: Promise<IDBDatabase> | null = null;
  const store = async (mode: IDBTransactionMode) => {
    db ??= openDb();
    return (await db).transaction(STORE, mode).objectStore(STORE);
  };
  const request = <T>(r: IDBRequest<T>) =>
    new Promise<T>((res, rej) => {
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
  return {
    load: async (uid) => (await request((await store('readonly')).get(uid))) ?? null,
    save: async (uid, record) => {
      await request((await store('readwrite')).put(record, uid));
    },
  };
}

const emptyCalcaemia = { measured: '', albumin: '' };

/** Parse a stored record for `uid`; a record of another series or shape is an error value. */
export function parseReportContext(raw: unknown, uid: string): { ok: true; value: ReportContext } | { ok: false; error: AppError } {
  const parsed = ReportContextSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || undefined;
    return { ok: false, error: appError('REPORT_CONTEXT_INVALID', `Stored key images / calcaemia of this series could not be read (${field ?? 'record'}: ${issue?.message ?? 'invalid'}); they were left aside.`, { field }) };
  }
  if (parsed.data.seriesInstanceUid !== uid) {
    return { ok: false, error: appError('REPORT_CONTEXT_INVALID', 'Stored key images / calcaemia belong to another series; not used.', { field: 'seriesInstanceUid' }) };
  }
  return { ok: true, value: parsed.data };
}

/**
 * Follow the session store's series: on a switch, clear the values at once (nothing of the
 * previous series shows for a moment), then restore the stored ones; save changes (debounced,
 * and at once when the page is hidden). Values typed before the stored ones arrive win over them;
 * key images captured meanwhile are kept beside the restored ones.
 */
export function startReportContext(backend: ReportContextBackend = indexedDbReportContextBackend(), onError: (e: AppError) => void = () => {}): () => void {
  let uid: string | null = null;
  let applying = false;
  let dirty = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let generation = 0;

  const apply = (f: () => void) => {
    applying = true;
    try {
      f();
    } finally {
      applying = false;
    }
  };

  const saveNow = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!uid || !dirty) return;
    dirty = false;
    const record: ReportContext = { version: REPORT_CONTEXT_VERSION, seriesInstanceUid: uid, calcaemia: { ...getCalcaemiaValues() }, keyImages: getKeyImages() };
    backend.save(uid, record).catch((e) => onError(appError('REPORT_CONTEXT_SAVE_FAILED', `Key images / calcaemia could not be saved: ${String((e as Error)?.message ?? e)}`)));
  };

  const changed = () => {
    if (applying || !uid) return;
    dirty = true;
    if (timer) clearTimeout(timer);
    timer = setTimeout(saveNow, REPORT_CONTEXT_SAVE_DELAY_MS);
  };

  const follow = () => {
    const next = getSessionState().seriesInstanceUid;
    if (next === uid) return;
    saveNow(); // the previous series' pending change
    uid = next;
    const mine = ++generation;
    apply(() => {
      replaceCalcaemiaValues(emptyCalcaemia);
      replaceKeyImages({});
    });
    if (!next) return;
    backend
      .load(next)
      .then((raw) => {
        if (mine !== generation || raw === null || raw === undefined) return;
        const r = parseReportContext(raw, next);
        if (!r.ok) {
          onError(r.error);
          return;
        }
        const typed = getCalcaemiaValues();
        const captured = getKeyImages();
        const merged: Record<string, KeyImage[]> = { ...r.value.keyImages };
        for (const [lesionId, imgs] of Object.entries(captured)) merged[lesionId] = [...(merged[lesionId] ?? []), ...imgs];
        apply(() => {
          if (typed.measured === '' && typed.albumin === '') replaceCalcaemiaValues(r.value.calcaemia);
          replaceKeyImages(merged);
        });
      })
      .catch((e) => {
        if (mine === generation) onError(appError('REPORT_CONTEXT_LOAD_FAILED', `Key images / calcaemia of this series could not be read: ${String((e as Error)?.message ?? e)}`));
      });
  };

  const onHide = () => {
    if (document.visibilityState === 'hidden') saveNow();
  };
  const unsubs = [subscribeSession(follow), subscribeCalcaemiaValues(changed), subscribeKeyImages(changed)];
  const hasDocument = typeof document !== 'undefined';
  if (hasDocument) {
    document.addEventListener('visibilitychange', onHide);
    window.addEventListener('pagehide', saveNow);
  }
  follow();
  return () => {
    saveNow();
    for (const u of unsubs) u();
    if (hasDocument) {
      document.removeEventListener('visibilitychange', onHide);
      window.removeEventListener('pagehide', saveNow);
    }
  };
}
