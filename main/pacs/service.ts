/**
 * The PACS in the Electron main process: every DICOMweb request is made here (the page never
 * reaches the network; its CSP stays closed), with the secret from the OS keychain, and the
 * retrieved instances land in the disk cache, whose folders are then scanned like a local study
 * (so the page reads them through frw-dicom: exactly as local files).
 */
import type { AppError, Result } from '../../shared/errors';
import type { PacsCacheInfo, PacsSettingsState } from '../../shared/ipc/hostApi';
import { listSeries, PACS_ERROR, retrieveSeries, searchStudies, storeInstances, testConnection, type FetchLike } from '../../shared/pacs/dicomweb';
import { seriesToRetrieve, storableObjects } from '../../shared/pacs/plan';
import { StudyQuerySchema, type PacsSeries, type PacsSettingsInput, type PacsStudy, type RetrieveProgress, type StoreOutcome, type StudyQueryInput } from '../../shared/pacs/schemas';
import { ok } from '../../shared/errors';
import type { PacsCache } from './cache';
import type { PacsSettingsStore } from './settingsStore';

export interface PacsService {
  state(): Promise<PacsSettingsState>;
  save(settings: PacsSettingsInput, secret: string | null): Promise<PacsSettingsState>;
  test(): Promise<{ studiesVisible: boolean }>;
  search(query: StudyQueryInput, signal?: AbortSignal): Promise<PacsStudy[]>;
  listSeries(studyUid: string, signal?: AbortSignal): Promise<PacsSeries[]>;
  /** Retrieves into the cache; the folders to scan (the CT series first, then the study's RT / SR objects). */
  retrieve(studyUid: string, seriesUid: string, onProgress: (p: RetrieveProgress) => void, signal: AbortSignal): Promise<string[]>;
  store(objects: Uint8Array[]): Promise<StoreOutcome>;
  cacheInfo(): Promise<PacsCacheInfo>;
  clearCache(): Promise<PacsCacheInfo>;
}

/** Throws the AppError of a failed result (IPC dispatch turns it into the coded answer). */
function unwrap<T>(r: Result<T, AppError>): T {
  if (r.ok) return r.value;
  throw r.error;
}

export function createPacsService(deps: { settings: PacsSettingsStore; cache: PacsCache; fetch?: FetchLike; log?: (m: string) => void }): PacsService {
  const fetcher: FetchLike = deps.fetch ?? ((url, init) => fetch(url, init));
  return {
    state: () => deps.settings.state(),
    save: (s, secret) => deps.settings.save(s, secret),
    async test() {
      return unwrap(await testConnection(fetcher, await deps.settings.connection()));
    },
    async search(query, signal) {
      const q = StudyQuerySchema.safeParse(query);
      if (!q.success) throw { code: 'PACS_QUERY_INVALID', message: `Search: ${q.error.issues[0].message}`, field: q.error.issues[0].path.join('.') };
      return unwrap(await searchStudies(fetcher, await deps.settings.connection(), q.data, { signal }));
    },
    async listSeries(studyUid, signal) {
      return unwrap(await listSeries(fetcher, await deps.settings.connection(), studyUid, { signal }));
    },
    async retrieve(studyUid, seriesUid, onProgress, signal) {
      const c = await deps.settings.connection();
      const plan = unwrap(seriesToRetrieve(unwrap(await listSeries(fetcher, c, studyUid, { signal })), seriesUid));
      const total = plan.reduce((n, s) => n + (s.instanceCount ?? 0), 0);
      const folders: string[] = [];
      let doneBefore = 0;
      let bytesBefore = 0;
      for (const s of plan) {
        const dir = deps.cache.seriesDir(c.baseUrl, studyUid, s.seriesInstanceUid);
        await deps.cache.touch(dir);
        const r = await retrieveSeries(fetcher, c, studyUid, s.seriesInstanceUid, {
          signal,
          have: await deps.cache.have(dir),
          onInstance: async (ref, bytes) => {
            try {
              await deps.cache.put(dir, ref.sopInstanceUid, bytes);
              return ok(undefined);
            } catch (e) {
              return { ok: false, error: { code: 'PACS_CACHE_WRITE', message: `Cannot write the retrieved image to the cache: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` } };
            }
          },
          onProgress: (p) => onProgress({ done: doneBefore + p.done, total: Math.max(total, doneBefore + p.total), bytes: bytesBefore + p.bytes }),
        });
        if (!r.ok && r.error.code === PACS_ERROR.CANCELLED) throw r.error;
        const value = unwrap(r);
        deps.log?.(`pacs retrieve: series of ${value.instances.length} instances (${value.fetched} fetched, ${value.reused} from the cache)`);
        doneBefore += value.instances.length;
        bytesBefore += value.bytes;
        folders.push(dir);
      }
      await deps.cache.enforceLimit(folders);
      return folders;
    },
    async store(list) {
      const c = await deps.settings.connection();
      const { studyInstanceUid, objects } = unwrap(storableObjects(list));
      const outcome = unwrap(await storeInstances(fetcher, c, studyInstanceUid, objects));
      deps.log?.(`pacs store: ${outcome.stored.length} stored, ${outcome.alreadyPresent.length} already present, ${outcome.failed.length} failed`);
      return outcome;
    },
    cacheInfo: () => deps.cache.info(),
    clearCache: () => deps.cache.clear(),
  };
}
