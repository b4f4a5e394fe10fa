/**
 * `npm run bench pacs`: the 134-slice TCIA planning CT retrieved from a local Orthanc (DICOMweb,
 * auth on, started here) against the same files read from disk, in one run, as ratios:
 *
 * - In headless Chromium (browser host, the real UI, through the serving origin's proxy): from the
 *   click on "Open" in the PACS window (or the folder input's change) to the first axial image
 *   and to the complete volume with its reformats (the viewer's marks).
 * - In Node, the Electron main-process path: retrieval into the disk cache plus the scan, cold
 *   (empty cache) and warm (everything cached: a re-open), against scanning the folder on disk.
 *
 * Each measure is the median of RUNS runs, alternating PACS and disk so the machine's drift hits both.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATA_DIR, openApp, openFolder, type App } from '../e2e/harness';
import { startOrthanc, type RunningOrthanc } from '../fixtures/orthanc';
import { storeInstances } from '../../shared/pacs/dicomweb';
import { parseHeader } from '../../shared/dicom/parseHeader';
import { createPacsCache } from '../../main/pacs/cache';
import { createPacsService } from '../../main/pacs/service';
import { createPacsSettingsStore } from '../../main/pacs/settingsStore';
import { scanPaths } from '../../main/scan/index';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TCIA = join(DATA_DIR, 'tcia-pancreas-planning-ct');
const TCIA_CT = join(TCIA, 'CT');

interface Marks {
  first: number;
  complete: number;
}

async function viewerMarks(app: App): Promise<Marks> {
  const page = app.page;
  await page.waitForFunction(
    () => ['done', 'error', 'cancelled'].includes(document.querySelector('[data-testid="viewer"]')?.getAttribute('data-phase') ?? ''),
    null,
    { timeout: 180_000, polling: 50 },
  );
  if ((await page.getByTestId('viewer').getAttribute('data-phase')) !== 'done') throw new Error('viewer did not finish');
  if ((await page.evaluate('window.frwViewer.cpuRendering()')) !== false) throw new Error('CPU rendering fallback');
  const m = (await page.evaluate('({ chosen: window.__frwChosenAt, ...window.frwViewer.marks() })')) as Record<string, number>;
  return { first: m.firstImage - m.chosen, complete: m.complete - m.chosen };
}

async function fromDisk(): Promise<Marks> {
  const app = await openApp({ language: 'en' });
  try {
    await app.page.evaluate(`document.addEventListener('change', () => { window.__frwChosenAt = performance.now(); }, true)`);
    await openFolder(app.page, TCIA);
    return await viewerMarks(app);
  } finally {
    await app.close();
  }
}

async function fromPacs(pacs: RunningOrthanc, patientId: string): Promise<Marks> {
  const app = await openApp({ language: 'en' });
  try {
    const page = app.page;
    await page.getByTestId('open-pacs').click();
    await page.getByTestId('pacs-url').fill(pacs.dicomWebUrl);
    await page.getByTestId('pacs-username').fill(pacs.username);
    await page.getByTestId('pacs-secret').fill(pacs.password);
    await page.getByTestId('pacs-save').click();
    await page.getByTestId('pacs-settings-status').filter({ hasText: 'saved' }).waitFor();
    await page.getByTestId('pacs-q-patient-id').fill(patientId);
    await page.getByTestId('pacs-search').click();
    await page.getByTestId('pacs-study').first().click();
    await page.getByTestId('pacs-open-series').waitFor();
    await page.evaluate(`document.addEventListener('click', (e) => { if (e.target.closest('[data-testid="pacs-open-series"]')) window.__frwChosenAt = performance.now(); }, true)`);
    await page.getByTestId('pacs-open-series').click();
    return await viewerMarks(app);
  } finally {
    await app.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => String(Math.round(x)).padStart(8);

const pacs = await startOrthanc();
const work = mkdtempSync(join(tmpdir(), 'frw-bench-pacs-'));
try {
  const objects = readdirSync(TCIA_CT).map((f) => {
    const bytes = new Uint8Array(readFileSync(join(TCIA_CT, f)));
    const h = parseHeader(bytes, { fileId: f, file: join(TCIA_CT, f) });
    if (h.kind !== 'instance') throw new Error(`unreadable ${f}`);
    return h.header;
  });
  const conn = { name: 'bench', baseUrl: pacs.dicomWebUrl, auth: 'basic' as const, username: pacs.username, secret: pacs.password, timeoutS: 60 };
  const study = objects[0].studyInstanceUid;
  const series = objects[0].seriesInstanceUid;
  for (let i = 0; i < objects.length; i += 40) {
    const r = await storeInstances(fetch, conn, study, objects.slice(i, i + 40).map((h) => ({ sopInstanceUid: h.sopInstanceUid, bytes: new Uint8Array(readFileSync(h.file)) })));
    if (!r.ok) throw new Error(r.error.message);
  }

  // Chromium, the real UI.
  const disk: Marks[] = [];
  const web: Marks[] = [];
  for (let i = 0; i < RUNS; i++) {
    disk.push(await fromDisk());
    web.push(await fromPacs(pacs, objects[0].patientId));
  }
  // Node: the Electron main-process path (retrieve into the cache + scan) against a scan of the folder.
  const settings = createPacsSettingsStore(join(work, 'settings'), { isEncryptionAvailable: () => false, encryptString: () => Buffer.alloc(0), decryptString: () => '' });
  await settings.save({ name: 'bench', baseUrl: pacs.dicomWebUrl, auth: 'basic', username: pacs.username }, pacs.password);
  const cacheDir = join(work, 'cache');
  const service = createPacsService({ settings, cache: createPacsCache(cacheDir) });
  const cold: number[] = [];
  const warm: number[] = [];
  const scan: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    rmSync(cacheDir, { recursive: true, force: true });
    let t = performance.now();
    await scanPaths((await service.retrieve(study, series, () => {}, new AbortController().signal)).folders);
    cold.push(performance.now() - t);
    t = performance.now();
    await scanPaths((await service.retrieve(study, series, () => {}, new AbortController().signal)).folders);
    warm.push(performance.now() - t);
    t = performance.now();
    await scanPaths([TCIA_CT]);
    scan.push(performance.now() - t);
  }

  const mf = (xs: Marks[], k: keyof Marks) => median(xs.map((x) => x[k]));
  const out = [
    `\nTCIA planning CT (134 × 512², ${(objects.length && (readdirSync(TCIA_CT).reduce((n, f) => n + readFileSync(join(TCIA_CT, f)).length, 0) / 1048576).toFixed(0))} MiB), local Orthanc over DICOMweb vs disk, median of ${RUNS} runs\n`,
    `Chromium, browser host (ms from the click / the folder chosen)   PACS      disk   ratio`,
    `  first image                                               ${ms(mf(web, 'first'))}  ${ms(mf(disk, 'first'))}  ${(mf(web, 'first') / mf(disk, 'first')).toFixed(2)}`,
    `  complete volume + reformats                               ${ms(mf(web, 'complete'))}  ${ms(mf(disk, 'complete'))}  ${(mf(web, 'complete') / mf(disk, 'complete')).toFixed(2)}`,
    `Node, Electron main path (retrieve to cache + scan vs scan of the folder)`,
    `  cold cache                                                ${ms(median(cold))}  ${ms(median(scan))}  ${(median(cold) / median(scan)).toFixed(2)}`,
    `  warm cache (re-open)                                      ${ms(median(warm))}  ${ms(median(scan))}  ${(median(warm) / median(scan)).toFixed(2)}`,
    `runs (PACS first/complete): ${web.map((w) => `${Math.round(w.first)}/${Math.round(w.complete)}`).join(' ')}; disk: ${disk.map((w) => `${Math.round(w.first)}/${Math.round(w.complete)}`).join(' ')}`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
} finally {
  await pacs.stop();
  rmSync(work, { recursive: true, force: true });
}
