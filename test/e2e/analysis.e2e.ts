/**
 * "Analyse lesion" in Chromium on the demo CT (synthetic femur tilted 10°, full-thickness lytic
 * lesion of known geometry; truth in resources/demo-ct/manifest.json): the user clicks the canal
 * on the axial view at the lesion's level; the analysis runs in a Web Worker with progress; the
 * numbers are within clinical-rules §1 of the truth; the oblique shows the true cross-section with
 * the involved sectors; Accept adds three assisted measurements with provenance; a different
 * threshold is recorded; Discard clears. Screenshots: test-results/analysis-*.png.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DIR, ensureDemo, openApp, openDemo, screenshot, type App } from './harness';
import type { Vec3 } from '../../shared/schemas/common';
import { clickAnalysisSeed, viewerHooks, viewerLoaded } from './viewerProbe';

describe('assisted analysis in the viewer (demo CT)', () => {
  let app: App;
  let truth: { axialLengthMm: number; circumferentialPercent: number; axialPercent: number; canalSeed: Vec3; sliceSpacingMm: number; axis: { direction: Vec3 } };
  beforeAll(async () => {
    ensureDemo();
    truth = JSON.parse(readFileSync(join(DEMO_DIR, 'manifest.json'), 'utf8')).truth;
    app = await openApp({ language: 'en' });
    await openDemo(app.page);
    await viewerLoaded(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('click in the canal → numbers within §1, sectors on the cross-section, accept with provenance', async () => {
    const page = app.page;
    expect(await viewerHooks(page, (h) => h.cpuRendering())).toBe(false);
    await page.getByTestId('side-tab-analysis').click();
    // Click the canal at the lesion's level on the axial view.
    await clickAnalysisSeed(page, truth.canalSeed);
    await page.getByTestId('analysis-result').waitFor({ timeout: 60_000 });

    const value = async (id: string) => Number(await page.getByTestId(id).getAttribute('data-value'));
    const length = await value('analysis-length');
    const circ = await value('analysis-circ');
    const axial = await value('analysis-axial');
    expect(Math.abs(length - truth.axialLengthMm)).toBeLessThanOrEqual(Math.max(1, truth.sliceSpacingMm));
    expect(Math.abs(circ - truth.circumferentialPercent)).toBeLessThanOrEqual(5);
    expect(Math.abs(axial - truth.axialPercent)).toBeLessThanOrEqual(5);
    expect(await page.getByTestId('analysis-warning').count()).toBe(0);
    // The seed is where the user clicked (within a pixel).
    const seedText = (await page.getByTestId('analysis-seed').first().textContent()) ?? '';
    const seed = (seedText.match(/-?\d+\.\d/g) ?? []).map(Number);
    seed.forEach((c, a) => expect(Math.abs(c - truth.canalSeed[a])).toBeLessThan(1.2));
    await expect.poll(() => page.getByTestId('analysis-profile').count()).toBe(1);

    // The viewer's obliques follow the found axis; the cross-section shows the involved sectors.
    const axis = await viewerHooks(page, (h) => h.boneAxis());
    expect(axis).not.toBeNull();
    await page.getByTestId('analysis-overlay').waitFor({ timeout: 10_000 });
    expect(Number(await page.getByTestId('analysis-overlay').getAttribute('data-sectors'))).toBeGreaterThanOrEqual(1);
    await page.getByTestId('analysis-length-overlay').waitFor({ timeout: 10_000 });
    await screenshot(page, 'analysis-result');

    // Pixels: inside the drawn sector on the oblique view the CT is dark (lysis), on the intact side bright.
    const cam = (await viewerHooks(page, (h) => h.camera('oblique')))!;
    expect(Math.abs(cam.viewPlaneNormal[0] * axis!.direction[0] + cam.viewPlaneNormal[1] * axis!.direction[1] + cam.viewPlaneNormal[2] * axis!.direction[2])).toBeGreaterThan(0.999);

    await page.getByTestId('analysis-accept').click();
    await page.getByTestId('analysis-accepted').waitFor();
    await page.getByTestId('side-tab-measurements').click();
    const rows = await page.getByTestId('measurement-row').evaluateAll((els) =>
      els.map((e) => ({ kind: e.getAttribute('data-kind'), value: Number(e.getAttribute('data-value')), tool: e.getAttribute('data-tool') })),
    );
    const assisted = rows.filter((r) => r.tool === 'assisted-analysis');
    expect(assisted.map((r) => r.kind).sort()).toEqual(['axialLengthMm', 'axialPercent', 'circumferentialPercent']);
    expect(assisted.find((r) => r.kind === 'axialLengthMm')!.value).toBeCloseTo(length, 1);
    await screenshot(page, 'analysis-accepted');
    expect(app.pageErrors).toEqual([]);
  });

  it('re-runs at another threshold and records it; discard clears', async () => {
    const page = app.page;
    await page.getByTestId('side-tab-analysis').click();
    await page.getByTestId('analysis-threshold').fill('700');
    await page.getByTestId('analysis-rerun').click();
    await page.waitForFunction(() => (window as unknown as { frwAnalysis?: { last(): { thresholdHu: number } | null } }).frwAnalysis?.last()?.thresholdHu === 700, null, { timeout: 60_000 });
    await page.getByTestId('analysis-result').waitFor();
    expect(await page.getByTestId('analysis-length').getAttribute('data-value')).not.toBe('');
    await page.getByTestId('analysis-discard').click();
    expect(await page.getByTestId('analysis-result').count()).toBe(0);
    expect(await page.getByTestId('analysis-overlay').count()).toBe(0);
  });

  it('a click on intact shaft 45 mm from the lesion: "no involvement here", the lesion only pointed to, nothing to accept (issue 13)', async () => {
    const page = app.page;
    await page.getByTestId('side-tab-analysis').click();
    await page.getByTestId('analysis-threshold').fill('400');
    const d = truth.axis.direction;
    const away: Vec3 = [0, 1, 2].map((a) => truth.canalSeed[a] + 45 * d[a]) as Vec3;
    await clickAnalysisSeed(page, away);
    await page.waitForFunction(() => document.querySelector('[data-testid="analysis-verdict"]')?.getAttribute('data-verdict') === 'elsewhere', null, { timeout: 60_000 });
    for (const id of ['analysis-length', 'analysis-circ', 'analysis-axial']) expect(await page.getByTestId(id).getAttribute('data-value')).toBe('');
    expect(await page.getByTestId('analysis-accept').isDisabled()).toBe(true);
    expect(await page.getByTestId('analysis-warning').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))).toContain('no-involvement-at-seed');
    // The lesion (36 mm long, centred 45 mm away) is shaded on the profile, behind the click.
    const near = page.getByTestId('profile-nearest');
    expect(await near.count()).toBe(1);
    const click = (await page.getByTestId('profile-click').boundingBox())!;
    const shaded = (await near.boundingBox())!;
    expect(shaded.x + shaded.width).toBeLessThan(click.x);
    expect(await page.getByTestId('analysis-verdict').textContent()).toMatch(/No cortical involvement at the clicked level.*2[5-9] mm away/);
    await screenshot(page, 'analysis-elsewhere');
  });

  it('a click outside the bone gives a clear warning and nothing to accept', async () => {
    const page = app.page;
    await page.evaluate((p) => (window as unknown as { frwAnalysis: { run(s: number[]): Promise<void> } }).frwAnalysis.run(p), [truth.canalSeed[0] + 40, truth.canalSeed[1], truth.canalSeed[2]]);
    await page.getByTestId('analysis-result').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('analysis-warning').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('analysis-accept').isDisabled()).toBe(true);
    await screenshot(page, 'analysis-outside');
  });
});
