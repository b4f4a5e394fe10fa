import type { Comparator, Reason } from '../schemas/assessment';
import type { MeasurementKind } from '../schemas/measurement';
import { MEASUREMENT_UNIT } from '../schemas/measurement';
import { MEASUREMENT_CAVEATS } from './caveats';
import { RADIOTHERAPY_OPTIONS } from './radiotherapy';
import { SOURCES, type Source } from './sources';
import { THRESHOLD_LIST, type Threshold } from './thresholds';
import { RULES_VERSION } from './version';

/**
 * The "Definitions and sources" content (clinical-rules §1 measurement definitions, every
 * threshold with its source, the caveats), built from the SAME thresholds table the engine
 * uses, so the panel and every report show exactly what was computed. Pure data: texts are
 * i18n keys into the `rules` namespace (renderer/i18n/locales/{en,fr}/rules.json); numbers
 * and citations are given as values.
 */
export interface MeasurementDefinition {
  kind: MeasurementKind;
  unit: string;
  nameKey: string;
  definitionKey: string;
  howToKey: string;
}

export interface ThresholdDefinition {
  id: string;
  /** i18n key of the threshold's explanation. */
  textKey: string;
  quantity: string;
  comparator: Comparator | null;
  value: number;
  unit: string;
  /** Language-neutral rendering of the condition, e.g. "> 30 %", "≥ 9 points", "< 33.3 %". */
  condition: string;
  /** English note from the table (fallback when no translation). */
  note: string;
  source: Source;
  alsoCited: Source[];
}

export interface CaveatDefinition extends Reason {
  textKey: string;
  citation: Source;
}

export interface DefinitionsContent {
  rulesVersion: string;
  titleKey: string;
  /** General definitions (cross-section, cortical involvement). */
  generalKeys: string[];
  measurements: MeasurementDefinition[];
  thresholds: ThresholdDefinition[];
  caveats: CaveatDefinition[];
  /** Every source cited by a threshold, caveat or radiotherapy option, in first-cited order. */
  sources: Source[];
}

const SYMBOL: Record<Comparator, string> = { '>': '>', '>=': '≥', '<': '<', '<=': '≤', '==': '=' };

/** Format a number for a given locale, at most one decimal (33.333… → 33.3). */
export function formatNumber(value: number, locale: string = 'en'): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
}

export function formatCondition(t: Pick<Threshold, 'comparator' | 'value' | 'unit'>, locale: string = 'en'): string {
  const value = `${formatNumber(t.value, locale)} ${t.unit}`.trim();
  return t.comparator ? `${SYMBOL[t.comparator]} ${value}` : value;
}

const source = (id: string): Source => (SOURCES as Record<string, Source>)[id];

export function definitionsContent(locale: string = 'en'): DefinitionsContent {
  const measurements: MeasurementDefinition[] = (Object.keys(MEASUREMENT_UNIT) as MeasurementKind[]).map((kind) => ({
    kind,
    unit: MEASUREMENT_UNIT[kind],
    nameKey: `measurements.${kind}.name`,
    definitionKey: `measurements.${kind}.definition`,
    howToKey: `measurements.${kind}.howTo`,
  }));
  const thresholds: ThresholdDefinition[] = THRESHOLD_LIST.map((t) => ({
    id: t.id,
    textKey: `thresholds.${t.id}`,
    quantity: t.quantity,
    comparator: t.comparator,
    value: t.value,
    unit: t.unit,
    condition: formatCondition(t, locale),
    note: t.note,
    source: source(t.source),
    alsoCited: (t.alsoCited ?? []).map(source),
  }));
  const caveats: CaveatDefinition[] = MEASUREMENT_CAVEATS.map((c) => ({
    ...c,
    ...(c.params ? { params: { ...c.params } } : {}),
    textKey: `caveats.${c.code}`,
    citation: source(c.source),
  }));
  const cited = [
    ...thresholds.flatMap((t) => [t.source, ...t.alsoCited]),
    ...caveats.map((c) => c.citation),
    ...RADIOTHERAPY_OPTIONS.map((o) => source(o.source)),
  ];
  const sources = cited.filter((s, i) => cited.findIndex((x) => x.id === s.id) === i);
  return {
    rulesVersion: RULES_VERSION,
    titleKey: 'definitions.title',
    generalKeys: ['measurements.crossSection', 'measurements.involvement'],
    measurements,
    thresholds,
    caveats,
    sources,
  };
}
