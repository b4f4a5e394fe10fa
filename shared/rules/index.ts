import type { AppError, Result } from '../errors';
import { err, ok } from '../errors';
import type { AssessmentInput, AssessmentResult } from '../schemas/assessment';
import { caveats } from './caveats';
import { parseAssessmentInput } from './parse';
import { postOperativeRadiotherapy, radiotherapyOptionsFor } from './radiotherapy';
import { recommend } from './recommend';
import { RULES_VERSION } from './version';

/**
 * The rule engine's entry point: one lesion in, one recommendation out, with every reason,
 * criterion, caveat and source (clinical-rules.md §2–§8). Pure: no I/O, no clock.
 */
export function assessLesion(input: AssessmentInput): AssessmentResult {
  const r = recommend(input);
  return {
    rulesVersion: RULES_VERSION,
    level: r.level,
    ctConfirmed: r.ctConfirmed,
    mirels: r.mirels,
    sins: r.sins,
    missing: r.missing,
    criteria: r.criteria,
    reasons: r.reasons,
    caveats: caveats(input, r.level),
    radiotherapyOptions: radiotherapyOptionsFor(r.level),
    postOperativeRadiotherapy: postOperativeRadiotherapy(r.level),
    input,
  };
}

/** Parse untrusted input (JSON value) and assess it; errors name each bad field. */
export function assessRaw(raw: unknown, file?: string): Result<AssessmentResult, AppError[]> {
  const parsed = parseAssessmentInput(raw, file);
  return parsed.ok ? ok(assessLesion(parsed.value)) : err(parsed.error);
}

export { RULES_VERSION } from './version';
export { parseAssessmentInput, issuesToErrors } from './parse';
export { mirels, mirelsScore, mirelsSize, mirelsSizeFromAxialPercent, isLongBoneSite } from './mirels';
export { sins, sinsBand, missingSinsComponents, vertebroplastyContraindications } from './sins';
export { evaluateCriteria, CRITERION_IDS, DISCORDANCE_CRITERIA, CT_CONFIRMATION_CRITERIA } from './criteria';
export { recommend, REASON_CODES } from './recommend';
export { CAVEAT_CODES, MEASUREMENT_CAVEATS } from './caveats';
export { definitionsContent, formatCondition, formatNumber, type DefinitionsContent } from './definitions';
export { calcaemia, correctedCalcaemiaMmolL } from './calcaemia';
export { RADIOTHERAPY_OPTIONS, radiotherapyOptionsFor, postOperativeRadiotherapy } from './radiotherapy';
export { THRESHOLDS, THRESHOLD_LIST, meets, compare } from './thresholds';
export { SOURCES, sourceCitation, sourceShort } from './sources';
export { displayParams, reasonTextKey, type Translate } from './texts';
