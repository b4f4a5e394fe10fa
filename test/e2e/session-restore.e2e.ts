/**
 * Nothing lost on reload (Chromium, browser host, demo CT): define a bone axis, capture a key
 * image, enter the calcaemia values; the session autosaves them (IndexedDB record checked);
 * reload the page → the axis is defined again (oblique cameras as before), the key image is back
 * (same pixels), the calcaemia helper shows the same values and result, and the PDF exported
 * after the reload still holds the key image and the calcaemia.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vec3 } from '../../shared/schemas/common';
import { MAX_KEY_IMAGE_DATA_URL_CHARS, MAX_KEY_IMAGES_PER_LESION } from '../../shared/schemas/session';
import { RESULTS_DIR, openApp, screenshot, waitForScan, exportReport, type App } from './harness';

type Hooks = {
  volumeInfo(): { dimensions: number[]; spacing: number[]; origin: number[]; direction: number[] } | null;
  defineBoneAxis(p1: Vec3, p2: Vec3, n?: Vec3): Promise<boolean>;
  boneAxis(): { p1Mm: Vec3; p2Mm: Vec3; direction: Vec3; drawnOnNormal: Vec3 } | null;
  camera(id: string): { focalPoint: Vec3; viewPlaneNormal: Vec3; viewUp: Vec3 } | null;
};
function hooks<T>(page: Page, fn: (h: Hooks, arg: any) => T, arg?: unknown): Promise<Awaited<T>> {
  return page.evaluate(`(${fn.toString()})(window.frwViewer, ${JSON.stringify(arg ?? null)})`) as Promise<Awaited<T>>;
}

/** The autosaved session record of a series, as the browser host stored it in IndexedDB. */
async function storedSession(page: Page, uid: string): Promise<Record<string, unknown> | null> {
  return page.evaluate(async (seriesUid) => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('frw');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    try {
      const rec = await new Promise<{ json: string } | undefined>((res, rej) => {
        const g = db.transaction('sessions', 'readonly').objectStore('sessions').get(seriesUid);
        g.onsuccess = () => res(g.result as { json: string } | undefined);
        g.onerror = () => rej(g.error);
      });
      return rec ? (JSON.parse(rec.json) as Record<string, unknown>) : null;
    } finally {
      db.close();
    }
  }, uid);
}

const seriesUid = (page: Page) => page.evaluate(() => (window as unknown as { __frwTest: { series(): { seriesInstanceUid: string } } }).__frwTest.series().seriesInstanceUid);
const waitVolume = (page: Page) =>
  page.waitForFunction(() => document.querySelector('[data-testid="viewer"]')?.getAttribute('data-phase') === 'done' && !!(window as unknown as { frwViewer?: Hooks }).frwViewer?.volumeInfo(), null, {
    timeout: 120_000,
  });
const close = (a: number[], b: number[], tol = 1e-6) => a.length === b.length && a.every((x, i) => Math.abs(x - b[i]) <= tol);

describe('session restore: key images, calcaemia and bone axis survive a reload', () => {
  let app: App;
  let page: Page;
  let uid: string;
  let axisPoints: { p1: Vec3; p2: Vec3 };
  let obliqueBefore: { focalPoint: Vec3; viewPlaneNormal: Vec3; viewUp: Vec3 };
  let alongBefore: { focalPoint: Vec3; viewPlaneNormal: Vec3; viewUp: Vec3 };
  let imageBefore: string;

  beforeAll(async () => {
    app = await openApp({ language: 'en', demo: true });
    page = app.page;
    await waitVolume(page);
    uid = await seriesUid(page);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('defines an axis, captures a key image and enters the calcaemia; the session autosaves all three', async () => {
    // A tilted axis through the middle of the volume (what two clicks on a reformat do).
    const info = (await hooks(page, (h) => h.volumeInfo()))!;
    const centre = [0, 1, 2].map((i) => info.origin[i] + ((info.dimensions[i] - 1) * info.spacing[i]) / 2) as Vec3;
    axisPoints = { p1: [centre[0] - 4, centre[1], centre[2] - 30], p2: [centre[0] + 4, centre[1] + 2, centre[2] + 30] };
    expect(await hooks(page, (h, a) => h.defineBoneAxis(a.p1, a.p2, [1, 0, 0]), axisPoints)).toBe(true);
    obliqueBefore = (await hooks(page, (h) => h.camera('oblique')))!;
    alongBefore = (await hooks(page, (h) => h.camera('obliqueAlong')))!;
    // The obliques follow the tilted axis (not the default axial / coronal planes).
    expect(Math.abs(obliqueBefore.viewPlaneNormal[2])).toBeLessThan(0.999);

    await page.getByTestId('side-tab-assessment').click();
    await page.getByTestId('assess-add-lesion').click();
    await page.getByTestId('assess-panel').locator('details summary').click();
    await page.getByTestId('calc-measured').fill('3.1');
    await page.getByTestId('calc-albumin').fill('24');
    expect(Number(await page.getByTestId('calc-result').getAttribute('data-value'))).toBeCloseTo(3.5, 9);

    await page.getByTestId('side-tab-report').click();
    await page.getByTestId('report-capture-viewport').selectOption('oblique');
    await page.getByTestId('report-capture').click();
    await expect.poll(() => page.getByTestId('report-key-image').count()).toBe(1);
    imageBefore = (await page.getByTestId('report-key-image').locator('img').getAttribute('src'))!;
    expect(imageBefore).toMatch(/^data:image\/png;base64,/);
    await screenshot(page, 'session-restore-before');

    await expect
      .poll(async () => {
        const s = await storedSession(page, uid);
        return s ? { version: s.version, images: Object.values(s.keyImages as Record<string, unknown[]>).flat().length, calcaemia: s.calcaemia, axis: !!s.boneAxis } : null;
      }, { timeout: 10_000 })
      .toEqual({ version: 2, images: 1, calcaemia: { measured: '3.1', albumin: '24' }, axis: true });
    const stored = (await storedSession(page, uid))!;
    expect(stored.boneAxis).toEqual({ p1Mm: axisPoints.p1, p2Mm: axisPoints.p2, drawnOnNormal: [1, 0, 0] });
  });

  it('after a reload: axis and obliques, key image (same pixels) and calcaemia are all back', async () => {
    await page.reload();
    await page.getByTestId('app').waitFor();
    await waitForScan(page, 0);
    await waitVolume(page);
    expect(await seriesUid(page)).toBe(uid);

    await expect.poll(async () => (await hooks(page, (h) => h.boneAxis()))?.p2Mm ?? null, { timeout: 15_000 }).toEqual(axisPoints.p2);
    expect((await hooks(page, (h) => h.boneAxis()))!.p1Mm).toEqual(axisPoints.p1);
    await expect.poll(async () => close((await hooks(page, (h) => h.camera('oblique')))!.viewPlaneNormal, obliqueBefore.viewPlaneNormal), { timeout: 10_000 }).toBe(true);
    const oblique = (await hooks(page, (h) => h.camera('oblique')))!;
    const along = (await hooks(page, (h) => h.camera('obliqueAlong')))!;
    expect(close(oblique.viewUp, obliqueBefore.viewUp)).toBe(true);
    expect(close(along.viewPlaneNormal, alongBefore.viewPlaneNormal)).toBe(true);
    expect(close(along.viewUp, alongBefore.viewUp)).toBe(true);
    // Same planes: the cross-section and the along-the-bone view pass through the same point.
    expect(close(oblique.focalPoint, obliqueBefore.focalPoint, 1e-3)).toBe(true);
    expect(close(along.focalPoint, alongBefore.focalPoint, 1e-3)).toBe(true);

    await page.getByTestId('side-tab-report').click();
    await expect.poll(() => page.getByTestId('report-key-image').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId('report-key-image').locator('img').getAttribute('src')).toBe(imageBefore);
    await screenshot(page, 'session-restore-after-report');

    await page.getByTestId('side-tab-assessment').click();
    await page.getByTestId('assess-panel').locator('details summary').click();
    expect(await page.getByTestId('calc-measured').inputValue()).toBe('3.1');
    expect(await page.getByTestId('calc-albumin').inputValue()).toBe('24');
    expect(Number(await page.getByTestId('calc-result').getAttribute('data-value'))).toBeCloseTo(3.5, 9);
    await screenshot(page, 'session-restore-after-assess');
    expect(app.pageErrors).toEqual([]);
  });

  it('the PDF exported after the reload still holds the key image and the calcaemia', async () => {
    await page.getByTestId('side-tab-report').click();
    mkdirSync(RESULTS_DIR, { recursive: true });
    const { download: dl } = await exportReport(page, 'report-export-pdf');
    const pdf = join(RESULTS_DIR, 'session-restore.pdf');
    await dl.saveAs(pdf);
    const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toMatch(/3\.1 mmol\/L/);
    expect(text).toMatch(/3\.5 mmol\/L/);
    expect(text).toContain('cross-section perpendicular to the bone axis — '); // the key image's caption: its view in the report's language
    const images = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(images.length).toBe(1);
    execFileSync('pdftoppm', ['-png', '-r', '70', pdf, join(RESULTS_DIR, 'session-restore-page')]);
    expect(app.pageErrors).toEqual([]);
  });

  it('a capture over the per-lesion cap is refused with a translated reason; removing one makes room', async () => {
    await page.getByTestId('side-tab-report').click();
    for (let n = 2; n <= MAX_KEY_IMAGES_PER_LESION; n++) {
      await page.getByTestId('report-capture').click();
      await expect.poll(() => page.getByTestId('report-key-image').count()).toBe(n);
    }
    await page.getByTestId('report-capture').click();
    const item = page.getByTestId('report-status').locator('li');
    await expect.poll(() => item.getAttribute('data-code')).toBe('KEY_IMAGE_LIMIT_LESION');
    expect(await item.innerText()).toBe(`At most ${MAX_KEY_IMAGES_PER_LESION} key images per lesion: remove one before capturing another.`);
    expect(await page.getByTestId('report-key-image').count()).toBe(MAX_KEY_IMAGES_PER_LESION);
    await screenshot(page, 'session-restore-cap');
    await page.getByTestId('report-key-image-remove').first().click();
    await page.getByTestId('report-capture').click();
    await expect.poll(() => page.getByTestId('report-key-image').count()).toBe(MAX_KEY_IMAGES_PER_LESION);
  });

  it('a capture too large for the session is downscaled (still PNG) until it fits the per-image cap', async () => {
    const r = await page.evaluate(async () => {
      // A noisy 1400 × 1400 image: PNG cannot compress noise, so it is several MB.
      const c = document.createElement('canvas');
      c.width = c.height = 1400;
      const ctx = c.getContext('2d')!;
      const img = ctx.createImageData(c.width, c.height);
      let seed = 12345;
      for (let i = 0; i < img.data.length; i += 4) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        img.data[i] = img.data[i + 1] = img.data[i + 2] = seed & 0xff;
        img.data[i + 3] = 255;
      }
      ctx.putImageData(img, 0, 0);
      const big = c.toDataURL('image/png');
      const hooks = (window as unknown as { frwSession: { fitKeyImage(u: string): Promise<{ pngDataUrl: string; scale: number }> } }).frwSession;
      const fitted = await hooks.fitKeyImage(big);
      const small = await hooks.fitKeyImage(fitted.pngDataUrl);
      const dims = await new Promise<[number, number]>((res) => {
        const im = new Image();
        im.onload = () => res([im.naturalWidth, im.naturalHeight]);
        im.src = fitted.pngDataUrl;
      });
      return { bigChars: big.length, chars: fitted.pngDataUrl.length, scale: fitted.scale, png: fitted.pngDataUrl.startsWith('data:image/png;base64,'), dims, unchangedAgain: small.scale === 1 && small.pngDataUrl === fitted.pngDataUrl };
    });
    expect(r.bigChars).toBeGreaterThan(MAX_KEY_IMAGE_DATA_URL_CHARS);
    expect(r.chars).toBeLessThanOrEqual(MAX_KEY_IMAGE_DATA_URL_CHARS);
    expect(r.png).toBe(true);
    expect(r.scale).toBeLessThan(1);
    expect(r.dims[0]).toBe(Math.round(1400 * r.scale));
    expect(r.dims[0]).toBeGreaterThanOrEqual(256);
    expect(r.unchangedAgain).toBe(true); // an image that fits is kept as captured
  });
});
