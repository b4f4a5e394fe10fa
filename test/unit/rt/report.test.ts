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
