import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../../shared/report/buildReport';
import { reportFromJson, reportToJson } from '../../../shared/report/json';
import { PdfFlow, toWinAnsi } from '../../../renderer/report/pdfLayout';
import { renderReportPdf } from '../../../renderer/report/reportPdf';
import { makeTexts } from '../../../renderer/report/texts';
import { WORKED_CASES, args, caseLesion, nodeI18n, pngDataUrl } from './fixtures';
import { FILE_OR_ID_OF_OURS } from '../../fixtures/userFacingText';

// The PDF is checked the way a reader sees it: text extracted by poppler's pdftotext, a page
// rasterised by pdftoppm, embedded images listed by pdfimages.
const dir = mkdtempSync(join(tmpdir(), 'frw-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pdfText(bytes: Uint8Array, name: string): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

const squash = (s: string) => s.replace(/\s+/g, ' ');

describe('PDF report', () => {
  for (const language of ['fr', 'en'] as const) {
    it(`holds the identifiers, values, scores, levels and sources (${language})`, async () => {
      const i18n = await nodeI18n(language);
      const x = makeTexts(i18n.getFixedT(language), language);
      const src = caseLesion(WORKED_CASES[2]);
      const report = buildReport(
        args({
          language,
          lesions: [
            { ...src, keyImages: [{ viewportId: 'oblique', caption: 'Coupe transversale', pngDataUrl: pngDataUrl(), capturedAt: '2026-03-12T10:05:00Z' }] },
            ...WORKED_CASES.filter((c) => c.n !== 3).map(caseLesion),
          ],
        }),
      );
      const bytes = await renderReportPdf(report, x);
      const text = squash(pdfText(bytes, `report-${language}.pdf`));
      // identifiers, reader, versions (accents survive)
      expect(text).toContain('SYN-0042');
      // the DICOM person name as people read it, not its FAMILY^GIVEN encoding
      expect(text).toContain('Dupré, Hélène');
      expect(text).not.toContain('Dupré^Hélène');
      expect(text).toContain('Dr Bérénice Lefèvre');
      expect(text).toContain(report.study.studyInstanceUid);
      expect(text).toContain(report.series!.seriesInstanceUid);
      expect(text).toContain(report.rulesVersion);
      expect(text).toContain('0.1.0');
      // every lesion's level, in the report's language, and its Mirels score
      for (const l of report.lesions) expect(text).toContain(squash(x.level(l.result!.level)));
      for (const c of WORKED_CASES) expect(text).toContain(`Mirels ${c.mirels}`);
      // the values of case 3 with their units, origin and provenance
      expect(text).toMatch(/35 mm/);
      expect(text).toMatch(/60 %/);
      expect(text).toMatch(/45 %/);
      // tools named in the report's language, and the reformat plane located (LPS mm), not only its kind
      expect(text).toContain(language === 'fr' ? 'outil longueur' : 'tool length');
      expect(text).toContain(language === 'fr' ? 'outil anneau cortical' : 'tool cortical ring');
      expect(text).not.toContain('AxialLength');
      expect(text).toContain(language === 'fr' ? 'plan oblique passant par (0 ; 0 ; 10) mm LPS' : 'oblique plane through (0 ; 0 ; 10) mm LPS');
      expect(text).toContain(i18n.t('report:origin.measured'));
      // criterion value vs strict threshold (case 7: exactly 30 mm is not > 30 mm)
      expect(text).toContain(language === 'fr' ? '30 mm / > 30 mm' : '30 mm / > 30 mm');
      // corrected calcaemia 3.1 + (40 − 24)/40 = 3.5
      expect(text).toContain(language === 'fr' ? '3,5 mmol/L' : '3.5 mmol/L');
      // definitions and sources
      expect(text).toContain(squash(i18n.t('report:section.definitions')));
      expect(text).toContain('van der Linden');
      expect(text).toContain('Harrington');
      // Issue 14 defect 6: the primary literature by author and year; no file or id of ours.
      expect(text).toContain('Mirels 1989');
      expect(text).toContain('Clin Orthop Relat Res 1989');
      expect(text).toContain('Fisher');
      expect(text).not.toMatch(FILE_OR_ID_OF_OURS);
      // Issue 14 defect 7: the French report names thresholds, units and sources in French.
      if (language === 'fr') {
        expect(text).toContain('Score de Mirels >= 9 points');
        expect(text).toContain('Densité corticale < 400 UH');
        expect(text).toContain('Espérance de vie > 3 mois');
        expect(text).toContain('référentiel §1.2');
        expect(text).not.toMatch(/share of the local|cortical density|life expectancy|Mirels score|SINS score|\bmonths\b|Guideline §|\[Workstation rules\]/);
      }
      // page footer on every page
      const pages = (text.match(/page \d+ \/ \d+/g) ?? []).length;
      expect(pages).toBeGreaterThanOrEqual(report.lesions.length + 2);
      // the key image is embedded
      const file = join(dir, `report-${language}.pdf`);
      const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n').slice(2);
      expect(images.length).toBe(1);
    });
  }

  it('French clinical terms in French, English in English', async () => {
    const fr = await nodeI18n('fr');
    const en = await nodeI18n('en');
    const report = buildReport(args({ lesions: [caseLesion(WORKED_CASES[2])] }));
    const textFr = squash(pdfText(await renderReportPdf({ ...report, language: 'fr' }, makeTexts(fr.getFixedT('fr'), 'fr')), 'fr.pdf'));
    const textEn = squash(pdfText(await renderReportPdf({ ...report, language: 'en' }, makeTexts(en.getFixedT('en'), 'en')), 'en.pdf'));
    expect(textFr).toContain('Définitions et sources');
    expect(textFr).toContain('Recommandation');
    expect(textEn).toContain('Definitions and sources');
    expect(textEn).not.toContain('Définitions et sources');
  });

  it('issue 14: key images two to a row, captioned with their view in the report\'s language', async () => {
    const i18n = await nodeI18n('fr');
    const views = ['oblique', 'obliqueAlong', 'axial', 'coronal', 'oblique'] as const;
    const keyImages = views.map((viewportId, i) => ({ viewportId, caption: `Lésion ${i + 1}`, pngDataUrl: pngDataUrl(400), capturedAt: '2026-03-12T10:05:00Z' }));
    const report = buildReport(args({ language: 'fr', lesions: [{ ...caseLesion(WORKED_CASES[2]), keyImages }] }));
    const bytes = await renderReportPdf(report, makeTexts(i18n.getFixedT('fr'), 'fr'));
    const text = squash(pdfText(bytes, 'keyimages.pdf'));
    expect(text).toContain("coupe transversale perpendiculaire à l'axe de l'os — Lésion 1");
    expect(text).toContain("plan dans l'axe de l'os — Lésion 2");
    expect(text).not.toMatch(/\((oblique|obliqueAlong|axial),/);
    // pdfimages: page of each image. Five images take at most two pages (a row of two per 230 pt).
    const pages = execFileSync('pdfimages', ['-list', join(dir, 'keyimages.pdf')], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .slice(2)
      .map((l) => Number(l.trim().split(/\s+/)[0]));
    expect(pages).toHaveLength(5);
    expect(new Set(pages).size).toBeLessThanOrEqual(2);
    expect(Math.max(...[...new Set(pages)].map((p) => pages.filter((q) => q === p).length))).toBeGreaterThanOrEqual(3);
  });

  it('the same model gives the same PDF; the re-imported JSON gives it too', async () => {
    const i18n = await nodeI18n('fr');
    const x = makeTexts(i18n.getFixedT('fr'), 'fr');
    const report = buildReport(args());
    const a = await renderReportPdf(report, x);
    const back = reportFromJson(reportToJson(report));
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    const b = await renderReportPdf(back.value, x);
    expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
  });

  it('renders a readable first page (pdftoppm)', async () => {
    const i18n = await nodeI18n('fr');
    const bytes = await renderReportPdf(buildReport(args()), makeTexts(i18n.getFixedT('fr'), 'fr'));
    const file = join(dir, 'page.pdf');
    writeFileSync(file, bytes);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, join(dir, 'page')]);
    const png = readdirSync(dir).find((f) => f.startsWith('page') && f.endsWith('.png'));
    expect(png).toBeDefined();
    expect(readFileSync(join(dir, png!)).length).toBeGreaterThan(10_000);
  });
});

describe('text the PDF font can draw', () => {
  it('keeps French accents and replaces what WinAnsi lacks', async () => {
    await PdfFlow.create(); // loads the font's character set
    expect(toWinAnsi('é è ê à â ç ô û ù ï œ « » – ×')).toBe('é è ê à â ç ô û ù ï œ « » – ×');
    expect(toWinAnsi('Mirels ≥ 9, ≤ 7 → RCP')).toBe('Mirels >= 9, <= 7 -> RCP');
  });

  it('every string of the assess, report and rules texts draws without a "?" replacement', async () => {
    await PdfFlow.create();
    const root = join(__dirname, '..', '..', '..', 'renderer', 'i18n', 'locales');
    const strings: string[] = [];
    const walk = (v: unknown) => {
      if (typeof v === 'string') strings.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    for (const lang of ['fr', 'en']) {
      for (const ns of ['assess', 'report', 'rules']) {
        const p = join(root, lang, `${ns}.json`);
        try {
          walk(JSON.parse(readFileSync(p, 'utf8')));
        } catch {
          if (ns !== 'rules') throw new Error(`missing ${p}`);
        }
      }
    }
    expect(strings.length).toBeGreaterThan(100);
    const bad = strings.filter((s) => toWinAnsi(s).split('?').length !== s.split('?').length);
    expect(bad).toEqual([]);
  });
});
