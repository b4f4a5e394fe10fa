import type { AssessmentInput, LesionType, MirelsItems, MirelsPain, MirelsResult } from '../schemas/assessment';
import type { Site } from '../schemas/measurement';
import { meets } from './thresholds';

/**
 * Mirels' score for long-bone metastases (Mirels 1989; seed 000 tableau 3; clinical-rules §2).
 * Four items of 1–3 points: total 4–12 (the seed's "3 à 12" cannot be reached).
 */
export type MirelsPoints = 1 | 2 | 3;

export const LONG_BONE_SITES = ['upper-limb', 'lower-limb', 'peritrochanteric'] as const;
export type LongBoneSite = (typeof LONG_BONE_SITES)[number];

export function isLongBoneSite(site: Site): site is LongBoneSite {
  return (LONG_BONE_SITES as readonly string[]).includes(site);
}

export const MIRELS_SITE_POINTS: Record<LongBoneSite, MirelsPoints> = {
  'upper-limb': 1,
  'lower-limb': 2,
  peritrochanteric: 3,
};
export const MIRELS_LESION_TYPE_POINTS: Record<LesionType, MirelsPoints> = {
  blastic: 1,
  mixed: 2,
  lytic: 3,
};
export const MIRELS_PAIN_POINTS: Record<MirelsPain, MirelsPoints> = {
  mild: 1,
  moderate: 2,
  functional: 3,
};

/** Size item proposed from the measured axial %: < 1/3 → 1, ≤ 2/3 → 2, > 2/3 → 3. */
export function mirelsSizeFromAxialPercent(axialPercent: number): MirelsPoints {
  if (meets(axialPercent, 'mirels-size-small')) return 1;
  if (meets(axialPercent, 'mirels-size-large')) return 3;
  return 2;
}

/** Sum of the four items. */
export function mirelsScore(items: MirelsItems): number {
  return items.site + items.size + items.lesionType + items.pain;
}

/**
 * The size item and where it came from: an entered size wins over the measured axial %;
 * null when neither is known (the assessment is then incomplete).
 */
export function mirelsSize(input: Pick<AssessmentInput, 'mirelsSize' | 'axialPercent'>): {
  size: MirelsPoints;
  sizeSource: 'measured' | 'entered';
} | null {
  if (input.mirelsSize !== null) return { size: input.mirelsSize, sizeSource: 'entered' };
  if (input.axialPercent !== null) return { size: mirelsSizeFromAxialPercent(input.axialPercent), sizeSource: 'measured' };
  return null;
}

/** Mirels for a long-bone lesion; null for other sites or when the size is unknown. */
export function mirels(input: AssessmentInput): MirelsResult | null {
  // The input schema requires lesion type and pain for every site but the spine.
  if (!isLongBoneSite(input.site) || !input.lesionType || !input.pain) return null;
  const size = mirelsSize(input);
  if (!size) return null;
  const items: MirelsItems = {
    site: MIRELS_SITE_POINTS[input.site],
    size: size.size,
    lesionType: MIRELS_LESION_TYPE_POINTS[input.lesionType],
    pain: MIRELS_PAIN_POINTS[input.pain],
  };
  return { score: mirelsScore(items), items, sizeSource: size.sizeSource };
}
