/**
 * The shell in Chromium (browser host): opening real and synthetic CT, the study browser's
 * facts, broken files reported by name, cancel, help overlay, language, the host's file gate
 * and session store. Screenshots in test-results/shell-*.png.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_DIR, DEMO_DIR, dropPaths, openApp, openDemo, openFiles, openFolder, screenshot, scanCount, waitForScan, type App } from './harness';

const TCIA = join(DATA_DIR, 'tcia-pancreas-planning-ct');
const PYDICOM = join(DATA_DIR, 'pydicom-test-files', 'src', 'pydicom', 'data', 'test_files');
const BROKEN = ['MR_truncated.dcm', 'rtplan_truncated.dcm', 'no_meta.dcm', 'meta_missing_tsyntax.dcm', 'badVR.dcm', 'image_dfl.dcm'];

function cspViolations(app: App): string[] {
  return app.consoleErrors.filter((m) => /Content Security Policy|Refused to/i.test(m));
}

describe('shell: opening studies', () => {
  let app: App;
  beforeAll(async () => {
    app = await openApp({ language: 'en' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('opens the TCIA planning CT folder and lists its series: 134 slices, 3 mm, badge, auto-selected', async () => {
    const scan = await openFolder(app.page, TCIA);
    expect(scan).not.toBeNull();
    const series = scan!.studies.flatMap((s) => s.series);
    expect(series).toHaveLength(1);
    expect(series[0]).toMatchObject({ modality: 'CT', instanceCount: 134, sliceThicknessMm: 3, measurable: true });

    const page = app.page;
    const item = page.getByTestId('series-item');
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.getByTestId('series-slices').innerText()).toBe('134 slices');
    expect(await item.getByTestId('series-thickness').innerText()).toBe('3 mm thick');
    expect(await item.getAttribute('data-selected')).toBe('true');
    expect(await item.getAttribute('data-measurable')).toBe('true');
    const badge = await item.getByTestId('series-badge').innerText();
    expect(badge.toLowerCase()).toBe(series[0].kind);
    expect(await item.getByTestId('series-matrix').innerText()).toBe('512×512');
    // The licence and citation texts beside the DICOM are named as skipped, not silently dropped.
    const skipped = await page.getByTestId('skipped-file').allInnerTexts();
    expect(skipped.some((t) => t.includes('Citations.txt'))).toBe(true);
    expect(skipped.some((t) => t.includes('LICENSE.txt'))).toBe(true);
    expect(await page.getByTestId('scan-errors').count()).toBe(0);
    // The viewer gets the selected series, rendered on the GPU (WebGL), not Cornerstone's silent CPU fallback.
    await expect.poll(() => page.getByTestId('viewer').count()).toBe(1);
    await page.waitForFunction(() => !!(window as unknown as { frwViewer?: unknown }).frwViewer);
    expect(await page.evaluate(() => (window as unknown as { frwViewer: { cpuRendering(): boolean } }).frwViewer.cpuRendering())).toBe(false);
    await screenshot(page, 'shell-tcia');
    expect(app.pageErrors).toEqual([]);
    expect(cspViolations(app)).toEqual([]);
  });

  it('the host serves bytes only for files the scan found', async () => {
    const out = await app.page.evaluate(async () => {
      const t = (window as unknown as { __frwTest: { host: { readFile(id: string): Promise<ArrayBuffer> }; series(): { instances: { fileId: string }[] } } }).__frwTest;
      const id = t.series().instances[0].fileId;
      const bytes = new Uint8Array(await t.host.readFile(id));
      const magic = String.fromCharCode(...bytes.slice(128, 132));
      let rejected: unknown = null;
      try {
        await t.host.readFile('999999');
      } catch (e) {
        rejected = { code: (e as { code?: string }).code };
      }
      let rejectedText: unknown = null;
      try {
        await t.host.readFile('../etc/passwd');
      } catch (e) {
        rejectedText = { code: (e as { code?: string }).code };
      }
      return { size: bytes.length, magic, rejected, rejectedText };
    });
    expect(out.magic).toBe('DICM');
    expect(out.size).toBeGreaterThan(512 * 512 * 2);
    expect(out.rejected).toEqual({ code: 'FILE_NOT_SCANNED' });
    expect(out.rejectedText).toEqual({ code: 'FILE_NOT_SCANNED' });
  });

  it('opens the demo CT and lists it next time instead of the previous study', async () => {
    const manifest = JSON.parse(readFileSync(join(DEMO_DIR, 'manifest.json'), 'utf8')) as { files: string[] };
    const scan = await openDemo(app.page);
    const series = scan!.studies.flatMap((s) => s.series);
    expect(series).toHaveLength(1);
    expect(series[0].instanceCount).toBe(manifest.files.length);
    const page = app.page;
    await expect.poll(() => page.getByTestId('series-item').count()).toBe(1);
    expect(await page.getByTestId('series-slices').innerText()).toBe(`${manifest.files.length} slices`);
    expect(await page.getByTestId('series-thickness').innerText()).toBe('1.25 mm thick');
    expect(await page.getByTestId('patient-name').innerText()).toContain('DEMO, SYNTHETIC');
    expect(await page.getByTestId('series-item').getAttribute('data-selected')).toBe('true');
    await screenshot(page, 'shell-demo');
    expect(app.pageErrors).toEqual([]);
  });

  it('files dropped on the window are scanned (drag-and-drop)', async () => {
    const manifest = JSON.parse(readFileSync(join(DEMO_DIR, 'manifest.json'), 'utf8')) as { files: string[] };
    const page = app.page;
    const before = await scanCount(page);
    const names = manifest.files.slice(0, 12);
    await page.evaluate(async (list) => {
      const dt = new DataTransfer();
      for (const n of list) dt.items.add(new File([await (await fetch(`demo-ct/${n}`)).blob()], n));
      dt.items.add(new File(['just text'], 'readme.txt'));
      const fire = (type: string) => document.body.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
      fire('dragenter');
      fire('dragover');
      fire('drop');
    }, names);
    const scan = await waitForScan(page, before);
    const series = scan!.studies.flatMap((s) => s.series);
    expect(series).toHaveLength(1);
    expect(series[0].instanceCount).toBe(names.length);
    expect(scan!.skipped.map((s) => s.file)).toEqual(['readme.txt']);
    expect(await page.getByTestId('series-slices').innerText()).toBe(`${names.length} slices`);
    expect(await page.getByTestId('drop-zone').count()).toBe(0);
  });

  it('a folder dragged from disk and dropped on the window is walked recursively', async () => {
    const scan = await dropPaths(app.page, [TCIA]);
    const series = scan!.studies.flatMap((s) => s.series);
    expect(series).toHaveLength(1);
    expect(series[0].instanceCount).toBe(134);
    // Paths keep the dropped folder's structure (CT/ is a sub-folder).
    expect(series[0].instances.every((i) => i.file.startsWith('tcia-pancreas-planning-ct/CT/'))).toBe(true);
    expect(scan!.skipped.map((s) => s.file).sort()).toEqual(['tcia-pancreas-planning-ct/Citations.txt', 'tcia-pancreas-planning-ct/LICENSE.txt']);
    expect(await app.page.getByTestId('series-slices').innerText()).toBe('134 slices');
  });

  it('"Open files…" scans just the chosen files', async () => {
    const dir = join(TCIA, 'CT');
    const chosen = readdirSync(dir).sort().slice(0, 5).map((n) => join(dir, n));
    const scan = await openFiles(app.page, chosen);
    const series = scan!.studies.flatMap((s) => s.series);
    expect(series).toHaveLength(1);
    expect(series[0].instanceCount).toBe(5);
    expect(await app.page.getByTestId('series-slices').innerText()).toBe('5 slices');
  });

  it('Alt+↓ / Alt+↑ step through the series of the study browser', async () => {
    const tcia = readdirSync(join(TCIA, 'CT')).sort().slice(0, 3).map((n) => join(TCIA, 'CT', n));
    const manifest = JSON.parse(readFileSync(join(DEMO_DIR, 'manifest.json'), 'utf8')) as { files: string[] };
    const demo = manifest.files.slice(0, 3).map((n) => join(DEMO_DIR, n));
    const scan = await openFiles(app.page, [...tcia, ...demo]);
    const uids = scan!.studies.flatMap((st) => st.series.map((s) => s.seriesInstanceUid));
    expect(uids).toHaveLength(2);
    const page = app.page;
    const selected = () => page.locator('[data-testid="series-item"][data-selected="true"]').getAttribute('data-series-uid');
    expect(await selected()).toBe(uids[0]);
    await page.locator('body').press('Alt+ArrowDown');
    expect(await selected()).toBe(uids[1]);
    await page.locator('body').press('Alt+ArrowDown');
    expect(await selected()).toBe(uids[1]);
    await page.locator('body').press('Alt+ArrowUp');
    expect(await selected()).toBe(uids[0]);
  });

  it('a planning CT with its RT structure set is marked dosimetric, the RT objects listed', async () => {
    // dicompyler-core: one CT slice + RTSTRUCT (1.9 MB of contours: its header is read in full) + RTPLAN.
    const scan = await openFolder(app.page, join(DATA_DIR, 'dicompyler-core', 'example_data'));
    const ct = scan!.studies.flatMap((s) => s.series).find((s) => s.modality === 'CT');
    expect(ct?.kind).toBe('dosimetric');
    const page = app.page;
    const item = page.locator(`[data-testid="series-item"][data-series-uid="${ct!.seriesInstanceUid}"]`);
    expect(await item.getAttribute('data-kind')).toBe('dosimetric');
    expect((await item.getByTestId('series-badge').innerText()).toLowerCase()).toBe('dosimetric');
    // One slice cannot be measured: said so, with the blocking reason marked.
    expect(ct!.measurable).toBe(false);
    expect(await item.getAttribute('data-measurable')).toBe('false');
    const blocking = await item.locator('[data-testid="series-warning"][data-blocking="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
    expect(blocking).toEqual(ct!.notMeasurableReasons.map((r) => r.code));
    expect(blocking.length).toBeGreaterThan(0);
    const others = await page.getByTestId('other-object').evaluateAll((els) => els.map((e) => e.getAttribute('data-modality')));
    expect(others.sort()).toEqual(['RTPLAN', 'RTSTRUCT']);
    await screenshot(page, 'shell-dosimetric');
  });

  it('a long list of skipped files shows its start and the rest on request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frw-many-'));
    try {
      for (let i = 0; i < 30; i++) writeFileSync(join(dir, `note-${String(i).padStart(2, '0')}.txt`), `note ${i}\n`);
      const scan = await openFolder(app.page, dir);
      expect(scan!.skipped).toHaveLength(30);
      const page = app.page;
      expect(await page.getByTestId('scan-empty').count()).toBe(1);
      expect(await page.getByTestId('skipped-file').count()).toBe(20);
      await page.getByTestId('skipped-show-all').click();
      expect(await page.getByTestId('skipped-file').count()).toBe(30);
      expect(await page.getByTestId('skipped-show-all').count()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exports are downloads with the suggested name and the exact bytes', async () => {
    const page = app.page;
    const [download, result] = await Promise.all([
      page.waitForEvent('download'),
      page.evaluate(async () => {
        type H = { saveExport(n: string, m: string, b: Uint8Array): Promise<{ saved: boolean; location?: string }> };
        const host = (window as unknown as { __frwTest: { host: H } }).__frwTest.host;
        const bytes = new Uint8Array(300).map((_, i) => (i * 7) % 256);
        return host.saveExport('rapport-lesion-1.pdf', 'application/pdf', bytes);
      }),
    ]);
    expect(result).toEqual({ saved: true, location: 'rapport-lesion-1.pdf' });
    expect(download.suggestedFilename()).toBe('rapport-lesion-1.pdf');
    const path = await download.path();
    const got = readFileSync(path);
    expect(got.length).toBe(300);
    expect([...got].every((v, i) => v === (i * 7) % 256)).toBe(true);
  });

  it('a folder of broken files shows a specific error naming each file; a text file is skipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frw-broken-'));
    try {
      for (const f of BROKEN) copyFileSync(join(PYDICOM, f), join(dir, f));
      writeFileSync(join(dir, 'notes.txt'), 'Not a DICOM file: a note left beside the images.\n');
      writeFileSync(join(dir, 'empty.dcm'), '');
      const scan = await openFolder(app.page, dir);
      expect(scan).not.toBeNull();

      // Every file is accounted for exactly once.
      const seen = [
        ...scan!.errors.map((e) => e.file),
        ...scan!.skipped.map((s) => s.file),
        ...scan!.studies.flatMap((st) => [...st.series.flatMap((s) => s.instances.map((i) => i.file)), ...st.otherObjects.map((o) => o.file)]),
      ].map((p) => p.split('/').pop());
      expect(seen.sort()).toEqual([...BROKEN, 'notes.txt', 'empty.dcm'].sort());

      const byName = (name: string) => scan!.errors.find((e) => e.file.endsWith(name));
      // Truncated files are errors with their own codes, not a generic failure.
      expect(byName('MR_truncated.dcm')?.code).toBe('DICOM_PIXEL_DATA_TRUNCATED');
      expect(byName('rtplan_truncated.dcm')?.code).toMatch(/^DICOM_(TRUNCATED|MALFORMED)$/);
      expect(byName('image_dfl.dcm')?.code).toBe('DICOM_DEFLATE_UNSUPPORTED');

      // The study browser shows each error with the file's name, its code and a message.
      const page = app.page;
      const items = page.getByTestId('scan-error');
      await expect.poll(() => items.count()).toBe(scan!.errors.length);
      expect(scan!.errors.length).toBeGreaterThanOrEqual(3);
      for (const e of scan!.errors) {
        const li = page.locator(`[data-testid="scan-error"][data-file="${e.file}"]`);
        expect(await li.count()).toBe(1);
        const text = await li.innerText();
        expect(text).toContain(e.file.split('/').pop());
        expect(text).toContain(e.code);
        expect(text).toContain(e.message);
        expect(e.message.length).toBeGreaterThan(5);
      }
      const skipped = await page.getByTestId('skipped-file').allInnerTexts();
      expect(skipped.some((t) => t.includes('notes.txt'))).toBe(true);
      await screenshot(page, 'shell-broken');
      expect(app.pageErrors).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('shell: cancel, demo on start, help, language, sessions', () => {
  it('?demo=1 opens the demo on start; a slow open can be cancelled and keeps the previous study', async () => {
    const app = await openApp({ demo: true, language: 'en' });
    try {
      const page = app.page;
      await expect.poll(() => page.getByTestId('series-item').count()).toBe(1);
      const uidBefore = await page.getByTestId('series-item').getAttribute('data-series-uid');
      // Slow the demo files down so the progress bar stays long enough to press Cancel.
      await page.route('**/demo-ct/*.dcm', async (route) => {
        await new Promise((r) => setTimeout(r, 80));
        await route.continue().catch(() => {});
      });
      const before = await scanCount(page);
      await page.getByTestId('open-demo').click();
      await page.getByTestId('scan-progress').waitFor();
      await screenshot(page, 'shell-progress');
      await page.getByTestId('scan-progress-cancel').click();
      await waitForScan(page, before);
      await page.getByTestId('notice').waitFor();
      expect(await page.getByTestId('scan-progress').count()).toBe(0);
      expect(await page.getByTestId('app-errors').count()).toBe(0);
      expect(await page.getByTestId('series-item').getAttribute('data-series-uid')).toBe(uidBefore);

      // Opening again while a scan runs replaces it quietly: no "cancelled" notice for the old one.
      await page.getByTestId('notice').getByRole('button').click();
      const before1 = await scanCount(page);
      await page.getByTestId('open-demo').click();
      await page.getByTestId('scan-progress').waitFor();
      await page.getByTestId('open-demo').click();
      await waitForScan(page, before1 + 1);
      expect(await page.getByTestId('notice').count()).toBe(0);
      expect(await page.getByTestId('app-errors').count()).toBe(0);
      expect(await page.getByTestId('series-item').count()).toBe(1);
      await page.unroute('**/demo-ct/*.dcm');

      // A missing demo is an error in the banner naming the missing file, not a blank screen.
      await page.route('**/demo-ct/manifest.json', (route) => route.fulfill({ status: 404, body: 'not found' }));
      const before2 = await scanCount(page);
      await page.getByTestId('open-demo').click();
      await waitForScan(page, before2);
      const item = page.getByTestId('app-errors-item');
      expect(await item.getAttribute('data-code')).toBe('DEMO_UNAVAILABLE');
      expect(await item.innerText()).toContain('demo-ct/manifest.json');
      await screenshot(page, 'shell-demo-missing');
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('help overlay opens with ? and F1, lists the shortcuts, closes with Escape', async () => {
    const app = await openApp({ language: 'en' });
    try {
      const page = app.page;
      await page.keyboard.press('?');
      await page.getByTestId('help-overlay').waitFor();
      const rows = await page.getByTestId('help-shortcut').allInnerTexts();
      expect(rows.some((r) => r.includes('F1') && r.includes('Show or hide this help'))).toBe(true);
      await screenshot(page, 'shell-help');
      await page.keyboard.press('Escape');
      expect(await page.getByTestId('help-overlay').count()).toBe(0);
      await page.keyboard.press('F1');
      await page.getByTestId('help-overlay').waitFor();
      await page.getByTestId('help-close').click();
      expect(await page.getByTestId('help-overlay').count()).toBe(0);
    } finally {
      await app.close();
    }
  });

  it('issue 14 defect 7: an English system opens in English, a French one in French; the reader\'s choice is remembered over it', async () => {
    const en = await openApp({ locale: 'en-US' });
    try {
      const page = en.page;
      expect(await page.getByTestId('open-folder').innerText()).toBe('Open folder…');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
      // The help button's tooltip is a sentence, not i18next's "returned an object" complaint.
      expect(await page.getByTestId('help-button').getAttribute('title')).toBe('Keyboard shortcuts and mouse (F1 or ?)');
      for (const tab of ['measurements', 'analysis', 'assessment', 'recommendation', 'definitions', 'report']) {
        await page.getByTestId(`side-tab-${tab}`).click();
        expect(await page.evaluate(() => document.body.innerHTML), tab).not.toMatch(/returned an object|key '[^']+' \(/);
      }
      await page.getByTestId('lang-fr').click();
      await page.reload();
      await page.getByTestId('app').waitFor();
      expect(await page.getByTestId('open-folder').innerText()).toBe('Ouvrir un dossier…');
      expect(await page.getByTestId('help-button').getAttribute('title')).toBe('Raccourcis clavier et souris (F1 ou ?)');
    } finally {
      await en.close();
    }
  });

  it('French on a French system, English on request, and the choice survives a reload', async () => {
    const app = await openApp({ locale: 'fr-FR' });
    try {
      const page = app.page;
      expect(await page.getByTestId('open-folder').innerText()).toBe('Ouvrir un dossier…');
      await openFolder(page, TCIA);
      expect(await page.getByTestId('series-slices').innerText()).toBe('134 coupes');
      expect(await page.getByTestId('series-thickness').innerText()).toBe('épaisseur 3 mm');
      await screenshot(page, 'shell-tcia-fr');
      await page.getByTestId('lang-en').click();
      expect(await page.getByTestId('open-folder').innerText()).toBe('Open folder…');
      expect(await page.getByTestId('series-slices').innerText()).toBe('134 slices');
      await page.reload();
      await page.getByTestId('app').waitFor();
      expect(await page.getByTestId('open-folder').innerText()).toBe('Open folder…');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    } finally {
      await app.close();
    }
  });

  it('sessions are kept per series in IndexedDB; a damaged record is set aside and reported', async () => {
    const app = await openApp();
    try {
      const out = await app.page.evaluate(async () => {
        type H = { loadSession(u: string): Promise<unknown>; saveSession(u: string, s: unknown): Promise<void> };
        const host = (window as unknown as { __frwTest: { host: H } }).__frwTest.host;
        const none = await host.loadSession('1.2.3');
        await host.saveSession('1.2.3', { version: 1, lesions: [{ id: 'a', lengthMm: 31.5 }] });
        await host.saveSession('1.2.4', { version: 1, lesions: [] });
        const back = await host.loadSession('1.2.3');
        // Damage the stored record behind the host's back (as a crash or a bad write might).
        await new Promise<void>((res, rej) => {
          const req = indexedDB.open('frw');
          req.onsuccess = () => {
            const tx = req.result.transaction('sessions', 'readwrite');
            tx.objectStore('sessions').put({ format: 'frw-session-record', savedAt: 'x', json: '{"version":1,"lesi' }, '1.2.3');
            tx.oncomplete = () => {
              req.result.close();
              res();
            };
            tx.onerror = () => rej(tx.error);
          };
        });
        let error: unknown = null;
        try {
          await host.loadSession('1.2.3');
        } catch (e) {
          error = { code: (e as { code: string }).code, message: (e as Error).message };
        }
        const afterwards = await host.loadSession('1.2.3');
        const other = await host.loadSession('1.2.4');
        const kept = await new Promise<unknown[]>((res) => {
          const req = indexedDB.open('frw');
          req.onsuccess = () => {
            const all = req.result.transaction('corrupt-sessions').objectStore('corrupt-sessions').getAll();
            all.onsuccess = () => {
              req.result.close();
              res(all.result);
            };
          };
        });
        let unsaveable: unknown = null;
        try {
          await host.saveSession('1.2.5', undefined);
        } catch (e) {
          unsaveable = { code: (e as { code: string }).code };
        }
        return { none, back, error, afterwards, other, kept, unsaveable };
      });
      expect(out.none).toBeNull();
      expect(out.back).toEqual({ version: 1, lesions: [{ id: 'a', lengthMm: 31.5 }] });
      expect(out.error).toMatchObject({ code: 'SESSION_CORRUPT' });
      expect(out.afterwards).toBeNull();
      expect(out.other).toEqual({ version: 1, lesions: [] });
      expect(out.unsaveable).toEqual({ code: 'SESSION_SAVE_FAILED' });
      expect(out.kept).toHaveLength(1);
      expect(out.kept[0]).toMatchObject({ seriesInstanceUid: '1.2.3', record: { json: '{"version":1,"lesi' } });
    } finally {
      await app.close();
    }
  });
});
