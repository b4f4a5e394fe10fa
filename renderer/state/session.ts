/**
 * The session store the UI uses: one session (lesions, measurements, drawings, assessment input)
 * per open series, with undo / redo (shared/measure/sessionReducer.ts) and autosave through the
 * host (`host.saveSession`, debounced, and at once when the page is hidden).
 *
 * For other parts of the UI:
 *   const s = useSession();               // re-renders on every change
 *   s.session?.lesions, s.activeLesionId, s.canUndo …
 *   setAssessment(lesionId, input);       // the assessment helper's input for a lesion
 *   addMeasurement({ lesionId, kind, value, provenance }, drawing?) → id   // assisted analysis
 *   addKeyImage(lesionId, image) → AppError | null; removeKeyImage(lesionId, index);
 *   setKeyImages(lesionId, images)        // the report's key images (outside undo, size-capped)
 *   setCalcaemia({ measured?, albumin? }) // the calcaemia helper's values as typed (undoable)
 *   setBoneAxis(axis | null)              // mirror of the viewer's bone axis (outside undo)
 *   useKeyImages(), useCalcaemia()        // stable selectors for React
 *
 * A stored session that cannot be read is kept aside by the host and reported (banner via the
 * error listener); a new session starts, never silently replacing the damaged one unseen.
 */
import { useSyncExternalStore } from 'react';
import { appError, type AppError } from '../../shared/errors';
import type { HostApi } from '../../shared/ipc/hostApi';
import {
  canRedo,
  canUndo,
  initialHistory,
  keyImageRefusal,
  keyImagesRefusal,
  sessionReducer,
  withoutOrphanKeyImages,
  type SessionAction,
  type SessionHistory,
} from '../../shared/measure';
import type { KeyImage } from '../../shared/schemas/report';
import { MEASUREMENT_UNIT, type Lesion, type Measurement, type MeasurementKind } from '../../shared/schemas/measurement';
import {
  AssessmentDraftSchema,
  emptySession,
  SessionSchema,
  EMPTY_CALCAEMIA,
  type AssessmentDraft,
  type CalcaemiaEntry,
  type Drawing,
  type Session,
  type SessionBoneAxis,
  type SessionKeyImages,
  type SessionLesion,
} from '../../shared/schemas/session';

/** Autosave delay after the last edit (ms): short enough to lose at most a moment of work. */
export const AUTOSAVE_DEBOUNCE_MS = 600;

export type SaveStatus = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

export interface SessionState {
  seriesInstanceUid: string | null;
  status: 'none' | 'loading' | 'ready';
  history: SessionHistory | null;
  session: Session | null;
  /** True when the session came back from storage (the series was opened before). */
  restored: boolean;
  activeLesionId: string | null;
  selectedMeasurementId: string | null;
  saveStatus: SaveStatus;
  lastSavedAt: string | null;
  /** Problems with stored sessions (corrupt, save failed), for the banner. */
  errors: AppError[];
  canUndo: boolean;
  canRedo: boolean;
  /** Who measures (initials), recorded in every measurement's provenance. */
  reader: string;
}

const READER_KEY = 'frw.reader';

function initialReader(): string {
  try {
    return globalThis.localStorage?.getItem(READER_KEY) ?? '';
  } catch {
    return '';
  }
}

let state: SessionState = {
  seriesInstanceUid: null,
  status: 'none',
  history: null,
  session: null,
  restored: false,
  activeLesionId: null,
  selectedMeasurementId: null,
  saveStatus: 'idle',
  lastSavedAt: null,
  errors: [],
  canUndo: false,
  canRedo: false,
  reader: initialReader(),
};
const listeners = new Set<() => void>();
let host: HostApi | null = null;
let openToken = 0;

function set(patch: Partial<SessionState>): void {
  state = { ...state, ...patch };
  if (patch.history !== undefined) {
    const h = patch.history;
    state.session = h?.present ?? null;
    state.canUndo = h ? canUndo(h) : false;
    state.canRedo = h ? canRedo(h) : false;
  }
  for (const l of [...listeners]) l();
}

export function getSessionState(): SessionState {
  return state;
}
export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
export function useSession(): SessionState {
  return useSyncExternalStore(subscribeSession, getSessionState, getSessionState);
}

const nowIso = () => new Date().toISOString();
export const newId = (prefix: string) => `${prefix}-${globalThis.crypto?.randomUUID?.() ?? Math.random().toString(36).slice(2)}`;

// ------------------------------------------------------------------ opening / restoring

/**
 * Bind the store to a series: restore its saved session (or start an empty one). Pending edits
 * of the previous series are saved first.
 */
let opening: { uid: string | null; host: HostApi; promise: Promise<void> } | null = null;

export function openSessionFor(h: HostApi, seriesInstanceUid: string | null): Promise<void> {
  if (seriesInstanceUid === state.seriesInstanceUid && h === host) return opening?.promise ?? Promise.resolve();
  // Several parts of the UI bind the store to the selected series: one load per series, shared.
  if (opening && opening.uid === seriesInstanceUid && opening.host === h) return opening.promise;
  const promise = openNow(h, seriesInstanceUid).finally(() => {
    if (opening?.promise === promise) opening = null;
  });
  opening = { uid: seriesInstanceUid, host: h, promise };
  return promise;
}

async function openNow(h: HostApi, seriesInstanceUid: string | null): Promise<void> {
  await flushAutosave();
  host = h;
  const token = ++openToken;
  if (!seriesInstanceUid) {
    set({ seriesInstanceUid: null, status: 'none', history: null, restored: false, activeLesionId: null, selectedMeasurementId: null, saveStatus: 'idle' });
    return;
  }
  set({ seriesInstanceUid, status: 'loading', history: null, restored: false, activeLesionId: null, selectedMeasurementId: null, saveStatus: 'idle' });
  let raw: unknown = null;
  const errors: AppError[] = [];
  try {
    raw = await h.loadSession(seriesInstanceUid);
  } catch (e) {
    errors.push(asAppError(e, 'SESSION_CORRUPT', 'The saved session of this series could not be read; it was kept aside and a new session started.'));
  }
  let session: Session | null = null;
  if (raw !== null && raw !== undefined) {
    const parsed = SessionSchema.safeParse(raw);
    if (parsed.success && parsed.data.seriesInstanceUid === seriesInstanceUid) session = parsed.data;
    else {
      const issue = parsed.success ? { path: ['seriesInstanceUid'], message: 'belongs to another series' } : parsed.error.issues[0];
      const field = `session.${issue.path.join('.')}`;
      // Keep the damaged session aside before anything can overwrite it.
      const aside = (h as HostApi & { setAsideSession?: (uid: string, why: string) => Promise<void> }).setAsideSession;
      if (aside) {
        try {
          await aside.call(h, seriesInstanceUid, `${field}: ${issue.message}`);
        } catch {
          /* reported below; autosave stays off for this series so nothing is overwritten */
        }
      }
      errors.push(
        appError('SESSION_INVALID', `The saved session of this series is invalid (${field}: ${issue.message}); it was kept aside and a new session started.`, {
          field,
        }),
      );
    }
  }
  if (token !== openToken) {
    // Superseded by another series: still report a damaged session (it was kept aside).
    if (errors.length) set({ errors: [...state.errors, ...errors] });
    return;
  }
  const restored = session !== null;
  const present = session ? withoutOrphanKeyImages(session) : emptySession(seriesInstanceUid, nowIso());
  set({
    status: 'ready',
    history: initialHistory(present),
    restored,
    activeLesionId: present.lesions[present.lesions.length - 1]?.id ?? null,
    errors: [...state.errors, ...errors],
    saveStatus: restored ? 'saved' : 'idle',
  });
}

function asAppError(e: unknown, code: string, message: string): AppError {
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const a = e as AppError;
    return appError(String(a.code), String(a.message), { ...(a.field ? { field: a.field } : {}), ...(a.file ? { file: a.file } : {}) });
  }
  return appError(code, message);
}

export function dismissSessionErrors(): void {
  set({ errors: [] });
}

// ------------------------------------------------------------------ edits

type Edit = Exclude<SessionAction, { type: 'undo' } | { type: 'redo' } | { type: 'load' }>;
type EditWithoutNow = Edit extends infer A ? (A extends Edit ? Omit<A, 'now'> : never) : never;

export function dispatch(action: EditWithoutNow | { type: 'undo' } | { type: 'redo' }): void {
  if (!state.history) return;
  const full = (action.type === 'undo' || action.type === 'redo' ? action : { ...action, now: nowIso() }) as SessionAction;
  const next = sessionReducer(state.history, full);
  if (next === state.history) return;
  const patch: Partial<SessionState> = { history: next };
  if (state.activeLesionId && !next.present.lesions.some((l) => l.id === state.activeLesionId))
    patch.activeLesionId = next.present.lesions[next.present.lesions.length - 1]?.id ?? null;
  if (!state.activeLesionId && next.present.lesions.length) patch.activeLesionId = next.present.lesions[next.present.lesions.length - 1].id;
  if (state.selectedMeasurementId && !next.present.measurements.some((m) => m.id === state.selectedMeasurementId)) patch.selectedMeasurementId = null;
  set(patch);
  scheduleAutosave();
}

export const undo = () => dispatch({ type: 'undo' });
export const redo = () => dispatch({ type: 'redo' });

export function addLesion(lesion: Partial<Omit<SessionLesion, 'id'>> = {}): string | null {
  if (!state.session) return null;
  const id = newId('lesion');
  const n = state.session.lesions.length + 1;
  const full: Lesion & { thresholdHu?: number } = {
    id,
    bone: lesion.bone ?? 'femur',
    site: lesion.site ?? 'lower-limb',
    label: lesion.label ?? `#${n}`,
    ...(lesion.level ? { level: lesion.level } : {}),
    ...(lesion.thresholdHu !== undefined ? { thresholdHu: lesion.thresholdHu } : {}),
  };
  dispatch({ type: 'addLesion', lesion: full });
  set({ activeLesionId: id });
  return id;
}

export function updateLesion(id: string, patch: Partial<Omit<SessionLesion, 'id'>>, coalesceKey?: string): void {
  dispatch({ type: 'updateLesion', id, patch, ...(coalesceKey ? { coalesceKey } : {}) });
}
export function deleteLesion(id: string): void {
  dispatch({ type: 'deleteLesion', id });
}
export function setActiveLesion(id: string | null): void {
  set({ activeLesionId: id });
}
/** The active lesion, creating a first one when there is none (a measurement always has a lesion). */
export function ensureActiveLesion(): SessionLesion | null {
  if (!state.session) return null;
  let id = state.activeLesionId;
  if (!id || !state.session.lesions.some((l) => l.id === id)) id = addLesion();
  return state.session?.lesions.find((l) => l.id === id) ?? null;
}

/** When the reader's name is complete (field left, export): measurements made before it get it. */
export function commitReader(): void {
  if (state.reader.trim()) dispatch({ type: 'fillMissingReader', reader: state.reader });
}

export function setReader(reader: string): void {
  try {
    globalThis.localStorage?.setItem(READER_KEY, reader);
  } catch {
    /* private mode: keep it for this page only */
  }
  set({ reader });
}

/** The assessment helper's input for a lesion (parsed; unknown keys are refused). */
export function setAssessment(lesionId: string, input: unknown): AppError | null {
  const parsed = AssessmentDraftSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return appError('ASSESSMENT_INVALID', issue.message, { field: issue.path.join('.') });
  }
  dispatch({ type: 'setAssessment', lesionId, input: parsed.data as AssessmentDraft });
  return null;
}

// ------------------------------------------------------------------ report key images, calcaemia, bone axis

const NO_KEY_IMAGES: SessionKeyImages = Object.freeze({}) as SessionKeyImages;

/**
 * Keep a key image of a lesion in the session (autosaved; outside undo). Returns why it was
 * refused (no series, unknown lesion, too large, too many), or null when kept. Downscale large
 * captures first (renderer/state/keyImageFit.ts).
 */
export function addKeyImage(lesionId: string, image: KeyImage): AppError | null {
  if (!state.session) return appError('KEY_IMAGE_NO_SESSION', 'No series is open.');
  const why = keyImageRefusal(state.session, lesionId, image);
  if (why) return why;
  dispatch({ type: 'addKeyImage', lesionId, image });
  return null;
}
export function removeKeyImage(lesionId: string, index: number): void {
  dispatch({ type: 'removeKeyImage', lesionId, index });
}
/** Replace a lesion's key images (same caps as addKeyImage). */
export function setKeyImages(lesionId: string, images: KeyImage[]): AppError | null {
  if (!state.session) return appError('KEY_IMAGE_NO_SESSION', 'No series is open.');
  const why = keyImagesRefusal(state.session, lesionId, images);
  if (why) return why;
  dispatch({ type: 'setKeyImages', lesionId, images });
  return null;
}
export function getKeyImages(): SessionKeyImages {
  return state.session?.keyImages ?? NO_KEY_IMAGES;
}
export function useKeyImages(): SessionKeyImages {
  return useSyncExternalStore(subscribeSession, getKeyImages, getKeyImages);
}

/** The calcaemia helper's values as typed; consecutive typing is one undo step. */
export function setCalcaemia(values: Partial<CalcaemiaEntry>): void {
  const current = getCalcaemia();
  dispatch({ type: 'setCalcaemia', calcaemia: { ...current, ...values }, coalesceKey: 'calcaemia' });
}
export function getCalcaemia(): CalcaemiaEntry {
  return state.session?.calcaemia ?? EMPTY_CALCAEMIA;
}
export function useCalcaemia(): CalcaemiaEntry {
  return useSyncExternalStore(subscribeSession, getCalcaemia, getCalcaemia);
}

/** Record the viewer's bone axis (points clicked and the view's normal), or null when cleared. */
export function setBoneAxis(axis: SessionBoneAxis | null): void {
  dispatch({ type: 'setBoneAxis', axis: axis ? { p1Mm: axis.p1Mm, p2Mm: axis.p2Mm, drawnOnNormal: axis.drawnOnNormal } : null });
}

export interface NewMeasurement {
  /** Made here when absent (a tool may pass its own to link its drawing first). */
  id?: string;
  lesionId?: string;
  kind: MeasurementKind;
  value: number;
  provenance: Omit<Measurement['provenance'], 'reader' | 'time' | 'seriesInstanceUid'> &
    Partial<Pick<Measurement['provenance'], 'reader' | 'time' | 'seriesInstanceUid'>>;
}

/**
 * Add a measurement (manual tools and the assisted analysis). Fills the id, unit, series,
 * reader and time; without `lesionId` it goes to the active lesion (created if none).
 * Returns the new measurement id, or null when no series is open.
 */
export function addMeasurement(m: NewMeasurement, drawing?: Drawing): string | null {
  if (!state.session) return null;
  const lesionId = m.lesionId ?? ensureActiveLesion()?.id;
  if (!lesionId) return null;
  const id = m.id ?? newId('m');
  const measurement = {
    id,
    lesionId,
    kind: m.kind,
    value: m.value,
    unit: MEASUREMENT_UNIT[m.kind],
    provenance: {
      seriesInstanceUid: state.session.seriesInstanceUid,
      reader: state.reader,
      time: nowIso(),
      ...m.provenance,
    },
  } as Measurement;
  dispatch({ type: 'addMeasurement', measurement, ...(drawing ? { drawing } : {}) });
  return id;
}

export function updateMeasurement(
  id: string,
  change: { value?: number; drawing?: Drawing; provenance?: Partial<Measurement['provenance']>; lesionId?: string },
  coalesceKey?: string,
): void {
  dispatch({
    type: 'updateMeasurement',
    id,
    ...change,
    provenance: { time: nowIso(), reader: state.reader, ...(change.provenance ?? {}) },
    ...(coalesceKey ? { coalesceKey } : {}),
  });
}
export function deleteMeasurement(id: string): void {
  dispatch({ type: 'deleteMeasurement', id });
}
export function selectMeasurement(id: string | null): void {
  set({ selectedMeasurementId: id });
}

// ------------------------------------------------------------------ autosave

let timer: ReturnType<typeof setTimeout> | null = null;
let saving: Promise<void> | null = null;
let dirty = false;

function scheduleAutosave(): void {
  dirty = true;
  set({ saveStatus: 'pending' });
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => void flushAutosave(), AUTOSAVE_DEBOUNCE_MS);
}

/** Save now if anything changed (also called when the page is hidden or closed). */
export async function flushAutosave(): Promise<void> {
  if (timer) {
    clearTimeout(timer);
    timer = null;
  }
  if (saving) await saving;
  if (!dirty || !host || !state.session) return;
  const h = host;
  const session = state.session;
  dirty = false;
  set({ saveStatus: 'saving' });
  saving = (async () => {
    try {
      await h.saveSession(session.seriesInstanceUid, session);
      if (state.session?.seriesInstanceUid === session.seriesInstanceUid) set({ saveStatus: dirty ? 'pending' : 'saved', lastSavedAt: nowIso() });
    } catch (e) {
      dirty = true;
      set({ saveStatus: 'error', errors: [...state.errors, asAppError(e, 'SESSION_SAVE_FAILED', 'The session could not be saved.')] });
    } finally {
      saving = null;
    }
  })();
  await saving;
}

if (typeof document !== 'undefined') {
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void flushAutosave();
  });
  window.addEventListener('pagehide', () => void flushAutosave());
}
