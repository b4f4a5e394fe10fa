import { randomBytes } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { APP_ORIGIN, DICOM_SCHEME } from '../../shared/ipc/channels';
import type { ScanResult } from '../../shared/schemas/scan';
import { appResponseHeaders } from './security';

/**
 * The two custom protocols, as plain functions of a Request (tested without Electron):
 *
 * - `frw-dicom://file/<token>` serves the bytes of a file the last scan found. Main replaces
 *   every fileId (an absolute path) in a scan result by a random token before the renderer
 *   sees it; the token → path map is the only way to a file. Unknown token → 404; anything
 *   that is not a plain GET of `file/<token>` → 400/403/405. The renderer never names a path.
 * - `frw-app://app/<path>` serves the built renderer (dist/renderer) and nothing outside it.
 */

/** Privileges of the two schemes (protocol.registerSchemesAsPrivileged, before app ready). */
export const PRIVILEGED_SCHEMES = [
  // standard + secure: a real origin ('self' in the CSP, module workers, wasm streaming).
  { scheme: 'frw-app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  // corsEnabled: the app origin (frw-app://app) fetches from this scheme, which is another
  // origin. It lets any origin read it, so the handler itself only answers the app origin.
  { scheme: DICOM_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
] as const;

/** Files the last scan found: token → absolute path. Replaced as a whole on each scan. */
export class ScannedFiles {
  private byToken = new Map<string, string>();

  /** Register the files of a scan result and return the result with tokens as fileIds. */
  adopt(result: ScanResult): ScanResult {
    const next = new Map<string, string>();
    const tokenFor = (path: string) => {
      const token = randomBytes(18).toString('base64url');
      next.set(token, path);
      return token;
    };
    const studies = result.studies.map((study) => ({
      ...study,
      series: study.series.map((s) => ({ ...s, instances: s.instances.map((i) => ({ ...i, fileId: tokenFor(i.fileId) })) })),
      otherObjects: study.otherObjects.map((o) => ({ ...o, fileId: tokenFor(o.fileId) })),
    }));
    this.byToken = next;
    return { ...result, studies };
  }

  pathOf(token: string): string | undefined {
    return this.byToken.get(token);
  }

  get size(): number {
    return this.byToken.size;
  }
}

/** Bytes of a single DICOM file we are willing to serve (a large multi-frame CT is < 2 GB). */
export const MAX_DICOM_FILE_BYTES = 2 * 1024 ** 3 - 1;

function plain(status: number, text: string, extra: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra } });
}

export async function handleDicomRequest(request: Request, files: ScannedFiles): Promise<Response> {
  const cors = { 'Access-Control-Allow-Origin': APP_ORIGIN, Vary: 'Origin' };
  // Only the app page may read scanned files (corsEnabled would let any origin through).
  const origin = request.headers.get('Origin');
  if (origin !== null && origin !== APP_ORIGIN) return plain(403, 'forbidden origin');
  if (request.method !== 'GET') return plain(405, 'method not allowed', { Allow: 'GET', ...cors });
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return plain(400, 'bad url', cors);
  }
  if (url.protocol !== `${DICOM_SCHEME}:` || url.host !== 'file' || url.search || url.username || url.password) {
    return plain(400, 'bad url', cors);
  }
  const m = /^\/([A-Za-z0-9_-]{16,64})$/.exec(url.pathname);
  if (!m) return plain(404, 'unknown file', cors);
  const path = files.pathOf(m[1]);
  if (!path) return plain(404, 'unknown file', cors);
  try {
    const info = await stat(path);
    if (!info.isFile()) return plain(404, 'unknown file', cors);
    if (info.size > MAX_DICOM_FILE_BYTES) return plain(413, 'file too large', cors);
    const handle = await open(path, 'r');
    try {
      const bytes = await handle.readFile();
      return new Response(bytes, {
        status: 200,
        headers: { 'Content-Type': 'application/dicom', 'Content-Length': String(bytes.byteLength), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...cors },
      });
    } finally {
      await handle.close();
    }
  } catch {
    // The file vanished or became unreadable since the scan; no path in the answer.
    return plain(410, 'file no longer readable', cors);
  }
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

/** File under `root` for an app URL, or null when the URL leaves `root` or is not ours. */
export function resolveAppAsset(root: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  // (URL.origin is 'null' for non-special schemes in Node: compare scheme and host instead.)
  if (`${url.protocol}//${url.host}` !== APP_ORIGIN) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  if (path === '/' || path === '') path = '/index.html';
  const full = resolve(root, `.${path}`);
  const rel = relative(root, full);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null;
  return full;
}

export async function handleAppRequest(request: Request, root: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
  const file = resolveAppAsset(root, request.url);
  if (!file) return plain(403, 'forbidden');
  const type = MIME[extname(file).toLowerCase()];
  if (!type) return plain(404, 'not found');
  try {
    const bytes = await readFile(file);
    return new Response(request.method === 'HEAD' ? null : bytes, { status: 200, headers: appResponseHeaders(type) });
  } catch {
    return plain(404, 'not found');
  }
}
