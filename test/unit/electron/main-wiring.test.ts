import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAIN_CHANNELS } from '../../../shared/ipc/channels';

/**
 * main.ts's wiring against a mocked 'electron' (Electron cannot run here): what it registers
 * before and after 'ready', what window it opens, what every web contents gets. This checks
 * the calls main.ts makes, not Electron's behaviour.
 */
const calls = vi.hoisted(() => ({
  order: [] as string[],
  privileged: [] as unknown[],
  handled: new Map<string, (req: Request) => Promise<Response>>(),
  ipc: new Map<string, unknown>(),
  windows: [] as Array<{ options: Record<string, unknown>; loaded: string[]; sent: unknown[][] }>,
  appEvents: new Map<string, (...a: unknown[]) => void>(),
  permissionRequest: null as null | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
  permissionCheck: null as null | ((...a: unknown[]) => boolean),
  beforeRequest: null as null | { filter: { urls: string[] }; fn: (d: unknown, cb: (r: { cancel: boolean }) => void) => void },
  menus: 0,
  ready: null as null | (() => void),
  readyDone: null as null | Promise<void>,
  userData: '',
  dialogs: [] as Array<{ properties?: string[] }>,
}));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = { send: (...a: unknown[]) => this.record.sent.push(a) };
    record: { options: Record<string, unknown>; loaded: string[]; sent: unknown[][] };
    constructor(options: Record<string, unknown>) {
      this.record = { options, loaded: [], sent: [] };
      calls.windows.push(this.record);
    }
    loadURL(url: string) {
      this.record.loaded.push(url);
      return Promise.resolve();
    }
    once() {}
    on() {}
    maximize() {}
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    getNormalBounds() {
      return { x: 0, y: 0, width: 1600, height: 1000 };
    }
    isMaximized() {
      return false;
    }
  }
  const app = {
    enableSandbox: () => calls.order.push('enableSandbox'),
    requestSingleInstanceLock: () => true,
    quit: () => {},
    getAppPath: () => process.cwd(),
    getPath: (name: string) => (name === 'userData' ? calls.userData : tmpdir()),
    getName: () => 'frw',
    getVersion: () => '0.1.0',
    getLocale: () => 'fr-FR',
    isPackaged: false,
    on: (event: string, fn: (...a: unknown[]) => void) => calls.appEvents.set(event, fn),
    whenReady: () => {
      calls.order.push('whenReady');
      return { then: (fn: () => Promise<void>) => (calls.ready = () => void (calls.readyDone = fn())) };
    },
  };
  return {
    app,
    BrowserWindow,
    dialog: {
      showOpenDialog: async (_win: unknown, options: { properties?: string[] }) => (calls.dialogs.push(options), { canceled: true, filePaths: [] }),
      showSaveDialog: async () => ({ canceled: true }),
    },
    ipcMain: { handle: (c: string, l: unknown) => calls.ipc.set(c, l), removeHandler: (c: string) => calls.ipc.delete(c) },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: () => void calls.menus++ },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => {
        calls.order.push('registerSchemesAsPrivileged');
        calls.privileged.push(...s);
      },
      handle: (scheme: string, fn: (req: Request) => Promise<Response>) => calls.handled.set(scheme, fn),
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: typeof calls.permissionRequest) => (calls.permissionRequest = fn),
        setPermissionCheckHandler: (fn: typeof calls.permissionCheck) => (calls.permissionCheck = fn),
        setDevicePermissionHandler: () => {},
        webRequest: { onBeforeRequest: (filter: { urls: string[] }, fn: never) => (calls.beforeRequest = { filter, fn }) },
      },
    },
  };
});

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
