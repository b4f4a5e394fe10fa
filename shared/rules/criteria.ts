import type { AssessmentInput, CriterionResult } from '../schemas/assessment';
import type { SourceId } from './sources';
import { THRESHOLDS, compare, type Threshold, type ThresholdId } from './thresholds';

/**
 * CT cortical-involvement criteria, Harrington and Tatar (clinical-rules.md §3), each reported
 * as met / not met / not measured with its value, threshold and source. Strict as written.
 * "Not measured" is its own status: it never counts as "not met".
 */

type Quantity = 'axialPercent' | 'circumferentialPercent' | 'axialLengthMm';
type Flag = 'lesserTrochanterAvulsion' | 'painAfterRadiotherapy';

interface NumericCriterion {
  id: ThresholdId;
  quantity: Quantity;
  informational: boolean;
  /** Sites where the criterion applies; all non-spine sites when absent. */
  sites?: readonly AssessmentInput['site'][];
}
interface FlagCriterion {
  id: string;
  flag: Flag;
  source: SourceId;
}

const NUMERIC_CRITERIA: readonly NumericCriterion[] = [
  { id: 'ct-axial-percent', quantity: 'axialPercent', informational: false },
  { id: 'ct-circumferential-percent', quantity: 'circumferentialPercent', informational: false },
  { id: 'axial-length', quantity: 'axialLengthMm', informational: false },
  { id: 'harrington-axial-percent', quantity: 'axialPercent', informational: false },
  { id: 'harrington-peritrochanteric-length', quantity: 'axialLengthMm', informational: false, sites: ['peritrochanteric'] },
  { id: 'tatar-circumferential-percent', quantity: 'circumferentialPercent', informational: true },
];

const FLAG_CRITERIA: readonly FlagCriterion[] = [
  // Deschamps (seed 004) and Harrington both list it.
  { id: 'lesser-trochanter-avulsion', flag: 'lesserTrochanterAvulsion', source: 'deschamps-seed004' },
  { id: 'harrington-pain-after-radiotherapy', flag: 'painAfterRadiotherapy', source: 'harrington1986' },
];

/** Every criterion id the engine can emit (also the i18n keys under `criteria`). */
export const CRITERION_IDS = [...NUMERIC_CRITERIA.map((c) => c.id as string), ...FLAG_CRITERIA.map((c) => c.id)];

/** Criteria of §3 that make a Mirels ≤ 7 lesion discordant (→ multidisciplinary discussion). Tatar is never here. */
export const DISCORDANCE_CRITERIA: readonly string[] = [
  'axial-length',
  'ct-circumferential-percent',
  'lesser-trochanter-avulsion',
  'harrington-axial-percent',
  'harrington-peritrochanteric-length',
  'harrington-pain-after-radiotherapy',
];

/** Both must be met, with Mirels ≥ 9, for CT-confirmed first-line consolidation (seed 000 §1.2). */
export const CT_CONFIRMATION_CRITERIA: readonly string[] = ['ct-axial-percent', 'ct-circumferential-percent'];

function numericCriterion(c: NumericCriterion, input: AssessmentInput): CriterionResult {
  const t: Threshold = THRESHOLDS[c.id];
  const value = input[c.quantity];
  const comparator = t.comparator!;
  return {
    id: c.id,
    status: value === null ? 'not-measured' : compare(value, comparator, t.value) ? 'met' : 'not-met',
    value,
    threshold: t.value,
    comparator,
    unit: t.unit,
    source: t.source,
    decisive: false,
    informational: c.informational,
  };
}

function flagCriterion(c: FlagCriterion, input: AssessmentInput): CriterionResult {
  const value = input[c.flag];
  return {
    id: c.id,
    status: value ? 'met' : 'not-met',
    value,
    threshold: null,
    comparator: null,
    unit: '',
    source: c.source,
    decisive: false,
    informational: false,
  };
}

/** The §3 criteria for a non-spine lesion, in a fixed order; `decisive` is set by the recommendation. */
export function evaluateCriteria(input: AssessmentInput): CriterionResult[] {
  if (input.site === 'spine') return [];
  return [
    ...NUMERIC_CRITERIA.filter((c) => !c.sites || c.sites.includes(input.site)).map((c) => numericCriterion(c, input)),
    ...FLAG_CRITERIA.map((c) => flagCriterion(c, input)),
  ];
}
