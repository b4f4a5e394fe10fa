/**
 * Issue 14 defect 4: a series the scan marked not measurable gets no measurement. Before, a
 * single TCIA slice took a 27.7 mm length and made "Lesion #1". Here the length tool is armed
 * on the measurable demo CT, then the single slice is opened: the tools are off, the reasons are
 * said where the tools are, and the same drag makes no value, no drawing and no lesion.
 * Screenshot: test-results/not-measurable.png.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentSeries, DATA_DIR, openApp, openFiles, screenshot, type App } from './harness';
import { dragFromTo, viewerHooks, viewerLoaded } from './viewerProbe';
import type { Vec3 } from '../../shared/schemas/common';

describe('a series that is not measurable', () => {
  let app: App;
  beforeAll(async () => {
    app = await openApp({ language: 'en', demo: true });
    await viewerLoaded(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('one CT slice: tools off with the scan reason; an armed tool makes nothing', async () => {
    const page = app.page;
    await page.getByTestId('side-tab-measurements').click();
    await page.getByTestId('measure-tool-AxialLength').click();
    expect(await page.getByTestId('measure-blocked').count()).toBe(0);

    const tcia = join(DATA_DIR, 'tcia-pancreas-planning-ct', 'CT');
    await openFiles(page, [join(tcia, readdirSync(tcia).sort()[0])]);
    await expect.poll(async () => (await currentSeries(page))?.instanceCount).toBe(1);
    const blocked = page.getByTestId('measure-blocked');
    await expect.poll(() => blocked.count(), { timeout: 10_000 }).toBe(1);
    expect(await blocked.getAttribute('data-codes')).toBe('TOO_FEW_SLICES');
    expect(await blocked.innerText()).toContain('a volume needs at least 3');
    for (const tool of ['AxialLength', 'CircumferentialArc', 'CorticalRing']) expect(await page.getByTestId(`measure-tool-${tool}`).isDisabled()).toBe(true);
    expect(await page.getByTestId('measure-tool-WindowLevel').getAttribute('class')).toContain('active');

    // The drag that made a 27.7 mm length before.
    await expect.poll(() => viewerHooks(page, (h) => h.camera('axial') !== null), { timeout: 15_000 }).toBe(true);
    const cam = (await viewerHooks(page, (h) => h.camera('axial')))!;
    const at = (s: number): Vec3 => [0, 1, 2].map((i) => cam.focalPoint[i] + s * cam.viewUp[i]) as Vec3;
    await dragFromTo(page, 'axial', at(-14), at(14));
    await page.waitForTimeout(500);
    const session = (await page.evaluate('window.frwMeasure.session()')) as { measurements: unknown[]; lesions: unknown[] } | null;
    expect(session?.measurements ?? []).toEqual([]);
    expect(session?.lesions ?? []).toEqual([]);
    expect(await page.evaluate('window.frwMeasure.annotations().length')).toBe(0);
    expect(await page.getByTestId('measurement-row').count()).toBe(0);
    await screenshot(page, 'not-measurable');

    // The assisted analysis is off too.
    await page.getByTestId('side-tab-analysis').click();
    const start = page.getByTestId('analysis-start');
    expect((await start.count()) === 0 || (await start.isDisabled())).toBe(true);
    expect(app.pageErrors).toEqual([]);
  });
});
