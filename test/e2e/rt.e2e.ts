/**
 * Planning CT structures in Chromium (issue 17). A synthetic planning CT (untilted femur, lesion
 * θ 30°–150° over 20 mm) with an RTSTRUCT of known geometry (test/fixtures/synthetic-rtstruct.ts:
 * GTV wedge 50°–200° r 25 mm red, PTV disc r 35 mm blue, bone, vessel) is opened from a folder:
 *  - the RT tab lists the ROIs (name, colour, type, contours) with toggles;
 *  - pixels: on the axial view the GTV's edge is red exactly where its world outline projects and
 *    nowhere inside or outside it; on the oblique cross-section (axis tilted 20° by the reader, so
 *    the view cuts the axial contours) the PTV shows as its blue outline through the chord ends
 *    computed by hand from the disc and the view plane, not beyond the disc and not inside it;
 *  - the assisted analysis' coverage sentences; the export button's RTSTRUCT;
 *  - rt-utils' real folder: the FoR-mismatched RTSTRUCT refused with its message, the others drawn
 *    with their own warnings, no page error.
 * Screenshots: test-results/rt-*.png.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vec3 } from '../../shared/schemas/common';
import { writeCtSeries } from '../fixtures/dicom-writer';
import { makeSyntheticCt } from '../fixtures/synthetic-ct';
import { PLANNING_SPEC, syntheticPlanningRtStruct } from '../fixtures/synthetic-rtstruct';
import { DATA_DIR, exportReport, openApp, openFolder, screenshot, type App } from './harness';
import { parseRtStruct } from '../../shared/rt/parseRtStruct';
import { clickAnalysisSeed, pageXY, viewerHooks, viewerLoaded, type Vid } from './viewerProbe';

const DEG = Math.PI / 180;
const ct = makeSyntheticCt(PLANNING_SPEC);
const dir = mkdtempSync(join(tmpdir(), 'frw-rt-e2e-'));
const sliceZ = (k: number) => ct.volume.origin[2] + k * ct.volume.spacing[2];

type Rgb = [number, number, number];
/** The pixels of a page screenshot within `radius` px of each page point (CSS px = image px here). */
async function pixelsNear(page: Page, points: Array<[number, number]>, radius = 1): Promise<Rgb[][]> {
  const png = (await page.screenshot()).toString('base64');
  return page.evaluate(
    async ([data, pts, r]) => {
      const img = new Image();
      img.src = `data:image/png;base64,${data}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      return (pts as Array<[number, number]>).map(([x, y]) => {
        const out: Array<[number, number, number]> = [];
        for (let dy = -(r as number); dy <= (r as number); dy++)
          for (let dx = -(r as number); dx <= (r as number); dx++) {
            const d = ctx.getImageData(Math.round(x) + dx, Math.round(y) + dy, 1, 1).data;
            out.push([d[0], d[1], d[2]]);
          }
        return out;
      });
    },
    [png, points, radius] as const,
  );
}

const isRed = ([r, g, b]: Rgb) => r - Math.max(g, b) > 80;
const isBlue = ([r, , b]: Rgb) => b - r > 80;
const any = (px: Rgb[], f: (p: Rgb) => boolean) => px.some(f);

async function pagePoints(page: Page, id: Vid, pts: Vec3[]): Promise<Array<[number, number]>> {
  const out: Array<[number, number]> = [];
  for (const p of pts) out.push(await pageXY(page, id, p));
  return out;
}

async function onlyRoi(page: Page, keep: number): Promise<void> {
  await page.evaluate((k) => {
    const rt = (window as unknown as { frwRt: { state(): { entries: Array<{ file: string; rt: { rois: Array<{ number: number }> } | null }> }; setVisible(f: string, n: number, on: boolean): void } }).frwRt;
    for (const e of rt.state().entries) for (const r of e.rt?.rois ?? []) rt.setVisible(e.file, r.number, r.number === k);
  }, keep);
  await page.waitForTimeout(300);
}

describe('RT structures on the planning CT (synthetic, known geometry)', () => {
  let app: App;
  beforeAll(async () => {
    await writeCtSeries(ct.volume, dir, { uidSeed: 'rt-e2e', seriesDescription: 'synthetic planning CT' });
    writeFileSync(join(dir, 'planning-rt.dcm'), syntheticPlanningRtStruct(ct, { uidSeed: 'rt-e2e' }));
    app = await openApp({ language: 'en' });
    await openFolder(app.page, dir);
    await viewerLoaded(app.page);
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the ROIs with colour, type and contour count, nothing to report', async () => {
    const page = app.page;
    await page.getByTestId('side-tab-rt').click();
    await page.getByTestId('rt-set').first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('rt-set').getAttribute('data-usable')).toBe('true');
    // Named by its Structure Set Label, date and time; the file name is the tooltip.
    expect(await page.getByTestId('rt-set-title').textContent()).toBe('PLANNING — 2026-01-01 00:00');
    expect(await page.getByTestId('rt-set-title').getAttribute('title')).toBe('File: planning-rt.dcm');
    const rows = await page.getByTestId('rt-roi').evaluateAll((els) => els.map((e) => [e.getAttribute('data-name'), e.querySelector('td:nth-child(3)')?.textContent, Number(e.querySelector('td:nth-child(4)')?.textContent)]));
    expect(rows.map((r) => r.slice(0, 2))).toEqual([['GTV_femur', 'GTV'], ['PTV', 'PTV'], ['BONE_femur', 'ORGAN'], ['OAR_vessel', 'ORGAN']]);
    expect(rows[2][2]).toBe(PLANNING_SPEC.dimensions[2]);
    expect(await page.getByTestId('rt-issue').count()).toBe(0);
  });

  it('axial: the GTV edge lands on the red pixels of its outline, not inside or outside it', async () => {
    const page = app.page;
    await onlyRoi(page, 1);
    const k = 32;
    const z = sliceZ(k);
    await viewerHooks(page, (h, p) => h.jumpToWorld('axial', p), [0, 0, z]);
    await page.waitForTimeout(400);
    const cam = (await viewerHooks(page, (h) => h.camera('axial')))!;
    expect(Math.abs(cam.focalPoint[2] - z)).toBeLessThan(0.01);
    const c = ct.truth.axis.point;
    const at = (deg: number, r: number): Vec3 => [c[0] + r * Math.cos(deg * DEG), c[1] + r * Math.sin(deg * DEG), z];
    const onEdge = [at(80, 25), at(120, 25), at(170, 25), at(50, 12), at(200, 12)];
    const off = [at(120, 15), at(120, 32), at(300, 25), at(10, 20)];
    const px = await pixelsNear(page, await pagePoints(page, 'axial', [...onEdge, ...off]), 1);
    expect(px.slice(0, onEdge.length).map((p) => any(p, isRed))).toEqual(onEdge.map(() => true));
    expect(px.slice(onEdge.length).map((p) => any(p, isRed))).toEqual(off.map(() => false));
    expect(Number(await page.getByTestId('rt-overlay-axial').getAttribute('data-polygons'))).toBe(1);
    // Sagittal and coronal cut the wedge; the obliques, not placed yet (no bone axis), show no contour.
    expect(Number(await page.getByTestId('rt-overlay-sagittal').getAttribute('data-segments'))).toBeGreaterThan(10);
    expect(await page.getByTestId('rt-overlay-oblique').count()).toBe(0);
    expect(await page.getByTestId('rt-overlay-obliqueAlong').count()).toBe(0);
    // Outside the GTV's axial range (lesion ± 15 mm): no red on the axial view at all.
    await viewerHooks(page, (h, p) => h.jumpToWorld('axial', p), [0, 0, sliceZ(4)]);
    await page.waitForTimeout(400);
    expect(await page.getByTestId('rt-overlay-axial').count()).toBe(0);
    await viewerHooks(page, (h, p) => h.jumpToWorld('axial', p), [0, 0, z]);
    await page.waitForTimeout(300);
    await screenshot(page, 'rt-axial-gtv');
  });

  it('oblique cross-section tilted 20°: the PTV shows as its blue outline, through the ends of the chords where the view plane cuts its discs, not striped inside', async () => {
    const page = app.page;
    await onlyRoi(page, 2);
    const c = ct.truth.axis.point;
    const d: Vec3 = [Math.sin(20 * DEG), 0, Math.cos(20 * DEG)];
    expect(await viewerHooks(page, (h, a) => h.defineBoneAxis(a.p1, a.p2, [0, 1, 0]), { p1: [c[0] - 30 * d[0], c[1], c[2] - 30 * d[2]], p2: [c[0] + 30 * d[0], c[1], c[2] + 30 * d[2]] })).toBe(true);
    await page.waitForTimeout(600);
    const cam = (await viewerHooks(page, (h) => h.camera('oblique')))!;
    const n = cam.viewPlaneNormal;
    const f = cam.focalPoint;
    expect(Math.abs(n[0] * d[0] + n[1] * d[1] + n[2] * d[2])).toBeGreaterThan(0.999);
    expect(Math.abs(n[1])).toBeLessThan(1e-3);
    const nf = n[0] * f[0] + n[1] * f[1] + n[2] * f[2];
    const R = 35;
    // The PTV's contour planes (lesion 20 mm ± 15 mm around z = 0) the view cuts (on slice z it is the line
    // x = const, n having no y part): the outline closes with the chords of the first and last of them.
    const xOn = (z: number) => (nf - n[2] * z) / n[0];
    const ptvZ = Array.from({ length: PLANNING_SPEC.dimensions[2] }, (_, k) => sliceZ(k)).filter((z) => Math.abs(z) <= 10 + 15 - 1e-6 && Math.abs(xOn(z) - c[0]) < R);
    const [zFirst, zLast] = [Math.min(...ptvZ), Math.max(...ptvZ)];
    const on: Vec3[] = [];
    const beyond: Vec3[] = [];
    const inside: Vec3[] = [];
    const between: Vec3[] = [];
    for (const z of ptvZ) {
      const x = xOn(z);
      if (Math.abs(x - c[0]) > 20) continue;
      const half = Math.sqrt(R * R - (x - c[0]) ** 2);
      // The chord's ends are on the outline; its middle (on an interior plane) is not drawn any more.
      on.push([x, c[1] + half, z], [x, c[1] - half, z]);
      beyond.push([x, c[1] + half + 4, z]);
      if (z !== zFirst && z !== zLast) inside.push([x, c[1], z], [x, c[1] + 0.5 * half, z], [x, c[1] - 0.5 * half, z]);
      const z2 = z + PLANNING_SPEC.sliceSpacingMm / 2;
      between.push([xOn(z2), c[1] + 0.3 * half, z2]);
    }
    expect(on.length).toBeGreaterThan(10);
    expect(inside.length).toBeGreaterThan(10);
    const px = await pixelsNear(page, await pagePoints(page, 'oblique', [...on, ...beyond]), 1);
    const onHits = px.slice(0, on.length).filter((p) => any(p, isBlue)).length;
    const beyondHits = px.slice(on.length).filter((p) => any(p, isBlue)).length;
    // Inside the outline (chord middles, half-way between two slices) those exact pixels are not blue: no stripes.
    const mid = await pixelsNear(page, await pagePoints(page, 'oblique', [...inside, ...between]), 0);
    const insideHits = mid.slice(0, inside.length).filter((p) => any(p, isBlue)).length;
    const midHits = mid.slice(inside.length).filter((p) => any(p, isBlue)).length;
    await screenshot(page, 'rt-oblique-ptv');
    console.log(`oblique segments: ${await page.getByTestId('rt-overlay-oblique').getAttribute('data-segments')}, sagittal ${await page.getByTestId('rt-overlay-sagittal').getAttribute('data-segments')}, coronal ${await page.getByTestId('rt-overlay-coronal').getAttribute('data-segments')}, obliqueAlong ${await page.getByTestId('rt-overlay-obliqueAlong').getAttribute('data-segments')}, PTV planes ${ptvZ.length}`);
    console.log(`oblique: ${onHits}/${on.length} chord ends blue, ${beyondHits}/${beyond.length} beyond the disc, ${insideHits}/${inside.length} inside (interior chords), ${midHits}/${between.length} between slices`);
    expect(onHits).toBe(on.length);
    expect(beyondHits).toBe(0);
    expect(insideHits).toBe(0);
    expect(midHits).toBe(0);
    // The outline: two joins per pair of consecutive planes cut and the two closing chords.
    expect(Number(await page.getByTestId('rt-overlay-oblique').getAttribute('data-segments'))).toBe(2 * (ptvZ.length - 1) + 2);
    // Sagittal and coronal cut the discs too.
    expect(Number(await page.getByTestId('rt-overlay-sagittal').getAttribute('data-segments'))).toBeGreaterThan(10);
    expect(Number(await page.getByTestId('rt-overlay-coronal').getAttribute('data-segments'))).toBeGreaterThan(10);
    await screenshot(page, 'rt-oblique-ptv');
  });

  it('coverage of the analysed lesion by each structure, in the RT tab', async () => {
    const page = app.page;
    for (const k of [1, 2, 3, 4]) await page.evaluate((n) => (window as unknown as { frwRt: { setVisible(f: string, n: number, on: boolean): void } }).frwRt.setVisible('planning-rt.dcm', n, true), k);
    await page.getByTestId('side-tab-analysis').click();
    await clickAnalysisSeed(page, ct.truth.canalSeed);
    await page.getByTestId('analysis-result').waitFor({ timeout: 60_000 });
    await page.getByTestId('side-tab-rt').click();
    await page.getByTestId('rt-coverage').waitFor();
    const rows = await page.getByTestId('rt-coverage-row').evaluateAll((els) => els.map((e) => ({ roi: e.getAttribute('data-roi'), arc: Number(e.getAttribute('data-arc')), text: e.textContent })));
    console.log(rows.map((r) => r.text).join('\n'));
    const by = Object.fromEntries(rows.map((r) => [r.roi, r]));
    expect(Math.abs(by.GTV_femur.arc - (100 * 100) / 120)).toBeLessThan(5);
    expect(by.PTV.arc).toBe(100);
    expect(by.OAR_vessel.arc).toBe(0);
    // Every heading is a sentence, never i18next's complaint about a key that names an object.
    expect(await page.getByTestId('side-panel-rt').innerText()).not.toMatch(/returned an object|key '[^']+' \(/);
    await screenshot(page, 'rt-coverage');
    expect(app.pageErrors).toEqual([]);
  });

  it('accepted, the coverage goes into the PDF report', async () => {
    const page = app.page;
    await page.getByTestId('side-tab-analysis').click();
    await page.getByTestId('analysis-accept').click();
    await page.getByTestId('analysis-accepted').waitFor();
    await page.getByTestId('side-tab-report').click();
    const { download } = await exportReport(page, 'report-export-pdf');
    const pdf = join(dir, '..', `frw-rt-report-${Date.now()}.pdf`);
    await download.saveAs(pdf);
    const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    rmSync(pdf, { force: true });
    expect(text).toContain('Planning structures and the lesion');
    expect(text).toMatch(/GTV_femur covers 8\d % of the involved arc/);
    expect(text).toContain('PTV covers all of the involved arc');
  });

  it('"Export lesion as RTSTRUCT": a refused write is said, a double click saves once, named after the lesion; the file lands back on the same CT when the folder is reopened', async () => {
    const page = app.page;
    await page.getByTestId('side-tab-rt').click();
    // A refused write (the Electron host's EXPORT_WRITE_FAILED) is said in the panel, with its code, and no page error.
    await page.evaluate(() => {
      const w = window as unknown as { __origCreateObjectURL?: typeof URL.createObjectURL };
      w.__origCreateObjectURL = URL.createObjectURL;
      URL.createObjectURL = () => {
        throw Object.assign(new Error('Could not write /planning/lesion-1-rtstruct.dcm: ENOSPC'), { code: 'EXPORT_WRITE_FAILED', file: '/planning/lesion-1-rtstruct.dcm' });
      };
    });
    await page.getByTestId('rt-export').click();
    const failed = page.getByTestId('rt-export-result');
    await expect.poll(() => failed.getAttribute('data-code').catch(() => null), { timeout: 10_000 }).toBe('EXPORT_WRITE_FAILED');
    expect(await failed.textContent()).toBe('The RTSTRUCT could not be written (disk full, read-only folder or no permission?). Nothing was saved.');
    expect(await failed.getAttribute('title')).toContain('ENOSPC');
    expect(await page.getByTestId('rt-export').isEnabled()).toBe(true);
    expect(app.pageErrors).toEqual([]);
    // A double click saves once (one save dialog): the button is disabled while the export runs.
    await page.evaluate(() => {
      const w = window as unknown as { __origCreateObjectURL: typeof URL.createObjectURL; __dicomBlobs: number };
      w.__dicomBlobs = 0;
      URL.createObjectURL = (b: Blob | MediaSource) => {
        if (b instanceof Blob && b.type === 'application/dicom') w.__dicomBlobs++;
        return w.__origCreateObjectURL.call(URL, b);
      };
    });
    const download = page.waitForEvent('download');
    await page.getByTestId('rt-export').dblclick();
    const saved = await download;
    // The file and the ROIs are named after the lesion (accepted into lesion 1, label '#1').
    expect(saved.suggestedFilename()).toBe('lesion-1-rtstruct.dcm');
    const file = join(dir, saved.suggestedFilename());
    await saved.saveAs(file);
    await page.waitForTimeout(1000);
    expect(await page.evaluate(() => (window as unknown as { __dicomBlobs: number }).__dicomBlobs)).toBe(1);
    expect(await page.getByTestId('rt-export-result').getAttribute('data-code')).toBe('');
    const parsed = parseRtStruct(new Uint8Array(readFileSync(file)), file);
    expect(parsed.ok && parsed.value.rois.map((r) => r.name)).toEqual(['LESION_1_LYTIC_CORTEX', 'LESION_1_BONE_AXIS']);
    await openFolder(page, dir);
    await viewerLoaded(page);
    await page.getByTestId('side-tab-rt').click();
    await expect.poll(() => page.getByTestId('rt-set').count(), { timeout: 30_000 }).toBe(2);
    const set = page.locator('[data-testid="rt-set"][data-file="lesion-1-rtstruct.dcm"]');
    expect(await set.getAttribute('data-usable')).toBe('true');
    expect(await set.getByTestId('rt-issue').count()).toBe(0);
    expect(await set.getByTestId('rt-set-title').textContent()).toMatch(/^LESION_1 — \d{4}-\d\d-\d\d \d\d:\d\d$/);
    expect(await set.getByTestId('rt-roi').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual(['LESION_1_LYTIC_CORTEX', 'LESION_1_BONE_AXIS']);
    // Its lytic region is drawn in red on the axial slice through the lesion.
    await viewerHooks(page, (h, p) => h.jumpToWorld('axial', p), [0, 0, sliceZ(32)]);
    await page.waitForTimeout(400);
    expect(Number(await page.getByTestId('rt-overlay-axial').getAttribute('data-polygons'))).toBeGreaterThanOrEqual(2);
    // The cross-section of this untilted bone is (nearly) parallel to the slices: it shows the nearest slice's contours whole.
    expect(Number(await page.getByTestId('rt-overlay-oblique').getAttribute('data-polygons'))).toBeGreaterThanOrEqual(3);
    await screenshot(page, 'rt-export-reopened');
    expect(app.pageErrors).toEqual([]);
  });
});

describe('RT structures: rt-utils real folder (refused and imperfect RTSTRUCTs)', () => {
  let app: App;
  beforeAll(async () => {
    app = await openApp({ language: 'en' });
    await openFolder(app.page, join(DATA_DIR, 'rt-utils', 'tests', 'mock_data'));
    await viewerLoaded(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('each structure set says what is wrong with it; the refused one is not drawn; no page error', async () => {
    const page = app.page;
    await page.getByTestId('side-tab-rt').click();
    await expect.poll(() => page.getByTestId('rt-set').count(), { timeout: 30_000 }).toBe(3);
    const sets = await page.getByTestId('rt-set').evaluateAll((els) =>
      Object.fromEntries(els.map((e) => [e.getAttribute('data-file'), { usable: e.getAttribute('data-usable'), codes: [...e.querySelectorAll('[data-testid="rt-issue"]')].map((i) => i.getAttribute('data-code')) }])),
    );
    console.log(JSON.stringify(sets));
    expect(sets['rt.dcm']).toEqual({ usable: 'false', codes: ['rt.frame-of-reference-mismatch'] });
    // The refusal in words, without the file name or the UIDs (those are in its tooltip).
    const refused = page.locator('[data-testid="rt-set"][data-file="rt.dcm"] [data-testid="rt-issue"]');
    expect(await refused.textContent()).toBe("Its Frame of Reference differs from the CT's: the contours belong to another patient position or scan and are not drawn.");
    expect(await refused.getAttribute('title')).toMatch(/^Frame of Reference UID of the structure set: 1\.2\.826\.0\.1\.3680043\.8\.498\.\d+; of the CT: [\d.]+$/);
    for (const text of await page.getByTestId('rt-issue').allTextContents()) expect(text).not.toMatch(/\.dcm\b|\d+\.\d+\.\d+\.\d+\.\d+/);
    // Headings: the Structure Set Label and its date/time; two sets alike in both also show their file.
    expect(await page.getByTestId('rt-set-title').allTextContents()).toEqual(expect.arrayContaining(['RTstruct — 2021-03-01 13:12', 'RTstruct — 2020-11-17 11:28 · invalid_reference_rt.dcm']));
    expect(sets['invalid_reference_rt.dcm'].usable).toBe('true');
    expect(sets['invalid_reference_rt.dcm'].codes).toEqual(expect.arrayContaining(['rt.referenced-images-missing', 'rt.contour-images-missing', 'rt.contours-outside-series']));
    expect(sets['non_existent_reference_rt.dcm'].codes).toContain('rt.no-referenced-series');
    await screenshot(page, 'rt-rtutils');
    expect(app.pageErrors).toEqual([]);
  });
});

describe('RT structures: dicompyler-core (one CT slice of 98) and an RTSTRUCT alone', () => {
  let app: App;
  beforeAll(async () => {
    app = await openApp({ language: 'en' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('dicompyler: 97 of 98 referenced images missing said, the contours of the one slice drawn', async () => {
    const page = app.page;
    await openFolder(page, join(DATA_DIR, 'dicompyler-core', 'example_data'));
    await page.getByTestId('side-tab-rt').click();
    await page.locator('[data-testid="rt-set"][data-file="rtss.dcm"]').waitFor({ timeout: 30_000 });
    const set = page.locator('[data-testid="rt-set"][data-file="rtss.dcm"]');
    expect(await set.getAttribute('data-usable')).toBe('true');
    expect(await set.locator('[data-code="rt.referenced-images-missing"]').textContent()).toBe('97 of 98 referenced images are not in the series.');
    expect(await set.getByTestId('rt-roi').count()).toBe(10);
    await expect.poll(async () => Number((await page.getByTestId('rt-overlay-axial').getAttribute('data-polygons').catch(() => '0')) ?? 0), { timeout: 30_000 }).toBeGreaterThan(0);
    await screenshot(page, 'rt-dicompyler');
    expect(app.pageErrors).toEqual([]);
  });

  it('rt-utils empty/dummy_rt.dcm alone: refused, no series to draw it on', async () => {
    const page = app.page;
    await openFolder(page, join(DATA_DIR, 'rt-utils', 'tests', 'empty'));
    await page.getByTestId('side-tab-rt').click();
    const set = page.locator('[data-testid="rt-set"][data-file="dummy_rt.dcm"]');
    await set.waitFor({ timeout: 30_000 });
    expect(await set.getAttribute('data-usable')).toBe('false');
    expect(await set.getByTestId('rt-issue').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))).toEqual(['rt.no-series']);
    await screenshot(page, 'rt-dummy-alone');
    expect(app.pageErrors).toEqual([]);
  });
});
