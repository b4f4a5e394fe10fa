/**
 * Issue 14 "Build": layouts a reader expects, on the demo CT: 2×2, one view alone (double-click
 * with W/L, or M over a view) and back, never while a drawing tool is armed; slice keys act on the
 * view under the mouse; cine plays the slices of that view and stops. Checked with the views' own
 * geometry (canvas size after a maximise, slice positions) and screenshots.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, screenshot, type App } from './harness';
import { type Vid, viewerLoaded } from './viewerProbe';

const box = async (page: Page, testId: string) => (await page.getByTestId(testId).boundingBox())!;
const position = async (page: Page, id: Vid) => Number(await page.getByTestId(`viewport-overlay-${id}`).getAttribute('data-position-mm'));
const centre = async (page: Page, id: Vid): Promise<[number, number]> => {
  const b = await box(page, `viewport-${id}`);
  return [b.x + b.width / 2, b.y + b.height / 2];
};

describe('viewer layouts (demo CT)', () => {
  let app: App;
  beforeAll(async () => {
    app = await openApp({ language: 'en', demo: true });
    await viewerLoaded(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('2×2, a view alone and back, slice keys and cine on the view under the mouse', async () => {
    const page = app.page;
    const grid = await box(page, 'viewer-grid');
    // 2×2: four views of half the grid each; the along-axis oblique is kept off-screen.
    await page.getByTestId('viewer-layout-grid2x2').click();
    await expect.poll(async () => Math.round((await box(page, 'viewport-axial')).width)).toBeGreaterThan(grid.width / 2 - 10);
    expect(await page.getByTestId('viewport-cell-obliqueAlong').getAttribute('class')).toContain('parked');
    expect((await box(page, 'viewport-coronal')).y).toBeGreaterThan(grid.y + grid.height / 2 - 10);
    await screenshot(page, 'viewer-layout-2x2');

    // Double-click with W/L: the axial view alone, its canvas really the grid's size; again: back.
    await page.mouse.dblclick(...(await centre(page, 'axial')));
    await expect.poll(() => page.getByTestId('viewer-grid').getAttribute('data-maximized')).toBe('axial');
    const alone = await box(page, 'viewport-axial');
    expect(Math.abs(alone.width - grid.width)).toBeLessThan(4);
    await expect
      .poll(() => page.getByTestId('viewport-axial').locator('canvas').first().evaluate((c: HTMLCanvasElement) => c.clientWidth))
      .toBeGreaterThan(grid.width - 6);
    await screenshot(page, 'viewer-layout-maximized');
    await page.mouse.dblclick(...(await centre(page, 'axial')));
    await expect.poll(() => page.getByTestId('viewer-grid').getAttribute('data-maximized')).toBe('');

    // With a measurement tool armed a double-click is two clicks of the tool, not a maximise.
    await page.getByTestId('side-tab-measurements').click();
    await page.getByTestId('measure-tool-AxialLength').click();
    await page.mouse.dblclick(...(await centre(page, 'coronal')));
    await page.waitForTimeout(300);
    expect(await page.getByTestId('viewer-grid').getAttribute('data-maximized')).toBe('');
    await page.getByTestId('measure-tool-WindowLevel').click();

    // M over the coronal view: it alone; M again: back.
    await page.mouse.move(...(await centre(page, 'coronal')));
    await page.keyboard.press('m');
    await expect.poll(() => page.getByTestId('viewer-grid').getAttribute('data-maximized')).toBe('coronal');
    await page.keyboard.press('m');
    await expect.poll(() => page.getByTestId('viewer-grid').getAttribute('data-maximized')).toBe('');

    // Slice keys act on the view under the mouse: the sagittal moves, the axial does not.
    const axial0 = await position(page, 'axial');
    const sag0 = await position(page, 'sagittal');
    await page.mouse.move(...(await centre(page, 'sagittal')));
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => position(page, 'sagittal')).not.toBe(sag0);
    expect(await position(page, 'axial')).toBe(axial0);

    // Cine on the axial view: slices advance by themselves, then stop.
    await page.mouse.move(...(await centre(page, 'axial')));
    await page.keyboard.press('p');
    expect(await page.getByTestId('viewer-cine').getAttribute('aria-pressed')).toBe('true');
    await page.waitForTimeout(1200);
    const moved = Math.abs((await position(page, 'axial')) - axial0);
    expect(moved).toBeGreaterThan(3 * 1.25); // ≥ 4 slices in 1.2 s at 10 slices / s (wrapping aside)
    await page.keyboard.press('p');
    expect(await page.getByTestId('viewer-cine').getAttribute('aria-pressed')).toBe('false');
    await page.waitForTimeout(300);
    const stopped = await position(page, 'axial');
    await page.waitForTimeout(600);
    expect(await position(page, 'axial')).toBe(stopped);

    await page.getByTestId('viewer-layout-five').click();
    await expect.poll(async () => Math.round((await box(page, 'viewport-axial')).width)).toBeLessThan(grid.width / 3 + 10);
    expect(app.pageErrors).toEqual([]);
  });
});
