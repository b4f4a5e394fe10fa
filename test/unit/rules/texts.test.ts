import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CAVEAT_CODES,
  CRITERION_IDS,
  RADIOTHERAPY_OPTIONS,
  REASON_CODES,
  THRESHOLD_LIST,
  assessLesion,
  definitionsContent,
} from '../../../shared/rules/index';
import { RADIOTHERAPY_INDICATIONS } from '../../../shared/rules/radiotherapy';
import { SOURCES } from '../../../shared/rules/sources';
import {
  CriterionStatusSchema,
  LevelSchema,
  SINS_COMPONENTS,
  SinsBandSchema,
  VERTEBROPLASTY_FLAGS,
  type Reason,
} from '../../../shared/schemas/assessment';
import { inputArb } from './arbitraries';

/** Every code the engine can emit has a French and an English text (rules namespace). */
const root = join(__dirname, '..', '..', '..');
const load = (lang: string) => JSON.parse(readFileSync(join(root, 'renderer/i18n/locales', lang, 'rules.json'), 'utf8')) as Record<string, unknown>;
const texts = { en: load('en'), fr: load('fr') };

function lookup(obj: Record<string, unknown>, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), obj);
}
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

function requiredKeys(): string[] {
  const d = definitionsContent();
  return [
    ...LevelSchema.options.map((l) => `levels.${l}`),
    ...REASON_CODES.map((c) => `reasons.${c}`),
    ...CRITERION_IDS.map((c) => `criteria.${c}`),
    ...CriterionStatusSchema.options.map((s) => `criterionStatus.${s}`),
    ...CAVEAT_CODES.map((c) => `caveats.${c}`),
    ...RADIOTHERAPY_OPTIONS.map((o) => `radiotherapy.${o.id}`),
    ...RADIOTHERAPY_INDICATIONS.map((i) => `radiotherapyIndications.${i}`),
    'techniques.conventional',
    'techniques.sbrt',
    ...SinsBandSchema.options.map((b) => `sinsBands.${b}`),
    ...SINS_COMPONENTS.map((c) => `sinsComponents.${c}`),
    ...SINS_COMPONENTS.map((c) => `missing.sins.${c}`),
    ...VERTEBROPLASTY_FLAGS.map((f) => `vertebroplastyFlags.${f}`),
    'missing.mirelsSize',
    'missing.lifeExpectancyOver3Months',
    ...THRESHOLD_LIST.map((t) => `thresholds.${t.id}`),
    d.titleKey,
    ...d.generalKeys,
    ...d.measurements.flatMap((m) => [m.nameKey, m.definitionKey, m.howToKey]),
    ...d.thresholds.map((t) => t.textKey),
    ...d.caveats.map((c) => c.textKey),
  ];
}

describe('rules.json texts', () => {
  it.each(['en', 'fr'] as const)('%s has a non-empty text for every level, reason, criterion, caveat, option, band, flag and threshold', (lang) => {
    const absent = requiredKeys().filter((k) => {
      const v = lookup(texts[lang], k);
      return typeof v !== 'string' || v.trim() === '';
    });
    expect(absent).toEqual([]);
  });

  it('French and English use the same placeholders in every text', () => {
    const walk = (node: unknown, prefix: string): string[] =>
      node && typeof node === 'object'
        ? Object.entries(node).flatMap(([k, v]) => walk(v, prefix ? `${prefix}.${k}` : k))
        : [prefix];
    const enKeys = walk(texts.en, '').sort();
    expect(walk(texts.fr, '').sort()).toEqual(enKeys);
    for (const k of enKeys) expect(placeholders(String(lookup(texts.fr, k))), k).toEqual(placeholders(String(lookup(texts.en, k))));
  });

  it('French uses the guideline terms', () => {
    const fr = JSON.stringify(texts.fr);
    for (const term of ['RCP', 'chirurgie de consolidation', 'ostéosynthèse prophylactique', 'Calcémie corrigée', 'espérance de vie']) expect(fr).toContain(term);
  });

  it('everything the engine emits is in the code lists, and every placeholder gets a parameter', () => {
    const check = (kind: string, r: Reason, list: readonly string[]) => {
      expect(list, `${kind} ${r.code}`).toContain(r.code);
      const text = String(lookup(texts.en, `${kind}.${r.code}`));
      for (const p of placeholders(text)) expect(r.params?.[p], `${r.code}.${p}`).not.toBeUndefined();
      expect(Object.keys(SOURCES), r.code).toContain(r.source);
    };
    fc.assert(
      fc.property(inputArb, (input) => {
        const r = assessLesion(input);
        for (const reason of r.reasons) check('reasons', reason, REASON_CODES);
        if (r.postOperativeRadiotherapy) check('reasons', r.postOperativeRadiotherapy, REASON_CODES);
        for (const c of r.caveats) check('caveats', c, CAVEAT_CODES);
        for (const c of r.criteria) {
          expect(CRITERION_IDS).toContain(c.id);
          expect(Object.keys(SOURCES)).toContain(c.source);
        }
        for (const m of r.missing) expect(typeof lookup(texts.fr, `missing.${m}`), m).toBe('string');
      }),
      { numRuns: 1000 },
    );
  });
});

describe('definitions content', () => {
  const d = definitionsContent();
  it('lists every threshold of the engine table with its source and condition', () => {
    expect(d.thresholds.map((t) => t.id)).toEqual(THRESHOLD_LIST.map((t) => t.id));
    const byId = Object.fromEntries(d.thresholds.map((t) => [t.id, t]));
    expect(byId['ct-axial-percent']).toMatchObject({ condition: '> 30 %', source: { id: 'seed000-ct-consolidation' } });
    expect(byId['axial-length']).toMatchObject({ condition: '> 30 mm', source: { id: 'vanDerLinden2003' } });
    expect(byId['harrington-peritrochanteric-length'].condition).toBe('≥ 25 mm');
    expect(byId['mirels-size-small'].condition).toBe('< 33.3 %');
    expect(definitionsContent('fr').thresholds.find((t) => t.id === 'calcaemia-crisis')?.condition).toBe('> 3,5 mmol/L');
    for (const t of d.thresholds) expect(t.source?.citation, t.id).toBeTruthy();
  });
  it('defines the three measurements and carries the caveats (Mirels accuracy, radiographs, 30 % vs 30 mm)', () => {
    expect(d.measurements.map((m) => [m.kind, m.unit])).toEqual([['axialLengthMm', 'mm'], ['circumferentialPercent', '%'], ['axialPercent', '%']]);
    const codes = d.caveats.map((c) => c.code);
    expect(codes).toEqual(expect.arrayContaining(['mirels-accuracy', 'mirels-accuracy-van-der-linden', 'thresholds-derived-on-radiographs', 'axial-30-percent-vs-30-mm']));
    expect(d.caveats.find((c) => c.code === 'mirels-accuracy')?.params).toEqual({ sensitivityPercent: 67, specificityPercent: 48 });
    expect(d.sources.map((s) => s.id)).toEqual(expect.arrayContaining(['seed000-mirels-table', 'harrington1986', 'tatar2014', 'seed003-radiotherapy-table']));
    expect(new Set(d.sources.map((s) => s.id)).size).toBe(d.sources.length);
  });
});
