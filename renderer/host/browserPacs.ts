/**
 * The PACS in the browser host (`npm run web`, the end-to-end tests): the page cannot reach a
 * PACS itself (its CSP allows only its own origin, and PACS servers rarely answer CORS), so every
 * DICOMweb request goes to the serving origin's `/pacs-proxy/` (the dev server and the test
 * server mount main/pacs/devProxy.ts), which forwards it to the configured base URL.
 *
 * - Settings (name, URL, auth kind, user name) are kept in localStorage; the password or token
 *   only in this page's memory, never written anywhere (the Electron host keeps it encrypted with
 *   the OS keychain instead).
 * - Retrieved instances are kept in memory for the page (bounded, oldest series dropped first)
 *   so a retrieval cut off midway resumes with only what is missing.
 */
import type { PacsCacheInfo, PacsHostApi, PacsSettingsState } from '../../shared/ipc/hostApi';
import { listSeries, PACS_ERROR, searchStudies, storeInstances, testConnection, type FetchLike } from '../../shared/pacs/dicomweb';
import { storableObjects } from '../../shared/pacs/plan';
import { retrieveForReading } from '../../shared/pacs/retrieveStudy';
import { checkPacsSettings, checkStudyQuery, pacsNotConfigured, PacsSettingsSchema, secretCarriesOver, type PacsConnection, type PacsSeries, type PacsSettings } from '../../shared/pacs/schemas';
import { ok, type Result } from '../../shared/errors';
import type { ScanProgress, ScanResult } from '../../shared/schemas/scan';
import { HostError, SCAN_CANCELLED, type PickedFile } from './browserHost';

export const PACS_PROXY_PATH = '/pacs-proxy';
export const PACS_BASE_HEADER = 'X-Frw-Pacs-Base';
const SETTINGS_KEY = 'frw.pacs.settings.v1';
/** Retrieved bytes kept in this page's memory at most (a few CT series). */
export const BROWSER_PACS_CACHE_BYTES = 1024 * 1024 * 1024;

function unwrap<T>(r: Result<T>): T {
  if (r.ok) return r.value;
  throw new HostError(r.error.code === PACS_ERROR.CANCELLED ? { ...r.error, code: SCAN_CANCELLED } : r.error);
}

/** Requests to the PACS base URL, sent through the page origin's proxy. */
export function proxyFetch(base: string): FetchLike {
  return (url, init) => {
    if (!url.startsWith(base)) return Promise.reject(new TypeError('not a PACS URL'));
    const headers = new Headers(init.headers);
    headers.set(PACS_BASE_HEADER, base);
    return fetch(`${PACS_PROXY_PATH}${url.slice(base.length)}`, { ...init, headers, cache: 'no-store' }).then(async (r) => {
      // The proxy could not reach the PACS: the same failure as a direct connection refused.
      if (r.status === 502 && r.headers.get('X-Frw-Proxy-Error') === 'unreachable') throw new TypeError(await r.text());
      return r;
    });
  };
}

interface CachedSeries {
  key: string;
  files: Map<string, Uint8Array>;
  usedAt: number;
}

export function createBrowserPacs(scanFiles: (files: PickedFile[], onProgress?: (p: ScanProgress) => void, signal?: AbortSignal) => Promise<ScanResult>): PacsHostApi {
  let secret = '';
  const cache = new Map<string, CachedSeries>();

  function loadSettings(): PacsSettings | null {
    try {
      const raw = localStorage.getItem(SETTINGS_KEY);
      if (!raw) return null;
      const parsed = PacsSettingsSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }
  const state = (): PacsSettingsState => ({ settings: loadSettings(), secretStored: secret !== '', secretStorage: 'memory-only' });
  function connection(): PacsConnection {
    const s = loadSettings();
    if (!s) throw new HostError(pacsNotConfigured());
    return { ...s, secret };
  }
  const usedBytes = () => [...cache.values()].reduce((n, c) => n + [...c.files.values()].reduce((m, b) => m + b.length, 0), 0);
  const info = (): PacsCacheInfo => ({ usedBytes: usedBytes(), limitBytes: BROWSER_PACS_CACHE_BYTES, seriesCount: cache.size });
  function evict(keep: string) {
    while (usedBytes() > BROWSER_PACS_CACHE_BYTES && cache.size > 1) {
      const oldest = [...cache.values()].filter((c) => c.key !== keep).sort((a, b) => a.usedAt - b.usedAt)[0];
      if (!oldest) break;
      cache.delete(oldest.key);
    }
  }
  function seriesCache(c: PacsConnection, study: string, series: string): CachedSeries {
    const key = `${c.baseUrl}|${study}|${series}`;
    let entry = cache.get(key);
    if (!entry) cache.set(key, (entry = { key, files: new Map(), usedAt: Date.now() }));
    entry.usedAt = Date.now();
    return entry;
  }

  return {
    async getSettings() {
      return state();
    },
    async saveSettings(input, newSecret) {
      const settings = unwrap(checkPacsSettings(input));
      const before = loadSettings();
      localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
      if (newSecret !== null) secret = newSecret;
      // Never send one server's password to another (or as another kind of credential).
      else if (!secretCarriesOver(before, settings)) secret = '';
      return state();
    },
    async testConnection() {
      const c = connection();
      return unwrap(await testConnection(proxyFetch(c.baseUrl), c));
    },
    async searchStudies(query, signal) {
      const q = unwrap(checkStudyQuery(query));
      const c = connection();
      return unwrap(await searchStudies(proxyFetch(c.baseUrl), c, q, { signal }));
    },
    async listSeries(studyUid, signal) {
      const c = connection();
      return unwrap(await listSeries(proxyFetch(c.baseUrl), c, studyUid, { signal }));
    },
    async retrieveSeries(studyUid, seriesUid, onProgress, signal) {
      const c = connection();
      const entryOf = (s: PacsSeries) => seriesCache(c, studyUid, s.seriesInstanceUid);
      const got = unwrap(
        await retrieveForReading(
          proxyFetch(c.baseUrl),
          c,
          studyUid,
          seriesUid,
          {
            have: (s) => new Set(entryOf(s).files.keys()),
            put: (s, ref, bytes) => {
              entryOf(s).files.set(ref.sopInstanceUid, bytes);
              return ok(undefined);
            },
          },
          { signal, onProgress },
        ),
      );
      const picked: PickedFile[] = [];
      for (const { series: s, instances } of got.series) {
        const entry = entryOf(s);
        // Short names the study browser can show: "<PACS name>/<modality> <series number>/<n>.dcm".
        const folder = `${c.name}/${s.modality}${s.seriesNumber === null ? '' : ` ${s.seriesNumber}`}`;
        // Only what the PACS lists now (never an image it has dropped since an earlier retrieval).
        for (const [i, ref] of instances.entries()) {
          const bytes = entry.files.get(ref.sopInstanceUid);
          if (bytes) picked.push({ file: new File([bytes.slice().buffer as ArrayBuffer], `${i + 1}.dcm`), path: `${folder}/${i + 1}.dcm` });
        }
        evict(entry.key);
      }
      const result = await scanFiles(picked, undefined, signal);
      // What could not be had (a companion object) is listed like a scan problem.
      return got.problems.length ? { ...result, errors: [...result.errors, ...got.problems] } : result;
    },
    async store(list) {
      const c = connection();
      const { studyInstanceUid, objects } = unwrap(storableObjects(list));
      return unwrap(await storeInstances(proxyFetch(c.baseUrl), c, studyInstanceUid, objects));
    },
    async cacheInfo() {
      return info();
    },
    async clearCache() {
      cache.clear();
      return info();
    },
  };
}
