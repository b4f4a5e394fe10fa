/**
 * The planning structures' coverage of a lesion in the report (issue 17): model, JSON round trip,
 * and the PDF's section in French and English.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../shared/report/buildReport';
import { reportFromJson, reportToJson } from '../../../shared/report/json';
import { renderReportPdf } from '../../../renderer/report/reportPdf';
import { makeTexts } from '../../../renderer/report/texts';
import type { Lesion } from '../../../shared/schemas/measurement';
import type { RtLesionCoverage } from '../../../shared/schemas/rt';
import { coverageSentence } from '../../../shared/rt/coverage';
import { args, measurement, nodeI18n } from '../report/fixtures';
import { coverageText } from '../../../renderer/rt/coverageText';

const lesion: Lesion = { id: 'L1', bone: 'fémur', site: 'lower-limb', label: 'Diaphyse' };
const row = (roiName: string, arc: number, region: number, seedInside: boolean): RtLesionCoverage => {
  const base = { roiNumber: 1, roiName, involvedArcPercent: arc, involvedRegionPercent: region, seedInside };
  return { ...base, relation: region >= 99.95 ? 'covers' : region > 0 ? 'partial' : 'none', sentence: coverageSentence(base), file: 'planning-rt.dcm' };
};

describe('structure coverage in the report', () => {
  it('is kept in the model and the JSON, and printed under its own heading', async () => {
    const coverage = [row('GTV_femur', 92, 88, true), row('PTV', 100, 100, true)];
    const report = buildReport(args({ lesions: [{ lesion, measurements: [measurement('L1', 'axialLengthMm', 32)], draft: null, structureCoverage: coverage }] }));
    expect(report.lesions[0].structureCoverage).toEqual(coverage);
    const back = reportFromJson(reportToJson(report), 'r.json');
    expect(back.ok && back.value.lesions[0].structureCoverage).toEqual(coverage);
    for (const language of ['fr', 'en'] as const) {
      const i18n = await nodeI18n(language);
      const bytes = await renderReportPdf({ ...report, language }, makeTexts((k, o) => String(i18n.t(k, o as never)), language));
      const dir = mkdtempSync(join(tmpdir(), 'frw-rt-report-'));
      writeFileSync(join(dir, 'r.pdf'), bytes);
      const text = execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      rmSync(dir, { recursive: true, force: true });
      expect(text).toContain(language === 'fr' ? 'Structures de planification et lésion' : 'Planning structures and the lesion');
      expect(text).toContain(
        language === 'fr'
          ? 'GTV_femur couvre 92 % de l’arc atteint (88 % de la région corticale atteinte) ; contient le point de départ.'.replace('’', "'")
          : 'GTV_femur covers 92 % of the involved arc (88 % of the involved cortical region); contains the seed.',
      );
      expect(text).toContain(language === 'fr' ? "PTV couvre tout l'arc atteint" : 'PTV covers all of the involved arc');
    }
  });

  it('a lesion without planning structures has no such key', () => {
    const report = buildReport(args({ lesions: [{ lesion, measurements: [], draft: null }] }));
    expect('structureCoverage' in report.lesions[0]).toBe(false);
  });
});

describe('coverage sentences', () => {
  it("the UI's English sentence is the CLI's (shared) one, for every kind of coverage", async () => {
    const i18n = await nodeI18n('en');
    const t = (k: string, o?: Record<string, unknown>) => String(i18n.t(k, o as never));
    for (const c of [row('A', 92, 88, true), row('B', 100, 100, false), row('C', 0, 0, true), { ...row('D', 0, 0, false), involvedArcPercent: null, involvedRegionPercent: null }]) {
      expect(coverageText(c, t)).toBe(coverageSentence(c));
    }
  });
});

describe('coverage figures never read as another relation (review 1)', () => {
  it('a partial cover of 99.5–99.94 % never prints "100 %", one that reaches the cortex never "0 %"', async () => {
    const en = await nodeI18n('en');
    const fr = await nodeI18n('fr');
    const tEn = (k: string, o?: Record<string, unknown>) => String(en.t(k, o as never));
    const tFr = (k: string, o?: Record<string, unknown>) => String(fr.t(k, o as never));
    const near = row('PTV', 99.7, 99.94, true);
    expect(near.relation).toBe('partial');
    expect(near.sentence).toBe('PTV covers 99.7 % of the involved arc (99.9 % of the involved cortical region); contains the seed.');
    expect(coverageText(near, tEn)).toBe(near.sentence);
    expect(coverageText(near, tFr)).toContain('99,7 %');
    expect(coverageText(near, tFr)).not.toContain('100 %');
    const touch = row('OAR', 0.4, 0.3, false);
    expect(touch.relation).toBe('partial');
    expect(touch.sentence).toBe('OAR covers 0.4 % of the involved arc (0.3 % of the involved cortical region); does not contain the seed.');
    expect(row('OAR', 0.04, 0.02, false).sentence).toContain('< 0.1 % of the involved arc');
    for (const x of [99.5, 99.6, 99.9, 99.94]) expect(row('X', x, x, true).sentence).not.toMatch(/100 %|\ball\b/);
    for (const x of [0.01, 0.3, 0.49]) expect(row('X', x, x, true).sentence).not.toMatch(/\b0 %/);
    // Ordinary figures are whole numbers.
    expect(row('G', 83.3, 50.9, true).sentence).toContain('covers 83 % of the involved arc (50 % of');
  });
});
