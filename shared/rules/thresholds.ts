import type { Comparator } from '../schemas/assessment';
import type { SourceId } from './sources';

/**
 * THE table of thresholds: every number the rule engine compares against, with its source.
 * The engine reads only from here; the "Definitions and sources" content is generated from
 * the same table (definitions.ts), so what users read is what was computed.
 * Thresholds are strict as written (clinical-rules.md §3): "> 30" is not met by 30.0.
 */
export interface Threshold {
  id: string;
  value: number;
  /** How a value is compared with `value` for the condition to hold; null for a constant. */
  comparator: Comparator | null;
  unit: string;
  /** What is compared (an input key or a derived quantity). */
  quantity: string;
  source: SourceId;
  /** Further sources giving the same threshold. */
  alsoCited?: SourceId[];
  /** Why / how the threshold is read here (English; the UI translates via rules.json `thresholds.<id>`). */
  note: string;
}

export const THRESHOLDS = {
  'cortical-density-hu': {
    id: 'cortical-density-hu',
    value: 400,
    comparator: '<',
    unit: 'HU',
    quantity: 'cortical density',
    source: 'clinical-rules',
    note: 'Cortex below this density is counted as destroyed; default, adjustable per lesion and recorded with each measurement.',
  },
  'cortical-involvement-wall-fraction': {
    id: 'cortical-involvement-wall-fraction',
    value: 50,
    comparator: '>=',
    unit: '%',
    quantity: 'share of the local cortical wall thickness destroyed',
    source: 'clinical-rules',
    note: 'At a given angle the cortex is involved when at least half of the local wall thickness is destroyed (a full-thickness break included).',
  },
  'mirels-size-small': {
    id: 'mirels-size-small',
    value: 100 / 3,
    comparator: '<',
    unit: '%',
    quantity: 'axialPercent',
    source: 'seed000-mirels-table',
    note: 'Mirels size 1 (< 1/3 of the cortex) proposed when the measured axial % is below 1/3; an entered size wins.',
  },
  'mirels-size-large': {
    id: 'mirels-size-large',
    value: 200 / 3,
    comparator: '>',
    unit: '%',
    quantity: 'axialPercent',
    source: 'seed000-mirels-table',
    note: 'Mirels size 3 (> 2/3 of the cortex) proposed when the measured axial % is above 2/3; size 2 in between (1/3 to 2/3 inclusive).',
  },
  'mirels-consolidation': {
    id: 'mirels-consolidation',
    value: 9,
    comparator: '>=',
    unit: 'points',
    quantity: 'Mirels score',
    source: 'seed000-mirels-table',
    note: 'Prophylactic fixation first (if life expectancy > 3 months). Li 2022 writes "> 9"; the guideline\'s table (≥ 9) rules.',
  },
  'mirels-discussion': {
    id: 'mirels-discussion',
    value: 8,
    comparator: '==',
    unit: 'points',
    quantity: 'Mirels score',
    source: 'seed000-rcp',
    note: 'Mirels 8: multidisciplinary decision (RCP). A score of 7 or less: observation / radiotherapy alone.',
  },
  'life-expectancy-months': {
    id: 'life-expectancy-months',
    value: 3,
    comparator: '>',
    unit: 'months',
    quantity: 'life expectancy',
    source: 'seed000-life-expectancy',
    note: 'Surgery first only when life expectancy exceeds 3 months; otherwise radiotherapy / non-surgical care.',
  },
  'ct-axial-percent': {
    id: 'ct-axial-percent',
    value: 30,
    comparator: '>',
    unit: '%',
    quantity: 'axialPercent',
    source: 'seed000-ct-consolidation',
    note: 'The guideline\'s "ostéolyse corticale > 30 % dans le plan axial". Its source (van der Linden) used > 30 mm; both readings are applied, each to its own quantity.',
  },
  'ct-circumferential-percent': {
    id: 'ct-circumferential-percent',
    value: 50,
    comparator: '>',
    unit: '%',
    quantity: 'circumferentialPercent',
    source: 'seed000-ct-consolidation',
    alsoCited: ['vanDerLinden2003'],
    note: 'Circumferential cortical involvement > 50 %: high fracture risk (derived on radiographs).',
  },
  'axial-length': {
    id: 'axial-length',
    value: 30,
    comparator: '>',
    unit: 'mm',
    quantity: 'axialLengthMm',
    source: 'vanDerLinden2003',
    alsoCited: ['deschamps-seed004', 'vanDerWal2020'],
    note: 'Axial cortical involvement > 30 mm (femur): high fracture risk, prophylactic fixation justified (derived on radiographs).',
  },
  'harrington-axial-percent': {
    id: 'harrington-axial-percent',
    value: 50,
    comparator: '>=',
    unit: '%',
    quantity: 'axialPercent',
    source: 'harrington1986',
    note: 'Harrington: ≥ 50 % cortical destruction (read as axial % ≥ 50).',
  },
  'harrington-peritrochanteric-length': {
    id: 'harrington-peritrochanteric-length',
    value: 25,
    comparator: '>=',
    unit: 'mm',
    quantity: 'axialLengthMm',
    source: 'harrington1986',
    note: 'Harrington: proximal femoral lesion ≥ 25 mm; applied to the peritrochanteric site only.',
  },
  'tatar-circumferential-percent': {
    id: 'tatar-circumferential-percent',
    value: 30,
    comparator: '>=',
    unit: '%',
    quantity: 'circumferentialPercent',
    source: 'tatar2014',
    note: 'Radiotherapy-planning CT evidence (only multivariate predictor of fracture, OR 62, 47 patients); shown, never decisive.',
  },
  'sins-potentially-unstable': {
    id: 'sins-potentially-unstable',
    value: 7,
    comparator: '>=',
    unit: 'points',
    quantity: 'SINS score',
    source: 'seed000-sins',
    note: 'SINS 7–12 potentially unstable; ≥ 7 a surgical opinion is needed. 0–6 stable.',
  },
  'sins-unstable': {
    id: 'sins-unstable',
    value: 13,
    comparator: '>=',
    unit: 'points',
    quantity: 'SINS score',
    source: 'seed000-sins',
    note: 'SINS 13–18 unstable.',
  },
  'vertebroplasty-collapse-percent': {
    id: 'vertebroplasty-collapse-percent',
    value: 75,
    comparator: '>',
    unit: '%',
    quantity: 'vertebral body collapse',
    source: 'seed002-vertebroplasty',
    note: 'Vertebral collapse > 75 % contraindicates percutaneous vertebroplasty (input flag sins.collapseOver75).',
  },
  'calcaemia-crisis': {
    id: 'calcaemia-crisis',
    value: 3.5,
    comparator: '>',
    unit: 'mmol/L',
    quantity: 'corrected calcaemia',
    source: 'seed001-calcaemia',
    note: 'Corrected calcaemia > 3.5 mmol/L: acute hypercalcaemic crisis.',
  },
  'calcaemia-albumin-reference': {
    id: 'calcaemia-albumin-reference',
    value: 40,
    comparator: null,
    unit: 'g/L',
    quantity: 'albumin',
    source: 'seed001-calcaemia',
    note: 'Corrected calcaemia = measured + (40 − albumin g/L) / 40 (mmol/L).',
  },
} as const satisfies Record<string, Threshold>;

export type ThresholdId = keyof typeof THRESHOLDS;

export const THRESHOLD_LIST: readonly Threshold[] = Object.values(THRESHOLDS);

/** Whether `value` satisfies `comparator threshold`, exactly as written (no tolerance). */
export function compare(value: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '==':
      return value === threshold;
  }
}

/** Whether `value` meets the threshold `id`. */
export function meets(value: number, id: ThresholdId): boolean {
  const t: Threshold = THRESHOLDS[id];
  if (t.comparator === null) throw new Error(`threshold ${id} is a constant, not a condition`);
  return compare(value, t.comparator, t.value);
}
