import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { calls } from './fixtures/fakeElectron';
import { MAIN_CHANNELS } from '../../../shared/ipc/channels';

/**
 * main.ts's wiring against a mocked 'electron' (Electron cannot run here): what it registers
 * before and after 'ready', what window it opens, what every web contents gets. This checks
 * the calls main.ts makes, not Electron's behaviour.
 */

vi.mock('electron', () => import('./fixtures/fakeElectron').then((m) => m.fakeElectron()));

const argv = process.argv;
beforeAll(async () => {
  calls.userData = mkdtempSync(join(tmpdir(), 'frw-main-'));
  process.argv = ['/usr/bin/electron', '.'];
  await import('../../../main/electron/main');
  calls.ready!();
  await calls.readyDone;
});
afterAll(() => {
  process.argv = argv;
  rmSync(calls.userData, { recursive: true, force: true });
});

describe('main.ts wiring (mocked electron)', () => {
  it('registers the privileged schemes and the sandbox before ready', () => {
    expect(calls.order.slice(0, 3)).toEqual(['registerSchemesAsPrivileged', 'enableSandbox', 'whenReady']);
    expect(calls.privileged.map((s) => (s as { scheme: string }).scheme)).toEqual(['frw-app', 'frw-dicom']);
  });

  it('serves both protocols, answers every IPC channel, sets a menu', () => {
    expect([...calls.handled.keys()].sort()).toEqual(['frw-app', 'frw-dicom']);
    expect([...calls.ipc.keys()].sort()).toEqual(Object.values(MAIN_CHANNELS).map((c) => c.channel).sort());
    expect(calls.menus).toBeGreaterThan(0);
  });

  it('denies permissions and cancels every network request', () => {
    let granted: boolean | null = null;
    calls.permissionRequest!(null, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
    expect(calls.permissionCheck!()).toBe(false);
    expect(calls.beforeRequest!.filter.urls).toEqual(expect.arrayContaining(['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*']));
    let answer: { cancel: boolean } | null = null;
    calls.beforeRequest!.fn({ url: 'https://example.com/' }, (r) => (answer = r));
    expect(answer).toEqual({ cancel: true });
  });

  it('opens one hardened window on the app page, with the demo when no study is given', () => {
    expect(calls.windows).toHaveLength(1);
    const prefs = calls.windows[0].options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, devTools: false, webviewTag: false });
    expect(String(prefs.preload)).toMatch(/preload\.cjs$/);
    expect(calls.windows[0].loaded).toEqual(['frw-app://app/index.html?demo=1']);
  });

  it('hardens every web contents: navigation, redirects, new windows, webviews', () => {
    const created = calls.appEvents.get('web-contents-created')!;
    const handlers = new Map<string, (e: { url?: string; preventDefault(): void }) => void>();
    let openHandler: (() => unknown) | null = null;
    created({}, { on: (ev: string, fn: never) => handlers.set(ev, fn), setWindowOpenHandler: (fn: () => unknown) => (openHandler = fn) });
    for (const ev of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      const prevented: string[] = [];
      handlers.get(ev)!({ url: 'https://evil.example/', preventDefault: () => prevented.push('x') });
      handlers.get(ev)!({ url: 'frw-app://app/index.html', preventDefault: () => prevented.push('y') });
      expect(prevented, ev).toEqual(['x']);
    }
    let webview = false;
    handlers.get('will-attach-webview')!({ preventDefault: () => (webview = true) });
    expect(webview).toBe(true);
    expect(openHandler!()).toEqual({ action: 'deny' });
  });

  it('the frw-dicom handler refuses what the scan did not find', async () => {
    const r = await calls.handled.get('frw-dicom')!(new Request('frw-dicom://file/AAAAAAAAAAAAAAAAAAAAAAAA', { headers: { Origin: 'frw-app://app' } }));
    expect(r.status).toBe(404);
  });

  type Invoke = (event: { senderFrame: { url: string; parent: null } }, payload: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string; field?: string } }>;
  const invoke = (channel: string, payload: unknown) => (calls.ipc.get(channel) as Invoke)({ senderFrame: { url: 'frw-app://app/index.html', parent: null } }, payload);

  it('"Open folder…" asks for folders, "Open files…" for several files (two dialogs)', async () => {
    calls.dialogs.length = 0;
    expect(await invoke('frw:study:open', { scanId: 'scan-dialog-0001' })).toEqual({ ok: true, value: null });
    expect(await invoke('frw:study:open', { scanId: 'scan-dialog-0002', pick: 'files' })).toEqual({ ok: true, value: null });
    expect(calls.dialogs.map((d) => [...(d.properties ?? [])].sort())).toEqual([
      ['multiSelections', 'openDirectory'],
      ['multiSelections', 'openFile'],
    ]);
  });

  it('a drop the preload reports is sent to the page as open-dropped and opens once, by its id only', async () => {
    const dropped = join(calls.userData, 'dropped-and-gone');
    const sent = calls.windows[0].sent;
    const before = sent.length;
    const offer = await invoke('frw:drop:offer', { paths: [dropped] });
    expect(offer.ok).toBe(true);
    const { dropId } = offer.value as { dropId: string };
    expect(sent.slice(before)).toEqual([['frw:menu:command', { type: 'open-dropped', dropId }]]);
    // The page names the drop, not the path: the gate lets it through (then: the folder is gone).
    expect(await invoke('frw:study:open', { scanId: 'scan-drop-0001', dropId })).toMatchObject({ ok: false, error: { code: 'PATH_NOT_FOUND' } });
    // One use only, and the path itself was never offered to the page.
    expect(await invoke('frw:study:open', { scanId: 'scan-drop-0002', dropId })).toMatchObject({ ok: false, error: { code: 'PATH_NOT_OFFERED', field: 'dropId' } });
    expect(await invoke('frw:study:open', { scanId: 'scan-drop-0003', paths: [dropped] })).toMatchObject({ ok: false, error: { code: 'PATH_NOT_OFFERED' } });
    expect(await invoke('frw:study:open', { scanId: 'scan-drop-0004', dropId: 'drop-00000000-forged' })).toMatchObject({ ok: false, error: { code: 'PATH_NOT_OFFERED' } });
  });
});
