import type {
  AssessmentInput,
  CriterionResult,
  Level,
  MirelsResult,
  Reason,
  SinsResult,
} from '../schemas/assessment';
import { CT_CONFIRMATION_CRITERIA, DISCORDANCE_CRITERIA, evaluateCriteria } from './criteria';
import { isLongBoneSite, mirels, mirelsSizeFromAxialPercent } from './mirels';
import { missingSinsComponents, sins as sinsScore, vertebroplastyContraindications } from './sins';
import { THRESHOLDS, meets } from './thresholds';

/**
 * The decision procedure of clinical-rules.md §4, exactly. One level per lesion, with every
 * reason behind it and the source of each. Decision support for a multidisciplinary team.
 *
 *   spine                      → SINS: total ≥ 7 → surgical-opinion; otherwise stable
 *   pelvis / acetabulum, other → multidisciplinary-discussion
 *   long bone: Mirels item unknown → incomplete; base level from Mirels and §3 criteria;
 *              then the life-expectancy gate on first-line-consolidation / discussion.
 */
export interface Recommendation {
  level: Level;
  ctConfirmed: boolean;
  mirels: MirelsResult | null;
  sins: SinsResult | null;
  missing: string[];
  criteria: CriterionResult[];
  reasons: Reason[];
}

/** Every reason code the engine can emit (also the i18n keys under `reasons`). */
export const REASON_CODES = [
  'mirels-size-measured',
  'mirels-size-entered',
  'mirels-size-entered-overrides',
  'mirels-size-unknown',
  'mirels-consolidation',
  'mirels-discussion',
  'mirels-observation',
  'discordance',
  'criterion-met',
  'criterion-supports',
  'criteria-not-measured',
  'ct-confirmed',
  'ct-not-confirmed',
  'life-expectancy-3-months-or-less',
  'life-expectancy-unknown',
  'life-expectancy-over-3-months',
  'site-no-score',
  'sins-incomplete',
  'sins-surgical-opinion',
  'sins-stable',
  'vertebroplasty-contraindication',
  'sins-lesion-type-differs',
  'post-operative-radiotherapy',
] as const;

const source = (id: keyof typeof THRESHOLDS) => THRESHOLDS[id].source;

function recommendSpine(input: AssessmentInput): Recommendation {
  const reasons: Reason[] = [];
  const missing = missingSinsComponents(input.sins);
  const result = sinsScore(input.sins);
  let level: Level;
  if (!result) {
    level = 'incomplete';
    reasons.push({ code: 'sins-incomplete', source: source('sins-potentially-unstable'), params: { missing: missing.join(', ') } });
  } else if (meets(result.score, 'sins-potentially-unstable')) {
    level = 'surgical-opinion';
    reasons.push({ code: 'sins-surgical-opinion', source: source('sins-potentially-unstable'), params: { score: result.score, band: result.band } });
  } else {
    level = 'stable';
    reasons.push({ code: 'sins-stable', source: source('sins-potentially-unstable'), params: { score: result.score, band: result.band } });
  }
  for (const flag of vertebroplastyContraindications(input.sins)) {
    reasons.push({ code: 'vertebroplasty-contraindication', source: 'seed002-vertebroplasty', params: { flag } });
  }
  // Issue 14: a Mirels lesion type that contradicts the SINS lesion item is named, not silently ignored.
  const sinsLesion = input.sins?.lesion;
  if (input.lesionType && sinsLesion && input.lesionType !== sinsLesion) {
    reasons.push({ code: 'sins-lesion-type-differs', source: source('sins-potentially-unstable'), params: { lesionType: input.lesionType, sinsLesion } });
  }
  return { level, ctConfirmed: false, mirels: null, sins: result, missing, criteria: [], reasons };
}

function statusOf(criteria: CriterionResult[], id: string) {
  return criteria.find((c) => c.id === id)?.status ?? 'not-measured';
}

function markDecisive(criteria: CriterionResult[], ids: readonly string[]) {
  for (const c of criteria) if (ids.includes(c.id) && c.status === 'met') c.decisive = true;
}

function sizeReason(input: AssessmentInput, m: MirelsResult): Reason {
  if (m.sizeSource === 'measured') {
    return { code: 'mirels-size-measured', source: 'seed000-mirels-table', params: { axialPercent: input.axialPercent, size: m.items.size } };
  }
  const proposed = input.axialPercent === null ? null : mirelsSizeFromAxialPercent(input.axialPercent);
  return {
    code: proposed !== null && proposed !== m.items.size ? 'mirels-size-entered-overrides' : 'mirels-size-entered',
    source: 'seed000-mirels-table',
    params: { size: m.items.size, proposedSize: proposed, axialPercent: input.axialPercent },
  };
}

function recommendLongBone(input: AssessmentInput, criteria: CriterionResult[]): Recommendation {
  const reasons: Reason[] = [];
  const m = mirels(input);
  if (!m) {
    reasons.push({ code: 'mirels-size-unknown', source: 'seed000-mirels-table' });
    return { level: 'incomplete', ctConfirmed: false, mirels: null, sins: null, missing: ['mirelsSize'], criteria, reasons };
  }
  reasons.push(sizeReason(input, m));

  // Base level (§4).
  let base: Level;
  let ctConfirmed = false;
  if (meets(m.score, 'mirels-consolidation')) {
    base = 'first-line-consolidation';
    reasons.push({ code: 'mirels-consolidation', source: source('mirels-consolidation'), params: { score: m.score } });
    ctConfirmed = CT_CONFIRMATION_CRITERIA.every((id) => statusOf(criteria, id) === 'met');
    if (ctConfirmed) markDecisive(criteria, CT_CONFIRMATION_CRITERIA);
    reasons.push({
      code: ctConfirmed ? 'ct-confirmed' : 'ct-not-confirmed',
      source: 'seed000-ct-consolidation',
      params: {
        axialPercent: input.axialPercent,
        axialPercentStatus: statusOf(criteria, 'ct-axial-percent'),
        circumferentialPercent: input.circumferentialPercent,
        circumferentialPercentStatus: statusOf(criteria, 'ct-circumferential-percent'),
      },
    });
  } else if (meets(m.score, 'mirels-discussion')) {
    base = 'multidisciplinary-discussion';
    reasons.push({ code: 'mirels-discussion', source: source('mirels-discussion'), params: { score: m.score } });
  } else {
    const met = criteria.filter((c) => DISCORDANCE_CRITERIA.includes(c.id) && c.status === 'met');
    if (met.length > 0) {
      // Mirels is weakly sensitive (seed 000): a discordant case is never shown as plain radiotherapy.
      base = 'multidisciplinary-discussion';
      markDecisive(criteria, DISCORDANCE_CRITERIA);
      reasons.push({ code: 'discordance', source: 'seed000-rcp', params: { score: m.score, criteria: met.map((c) => c.id).join(', ') } });
      for (const c of met) reasons.push({ code: 'criterion-met', source: c.source, params: { criterion: c.id, value: c.value } });
    } else {
      base = 'radiotherapy-alone';
      reasons.push({ code: 'mirels-observation', source: 'seed000-mirels-table', params: { score: m.score } });
      // "Not measured" never counts as "not met": say which criteria could not be checked.
      const unmeasured = criteria.filter((c) => DISCORDANCE_CRITERIA.includes(c.id) && c.status === 'not-measured');
      if (unmeasured.length > 0) {
        reasons.push({ code: 'criteria-not-measured', source: 'clinical-rules', params: { criteria: unmeasured.map((c) => c.id).join(', ') } });
      }
    }
  }

  // With Mirels ≥ 8 the §3 criteria do not set the level, but every one met still supports it:
  // list them (not decisive) so the team sees all the evidence, each with its source.
  if (base !== 'radiotherapy-alone' && !reasons.some((r) => r.code === 'discordance')) {
    const covered = ctConfirmed ? CT_CONFIRMATION_CRITERIA : [];
    for (const c of criteria) {
      if (c.status === 'met' && DISCORDANCE_CRITERIA.includes(c.id) && !covered.includes(c.id)) {
        reasons.push({ code: 'criterion-supports', source: c.source, params: { criterion: c.id, value: c.value } });
      }
    }
  }

  // Life-expectancy gate (§4), on first-line-consolidation or multidisciplinary-discussion.
  let level: Level = base;
  const missing: string[] = [];
  const gateSource = source('life-expectancy-months');
  if (base === 'first-line-consolidation' || base === 'multidisciplinary-discussion') {
    if (input.lifeExpectancyOver3Months === false) {
      level = 'non-surgical';
      reasons.push({ code: 'life-expectancy-3-months-or-less', source: gateSource, params: { baseLevel: base } });
    } else if (input.lifeExpectancyOver3Months === null) {
      reasons.push({ code: 'life-expectancy-unknown', source: gateSource, params: { baseLevel: base } });
      if (base === 'first-line-consolidation') {
        level = 'incomplete';
        missing.push('lifeExpectancyOver3Months');
      }
    } else {
      reasons.push({ code: 'life-expectancy-over-3-months', source: gateSource, params: { baseLevel: base } });
    }
  }
  return { level, ctConfirmed, mirels: m, sins: null, missing, criteria, reasons };
}

export function recommend(input: AssessmentInput): Recommendation {
  if (input.site === 'spine') return recommendSpine(input);
  const criteria = evaluateCriteria(input);
  if (!isLongBoneSite(input.site)) {
    return {
      level: 'multidisciplinary-discussion',
      ctConfirmed: false,
      mirels: null,
      sins: null,
      missing: [],
      criteria,
      reasons: [{ code: 'site-no-score', source: 'clinical-rules', params: { site: input.site } }],
    };
  }
  return recommendLongBone(input, criteria);
}
