/**
 * Side panels as a clinician reads them at 1600 × 1000, in French (issue 7 QA): the definitions
 * panel names every threshold's quantity and unit in French (no engine keys such as
 * "axialPercent", no "HU" / "months"), nothing in the definitions, recommendation or report
 * panels is wider than the side panel (no text cut off at its right edge), and the report preview
 * shows the patient name as people read it; the study browser heads scanner warnings and skipped
 * files in French. Screenshots: test-results/panels-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CASES, enterCase } from './assessCases';
import { DATA_DIR, openApp, openFiles, screenshot, type App } from './harness';
import { viewerLoaded } from './viewerProbe';

/** Elements inside `root` whose right edge passes the side panel's (cut off or scrolled away). */
async function overflowing(page: Page, testId: string): Promise<string[]> {
  return page.getByTestId(testId).evaluate((root) => {
    const panel = root.closest('[data-testid="side-panel"]') ?? root;
    const right = panel.getBoundingClientRect().right + 1;
    return [...root.querySelectorAll('td, th, p, li, dd, dt, div')]
      .filter((e) => e.getBoundingClientRect().right > right && (e as HTMLElement).innerText.trim() !== '')
      .map((e) => `${e.tagName}: ${(e as HTMLElement).innerText.slice(0, 60)}`);
  });
}

describe('side panels fit and speak French', () => {
  let app: App;
  beforeAll(async () => {
    app = await openApp({ language: 'fr', demo: true });
    await viewerLoaded(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('definitions: French quantities and units, nothing cut off', async () => {
    const page = app.page;
    await page.getByTestId('side-tab-definitions').click();
    const rows = await page.getByTestId('definitions-threshold').evaluateAll((els) => els.map((e) => (e.querySelector('td') as HTMLElement).innerText));
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) {
      expect(r).not.toMatch(/axialPercent|circumferentialPercent|axialLengthMm|\bHU\b|months|life expectancy|Mirels score/);
    }
    expect(rows.some((r) => /400 UH/.test(r))).toBe(true);
    expect(rows.some((r) => /Espérance de vie\s*> 3 mois/.test(r))).toBe(true);
    expect(await overflowing(page, 'definitions-panel')).toEqual([]);
    await screenshot(page, 'panels-definitions-fr');
  });

  it('recommendation and report preview: nothing cut off, patient name as FAMILY, GIVEN', async () => {
    const page = app.page;
    // §8 case 3: peritrochanteric lytic lesion, 45 % axial, 60 % circumferential, 35 mm.
    await enterCase(page, CASES[2]);
    await page.getByTestId('side-tab-recommendation').click();
    await expect.poll(() => page.getByTestId('reco-panel').getByTestId('reco-level').getAttribute('data-level')).toBe('first-line-consolidation');
    expect(await overflowing(page, 'reco-panel')).toEqual([]);
    // Criteria name their source by its label, not an internal id.
    const source = await page.locator('[data-testid="reco-criterion"][data-id="axial-length"] td.source').innerText();
    expect(source).toContain('van der Linden');
    await screenshot(page, 'panels-recommendation-fr');
    await page.getByTestId('side-tab-report').click();
    const preview = page.getByTestId('report-preview');
    await preview.waitFor();
    expect(await preview.innerText()).toContain('DEMO, SYNTHETIC');
    expect(await preview.innerText()).not.toContain('DEMO^SYNTHETIC');
    expect(await overflowing(page, 'report-panel')).toEqual([]);
    await screenshot(page, 'panels-report-fr');
    expect(app.pageErrors).toEqual([]);
  });

  it('study browser: a scanner warning and a skipped file are explained in French', async () => {
    const page = app.page;
    const tcia = join(DATA_DIR, 'tcia-pancreas-planning-ct');
    const ct = join(tcia, 'CT', readdirSync(join(tcia, 'CT')).sort()[0]);
    await openFiles(page, [ct, join(tcia, 'LICENSE.txt')]);
    const warning = page.locator('[data-testid="series-warning"][data-code="TOO_FEW_SLICES"]');
    await expect.poll(() => warning.count()).toBe(1);
    expect(await warning.innerText()).toContain('Trop peu de coupes pour un volume');
    expect(await page.getByTestId('skipped-file').innerText()).toContain('non DICOM');
    await screenshot(page, 'panels-study-fr');
    expect(app.pageErrors).toEqual([]);
  });

  it('switching the language does not resize the viewer (a resize re-frames the views)', async () => {
    const page = app.page;
    const box = () => page.getByTestId('viewer-area').boundingBox();
    const fr = await box();
    await page.getByTestId('lang-en').click();
    await page.waitForTimeout(200);
    expect(await box()).toEqual(fr);
    await screenshot(page, 'panels-header-en');
    await page.getByTestId('lang-fr').click();
  });
});
