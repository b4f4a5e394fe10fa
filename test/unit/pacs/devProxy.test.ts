/**
 * The browser host's PACS proxy (dev server, e2e server) serves the app's own page only: a page
 * that rebinds its DNS name to this machine, or another origin, must not reach the hospital
 * network through it.
 */
import { createServer, request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pacsProxyMiddleware, proxyRequestAllowed } from '../../../main/pacs/devProxy';

describe('PACS proxy', () => {
  it('accepts the app page on a loopback name, refuses rebinding hosts and other origins', () => {
    expect(proxyRequestAllowed({ host: '127.0.0.1:5173' })).toBe(true);
    expect(proxyRequestAllowed({ host: 'localhost:5173', origin: 'http://localhost:5173' })).toBe(true);
    expect(proxyRequestAllowed({ host: '[::1]:5173', origin: 'http://[::1]:5173' })).toBe(true);
    expect(proxyRequestAllowed({ host: 'evil.example:5173' })).toBe(false);
    expect(proxyRequestAllowed({ host: '127.0.0.1:5173', origin: 'http://evil.example' })).toBe(false);
    expect(proxyRequestAllowed({ host: '127.0.0.1:5173', origin: 'http://127.0.0.1:9999' })).toBe(false);
    expect(proxyRequestAllowed({})).toBe(false);
  });

  describe('over HTTP', () => {
    let target: Server;
    let proxy: Server;
    let targetUrl = '';
    let proxyPort = 0;
    beforeAll(async () => {
      target = createServer((req, res) => res.writeHead(200, { 'Content-Type': 'application/dicom+json' }).end(JSON.stringify([{ path: req.url, auth: req.headers.authorization ?? null }])));
      await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
      targetUrl = `http://127.0.0.1:${(target.address() as { port: number }).port}/dicom-web`;
      proxy = createServer((req, res) => pacsProxyMiddleware(req, res, () => res.writeHead(404).end()));
      await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
      proxyPort = (proxy.address() as { port: number }).port;
    });
    afterAll(() => {
      target.close();
      proxy.close();
    });

    it('forwards the app page’s request with its Authorization, and refuses a foreign Host', async () => {
      const ok = await fetch(`http://127.0.0.1:${proxyPort}/pacs-proxy/studies?limit=1`, { headers: { 'X-Frw-Pacs-Base': targetUrl, Authorization: 'Basic eDp5' } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual([{ path: '/dicom-web/studies?limit=1', auth: 'Basic eDp5' }]);
      // fetch may not set Host: a raw request, as a DNS-rebinding page's browser would send it.
      const rebound = await new Promise<number>((resolve, reject) => {
        const r = request({ host: '127.0.0.1', port: proxyPort, path: '/pacs-proxy/studies', headers: { 'X-Frw-Pacs-Base': targetUrl, Host: `evil.example:${proxyPort}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        r.on('error', reject);
        r.end();
      });
      expect(rebound).toBe(403);
      const notHttp = await fetch(`http://127.0.0.1:${proxyPort}/pacs-proxy/x`, { headers: { 'X-Frw-Pacs-Base': 'file:///etc' } });
      expect(notHttp.status).toBe(400);
    });
  });
});
