import type { Level, RadiotherapyOption, Reason } from '../schemas/assessment';

/**
 * Radiotherapy schedules from the sources (clinical-rules §6): listed options, not a plan.
 * Indications follow seed 003 table 3 ('x' → indications, '+/-' → physicianChoice);
 * 24 Gy / 6 comes from seed 000 §2. SBRT is for 1–3 lesions < 5 cm with controlled disease.
 */
export const RADIOTHERAPY_INDICATIONS = [
  'uncomplicated',
  'complicated',
  'end-of-life',
  'symptomatic',
  'oligometastatic',
  're-irradiation',
  'post-operative',
  'palliative',
] as const;

const option = (
  id: string,
  technique: RadiotherapyOption['technique'],
  dose: [number, number],
  fractions: number,
  indications: (typeof RADIOTHERAPY_INDICATIONS)[number][],
  physicianChoice: (typeof RADIOTHERAPY_INDICATIONS)[number][],
  source: string,
): RadiotherapyOption => ({
  id,
  technique,
  totalDoseGyMin: dose[0],
  totalDoseGyMax: dose[1],
  fractions,
  indications,
  physicianChoice,
  source,
});

export const RADIOTHERAPY_OPTIONS: readonly RadiotherapyOption[] = [
  option('8gy-1', 'conventional', [8, 8], 1, ['uncomplicated', 'end-of-life', 'symptomatic', 're-irradiation'], [], 'seed003-radiotherapy-table'),
  option('20gy-5', 'conventional', [20, 20], 5, ['uncomplicated', 'complicated'], ['symptomatic', 're-irradiation', 'post-operative'], 'seed003-radiotherapy-table'),
  option('24gy-6', 'conventional', [24, 24], 6, ['palliative'], [], 'seed000-radiotherapy-schedules'),
  option('30gy-10', 'conventional', [30, 30], 10, ['uncomplicated', 'complicated', 'post-operative'], ['symptomatic'], 'seed003-radiotherapy-table'),
  option('45gy-15', 'conventional', [45, 45], 15, ['uncomplicated', 'complicated'], ['symptomatic'], 'seed003-radiotherapy-table'),
  option('sbrt-16-24gy-1', 'sbrt', [16, 24], 1, ['uncomplicated', 'oligometastatic'], ['symptomatic'], 'seed003-radiotherapy-table'),
  option('sbrt-24gy-2', 'sbrt', [24, 24], 2, ['uncomplicated', 'oligometastatic'], ['symptomatic'], 'seed003-radiotherapy-table'),
  option('sbrt-24-30gy-3', 'sbrt', [24, 30], 3, ['uncomplicated', 'oligometastatic'], ['symptomatic'], 'seed003-radiotherapy-table'),
  // Listed in clinical-rules §6; not in seed 003 table 3.
  option('sbrt-30gy-4', 'sbrt', [30, 30], 4, ['oligometastatic'], [], 'clinical-rules'),
  option('sbrt-30-40gy-5', 'sbrt', [30, 40], 5, ['uncomplicated', 'oligometastatic'], ['symptomatic', 're-irradiation'], 'seed003-radiotherapy-table'),
];

/**
 * Options to show for a level. After first-line consolidation only post-operative schedules;
 * when the assessment is incomplete, none (no plan can be outlined yet).
 */
export function radiotherapyOptionsFor(level: Level): RadiotherapyOption[] {
  switch (level) {
    case 'incomplete':
      return [];
    case 'first-line-consolidation':
      return RADIOTHERAPY_OPTIONS.filter(
        (o) => o.indications.includes('post-operative') || o.physicianChoice.includes('post-operative'),
      );
    default:
      return [...RADIOTHERAPY_OPTIONS];
  }
}

/** Notes that go with the options: re-irradiation rate after 8 Gy, interval before re-irradiation. */
export function radiotherapyNotes(level: Level): Reason[] {
  if (level === 'incomplete' || level === 'first-line-consolidation') return [];
  return [
    { code: 'single-fraction-reirradiation-rate', source: 'seed000-radiotherapy-schedules', params: { singleFractionPercent: 20, multipleFractionPercent: 8 } },
    { code: 'reirradiation-interval', source: 'seed003-radiotherapy-table', params: { weeks: 4 } },
  ];
}

/** After first-line consolidation: post-operative radiotherapy of the whole operated bone (seed 000 §1.4). */
export function postOperativeRadiotherapy(level: Level): Reason | null {
  if (level !== 'first-line-consolidation') return null;
  return { code: 'post-operative-radiotherapy', source: 'seed000-postop-radiotherapy', params: { weeksAfterSurgeryMin: 2, weeksAfterSurgeryMax: 3 } };
}
