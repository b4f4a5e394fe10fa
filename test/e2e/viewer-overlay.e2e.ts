/**
 * Issue 14 "Build": the viewport overlays a reader expects, checked against independent facts on
 * the demo CT: orientation letters of the axial, sagittal, coronal and the rotated obliques
 * against each view's camera; the scale bar against the distance two patient points 20 mm apart
 * span on the screen (and its drawn width in pixels); slice number after a key press; W / L
 * after a manual drag, which un-highlights the preset until a preset is chosen again.
 * Screenshots: test-results/viewer-overlay-*.png (1600×1000 and 1280×800).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DIR, openApp, screenshot, type App } from './harness';
import { pageXY, type Vid, viewerHooks, viewerLoaded } from './viewerProbe';
import { orientationLetter } from '../../shared/geometry/orientation';
import type { Vec3 } from '../../shared/schemas/common';

const overlay = (page: Page, id: Vid) => page.getByTestId(`viewport-overlay-${id}`);
async function attrs(page: Page, id: Vid) {
  return overlay(page, id).evaluate((e) => Object.fromEntries([...e.attributes].filter((a) => a.name.startsWith('data-')).map((a) => [a.name.slice(5), a.value])));
}

describe('viewport overlays (demo CT)', () => {
  let app: App;
  let truth: { axis: { point: Vec3; direction: Vec3 } };
  beforeAll(async () => {
    truth = JSON.parse(readFileSync(join(DEMO_DIR, 'manifest.json'), 'utf8')).truth;
    app = await openApp({ language: 'en', demo: true });
    await viewerLoaded(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('orientation letters, scale bar, slice and W/L follow the views', async () => {
    const page = app.page;
    // Radiological convention: the patient's right on the screen's left, anterior up.
    expect(await attrs(page, 'axial')).toMatchObject({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
    expect(await attrs(page, 'coronal')).toMatchObject({ left: 'R', right: 'L', top: 'S', bottom: 'I' });
    expect(await attrs(page, 'sagittal')).toMatchObject({ left: 'A', right: 'P', top: 'S', bottom: 'I' });

    // Scale bar: its millimetres × the screen's mm per pixel measured from two points 20 mm apart.
    const c = (await viewerHooks(page, (h) => h.camera('axial')))!;
    const p = c.focalPoint;
    const [x0] = await pageXY(page, 'axial', p);
    const [x1] = await pageXY(page, 'axial', [p[0] + 20, p[1], p[2]]);
    const mmPerPx = 20 / Math.abs(x1 - x0);
    const bar = page.getByTestId('scale-bar-axial');
    const barMm = Number(await bar.getAttribute('data-mm'));
    const drawnPx = await bar.locator('.bar').evaluate((e) => e.getBoundingClientRect().width);
    expect(barMm).toBeGreaterThan(0);
    expect(Math.abs(drawnPx * mmPerPx - barMm)).toBeLessThan(0.02 * barMm + mmPerPx);
    expect(await bar.innerText()).toBe(`${barMm} mm`);
    // Slice number from the series' own positions, and one key press moves one image.
    await page.mouse.move(...(await pageXY(page, 'axial', p)));
    await page.keyboard.press('ArrowDown');
    await expect.poll(async () => (await attrs(page, 'axial')).slice).toMatch(/^\d+\/120$/);
    const before = await attrs(page, 'axial');
    const index = (a: Record<string, string>) => Number(a.slice.split('/')[0]);
    await page.keyboard.press('ArrowDown');
    await expect.poll(async () => Math.abs(index(await attrs(page, 'axial')) - index(before))).toBe(1);
    // One image further is one slice spacing (1.25 mm) further along the view normal.
    expect(Math.abs(Number((await attrs(page, 'axial'))['position-mm']) - Number(before['position-mm']))).toBeCloseTo(1.25, 1);

    // W/L: the bone preset (W 2000 / L 500); a left drag changes it and un-highlights the preset.
    expect(await attrs(page, 'axial')).toMatchObject({ ww: '2000', wl: '500' });
    expect(await page.getByTestId('viewer-preset-bone').getAttribute('aria-pressed')).toBe('true');
    const [ax, ay] = await pageXY(page, 'axial', p);
    await page.mouse.move(ax, ay);
    await page.mouse.down();
    await page.mouse.move(ax + 60, ay + 40, { steps: 6 });
    await page.mouse.up();
    await expect.poll(async () => (await attrs(page, 'axial')).ww).not.toBe('2000');
    expect(await page.getByTestId('viewer-preset-bone').getAttribute('aria-pressed')).toBe('false');
    expect(await overlay(page, 'axial').innerText()).toContain(`W ${Number((await attrs(page, 'axial')).ww).toFixed(0)}`);
    await page.keyboard.press('1');
    await expect.poll(async () => (await attrs(page, 'axial')).ww).toBe('2000');
    expect(await page.getByTestId('viewer-preset-bone').getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, 'viewer-overlay-1600');

    // Right-drag zoom is calm: 100 px down enlarges by about a fifth (Cornerstone's own: to its limit).
    const mmBefore = Number((await attrs(page, 'axial'))['mm-per-px']);
    await page.mouse.move(ax, ay);
    await page.mouse.down({ button: 'right' });
    await page.mouse.move(ax, ay + 100, { steps: 10 });
    await page.mouse.up({ button: 'right' });
    await expect.poll(async () => Number((await attrs(page, 'axial'))['mm-per-px'])).not.toBe(mmBefore);
    const ratio = mmBefore / Number((await attrs(page, 'axial'))['mm-per-px']);
    expect(ratio).toBeGreaterThan(1.05);
    expect(ratio).toBeLessThan(1.5);
    await page.keyboard.press('r');
    expect(app.pageErrors).toEqual([]);
  });

  it('a key image carries the corners: orientation letter at its top, the scale bar at its bottom right', async () => {
    const page = app.page;
    const counts = await page.evaluate(async () => {
      const url = await (window as unknown as { frwViewer: { capture(id: string): Promise<string> } }).frwViewer.capture('axial');
      const img = new Image();
      img.src = url;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const count = (x0: number, y0: number, w: number, h: number, test: (r: number, g: number, b: number) => boolean) => {
        const d = ctx.getImageData(x0, y0, w, h).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (test(d[i], d[i + 1], d[i + 2])) n++;
        return n;
      };
      const W = c.width;
      const H = c.height;
      const yellow = (r: number, g: number, b: number) => r > 180 && g > 130 && b < 120 && r - b > 90;
      const light = (r: number, g: number, b: number) => r > 170 && g > 170 && b > 170;
      return {
        topLetter: count(Math.round(W * 0.4), 0, Math.round(W * 0.2), Math.round(H * 0.06), yellow),
        leftLetter: count(0, Math.round(H * 0.45), Math.round(W * 0.05), Math.round(H * 0.1), yellow),
        // The axial view's bottom-right corner is black around the body disc: light pixels there are the bar and its label.
        scaleBar: count(Math.round(W * 0.75), Math.round(H * 0.9), Math.round(W * 0.25), Math.round(H * 0.1), light),
      };
    });
    expect(counts.topLetter).toBeGreaterThan(10);
    expect(counts.leftLetter).toBeGreaterThan(10);
    expect(counts.scaleBar).toBeGreaterThan(20);
  });

  it('reference lines: the plane of the last view clicked is drawn on the others, where it cuts them', async () => {
    const page = app.page;
    // The axial plane (source by default) on the coronal view: a horizontal line at its height.
    const linesOn = (id: Vid) =>
      page.getByTestId(`viewport-${id}`).locator('svg line').evaluateAll((ls) => ls.map((l) => ['x1', 'y1', 'x2', 'y2'].map((k) => Number(l.getAttribute(k)))));
    const axialCam = (await viewerHooks(page, (h) => h.camera('axial')))!;
    const yAt = (await viewerHooks(page, (h, p) => h.worldToCanvas('coronal', p), axialCam.focalPoint))![1];
    await expect.poll(async () => (await linesOn('coronal')).some(([, y1, , y2]) => Math.abs(y1 - yAt) < 2 && Math.abs(y2 - yAt) < 2), { timeout: 10_000 }).toBe(true);
    // Click the coronal view: now its plane shows on the axial view, as a horizontal line at its y.
    const cor = (await viewerHooks(page, (h) => h.camera('coronal')))!;
    const [cx, cy] = await pageXY(page, 'coronal', cor.focalPoint);
    await page.mouse.click(cx, cy);
    const yOnAxial = (await viewerHooks(page, (h, p) => h.worldToCanvas('axial', p), cor.focalPoint))![1];
    await expect.poll(async () => (await linesOn('axial')).some(([, y1, , y2]) => Math.abs(y1 - yOnAxial) < 2 && Math.abs(y2 - yOnAxial) < 2), { timeout: 10_000 }).toBe(true);
    expect(app.pageErrors).toEqual([]);
  });

  it('the obliques along a tilted bone axis carry the letters of their own rotated planes', async () => {
    const page = app.page;
    const at = (t: number): Vec3 => [0, 1, 2].map((i) => truth.axis.point[i] + t * truth.axis.direction[i]) as Vec3;
    expect(await viewerHooks(page, (h, a) => h.defineBoneAxis(a[0], a[1]), [at(-40), at(40)])).toBe(true);
    for (const id of ['oblique', 'obliqueAlong'] as const) {
      await expect.poll(() => overlay(page, id).count(), { timeout: 10_000 }).toBe(1);
      const cam = (await viewerHooks(page, (h, v) => h.camera(v), id))!;
      expect((await attrs(page, id)).top, id).toBe(orientationLetter(cam.viewUp));
      expect((await attrs(page, id)).bottom, id).toBe(orientationLetter([-cam.viewUp[0], -cam.viewUp[1], -cam.viewUp[2]]));
    }
    // Along the bone, the top of the view is towards the head.
    expect((await attrs(page, 'obliqueAlong')).top).toMatch(/^S/);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForTimeout(800);
    await screenshot(page, 'viewer-overlay-1280');
    expect(app.pageErrors).toEqual([]);
  });
});
