import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCAN_WARNING } from '../../../shared/dicom/assembleScan';
import { HEADER_ERROR, HEADER_WARNING } from '../../../shared/dicom/parseHeader';

const root = join(__dirname, '..', '..', '..');
const codes = (lang: string) => (JSON.parse(readFileSync(join(root, 'renderer/i18n/locales', lang, 'study.json'), 'utf8')) as { codes: Record<string, string> }).codes;

/** The study browser heads each scanner warning / error with a text in the UI language (study:codes). */
describe('study browser: every scanner warning and header error code has a French and an English headline', () => {
  const all = [...new Set([...Object.values(SCAN_WARNING), ...Object.values(HEADER_ERROR), ...Object.values(HEADER_WARNING)])];
  it.each(all)('%s', (code) => {
    for (const lang of ['en', 'fr']) expect(codes(lang)[code], `${lang}: study:codes.${code}`).toEqual(expect.any(String));
    expect(codes('fr')[code]).not.toBe(codes('en')[code]);
  });
});
