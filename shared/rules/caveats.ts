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

/** The caveats about measurements and scores, each with its source (shown in results and in Definitions). */
export const MEASUREMENT_CAVEATS: readonly Reason[] = [
  { code: 'decision-support-only', source: 'clinical-rules' },
  { code: 'mirels-accuracy', source: 'damron2016', params: { ...MIRELS_ACCURACY.damron2016 } },
  { code: 'mirels-accuracy-van-der-linden', source: 'seed004-mirels-accuracy', params: { ...MIRELS_ACCURACY.vanDerLinden } },
  { code: 'axial-length-accuracy', source: 'vanDerWal2020', params: { ...AXIAL_LENGTH_ACCURACY.vanDerWal2020 } },
  { code: 'thresholds-derived-on-radiographs', source: 'vanDerLinden2003' },
  { code: 'axial-30-percent-vs-30-mm', source: 'clinical-rules' },
  { code: 'tatar-informational', source: 'tatar2014' },
];

const caveat = (code: string): Reason => MEASUREMENT_CAVEATS.find((c) => c.code === code)!;

export function caveats(input: AssessmentInput, level: Level): Reason[] {
  const out: Reason[] = [caveat('decision-support-only')];
  if (isLongBoneSite(input.site)) out.push(caveat('mirels-accuracy'), caveat('mirels-accuracy-van-der-linden'));
  if (input.site !== 'spine') {
    // The cortical criteria are evaluated for every non-spine site.
    for (const code of ['axial-length-accuracy', 'thresholds-derived-on-radiographs', 'axial-30-percent-vs-30-mm', 'tatar-informational']) {
      out.push(caveat(code));
    }
  }
  out.push(...radiotherapyNotes(level));
  return out.map((c) => ({ ...c, ...(c.params ? { params: { ...c.params } } : {}) }));
}
