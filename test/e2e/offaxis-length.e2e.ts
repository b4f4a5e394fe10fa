/**
 * An axial length drawn off the bone axis on the demo CT (femur tilted 10°): the measurement tool
 * warns, the assessment flags the length it uses, and once a length is drawn along the bone axis
 * (the along-axis oblique) that one is used by the assessment and the recommendation — the same
 * number the measurements panel shows. Screenshot: test-results/offaxis-assessment.png.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DIR, openApp, screenshot, type App } from './harness';
import { dragFromTo, viewerLoaded } from './viewerProbe';
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

  it('is flagged when it is the only length, and gives way to a length along the axis', async () => {
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

    await page.getByTestId('side-tab-assessment').click();
    const used = page.getByTestId('assess-used-axialLengthMm');
    expect(Number(await used.getAttribute('data-value'))).toBeCloseTo(offValue, 6);
    expect(await used.getAttribute('data-off-axis')).toBe('true');

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
});
