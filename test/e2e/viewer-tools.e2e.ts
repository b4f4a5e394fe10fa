/**
 * Issue 14 "Build": the general tools next to ours on the demo CT, against the generator's truth:
 * an elliptical ROI in the soft tissue reads the phantom's 40 HU (noise σ 20 HU) with an area of
 * π·a·b for the box drawn; the ruler reads the distance between the two points; a probe shows the
 * HU of the voxel at its point. None of them becomes a lesion measurement.
 * Screenshot: test-results/viewer-tools.png.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DIR, openApp, screenshot, type App } from './harness';
import { dragFromTo, viewerHooks, viewerLoaded } from './viewerProbe';
import type { Vec3 } from '../../shared/schemas/common';

/** The numbers Cornerstone wrote in the axial view's annotation labels. */
async function labelNumbers(page: Page, word: string): Promise<number[]> {
  const texts = await page.getByTestId('viewport-axial').locator('svg text').allTextContents();
  return texts.filter((x) => x.includes(word)).map((x) => Number(/(-?\d+(?:\.\d+)?)/.exec(x.slice(x.indexOf(word)))?.[1]));
}

describe('general tools (demo CT)', () => {
  let app: App;
  let spec: { noiseSigmaHu: number; pixelMm: number };
  beforeAll(async () => {
    spec = JSON.parse(readFileSync(join(DEMO_DIR, 'manifest.json'), 'utf8')).spec;
    app = await openApp({ language: 'en', demo: true });
    await viewerLoaded(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('ROI mean / SD / area and ruler read the truth, and no lesion measurement is made', async () => {
    const page = app.page;
    const c = (await viewerHooks(page, (h) => h.camera('axial')))!;
    const z = c.focalPoint[2];
    const at = (x: number, y: number): Vec3 => [x, y, z];
    await page.getByTestId('side-tab-measurements').click();

    // ROI: semi-axes 10 × 8 mm in the soft tissue, well away from the femur (axis at x 8, y 4;
    // radius 14); Cornerstone draws it from its centre to a corner of its box.
    await page.getByTestId('measure-tool-EllipticalROI').click();
    await dragFromTo(page, 'axial', at(-40, 0), at(-30, 8), 400);
    await expect.poll(async () => (await labelNumbers(page, 'Mean')).length, { timeout: 10_000 }).toBe(1);
    const [mean] = await labelNumbers(page, 'Mean');
    const [sd] = await labelNumbers(page, 'Std Dev');
    const [area] = await labelNumbers(page, 'Area');
    expect(Math.abs(mean - 40)).toBeLessThan(3); // ~500 voxels: standard error ≈ 1 HU
    expect(Math.abs(sd - spec.noiseSigmaHu)).toBeLessThan(3);
    expect(Math.abs(area - Math.PI * 10 * 8) / (Math.PI * 10 * 8)).toBeLessThan(0.1);

    // Ruler: 30 mm along x.
    await page.getByTestId('measure-tool-Length').click();
    await dragFromTo(page, 'axial', at(-60, 30), at(-30, 30), 400);
    const lengths = async () =>
      (await page.getByTestId('viewport-axial').locator('svg text').allTextContents()).map((x) => /^(\d+(?:\.\d+)?) mm$/.exec(x.trim())?.[1]).filter(Boolean).map(Number);
    await expect.poll(async () => (await lengths()).some((v) => Math.abs(v - 30) < 1), { timeout: 10_000 }).toBe(true);
    await screenshot(page, 'viewer-tools');

    // Not lesion measurements: the session has none.
    expect(await page.evaluate('window.frwMeasure.session().measurements.length')).toBe(0);
    await page.getByTestId('measure-tool-WindowLevel').click();
    expect(app.pageErrors).toEqual([]);
  });

  it('probe: pinned where clicked (within a screen pixel), it shows the HU of the voxel at its point, as the read-out checked against the file does', async () => {
    const page = app.page;
    const c = (await viewerHooks(page, (h) => h.camera('axial')))!;
    const z = c.focalPoint[2];
    await page.getByTestId('measure-tool-Probe').click();
    const box = (await page.getByTestId('viewport-axial').boundingBox())!;
    const probes = async () =>
      ((await page.evaluate('window.frwMeasure.generalAnnotations()')) as Array<{ toolName: string; points: Vec3[]; stats: Record<string, { value: number; index: number[] }> }>).filter(
        (a) => a.toolName === 'Probe',
      );
    const pinned: Array<{ probe: number; readout: number; probeIndex: string; readoutIndex: string; offPx: number }> = [];
    for (let n = 0; n < 8; n++) {
      // Radii 8.3 … 16.0 mm round the femur's axis (x 8, y 4), 45° apart: marrow, cortex and soft
      // tissue, each click far from the last probe (a click on a probe would move it).
      const r = 8.3 + 1.1 * n;
      const a = (n * 45 * Math.PI) / 180;
      const xy = (await viewerHooks(page, (h, p) => h.worldToCanvas('axial', p), [8 + r * Math.cos(a), 4 + r * Math.sin(a), z]))!;
      const before = (await probes()).length;
      await page.mouse.click(box.x + xy[0], box.y + xy[1]);
      await expect.poll(async () => (await probes()).length, { timeout: 10_000 }).toBe(before + 1);
      const probe = (await probes())[before];
      const stats = Object.values(probe.stats)[0];
      const at = (await viewerHooks(page, (h, p) => h.worldToCanvas('axial', p), probe.points[0]))!;
      // The read-out at the probe's own point (hovered exactly there).
      await page.mouse.move(box.x + at[0], box.y + at[1]);
      await expect.poll(() => page.getByTestId('viewer-hu').getAttribute('data-canvas')).toBe(at.map((v) => v.toFixed(0)).join(','));
      pinned.push({
        probe: stats.value,
        readout: Number(await page.getByTestId('viewer-hu').getAttribute('data-hu')),
        probeIndex: stats.index.join(','),
        readoutIndex: (await page.getByTestId('viewer-hu').getAttribute('data-index'))!,
        offPx: Math.hypot(at[0] - xy[0], at[1] - xy[1]),
      });
    }
    const detail = JSON.stringify(pinned);
    // The points cross the wall: marrow, cortex and soft tissue values among them.
    expect(Math.max(...pinned.map((p) => p.probe)), detail).toBeGreaterThan(1000);
    expect(Math.min(...pinned.map((p) => p.probe)), detail).toBeLessThan(200);
    for (const p of pinned) {
      expect(p.offPx, detail).toBeLessThan(1.5);
      expect(p.probeIndex, detail).toBe(p.readoutIndex);
      expect(p.probe, detail).toBe(p.readout);
    }
    await screenshot(page, 'viewer-probe');
    expect(await page.evaluate('window.frwMeasure.session().measurements.length')).toBe(0);
    await page.getByTestId('measure-tool-WindowLevel').click();
    expect(app.pageErrors).toEqual([]);
  });
});
