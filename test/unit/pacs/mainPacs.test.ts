/**
 * The PACS in Electron's main process, checked in Node (Electron itself cannot run here): the
 * secret store (never a plain file; memory only without a real keychain), the disk cache (size
 * limit, resume), and the IPC handlers end to end against a real Orthanc — retrieve into the
 * cache, scan it like a local folder, serve its files through frw-dicom tokens, cancel, and
 * coded errors that reach the page as values.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { dispatch } from '../../../main/electron/ipc';
import { handleDicomRequest } from '../../../main/electron/protocol';
import { openRecentStore } from '../../../main/electron/recent';
import { createMainServices, type ServiceDeps } from '../../../main/electron/services';
import { createPacsCache } from '../../../main/pacs/cache';
import { createPacsService } from '../../../main/pacs/service';
import { createPacsSettingsStore, type SecretBox } from '../../../main/pacs/settingsStore';
import { scanPaths } from '../../../main/scan/index';
import { createSessionStore } from '../../../main/storage/sessionStore';
import { APP_ORIGIN, dicomFileUrl } from '../../../shared/ipc/channels';
import type { RetrieveProgress } from '../../../shared/pacs/schemas';
import { storeInstances } from '../../../shared/pacs/dicomweb';
import { parseHeader } from '../../../shared/dicom/parseHeader';
import { startOrthanc, type RunningOrthanc } from '../../fixtures/orthanc';
import { buildMultipartRelated } from '../../../shared/pacs/multipart';
import { buildEncapsulatedPdf } from '../../../shared/export/encapsulatedPdf';
import { studyContextFromImage } from '../../../shared/export/studyContext';
import { TCIA_DIR } from '../../data';

const APP = { url: 'frw-app://app/index.html', parent: null };
const SECRET = 'correct horse battery staple';

/** Stands in for the OS keychain: reversible, and never leaves the secret readable in the bytes. */
function fakeKeychain(backend = 'gnome_libsecret'): SecretBox & { calls: number } {
  const box = {
    calls: 0,
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => backend,
    encryptString: (s: string) => {
      box.calls++;
      return Buffer.from([...Buffer.from(s, 'utf8')].map((b) => b ^ 0x5a));
    },
    decryptString: (b: Buffer) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString('utf8'),
  };
  return box;
}

const tmp = () => mkdtempSync(join(tmpdir(), 'frw-pacs-main-'));
const settings = (baseUrl: string) => ({ name: 'Test PACS', baseUrl, auth: 'basic' as const, username: 'frw', timeoutS: 20 });

describe('PACS settings store', () => {
  it('keeps the secret encrypted by the keychain, never in a plain file', async () => {
    const dir = tmp();
    const box = fakeKeychain();
    const store = createPacsSettingsStore(dir, box);
    const state = await store.save(settings('https://pacs.example.org/dicom-web/'), SECRET);
    expect(state).toEqual({ settings: { ...settings('https://pacs.example.org/dicom-web'), username: 'frw' }, secretStored: true, secretStorage: 'os-encrypted' });
    expect(box.calls).toBe(1);
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f)).toString('latin1')).not.toContain(SECRET);
    // A new run of the app (a new store on the same folder) gets it back through the keychain.
    const again = createPacsSettingsStore(dir, box);
    expect((await again.connection()).secret).toBe(SECRET);
    // null keeps it, '' removes it.
    await again.save(settings('https://pacs.example.org/dicom-web'), null);
    expect((await again.connection()).secret).toBe(SECRET);
    await again.save(settings('https://pacs.example.org/dicom-web'), '');
    expect(await again.state()).toMatchObject({ secretStored: false });
    expect(existsSync(join(dir, 'secret.bin'))).toBe(false);
    rmSync(dir, { recursive: true });
  });

  it('never sends one server\'s secret to another: a new origin or another kind of authentication drops it', async () => {
    const dir = tmp();
    const store = createPacsSettingsStore(dir, fakeKeychain());
    await store.save(settings('https://pacs-a.example.org/dicom-web'), SECRET);
    // Same server, another path: kept.
    await store.save(settings('https://pacs-a.example.org/orthanc/dicom-web'), null);
    expect((await store.connection()).secret).toBe(SECRET);
    // Another host, with the field left empty: dropped, not sent there.
    await store.save(settings('http://other-host.example.org/dicom-web'), null);
    expect((await store.connection()).secret).toBe('');
    await store.save(settings('https://pacs-a.example.org/dicom-web'), SECRET);
    // Basic → bearer: a password is not a token.
    await store.save({ ...settings('https://pacs-a.example.org/dicom-web'), auth: 'bearer' }, null);
    expect(await store.state()).toMatchObject({ secretStored: false });
    rmSync(dir, { recursive: true });
  });

  it("keeps the secret in memory only when the OS has no keychain (Linux 'basic_text') or no encryption", async () => {
    for (const box of [fakeKeychain('basic_text'), { ...fakeKeychain(), isEncryptionAvailable: () => false }]) {
      const dir = tmp();
      const store = createPacsSettingsStore(dir, box);
      expect(await store.save(settings('http://127.0.0.1:8042/dicom-web'), SECRET)).toMatchObject({ secretStored: true, secretStorage: 'memory-only' });
      expect((await store.connection()).secret).toBe(SECRET);
      for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f)).toString('latin1')).not.toContain(SECRET);
      expect(existsSync(join(dir, 'secret.bin'))).toBe(false);
      // After a restart the user types it again.
      expect(await createPacsSettingsStore(dir, box).state()).toMatchObject({ secretStored: false, secretStorage: 'memory-only' });
      rmSync(dir, { recursive: true });
    }
  });

  it('refuses bad settings naming the field, and a secret another keychain encrypted reads as absent', async () => {
    const dir = tmp();
    const store = createPacsSettingsStore(dir, fakeKeychain());
    await expect(store.save({ ...settings('ftp://pacs/dicom-web') }, null)).rejects.toMatchObject({ code: 'PACS_SETTINGS_INVALID', field: 'baseUrl' });
    await expect(store.connection()).rejects.toMatchObject({ code: 'PACS_NOT_CONFIGURED' });
    await store.save(settings('https://pacs.example.org/dicom-web'), SECRET);
    const otherMachine = { ...fakeKeychain(), decryptString: () => { throw new Error('Error while decrypting the ciphertext'); } };
    expect(await createPacsSettingsStore(dir, otherMachine).state()).toMatchObject({ secretStored: false });
    rmSync(dir, { recursive: true });
  });
});

describe('PACS disk cache', () => {
  it('drops the least recently used series past its limit, never the ones in use, and clears', async () => {
    const root = tmp();
    const cache = createPacsCache(root, 2500);
    const a = cache.seriesDir('http://x', '1.2.3', '1.2.3.1');
    const b = cache.seriesDir('http://x', '1.2.3', '1.2.3.2');
    const c = cache.seriesDir('http://x', '1.2.3', '1.2.3.3');
    for (const [i, d] of [a, b, c].entries()) {
      await cache.touch(d);
      await cache.put(d, `1.9.${i}.1`, new Uint8Array(1000));
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await cache.info()).toEqual({ usedBytes: 3000, limitBytes: 2500, seriesCount: 3 });
    await cache.touch(a); // a used again: b is now the oldest
    await cache.enforceLimit([c]);
    expect([existsSync(a), existsSync(b), existsSync(c)]).toEqual([true, false, true]);
    expect(await cache.have(a)).toEqual(new Set(['1.9.0.1']));
    expect(await cache.clear()).toEqual({ usedBytes: 0, limitBytes: 2500, seriesCount: 0 });
    rmSync(root, { recursive: true, force: true });
  });

  it('names folders from UIDs only: a hostile UID never becomes a path', () => {
    const cache = createPacsCache('/cache');
    expect(cache.seriesDir('http://x', '../../etc', '1.2')).not.toContain('..');
  });
});

describe('PACS through the main-process IPC handlers, against Orthanc', () => {
  let pacs: RunningOrthanc;
  let dir: string;
  const TCIA_STUDY = '1.3.6.1.4.1.14519.5.2.1.21087345762211724523378497892240459677';
  const TCIA_SERIES = '1.3.6.1.4.1.14519.5.2.1.302382790855582445722435410442490497846';
  const log: string[] = [];
  const progress: RetrieveProgress[] = [];

  async function services(over: Partial<ServiceDeps> = {}) {
    const recent = await openRecentStore(join(dir, 'recent.json'), () => {});
    return createMainServices({
      runScan: (paths) => scanPaths(paths),
      sendProgress: () => {},
      chooseFolders: async () => null,
      chooseSaveTarget: async () => null,
      demoDir: join(dir, 'demo'),
      sessions: createSessionStore({ dir: join(dir, 'sessions'), schema: z.object({ version: z.literal(1) }) }),
      recent,
      appInfo: { appName: 'frw', appVersion: '0.1.0', rulesVersion: '1', electronVersion: '45', chromeVersion: '140', platform: 'linux', packaged: false },
      pacs: createPacsService({ settings: createPacsSettingsStore(join(dir, 'pacs'), fakeKeychain()), cache: createPacsCache(join(dir, 'pacs', 'cache')), log: (m) => log.push(m) }),
      sendPacsProgress: (_id, p) => progress.push(p),
      log: (m) => log.push(m),
      ...over,
    });
  }

  beforeAll(async () => {
    pacs = await startOrthanc();
    dir = tmp();
    const ctDir = join(TCIA_DIR, 'CT');
    const objects = readdirSync(ctDir).map((f) => {
      const bytes = new Uint8Array(readFileSync(join(ctDir, f)));
      const h = parseHeader(bytes, { fileId: f, file: f });
      if (h.kind !== 'instance') throw new Error('unreadable');
      return { sopInstanceUid: h.header.sopInstanceUid, bytes };
    });
    const conn = { ...settings(pacs.dicomWebUrl), secret: pacs.password };
    for (let i = 0; i < objects.length; i += 45) {
      const r = await storeInstances(fetch, conn, TCIA_STUDY, objects.slice(i, i + 45));
      if (!r.ok) throw new Error(r.error.message);
    }
  }, 120_000);
  afterAll(async () => {
    await pacs?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says "not configured" before settings exist, then connects with them', async () => {
    const s = await services();
    expect(await dispatch('pacsTest', APP, {}, s.handlers)).toMatchObject({ ok: false, error: { code: 'PACS_NOT_CONFIGURED' } });
    expect(await dispatch('pacsSaveSettings', APP, { settings: settings(pacs.dicomWebUrl), secret: 'wrong' }, s.handlers)).toMatchObject({ ok: true });
    const denied = await dispatch('pacsTest', APP, {}, s.handlers);
    expect(denied).toMatchObject({ ok: false, error: { code: 'PACS_AUTH' } });
    expect(JSON.stringify(denied)).not.toContain('wrong');
    await dispatch('pacsSaveSettings', APP, { settings: settings(pacs.dicomWebUrl), secret: pacs.password }, s.handlers);
    expect(await dispatch('pacsTest', APP, {}, s.handlers)).toEqual({ ok: true, value: { studiesVisible: true } });
    expect(log.join('\n')).not.toContain(pacs.password);
  });

  it('finds, retrieves into the cache and scans the series; its files are served like local ones; a second retrieval reuses the cache', async () => {
    const s = await services();
    const found = await dispatch('pacsSearch', APP, { query: { patientId: 'Pancreas-CT-CB_001' } }, s.handlers);
    expect(found.ok && found.value.studies.map((x) => x.studyInstanceUid)).toEqual([TCIA_STUDY]);
    const series = await dispatch('pacsListSeries', APP, { studyInstanceUid: TCIA_STUDY }, s.handlers);
    expect(series.ok && series.value.series.map((x) => [x.modality, x.instanceCount])).toEqual([['CT', 134]]);
    progress.length = 0;
    const r = await dispatch('pacsRetrieve', APP, { scanId: 'scan-pacs-0001', studyInstanceUid: TCIA_STUDY, seriesInstanceUid: TCIA_SERIES }, s.handlers);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const ct = r.value.studies[0].series[0];
    expect([ct.seriesInstanceUid, ct.instanceCount, ct.measurable]).toEqual([TCIA_SERIES, 134, true]);
    expect(progress.at(-1)).toMatchObject({ done: 134, total: 134 });
    // The page reads a retrieved slice exactly as a local one: through its frw-dicom token.
    const res = await handleDicomRequest(new Request(dicomFileUrl(ct.instances[0].fileId), { headers: { Origin: APP_ORIGIN } }), s.files);
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(500_000);
    log.length = 0;
    const again = await dispatch('pacsRetrieve', APP, { scanId: 'scan-pacs-0002', studyInstanceUid: TCIA_STUDY, seriesInstanceUid: TCIA_SERIES }, s.handlers);
    expect(again.ok).toBe(true);
    expect(log.join('\n')).toContain('0 fetched, 134 from the cache');
    expect(await dispatch('pacsCacheInfo', APP, {}, s.handlers)).toMatchObject({ ok: true, value: { seriesCount: 1 } });
    // Clearing keeps the open study's images (the viewer and the exports still read them)…
    expect(await dispatch('pacsClearCache', APP, {}, s.handlers)).toMatchObject({ ok: true, value: { seriesCount: 1 } });
    expect(existsSync(join(dir, 'pacs', 'cache'))).toBe(true);
    // …and a later run of the app, with nothing open, clears everything.
    expect(await dispatch('pacsClearCache', APP, {}, (await services()).handlers)).toMatchObject({ ok: true, value: { seriesCount: 0, usedBytes: 0 } });
  });

  it('stores objects by STOW-RS through main (an object already there is said so, not stored twice) and refuses what is not DICOM', async () => {
    const s = await services();
    await dispatch('pacsSaveSettings', APP, { settings: settings(pacs.dicomWebUrl), secret: pacs.password }, s.handlers);
    const ctDir = join(TCIA_DIR, 'CT');
    const one = new Uint8Array(readFileSync(join(ctDir, readdirSync(ctDir).sort()[0])));
    const r = await dispatch('pacsStore', APP, { objects: [one] }, s.handlers);
    expect(r).toMatchObject({ ok: true, value: { stored: [], failed: [] } });
    expect(r.ok && r.value.alreadyPresent).toHaveLength(1);
    const bad = await dispatch('pacsStore', APP, { objects: [new TextEncoder().encode('%PDF-1.4 not a DICOM file')] }, s.handlers);
    expect(bad).toMatchObject({ ok: false, error: { code: 'PACS_STORE_INPUT' } });
  });

  it('opens exactly what the PACS lists: an image it no longer lists is removed from the cache, never opened', async () => {
    const s = await services();
    await dispatch('pacsSaveSettings', APP, { settings: settings(pacs.dicomWebUrl), secret: pacs.password }, s.handlers);
    const first = await dispatch('pacsRetrieve', APP, { scanId: 'scan-pacs-0101', studyInstanceUid: TCIA_STUDY, seriesInstanceUid: TCIA_SERIES }, s.handlers);
    expect(first.ok).toBe(true);
    const cacheRoot = join(dir, 'pacs', 'cache');
    const seriesDir = createPacsCache(cacheRoot).seriesDir(pacs.dicomWebUrl, TCIA_STUDY, TCIA_SERIES);
    // An image removed from the PACS since (a misfiled slice corrected): still in the cache.
    writeFileSync(join(seriesDir, '1.2.826.0.1.9999.1.dcm'), readFileSync(join(seriesDir, readdirSync(seriesDir).find((f) => f.endsWith('.dcm'))!)));
    const again = await dispatch('pacsRetrieve', APP, { scanId: 'scan-pacs-0102', studyInstanceUid: TCIA_STUDY, seriesInstanceUid: TCIA_SERIES }, s.handlers);
    expect(again.ok && again.value.studies[0].series[0].instanceCount).toBe(134);
    expect(existsSync(join(seriesDir, '1.2.826.0.1.9999.1.dcm'))).toBe(false);
  });

  it('a Clear during a retrieval leaves that retrieval whole (its folder is in use)', async () => {
    const s = await services();
    await dispatch('pacsClearCache', APP, {}, s.handlers);
    progress.length = 0;
    const running = dispatch('pacsRetrieve', APP, { scanId: 'scan-pacs-0103', studyInstanceUid: TCIA_STUDY, seriesInstanceUid: TCIA_SERIES }, s.handlers);
    const t0 = Date.now();
    while ((progress.at(-1)?.done ?? 0) < 8 && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 5));
    expect(await dispatch('pacsClearCache', APP, {}, s.handlers)).toMatchObject({ ok: true });
    const r = await running;
    expect(r.ok && r.value.studies[0].series[0].instanceCount).toBe(134);
  });

  it('refuses an image the server sends in place of another, and the series is not opened with a hole', async () => {
    // A proxy or server that mixes up answers: every request for one given slice gets another slice.
    const ctDir = join(TCIA_DIR, 'CT');
    // Two candidate slices: whichever is not the victim stands in for it.
    const candidates = readdirSync(ctDir)
      .sort()
      .slice(0, 2)
      .map((f) => {
        const bytes = new Uint8Array(readFileSync(join(ctDir, f)));
        const h = parseHeader(bytes, { fileId: f, file: f });
        if (h.kind !== 'instance') throw new Error('unreadable');
        return { sop: h.header.sopInstanceUid, bytes };
      });
    let victim = '';
    const swapping = async (url: string, init: RequestInit) => {
      const res = await fetch(url, init);
      const m = /\/instances\/([0-9.]+)$/.exec(url);
      if (!m) return res;
      victim ||= m[1];
      if (m[1] !== victim) return res;
      const other = candidates.find((c) => c.sop !== victim)!.bytes;
      const { body, contentType } = buildMultipartRelated([{ contentType: 'application/dicom', body: other }], 'application/dicom');
      return new Response(body as BodyInit, { status: 200, headers: { 'Content-Type': contentType } });
    };
    const cacheRoot = join(dir, 'pacs', 'cache-swap');
    const service = createPacsService({ settings: createPacsSettingsStore(join(dir, 'pacs-swap'), fakeKeychain()), cache: createPacsCache(cacheRoot), fetch: swapping });
    await service.save(settings(pacs.dicomWebUrl), pacs.password);
    const r = await service.retrieve(TCIA_STUDY, TCIA_SERIES, () => {}, new AbortController().signal).catch((e) => e);
    expect(r).toMatchObject({ code: 'PACS_RETRIEVE_INCOMPLETE' });
    expect(r.message).toContain('1 of 134 images');
    expect(r.message).toContain('another (different instance, series or study)');
  });

  it('a companion object that cannot be had leaves the CT open and names it', async () => {
    // An encapsulated PDF in the TCIA study whose retrieval fails.
    const ctDir = join(TCIA_DIR, 'CT');
    const context = studyContextFromImage(new Uint8Array(readFileSync(join(ctDir, readdirSync(ctDir).sort()[0]))));
    if (!context.ok) throw new Error(context.error.message);
    const pdf = buildEncapsulatedPdf({ context: context.value, pdf: new TextEncoder().encode('%PDF-1.4\n%%EOF\n'), documentTitle: 'Report', createdAt: '2026-12-07T10:00:00.000Z', app: { name: 'frw', version: '0' } });
    const h = parseHeader(pdf, { fileId: 'pdf', file: 'pdf' });
    if (h.kind !== 'instance') throw new Error('pdf unreadable');
    const conn = { ...settings(pacs.dicomWebUrl), secret: pacs.password };
    expect((await storeInstances(fetch, conn, TCIA_STUDY, [{ sopInstanceUid: h.header.sopInstanceUid, bytes: pdf }])).ok).toBe(true);
    const failingPdf = (url: string, init: RequestInit) => (url.includes(h.header.seriesInstanceUid) && url.includes('/instances/') ? Promise.reject(new TypeError('socket hang up')) : fetch(url, init));
    const s = await services({ pacs: createPacsService({ settings: createPacsSettingsStore(join(dir, 'pacs'), fakeKeychain()), cache: createPacsCache(join(dir, 'pacs', 'cache')), fetch: failingPdf }) });
    await dispatch('pacsSaveSettings', APP, { settings: settings(pacs.dicomWebUrl), secret: pacs.password }, s.handlers);
    const r = await dispatch('pacsRetrieve', APP, { scanId: 'scan-pacs-0104', studyInstanceUid: TCIA_STUDY, seriesInstanceUid: TCIA_SERIES }, s.handlers);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.studies[0].series[0].instanceCount).toBe(134);
    const problem = r.value.errors.find((e) => e.code === 'PACS_COMPANION_MISSING');
    expect(problem?.file).toContain('Test PACS/DOC 9902');
    expect(problem?.message).toContain("The study's DOC 9902");
    expect(problem?.message).toContain('the CT is open without it');
  });

  it('cancels a retrieval with the scan id (SCAN_CANCELLED, how many kept) and refuses a study with no CT', async () => {
    const s = await services();
    await dispatch('pacsClearCache', APP, {}, s.handlers); // nothing cached: the retrieval has work to cancel
    progress.length = 0;
    const running = dispatch('pacsRetrieve', APP, { scanId: 'scan-pacs-0003', studyInstanceUid: TCIA_STUDY, seriesInstanceUid: TCIA_SERIES }, s.handlers);
    const t0 = Date.now();
    while (progress.length === 0 || (progress.at(-1)?.done ?? 0) < 5) {
      if (Date.now() - t0 > 20_000) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await dispatch('cancelScan', APP, { scanId: 'scan-pacs-0003' }, s.handlers)).toEqual({ ok: true, value: { cancelled: true } });
    const r = await running;
    expect(r).toMatchObject({ ok: false, error: { code: 'SCAN_CANCELLED' } });
    expect(!r.ok && r.error.message).toMatch(/\d+ of 134 images kept/);
    const wrong = await dispatch('pacsRetrieve', APP, { scanId: 'scan-pacs-0004', studyInstanceUid: '1.2.3.4.5', seriesInstanceUid: '1.2.3.4.5.6' }, s.handlers);
    expect(wrong).toMatchObject({ ok: false, error: { code: 'PACS_NO_CT_SERIES' } });
  });
});
