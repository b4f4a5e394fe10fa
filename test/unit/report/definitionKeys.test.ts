import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { THRESHOLD_LIST } from '../../../shared/rules/index';
import { quantityKey, unitKey } from '../../../renderer/assess/definitionKeys';

const root = join(__dirname, '..', '..', '..');
const load = (lang: string) => JSON.parse(readFileSync(join(root, 'renderer/i18n/locales', lang, 'rules.json'), 'utf8')) as Record<string, unknown>;
const lookup = (obj: Record<string, unknown>, key: string): unknown =>
  key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), obj);

describe('definitions panel: every threshold names its quantity and unit in the UI language', () => {
  const texts = { en: load('en'), fr: load('fr') };
  for (const th of THRESHOLD_LIST) {
    it(`${th.id}: ${th.quantity} (${th.unit})`, () => {
      for (const lang of ['en', 'fr'] as const) {
        expect(typeof lookup(texts[lang], quantityKey(th.quantity)), `${lang} ${quantityKey(th.quantity)}`).toBe('string');
        expect(typeof lookup(texts[lang], unitKey(th.unit)), `${lang} ${unitKey(th.unit)}`).toBe('string');
      }
    });
  }
  it('French uses the French unit and clinical names (UH, mois), not the engine keys', () => {
    expect(lookup(texts.fr, unitKey('HU'))).toBe('UH');
    expect(lookup(texts.fr, unitKey('months'))).toBe('mois');
    expect(lookup(texts.fr, unitKey('%'))).toBe('%');
    expect(lookup(texts.fr, quantityKey('axialPercent'))).toBe('Pourcentage axial');
  });
});
