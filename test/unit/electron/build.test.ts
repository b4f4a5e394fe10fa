import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs build script without types
import { buildElectron } from '../../../main/electron/build.mjs';

/** The bundles `npm run build` makes, built into a temp dir and inspected. */
let out: string;
beforeAll(async () => {
  out = await buildElectron(mkdtempSync(join(tmpdir(), 'frw-build-')));
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

const requires = (file: string) => [...readFileSync(join(out, file), 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]);
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

describe('Electron bundles', () => {
  it('preload.cjs requires nothing but electron (a sandboxed preload gets no Node modules)', () => {
    expect([...new Set(requires('preload.cjs'))]).toEqual(['electron']);
  });
  it('main.cjs and scanWorker.cjs need only electron and Node built-ins (no node_modules shipped)', () => {
    for (const f of ['main.cjs', 'scanWorker.cjs']) {
      for (const r of requires(f)) expect(r === 'electron' || builtins.has(r), `${f} requires ${r}`).toBe(true);
    }
    expect(requires('scanWorker.cjs')).not.toContain('electron');
  });
  it('the preload runs in a bare context with only require("electron") and exposes exactly window.frw', () => {
    const exposed: Array<[string, Record<string, unknown>]> = [];
    const on: string[] = [];
    const invoked: unknown[][] = [];
    const domListeners = new Map<string, (e: unknown) => void>();
    const electron = {
      contextBridge: { exposeInMainWorld: (name: string, api: Record<string, unknown>) => exposed.push([name, api]) },
      ipcRenderer: { invoke: async (...a: unknown[]) => (invoked.push(a), { ok: true }), on: (c: string) => on.push(c), removeListener: () => {} },
      webUtils: { getPathForFile: (f: { diskPath?: string }) => f.diskPath ?? '' },
    };
    const module = { exports: {} };
    const sandbox = {
      module,
      exports: module.exports,
      window: { addEventListener: (type: string, l: (e: unknown) => void) => domListeners.set(type, l), removeEventListener: () => {} },
      require: (id: string) => {
        if (id === 'electron') return electron;
        throw new Error(`sandboxed preload cannot require ${id}`);
      },
    };
    runInNewContext(readFileSync(join(out, 'preload.cjs'), 'utf8'), sandbox);
    expect(exposed.map(([n]) => n)).toEqual(['frw']);
    expect(Object.keys(exposed[0][1]).sort()).toEqual(
      ['appInfo', 'cancelScan', 'loadSession', 'onMenuCommand', 'onPacsProgress', 'onScanProgress', 'openDemo', 'openStudy', 'pacsCacheInfo', 'pacsClearCache', 'pacsListSeries', 'pacsRetrieve', 'pacsSaveSettings', 'pacsSearch', 'pacsSettings', 'pacsStore', 'pacsTest', 'recentStudies', 'saveExport', 'saveSession', 'setAsideSession'].sort(),
    );
    expect(on.sort()).toEqual(['frw:menu:command', 'frw:pacs:progress', 'frw:scan:progress']);
    // Drops: the bundled preload listens on the window and hands the OS paths to main, not to the page.
    expect([...domListeners.keys()].sort()).toEqual(['dragover', 'drop']);
    let prevented = false;
    domListeners.get('drop')!({
      isTrusted: true,
      dataTransfer: { types: ['Files'], files: [{ diskPath: '/data/ct' }], dropEffect: 'none' },
      preventDefault: () => (prevented = true),
    });
    expect(prevented).toBe(true);
    expect(invoked).toEqual([['frw:drop:offer', { paths: ['/data/ct'] }]]);
  });
});
