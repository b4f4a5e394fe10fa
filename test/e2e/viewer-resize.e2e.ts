/**
 * A resize of the viewer keeps the bone-axis obliques on the bone (QA: a 1600 → 1500 px window
 * made the along-axis view's up drop from the bone axis to [0,0,1] and moved its focal point, so
 * the bone leaned 10° and lengths drawn there no longer followed it). Demo CT (femur tilted 10°),
 * axis defined along the generator's true axis, cross-section moved off the axis midpoint; after
 * `page.setViewportSize` both obliques must still be oriented by the axis, at the same slice.
 * Screenshots: test-results/viewer-resize-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, openDemo, screenshot, type App } from './harness';
import { makeSyntheticCt } from '../fixtures/synthetic-ct';
import { DEMO_SPEC } from '../fixtures/make-demo-ct';
import type { Vec3 } from '../../shared/schemas/common';
import { grayAt, type Vid, viewerHooks as hooks, viewerLoaded } from './viewerProbe';
import { add, dot, scale, sub } from '../../shared/geometry/vec';

const angleDeg = (a: Vec3, b: Vec3) => (Math.acos(Math.min(1, Math.abs(dot(a, b)) / Math.hypot(...a) / Math.hypot(...b))) * 180) / Math.PI;

describe('viewer: a resize keeps the bone-axis obliques (demo CT)', () => {
  let app: App;
  const ct = makeSyntheticCt(DEMO_SPEC);
  const { point, direction: d } = ct.truth.axis;
  const axisAt = (t: number): Vec3 => add(point, scale(d, t));

  beforeAll(async () => {
    app = await openApp({ language: 'en', viewport: { width: 1600, height: 1000 } });
    await openDemo(app.page);
    await viewerLoaded(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('1600 → 1500 → 1600 × 900 px: along-axis view-up stays on the axis (< 0.5°), slices stay where they were', async () => {
    const page = app.page;
    expect(await hooks(page, (h) => h.cpuRendering())).toBe(false);
    await page.waitForTimeout(500); // a session restore of an earlier axis, if any, has run
    expect(await hooks(page, (h, a) => h.defineBoneAxis(a.p1, a.p2), { p1: axisAt(-45), p2: axisAt(45) })).toBe(true);
    const axis = (await hooks(page, (h) => h.boneAxis()))!;
    expect(angleDeg(axis.direction, d)).toBeLessThan(0.01);
    // The cross-section away from the axis midpoint, so "kept" cannot mean "reset to the middle".
    await hooks(page, (h, p) => h.jumpToWorld('oblique', p), axisAt(20));
    await page.waitForTimeout(300);

    const cameras = async () => ({
      along: (await hooks(page, (h) => h.camera('obliqueAlong')))!,
      cross: (await hooks(page, (h) => h.camera('oblique')))!,
    });
    const before = await cameras();
    expect(angleDeg(before.along.viewUp, d)).toBeLessThan(0.5);
    expect(Math.abs(dot(before.cross.viewPlaneNormal, d))).toBeGreaterThan(0.9999);
    const alongPosMm = (c: { focalPoint: Vec3 }) => dot(sub(c.focalPoint, point), d);
    const slicePosMm = (c: { focalPoint: Vec3; viewPlaneNormal: Vec3 }) => dot(c.focalPoint, c.viewPlaneNormal);
    expect(alongPosMm(before.cross)).toBeCloseTo(20, 1);
    await screenshot(page, 'viewer-resize-before');

    for (const size of [
      { width: 1500, height: 1000 },
      { width: 1600, height: 900 },
    ]) {
      const box0 = (await page.getByTestId('viewport-obliqueAlong').boundingBox())!;
      await page.setViewportSize(size);
      // The viewer's ResizeObserver has run and Cornerstone has re-rendered.
      await expect.poll(async () => (await page.getByTestId('viewport-obliqueAlong').boundingBox())!.width !== box0.width || (await page.getByTestId('viewport-obliqueAlong').boundingBox())!.height !== box0.height, { timeout: 10_000 }).toBe(true);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await page.waitForTimeout(300);
      const after = await cameras();
      // Along-axis view: up still the bone axis, same plane, focal point at the same place along the bone.
      expect(angleDeg(after.along.viewUp, d), `viewUp ${after.along.viewUp} at ${size.width}×${size.height}`).toBeLessThan(0.5);
      expect(Math.abs(dot(after.along.viewPlaneNormal, before.along.viewPlaneNormal))).toBeGreaterThan(0.9999);
      expect(Math.abs(alongPosMm(after.along) - alongPosMm(before.along))).toBeLessThan(0.1);
      expect(Math.abs(slicePosMm(after.along) - slicePosMm(before.along))).toBeLessThan(0.1);
      // Cross-section: still perpendicular to the axis, at the same level (20 mm along it).
      expect(Math.abs(dot(after.cross.viewPlaneNormal, d))).toBeGreaterThan(0.9999);
      expect(angleDeg(after.cross.viewUp, before.cross.viewUp)).toBeLessThan(0.5);
      expect(Math.abs(alongPosMm(after.cross) - 20)).toBeLessThan(0.1);
      // What the user sees: the marrow canal runs straight up the along-axis view (mid-gray all along the axis).
      const pts = await Promise.all([-40, -20, 20, 40].map((t) => hooks(page, (h, p) => h.worldToCanvas('obliqueAlong', p), axisAt(t)) as Promise<[number, number]>));
      for (const g of await grayAt(page, 'obliqueAlong', pts)) {
        expect(g).toBeGreaterThan(40);
        expect(g).toBeLessThan(100);
      }
      // The axis is vertical on screen: the canvas x of points 80 mm apart along it differs by < 1.5 px.
      expect(Math.abs(pts[0][0] - pts[3][0])).toBeLessThan(1.5);
      await screenshot(page, `viewer-resize-${size.width}x${size.height}`);
    }
    expect(app.pageErrors).toEqual([]);
  });
});
