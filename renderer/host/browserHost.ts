/**
 * HostApi in a plain browser (the `npm run web` app and the end-to-end tests): the File API
 * for folders and files (picker inputs, drag-and-drop), a Web Worker running the shared
 * scanner, IndexedDB for autosaved sessions, downloads for exports.
 *
 * fileId = index (as a string) into the list of files of the last scan; `readFile` serves only
 * ids that scan put in a series or in otherObjects. A new scan replaces the list.
 *
 * Extra (browser only): `scanFiles(files, paths?, onProgress?, signal?)` for files the UI got
 * itself (its hidden inputs, a drop), `filesFromDrop(dataTransfer)`, `setAsideSession(uid, why)`.
 */
import type { HostApi, HostCommand } from '../../shared/ipc/hostApi';
import type { ScanProgress, ScanResult } from '../../shared/schemas/scan';
import { ScanResultSchema } from '../../shared/schemas/scan';
import type { AppError } from '../../shared/errors';
import type { ScanReply, ScanRequest } from './scan.worker';
import { createBrowserPacs } from './browserPacs';

/** A rejected host call: an Error (for stacks) that is also an AppError value. */
export class HostError extends Error implements AppError {
  readonly code: string;
  readonly file?: string;
  readonly field?: string;
  constructor(error: AppError) {
    super(error.message);
    this.name = 'HostError';
    this.code = error.code;
    if (error.file) this.file = error.file;
    if (error.field) this.field = error.field;
  }
}

export const SCAN_CANCELLED = 'SCAN_CANCELLED';

/** The AppError inside anything thrown by a host call (or a generic one). */
export function toAppError(e: unknown, fallbackCode = 'UNEXPECTED'): AppError {
  if (e && typeof e === 'object' && 'code' in e && 'message' in e && typeof (e as AppError).code === 'string') {
    const a = e as AppError;
    return { code: a.code, message: a.message, ...(a.file ? { file: a.file } : {}), ...(a.field ? { field: a.field } : {}) };
  }
  if (e instanceof DOMException && e.name === 'AbortError') return { code: SCAN_CANCELLED, message: 'Cancelled.' };
  return { code: fallbackCode, message: e instanceof Error ? e.message : String(e) };
}

export function isCancelled(e: unknown): boolean {
  return toAppError(e).code === SCAN_CANCELLED;
}

function cancelled(): HostError {
  return new HostError({ code: SCAN_CANCELLED, message: 'Scan cancelled by the user.' });
}

/** A file with the path it had in the chosen folder (webkitRelativePath or the drop's path). */
export interface PickedFile {
  file: File;
  path: string;
}

export interface BrowserHostApi extends HostApi {
  readonly kind: 'browser';
  scanFiles(files: PickedFile[], onProgress?: (p: ScanProgress) => void, signal?: AbortSignal): Promise<ScanResult>;
  filesFromDrop(dataTransfer: DataTransfer): Promise<PickedFile[]>;
  /** Move a stored session aside (kept, not deleted) when its content turns out invalid. */
  setAsideSession(seriesInstanceUid: string, reason: string): Promise<void>;
}

export function pickedFromList(list: FileList | File[]): PickedFile[] {
  return Array.from(list).map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}

// ---------------------------------------------------------------- scanning

function newScanWorker(): Worker {
  return new Worker(new URL('./scan.worker.ts', import.meta.url), { type: 'module', name: 'frw-scan' });
}

/**
 * One idle scan worker is kept ready: starting a module worker (fetch + compile of the scanner)
 * is part of the time between choosing a folder and the first image. Each scan uses the spare
 * and a new spare is started afterwards; a worker is never reused, so a cancelled scan
 * (terminated worker) leaves nothing behind.
 */
let spareWorker: Worker | null = null;
function takeScanWorker(): Worker {
  const w = spareWorker ?? newScanWorker();
  spareWorker = null;
  return w;
}
function warmScanWorker(): void {
  if (!spareWorker && typeof Worker !== 'undefined') spareWorker = newScanWorker();
}

function runScanWorker(picked: PickedFile[], onProgress?: (p: ScanProgress) => void, signal?: AbortSignal): Promise<ScanResult> {
  if (signal?.aborted) return Promise.reject(cancelled());
  return new Promise<ScanResult>((resolve, reject) => {
    const worker = takeScanWorker();
    const finish = () => {
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
      setTimeout(warmScanWorker, 0);
    };
    const onAbort = () => {
      finish();
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.onmessage = (ev: MessageEvent<ScanReply>) => {
      const m = ev.data;
      if (m.type === 'progress') onProgress?.(m.progress);
      else if (m.type === 'done') {
        finish();
        // The worker is a boundary like IPC: check what comes back.
        const parsed = ScanResultSchema.safeParse(m.result);
        if (parsed.success) resolve(parsed.data);
        else reject(new HostError({ code: 'SCAN_RESULT_INVALID', message: `The scanner returned an invalid result: ${parsed.error.message}` }));
      } else {
        finish();
        reject(new HostError(m.error));
      }
    };
    worker.onerror = (ev) => {
      finish();
      reject(new HostError({ code: 'SCAN_WORKER_FAILED', message: `The scan worker failed: ${ev.message || 'unknown error'}` }));
    };
    const req: ScanRequest = { type: 'scan', files: picked.map((p) => p.file), paths: picked.map((p) => p.path) };
    worker.postMessage(req);
  });
}

// ---------------------------------------------------------------- picking and dropping

/** Open the browser's picker; null when the user closes it without choosing. */
function pickWithInput(directory: boolean): Promise<PickedFile[] | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    if (directory) input.webkitdirectory = true;
    input.style.display = 'none';
    document.body.appendChild(input);
    const done = (v: PickedFile[] | null) => {
      input.remove();
      resolve(v);
    };
    input.addEventListener('change', () => done(input.files && input.files.length > 0 ? pickedFromList(input.files) : null), { once: true });
    input.addEventListener('cancel', () => done(null), { once: true });
    input.click();
  });
}

function readAllEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  // readEntries returns batches (100 in Chromium) until an empty one.
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

async function walkEntry(entry: FileSystemEntry, prefix: string, out: PickedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
    out.push({ file, path: prefix + entry.name });
  } else if (entry.isDirectory) {
    const children = await readAllEntries((entry as FileSystemDirectoryEntry).createReader());
    for (const c of children) await walkEntry(c, `${prefix}${entry.name}/`, out);
  }
}

async function filesFromDrop(dt: DataTransfer): Promise<PickedFile[]> {
  const entries = Array.from(dt.items)
    .filter((it) => it.kind === 'file')
    .map((it) => it.webkitGetAsEntry?.())
    .filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return pickedFromList(dt.files);
  const out: PickedFile[] = [];
  for (const e of entries) await walkEntry(e, '', out);
  return out;
}

// ---------------------------------------------------------------- sessions (IndexedDB)

const DB_NAME = 'frw';
const DB_VERSION = 1;
const SESSIONS = 'sessions';
const CORRUPT = 'corrupt-sessions';
const RECORD_FORMAT = 'frw-session-record';

interface SessionRecord {
  format: typeof RECORD_FORMAT;
  savedAt: string;
  /** The session as JSON text, so damage is detected when parsing instead of passing silently. */
  json: string;
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(SESSIONS)) db.createObjectStore(SESSIONS);
      if (!db.objectStoreNames.contains(CORRUPT)) db.createObjectStore(CORRUPT, { autoIncrement: true });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new HostError({ code: 'SESSION_STORE_UNAVAILABLE', message: `Browser storage unavailable: ${req.error?.message ?? 'unknown'}` }));
  });
}

function txDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

function isRecord(v: unknown): v is SessionRecord {
  return !!v && typeof v === 'object' && (v as SessionRecord).format === RECORD_FORMAT && typeof (v as SessionRecord).json === 'string';
}

async function moveAside(db: IDBDatabase, uid: string, record: unknown, reason: string): Promise<void> {
  const tx = db.transaction([SESSIONS, CORRUPT], 'readwrite');
  tx.objectStore(CORRUPT).add({ seriesInstanceUid: uid, keptAt: new Date().toISOString(), reason, record });
  tx.objectStore(SESSIONS).delete(uid);
  await txDone(tx);
}

/** The stored session record of a series (undefined when there is none), as IndexedDB holds it. */
function storedRecord(db: IDBDatabase, uid: string): Promise<unknown> {
  return new Promise<unknown>((resolve, reject) => {
    const req = db.transaction(SESSIONS, 'readonly').objectStore(SESSIONS).get(uid);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function loadSession(uid: string): Promise<unknown | null> {
  const db = await openDb();
  try {
    const record = await storedRecord(db, uid);
    if (record === undefined) return null;
    let reason: string | null = null;
    let value: unknown = null;
    if (!isRecord(record)) reason = 'not a session record';
    else {
      try {
        value = JSON.parse(record.json);
      } catch (e) {
        reason = `unreadable JSON (${(e as Error).message})`;
      }
    }
    if (reason !== null) {
      await moveAside(db, uid, record, reason);
      throw new HostError({
        code: 'SESSION_CORRUPT',
        message: `The saved session of this series was damaged (${reason}); it was kept aside and a new session started.`,
        field: 'session',
      });
    }
    return value;
  } finally {
    db.close();
  }
}

async function saveSession(uid: string, session: unknown): Promise<void> {
  const json = JSON.stringify(session);
  // undefined, functions or symbols have no JSON form: refuse rather than store a record that would read back as damaged.
  if (typeof json !== 'string') throw new HostError({ code: 'SESSION_SAVE_FAILED', message: 'The session has no JSON form; nothing was saved.', field: 'session' });
  const db = await openDb();
  try {
    const record: SessionRecord = { format: RECORD_FORMAT, savedAt: new Date().toISOString(), json };
    const tx = db.transaction(SESSIONS, 'readwrite');
    tx.objectStore(SESSIONS).put(record, uid);
    await txDone(tx);
  } catch (e) {
    throw new HostError({ code: 'SESSION_SAVE_FAILED', message: `Could not save the session: ${(e as Error)?.message ?? e}` });
  } finally {
    db.close();
  }
}

async function setAsideSession(uid: string, reason: string): Promise<void> {
  const db = await openDb();
  try {
    const record = await storedRecord(db, uid);
    if (record !== undefined) await moveAside(db, uid, record, reason);
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------- the host

/** Where the demo CT is served from, relative to the page (resources/demo-ct via Vite's publicDir). */
export const DEMO_BASE = 'demo-ct/';

export function createBrowserHost(): BrowserHostApi {
  warmScanWorker();
  let files: File[] = [];
  let allowed = new Set<string>();

  async function scanFiles(picked: PickedFile[], onProgress?: (p: ScanProgress) => void, signal?: AbortSignal): Promise<ScanResult> {
    const result = await runScanWorker(picked, onProgress, signal);
    // Only now replace the held files: a cancelled scan leaves the current study readable.
    files = picked.map((p) => p.file);
    allowed = new Set<string>();
    for (const st of result.studies) {
      for (const se of st.series) for (const i of se.instances) allowed.add(i.fileId);
      for (const o of st.otherObjects) allowed.add(o.fileId);
    }
    return result;
  }

  async function openDemo(onProgress?: (p: ScanProgress) => void, signal?: AbortSignal): Promise<ScanResult> {
    const fail = (message: string, file?: string): never => {
      throw new HostError({ code: 'DEMO_UNAVAILABLE', message, ...(file ? { file } : {}) });
    };
    let manifest: unknown;
    try {
      const res = await fetch(`${DEMO_BASE}manifest.json`, { signal, cache: 'no-cache' });
      if (!res.ok) fail(`The demo CT is missing (HTTP ${res.status}); run "npm run demo".`, 'demo-ct/manifest.json');
      manifest = await res.json();
    } catch (e) {
      if (signal?.aborted) throw cancelled();
      if (e instanceof HostError) throw e;
      fail(`The demo CT manifest could not be read: ${(e as Error).message}. Run "npm run demo".`, 'demo-ct/manifest.json');
    }
    const names = (manifest as { files?: unknown })?.files;
    if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string' && !n.includes('..'))) {
      fail('The demo CT manifest lists no files.', 'demo-ct/manifest.json');
    }
    const list = names as string[];
    const picked: PickedFile[] = [];
    let fetched = 0;
    // A few requests at a time: fast on localhost without flooding the server.
    const queue = [...list.keys()];
    const out: (PickedFile | undefined)[] = new Array(list.length);
    async function worker() {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        const name = list[i];
        let res: Response;
        try {
          res = await fetch(DEMO_BASE + name, { signal });
        } catch (e) {
          if (signal?.aborted) throw cancelled();
          throw new HostError({ code: 'DEMO_UNAVAILABLE', message: `Could not fetch a demo file: ${(e as Error).message}`, file: `demo-ct/${name}` });
        }
        if (!res.ok) throw new HostError({ code: 'DEMO_UNAVAILABLE', message: `Demo file missing (HTTP ${res.status}).`, file: `demo-ct/${name}` });
        out[i] = { file: new File([await res.blob()], name.split('/').pop() ?? name), path: `demo-ct/${name}` };
        fetched++;
        onProgress?.({ phase: 'walking', filesFound: list.length, filesParsed: fetched });
      }
    }
    await Promise.all([worker(), worker(), worker(), worker()]);
    for (const p of out) if (p) picked.push(p);
    return scanFiles(picked, onProgress, signal);
  }

  return {
    kind: 'browser',
    async openStudy(onProgress, signal) {
      const picked = await pickWithInput(true);
      if (!picked) return null;
      return scanFiles(picked, onProgress, signal);
    },
    openDemo,
    scanFiles,
    filesFromDrop,
    async readFile(fileId: string) {
      if (!allowed.has(fileId)) {
        throw new HostError({ code: 'FILE_NOT_SCANNED', message: `File id "${fileId}" is not part of the current scan.`, field: 'fileId' });
      }
      const f = files[Number(fileId)];
      try {
        return await f.arrayBuffer();
      } catch (e) {
        throw new HostError({ code: 'FILE_UNREADABLE', message: `Cannot read the file (moved or deleted?): ${(e as Error).message}`, file: f.webkitRelativePath || f.name });
      }
    },
    loadSession,
    saveSession,
    setAsideSession,
    async saveExport(suggestedName: string, mimeType: string, bytes: Uint8Array) {
      const blob = new Blob([bytes.slice().buffer as ArrayBuffer], { type: mimeType });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = suggestedName;
      a.style.display = 'none';
      document.body.appendChild(a);
      a.click();
      a.remove();
      // Revoke later: Chromium reads the blob asynchronously after the click.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      return { saved: true, location: suggestedName };
    },
    onCommand(_listener: (command: HostCommand) => void) {
      // No application menu in a browser tab.
      return () => {};
    },
    pacs: createBrowserPacs(scanFiles),
  };
}
