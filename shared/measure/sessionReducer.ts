import type { Measurement, MeasurementKind } from '../schemas/measurement';
import type { KeyImage } from '../schemas/report';
import {
  DEFAULT_LESION_THRESHOLD_HU,
  type AssessmentDraft,
  type CalcaemiaEntry,
  type Drawing,
  type Session,
  type SessionBoneAxis,
  type SessionLesion,
} from '../schemas/session';
import { keyImageRefusal, keyImagesRefusal } from './keyImages';

/**
 * The session as the user edits it, with undo / redo. Pure: ids and times come in the actions
 * (the caller makes them), so the same actions always give the same session.
 * Every edit pushes the previous session on `past`; undo / redo move it between the stacks.
 *
 * Outside undo (OUTSIDE_UNDO): the report's key images and the bone axis. Undo / redo keep their
 * present value, and changing them adds no undo step, because
 *  - a key image is a capture of what was on screen, taken and removed by explicit actions; if
 *    Ctrl+Z aimed at a measurement also dropped a picture captured after it, work would vanish
 *    unseen (and redoing could not re-take it with the annotations of that moment);
 *  - the bone axis belongs to the viewer (it reorients the obliques): the session mirrors it
 *    for restoring. Undoing a measurement must not swing the reformats under the user, and no
 *    stored value depends on it (each measurement keeps its own plane and off-axis flag).
 * The calcaemia values are form input like the assessment, so they are undoable (typing is
 * coalesced into one step).
 */
export const OUTSIDE_UNDO = ['keyImages', 'boneAxis'] as const satisfies readonly (keyof Session)[];

function withOutsideUndoOf(target: Session, from: Session): Session {
  if (OUTSIDE_UNDO.every((k) => target[k] === from[k])) return target;
  return { ...target, keyImages: from.keyImages, boneAxis: from.boneAxis };
}
export interface SessionHistory {
  present: Session;
  past: Session[];
  future: Session[];
  /** Coalescing key of the last edit (see SessionAction `coalesceKey`). */
  lastKey?: string;
}

/** Undo depth: plenty for a reading session, bounded so memory stays flat. */
export const UNDO_LIMIT = 200;

export type SessionAction =
  /** `coalesceKey`: adds with one key are one undo step (the lesions and measurements restored from one SR). */
  | { type: 'addLesion'; lesion: Omit<SessionLesion, 'thresholdHu'> & { thresholdHu?: number }; now: string; coalesceKey?: string }
  | { type: 'updateLesion'; id: string; patch: Partial<Omit<SessionLesion, 'id'>>; now: string; coalesceKey?: string }
  | { type: 'deleteLesion'; id: string; now: string }
  | { type: 'addMeasurement'; measurement: Measurement; drawing?: Drawing; now: string; coalesceKey?: string }
  /** The reader typed after measuring: recorded on every measurement that has none (issue 14). */
  | { type: 'fillMissingReader'; reader: string; now: string }
  | {
      type: 'updateMeasurement';
      id: string;
      value?: number;
      drawing?: Drawing;
      provenance?: Partial<Measurement['provenance']>;
      lesionId?: string;
      now: string;
      /**
       * Consecutive edits with the same key make one undo step (a handle dragged across the
       * image is one edit to the user, not fifty).
       */
      coalesceKey?: string;
    }
  | { type: 'deleteMeasurement'; id: string; now: string }
  | { type: 'setAssessment'; lesionId: string; input: AssessmentDraft; now: string }
  /** Calcaemia helper values as typed; typing with one coalesce key is one undo step. */
  | { type: 'setCalcaemia'; calcaemia: CalcaemiaEntry; now: string; coalesceKey?: string }
  /** Outside undo (see OUTSIDE_UNDO). Refused (no change) beyond the key image caps. */
  | { type: 'addKeyImage'; lesionId: string; image: KeyImage; now: string }
  | { type: 'removeKeyImage'; lesionId: string; index: number; now: string }
  | { type: 'setKeyImages'; lesionId: string; images: KeyImage[]; now: string }
  /** Outside undo: mirrors the viewer's axis (null when cleared). */
  | { type: 'setBoneAxis'; axis: SessionBoneAxis | null; now: string }
  | { type: 'undo' }
  | { type: 'redo' }
  /** Replace everything (a restored session); clears the history. */
  | { type: 'load'; session: Session };

export function initialHistory(session: Session): SessionHistory {
  return { present: session, past: [], future: [] };
}

export function canUndo(h: SessionHistory): boolean {
  return h.past.length > 0;
}
export function canRedo(h: SessionHistory): boolean {
  return h.future.length > 0;
}

export function sessionReducer(h: SessionHistory, action: SessionAction): SessionHistory {
  switch (action.type) {
    case 'undo': {
      if (!h.past.length) return h;
      const previous = h.past[h.past.length - 1];
      return { present: withOutsideUndoOf(previous, h.present), past: h.past.slice(0, -1), future: [h.present, ...h.future] };
    }
    case 'redo': {
      if (!h.future.length) return h;
      const [next, ...rest] = h.future;
      return { present: withOutsideUndoOf(next, h.present), past: [...h.past, h.present], future: rest };
    }
    case 'load':
      return initialHistory(action.session);
    case 'addKeyImage':
    case 'removeKeyImage':
    case 'setKeyImages':
    case 'setBoneAxis': {
      // Outside undo: change the present only; the stacks stay (undo / redo carry this value).
      const next = applyEdit(h.present, action);
      return next === h.present ? h : { ...h, present: next, lastKey: undefined };
    }
    default: {
      const next = applyEdit(h.present, action);
      if (next === h.present) return h;
      const key = 'coalesceKey' in action ? action.coalesceKey : undefined;
      if (key !== undefined && key === h.lastKey && h.past.length > 0) return { present: next, past: h.past, future: [], lastKey: key };
      const past = [...h.past, h.present];
      return { present: next, past: past.length > UNDO_LIMIT ? past.slice(past.length - UNDO_LIMIT) : past, future: [], lastKey: key };
    }
  }
}

type EditAction = Exclude<SessionAction, { type: 'undo' } | { type: 'redo' } | { type: 'load' }>;

/** One edit on a session; returns the same object when the edit changes nothing (no undo step). */
export function applyEdit(s: Session, a: EditAction): Session {
  switch (a.type) {
    case 'addLesion': {
      if (s.lesions.some((l) => l.id === a.lesion.id)) return s;
      const lesion: SessionLesion = { ...a.lesion, thresholdHu: a.lesion.thresholdHu ?? DEFAULT_LESION_THRESHOLD_HU };
      return { ...s, lesions: [...s.lesions, lesion], updatedAt: a.now };
    }
    case 'updateLesion': {
      const i = s.lesions.findIndex((l) => l.id === a.id);
      if (i < 0) return s;
      const lesions = s.lesions.slice();
      lesions[i] = { ...lesions[i], ...a.patch, id: a.id };
      // The threshold travels with every measurement it produced; a changed lesion threshold
      // applies to new ring counts (the ring tool recomputes and updates its measurement).
      return { ...s, lesions, updatedAt: a.now };
    }
    case 'deleteLesion': {
      if (!s.lesions.some((l) => l.id === a.id)) return s;
      const gone = new Set(s.measurements.filter((m) => m.lesionId === a.id).map((m) => m.id));
      const { [a.id]: _dropped, ...assessments } = s.assessments;
      return {
        ...s,
        lesions: s.lesions.filter((l) => l.id !== a.id),
        measurements: s.measurements.filter((m) => !gone.has(m.id)),
        drawings: Object.fromEntries(Object.entries(s.drawings).filter(([id]) => !gone.has(id))),
        assessments,
        updatedAt: a.now,
      };
    }
    case 'addMeasurement': {
      if (s.measurements.some((m) => m.id === a.measurement.id)) return s;
      return {
        ...s,
        measurements: [...s.measurements, a.measurement],
        drawings: a.drawing ? { ...s.drawings, [a.measurement.id]: a.drawing } : s.drawings,
        updatedAt: a.now,
      };
    }
    case 'updateMeasurement': {
      const i = s.measurements.findIndex((m) => m.id === a.id);
      if (i < 0) return s;
      const old = s.measurements[i];
      const m = {
        ...old,
        ...(a.value !== undefined ? { value: a.value } : {}),
        ...(a.lesionId !== undefined ? { lesionId: a.lesionId } : {}),
        provenance: { ...old.provenance, ...(a.provenance ?? {}) },
      } as Measurement;
      const measurements = s.measurements.slice();
      measurements[i] = m;
      return { ...s, measurements, drawings: a.drawing ? { ...s.drawings, [a.id]: a.drawing } : s.drawings, updatedAt: a.now };
    }
    case 'fillMissingReader': {
      if (!a.reader.trim() || !s.measurements.some((m) => m.provenance.reader === '')) return s;
      const measurements = s.measurements.map((m) => (m.provenance.reader === '' ? ({ ...m, provenance: { ...m.provenance, reader: a.reader.trim() } } as Measurement) : m));
      return { ...s, measurements, updatedAt: a.now };
    }
    case 'deleteMeasurement': {
      if (!s.measurements.some((m) => m.id === a.id)) return s;
      const { [a.id]: _dropped, ...drawings } = s.drawings;
      return { ...s, measurements: s.measurements.filter((m) => m.id !== a.id), drawings, updatedAt: a.now };
    }
    case 'setAssessment':
      return { ...s, assessments: { ...s.assessments, [a.lesionId]: a.input }, updatedAt: a.now };
    case 'setCalcaemia': {
      const c = { measured: a.calcaemia.measured, albumin: a.calcaemia.albumin };
      if (c.measured === s.calcaemia.measured && c.albumin === s.calcaemia.albumin) return s;
      return { ...s, calcaemia: c, updatedAt: a.now };
    }
    case 'addKeyImage': {
      if (keyImageRefusal(s, a.lesionId, a.image)) return s;
      return { ...s, keyImages: { ...s.keyImages, [a.lesionId]: [...(s.keyImages[a.lesionId] ?? []), a.image] }, updatedAt: a.now };
    }
    case 'removeKeyImage': {
      const list = s.keyImages[a.lesionId] ?? [];
      if (a.index < 0 || a.index >= list.length) return s;
      const rest = list.filter((_, i) => i !== a.index);
      const { [a.lesionId]: _dropped, ...others } = s.keyImages;
      return { ...s, keyImages: rest.length ? { ...others, [a.lesionId]: rest } : others, updatedAt: a.now };
    }
    case 'setKeyImages': {
      if (keyImagesRefusal(s, a.lesionId, a.images)) return s;
      const { [a.lesionId]: _dropped, ...others } = s.keyImages;
      return { ...s, keyImages: a.images.length ? { ...others, [a.lesionId]: a.images } : others, updatedAt: a.now };
    }
    case 'setBoneAxis': {
      if (sameAxis(s.boneAxis, a.axis)) return s;
      return { ...s, boneAxis: a.axis ? { p1Mm: [...a.axis.p1Mm], p2Mm: [...a.axis.p2Mm], drawnOnNormal: [...a.axis.drawnOnNormal] } : null, updatedAt: a.now };
    }
  }
}

function sameAxis(a: SessionBoneAxis | null, b: SessionBoneAxis | null): boolean {
  if (!a || !b) return a === b;
  const eq = (u: readonly number[], v: readonly number[]) => u.length === v.length && u.every((x, i) => x === v[i]);
  return eq(a.p1Mm, b.p1Mm) && eq(a.p2Mm, b.p2Mm) && eq(a.drawnOnNormal, b.drawnOnNormal);
}

/** Measurements of one lesion, in the order they were made. */
export function lesionMeasurements(s: Session, lesionId: string): Measurement[] {
  return s.measurements.filter((m) => m.lesionId === lesionId);
}

/** Measurements of one lesion and kind. */
export function measurementsOfKind(s: Session, lesionId: string, kind: MeasurementKind): Measurement[] {
  return s.measurements.filter((m) => m.lesionId === lesionId && m.kind === kind);
}
