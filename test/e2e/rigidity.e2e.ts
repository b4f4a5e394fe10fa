/**
 * Structural rigidity in Chromium on the demo CT (issue 18): the same click as the assisted
 * analysis gives the loss of EA, EImin and GJ at the weakest section, checked against the closed
 * form of the demo's full-depth 200° sector; the profiles are drawn; the weakest section is
 * marked on the along-the-bone view and "Show it" brings the cross-section there; accepted, the
 * rigidity reaches the PDF marked informational, with its calibration. Screenshots:
 * test-results/rigidity-*.png; the PDF page with it: test-results/rigidity-report-*.png.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vec3 } from '../../shared/schemas/common';
import { DEMO_DIR, RESULTS_DIR, ensureDemo, openApp, openDemo, screenshot, exportReport, type App } from './harness';
import { clickAnalysisSeed, pageXY, viewerHooks, viewerLoaded } from './viewerProbe';

/** Closed-form losses of a ring (R, r) with a full-depth sector of `gapDeg` removed (see test/unit/analysis/rigidity.test.ts). */
function closedFormLoss(R: number, r: number, gapDeg: number): { EA: number; EImin: number; GJ: number } {
  const moments = (gap: number) => {
    const alpha = 2 * Math.PI - (gap * Math.PI) / 180;
    const area = (alpha / 2) * (R * R - r * r);
    const d = gap === 0 ? 0 : ((2 / 3) * Math.sin(alpha / 2) * (R ** 3 - r ** 3)) / area;
    const q = (R ** 4 - r ** 4) / 4;
    const ix = q * (alpha / 2 + Math.sin(alpha) / 2) - area * d * d;
    const iy = q * (alpha / 2 - Math.sin(alpha) / 2);
    return { area, iMin: Math.min(ix, iy), polar: ix + iy };
  };
  const a = moments(0);
  const b = moments(gapDeg);
  return { EA: 100 * (1 - b.area / a.area), EImin: 100 * (1 - b.iMin / a.iMin), GJ: 100 * (1 - b.polar / a.polar) };
}

describe('structural rigidity in the analysis tab (demo CT)', () => {
  let app: App;
  let manifest: { truth: { canalSeed: Vec3; outerRadiusMm: number; corticalThicknessMm: number }; spec: { lesion: { extentDeg: number } } };
  beforeAll(async () => {
    ensureDemo();
    manifest = JSON.parse(readFileSync(join(DEMO_DIR, 'manifest.json'), 'utf8'));
    app = await openApp({ language: 'en', viewport: { width: 1280, height: 800 } });
    await openDemo(app.page);
    await viewerLoaded(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows the losses at the weakest section within 3 points of the closed form, the profiles and the criterion', async () => {
    const page = app.page;
    await page.getByTestId('side-tab-analysis').click();
    await clickAnalysisSeed(page, manifest.truth.canalSeed);
    await page.getByTestId('rigidity-panel').waitFor({ timeout: 60_000 });
    const { outerRadiusMm: R, corticalThicknessMm: T } = manifest.truth;
    const want = closedFormLoss(R, R - T, manifest.spec.lesion.extentDeg);
    for (const q of ['EA', 'EImin', 'GJ'] as const) {
      const got = Number(await page.locator(`[data-testid="rigidity-loss"][data-quantity="${q}"]`).getAttribute('data-value'));
      expect(Math.abs(got - want[q]), `${q}: ${got} vs ${want[q].toFixed(1)}`).toBeLessThan(3);
    }
    expect(await page.getByTestId('rigidity-criterion').getAttribute('data-exceeds')).toBe('true');
    expect(await page.getByTestId('rigidity-profile').locator('polyline').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('[data-testid="rigidity-warning"][data-code="rigidity-uncalibrated"]').count()).toBe(1);
    expect(await page.getByTestId('rigidity-calibration').innerText()).toMatch(/10500 · ρ\^2\.29 MPa.*phantomless/);
    // The weakest section lies inside the involved length.
    const weakest = Number(await page.getByTestId('rigidity-weakest').getAttribute('data-position'));
    const analysis = (await page.evaluate(() => (window as unknown as { frwAnalysis: { last(): { involvedRangeMm: { startMm: number; endMm: number }; axis: { point: Vec3; direction: Vec3 } } } }).frwAnalysis.last()))!;
    expect(weakest).toBeGreaterThanOrEqual(analysis.involvedRangeMm.startMm - 1);
    expect(weakest).toBeLessThanOrEqual(analysis.involvedRangeMm.endMm + 1);
    await page.getByTestId('rigidity-panel').scrollIntoViewIfNeeded();
    await screenshot(page, 'rigidity-panel-1280x800');
    expect(app.pageErrors).toEqual([]);
  });

  it('marks the weakest section across the bone on the along-axis view; "Show it" brings the cross-section there', async () => {
    const page = app.page;
    const overlay = page.getByTestId('analysis-weakest-overlay');
    // Attached, not 'visible': a horizontal line has a zero-height box.
    await overlay.waitFor({ state: 'attached', timeout: 10_000 });
    const weakest = Number(await page.getByTestId('rigidity-weakest').getAttribute('data-position'));
    const a = (await page.evaluate(() => (window as unknown as { frwAnalysis: { last(): { axis: { point: Vec3; direction: Vec3 } } } }).frwAnalysis.last()))!;
    const at: Vec3 = [0, 1, 2].map((k) => a.axis.point[k] + weakest * a.axis.direction[k]) as Vec3;
    // The drawn line's middle is the axis point at the weakest position (canvas pixels of that view).
    const pts = ((await overlay.getAttribute('points')) ?? '').trim().split(/\s+/).map((p) => p.split(',').map(Number));
    const mid = [(pts[0][0] + pts[1][0]) / 2, (pts[0][1] + pts[1][1]) / 2];
    const expected = (await viewerHooks(page, (h, p) => h.worldToCanvas('obliqueAlong', p), at))!;
    expect(Math.hypot(mid[0] - expected[0], mid[1] - expected[1])).toBeLessThan(2);
    await page.getByTestId('rigidity-show-weakest').click();
    await expect
      .poll(async () => {
        const cam = (await viewerHooks(page, (h) => h.camera('oblique')))!;
        const n = cam.viewPlaneNormal;
        return Math.abs((cam.focalPoint[0] - at[0]) * n[0] + (cam.focalPoint[1] - at[1]) * n[1] + (cam.focalPoint[2] - at[2]) * n[2]);
      })
      .toBeLessThan(1);
    await screenshot(page, 'rigidity-weakest-1280x800');
  });

  it("a click in the other side's bone adds a contralateral reference (here the same bone's intact part, 45 mm away)", async () => {
    const page = app.page;
    const a = (await page.evaluate(() => (window as unknown as { frwAnalysis: { last(): { axis: { point: Vec3; direction: Vec3 } } } }).frwAnalysis.last()))!;
    const other: Vec3 = [0, 1, 2].map((k) => a.axis.point[k] - 45 * a.axis.direction[k]) as Vec3;
    const loss = async (kind: 'rigidity-loss' | 'rigidity-contralateral-loss', q: string) => Number(await page.locator(`[data-testid="${kind}"][data-quantity="${q}"]`).getAttribute('data-value'));
    const before = await loss('rigidity-loss', 'EImin');
    await viewerHooks(page, (h, p) => h.jumpToWorld('axial', p), other);
    await page.waitForTimeout(300);
    await page.getByTestId('rigidity-contralateral-pick').click();
    await page.getByTestId('analysis-picking').waitFor();
    const [x, y] = await pageXY(page, 'axial', other);
    await page.mouse.click(x, y);
    await page.locator('[data-testid="rigidity-contralateral-loss"]').first().waitFor({ state: 'attached', timeout: 60_000 });
    // The intact part of the same bone: the same loss as against the same-bone reference.
    for (const q of ['EA', 'EImin', 'GJ']) expect(Math.abs((await loss('rigidity-contralateral-loss', q)) - (await loss('rigidity-loss', q))), q).toBeLessThan(3);
    expect(await loss('rigidity-loss', 'EImin')).toBeCloseTo(before, 6);
    await screenshot(page, 'rigidity-contralateral-1280x800');
  });

  it('accepted, the rigidity reaches the PDF, marked informational, with its calibration', async () => {
    const page = app.page;
    await page.getByTestId('analysis-accept').click();
    await page.getByTestId('analysis-accepted').waitFor();
    await page.getByTestId('side-tab-report').click();
    await page.getByTestId('report-reader').fill('Dr Test');
    mkdirSync(RESULTS_DIR, { recursive: true });
    const { download: dl, asked } = await exportReport(page, 'report-export-pdf');
    expect(asked).toHaveLength(1); // no key image: the app asked first
    const path = join(RESULTS_DIR, 'rigidity-report.pdf');
    await dl.saveAs(path);
    const raw = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
    const text = raw.replace(/\s+/g, ' ');
    expect(text).toMatch(/Structural rigidity \(CT-based\) \(informational\)/);
    expect(text).toMatch(/EA \(axial\)/);
    expect(text).toMatch(/phantomless/);
    // Greek letters outside the PDF font's WinAnsi are spelt out, never '?'.
    expect(text).toMatch(/E = 10500 · rho\^2\.29 MPa/);
    expect(text).toMatch(/Snyder BD et al\./);
    expect(text).toMatch(/fracture criterion of CT-based rigidity analysis/);
    // The page with the rigidity block, rendered to be looked at.
    const pages = raw.split('\f');
    const pageNo = Math.max(1, pages.findIndex((p) => p.includes('Structural rigidity')) + 1);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', String(pageNo), '-l', String(pageNo + 1), path, join(RESULTS_DIR, 'rigidity-report')]);
    expect(app.pageErrors).toEqual([]);
  });
});
