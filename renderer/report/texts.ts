import type { CriterionResult, Reason, RadiotherapyOption } from '../../shared/schemas/assessment';
import { sourceShort } from '../../shared/rules/sources';
import type { Report } from '../../shared/schemas/report';

/**
 * Words for the report and the assessment panels, from i18next namespaces `report`, `assess`
 * (this part of the UI) and `rules` (texts of the rule engine's codes, by the rules helper).
 * One place maps a code to its text, so the PDF and the screen always say the same thing.
 * A code without a text shows as the code itself — visible, never blank.
 */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

export interface ReportTexts {
  t: Translate;
  language: 'fr' | 'en';
  number(value: number, maxDecimals?: number): string;
  level(level: string): string;
  reason(r: Reason): string;
  caveat(r: Reason): string;
  criterion(id: string): string;
  criterionValue(c: CriterionResult): string;
  status(s: CriterionResult['status']): string;
  radiotherapy(o: RadiotherapyOption): string;
  sinsBand(band: string): string;
  /** The short label of a source (author year), never its id. */
  sourceShort(id: string, report?: Pick<Report, 'definitions'>): string;
  threshold(id: string, note: string): string;
  missingItem(key: string): string;
}

const COMPARATOR_TEXT: Record<string, string> = { '>': '>', '>=': '≥', '<': '<', '<=': '≤', '==': '=' };

export function comparatorText(c: string | null): string {
  return c === null ? '' : (COMPARATOR_TEXT[c] ?? c);
}

export function makeTexts(t: Translate, language: 'fr' | 'en'): ReportTexts {
  const fmt = (maxDecimals: number) =>
    new Intl.NumberFormat(language === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: maxDecimals, useGrouping: false });
  const formats = new Map<number, Intl.NumberFormat>();
  const number = (value: number, maxDecimals = 1) => {
    let f = formats.get(maxDecimals);
    if (!f) formats.set(maxDecimals, (f = fmt(maxDecimals)));
    return f.format(value);
  };
  const tr = (key: string, fallback: string, params?: Record<string, unknown>) =>
    t(key, { ...(params ?? {}), defaultValue: fallback });
  const localParams = (params: Reason['params']) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(params ?? {})) out[k] = typeof v === 'number' ? number(v) : v;
    return out;
  };
  const texts: ReportTexts = {
    t,
    language,
    number,
    level: (level) => tr(`rules:levels.${level}`, level),
    reason: (r) => {
      const params = localParams(r.params);
      // Criterion ids inside a reason ('criterion-met', 'discordance') are shown by their text.
      if (typeof r.params?.criterion === 'string') params.criterion = tr(`rules:criteria.${r.params.criterion}`, r.params.criterion);
      if (typeof r.params?.criteria === 'string')
        params.criteria = r.params.criteria
          .split(/,\s*/)
          .map((id) => tr(`rules:criteria.${id}`, id))
          .join(', ');
      if (typeof r.params?.flag === 'string') params.flag = tr(`rules:vertebroplastyFlags.${r.params.flag}`, r.params.flag);
      if (typeof r.params?.value === 'boolean') params.value = t(r.params.value ? 'report:yes' : 'report:no');
      for (const k of ['lesionType', 'sinsLesion']) {
        const v = r.params?.[k];
        if (typeof v === 'string') params[k] = tr(`assess:lesionType.${v}`, v);
      }
      if (typeof r.params?.baseLevel === 'string') params.baseLevel = tr(`rules:levels.${r.params.baseLevel}`, r.params.baseLevel);
      return tr(`rules:reasons.${r.code}`, r.code, params);
    },
    caveat: (r) => tr(`rules:caveats.${r.code}`, r.code, localParams(r.params)),
    criterion: (id) => tr(`rules:criteria.${id}`, id),
    criterionValue: (c) => {
      const v =
        c.value === null
          ? t('assess:status.not-measured')
          : typeof c.value === 'boolean'
            ? t(c.value ? 'report:yes' : 'report:no')
            : `${number(c.value)} ${c.unit}`.trim();
      if (c.threshold === null || c.comparator === null) return v;
      return `${v} / ${comparatorText(c.comparator)} ${number(c.threshold)} ${c.unit}`.trim();
    },
    status: (s) => t(`assess:status.${s}`),
    radiotherapy: (o) => {
      const dose =
        o.totalDoseGyMin === o.totalDoseGyMax ? number(o.totalDoseGyMin) : `${number(o.totalDoseGyMin)}–${number(o.totalDoseGyMax)}`;
      const schedule = `${dose} Gy / ${o.fractions} fr.${o.technique === 'sbrt' ? ' (SBRT)' : ''}`;
      // The rules' text names the schedule itself ("8 Gy in 1 fraction"); the numbers are the fallback.
      return t(`rules:radiotherapy.${o.id}`, { defaultValue: schedule });
    },
    sinsBand: (band) => tr(`rules:sinsBands.${band}`, band),
    // The guideline's sections are named in the report's language; authors and years are not translated.
    sourceShort: (id, report) => tr(`rules:sourceShort.${id}`, report?.definitions.sources.find((s) => s.id === id)?.short ?? sourceShort(id)),
    threshold: (id, note) => tr(`rules:thresholds.${id}`, note),
    // 'sins.pain' → rules:missing.sins.pain; 'mirelsSize' → rules:missing.mirelsSize.
    missingItem: (key) => tr(`rules:missing.${key}`, tr(`assess:field.${key}`, key)),
  };
  return texts;
}
