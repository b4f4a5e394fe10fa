import type { AssessmentInput, Level, Reason } from '../schemas/assessment';
import { isLongBoneSite } from './mirels';
import { radiotherapyNotes } from './radiotherapy';

/**
 * Caveats shown with every result (clinical-rules §1–§2): what the numbers can and cannot say.
 * Accuracy figures are quoted from the sources, as params, so the texts stay translatable.
 */
export const MIRELS_ACCURACY = {
  damron2016: { sensitivityPercent: 67, specificityPercent: 48 },
  vanDerLinden: { specificityPercent: 13, positivePredictiveValuePercent: 14 },
} as const;
export const AXIAL_LENGTH_ACCURACY = {
  vanDerWal2020: { sensitivityPercent: 86, specificityPercent: 50, negativePredictiveValuePercent: 96 },
} as const;

export const CAVEAT_CODES = [
  'decision-support-only',
  'mirels-accuracy',
  'mirels-accuracy-van-der-linden',
  'axial-length-accuracy',
  'thresholds-derived-on-radiographs',
  'axial-30-percent-vs-30-mm',
  'tatar-informational',
  'single-fraction-reirradiation-rate',
  'reirradiation-interval',
] as const;

export function caveats(input: AssessmentInput, level: Level): Reason[] {
  const out: Reason[] = [{ code: 'decision-support-only', source: 'clinical-rules' }];
  if (isLongBoneSite(input.site) || input.site === 'pelvis' || input.site === 'other') {
    if (isLongBoneSite(input.site)) {
      out.push(
        { code: 'mirels-accuracy', source: 'damron2016', params: { ...MIRELS_ACCURACY.damron2016 } },
        { code: 'mirels-accuracy-van-der-linden', source: 'seed004-mirels-accuracy', params: { ...MIRELS_ACCURACY.vanDerLinden } },
      );
    }
    out.push(
      { code: 'axial-length-accuracy', source: 'vanDerWal2020', params: { ...AXIAL_LENGTH_ACCURACY.vanDerWal2020 } },
      { code: 'thresholds-derived-on-radiographs', source: 'vanDerLinden2003' },
      { code: 'axial-30-percent-vs-30-mm', source: 'clinical-rules' },
      { code: 'tatar-informational', source: 'tatar2014' },
    );
  }
  out.push(...radiotherapyNotes(level));
  return out;
}
