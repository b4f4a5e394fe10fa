import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS } from '../../../shared/ipc/channels';
import { TCIA_DIR } from '../../data';

/**
 * main.ts started with a study on the command line (`electron . /path`), against a mocked
 * 'electron' (same mock as main-wiring.test.ts): no demo, the study is offered to the page as
 * an open-recent command and main accepts that path without a dialog; quitting waits for
 * pending autosaves.
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
    dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showSaveDialog: async () => ({ canceled: true }) },
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
const STUDY = TCIA_DIR;
beforeAll(async () => {
  calls.userData = mkdtempSync(join(tmpdir(), 'frw-main-cli-'));
  process.argv = ['/usr/bin/electron', '.', STUDY];
  await import('../../../main/electron/main');
  calls.ready!();
  await calls.readyDone;
});
afterAll(() => {
  process.argv = argv;
  rmSync(calls.userData, { recursive: true, force: true });
});

type Handler = (event: { senderFrame: { url: string; parent: null } }, payload: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;
const APP = { senderFrame: { url: 'frw-app://app/index.html', parent: null } };

describe('main.ts with a study on the command line (mocked electron)', () => {
  it('loads the app page without the demo and offers the study to the page', () => {
    expect(calls.windows[0].loaded).toEqual(['frw-app://app/index.html']);
    expect(calls.windows[0].sent).toEqual([['frw:menu:command', { type: 'open-recent', path: STUDY }]]);
  });

  it('opens that path without a dialog, and no other', async () => {
    const open = calls.ipc.get('frw:study:open') as Handler;
    const other = await open(APP, { scanId: 'scan-cli-0002', paths: ['/etc'] });
    expect(other).toMatchObject({ ok: false, error: { code: 'PATH_NOT_OFFERED' } });
    // The command-line study passes the check and goes to the scan worker (which, from the
    // source tree, is not bundled: scanRunner.test.ts runs the bundled one on this study).
    const study = await open(APP, { scanId: 'scan-cli-0003', paths: [STUDY] });
    expect(study.ok ? 'ok' : study.error!.code).toMatch(/^(ok|SCAN_WORKER_FAILED)$/);
  });

  it('postpones quitting until pending autosaves are written', async () => {
    const willQuit = calls.appEvents.get('will-quit')!;
    let prevented = 0;
    willQuit({ preventDefault: () => prevented++ });
    expect(prevented).toBe(1);
    // The second will-quit (after the wait) goes through.
    willQuit({ preventDefault: () => prevented++ });
    expect(prevented).toBe(1);
  });
});
