/**
 * End-to-end harness: the real renderer (browser host) in Debian's Chromium via playwright-core.
 *
 *   import { openApp, openFolder, openDemo, screenshot } from './harness';
 *   const app = await openApp({ language: 'en' });          // builds once, serves, launches Chromium
 *   const scan = await openFolder(app.page, '/work/shared/data/tcia-pancreas-planning-ct');
 *   // also: openFiles(page, [files]), dropPaths(page, [folders or files]), openDemo(page)
 *   await screenshot(app.page, 'tcia-open');                 // → test-results/tcia-open.png
 *   expect(app.pageErrors).toEqual([]);
 *   await app.close();                                       // closes Chromium and the server
 *
 * - Build: `vite build` of the current sources into dist/e2e/<content hash>/ (reused while the
 *   sources of renderer/, shared/, vite.config.ts and package.json are unchanged; concurrent
 *   test runs of different sources never share an output directory).
 * - Server: a tiny Node static server on a free 127.0.0.1 port serving that build, plus
 *   resources/demo-ct/ at /demo-ct/ (generated with `npm run demo` when missing).
 * - Browser: launchPersistentContext in a temp profile, headless, 1600×1000, COMMON.md flags,
 *   executable $CHROMIUM_PATH or /usr/bin/chromium. The page URL always has `?test=1`, which makes
 *   the app expose `window.__frwTest = { host, scan(), series(), lastScanMs() }` (lastScanMs: the
 *   last successful open, from the user's choice to the scan result, in ms). The viewer adds
 *   `window.frwViewer` (renderer/viewer/testHooks.ts: cpuRendering(), worldToCanvas(), timings() …).
 *
 * data-testid attributes in the UI (renderer/App.tsx, renderer/ui/*, renderer/study/*):
 *   app (data-host, data-scans = completed open attempts), open-folder, open-files, open-demo,
 *   open-folder-input, open-files-input, help-button, lang-fr, lang-en,
 *   scan-progress, scan-progress-cancel, app-errors, app-errors-item (data-code), notice,
 *   drop-zone, viewer-area, viewer (the viewer's root, renderer/viewer),
 *   study-browser, scan-summary, scan-empty, study (data-study-uid), patient-name, study-date,
 *   series-item (data-series-uid, data-selected, data-kind, data-measurable), series-slices,
 *   series-thickness, series-spacing, series-matrix, series-kernel, series-syntax, series-badge,
 *   series-measurable, series-warning (data-code, data-blocking), other-object (data-modality),
 *   scan-errors, scan-error (data-code, data-file), scan-skipped, skipped-file (data-file),
 *   errors-show-all, skipped-show-all (only the first 50 errors / 20 skipped files until pressed),
 *   side-panel, side-tab-<id>, side-panel-<id>,
 *   help-overlay, help-shortcut, help-close.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Download, type Page } from 'playwright-core';
import type { ScanResult, Series } from '../../shared/schemas/scan';
import { PACS_PROXY_PATH, pacsProxyMiddleware } from '../../main/pacs/devProxy';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const RESULTS_DIR = join(ROOT, 'test-results');
export const DEMO_DIR = join(ROOT, 'resources', 'demo-ct');
export const DATA_DIR = resolve(ROOT, '..', 'shared', 'data');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// ---------------------------------------------------------------- build (cached by content)

const BUILD_INPUTS = ['renderer', 'shared', 'vite.config.ts', 'package.json', 'package-lock.json', 'tsconfig.json'];

function listFiles(p: string): string[] {
  if (!existsSync(p)) return [];
  const st = statSync(p);
  if (st.isFile()) return [p];
  return readdirSync(p)
    .sort()
    .flatMap((n) => listFiles(join(p, n)));
}

/** Hash of everything the renderer bundle is made from. */
export function sourceHash(): string {
  const h = createHash('sha256');
  for (const input of BUILD_INPUTS) {
    for (const f of listFiles(join(ROOT, input))) {
      h.update(relative(ROOT, f));
      h.update('\0');
      h.update(readFileSync(f));
      h.update('\0');
    }
  }
  return h.digest('hex').slice(0, 16);
}

let builtDir: Promise<string> | null = null;

/** Build the renderer (once per content; reused across test files and runs). Returns its directory. */
export function buildRenderer(): Promise<string> {
  builtDir ??= (async () => {
    const cache = join(ROOT, 'dist', 'e2e');
    const dir = join(cache, sourceHash());
    if (existsSync(join(dir, 'index.html'))) {
      // Mark it in use, so a concurrent run's pruning leaves it alone.
      utimesSync(dir, new Date(), new Date());
      return dir;
    }
    mkdirSync(cache, { recursive: true });
    const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
    const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    const code = await new Promise<number>((res, rej) => {
      const child = spawn(process.execPath, [vite, 'build', '--config', 'vite.config.ts', '--outDir', tmp, '--emptyOutDir', '--logLevel', 'error'], {
        cwd: ROOT,
        // Errors only: the codecs' emscripten glue makes Vite warn about Node built-ins it never uses in a browser.
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', rej);
      child.on('exit', (c) => res(c ?? 1));
    });
    if (code !== 0 || !existsSync(join(tmp, 'index.html'))) {
      rmSync(tmp, { recursive: true, force: true });
      throw new Error(`vite build failed (exit ${code})`);
    }
    try {
      renameSync(tmp, dir);
    } catch {
      // Another run built the same sources meanwhile: use theirs.
      rmSync(tmp, { recursive: true, force: true });
    }
    pruneOldBuilds(cache, dir);
    return dir;
  })();
  builtDir.catch(() => (builtDir = null));
  return builtDir;
}

/**
 * Keep the cache small (each build is ~7 MB and every source edit makes a new one): drop builds
 * not used for 30 minutes (longer than any e2e file runs), never the current one.
 */
function pruneOldBuilds(cache: string, keep: string) {
  const maxIdleMs = 30 * 60 * 1000;
  for (const n of readdirSync(cache)) {
    const p = join(cache, n);
    if (p === keep) continue;
    try {
      if (Date.now() - statSync(p).mtimeMs > maxIdleMs) rmSync(p, { recursive: true, force: true });
    } catch {
      /* in use or gone */
    }
  }
}

/** Make sure the demo CT exists (resources/demo-ct, `npm run demo`). */
let demoChecked = false;
export function ensureDemo(): void {
  // The generator is a fast no-op when the demo is up to date; run it once per test process.
  if (demoChecked) return;
  demoChecked = true;
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'test/fixtures/make-demo-ct.ts'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0 || !existsSync(join(DEMO_DIR, 'manifest.json'))) throw new Error('npm run demo failed: resources/demo-ct/manifest.json missing');
}

// ---------------------------------------------------------------- static server

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.dcm': 'application/dicom',
  '.woff2': 'font/woff2',
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** Serve `root` at / and extra directories at their prefixes (e.g. { '/demo-ct/': DEMO_DIR }). */
export function serveStatic(root: string, mounts: Record<string, string> = {}, opts: { crossOriginIsolated?: boolean } = {}): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    // The browser host's PACS requests (renderer/host/browserPacs.ts), as the dev server proxies them.
    if ((req.url ?? '').startsWith(`${PACS_PROXY_PATH}/`)) return pacsProxyMiddleware(req, res, () => undefined);
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let base = root;
    let rest = urlPath;
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (urlPath.startsWith(prefix)) {
        base = dir;
        rest = urlPath.slice(prefix.length - 1);
        break;
      }
    }
    if (rest.endsWith('/')) rest += 'index.html';
    const file = normalize(join(base, rest));
    if (!(file === base || file.startsWith(base + sep)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const headers: Record<string, string> = {
      'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': String(statSync(file).size),
      'cache-control': 'no-store',
    };
    if (opts.crossOriginIsolated) {
      headers['cross-origin-opener-policy'] = 'same-origin';
      headers['cross-origin-embedder-policy'] = 'require-corp';
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((res, rej) => {
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      res({
        url: `http://127.0.0.1:${port}/`,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

// ---------------------------------------------------------------- the app in Chromium

export interface OpenAppOptions {
  /** UI language chosen on this machine (stored before every page load); default: none, the system's (see locale). */
  language?: 'fr' | 'en';
  /** The browser's (system's) language; default 'fr-FR', so tests without `language` see the French UI. */
  locale?: string;
  /** Open the demo CT on start (`?demo=1`) and wait for its scan. */
  demo?: boolean;
  /** Extra URL query parameters. */
  query?: Record<string, string>;
  /** Serve with COOP/COEP (SharedArrayBuffer available). Default false, like Electron's file pages. */
  crossOriginIsolated?: boolean;
  viewport?: { width: number; height: number };
}

export interface App {
  page: Page;
  context: BrowserContext;
  url: string;
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
  /** console.error messages (CSP violations show up here). */
  consoleErrors: string[];
  close(): Promise<void>;
}

export async function openApp(opts: OpenAppOptions = {}): Promise<App> {
  ensureDemo();
  const dir = await buildRenderer();
  const server = await serveStatic(dir, { '/demo-ct/': DEMO_DIR }, { crossOriginIsolated: opts.crossOriginIsolated });
  const profile = mkdtempSync(join(tmpdir(), 'frw-e2e-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: opts.viewport ?? { width: 1600, height: 1000 },
      locale: opts.locale ?? 'fr-FR',
      acceptDownloads: true,
    });
  } catch (e) {
    await server.close();
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  if (opts.language) {
    const lng = opts.language;
    await context.addInitScript((l) => window.localStorage.setItem('frw.language', l), lng);
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  // Message plus the top of the stack, so a failing assertion shows where the exception came from.
  page.on('pageerror', (e) => pageErrors.push(`${String(e)}${e.stack ? `\n${e.stack.split('\n').slice(1, 4).join('\n')}` : ''}`));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  const q = new URLSearchParams({ test: '1', ...(opts.demo ? { demo: '1' } : {}), ...(opts.query ?? {}) });
  const url = `${server.url}index.html?${q}`;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await context.close().catch(() => {});
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    await page.goto(url);
    await page.getByTestId('app').waitFor();
    if (opts.demo) await waitForScan(page, 0);
  } catch (e) {
    await close();
    throw e;
  }
  return { page, context, url, pageErrors, consoleErrors, close };
}

/** Number of finished open attempts (success, error or cancel) so far. */
export async function scanCount(page: Page): Promise<number> {
  return Number((await page.getByTestId('app').getAttribute('data-scans')) ?? '0');
}

/** Wait until more than `before` open attempts have finished; returns the current scan (or null). */
export async function waitForScan(page: Page, before: number, timeoutMs = 120_000): Promise<ScanResult | null> {
  await page.waitForFunction((b) => Number(document.querySelector('[data-testid="app"]')?.getAttribute('data-scans') ?? '0') > b, before, {
    timeout: timeoutMs,
  });
  return currentScan(page);
}

export async function currentScan(page: Page): Promise<ScanResult | null> {
  return page.evaluate(() => (window as unknown as { __frwTest: { scan(): ScanResult | null } }).__frwTest.scan());
}

export async function currentSeries(page: Page): Promise<Series | null> {
  return page.evaluate(() => (window as unknown as { __frwTest: { series(): Series | null } }).__frwTest.series());
}

/** How long the last successful open took in the page (user's choice → scan result), ms. */
export async function lastScanMs(page: Page): Promise<number | null> {
  return page.evaluate(() => (window as unknown as { __frwTest: { lastScanMs(): number | null } }).__frwTest.lastScanMs());
}

/** Choose a folder with the "Open folder…" input (as a user would) and wait for its scan. */
export async function openFolder(page: Page, dir: string): Promise<ScanResult | null> {
  const before = await scanCount(page);
  await page.getByTestId('open-folder-input').setInputFiles(dir);
  return waitForScan(page, before);
}

/** Choose files with the "Open files…" input and wait for the scan. */
export async function openFiles(page: Page, files: string[]): Promise<ScanResult | null> {
  const before = await scanCount(page);
  await page.getByTestId('open-files-input').setInputFiles(files);
  return waitForScan(page, before);
}

/**
 * Drag folders and/or files from disk and drop them on the window (a real OS-style drop through
 * the DevTools protocol, so folders arrive as directory entries), then wait for the scan.
 */
export async function dropPaths(page: Page, paths: string[], at = { x: 800, y: 500 }): Promise<ScanResult | null> {
  const before = await scanCount(page);
  const cdp = await page.context().newCDPSession(page);
  try {
    const data = { items: [], files: paths, dragOperationsMask: 1 };
    for (const type of ['dragEnter', 'dragOver', 'drop'] as const) await cdp.send('Input.dispatchDragEvent', { type, x: at.x, y: at.y, data });
  } finally {
    await cdp.detach().catch(() => {});
  }
  return waitForScan(page, before);
}

/** Click "Open demo" and wait for the scan of the demo CT. */
export async function openDemo(page: Page): Promise<ScanResult | null> {
  const before = await scanCount(page);
  await page.getByTestId('open-demo').click();
  return waitForScan(page, before);
}

/** Save a full-page screenshot as test-results/<name>.png; returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * Press an export button of the report tab and return the download. When the app asks first
 * (no reader, no key image: issue 14), the confirmation's missing items are returned with it
 * and "Export anyway" is pressed, as a reader who accepts would.
 */
export async function exportReport(page: Page, testId: 'report-export-pdf' | 'report-export-json'): Promise<{ download: Download; asked: string[] }> {
  const download = page.waitForEvent('download');
  await page.getByTestId(testId).click();
  const confirm = page.getByTestId('report-export-confirm');
  const first = await Promise.race([download.then(() => 'download' as const), confirm.waitFor().then(() => 'confirm' as const)]);
  if (first === 'download') return { download: await download, asked: [] };
  const asked = await page.getByTestId('report-export-missing').allInnerTexts();
  await page.getByTestId('report-export-confirm-yes').click();
  return { download: await download, asked };
}
