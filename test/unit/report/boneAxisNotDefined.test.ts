import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../shared/report/buildReport';
import { reportFromJson, reportToJson } from '../../../shared/report/json';
import { renderReportPdf } from '../../../renderer/report/reportPdf';
import { makeTexts } from '../../../renderer/report/texts';
import { args, measurement, nodeI18n } from './fixtures';
import type { Lesion } from '../../../shared/schemas/measurement';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const lesion: Lesion = { id: 'L1', bone: 'fémur', site: 'peritrochanteric', label: 'Sans axe' };
const draft = { site: 'peritrochanteric' as const, lesionType: 'lytic' as const, pain: 'moderate' as const, lifeExpectancyOver3Months: true, mirelsSize: 1 as const };

/**
 * An axial length drawn before any bone axis was defined was only compared with scanner z: on a
 * tilted bone it may not follow the bone, and the report said only "plan sagittal". It is
 * flagged (measure panel's BONE_AXIS_NOT_DEFINED) in the report model, its JSON and its PDF.
 */
describe('axial length drawn with no bone axis defined', () => {
  it('is flagged in the report model, survives the JSON round trip and is said in the FR and EN PDF', async () => {
    const len = measurement('L1', 'axialLengthMm', 32);
    const report = buildReport(args({ lesions: [{ lesion, measurements: [len], draft, boneAxisNotDefinedMeasurementIds: new Set([len.id]) }] }));
    const v = report.lesions[0].values.find((x) => x.quantity === 'axialLengthMm')!;
    expect(v).toMatchObject({ value: 32, origin: 'measured', boneAxisNotDefined: true });
    const back = reportFromJson(reportToJson(report), 'r.json');
    expect(back.ok && back.value.lesions[0].values.find((x) => x.quantity === 'axialLengthMm')?.boneAxisNotDefined).toBe(true);
    for (const language of ['fr', 'en'] as const) {
      const i18n = await nodeI18n(language);
      const bytes = await renderReportPdf({ ...report, language }, makeTexts((k, o) => String(i18n.t(k, o as never)), language));
      const dir = mkdtempSync(join(tmpdir(), 'frw-noaxis-'));
      writeFileSync(join(dir, 'r.pdf'), bytes);
      const text = execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(text).toContain(language === 'fr' ? "AXE DE L'OS NON DÉFINI" : 'BONE AXIS NOT DEFINED');
    }
  });

  it('only the chosen measurement matters: a flagged length that is not the one used leaves no flag', () => {
    const used = measurement('L1', 'axialLengthMm', 40);
    const other = measurement('L1', 'axialLengthMm', 20);
    const report = buildReport(args({ lesions: [{ lesion, measurements: [used, other], draft, boneAxisNotDefinedMeasurementIds: new Set([other.id]) }] }));
    expect(report.lesions[0].values[0]).toMatchObject({ value: 40 });
    expect(reportToJson(report)).not.toContain('boneAxisNotDefined');
  });
});
