import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { dispatch } from '../../../main/electron/ipc';
import { handleDicomRequest } from '../../../main/electron/protocol';
import { openRecentStore } from '../../../main/electron/recent';
import { createMainServices, type RunScan, type ServiceDeps } from '../../../main/electron/services';
import { createSessionStore } from '../../../main/storage/sessionStore';
import { APP_ORIGIN, dicomFileUrl } from '../../../shared/ipc/channels';
import type { ScanResult } from '../../../shared/schemas/scan';
import { scanPaths } from '../../../main/scan/index';
import { TCIA_DIR } from '../../data';

const APP = { url: 'frw-app://app/index.html', parent: null };
let dir: string;
let study: string;

/**
 * Scan results come from the real scanner (in this thread) so they always match the scan
 * schema main validates its answers with. The "chosen" folder is the TCIA CT, read in place.
 */
const TCIA = TCIA_DIR;
const fakeScan = (paths: string[]): Promise<ScanResult> => scanPaths(paths);

async function setup(overrides: Partial<ServiceDeps> = {}) {
  const runScan = vi.fn<RunScan>((paths) => fakeScan(paths));
  const sent: unknown[] = [];
  const recent = await openRecentStore(join(dir, 'recent.json'), () => {});
  const services = createMainServices({
    runScan,
    sendProgress: (scanId, p) => sent.push({ scanId, p }),
    chooseFolders: async () => null,
    chooseSaveTarget: async () => null,
    demoDir: join(dir, 'demo-ct'),
    sessions: createSessionStore({ dir: join(dir, 'sessions'), schema: z.object({ version: z.literal(1) }) }),
    recent,
    appInfo: { appName: 'frw', appVersion: '0.1.0', rulesVersion: '1.0.0', electronVersion: '45', chromeVersion: '140', platform: 'linux', packaged: false },
    ...overrides,
  });
  return { services, runScan, sent, recent };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'frw-services-'));
  study = TCIA;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('open study', () => {
  it('returns null when the dialog is cancelled, without scanning', async () => {
    const { services, runScan } = await setup();
    expect(await dispatch('openStudy', APP, { scanId: 'scan-00000001' }, services.handlers)).toEqual({ ok: true, value: null });
    expect(runScan).not.toHaveBeenCalled();
  });

  it('scans the chosen folder, hands out tokens that the protocol serves, and remembers it', async () => {
    const { services } = await setup({ chooseFolders: async () => [study] });
    const r = await dispatch('openStudy', APP, { scanId: 'scan-00000002' }, services.handlers);
    expect(r.ok).toBe(true);
    if (!r.ok || !r.value) return;
    const ct = r.value.studies[0].series.find((s) => s.modality === 'CT')!;
    expect(ct.instanceCount).toBe(134);
    const { fileId: token, file } = ct.instances[0];
    expect(token).not.toContain(TCIA);
    const bytes = await handleDicomRequest(new Request(dicomFileUrl(token), { headers: { Origin: APP_ORIGIN } }), services.files);
    expect(bytes.status).toBe(200);
    const body = new Uint8Array(await bytes.arrayBuffer());
    expect(Buffer.from(body).equals(readFileSync(file.startsWith('/') ? file : join(TCIA, file)))).toBe(true);
    expect(services.recentStudies().map((s) => s.path)).toEqual([study]);
    expect(JSON.parse(readFileSync(join(dir, 'recent.json'), 'utf8')).studies[0].label).toBe('tcia-pancreas-planning-ct');
  });

  it('refuses paths the user never chose (a compromised page cannot scan the disk)', async () => {
    const { services, runScan } = await setup();
    const r = await dispatch('openStudy', APP, { scanId: 'scan-00000003', paths: ['/etc'] }, services.handlers);
    expect(r).toMatchObject({ ok: false, error: { code: 'PATH_NOT_OFFERED', field: 'paths' } });
    expect(runScan).not.toHaveBeenCalled();
  });

  it('opens a path given on the command line or offered by the menu, without a dialog', async () => {
    const { services, runScan } = await setup({ launchPaths: [study] });
    expect((await dispatch('openStudy', APP, { scanId: 'scan-00000004', paths: [study] }, services.handlers)).ok).toBe(true);
    const other = join(dir, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'not DICOM');
    services.offerPath(other);
    expect((await dispatch('openStudy', APP, { scanId: 'scan-00000005', paths: [other] }, services.handlers)).ok).toBe(true);
    expect(runScan).toHaveBeenCalledTimes(2);
  });

  it('says which folder is gone', async () => {
    const gone = join(dir, 'unplugged');
    const { services } = await setup({ launchPaths: [gone] });
    const r = await dispatch('openStudy', APP, { scanId: 'scan-00000006', paths: [gone] }, services.handlers);
    expect(r).toMatchObject({ ok: false, error: { code: 'PATH_NOT_FOUND', file: gone } });
  });

  it('reports a missing demo CT with the command that makes it', async () => {
    const { services } = await setup();
    const r = await dispatch('openDemo', APP, { scanId: 'scan-00000007' }, services.handlers);
    expect(r).toMatchObject({ ok: false, error: { code: 'DEMO_MISSING' } });
    if (!r.ok) expect(r.error.message).toContain('npm run demo');
  });

  it('forwards progress under the scan id and cancels on request with SCAN_CANCELLED', async () => {
    let release!: () => void;
    const runScan: RunScan = (paths, { onProgress, signal }) =>
      new Promise((resolve, reject) => {
        onProgress({ phase: 'walking', filesFound: 3, filesParsed: 0 });
        signal.addEventListener('abort', () => reject(new Error('stopped')));
        release = () => void fakeScan(paths).then(resolve);
      });
    mkdirSync(join(dir, 'demo-ct'));
    const { services, sent } = await setup({ runScan });
    const running = dispatch('openDemo', APP, { scanId: 'scan-00000008' }, services.handlers);
    await new Promise((r) => setTimeout(r, 10));
    expect(sent).toEqual([{ scanId: 'scan-00000008', p: { phase: 'walking', filesFound: 3, filesParsed: 0 } }]);
    expect(await dispatch('cancelScan', APP, { scanId: 'scan-00000008' }, services.handlers)).toEqual({ ok: true, value: { cancelled: true } });
    expect(await running).toMatchObject({ ok: false, error: { code: 'SCAN_CANCELLED' } });
    expect(await dispatch('cancelScan', APP, { scanId: 'scan-00000008' }, services.handlers)).toEqual({ ok: true, value: { cancelled: false } });
    release();
  });
});

describe('drops and the files dialog', () => {
  it('a reported drop is announced to the page and opened by its id (real scan of the dropped folder)', async () => {
    const commands: unknown[] = [];
    const { services, runScan } = await setup({ sendCommand: (c) => commands.push(c) });
    const offer = await dispatch('offerDropped', APP, { paths: [study, study] }, services.handlers);
    expect(offer.ok).toBe(true);
    if (!offer.ok) return;
    expect(commands).toEqual([{ type: 'open-dropped', dropId: offer.value.dropId }]);
    const r = await dispatch('openStudy', APP, { scanId: 'scan-drop-0001', dropId: offer.value.dropId }, services.handlers);
    expect(r.ok).toBe(true);
    if (!r.ok || !r.value) return;
    expect(runScan.mock.calls[0][0]).toEqual([study]); // deduplicated
    expect(r.value.studies[0].series.find((s) => s.modality === 'CT')?.instanceCount).toBe(134);
    // One use: the same id again (a replay by the page) is refused.
    const again = await dispatch('openStudy', APP, { scanId: 'scan-drop-0002', dropId: offer.value.dropId }, services.handlers);
    expect(again).toMatchObject({ ok: false, error: { code: 'PATH_NOT_OFFERED', field: 'dropId' } });
  });

  it('an id main never issued is refused without scanning', async () => {
    const { services, runScan } = await setup();
    const r = await dispatch('openStudy', APP, { scanId: 'scan-drop-0003', dropId: 'drop-00000000-made-up' }, services.handlers);
    expect(r).toMatchObject({ ok: false, error: { code: 'PATH_NOT_OFFERED', field: 'dropId' } });
    expect(runScan).not.toHaveBeenCalled();
  });

  it('"Open files…" (pick: files) uses the files dialog, the default the folder dialog', async () => {
    const chooseFolders = vi.fn(async () => null);
    const chooseFiles = vi.fn(async () => [join(TCIA, 'CT', readdirSync(join(TCIA, 'CT'))[0])]);
    const { services } = await setup({ chooseFolders, chooseFiles });
    const r = await dispatch('openStudy', APP, { scanId: 'scan-files-0001', pick: 'files' }, services.handlers);
    expect(chooseFiles).toHaveBeenCalledTimes(1);
    expect(chooseFolders).not.toHaveBeenCalled();
    expect(r.ok && r.value?.studies[0].series[0].instanceCount).toBe(1);
    expect(await dispatch('openStudy', APP, { scanId: 'scan-files-0002' }, services.handlers)).toEqual({ ok: true, value: null });
    expect(chooseFolders).toHaveBeenCalledTimes(1);
    expect(chooseFiles).toHaveBeenCalledTimes(1);
  });
});

describe('sessions over IPC', () => {
  it('saves, loads, and reports a corrupt file (kept aside)', async () => {
    const { services } = await setup();
    const uid = '1.2.840.1';
    expect(await dispatch('loadSession', APP, { seriesInstanceUid: uid }, services.handlers)).toEqual({ ok: true, value: { session: null } });
    expect((await dispatch('saveSession', APP, { seriesInstanceUid: uid, session: { version: 1 } }, services.handlers)).ok).toBe(true);
    expect(await dispatch('loadSession', APP, { seriesInstanceUid: uid }, services.handlers)).toEqual({ ok: true, value: { session: { version: 1 } } });
    writeFileSync(join(dir, 'sessions', `session-${uid}.json`), '{"version":');
    const r = await dispatch('loadSession', APP, { seriesInstanceUid: uid }, services.handlers);
    expect(r).toMatchObject({ ok: false, error: { code: 'SESSION_CORRUPT' } });
    if (!r.ok) expect(r.error.file).toMatch(/\.corrupt-.*\.json$/);
  });
  it('sets a session aside when the renderer finds it unusable', async () => {
    const { services } = await setup();
    const uid = '1.2.840.2';
    await dispatch('saveSession', APP, { seriesInstanceUid: uid, session: { version: 1 } }, services.handlers);
    const r = await dispatch('setAsideSession', APP, { seriesInstanceUid: uid, reason: 'names another series' }, services.handlers);
    expect(r.ok && r.value.keptAs).toMatch(/\.corrupt-.*\.json$/);
    expect(await dispatch('loadSession', APP, { seriesInstanceUid: uid }, services.handlers)).toEqual({ ok: true, value: { session: null } });
  });
  it('refuses to save a session its schema rejects', async () => {
    const { services } = await setup();
    const r = await dispatch('saveSession', APP, { seriesInstanceUid: '1.2', session: { version: 2 } }, services.handlers);
    expect(r).toMatchObject({ ok: false, error: { code: 'SESSION_INVALID' } });
  });
});

describe('save export', () => {
  it('writes nothing when the user cancels the save dialog', async () => {
    const { services } = await setup();
    const r = await dispatch('saveExport', APP, { suggestedName: 'r.pdf', mimeType: 'application/pdf', bytes: new Uint8Array([1]) }, services.handlers);
    expect(r).toEqual({ ok: true, value: { saved: false } });
  });
  it('writes the bytes where the user chose', async () => {
    const target = join(dir, 'out', 'report.pdf');
    const chooseSaveTarget = vi.fn(async () => target);
    const { services } = await setup({ chooseSaveTarget });
    const r = await dispatch('saveExport', APP, { suggestedName: 'report.pdf', mimeType: 'application/pdf', bytes: new Uint8Array([37, 80, 68, 70]) }, services.handlers);
    expect(r).toEqual({ ok: true, value: { saved: true, location: target } });
    expect(chooseSaveTarget).toHaveBeenCalledWith('report.pdf', 'application/pdf');
    expect(readFileSync(target, 'latin1')).toBe('%PDF');
  });
});
