/**
 * The browser host's way to a PACS: `/pacs-proxy/<DICOMweb path>` on the serving origin, with
 * the PACS base URL in the `X-Frw-Pacs-Base` header, is forwarded there (method, body, Accept,
 * Content-Type, Authorization) and the answer streamed back. Mounted by the dev server
 * (vite.config.ts) and the end-to-end test server; the Electron app does not use it (its main
 * process makes the requests itself). Only http(s) targets; it serves on loopback only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

export const PACS_PROXY_PATH = '/pacs-proxy';
const BASE_HEADER = 'x-frw-pacs-base';
const FORWARDED_REQUEST_HEADERS = ['accept', 'content-type', 'authorization'];
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'content-length', 'www-authenticate'];

function fail(res: ServerResponse, status: number, message: string) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(message);
}

/** Connect-style middleware: handles `/pacs-proxy/…`, passes anything else to `next`. */
export function pacsProxyMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const url = req.url ?? '';
  if (!url.startsWith(`${PACS_PROXY_PATH}/`)) {
    next();
    return;
  }
  void forward(req, res, url.slice(PACS_PROXY_PATH.length));
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function hostnameOf(hostHeader: string | undefined): string | null {
  if (!hostHeader) return null;
  try {
    return new URL(`http://${hostHeader}`).hostname;
  } catch {
    return null;
  }
}

/**
 * Only the app's own page may use the proxy: the request must be addressed to a loopback name
 * (a DNS-rebinding page would send its own host name) and, when the browser says where it comes
 * from, from that same origin. Otherwise the proxy would be an open door to the hospital network.
 */
export function proxyRequestAllowed(headers: IncomingMessage['headers']): boolean {
  const host = hostnameOf(headers.host);
  if (!host || !LOOPBACK_HOSTS.has(host)) return false;
  const origin = headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === headers.host;
  } catch {
    return false;
  }
}

async function forward(req: IncomingMessage, res: ServerResponse, rest: string): Promise<void> {
  if (!proxyRequestAllowed(req.headers)) return fail(res, 403, 'the PACS proxy serves the app page on this machine only');
  const base = req.headers[BASE_HEADER];
  if (typeof base !== 'string') return fail(res, 400, 'missing X-Frw-Pacs-Base');
  let target: URL;
  try {
    target = new URL(base.replace(/\/+$/, '') + rest);
  } catch {
    return fail(res, 400, 'bad PACS base URL');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return fail(res, 400, 'PACS base URL must be http(s)');
  const headers: Record<string, string> = {};
  for (const h of FORWARDED_REQUEST_HEADERS) {
    const v = req.headers[h];
    if (typeof v === 'string') headers[h] = v;
  }
  const method = req.method ?? 'GET';
  const chunks: Buffer[] = [];
  if (method !== 'GET' && method !== 'HEAD') for await (const c of req) chunks.push(c as Buffer);
  const ac = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) ac.abort();
  });
  let answer: Response;
  try {
    answer = await fetch(target, { method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined, signal: ac.signal, redirect: 'manual' });
  } catch (e) {
    // The page's client turns 502 + this header into "cannot reach the PACS".
    const cause = (e as { cause?: { code?: string } })?.cause?.code ?? (e as Error)?.message ?? String(e);
    res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Frw-Proxy-Error': 'unreachable' });
    res.end(`PACS unreachable: ${cause}`);
    return;
  }
  const out: Record<string, string> = { 'Cache-Control': 'no-store' };
  for (const h of FORWARDED_RESPONSE_HEADERS) {
    const v = answer.headers.get(h);
    // A 401's challenge would make Chromium pop up its own password dialog: the app asks instead.
    if (v !== null && h !== 'www-authenticate') out[h] = v;
  }
  res.writeHead(answer.status, answer.statusText, out);
  if (!answer.body) {
    res.end();
    return;
  }
  const body = Readable.fromWeb(answer.body as import('node:stream/web').ReadableStream);
  body.on('error', () => res.destroy());
  body.pipe(res);
}
