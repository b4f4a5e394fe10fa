import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { appError } from '../../shared/errors';
import type { AppInfo, RecentStudy } from '../../shared/ipc/channels';
import type { HostCommand } from '../../shared/ipc/hostApi';
import type { ScanProgress, ScanResult } from '../../shared/schemas/scan';
import { writeFileAtomic } from '../storage/atomicJson';
import type { SessionStore } from '../storage/sessionStore';
import type { Handlers } from './ipc';
import { ScannedFiles } from './protocol';
import type { RecentStore } from './recent';
import type { PacsService } from '../pacs/service';
import type { RetrieveProgress } from '../../shared/pacs/schemas';

/**
 * What main does for each IPC channel, as plain Node code with its Electron parts (dialogs,
 * the scan worker, sending events) passed in, so it is tested without Electron.
 */

export type RunScan = (paths: string[], opts: { onProgress: (p: ScanProgress) => void; signal: AbortSignal }) => Promise<ScanResult>;

export interface ServiceDeps {
  runScan: RunScan;
  sendProgress(scanId: string, progress: ScanProgress): void;
  /** Folder chooser; null when the user cancels. */
  chooseFolders(): Promise<string[] | null>;
  /** Chooser of several files ("Open files…"); null when the user cancels. */
  chooseFiles?(): Promise<string[] | null>;
  /** Send a command to the page (the same channel as the menu's): asks it to open a drop. */
  sendCommand?(command: HostCommand): void;
  /** Save-as chooser (the OS asks before replacing a file); null when the user cancels. */
  chooseSaveTarget(suggestedName: string, mimeType: string): Promise<string | null>;
  demoDir: string;
  sessions: SessionStore<unknown>;
  recent: RecentStore;
  appInfo: AppInfo;
  /** Main's log (stderr); never patient identifiers. */
  log?: (message: string) => void;
  /** Paths given on the command line: the renderer may open these without a dialog. */
  launchPaths?: readonly string[];
  /** The PACS connection (main/pacs/service.ts); absent, every PACS call answers PACS_NOT_CONFIGURED. */
  pacs?: PacsService;
  sendPacsProgress?(scanId: string, progress: RetrieveProgress): void;
}

export const SCAN_CANCELLED = 'SCAN_CANCELLED';
/** Drops waiting for the page to open them; older ones are forgotten (one study at a time). */
const MAX_PENDING_DROPS = 4;

export interface MainServices {
  handlers: Handlers;
  files: ScannedFiles;
  /** A path main itself offers (command line, a menu entry) may be opened without a dialog. */
  offerPath(path: string): void;
  recentStudies(): RecentStudy[];
}

export function createMainServices(deps: ServiceDeps): MainServices {
  const files = new ScannedFiles();
  const offered = new Set<string>((deps.launchPaths ?? []).map((p) => resolve(p)));
  const running = new Map<string, AbortController>();
  /** Paths of drops the preload reported (a trusted drop event, paths from the OS), by dropId; one use each. */
  const drops = new Map<string, string[]>();

  function pacs(): PacsService {
    if (!deps.pacs) throw appError('PACS_NOT_CONFIGURED', 'The PACS connection is not available in this build.');
    return deps.pacs;
  }

  async function scan(scanId: string, paths: string[], before?: (signal: AbortSignal) => Promise<{ folders: string[]; problems: ScanResult['errors'] }>): Promise<ScanResult> {
    // One study at a time: a new scan cancels the one still running.
    for (const c of running.values()) c.abort();
    if (running.has(scanId)) throw appError('SCAN_ID_IN_USE', `scan ${scanId} is already running`, { field: 'scanId' });
    const controller = new AbortController();
    running.set(scanId, controller);
    try {
      // A PACS retrieval first (cancelled with the same scanId), then its folders are scanned.
      let problems: ScanResult['errors'] = [];
      if (before) {
        try {
          const got = await before(controller.signal);
          paths = [...paths, ...got.folders];
          problems = got.problems;
        } catch (e) {
          const message = e && typeof e === 'object' && 'message' in e ? String((e as { message: unknown }).message) : 'Retrieval cancelled.';
          if (controller.signal.aborted) throw appError(SCAN_CANCELLED, message);
          throw e;
        }
      }
      let result: ScanResult;
      try {
        result = await deps.runScan(paths, {
          signal: controller.signal,
          onProgress: (p) => {
            if (!controller.signal.aborted) deps.sendProgress(scanId, p);
          },
        });
      } catch (e) {
        // Whatever the scanner says when stopped, the renderer sees one code for a cancel.
        if (controller.signal.aborted) throw appError(SCAN_CANCELLED, 'Scan cancelled.');
        throw e;
      }
      if (controller.signal.aborted) throw appError(SCAN_CANCELLED, 'Scan cancelled.');
      // What a PACS retrieval could not bring (a companion object) is listed like a scan problem.
      return files.adopt(problems.length ? { ...result, errors: [...result.errors, ...problems] } : result);
    } finally {
      running.delete(scanId);
    }
  }

  const handlers: Handlers = {
    async openStudy({ scanId, paths, dropId, pick }) {
      let chosen: string[];
      if (dropId) {
        const dropped = drops.get(dropId);
        drops.delete(dropId);
        // Only what the preload saw dropped (main issued this id): never a path the page names.
        if (!dropped) throw appError('PATH_NOT_OFFERED', 'This drop is unknown or was already opened; drop the files again.', { field: 'dropId' });
        chosen = dropped;
      } else if (paths) {
        chosen = paths.map((p) => resolve(p));
        const notOffered = chosen.find((p) => !offered.has(p) && !deps.recent.list().some((r) => r.path === p));
        // The renderer may only reopen what main offered it; anything else goes through the dialog.
        if (notOffered !== undefined) throw appError('PATH_NOT_OFFERED', 'This folder was not chosen in a dialog, on the command line or in the recent studies.', { field: 'paths' });
      } else {
        const picked = pick === 'files' && deps.chooseFiles ? await deps.chooseFiles() : await deps.chooseFolders();
        if (!picked || picked.length === 0) return null;
        chosen = picked.map((p) => resolve(p));
      }
      const missing = chosen.find((p) => !existsSync(p));
      if (missing !== undefined) throw appError('PATH_NOT_FOUND', `${missing} does not exist (moved or unplugged?)`, { file: missing });
      const result = await scan(scanId, chosen);
      for (const p of chosen) offered.add(p);
      await deps.recent.add(chosen[0]);
      return result;
    },
    async openDemo({ scanId }) {
      if (!existsSync(deps.demoDir)) {
        throw appError('DEMO_MISSING', `The demo CT is missing (${deps.demoDir}); run 'npm run demo' to generate it.`, { file: deps.demoDir });
      }
      return scan(scanId, [deps.demoDir]);
    },
    async cancelScan({ scanId }) {
      const c = running.get(scanId);
      if (!c) return { cancelled: false };
      c.abort();
      return { cancelled: true };
    },
    async loadSession({ seriesInstanceUid }) {
      const r = await deps.sessions.load(seriesInstanceUid);
      if (!r.ok) throw r.error;
      return { session: r.value ?? null };
    },
    async saveSession({ seriesInstanceUid, session }) {
      const r = await deps.sessions.save(seriesInstanceUid, session);
      if (!r.ok) throw r.error;
      return { savedAt: new Date().toISOString() };
    },
    async setAsideSession({ seriesInstanceUid, reason }) {
      const r = await deps.sessions.setAside(seriesInstanceUid);
      if (!r.ok) throw r.error;
      if (r.value) deps.log?.(`session set aside (${reason.slice(0, 200)}): ${r.value}`);
      return { keptAs: r.value };
    },
    async saveExport({ suggestedName, mimeType, bytes }) {
      const target = await deps.chooseSaveTarget(suggestedName, mimeType);
      if (!target) return { saved: false };
      try {
        await writeFileAtomic(target, bytes);
      } catch (e) {
        throw appError('EXPORT_WRITE_FAILED', `Could not write ${target}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: target });
      }
      return { saved: true, location: target };
    },
    async offerDropped({ paths }) {
      const chosen = [...new Set(paths.map((p) => resolve(p)))];
      if (paths.some((p) => !isAbsolute(p))) throw appError('IPC_BAD_REQUEST', 'frw:drop:offer: paths must be absolute', { field: 'paths' });
      const dropId = `drop-${randomUUID()}`;
      drops.set(dropId, chosen);
      while (drops.size > MAX_PENDING_DROPS) drops.delete(drops.keys().next().value!);
      deps.sendCommand?.({ type: 'open-dropped', dropId });
      return { dropId };
    },
    async recentStudies() {
      return { studies: deps.recent.list() };
    },
    async appInfo() {
      return deps.appInfo;
    },
    pacsSettings: () => pacs().state(),
    pacsSaveSettings: ({ settings, secret }) => pacs().save(settings, secret),
    pacsTest: () => pacs().test(),
    async pacsSearch({ query }) {
      return { studies: await pacs().search(query) };
    },
    async pacsListSeries({ studyInstanceUid }) {
      return { series: await pacs().listSeries(studyInstanceUid) };
    },
    pacsRetrieve: ({ scanId, studyInstanceUid, seriesInstanceUid }) =>
      scan(scanId, [], (signal) => pacs().retrieve(studyInstanceUid, seriesInstanceUid, (p) => deps.sendPacsProgress?.(scanId, p), signal)),
    pacsStore: ({ objects }) => pacs().store(objects),
    pacsCacheInfo: () => pacs().cacheInfo(),
    pacsClearCache: () => pacs().clearCache(),
  };

  return {
    handlers,
    files,
    offerPath: (p) => offered.add(resolve(p)),
    recentStudies: () => deps.recent.list(),
  };
}
