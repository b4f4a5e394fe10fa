import { MIRELS_FIELDS_OUTSIDE_SPINE, type AssessmentInputRaw } from '../schemas/assessment';
import type { Measurement } from '../schemas/measurement';
import type { AssessmentDraft } from '../schemas/session';
import { usedValues, type UsedValue } from './measuredValues';

/**
 * What the assessment panel stores per lesion (the session's assessment slot): the engine's input
 * keys as the user filled them so far. Its three numbers (axialPercent, circumferentialPercent,
 * axialLengthMm) are ENTERED values only — null / absent means "use the lesion's measurements".
 * Keeping measured numbers out of the slot means a new or corrected measurement is picked up
 * at once, and the report can always say whether a number was measured or entered.
 */
export type { AssessmentDraft };

/** Form items without which the rule engine cannot run at all. */
/** Form items the engine needs: Mirels' lesion type and pain everywhere but the spine (SINS scores it; issue 14). */
export function requiredFormItems(site: AssessmentDraft['site']): readonly ('site' | 'lesionType' | 'pain')[] {
  return site === 'spine' ? ['site'] : ['site', ...MIRELS_FIELDS_OUTSIDE_SPINE];
}

export interface EffectiveInput {
  /** The engine input, or null when a required item is missing. */
  input: AssessmentInputRaw | null;
  /** Required form items still missing (in requiredFormItems order). */
  formMissing: string[];
  values: UsedValue[];
}

/**
 * Merge the draft with the lesion's measurements into the rule engine's input. `offAxisIds`: axial
 * lengths drawn off the bone axis (used only when no along-axis length exists; see usedValue).
 */
export function effectiveInput(
  draft: AssessmentDraft | null | undefined,
  measurements: readonly Measurement[],
  offAxisIds: ReadonlySet<string> = new Set(),
  /** Off-axis lengths without the reader's choice: never used (issue 14). */
  pendingIds: ReadonlySet<string> = new Set(),
): EffectiveInput {
  const d: AssessmentDraft = draft ?? {};
  const values = usedValues(
    measurements,
    {
      axialPercent: d.axialPercent,
      circumferentialPercent: d.circumferentialPercent,
      axialLengthMm: d.axialLengthMm,
    },
    offAxisIds,
    pendingIds,
  );
  const formMissing = requiredFormItems(d.site).filter((k) => d[k] === undefined || d[k] === null);
  if (formMissing.length > 0 || !d.site) return { input: null, formMissing, values };
  const byQuantity = Object.fromEntries(values.map((v) => [v.quantity, v.value])) as Record<UsedValue['quantity'], number | null>;
  const input: AssessmentInputRaw = {
    site: d.site,
    ...(d.lesionType ? { lesionType: d.lesionType } : {}),
    ...(d.pain ? { pain: d.pain } : {}),
    mirelsSize: d.mirelsSize ?? null,
    lifeExpectancyOver3Months: d.lifeExpectancyOver3Months ?? null,
    axialPercent: byQuantity.axialPercent,
    circumferentialPercent: byQuantity.circumferentialPercent,
    axialLengthMm: byQuantity.axialLengthMm,
    lesserTrochanterAvulsion: d.lesserTrochanterAvulsion ?? false,
    painAfterRadiotherapy: d.painAfterRadiotherapy ?? false,
    ...(d.site === 'spine' && d.sins ? { sins: d.sins } : {}),
  };
  return { input, formMissing: [], values };
}
