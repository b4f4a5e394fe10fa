import type { AppError } from '../../shared/errors';
import { effectiveInput, type EffectiveInput } from '../../shared/report/draft';
import { CURRENT_RULES } from '../../shared/report/rulesApi';
import type { AssessmentResult } from '../../shared/schemas/assessment';
import type { Lesion } from '../../shared/schemas/measurement';
import type { AssessmentDraft, Session } from '../../shared/schemas/session';
import { isOffAxisLength, isPendingOffAxisLength } from '../../shared/measure/derived';
import { lengthWarningCodes } from '../../shared/geometry';

/**
 * The live assessment of one lesion: its draft (site defaulting to the lesion's site), the values
 * the engine gets (measured or entered, with the measurement chosen) and the engine's result.
 * Computed from the session on every render — nothing is cached, so a new measurement or an
 * edit shows at once.
 */
export interface LiveAssessment {
  draft: AssessmentDraft;
  eff: EffectiveInput;
  result: AssessmentResult | null;
  errors: AppError[];
}

export function lesionDraft(session: Session, lesion: Lesion): AssessmentDraft {
  const stored = session.assessments[lesion.id] ?? {};
  return { ...stored, site: stored.site ?? lesion.site };
}

export function lesionMeasurements(session: Session, lesionId: string) {
  return session.measurements.filter((m) => m.lesionId === lesionId);
}

/** The lesion's axial lengths drawn off the bone axis (the tool warned), by measurement id. */
export function offAxisMeasurementIds(session: Session, lesionId: string): Set<string> {
  return new Set(lesionMeasurements(session, lesionId).filter((m) => isOffAxisLength(session, m)).map((m) => m.id));
}

/** The lesion's off-axis lengths still waiting for the reader's choice (they enter nothing). */
export function pendingOffAxisIds(session: Session, lesionId: string): Set<string> {
  return new Set(lesionMeasurements(session, lesionId).filter((m) => isPendingOffAxisLength(session, m)).map((m) => m.id));
}

/** The lesion's axial lengths drawn when no bone axis was defined (the measure panel's BONE_AXIS_NOT_DEFINED). */
export function boneAxisNotDefinedIds(session: Session, lesionId: string): Set<string> {
  return new Set(
    lesionMeasurements(session, lesionId)
      .filter((m) => {
        const d = session.drawings[m.id];
        return d?.tool === 'AxialLength' && lengthWarningCodes(d).includes('BONE_AXIS_NOT_DEFINED');
      })
      .map((m) => m.id),
  );
}

export function liveAssessment(session: Session, lesion: Lesion): LiveAssessment {
  const draft = lesionDraft(session, lesion);
  const eff = effectiveInput(draft, lesionMeasurements(session, lesion.id), offAxisMeasurementIds(session, lesion.id), pendingOffAxisIds(session, lesion.id));
  if (!eff.input) return { draft, eff, result: null, errors: [] };
  const r = CURRENT_RULES.assess(eff.input);
  return r.ok ? { draft, eff, result: r.value, errors: [] } : { draft, eff, result: null, errors: r.error };
}

/** Parse a number typed in either language ("12,5" or "12.5"); '' → null; NaN → undefined (invalid). */
export function parseTypedNumber(text: string): number | null | undefined {
  const s = text.trim().replace(',', '.');
  if (s === '') return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}
