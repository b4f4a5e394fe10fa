import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../shared/report/buildReport';
import { reportFromJson, reportToJson } from '../../../shared/report/json';
import { effectiveInput } from '../../../shared/report/draft';
import { renderReportPdf } from '../../../renderer/report/reportPdf';
import { makeTexts } from '../../../renderer/report/texts';
import { args, measurement, nodeI18n } from './fixtures';
import type { Lesion } from '../../../shared/schemas/measurement';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const lesion: Lesion = { id: 'L1', bone: 'fémur', site: 'peritrochanteric', label: 'Cas off-axis' };
const draft = { site: 'peritrochanteric' as const, lesionType: 'lytic' as const, pain: 'moderate' as const, lifeExpectancyOver3Months: true, mirelsSize: 1 as const };

/**
 * An axial length drawn off the bone axis (the tool warned) must not decide the recommendation
 * when a length along the axis exists — the measurements panel already shows the along-axis one
 * (shared/measure/derived.ts); engine, assessment and report must use the same number.
 */
describe('axial lengths drawn off the bone axis', () => {
  it('are passed over for a length along the axis: 24 mm along beats 35 mm off-axis, so the > 30 mm criterion is not met', () => {
    const along = measurement('L1', 'axialLengthMm', 24);
    const off = measurement('L1', 'axialLengthMm', 35);
    const eff = effectiveInput(draft, [along, off], new Set([off.id]));
    const length = eff.values.find((v) => v.quantity === 'axialLengthMm')!;
    expect(length).toMatchObject({ value: 24, origin: 'measured', measurementCount: 2 });
    expect(length.measurement?.id).toBe(along.id);
    expect(length.offAxis).toBeUndefined();
    expect(length.offAxisSetAside).toBe(1); // said in the panel and the report, next to "most affected of 2"
    expect(eff.input?.axialLengthMm).toBe(24);
    // Without the flag the larger, off-axis one would have been used.
    expect(effectiveInput(draft, [along, off]).input?.axialLengthMm).toBe(35);
  });

  it('are used when no other length exists, flagged in the report model, its JSON and its PDF', async () => {
    const off = measurement('L1', 'axialLengthMm', 35);
    const report = buildReport(args({ lesions: [{ lesion, measurements: [off], draft, offAxisMeasurementIds: new Set([off.id]) }] }));
    const length = report.lesions[0].values.find((v) => v.quantity === 'axialLengthMm')!;
    expect(length).toMatchObject({ value: 35, origin: 'measured', offAxis: true });
    expect(length.offAxisSetAside).toBeUndefined(); // nothing set aside: it is the only one
    const back = reportFromJson(reportToJson(report), 'r.json');
    expect(back.ok && back.value.lesions[0].values[0].offAxis).toBe(true);
    for (const language of ['fr', 'en'] as const) {
      const i18n = await nodeI18n(language);
      const bytes = await renderReportPdf({ ...report, language }, makeTexts((k, o) => String(i18n.t(k, o as never)), language));
      const dir = mkdtempSync(join(tmpdir(), 'frw-offaxis-'));
      writeFileSync(join(dir, 'r.pdf'), bytes);
      const text = execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(text).toContain(language === 'fr' ? "TRACÉE HORS DE L'AXE DE L'OS" : 'DRAWN OFF THE BONE AXIS');
    }
  });

  it('the report says how many off-axis lengths were set aside', async () => {
    const along = measurement('L1', 'axialLengthMm', 24);
    const off = measurement('L1', 'axialLengthMm', 35);
    const report = buildReport(args({ lesions: [{ lesion, measurements: [along, off], draft, offAxisMeasurementIds: new Set([off.id]) }] }));
    expect(report.lesions[0].values[0]).toMatchObject({ value: 24, offAxisSetAside: 1 });
    const i18n = await nodeI18n('fr');
    const bytes = await renderReportPdf(report, makeTexts((k, o) => String(i18n.t(k, o as never)), 'fr'));
    const dir = mkdtempSync(join(tmpdir(), 'frw-offaxis-'));
    writeFileSync(join(dir, 'r.pdf'), bytes);
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain("1 longueur(s) tracée(s) hors de l'axe de l'os écartée(s)");
  });

  it('an along-axis report has no flag (its JSON is unchanged)', () => {
    const along = measurement('L1', 'axialLengthMm', 24);
    const report = buildReport(args({ lesions: [{ lesion, measurements: [along], draft, offAxisMeasurementIds: new Set() }] }));
    expect(reportToJson(report)).not.toContain('offAxis');
  });
});
