/**
 * The viewer in Chromium (browser host, GPU/WebGL rendering): axial, sagittal, coronal and the
 * oblique reformats show the CT where it is, with the chosen window; HU under the cursor equals
 * the generator's voxel; the user-defined bone axis gives a true cross-section (a ring) of the
 * tilted demo femur; presets by keyboard; cancel; errors shown in the viewer.
 * Screenshots: test-results/viewer-*.png.
 *
 * Pixel checks compare each displayed pixel with what it must be: the gray level the window
 * maps the HU at that patient position to. For the demo CT the HU comes from the generator's
 * noiseless phantom (independent of the viewer); for the TCIA series from the viewer's own HU
 * read-out (so they check the display, not the decoding).
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as dicomParser from 'dicom-parser';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_DIR, openApp, openDemo, openFolder, screenshot, type App } from './harness';
import { angleFrame, makeSyntheticCt, syntheticHuAt, tiltedAcquisition } from '../fixtures/synthetic-ct';
import { DEMO_SPEC } from '../fixtures/make-demo-ct';
import { writeCtSeries } from '../fixtures/dicom-writer';
import type { Vec3 } from '../../shared/schemas/common';
import { voiRangeOf, type WindowPresetName } from '../../renderer/viewer/presets';
import { volumeGeometry } from '../../renderer/viewer/fastVolume';
import type { Series } from '../../shared/schemas/scan';
import { viewerHooks as hooks, type Vid, grayAt, onViewportCanvas } from './viewerProbe';

const TCIA = join(DATA_DIR, 'tcia-pancreas-planning-ct');
const PYDICOM = join(DATA_DIR, 'pydicom-test-files', 'src', 'pydicom', 'data', 'test_files');

// ---------------------------------------------------------------- helpers

async function waitLoaded(page: Page, timeoutMs = 120_000): Promise<string> {
  await page.waitForFunction(
    () => ['done', 'error', 'cancelled'].includes(document.querySelector('[data-testid="viewer"]')?.getAttribute('data-phase') ?? ''),
    null,
    { timeout: timeoutMs },
  );
  return (await page.getByTestId('viewer').getAttribute('data-phase')) ?? '';
}

/** Run `fn(window.frwViewer, arg)` in the page (the function's source is sent as an expression). */
/** Resolves after two animation frames: Cornerstone renders a camera change on the next frame. */
function renderSettled(page: Page): Promise<void> {
  return page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

/** Whole-canvas statistics of the red channel. */
function canvasStats(page: Page, id: Vid) {
  return onViewportCanvas(page, id, (ctx) => {
    const { width, height } = ctx.canvas;
    const d = ctx.getImageData(0, 0, width, height).data;
    let n = 0,
      sum = 0,
      sum2 = 0,
      dark = 0,
      bright = 0;
    for (let i = 0; i < d.length; i += 4) {
      const v = d[i];
      n++;
      sum += v;
      sum2 += v * v;
      if (v < 15) dark++;
      if (v > 150) bright++;
    }
    const mean = sum / n;
    return { mean, std: Math.sqrt(sum2 / n - mean * mean), darkFraction: dark / n, brightFraction: bright / n, width, height };
  });
}

async function viewportSize(page: Page, id: Vid): Promise<{ w: number; h: number }> {
  const box = (await page.getByTestId(`viewport-${id}`).boundingBox())!;
  return { w: box.width, h: box.height };
}

/** Hover a canvas point and read the viewer's HU read-out. */
async function hoverHu(page: Page, id: Vid, [x, y]: [number, number]): Promise<{ hu: number; lps: Vec3; index: number[] } | null> {
  const box = (await page.getByTestId(`viewport-${id}`).boundingBox())!;
  await page.mouse.move(box.x + x, box.y + y);
  const el = page.getByTestId('viewer-hu');
  // Wait for the read-out of this very position (not the previous one).
  await expect
    .poll(
      async () => {
        if ((await el.getAttribute('data-viewport')) !== id) return false;
        const [cx, cy] = ((await el.getAttribute('data-canvas')) ?? '').split(',').map(Number);
        return Math.abs(cx - x) <= 1.5 && Math.abs(cy - y) <= 1.5;
      },
      { timeout: 10_000 },
    )
    .toBe(true);
  const hu = await el.getAttribute('data-hu');
  if (!hu) return null;
  const lps = (await el.getAttribute('data-lps'))!.split(',').map(Number) as Vec3;
  const index = (await el.getAttribute('data-index'))!.split(',').map(Number);
  return { hu: Number(hu), lps, index };
}

function grayOf(hu: number, preset: WindowPresetName): number {
  const { lower, upper } = voiRangeOf(preset);
  return Math.max(0, Math.min(255, ((hu - lower) / (upper - lower)) * 255));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const gridPoints = (w: number, h: number, n: number, margin = 0.15): [number, number][] => {
  const pts: [number, number][] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) pts.push([w * (margin + ((1 - 2 * margin) * i) / (n - 1)), h * (margin + ((1 - 2 * margin) * j) / (n - 1))]);
  return pts;
};

/**
 * |displayed gray − the bone-window gray of the phantom| at an n × n grid of points of view `id`,
 * for the points whose patient position `inside` accepts (where the volume has data).
 */
async function phantomGrayDiffs(page: Page, id: Vid, n: number, spec: Parameters<typeof syntheticHuAt>[0], inside: (world: Vec3) => boolean): Promise<number[]> {
  const { w, h } = await viewportSize(page, id);
  const pts = gridPoints(w, h, n, 0.1);
  const grays = await grayAt(page, id, pts);
  const diffs: number[] = [];
  for (let i = 0; i < pts.length; i++) {
    const world = (await hooks(page, (hk, a) => hk.canvasToWorld(a.id, a.p), { id, p: pts[i] }))!;
    if (inside(world)) diffs.push(Math.abs(grays[i] - grayOf(syntheticHuAt(spec, world), 'bone')));
  }
  return diffs;
}

/** Whether a patient position lies within a regular volume's voxel grid. */
const inVolume = (v: { origin: Vec3; spacing: Vec3; dimensions: [number, number, number] | number[] }) => (world: Vec3) =>
  [0, 1, 2].every((a) => {
    const k = (world[a] - v.origin[a]) / v.spacing[a];
    return k >= 0 && k <= v.dimensions[a] - 1;
  });

const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const mul = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const sub3 = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const norm3 = (a: Vec3) => Math.hypot(a[0], a[1], a[2]);

// ---------------------------------------------------------------- real CT

describe('viewer: TCIA planning CT (134 × 512², real)', () => {
  let app: App;
  beforeAll(async () => {
    app = await openApp({ language: 'en' });
    await openFolder(app.page, TCIA);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('loads the axial stack and the volume on the GPU, no error', async () => {
    const page = app.page;
    expect(await waitLoaded(page)).toBe('done');
    expect(await hooks(page, (h) => h.cpuRendering())).toBe(false);
    expect(await page.getByTestId('viewer-error-item').count()).toBe(0);
    const info = await hooks(page, (h) => h.volumeInfo());
    expect(info!.dimensions).toEqual([512, 512, 134]);
    expect(info!.spacing[0]).toBeCloseTo(1.07421875, 5);
    expect(info!.spacing[2]).toBeCloseTo(3, 3);
    await screenshot(page, 'viewer-tcia');
    expect(app.pageErrors).toEqual([]);
  });

  it('axial, sagittal and coronal show a non-uniform CT image with air and bone', async () => {
    for (const id of ['axial', 'sagittal', 'coronal'] as const) {
      const s = await canvasStats(app.page, id);
      expect(s.std, id).toBeGreaterThan(25);
      expect(s.darkFraction, id).toBeGreaterThan(0.1); // air around the body and the background
      expect(s.brightFraction, id).toBeGreaterThan(0.0005); // > 676 HU: bone (spine, ribs, pelvis) in the bone window
    }
  });

  it('every displayed pixel is the bone-window gray of the HU at that place (axial, sagittal, coronal)', async () => {
    const page = app.page;
    for (const id of ['axial', 'sagittal', 'coronal'] as const) {
      const { w, h } = await viewportSize(page, id);
      const pts = gridPoints(w, h, 7);
      const diffs: number[] = [];
      const grays = await grayAt(page, id, pts);
      let inside = 0;
      for (let i = 0; i < pts.length; i++) {
        const s = await hoverHu(page, id, pts[i]);
        if (!s) continue; // outside the volume
        inside++;
        diffs.push(Math.abs(grays[i] - grayOf(s.hu, 'bone')));
      }
      expect(inside, id).toBeGreaterThan(15);
      expect(median(diffs), id).toBeLessThan(10);
    }
  });
  it('HU under the cursor equals the stored pixel × slope + intercept of the file at that position (read here with dicom-parser)', async () => {
    const page = app.page;
    // Every file's z and path (the series is axial: z = ImagePositionPatient[2]).
    const dir = join(TCIA, 'CT');
    const files = readdirSync(dir).map((f) => join(dir, f));
    const byZ = new Map<string, string>();
    for (const f of files) {
      const ds = dicomParser.parseDicom(new Uint8Array(readFileSync(f)), { untilTag: 'x00200032' });
      const ipp = ds.string('x00200032')?.split('\\').map(Number);
      if (ipp) byZ.set(ipp[2].toFixed(2), f);
    }
    expect(byZ.size).toBe(134);
    const { w, h } = await viewportSize(page, 'axial');
    let checked = 0;
    for (const xy of [[0.5, 0.5], [0.5, 0.62], [0.35, 0.5], [0.62, 0.45]] as const) {
      const s = (await hoverHu(page, 'axial', [w * xy[0], h * xy[1]]))!;
      expect(s).not.toBeNull();
      const file = byZ.get(s.lps[2].toFixed(2));
      expect(file, `a file at z=${s.lps[2]}`).toBeDefined();
      const ds = dicomParser.parseDicom(new Uint8Array(readFileSync(file!)));
      const ipp = ds.string('x00200032')!.split('\\').map(Number);
      const ps = ds.string('x00280030')!.split('\\').map(Number);
      // The pixel the viewer read contains the cursor's position (a position exactly on a pixel
      // border, as the viewport's centre can be, belongs to either neighbour; the read-out gives
      // the position to 0.01 mm, i.e. within 0.005 px here).
      const [col, row] = [s.index[0], s.index[1]];
      expect(Math.abs((s.lps[0] - ipp[0]) / ps[1] - col)).toBeLessThanOrEqual(0.51);
      expect(Math.abs((s.lps[1] - ipp[1]) / ps[0] - row)).toBeLessThanOrEqual(0.51);
      const el = ds.elements.x7fe00010;
      const cols = ds.uint16('x00280011')!;
      const view = new DataView(ds.byteArray.buffer, ds.byteArray.byteOffset + el.dataOffset);
      const raw = ds.uint16('x00280103') === 1 ? view.getInt16((row * cols + col) * 2, true) : view.getUint16((row * cols + col) * 2, true);
      const expected = raw * (ds.floatString('x00281053') ?? 1) + (ds.floatString('x00281052') ?? 0);
      expect(Math.abs(s.hu - expected), `HU at ${s.lps}`).toBeLessThanOrEqual(0.5);
      checked++;
    }
    expect(checked).toBe(4);
  });
});

// ---------------------------------------------------------------- synthetic CT with known truth

describe('viewer: synthetic demo CT (tilted femur, lytic lesion)', () => {
  let app: App;
  const ct = makeSyntheticCt(DEMO_SPEC);
  const d = ct.truth.axis.direction;
  const axisAt = (t: number): Vec3 => add(ct.truth.axis.point, mul(d, t));
  const { u, v } = angleFrame(d);
  const R = ct.truth.outerRadiusMm;
  const T = ct.truth.corticalThicknessMm;
  const midWallMm = R - T / 2;
  /** A point at radius r, angle θ (generator convention) around the axis, on the section at t. */
  const ringPoint = (t: number, r: number, thetaDeg: number): Vec3 => {
    const th = (thetaDeg * Math.PI) / 180;
    return add(axisAt(t), add(mul(u, r * Math.cos(th)), mul(v, r * Math.sin(th))));
  };
  const voxelHu = (p: Vec3): number => {
    const vol = ct.volume;
    const idx = [0, 1, 2].map((a) => Math.round((p[a] - vol.origin[a]) / vol.spacing[a]));
    const [nx, ny] = vol.dimensions;
    return vol.hu[idx[0] + idx[1] * nx + idx[2] * nx * ny];
  };
  const lesion = DEMO_SPEC.lesion!;
  const lesionT = [lesion.centreAlongAxisMm! - lesion.axialLengthMm / 2, lesion.centreAlongAxisMm! + lesion.axialLengthMm / 2];
  /** Angles well inside the intact wall and well inside the lesion (generator angles). */
  const intactAngles = [60, 90, 120, 150, 180];
  const lesionAngles = [240, 270, 300, 330, 0];

  beforeAll(async () => {
    app = await openApp({ language: 'en' });
    await openDemo(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('loads on the GPU and matches the generator geometry', async () => {
    const page = app.page;
    expect(await waitLoaded(page)).toBe('done');
    expect(await hooks(page, (h) => h.cpuRendering())).toBe(false);
    const info = (await hooks(page, (h) => h.volumeInfo()))!;
    expect(info.dimensions).toEqual(ct.volume.dimensions);
    for (let a = 0; a < 3; a++) {
      expect(info.origin[a]).toBeCloseTo(ct.volume.origin[a], 2);
      expect(info.spacing[a]).toBeCloseTo(ct.volume.spacing[a], 4);
    }
  });

  it('axial, sagittal, coronal: pixels are the bone-window gray of the phantom at each place', async () => {
    const page = app.page;
    for (const id of ['axial', 'sagittal', 'coronal'] as const) {
      const diffs = await phantomGrayDiffs(page, id, 9, DEMO_SPEC, inVolume(ct.volume));
      expect(diffs.length, id).toBeGreaterThan(30);
      // Noise σ 20 HU = 2.5 gray levels; edges (partial volume) are the outliers.
      expect(median(diffs), id).toBeLessThan(6);
    }
  });

  it('axial: cortex bright, marrow and soft tissue mid-gray, air black, lesion dark — at their places', async () => {
    const page = app.page;
    const cam = (await hooks(page, (h) => h.camera('axial')))!;
    const z = cam.focalPoint[2];
    // Where the bone's line (t, θ, r) crosses the displayed axial plane.
    const onPlane = (p: Vec3): Vec3 => add(p, mul(d, (z - p[2]) / d[2]));
    const t = (z - ct.truth.axis.point[2]) / d[2];
    expect(t).toBeGreaterThan(lesionT[0] + 3); // the middle slice crosses the lesion
    expect(t).toBeLessThan(lesionT[1] - 3);
    const toCanvas = (p: Vec3) => hooks(page, (h, a) => h.worldToCanvas('axial', a), p) as Promise<[number, number]>;
    const cortex = await grayAt(page, 'axial', await Promise.all(intactAngles.map((a) => toCanvas(onPlane(ringPoint(t, midWallMm, a))))));
    const lesionGray = await grayAt(page, 'axial', await Promise.all(lesionAngles.map((a) => toCanvas(onPlane(ringPoint(t, midWallMm, a))))));
    const [marrow] = await grayAt(page, 'axial', [await toCanvas(onPlane(axisAt(t)))]);
    const [soft] = await grayAt(page, 'axial', [await toCanvas([axisAt(t)[0] + 40, axisAt(t)[1], z])]);
    const [air] = await grayAt(page, 'axial', [await toCanvas([-85, -85, z])]);
    for (const g of cortex) expect(g).toBeGreaterThan(215); // 1400 HU → 242
    for (const g of lesionGray) expect(g).toBeLessThan(100); // 30 HU → 68
    expect(marrow).toBeGreaterThan(45); // 50 HU → 70
    expect(marrow).toBeLessThan(95);
    expect(soft).toBeGreaterThan(45); // 40 HU → 69
    expect(soft).toBeLessThan(95);
    expect(air).toBeLessThan(5); // −1000 HU → 0
  });

  it('HU under the cursor equals the generator voxel (within 5 HU) at cortex, marrow, soft tissue and air', async () => {
    const page = app.page;
    const cam = (await hooks(page, (h) => h.camera('axial')))!;
    const z = cam.focalPoint[2];
    const t = (z - ct.truth.axis.point[2]) / d[2];
    const onPlane = (p: Vec3): Vec3 => add(p, mul(d, (z - p[2]) / d[2]));
    const targets: Vec3[] = [onPlane(ringPoint(t, midWallMm, 90)), onPlane(ringPoint(t, midWallMm, 150)), onPlane(axisAt(t)), [60, -20, z], [-85, 80, z]];
    const pixelMm = ct.volume.spacing[0];
    for (const target of targets) {
      const xy = (await hooks(page, (h, a) => h.worldToCanvas('axial', a), target))!;
      const s = (await hoverHu(page, 'axial', xy))!;
      expect(s).not.toBeNull();
      // The read-out's position is where the mouse is: within about a pixel of the target.
      for (let a = 0; a < 2; a++) expect(Math.abs(s.lps[a] - target[a])).toBeLessThan(1.5 * pixelMm);
      expect(Math.abs(s.lps[2] - z)).toBeLessThan(0.01);
      const expected = voxelHu(s.lps);
      expect(Math.abs(s.hu - expected), `HU at ${s.lps}`).toBeLessThanOrEqual(5);
    }
    // And the cortex really reads as cortex (not a coincidence of two wrong numbers).
    const xy = (await hooks(page, (h, a) => h.worldToCanvas('axial', a), onPlane(ringPoint(t, midWallMm, 120))))!;
    expect((await hoverHu(page, 'axial', xy))!.hu).toBeGreaterThan(1200);
    await screenshot(page, 'viewer-demo');
  });

  it('bone axis from two clicks (coronal, then sagittal) → the oblique is a true cross-section: a ring', async () => {
    const page = app.page;
    const p1 = axisAt(-45);
    const p2 = axisAt(45);
    await page.getByTestId('viewer-mode-axis').click();
    await expect.poll(() => page.getByTestId('viewer-axis-hint').count(), { timeout: 10_000 }).toBe(1);
    for (const [id, p] of [
      ['coronal', p1],
      ['sagittal', p2],
    ] as const) {
      await hooks(page, (h, a) => h.jumpToWorld(a.id, a.p), { id, p });
      const xy = (await hooks(page, (h, a) => h.worldToCanvas(a.id, a.p), { id, p }))!;
      const box = (await page.getByTestId(`viewport-${id}`).boundingBox())!;
      await page.mouse.click(box.x + xy[0], box.y + xy[1]);
      await page.waitForTimeout(500); // Cornerstone's double-click window
    }
    await expect.poll(() => page.getByTestId('viewer-axis').count(), { timeout: 10_000 }).toBe(1);
    const axis = (await hooks(page, (h) => h.boneAxis()))!;
    const angleDeg = (Math.acos(Math.min(1, Math.abs(dot(axis.direction, d)))) * 180) / Math.PI;
    expect(angleDeg).toBeLessThan(1.5);
    const cam = (await hooks(page, (h) => h.camera('oblique')))!;
    expect(Math.abs(dot(cam.viewPlaneNormal, d))).toBeGreaterThan(0.999);

    // A section outside the lesion: a complete ring — bright wall all round, marrow inside, soft tissue outside.
    const tIntact = -35;
    await hooks(page, (h, a) => h.jumpToWorld('oblique', a), axisAt(tIntact));
    await renderSettled(page);
    const toCanvas = (p: Vec3) => hooks(page, (h, a) => h.worldToCanvas('oblique', a), p) as Promise<[number, number]>;
    const angles = Array.from({ length: 12 }, (_, i) => i * 30);
    const wall = await grayAt(page, 'oblique', await Promise.all(angles.map((a) => toCanvas(ringPoint(tIntact, midWallMm, a)))));
    const inside = await grayAt(page, 'oblique', await Promise.all(angles.map((a) => toCanvas(ringPoint(tIntact, (R - T) / 2, a)))));
    const outside = await grayAt(page, 'oblique', await Promise.all(angles.map((a) => toCanvas(ringPoint(tIntact, R + 6, a)))));
    for (const g of wall) expect(g).toBeGreaterThan(215);
    for (const g of [...inside, ...outside]) {
      expect(g).toBeGreaterThan(40);
      expect(g).toBeLessThan(100);
    }
    await screenshot(page, 'viewer-oblique-ring');

    // Through the lesion: the ring is broken exactly over the lesion's angles.
    const tLesion = lesion.centreAlongAxisMm!;
    await hooks(page, (h, a) => h.jumpToWorld('oblique', a), axisAt(tLesion));
    await renderSettled(page);
    const lesionPoints = await Promise.all(lesionAngles.map((a) => toCanvas(ringPoint(tLesion, midWallMm, a))));
    // Under load the new section can reach the canvas a few frames late: wait for it (same bound).
    await expect.poll(async () => Math.max(...(await grayAt(page, 'oblique', lesionPoints))), { timeout: 10_000 }).toBeLessThan(100);
    const intact = await grayAt(page, 'oblique', await Promise.all(intactAngles.map((a) => toCanvas(ringPoint(tLesion, midWallMm, a)))));
    const lysed = await grayAt(page, 'oblique', lesionPoints);
    for (const g of intact) expect(g).toBeGreaterThan(215);
    for (const g of lysed) expect(g).toBeLessThan(100);
    await screenshot(page, 'viewer-oblique-lesion');

    // The key image the report embeds: a PNG of this section, bone bright, at the canvas size.
    const png = await page.evaluate(`(async () => {
      const url = await window.frwViewer.capture('oblique');
      const img = new Image();
      img.src = url;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.naturalWidth; c.height = img.naturalHeight;
      const ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let bright = 0; for (let i = 0; i < d.length; i += 4) if (d[i] > 215) bright++;
      return { prefix: url.slice(0, 22), w: c.width, h: c.height, bright };
    })()`) as { prefix: string; w: number; h: number; bright: number };
    expect(png.prefix).toBe('data:image/png;base64,');
    expect(png.w).toBeGreaterThan(100);
    expect(png.bright).toBeGreaterThan(100); // the intact part of the cortical ring

    // The mouse wheel on the cross-section moves it along the bone axis.
    const before = (await hooks(page, (h) => h.camera('oblique')))!.focalPoint;
    const obox = (await page.getByTestId('viewport-oblique').boundingBox())!;
    await page.mouse.move(obox.x + obox.width / 2, obox.y + obox.height / 2);
    await page.mouse.wheel(0, 300);
    await expect
      .poll(async () => norm3(sub3((await hooks(page, (h) => h.camera('oblique')))!.focalPoint, before)), { timeout: 10_000 })
      .toBeGreaterThan(0.3);
    const moved = sub3((await hooks(page, (h) => h.camera('oblique')))!.focalPoint, before);
    expect(Math.abs(dot(moved, d)) / norm3(moved)).toBeGreaterThan(0.999);

    // The along-axis oblique contains the axis: the marrow canal runs straight through it.
    const along = await grayAt(
      page,
      'obliqueAlong',
      await Promise.all([-40, -20, 20, 40].map((tt) => hooks(page, (h, a) => h.worldToCanvas('obliqueAlong', a), axisAt(tt)) as Promise<[number, number]>)),
    );
    for (const g of along) {
      expect(g).toBeGreaterThan(40);
      expect(g).toBeLessThan(100);
    }
    expect(app.pageErrors).toEqual([]);
  });

  it('keyboard: 2 = soft-tissue window, 1 = bone window, arrows scroll the active view', async () => {
    const page = app.page;
    const cam = (await hooks(page, (h) => h.camera('axial')))!;
    const softPoint: Vec3 = [cam.focalPoint[0] + 50, cam.focalPoint[1] - 30, cam.focalPoint[2]];
    const xy = (await hooks(page, (h, a) => h.worldToCanvas('axial', a), softPoint))!;
    const box = (await page.getByTestId('viewport-axial').boundingBox())!;
    await page.mouse.move(box.x + xy[0], box.y + xy[1]);
    await page.mouse.down({ button: 'middle' }); // make axial the active view without W/L drag
    await page.mouse.up({ button: 'middle' });
    await page.keyboard.press('2');
    await expect.poll(async () => (await grayAt(page, 'axial', [xy]))[0], { timeout: 10_000 }).toBeGreaterThan(110); // 40 HU → 127
    await page.keyboard.press('1');
    await expect.poll(async () => (await grayAt(page, 'axial', [xy]))[0], { timeout: 10_000 }).toBeLessThan(90); // 40 HU → 69
    // The help overlay lists the viewer's shortcuts.
    await page.keyboard.press('?');
    const help = page.getByTestId('help-overlay');
    await help.waitFor({ timeout: 10_000 });
    const helpText = await help.innerText();
    for (const s of ['Bone window', 'Soft-tissue window', 'Define the bone axis', 'Crosshairs']) expect(helpText).toContain(s);
    await screenshot(page, 'viewer-help');
    // While the overlay is open the viewer's keys do nothing: no window change, no scroll, no mode.
    const zHelp = (await hooks(page, (h) => h.camera('axial')))!.focalPoint[2];
    for (const k of ['2', 'ArrowDown', 'PageDown', 'c', 'a', 'r']) await page.keyboard.press(k);
    await page.waitForTimeout(300);
    expect(await page.getByTestId('viewer-preset-bone').getAttribute('aria-pressed')).toBe('true');
    expect(await hooks(page, (h) => h.mode())).toBe('windowLevel');
    expect((await hooks(page, (h) => h.camera('axial')))!.focalPoint[2]).toBe(zHelp);
    expect((await grayAt(page, 'axial', [xy]))[0]).toBeLessThan(90); // still the bone window
    expect(await help.count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => help.count(), { timeout: 10_000 }).toBe(0);
    const z0 = (await hooks(page, (h) => h.camera('axial')))!.focalPoint[2];
    await page.keyboard.press('ArrowDown');
    await expect.poll(async () => Math.abs((await hooks(page, (h) => h.camera('axial')))!.focalPoint[2] - z0), { timeout: 10_000 }).toBeCloseTo(ct.volume.spacing[2], 2);
  });
  it('crosshairs: dragging the sagittal line on the axial view moves the sagittal plane there; Esc returns to W/L', async () => {
    const page = app.page;
    await page.keyboard.press('c');
    await expect.poll(() => hooks(page, (h) => h.mode()), { timeout: 10_000 }).toBe('crosshairs');
    const sag = (await hooks(page, (h) => h.camera('sagittal')))!.focalPoint;
    const cor = (await hooks(page, (h) => h.camera('coronal')))!.focalPoint;
    const ax = (await hooks(page, (h) => h.camera('axial')))!.focalPoint;
    const centre = (await hooks(page, (h, a) => h.worldToCanvas('axial', a), [sag[0], cor[1], ax[2]]))!;
    const box = (await page.getByTestId('viewport-axial').boundingBox())!;
    // Grab the sagittal reference line away from the centre (the crosshairs leave a gap there).
    const from: [number, number] = [centre[0], centre[1] + 80];
    const to: [number, number] = [centre[0] + 40, centre[1] + 80];
    await page.mouse.move(box.x + from[0], box.y + from[1]);
    await page.mouse.down();
    await page.mouse.move(box.x + (from[0] + to[0]) / 2, box.y + to[1], { steps: 5 });
    await page.mouse.move(box.x + to[0], box.y + to[1], { steps: 5 });
    await page.mouse.up();
    const target = (await hooks(page, (h, a) => h.canvasToWorld('axial', a), to))!;
    await expect
      .poll(async () => Math.abs((await hooks(page, (h) => h.camera('sagittal')))!.focalPoint[0] - target[0]), { timeout: 10_000 })
      .toBeLessThan(2 * ct.volume.spacing[0]);
    await screenshot(page, 'viewer-crosshairs');
    await page.keyboard.press('Escape');
    await expect.poll(() => hooks(page, (h) => h.mode()), { timeout: 10_000 }).toBe('windowLevel');
    expect(app.pageErrors).toEqual([]);
  });
  it('crosshairs rotate (as in OHIF\'s MPR): turning the sagittal line on the axial view by 30° turns the sagittal and coronal planes by 30° about the axial normal; R resets', async () => {
    const page = app.page;
    await page.keyboard.press('c');
    await expect.poll(() => hooks(page, (h) => h.mode()), { timeout: 10_000 }).toBe('crosshairs');
    const box = (await page.getByTestId('viewport-axial').boundingBox())!;
    // Hover the axial view so the tool draws its handles, then read where they are.
    await page.mouse.move(box.x + box.width / 2 + 5, box.y + box.height / 2 + 5);
    await renderSettled(page);
    const handles = await hooks(page, (h) => h.crosshairRotationHandles('axial'));
    const onSagittal = handles.filter((x) => x.line === 'sagittal');
    expect(onSagittal.length).toBe(2);
    const sag = (await hooks(page, (h) => h.camera('sagittal')))!;
    const cor = (await hooks(page, (h) => h.camera('coronal')))!;
    const ax = (await hooks(page, (h) => h.camera('axial')))!;
    const centre = (await hooks(page, (h, a) => h.worldToCanvas('axial', a), [sag.focalPoint[0], cor.focalPoint[1], ax.focalPoint[2]]))!;
    // The handle below the centre, turned 30° about the centre.
    const grip = onSagittal.reduce((a, b) => (b.xy[1] > a.xy[1] ? b : a)).xy;
    const r = Math.hypot(grip[0] - centre[0], grip[1] - centre[1]);
    const a0 = Math.atan2(grip[1] - centre[1], grip[0] - centre[0]);
    await page.mouse.move(box.x + grip[0], box.y + grip[1]);
    await page.mouse.down();
    const turn = (30 * Math.PI) / 180;
    for (let s = 1; s <= 10; s++) {
      const a = a0 - (turn * s) / 10;
      await page.mouse.move(box.x + centre[0] + r * Math.cos(a), box.y + centre[1] + r * Math.sin(a));
    }
    await page.mouse.up();
    await renderSettled(page);
    const angleDeg = (u: Vec3, v: Vec3) => (Math.acos(Math.min(1, Math.abs(u[0] * v[0] + u[1] * v[1] + u[2] * v[2]))) * 180) / Math.PI;
    const sag2 = (await hooks(page, (h) => h.camera('sagittal')))!;
    const cor2 = (await hooks(page, (h) => h.camera('coronal')))!;
    // Turned in the axial plane (no tilt out of it) by the 30° dragged, both lines together.
    expect(Math.abs(sag2.viewPlaneNormal[2])).toBeLessThan(0.02);
    expect(angleDeg(sag2.viewPlaneNormal, sag.viewPlaneNormal)).toBeGreaterThan(25);
    expect(angleDeg(sag2.viewPlaneNormal, sag.viewPlaneNormal)).toBeLessThan(35);
    expect(angleDeg(cor2.viewPlaneNormal, cor.viewPlaneNormal)).toBeCloseTo(angleDeg(sag2.viewPlaneNormal, sag.viewPlaneNormal), 0);
    // The two planes stay perpendicular, and the axial plane does not move.
    expect(angleDeg(sag2.viewPlaneNormal, cor2.viewPlaneNormal)).toBeCloseTo(90, 0);
    expect(angleDeg((await hooks(page, (h) => h.camera('axial')))!.viewPlaneNormal, ax.viewPlaneNormal)).toBeLessThan(0.5);
    await screenshot(page, 'viewer-crosshairs-rotated');
    await page.keyboard.press('Escape');
    await page.keyboard.press('r');
    await expect.poll(async () => angleDeg((await hooks(page, (h) => h.camera('sagittal')))!.viewPlaneNormal, sag.viewPlaneNormal), { timeout: 10_000 }).toBeLessThan(0.5);
    expect(app.pageErrors).toEqual([]);
  });
});

// ---------------------------------------------------------------- errors and cancel

describe('viewer: errors where they happen, cancel', () => {
  let app: App;
  let dir: string;
  beforeAll(async () => {
    app = await openApp({ language: 'en' });
    dir = mkdtempSync(join(tmpdir(), 'frw-viewer-mr-'));
    copyFileSync(join(PYDICOM, 'MR_small_RLE.dcm'), join(dir, 'MR_small_RLE.dcm'));
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a non-CT series shows a specific message in the viewer, not a blank screen', async () => {
    const page = app.page;
    await openFolder(page, dir);
    const item = page.getByTestId('series-item');
    await expect.poll(() => item.count(), { timeout: 10_000 }).toBe(1);
    // The series' own button (the item also lists its warnings, below it).
    if ((await item.getAttribute('data-selected')) !== 'true') await item.getByRole('button').first().click();
    expect(await waitLoaded(page)).toBe('error');
    const err = page.getByTestId('viewer-error-item');
    await expect.poll(() => err.count(), { timeout: 10_000 }).toBe(1);
    expect(await err.getAttribute('data-code')).toBe('VIEWER_NOT_CT');
    expect(await err.innerText()).toContain('MR');
    await screenshot(page, 'viewer-not-ct');
  });

  it('Cancel stops loading and says so, and loading again completes', async () => {
    const page = app.page;
    await openFolder(page, TCIA);
    const cancel = page.getByTestId('viewer-progress-cancel');
    await cancel.waitFor({ timeout: 60_000 });
    await cancel.click();
    expect(await waitLoaded(page)).toBe('cancelled');
    await expect.poll(() => page.getByTestId('viewer-cancelled').count(), { timeout: 10_000 }).toBe(1);
    await screenshot(page, 'viewer-cancelled');
    await page.getByTestId('viewer-reload').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="viewer"]')?.getAttribute('data-phase') !== 'cancelled');
    expect(await waitLoaded(page)).toBe('done');
    expect(app.pageErrors).toEqual([]);
  });

  it('switching to another study frees the previous volume and shows the new one', async () => {
    const page = app.page;
    await openDemo(page);
    await expect
      .poll(async () => (await hooks(page, (h) => h.volumeInfo()))?.dimensions ?? null, { timeout: 60_000, interval: 200 })
      .toEqual(DEMO_SPEC.dimensions);
    expect(await waitLoaded(page)).toBe('done');
    const s = await canvasStats(page, 'coronal');
    expect(s.std).toBeGreaterThan(20);
    expect(app.pageErrors).toEqual([]);
  });

  it('opening a folder with no image series after a CT leaves every viewport black (no image of the previous patient)', async () => {
    const page = app.page;
    await openDemo(page); // also when run alone
    expect(await waitLoaded(page)).toBe('done');
    // All five views show the demo CT: obliques too, once a bone axis is set.
    const ct = makeSyntheticCt(DEMO_SPEC);
    const { point, direction: d } = ct.truth.axis;
    expect(await hooks(page, (h, a) => h.defineBoneAxis(a.p1, a.p2), { p1: add(point, mul(d, -40)), p2: add(point, mul(d, 40)) })).toBe(true);
    const ids: Vid[] = ['axial', 'sagittal', 'coronal', 'oblique', 'obliqueAlong'];
    for (const id of ids) await expect.poll(async () => (await canvasStats(page, id)).std, { timeout: 10_000, message: `${id} shows the CT first` }).toBeGreaterThan(20);
    await screenshot(page, 'viewer-before-broken');

    const broken = mkdtempSync(join(tmpdir(), 'frw-viewer-broken-'));
    try {
      for (const f of ['MR_truncated.dcm', 'rtplan_truncated.dcm', 'no_meta.dcm', 'meta_missing_tsyntax.dcm', 'badVR.dcm', 'image_dfl.dcm']) {
        copyFileSync(join(PYDICOM, f), join(broken, f));
      }
      const scan = await openFolder(page, broken);
      expect(scan!.studies.flatMap((st) => st.series)).toEqual([]);
      expect(scan!.errors.length).toBeGreaterThan(0);
      await expect.poll(() => page.getByTestId('viewer').getAttribute('data-phase'), { timeout: 10_000 }).toBe('idle');
      await page.waitForTimeout(500); // a few frames: anything still drawn would be on the canvas by now
      for (const id of ids) {
        const st = await canvasStats(page, id);
        expect(st.width, id).toBeGreaterThan(50);
        // Black: no pixel above the darkest gray levels anywhere on the canvas.
        expect(st.darkFraction, `${id} dark fraction`).toBe(1);
        expect(st.mean, `${id} mean`).toBeLessThan(1);
      }
      expect(await hooks(page, (h) => h.volumeInfo())).toBeNull();
      expect(await hooks(page, (h) => h.boneAxis())).toBeNull();
      await screenshot(page, 'viewer-after-broken');
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
    expect(app.pageErrors).toEqual([]);
  });

  it('reopening the series restores the bone axis saved with its session: the obliques come back on the bone', async () => {
    const page = app.page;
    const ct = makeSyntheticCt(DEMO_SPEC);
    const { point, direction: d } = ct.truth.axis;
    const p1 = add(point, mul(d, -30));
    const p2 = add(point, mul(d, 50));
    await openDemo(page);
    expect(await waitLoaded(page)).toBe('done');
    // The session may restore an axis of an earlier test on load: wait for that, then set ours.
    await page.waitForTimeout(500);
    expect(await hooks(page, (h, a) => h.defineBoneAxis(a.p1, a.p2), { p1, p2 })).toBe(true);
    await page.waitForTimeout(1500); // autosave
    // Another study (no image series), then the demo again.
    const other = mkdtempSync(join(tmpdir(), 'frw-viewer-other-'));
    try {
      copyFileSync(join(PYDICOM, 'MR_truncated.dcm'), join(other, 'MR_truncated.dcm'));
      await openFolder(page, other);
      await expect.poll(() => page.getByTestId('viewer').getAttribute('data-phase'), { timeout: 10_000 }).toBe('idle');
      expect(await hooks(page, (h) => h.boneAxis())).toBeNull();
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
    await openDemo(page);
    expect(await waitLoaded(page)).toBe('done');
    await expect.poll(async () => (await hooks(page, (h) => h.boneAxis())) !== null, { timeout: 20_000 }).toBe(true);
    const axis = (await hooks(page, (h) => h.boneAxis()))!;
    for (let a = 0; a < 3; a++) {
      expect(axis.p1Mm[a]).toBeCloseTo(p1[a], 3);
      expect(axis.p2Mm[a]).toBeCloseTo(p2[a], 3);
    }
    // The cross-section is perpendicular to the restored axis and shows the bone's ring.
    await expect.poll(async () => Math.abs(dot((await hooks(page, (h) => h.camera('oblique')))!.viewPlaneNormal, d)), { timeout: 10_000 }).toBeGreaterThan(0.999);
    await expect.poll(async () => (await canvasStats(page, 'oblique')).brightFraction, { timeout: 10_000 }).toBeGreaterThan(0.005);
    await expect.poll(async () => (await canvasStats(page, 'obliqueAlong')).brightFraction, { timeout: 10_000 }).toBeGreaterThan(0.005);
    await screenshot(page, 'viewer-axis-restored');
    expect(app.pageErrors).toEqual([]);
  });
});

// ---------------------------------------------------------------- compressed: Cornerstone's streaming loader

describe('viewer: RLE-compressed synthetic CT (streaming volume through the decode workers)', () => {
  let app: App;
  let dir: string;
  const spec = {
    dimensions: [96, 96, 40] as [number, number, number],
    pixelMm: 0.8,
    sliceSpacingMm: 1.5,
    noiseSigmaHu: 10,
    seed: 7,
    bodyRadiusMm: 35,
    bone: { tiltDeg: 8, outerRadiusMm: 10, corticalThicknessMm: 3 },
    lesion: null,
  };
  const ct = makeSyntheticCt(spec);
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'frw-viewer-rle-'));
    await writeCtSeries(ct.volume, dir, { transferSyntax: 'rle', uidSeed: 'frw-viewer-rle' });
    app = await openApp({ language: 'en' });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('decodes, builds the reformats and reads the generator HU', async () => {
    const page = app.page;
    await openFolder(page, dir);
    expect(await waitLoaded(page)).toBe('done');
    expect(await hooks(page, (h) => h.cpuRendering())).toBe(false);
    const info = (await hooks(page, (h) => h.volumeInfo()))!;
    expect(info.dimensions).toEqual(spec.dimensions);
    for (const id of ['axial', 'coronal'] as const) {
      const diffs = await phantomGrayDiffs(page, id, 7, spec, inVolume(ct.volume));
      expect(diffs.length, id).toBeGreaterThan(15);
      expect(median(diffs), id).toBeLessThan(6);
    }
    const { w, h } = await viewportSize(page, 'axial');
    const s = (await hoverHu(page, 'axial', [w / 2, h / 2]))!;
    const idx = [0, 1, 2].map((a) => Math.round((s.lps[a] - ct.volume.origin[a]) / ct.volume.spacing[a]));
    const [nx, ny] = ct.volume.dimensions;
    expect(Math.abs(s.hu - ct.volume.hu[idx[0] + idx[1] * nx + idx[2] * nx * ny])).toBeLessThanOrEqual(5);
    await screenshot(page, 'viewer-rle');
    expect(app.pageErrors).toEqual([]);
  });
});

// ---------------------------------------------------------------- gantry tilt: resampled onto a regular grid

describe('viewer: gantry-tilted CT (20°, slices sliding in plane) resampled onto a regular grid', () => {
  let app: App;
  let dir: string;
  let dirRle: string;
  const TILT_DEG = 20;
  const spec = {
    dimensions: [96, 96, 40] as [number, number, number],
    pixelMm: 0.8,
    sliceSpacingMm: 1.5,
    noiseSigmaHu: 0,
    seed: 3,
    bodyRadiusMm: 35,
    bone: { tiltDeg: 8, outerRadiusMm: 10, corticalThicknessMm: 3 },
    lesion: null,
  };
  // A tilted acquisition of the generator's phantom (slices sliding 1.5 · sin 20° along y each).
  const tilted = tiltedAcquisition(spec, TILT_DEG);
  const t = (TILT_DEG * Math.PI) / 180;
  const [nx, ny, nz] = spec.dimensions;
  const origin = tilted.origin;
  const col: Vec3 = [0, Math.cos(t), Math.sin(t)];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'frw-viewer-tilt-'));
    dirRle = mkdtempSync(join(tmpdir(), 'frw-viewer-tilt-rle-'));
    await writeCtSeries(tilted, dir, { uidSeed: 'frw-viewer-tilt', gantryTiltDeg: TILT_DEG, seriesDescription: 'Tilted 20 deg' });
    await writeCtSeries(tilted, dirRle, { uidSeed: 'frw-viewer-tilt-rle', gantryTiltDeg: TILT_DEG, transferSyntax: 'rle', seriesDescription: 'Tilted 20 deg RLE' });
    app = await openApp({ language: 'en' });
  });
  afterAll(async () => {
    await app?.close();
    for (const d of [dir, dirRle]) rmSync(d, { recursive: true, force: true });
  });

  /** Opens `folder` and checks the resampled grid and the pixels of every view against the phantom. */
  async function opensResampled(folder: string, shot: string) {
    const page = app.page;
    await openFolder(page, folder);
    const item = page.getByTestId('series-item').first();
    await expect.poll(() => item.getAttribute('data-measurable'), { timeout: 30_000 }).toBe('true');
    const shear = item.locator('[data-testid="series-warning"][data-code="SHEARED_GEOMETRY"]');
    expect(await shear.getAttribute('data-blocking')).toBe('false');
    expect(await waitLoaded(page)).toBe('done');
    expect(await page.getByTestId('viewer-error').count()).toBe(0);
    expect(await page.getByTestId('viewer-resampled').textContent()).toContain('20.0°');
    // The grid: along the slice normal (orthonormal), 1.5·cos 20° apart, widened for the
    // 39 × 1.5 · sin 20° = 20.01 mm the slices slide: 25.01 px, so 26 more rows.
    const info = (await hooks(page, (h) => h.volumeInfo()))!;
    expect(info.dimensions).toEqual([96, 96 + 26, 40]);
    expect(info.spacing[2]).toBeCloseTo(1.5 * Math.cos(t), 6);
    const d = info.direction;
    expect(d[6] * d[3] + d[7] * d[4] + d[8] * d[5]).toBeCloseTo(0, 9);
    // Pixels on the sagittal and coronal reformats (and the resampled axial) against the
    // phantom at each displayed patient position: a grid stacked straight (no resampling) would
    // put the tilted slices up to 20 mm off and fail this.
    // Inside the region the tilted slices cover: its index along z and along the tilted column.
    const covered = (world: Vec3) => {
      const kz = (world[2] - origin[2] - ((world[1] - origin[1]) / col[1]) * col[2]) / spec.sliceSpacingMm;
      const jc = (world[1] - origin[1]) / col[1] / spec.pixelMm;
      const ic = (world[0] - origin[0]) / spec.pixelMm;
      return kz >= 0.5 && kz <= nz - 1.5 && jc >= 1 && jc <= ny - 2 && ic >= 1 && ic <= nx - 2;
    };
    for (const id of ['axial', 'sagittal', 'coronal'] as const) {
      const diffs = await phantomGrayDiffs(page, id, 9, spec, covered);
      expect(diffs.length, id).toBeGreaterThan(15);
      expect(median(diffs), id).toBeLessThan(6);
    }
    await screenshot(page, shot);
    expect(app.pageErrors).toEqual([]);
  }

  it('uncompressed: measurable, says it was resampled, and every reformat shows the phantom where it is', async () => {
    await opensResampled(dir, 'viewer-gantry-tilt');
  });

  it('RLE-compressed alike: each slice decoded by Cornerstone, then put on the grid', async () => {
    await opensResampled(dirRle, 'viewer-gantry-tilt-rle');
  });
});

// ---------------------------------------------------------------- geometry the volume is built on (pure, no browser)

describe('viewer: volume geometry from the scan (regular grid, resampled when sheared, or nothing)', () => {
  // Only the fields the geometry uses matter; the rest of the scan's Series is irrelevant here.
  const series = (positions: Vec3[], iop = [1, 0, 0, 0, 1, 0]): Series =>
    ({
    seriesInstanceUid: '1.2.3',
    modality: 'CT',
    description: '',
    seriesNumber: 1,
    instanceCount: positions.length,
    rows: 4,
    columns: 6,
    pixelSpacingMm: [0.5, 0.7],
    sliceThicknessMm: 2,
    sliceSpacingMm: 2,
    imageOrientationPatient: iop,
    convolutionKernel: null,
    transferSyntaxUid: '1.2.840.10008.1.2.1',
    transferSyntaxName: null,
    frameOfReferenceUid: '1.2.3.4',
    measurable: true,
    kind: 'diagnostic',
    warnings: [],
    instances: positions.map((p, i) => ({ fileId: String(i), file: `f${i}`, sopInstanceUid: `1.${i}`, instanceNumber: i + 1, imagePositionPatient: p, positionMm: p[2] })),
    }) as unknown as Series;

  it('a regular axial stack (in any file order): dims, spacing (column, row, slice), origin at the lowest slice, order', () => {
    const g = volumeGeometry(series([[-10, -20, 4], [-10, -20, 0], [-10, -20, 2], [-10, -20, 6]]))!;
    expect(g.dimensions).toEqual([6, 4, 4]);
    expect(g.spacing[0]).toBeCloseTo(0.7, 9); // PixelSpacing[1] = between columns
    expect(g.spacing[1]).toBeCloseTo(0.5, 9);
    expect(g.spacing[2]).toBeCloseTo(2, 9);
    expect(g.origin).toEqual([-10, -20, 0]);
    expect(g.order).toEqual([1, 2, 0, 3]);
    expect(g.direction).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('gantry tilt (slices sliding in plane) gets a widened grid with a shift per slice; uneven spacing and missing positions are refused', () => {
    // y moves 0.5 mm (one row) per slice: two more rows, slice k shifted k rows.
    const tilt = volumeGeometry(series([[0, 0, 0], [0, 0.5, 2], [0, 1, 4]]))!;
    expect(tilt.dimensions).toEqual([6, 6, 3]);
    expect(tilt.source).toEqual({ columns: 6, rows: 4 });
    expect(tilt.shiftsPx!.map(([i, j]) => [i, Math.round(j * 1e9) / 1e9])).toEqual([[0, 0], [0, 1], [0, 2]]);
    expect(tilt.shearDeg).toBeCloseTo((Math.atan2(0.5, 2) * 180) / Math.PI, 6);
    expect(volumeGeometry(series([[0, 0, 0], [0, 0, 2], [0, 0, 5]]))).toBeNull(); // 2 mm then 3 mm
    const missing = series([[0, 0, 0], [0, 0, 2], [0, 0, 4]]);
    missing.instances[1].imagePositionPatient = null;
    expect(volumeGeometry(missing)).toBeNull();
  });

  it('a sagittal acquisition: the slice normal is row × column, slices ordered along it', () => {
    const g = volumeGeometry(series([[3, 0, 0], [1, 0, 0], [5, 0, 0]], [0, 1, 0, 0, 0, -1]))!;
    // row (0,1,0) × column (0,0,−1) = (−1, 0, 0): ascending along −x.
    expect(g.direction.slice(6)).toEqual([-1, 0, 0]);
    expect(g.origin).toEqual([5, 0, 0]);
    expect(g.order).toEqual([2, 0, 1]);
    expect(g.spacing[2]).toBeCloseTo(2, 9);
  });
});
