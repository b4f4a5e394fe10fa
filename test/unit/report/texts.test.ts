import { describe, expect, it } from 'vitest';
import { LevelSchema } from '../../../shared/schemas/assessment';
import { makeTexts } from '../../../renderer/report/texts';
import { nodeI18n } from './fixtures';

async function texts(lang: 'fr' | 'en') {
  const i18n = await nodeI18n(lang);
  return { i18n, x: makeTexts(i18n.getFixedT(lang), lang) };
}

describe('report texts', () => {
  it('every level has its own text in each language, French differing from English', async () => {
    const { x: fr } = await texts('fr');
    const { x: en } = await texts('en');
    for (const level of LevelSchema.options) {
      expect(fr.level(level)).not.toBe(level);
      expect(en.level(level)).not.toBe(level);
      expect(fr.level(level)).not.toBe(en.level(level));
    }
  });

  it('criterion ids and levels inside a reason are shown by their text, numbers in the language', async () => {
    const { i18n, x } = await texts('fr');
    const met = x.reason({ code: 'criterion-met', source: 'vanDerLinden2003', params: { criterion: 'axial-length', value: 35.5 } });
    expect(met).toContain(i18n.t('rules:criteria.axial-length'));
    expect(met).not.toContain('axial-length');
    const disc = x.reason({ code: 'discordance', source: 'seed000-rcp', params: { score: 5, criteria: 'axial-length, ct-circumferential-percent' } });
    expect(disc).toContain(i18n.t('rules:criteria.ct-circumferential-percent'));
    expect(disc).not.toMatch(/ct-circumferential-percent/);
    const size = x.reason({ code: 'mirels-size-measured', source: 'seed000-mirels-table', params: { axialPercent: 45.5, size: 2 } });
    expect(size).toContain('45,5');
  });

  it('criterion value against its threshold, strict comparator shown as written', async () => {
    const { x } = await texts('fr');
    const c = { id: 'axial-length', status: 'not-met' as const, value: 30, threshold: 30, comparator: '>' as const, unit: 'mm', source: 'x', decisive: false, informational: false };
    expect(x.criterionValue(c)).toBe('30 mm / > 30 mm');
    expect(x.criterionValue({ ...c, value: null, status: 'not-measured' })).toBe('non mesuré / > 30 mm');
    expect(x.criterionValue({ ...c, id: 'harrington-axial-percent', value: 33.333, threshold: 50, comparator: '>=', unit: '%' })).toBe('33,3 % / ≥ 50 %');
  });

  it('an unknown code shows as itself, never blank', async () => {
    const { x } = await texts('en');
    expect(x.reason({ code: 'no-such-code', source: 'x' })).toBe('no-such-code');
  });
});
