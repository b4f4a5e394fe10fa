/**
 * The PACS in the Electron main process: every DICOMweb request is made here (the page never
 * reaches the network; its CSP stays closed), with the secret from the OS keychain, and the
 * retrieved instances land in the disk cache, whose folders are then scanned like a local study
 * (so the page reads them through frw-dicom: exactly as local files).
 */
import type { AppError, Result } from '../../shared/errors';
import type { PacsCacheInfo, PacsSettingsState } from '../../shared/ipc/hostApi';
import { listSeries, PACS_ERROR, searchStudies, storeInstances, testConnection, type FetchLike } from '../../shared/pacs/dicomweb';
import { storableObjects } from '../../shared/pacs/plan';
import { PACS_COMPANION_MISSING, retrieveForReading, seriesLabel, type RetrieveProblem } from '../../shared/pacs/retrieveStudy';
import { checkStudyQuery, type PacsSeries, type PacsSettingsInput, type PacsStudy, type RetrieveProgress, type StoreOutcome, type StudyQueryInput } from '../../shared/pacs/schemas';
import { appError, ok } from '../../shared/errors';
import type { PacsCache } from './cache';
import type { PacsSettingsStore } from './settingsStore';

export interface PacsService {
  state(): Promise<PacsSettingsState>;
  save(settings: PacsSettingsInput, secret: string | null): Promise<PacsSettingsState>;
  test(): Promise<{ studiesVisible: boolean }>;
  search(query: StudyQueryInput, signal?: AbortSignal): Promise<PacsStudy[]>;
  listSeries(studyUid: string, signal?: AbortSignal): Promise<PacsSeries[]>;
  /** Retrieves into the cache; the folders to scan (the CT series first, then the study's RT / SR objects) and what could not be had. */
  retrieve(studyUid: string, seriesUid: string, onProgress: (p: RetrieveProgress) => void, signal: AbortSignal): Promise<{ folders: string[]; problems: RetrieveProblem[] }>;
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
  /** Series folders of the study last opened from the PACS, and of each retrieval under way. */
  let openFolders: string[] = [];
  const retrieving = new Set<Set<string>>();
  return {
    state: () => deps.settings.state(),
    save: (s, secret) => deps.settings.save(s, secret),
    async test() {
      return unwrap(await testConnection(fetcher, await deps.settings.connection()));
    },
    async search(query, signal) {
      const q = unwrap(checkStudyQuery(query));
      return unwrap(await searchStudies(fetcher, await deps.settings.connection(), q, { signal }));
    },
    async listSeries(studyUid, signal) {
      return unwrap(await listSeries(fetcher, await deps.settings.connection(), studyUid, { signal }));
    },
    async retrieve(studyUid, seriesUid, onProgress, signal) {
      const c = await deps.settings.connection();
      const dirOf = (s: PacsSeries) => deps.cache.seriesDir(c.baseUrl, studyUid, s.seriesInstanceUid);
      const mine = new Set<string>();
      retrieving.add(mine);
      try {
        const r = await retrieveForReading(
          fetcher,
          c,
          studyUid,
          seriesUid,
          {
            async have(s) {
              const dir = dirOf(s);
              mine.add(dir);
              await deps.cache.touch(dir);
              return deps.cache.have(dir);
            },
            async put(s, ref, bytes) {
              try {
                await deps.cache.put(dirOf(s), ref.sopInstanceUid, bytes);
                return ok(undefined);
              } catch (e) {
                return { ok: false, error: { code: 'PACS_CACHE_WRITE', message: `Cannot write the retrieved image to the cache: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` } };
              }
            },
          },
          { signal, onProgress },
        );
        const value = unwrap(r);
        const folders: string[] = [];
        for (const [i, got] of value.series.entries()) {
          const dir = dirOf(got.series);
          // The folder must hold exactly what the PACS lists now: images it dropped since an
          // earlier retrieval are removed, and every listed one must be there (a cache cleared
          // behind the retrieval's back would otherwise open a series with holes).
          const sops = new Set(got.instances.map((x) => x.sopInstanceUid));
          const present = await deps.cache.prune(dir, sops);
          const lost = got.instances.filter((x) => !present.has(x.sopInstanceUid)).length;
          if (lost > 0) {
            const e = appError(PACS_ERROR.INCOMPLETE, `${lost} of ${got.instances.length} retrieved images are no longer in the cache (was it cleared during the retrieval?): open the series again.`);
            if (i === 0) throw e;
            value.problems.push({ file: `${c.name}/${seriesLabel(got.series)}`, code: PACS_COMPANION_MISSING, message: e.message });
            continue;
          }
          deps.log?.(`pacs retrieve: series of ${got.instances.length} instances (${got.fetched} fetched, ${got.reused} from the cache)`);
          folders.push(dir);
        }
        openFolders = folders;
        await deps.cache.enforceLimit([...folders, ...[...retrieving].flatMap((x) => [...x])]);
        return { folders, problems: value.problems };
      } finally {
        retrieving.delete(mine);
      }
    },
    async store(list) {
      const c = await deps.settings.connection();
      const { studyInstanceUid, objects } = unwrap(storableObjects(list));
      const outcome = unwrap(await storeInstances(fetcher, c, studyInstanceUid, objects));
      deps.log?.(`pacs store: ${outcome.stored.length} stored, ${outcome.alreadyPresent.length} already present, ${outcome.failed.length} failed`);
      return outcome;
    },
    cacheInfo: () => deps.cache.info(),
    // Never under the open study or a retrieval under way: their images are still being read.
    clearCache: () => deps.cache.clear([...openFolders, ...[...retrieving].flatMap((x) => [...x])]),
  };
}
