/**
 * An axial length drawn off the bone axis on the demo CT (femur tilted 10°): the measurement tool
 * warns, and the length enters neither the assessment nor the report until the reader chooses
 * (issue 14, defect 2): its along-axis component (then it is the value, unflagged) or the line as
 * drawn (then flagged in the assessment and report). Once a length is drawn along the bone axis
 * that one is preferred over a kept off-axis one. Screenshots: test-results/offaxis-*.png.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DIR, openApp, screenshot, type App } from './harness';
import { clickAnalysisSeed, dragFromTo, viewerLoaded } from './viewerProbe';
import type { Vec3 } from '../../shared/schemas/common';

describe('off-axis axial length (demo CT, bone tilted 10°)', () => {
  let app: App;
  beforeAll(async () => {
    app = await openApp({ language: 'en', demo: true });
    await viewerLoaded(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('enters nothing until the reader chooses: along-axis component, or kept as drawn and flagged; gives way to a length along the axis', async () => {
    const page = app.page;
    const truth = JSON.parse(readFileSync(join(DEMO_DIR, 'manifest.json'), 'utf8')).truth as { axis: { point: Vec3; direction: Vec3 } };
    const at = (t: number, off: Vec3 = [0, 0, 0]): Vec3 => [0, 1, 2].map((i) => truth.axis.point[i] + t * truth.axis.direction[i] + off[i]) as Vec3;
    expect(await page.evaluate(`window.frwViewer.defineBoneAxis(${JSON.stringify(at(-40))}, ${JSON.stringify(at(40))})`)).toBe(true);
    await page.waitForTimeout(500);
    await page.getByTestId('side-tab-measurements').click();
    await page.getByTestId('measure-tool-AxialLength').click();
    // On the coronal view, leaning against the bone (about 30° off its axis) → the tool warns.
    await page.evaluate(`window.frwViewer.jumpToWorld('coronal', ${JSON.stringify(at(0))})`);
    const [x, y] = [truth.axis.point[0], truth.axis.point[1]];
    await dragFromTo(page, 'coronal', [x + 8, y, -20], [x - 8, y, 25], 250);
    await expect.poll(() => page.getByTestId('measurement-warning').count(), { timeout: 10_000 }).toBe(1);
    const offValue = Number(await page.locator('[data-testid="measurement-row"][data-kind="axialLengthMm"]').getAttribute('data-value'));

    const row = page.locator('[data-testid="measurement-row"][data-kind="axialLengthMm"]');
    expect(await page.getByTestId('offaxis-choice').getAttribute('data-choice')).toBe('pending');
    await screenshot(page, 'offaxis-pending');

    // No choice yet: the assessment uses no length, and says why.
    await page.getByTestId('side-tab-assessment').click();
    const used = page.getByTestId('assess-used-axialLengthMm');
    expect(await used.getAttribute('data-origin')).toBe('not-measured');
    expect(await used.getAttribute('data-value')).toBe('');
    expect(await page.getByTestId('assess-offaxis-pending-axialLengthMm').getAttribute('data-count')).toBe('1');

    // "Use the along-axis component": the value becomes the line's projection on the bone axis.
    await page.getByTestId('side-tab-measurements').click();
    const drawing = (await page.evaluate(() => {
      const s = (window as unknown as { frwSession: { session(): { measurements: { id: string; kind: string }[]; drawings: Record<string, { points: Vec3[] }> } } }).frwSession.session();
      return s.drawings[s.measurements.find((m) => m.kind === 'axialLengthMm')!.id];
    }))!;
    const axisNow = (await page.evaluate('window.frwViewer.boneAxis()')) as { direction: Vec3 };
    const [p1, p2] = drawing.points;
    const projected = Math.abs((p2[0] - p1[0]) * axisNow.direction[0] + (p2[1] - p1[1]) * axisNow.direction[1] + (p2[2] - p1[2]) * axisNow.direction[2]);
    await page.getByTestId('offaxis-use-component').click();
    await expect.poll(() => page.getByTestId('offaxis-choice').getAttribute('data-choice')).toBe('along-axis');
    expect(Number(await row.getAttribute('data-value'))).toBeCloseTo(projected, 3);
    expect(projected).toBeLessThan(offValue);
    await page.getByTestId('side-tab-assessment').click();
    expect(Number(await used.getAttribute('data-value'))).toBeCloseTo(projected, 3);
    expect(await used.getAttribute('data-origin')).toBe('measured');
    expect(await used.getAttribute('data-off-axis')).toBeNull();
    expect(await page.getByTestId('assess-offaxis-pending-axialLengthMm').count()).toBe(0);

    // "Keep as drawn": the drawn length is used, flagged.
    await page.getByTestId('side-tab-measurements').click();
    await page.getByTestId('offaxis-keep').click();
    await expect.poll(() => page.getByTestId('offaxis-choice').getAttribute('data-choice')).toBe('as-drawn');
    expect(Number(await row.getAttribute('data-value'))).toBeCloseTo(offValue, 3);
    await page.getByTestId('side-tab-assessment').click();
    expect(Number(await used.getAttribute('data-value'))).toBeCloseTo(offValue, 3);
    expect(await used.getAttribute('data-off-axis')).toBe('true');
    await screenshot(page, 'offaxis-kept');

    // A shorter length along the bone axis (the along-axis oblique): it is used, unflagged.
    await page.getByTestId('side-tab-measurements').click();
    await page.getByTestId('measure-tool-AxialLength').click();
    await page.evaluate(`window.frwViewer.jumpToWorld('obliqueAlong', ${JSON.stringify(at(0))})`);
    await dragFromTo(page, 'obliqueAlong', at(-10), at(10), 250);
    await expect.poll(() => page.locator('[data-testid="measurement-row"][data-kind="axialLengthMm"]').count()).toBe(2);
    const values = (await page.locator('[data-testid="measurement-row"][data-kind="axialLengthMm"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))))) as number[];
    const alongValue = values.find((v) => Math.abs(v - offValue) > 1e-6)!;
    expect(alongValue).toBeLessThan(offValue);
    await page.getByTestId('side-tab-assessment').click();
    expect(Number(await used.getAttribute('data-value'))).toBeCloseTo(alongValue, 6);
    expect(await used.getAttribute('data-off-axis')).toBeNull();
    // …and the measured column says why the larger length is not the one used.
    expect(await page.getByTestId('assess-offaxis-set-aside-axialLengthMm').count()).toBe(1);
    await screenshot(page, 'offaxis-assessment');
    expect(app.pageErrors).toEqual([]);
  });

  it('the assisted analysis replaces the bone axis on the views only saying so, and the reader can restore theirs', async () => {
    const page = app.page;
    const before = (await page.evaluate('window.frwViewer.boneAxis()')) as { p1Mm: Vec3; p2Mm: Vec3 };
    const truth = JSON.parse(readFileSync(join(DEMO_DIR, 'manifest.json'), 'utf8')).truth as { canalSeed: Vec3 };
    await page.getByTestId('side-tab-analysis').click();
    await clickAnalysisSeed(page, truth.canalSeed);
    const notice = page.getByTestId('analysis-axis-replaced');
    await notice.waitFor({ timeout: 60_000 });
    expect(await notice.innerText()).toMatch(/your bone axis \(80 mm, \d+° from it\) was replaced/);
    const replaced = (await page.evaluate('window.frwViewer.boneAxis()')) as { p1Mm: Vec3 };
    expect(replaced.p1Mm).not.toEqual(before.p1Mm);
    await screenshot(page, 'analysis-axis-replaced');
    await page.getByTestId('analysis-axis-restore').click();
    await expect.poll(() => page.evaluate('window.frwViewer.boneAxis()')).toMatchObject({ p1Mm: before.p1Mm, p2Mm: before.p2Mm });
    expect(await notice.count()).toBe(0);
    expect(app.pageErrors).toEqual([]);
  });
});
