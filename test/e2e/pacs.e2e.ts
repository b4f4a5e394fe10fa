/**
 * Issue 16 in Chromium against a real Orthanc (auth on, loopback, started here): the browser
 * host reaches it through the serving origin's proxy, as `npm run web` does. The TCIA planning
 * CT, the demo CT and an MR-only study are uploaded; the reader configures the connection (a
 * wrong password first), searches by patient ID, opens the TCIA series (retrieved with progress,
 * then scanned like a folder: same images as the files on disk), finds that an MR study has no CT
 * to measure; opens the demo CT from the PACS, measures it and stores SR + encapsulated PDF back
 * into its study (QIDO finds both; storing the same report again is no duplicate); a fresh
 * session retrieves the study with its SR and restores the same number; and the server going
 * down is said plainly while the open study stays.
 * Screenshot: test-results/pacs-dialog.png.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listInstances, listSeries, retrieveInstance, storeInstances } from '../../shared/pacs/dicomweb';
import { readMeasurementReportSr } from '../../shared/export/srRead';
import type { Page } from 'playwright-core';
import { parseHeader } from '../../shared/dicom/parseHeader';
import { currentScan, currentSeries, DATA_DIR, DEMO_DIR, ensureDemo, openApp, screenshot, scanCount, waitForScan, type App } from './harness';
import { viewerLoaded } from './viewerProbe';
import { startOrthanc, type RunningOrthanc } from '../fixtures/orthanc';
import { makeSyntheticCt } from '../fixtures/synthetic-ct';
import { writeCtSeries } from '../fixtures/dicom-writer';
import { PLANNING_SPEC, syntheticPlanningRtStruct } from '../fixtures/synthetic-rtstruct';

const TCIA_CT = join(DATA_DIR, 'tcia-pancreas-planning-ct', 'CT');
const MR_FILE = join(DATA_DIR, 'pydicom-test-files', 'src', 'pydicom', 'data', 'test_files', 'MR_small_RLE.dcm');

interface Uploaded {
  patientId: string;
  studyUid: string;
  seriesUid: string;
  sops: string[];
}

async function upload(pacs: RunningOrthanc, files: string[]): Promise<Uploaded> {
  const conn = { name: 'setup', baseUrl: pacs.dicomWebUrl, auth: 'basic' as const, username: pacs.username, secret: pacs.password, timeoutS: 30 };
  const objects = files.map((f) => {
    const bytes = new Uint8Array(readFileSync(f));
    const h = parseHeader(bytes, { fileId: f, file: f });
    if (h.kind !== 'instance') throw new Error(`unreadable ${f}`);
    return { h: h.header, bytes };
  });
  const { studyInstanceUid: studyUid, seriesInstanceUid: seriesUid, patientId } = objects[0].h;
  for (let i = 0; i < objects.length; i += 40) {
    const r = await storeInstances(fetch, conn, studyUid, objects.slice(i, i + 40).map((o) => ({ sopInstanceUid: o.h.sopInstanceUid, bytes: o.bytes })));
    if (!r.ok) throw new Error(r.error.message);
  }
  return { patientId, studyUid, seriesUid, sops: objects.map((o) => o.h.sopInstanceUid).sort() };
}

describe('PACS over DICOMweb (Orthanc)', () => {
  let pacs: RunningOrthanc;
  let app: App;
  let tcia: Uploaded;
  let mr: Uploaded;
  let demo: Uploaded;
  let measuredMm: number;
  const conn = () => ({ name: 'check', baseUrl: pacs.dicomWebUrl, auth: 'basic' as const, username: pacs.username, secret: pacs.password, timeoutS: 30 });

  async function configure(page: Page) {
    await page.getByTestId('open-pacs').click();
    await page.getByTestId('pacs-name').fill('Orthanc (test)');
    await page.getByTestId('pacs-url').fill(pacs.dicomWebUrl);
    await page.getByTestId('pacs-username').fill(pacs.username);
    await page.getByTestId('pacs-secret').fill(pacs.password);
    await page.getByTestId('pacs-save').click();
    await expect.poll(() => page.getByTestId('pacs-settings-status').getAttribute('data-kind')).toBe('ok');
    await page.getByTestId('pacs-close').click();
  }

  /** PACS window (opened if needed) → search by patient ID (and modality) → the one study found, chosen. */
  async function chooseStudy(page: Page, patientId: string, modality = 'CT') {
    if ((await page.getByTestId('pacs-dialog').count()) === 0) await page.getByTestId('open-pacs').click();
    await page.getByTestId('pacs-q-patient-id').fill(patientId);
    await page.getByTestId('pacs-q-modality').fill(modality);
    await page.getByTestId('pacs-search').click();
    await expect.poll(() => page.getByTestId('pacs-study').count(), { timeout: 15_000 }).toBe(1);
    await page.getByTestId('pacs-study').click();
  }

  /** chooseStudy, then Open its CT; waits for the scan. */
  async function openFromPacs(page: Page, patientId: string) {
    await chooseStudy(page, patientId);
    const before = await scanCount(page);
    await page.getByTestId('pacs-open-series').click();
    await waitForScan(page, before);
  }

  beforeAll(async () => {
    pacs = await startOrthanc();
    ensureDemo();
    tcia = await upload(pacs, readdirSync(TCIA_CT).map((f) => join(TCIA_CT, f)));
    demo = await upload(pacs, (JSON.parse(readFileSync(join(DEMO_DIR, 'manifest.json'), 'utf8')).files as string[]).map((f) => join(DEMO_DIR, f)));
    mr = await upload(pacs, [MR_FILE]);
    app = await openApp({ language: 'en' });
  });
  afterAll(async () => {
    await app?.close();
    await pacs?.stop();
  });

  it('configures the connection: a wrong password is said as such, then it connects', async () => {
    const page = app.page;
    await page.getByTestId('open-pacs').click();
    await expect.poll(() => page.getByTestId('pacs-settings').getAttribute('data-open')).toBe('true');
    expect(await page.getByTestId('pacs-search').isDisabled()).toBe(true);
    await page.getByTestId('pacs-name').fill('Orthanc (test)');
    await page.getByTestId('pacs-url').fill(pacs.dicomWebUrl + '/');
    await page.getByTestId('pacs-auth').selectOption('basic');
    await page.getByTestId('pacs-username').fill(pacs.username);
    await page.getByTestId('pacs-secret').fill('not-the-password');
    await page.getByTestId('pacs-test').click();
    const status = page.getByTestId('pacs-settings-status');
    await expect.poll(() => status.getAttribute('data-kind'), { timeout: 15_000 }).toBe('error');
    expect(await status.getAttribute('data-code')).toBe('PACS_AUTH');
    expect(await status.innerText()).toContain('refused the credentials (HTTP 401)');
    // The browser host says where the secret is kept (memory only: no keychain in a browser tab).
    expect(await page.getByTestId('pacs-secret-storage').innerText()).toContain('memory for this session only');
    await page.getByTestId('pacs-secret').fill(pacs.password);
    await page.getByTestId('pacs-test').click();
    await expect.poll(() => status.getAttribute('data-kind'), { timeout: 15_000 }).toBe('ok');
    expect(await status.innerText()).toContain('Connected');
    // The secret is never stored by the page: only the settings are.
    const stored = await page.evaluate(() => JSON.stringify(window.localStorage));
    expect(stored).toContain(pacs.dicomWebUrl);
    expect(stored).not.toContain(pacs.password);
  });

  it('cancels a retrieval from the progress bar: said so, nothing half-opened', async () => {
    const page = app.page;
    await chooseStudy(page, tcia.patientId);
    const before = await scanCount(page);
    await page.getByTestId('pacs-open-series').click();
    await page.getByTestId('scan-progress-cancel').click();
    await waitForScan(page, before);
    expect(await page.getByTestId('notice').innerText()).toContain('Retrieval cancelled');
    expect(await currentSeries(page)).toBeNull();
    await page.getByTestId('open-pacs').click();
  });

  it('finds the TCIA study by patient ID, lists its series, retrieves it with progress and opens the same images as on disk', async () => {
    const page = app.page;
    await page.getByTestId('pacs-q-patient-id').fill(tcia.patientId);
    await page.getByTestId('pacs-search').click();
    await expect.poll(() => page.getByTestId('pacs-study').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByTestId('pacs-study').getAttribute('data-study-uid')).toBe(tcia.studyUid);
    expect(await page.getByTestId('pacs-study').innerText()).toContain('2012-07-06');
    await page.getByTestId('pacs-study').click();
    await expect.poll(() => page.getByTestId('pacs-series').count()).toBe(1);
    expect(await page.getByTestId('pacs-series').innerText()).toContain('134 images');
    await screenshot(page, 'pacs-dialog');
    const before = await scanCount(page);
    const sawProgress = page
      .getByTestId('scan-progress')
      .waitFor({ timeout: 10_000 })
      .then(() => true)
      .catch(() => false);
    await page.getByTestId('pacs-open-series').click();
    expect(await page.getByTestId('pacs-dialog').count()).toBe(0);
    const scan = await waitForScan(page, before);
    expect(await sawProgress).toBe(true);
    const series = await currentSeries(page);
    expect(series?.seriesInstanceUid).toBe(tcia.seriesUid);
    expect(series?.measurable).toBe(true);
    expect(series?.instances.map((i) => i.sopInstanceUid).sort()).toEqual(tcia.sops);
    expect(scan?.studies[0].patientId).toBe(tcia.patientId);
    await viewerLoaded(page);
    // Bytes the viewer reads are the files on disk, byte for byte (first and last slice).
    for (const inst of [series!.instances[0], series!.instances.at(-1)!]) {
      const got = (await page.evaluate(async (id) => Array.from(new Uint8Array(await (window as unknown as { __frwTest: { host: { readFile(i: string): Promise<ArrayBuffer> } } }).__frwTest.host.readFile(id))).length, inst.fileId)) as number;
      const onDisk = readdirSync(TCIA_CT)
        .map((f) => readFileSync(join(TCIA_CT, f)))
        .find((b) => {
          const h = parseHeader(new Uint8Array(b), { fileId: 'x', file: 'x' });
          return h.kind === 'instance' && h.header.sopInstanceUid === inst.sopInstanceUid;
        });
      expect(got).toBe(onDisk?.length);
    }
    expect(app.pageErrors).toEqual([]);
  });

  it('says a study without CT has nothing to measure, and offers no Open', async () => {
    const page = app.page;
    await chooseStudy(page, mr.patientId, '');
    await expect.poll(() => page.getByTestId('pacs-no-ct').count()).toBe(1);
    expect(await page.getByTestId('pacs-no-ct').innerText()).toContain('no CT series (MR)');
    expect(await page.getByTestId('pacs-open-series').count()).toBe(0);
  });

  it('retrieves the demo CT, measures it, stores SR + PDF into its study (QIDO finds both), and storing again makes no duplicate', async () => {
    const page = app.page;
    await openFromPacs(page, demo.patientId);
    expect((await currentSeries(page))?.seriesInstanceUid).toBe(demo.seriesUid);
    await viewerLoaded(page);
    await page.getByTestId('side-tab-measurements').click();
    await page.getByTestId('measure-tool-AxialLength').click();
    const box = (await page.getByTestId('viewport-sagittal').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.35);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.65, { steps: 8 });
    await page.mouse.up();
    const row = page.locator('[data-testid="measurement-row"][data-kind="axialLengthMm"]');
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    measuredMm = Number(await row.getAttribute('data-value'));
    expect(measuredMm).toBeGreaterThan(5);

    await page.getByTestId('side-tab-report').click();
    await page.getByTestId('report-reader').fill('E2E');
    await page.getByTestId('report-reader').blur();
    await page.getByTestId('dicom-store-pacs').click();
    const status = page.getByTestId('dicom-status');
    await expect.poll(() => status.getAttribute('data-kind'), { timeout: 30_000 }).toBe('stored');
    expect(await status.innerText()).toContain("Stored in the PACS 'Orthanc (test)': 2 objects.");
    // The same report stored again: the PACS already has both documents.
    await page.getByTestId('dicom-store-pacs').click();
    await expect.poll(() => status.innerText(), { timeout: 30_000 }).toContain('2 objects were already there (not stored twice)');

    // QIDO: the study now holds the CT, one SR and one encapsulated PDF.
    const series = await listSeries(fetch, conn(), demo.studyUid);
    expect(series.ok && series.value.map((x) => [x.modality, x.instanceCount]).sort()).toEqual([
      ['CT', demo.sops.length],
      ['DOC', 1],
      ['SR', 1],
    ]);
    const sr = series.ok ? series.value.find((x) => x.modality === 'SR')! : null;
    const refs = await listInstances(fetch, conn(), demo.studyUid, sr!.seriesInstanceUid);
    const bytes = await retrieveInstance(fetch, conn(), refs.ok ? refs.value[0] : (null as never));
    expect(bytes.ok).toBe(true);
    const read = readMeasurementReportSr(bytes.ok ? bytes.value : new Uint8Array(), { patientId: demo.patientId, seriesInstanceUid: demo.seriesUid });
    // DS keeps 10 significant digits: the same number to far below what the UI shows (0.1 mm).
    const values = read.ok ? read.value.lesions[0].measurements.map((m) => m.value) : [];
    expect(values).toHaveLength(1);
    expect(Math.abs(values[0] - measuredMm)).toBeLessThan(1e-6);
    expect(app.pageErrors).toEqual([]);
  });

  it('a fresh session retrieves the study again with its SR and gets the same number back', async () => {
    await app.close();
    app = await openApp({ language: 'en' });
    const page = app.page;
    await configure(page);
    await openFromPacs(page, demo.patientId);
    const scan = await currentScan(page);
    expect(scan?.studies[0].otherObjects.map((o) => o.modality).sort()).toEqual(['DOC', 'SR']);
    await viewerLoaded(page);
    await page.getByTestId('side-tab-report').click();
    await page.getByTestId('dicom-restore-sr').click();
    await expect.poll(() => page.getByTestId('dicom-status').getAttribute('data-kind')).toBe('restored');
    await page.getByTestId('side-tab-measurements').click();
    const row = page.locator('[data-testid="measurement-row"][data-kind="axialLengthMm"]');
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(Math.abs(Number(await row.getAttribute('data-value')) - measuredMm)).toBeLessThan(1e-6);
    await screenshot(page, 'pacs-sr-restored');
    // The whole restore is one undo step, and redo brings it back.
    await page.getByTestId('measure-undo').click();
    await expect.poll(() => page.getByTestId('measurement-row').count()).toBe(0);
    expect(await page.getByTestId('lesion-row').count()).toBe(0);
    await page.getByTestId('measure-redo').click();
    await expect.poll(() => row.count()).toBe(1);
    expect(app.pageErrors).toEqual([]);
  });

  it('a retrieval cut off midway (the server crashes) says how many images are missing; once the server is back, Open again completes it', async () => {
    const page = app.page;
    await page.getByTestId('open-pacs').click();
    // Nothing cached: the demo retrieved above is dropped.
    await page.getByTestId('pacs-cache-clear').click();
    await expect.poll(() => page.getByTestId('pacs-cache').innerText()).toContain('0 series');
    await chooseStudy(page, tcia.patientId);
    const before = await scanCount(page);
    await page.getByTestId('pacs-open-series').click();
    const arrived = async () => Number(/(\d+) \/ 134 images/.exec((await page.getByTestId('scan-progress').innerText().catch(() => '')) ?? '')?.[1] ?? 0);
    await expect.poll(arrived, { timeout: 20_000, interval: 20 }).toBeGreaterThanOrEqual(20);
    await pacs.kill('SIGKILL');
    await waitForScan(page, before);
    const error = page.getByTestId('app-errors-item');
    expect(await error.getAttribute('data-code')).toBe('PACS_RETRIEVE_INCOMPLETE');
    const text = await error.innerText();
    const missing = Number(/(\d+) of 134 images of the series did not arrive/.exec(text)?.[1]);
    expect(missing).toBeGreaterThan(0);
    expect(missing).toBeLessThanOrEqual(114);
    expect(text).toContain('retrieve again to fetch only the missing ones');
    // The study that was open stays open.
    expect((await currentSeries(page))?.seriesInstanceUid).toBe(demo.seriesUid);

    await pacs.restart();
    await openFromPacs(page, tcia.patientId);
    const series = await currentSeries(page);
    expect(series?.seriesInstanceUid).toBe(tcia.seriesUid);
    expect(series?.instances.map((i) => i.sopInstanceUid).sort()).toEqual(tcia.sops);
  });

  it('a planning CT from the PACS comes with its RTSTRUCT: the RT tab lists and checks its structures (issue 17)', async () => {
    const planningDir = mkdtempSync(join(tmpdir(), 'frw-pacs-rt-'));
    try {
      const ct = makeSyntheticCt(PLANNING_SPEC);
      await writeCtSeries(ct.volume, planningDir, { uidSeed: 'pacs-rt-e2e', seriesDescription: 'synthetic planning CT' });
      writeFileSync(join(planningDir, 'planning-rt.dcm'), syntheticPlanningRtStruct(ct, { uidSeed: 'pacs-rt-e2e' }));
      const cts = readdirSync(planningDir).filter((f) => f !== 'planning-rt.dcm');
      const planning = await upload(pacs, cts.map((f) => join(planningDir, f)));
      await upload(pacs, [join(planningDir, 'planning-rt.dcm')]);
      const page = app.page;
      await openFromPacs(page, planning.patientId);
      const scan = await currentScan(page);
      expect(scan?.studies[0].otherObjects.map((o) => o.modality)).toEqual(['RTSTRUCT']);
      expect((await currentSeries(page))?.kind).toBe('dosimetric');
      await page.getByTestId('side-tab-rt').click();
      await expect.poll(() => page.getByTestId('rt-roi').count(), { timeout: 15_000 }).toBe(4);
      const names = await page.getByTestId('rt-roi').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
      expect(names).toEqual(['GTV_femur', 'PTV', 'BONE_femur', 'OAR_vessel']);
      expect(await page.getByTestId('rt-error').count()).toBe(0);
      expect(app.pageErrors).toEqual([]);
    } finally {
      rmSync(planningDir, { recursive: true, force: true });
    }
  });

  it('the server going down is said plainly, and the open study stays', async () => {
    const page = app.page;
    const openSeries = (await currentSeries(page))?.seriesInstanceUid;
    await page.getByTestId('open-pacs').click();
    await pacs.kill();
    await page.getByTestId('pacs-q-patient-id').fill(tcia.patientId);
    await page.getByTestId('pacs-search').click();
    const status = page.getByTestId('pacs-status');
    await expect.poll(() => status.getAttribute('data-code'), { timeout: 15_000 }).toBe('PACS_UNREACHABLE');
    expect(await status.innerText()).toContain("Cannot reach the PACS 'Orthanc (test)'");
    await page.getByTestId('pacs-close').click();
    expect((await currentSeries(page))?.seriesInstanceUid).toBe(openSeries);
    expect(app.pageErrors).toEqual([]);
  });
});
