import { describe, expect, it, vi } from 'vitest';
import { createBridge, forwardDrops, type DragEventLike, type DropTargetLike, type IpcRendererLike } from '../../../main/electron/bridge';
import { createElectronHost } from '../../../renderer/host/electronHost';
import { EVENT_CHANNELS, INVOKE_CHANNELS, PRELOAD_CHANNELS, eventMethodName, type FrwBridge } from '../../../shared/ipc/channels';

type Listener = (event: unknown, ...args: unknown[]) => void;
function fakeIpc() {
  const listeners = new Map<string, Listener[]>();
  const invoke = vi.fn(async (channel: string, ...args: unknown[]): Promise<unknown> => ({ ok: true, value: { channel, args } }));
  const ipc: IpcRendererLike & { emit(channel: string, payload: unknown): void } = {
    invoke,
    on: (c, l) => listeners.set(c, [...(listeners.get(c) ?? []), l]),
    removeListener: (c, l) => listeners.set(c, (listeners.get(c) ?? []).filter((x) => x !== l)),
    // The event object Electron passes carries `sender` (ipcRenderer itself): it must not leak.
    emit: (c, payload) => (listeners.get(c) ?? []).forEach((l) => l({ sender: ipc }, payload)),
  };
  return { ipc, invoke };
}

describe('preload bridge (window.frw)', () => {
  it('exposes exactly one function per declared channel, frozen, and nothing of ipcRenderer', () => {
    const { ipc } = fakeIpc();
    const frw = createBridge(ipc);
    const expected = [...Object.keys(INVOKE_CHANNELS), ...Object.keys(EVENT_CHANNELS).map((n) => eventMethodName(n as never))].sort();
    expect(Object.keys(frw).sort()).toEqual(expected);
    for (const v of Object.values(frw)) expect(typeof v).toBe('function');
    expect(Object.isFrozen(frw)).toBe(true);
    expect(Object.values(frw)).not.toContain(ipc.invoke);
    expect('invoke' in frw || 'send' in frw || 'on' in frw).toBe(false);
    // The preload's own channels (drops) are not the page's to call.
    for (const name of Object.keys(PRELOAD_CHANNELS)) expect(name in frw, name).toBe(false);
  });

  it('sends one argument on the declared channel only', async () => {
    const { ipc, invoke } = fakeIpc();
    const frw = createBridge(ipc);
    await frw.loadSession({ seriesInstanceUid: '1.2' });
    expect(invoke).toHaveBeenCalledWith('frw:session:load', { seriesInstanceUid: '1.2' });
    await (frw.appInfo as (...a: unknown[]) => Promise<unknown>)({}, 'smuggled');
    expect(invoke).toHaveBeenLastCalledWith('frw:app:info', {});
  });

  it('delivers events without the IPC event object and drops malformed ones', () => {
    const { ipc } = fakeIpc();
    const frw = createBridge(ipc);
    const got: unknown[][] = [];
    const off = frw.onScanProgress((...args: unknown[]) => got.push(args));
    ipc.emit('frw:scan:progress', { scanId: 'scan-00000001', progress: { phase: 'parsing', filesFound: 3, filesParsed: 1 } });
    ipc.emit('frw:scan:progress', { scanId: 'scan-00000001', progress: { phase: 'hacking' } });
    ipc.emit('frw:scan:progress', 'garbage');
    expect(got).toEqual([[{ scanId: 'scan-00000001', progress: { phase: 'parsing', filesFound: 3, filesParsed: 1 } }]]);
    off();
    ipc.emit('frw:scan:progress', { scanId: 'scan-00000001', progress: { phase: 'done', filesFound: 3, filesParsed: 3 } });
    expect(got).toHaveLength(1);
  });

  it('keeps menu commands sent before the page listens (the command-line study at start-up)', () => {
    const { ipc } = fakeIpc();
    const frw = createBridge(ipc);
    ipc.emit('frw:menu:command', { type: 'open-recent', path: '/data/ct' });
    const got: unknown[] = [];
    frw.onMenuCommand((c) => got.push(c));
    expect(got).toEqual([{ type: 'open-recent', path: '/data/ct' }]);
  });
});

/** A fake window.frw answering from a table, recording calls. */
function fakeFrw(answers: Partial<Record<keyof typeof INVOKE_CHANNELS, unknown>>) {
  const { ipc, invoke } = fakeIpc();
  invoke.mockImplementation(async (channel: string) => {
    const name = Object.entries(INVOKE_CHANNELS).find(([, d]) => d.channel === channel)![0] as keyof typeof INVOKE_CHANNELS;
    return answers[name];
  });
  return { frw: createBridge(ipc) as FrwBridge, ipc, invoke };
}

describe('Electron HostApi', () => {
  it('rejects with the coded error main answered (same codes as the browser host)', async () => {
    const { frw } = fakeFrw({ loadSession: { ok: false, error: { code: 'SESSION_CORRUPT', message: 'kept aside', file: '/s.corrupt.json' } } });
    const host = createElectronHost(frw);
    await expect(host.loadSession('1.2')).rejects.toMatchObject({ name: 'HostError', code: 'SESSION_CORRUPT', file: '/s.corrupt.json' });
  });

  it('rejects an answer that breaks the channel schema', async () => {
    const { frw } = fakeFrw({ saveExport: { ok: true, value: { saved: 'yes' } } });
    await expect(createElectronHost(frw).saveExport('r.pdf', 'application/pdf', new Uint8Array([1]))).rejects.toMatchObject({ code: 'IPC_BAD_RESPONSE' });
  });

  it('reads bytes through frw-dicom: and maps refusals to codes', async () => {
    const fetchImpl = vi.fn(async (url: string | URL | Request) =>
      String(url).endsWith('/good-token-000000') ? new Response(new Uint8Array([1, 2, 3])) : new Response('unknown file', { status: 404 }),
    );
    const host = createElectronHost(fakeFrw({}).frw, fetchImpl as typeof fetch);
    expect(new Uint8Array(await host.readFile('good-token-000000'))).toEqual(new Uint8Array([1, 2, 3]));
    expect(fetchImpl).toHaveBeenCalledWith('frw-dicom://file/good-token-000000');
    await expect(host.readFile('../../etc/passwd')).rejects.toMatchObject({ code: 'FILE_NOT_SCANNED' });
    expect(fetchImpl).toHaveBeenLastCalledWith('frw-dicom://file/..%2F..%2Fetc%2Fpasswd');
  });

  it('turns "open recent" into the UI\'s open-study, then opens that path without a dialog', async () => {
    const { frw, ipc, invoke } = fakeFrw({ openStudy: { ok: true, value: null } });
    const host = createElectronHost(frw);
    const commands: unknown[] = [];
    host.onCommand((c) => commands.push(c));
    ipc.emit('frw:menu:command', { type: 'open-recent', path: '/data/ct' });
    expect(commands).toEqual([{ type: 'open-study' }]);
    await host.openStudy();
    expect(invoke).toHaveBeenLastCalledWith('frw:study:open', { scanId: expect.any(String), paths: ['/data/ct'] });
    await host.openStudy();
    expect(invoke.mock.lastCall?.[1]).not.toHaveProperty('paths');
  });

  it('passes progress of its own scan only, and cancels through main', async () => {
    let finish!: (v: unknown) => void;
    const { frw, ipc, invoke } = fakeFrw({});
    invoke.mockImplementation(async (channel: string) => {
      if (channel === 'frw:study:open-demo') return new Promise((r) => (finish = r));
      return { ok: true, value: { cancelled: true } };
    });
    const host = createElectronHost(frw);
    const progress: unknown[] = [];
    const controller = new AbortController();
    const opening = host.openDemo((p) => progress.push(p), controller.signal);
    await Promise.resolve();
    const scanId = (invoke.mock.calls[0][1] as { scanId: string }).scanId;
    ipc.emit('frw:scan:progress', { scanId: 'other-scan-0001', progress: { phase: 'walking', filesFound: 9, filesParsed: 0 } });
    ipc.emit('frw:scan:progress', { scanId, progress: { phase: 'walking', filesFound: 1, filesParsed: 0 } });
    expect(progress).toEqual([{ phase: 'walking', filesFound: 1, filesParsed: 0 }]);
    controller.abort();
    expect(invoke).toHaveBeenLastCalledWith('frw:scan:cancel', { scanId });
    finish({ ok: false, error: { code: 'SCAN_CANCELLED', message: 'Scan cancelled.' } });
    await expect(opening).rejects.toMatchObject({ code: 'SCAN_CANCELLED' });
  });
});

/** A fake window for the preload's drop listeners. */
function fakeWindow() {
  const listeners = new Map<string, (e: DragEventLike) => void>();
  const target: DropTargetLike = {
    addEventListener: (type, l, capture) => {
      expect(capture).toBe(true); // before any page handler
      listeners.set(type, l);
    },
    removeEventListener: (type) => void listeners.delete(type),
  };
  const fire = (type: 'dragover' | 'drop', files: unknown[], opts: { isTrusted?: boolean; types?: string[] } = {}) => {
    const e = {
      isTrusted: opts.isTrusted ?? true,
      dataTransfer: { types: opts.types ?? ['Files'], files, dropEffect: 'none' },
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    listeners.get(type)?.(e);
    return e;
  };
  return { target, listeners, fire };
}

describe('preload drop forwarding', () => {
  /** A File from the OS carries a path; one built in JS gets "" from webUtils.getPathForFile. */
  const pathForFile = (f: unknown) => {
    if (!f || typeof f !== 'object') throw new TypeError('not a File');
    return (f as { osPath?: string }).osPath ?? '';
  };

  it('hands the OS paths of a real drop to main on the preload channel, deduplicated, never to the page', async () => {
    const { ipc, invoke } = fakeIpc();
    const w = fakeWindow();
    forwardDrops(w.target, ipc, pathForFile);
    const over = w.fire('dragover', []);
    expect(over.prevented).toBe(true);
    expect(over.dataTransfer.dropEffect).toBe('copy');
    const drop = w.fire('drop', [{ osPath: '/data/ct' }, { osPath: '/data/ct' }, { osPath: '/data/other/IM1.dcm' }]);
    expect(drop.prevented).toBe(true); // Chromium must not navigate to the dropped file
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(invoke).toHaveBeenCalledWith(PRELOAD_CHANNELS.offerDropped.channel, { paths: ['/data/ct', '/data/other/IM1.dcm'] });
    expect(PRELOAD_CHANNELS.offerDropped.request.safeParse(invoke.mock.calls[0][1]).success).toBe(true);
  });

  it('ignores drops a page script made up (untrusted event, Files built in JS) and drags without files', () => {
    const { ipc, invoke } = fakeIpc();
    const w = fakeWindow();
    forwardDrops(w.target, ipc, pathForFile);
    expect(w.fire('drop', [{ osPath: '/etc' }], { isTrusted: false }).prevented).toBe(true);
    w.fire('drop', [{}, 'not a file']); // JS-built File → "", a non-File → throws: neither is a path
    const text = w.fire('drop', [{ osPath: '/etc' }], { types: ['text/plain'] });
    expect(text.prevented).toBe(false);
    expect(invoke).not.toHaveBeenCalled();
  });

  it('stops listening when removed', () => {
    const { ipc } = fakeIpc();
    const w = fakeWindow();
    const off = forwardDrops(w.target, ipc, pathForFile);
    off();
    expect(w.listeners.size).toBe(0);
  });
});

describe('Electron HostApi: drops and "Open files…"', () => {
  it('opens a drop by the id main sent (open-dropped → open-study), once', async () => {
    const { frw, ipc, invoke } = fakeFrw({ openStudy: { ok: true, value: null } });
    const host = createElectronHost(frw);
    const commands: unknown[] = [];
    host.onCommand((c) => commands.push(c));
    ipc.emit('frw:menu:command', { type: 'open-dropped', dropId: 'drop-1234abcd-0000' });
    expect(commands).toEqual([{ type: 'open-study' }]);
    await host.openStudy();
    expect(invoke).toHaveBeenLastCalledWith('frw:study:open', { scanId: expect.any(String), dropId: 'drop-1234abcd-0000' });
    await host.openStudy();
    expect(invoke.mock.lastCall?.[1]).toEqual({ scanId: expect.any(String) });
  });

  it('"Open files…" asks main for the multi-file dialog', async () => {
    const { frw, invoke } = fakeFrw({ openStudy: { ok: true, value: null } });
    const host = createElectronHost(frw);
    expect(await host.openStudy(undefined, undefined, 'files')).toBeNull();
    expect(invoke).toHaveBeenLastCalledWith('frw:study:open', { scanId: expect.any(String), pick: 'files' });
    await host.openStudy(undefined, undefined, 'folder');
    expect(invoke.mock.lastCall?.[1]).toEqual({ scanId: expect.any(String) });
  });
});

