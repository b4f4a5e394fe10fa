import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { handleAppRequest } from '../../main/electron/protocol';
import { APP_ORIGIN } from '../../shared/ipc/channels';
import { buildRenderer, CHROMIUM_ARGS, DEMO_DIR, ensureDemo, RESULTS_DIR, waitForScan } from './harness';

/**
 * The built renderer as the Electron app serves it: every response comes from the app
 * protocol's handler (main/electron/protocol.ts → handleAppRequest: its CSP header, MIME types,
 * path checks), bridged to HTTP because Chromium cannot register frw-app: itself. Electron
 * cannot run here; this shows that the header CSP and the served types let the real UI run
 * (module workers, wasm, blob: URLs) without a single CSP violation — not that Electron does.
 */
describe('renderer under the Electron app protocol headers', () => {
  it('opens the demo CT with no CSP violation and no page error', async () => {
    ensureDemo();
    const root = await buildRenderer();
    const server = createServer(async (req, res) => {
      const url = req.url ?? '/';
      if (url.startsWith('/demo-ct/')) {
        // The browser host fetches the demo over HTTP; in Electron, main scans it from disk.
        const file = normalize(join(DEMO_DIR, decodeURIComponent(url.slice('/demo-ct/'.length).split('?')[0])));
        if (!file.startsWith(DEMO_DIR) || !existsSync(file)) return void res.writeHead(404).end();
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        return void createReadStream(file).pipe(res);
      }
      const r = await handleAppRequest(new Request(`${APP_ORIGIN}${url}`), root);
      const headers: Record<string, string> = {};
      r.headers.forEach((v, k) => (headers[k] = v));
      res.writeHead(r.status, headers).end(Buffer.from(await r.arrayBuffer()));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const port = (server.address() as { port: number }).port;
    const profile = mkdtempSync(join(tmpdir(), 'frw-e2e-proto-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1600, height: 1000 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const violations: string[] = [];
      const pageErrors: string[] = [];
      const badTypes: string[] = [];
      await page.exposeFunction('__cspViolation', (v: string) => violations.push(v));
      await page.addInitScript(() =>
        document.addEventListener('securitypolicyviolation', (e) =>
          (window as unknown as { __cspViolation(v: string): void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
        ),
      );
      page.on('pageerror', (e) => pageErrors.push(String(e)));
      page.on('response', (r) => {
        const u = new URL(r.url());
        // blob: URLs (Cornerstone's cursors, workers) carry no headers of ours.
        if (u.protocol !== 'http:' || u.pathname.startsWith('/demo-ct/') || r.status() !== 200) return;
        const type = r.headers()['content-type'] ?? '';
        const ok = /\.m?js$/.test(u.pathname) ? type.startsWith('text/javascript') : u.pathname.endsWith('.wasm') ? type === 'application/wasm' : true;
        if (!ok) badTypes.push(`${u.pathname} ${type}`);
        if (!r.headers()['content-security-policy']) badTypes.push(`${u.pathname} without CSP header`);
      });
      const response = await page.goto(`http://127.0.0.1:${port}/index.html?test=1&demo=1`);
      expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
      const scan = await waitForScan(page, 0);
      expect(scan?.studies[0]?.series[0]?.instanceCount).toBeGreaterThan(50);
      // Let the viewer load the volume and start its decode workers.
      await page.waitForFunction(() => document.querySelectorAll('canvas').length > 0, null, { timeout: 60_000 });
      await page.waitForTimeout(4000);
      await page.screenshot({ path: join(RESULTS_DIR, 'electron-app-protocol.png') });
      expect(page.workers().some((w) => /decodeImageFrameWorker/.test(w.url()))).toBe(true);
      expect(violations).toEqual([]);
      expect(pageErrors).toEqual([]);
      expect(badTypes).toEqual([]);
    } finally {
      await context.close().catch(() => {});
      server.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
