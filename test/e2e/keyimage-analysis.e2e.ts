/**
 * Key images show the assisted analysis (QA: they never did — the capture copied only
 * Cornerstone's SVG layer, and the sector overlay vanished when leaving the Analysis tab).
 * Demo CT: run the analysis from the manifest's canal seed, accept it, go to the Report tab: the
 * sectors are still drawn on the cross-section, and the key image captured there with the
 * report's own button holds the red sectors; after Discard a capture has none.
 * Screenshots: test-results/keyimage-analysis-*.png.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DIR, RESULTS_DIR, ensureDemo, openApp, openDemo, screenshot, type App } from './harness';
import { redPixels, viewerLoaded } from './viewerProbe';
import type { Vec3 } from '../../shared/schemas/common';

// Sector fill rgba(255, 40, 40, 0.45) over any gray g gives r − g ≈ 97; stroke #ff3030 more: redPixels' default 60 separates them.
const capture = (page: Page, id: string) => page.evaluate((v) => (window as unknown as { frwViewer: { capture(id: string): Promise<string> } }).frwViewer.capture(v), id);

describe('key image of the cross-section with the assisted analysis (demo CT)', () => {
  let app: App;
  let seed: Vec3;
  beforeAll(async () => {
    ensureDemo();
    seed = JSON.parse(readFileSync(join(DEMO_DIR, 'manifest.json'), 'utf8')).truth.canalSeed;
    app = await openApp({ language: 'en' });
    await openDemo(app.page);
    await viewerLoaded(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('sectors stay drawn on the Report tab and are in the captured key image; none after Discard', async () => {
    const page = app.page;
    // Without an analysis: no red in a capture of the cross-section (the check can tell).
    await page.getByTestId('side-tab-analysis').click();
    await page.evaluate((s) => (window as unknown as { frwAnalysis: { run(s: number[]): Promise<void> } }).frwAnalysis.run(s), seed);
    await page.getByTestId('analysis-result').waitFor({ timeout: 60_000 });
    await page.getByTestId('analysis-overlay').waitFor({ timeout: 10_000 });
    expect(Number(await page.getByTestId('analysis-overlay').getAttribute('data-sectors'))).toBeGreaterThanOrEqual(1);
    await page.getByTestId('analysis-accept').click();
    await page.getByTestId('analysis-accepted').waitFor();

    // The Report tab: the overlay is still on the cross-section (it used to unmount with the tab).
    await page.getByTestId('side-tab-report').click();
    await expect.poll(() => page.getByTestId('analysis-overlay').count(), { timeout: 5_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('analysis-length-overlay').count(), { timeout: 5_000 }).toBe(1);
    await screenshot(page, 'keyimage-analysis-report-tab');

    // The report's own capture button → the stored key image holds the sectors.
    await page.getByTestId('report-capture-viewport').selectOption('oblique');
    await page.getByTestId('report-capture').click();
    await expect.poll(() => page.getByTestId('report-key-image').count(), { timeout: 10_000 }).toBe(1);
    const keyImage = (await page.getByTestId('report-key-image').locator('img').getAttribute('src'))!;
    expect(keyImage.startsWith('data:image/png;base64,')).toBe(true);
    writeFileSync(join(RESULTS_DIR, 'keyimage-analysis-oblique.png'), Buffer.from(keyImage.split(',')[1], 'base64'));
    const withSectors = await redPixels(page, keyImage);
    expect(withSectors.w).toBeGreaterThan(100);
    // The involved arc of the demo lesion (~1/3 of a ~30 mm femur's cortex on a 90 mm field) is
    // hundreds of pixels; a few stray pixels would not do.
    expect(withSectors.red).toBeGreaterThan(300);

    // The along-axis view's key image holds the involved length (red line and ticks).
    const along = await redPixels(page, await capture(page, 'obliqueAlong'));
    expect(along.red).toBeGreaterThan(50);

    // Discard: the overlay goes, and a capture of the same view has no red at all.
    await page.getByTestId('side-tab-analysis').click();
    await page.getByTestId('analysis-discard').click();
    await page.getByTestId('side-tab-report').click();
    await expect.poll(() => page.getByTestId('analysis-overlay').count(), { timeout: 5_000 }).toBe(0);
    const without = await redPixels(page, await capture(page, 'oblique'));
    expect(without.red).toBe(0);
    expect(app.pageErrors).toEqual([]);
  });
});
