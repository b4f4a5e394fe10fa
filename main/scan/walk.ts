/**
 * Recursive walk of the paths given (folders and single files). Follows symbolic links but
 * visits each real directory and file once (no loops, no double counting); reports what it
 * cannot read instead of stopping.
 */
import { readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { ScanResult } from '../../shared/schemas/scan';

export interface WalkResult {
  files: string[];
  errors: ScanResult['errors'];
  skipped: ScanResult['skipped'];
}

export class ScanCancelled extends Error {
  readonly code = 'SCAN_CANCELLED';
  constructor() {
    super('Scan cancelled.');
  }
}

const WALK_TURN_MS = 20;

interface WalkFs {
  stat(p: string): Promise<Stats>;
  realpath(p: string): Promise<string>;
  readdir(p: string): Promise<Dirent[]>;
}
const callbackFs: WalkFs = { stat, realpath, readdir: (p) => readdir(p, { withFileTypes: true }) };
// Same calls, blocking: each a few µs instead of a trip through libuv's threads (blocking scans).
const blockingFs: WalkFs = {
  stat: async (p) => statSync(p),
  // The C library's realpath: one call, where Node's JS version checks each path component.
  realpath: async (p) => realpathSync.native(p),
  readdir: async (p) => readdirSync(p, { withFileTypes: true }),
};

/** `blocking`: list with blocking calls (for a thread where blocking stalls no one, see ScanOptions.blockingReads). */
export async function walkPaths(paths: string[], signal?: AbortSignal, onFile?: (n: number) => void, blocking = false): Promise<WalkResult> {
  const fs = blocking ? blockingFs : callbackFs;
  // Blocking listing gives the event loop a turn now and then (a cancel arrives as a message).
  let turnAt = performance.now() + WALK_TURN_MS;
  const turn = async () => {
    if (!blocking || performance.now() < turnAt) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    turnAt = performance.now() + WALK_TURN_MS;
  };
  const out: WalkResult = { files: [], errors: [], skipped: [] };
  const seenDirs = new Set<string>();
  const seenFiles = new Map<string, string>();

  const addFile = (p: string, real: string) => {
    const first = seenFiles.get(real);
    if (first !== undefined) {
      if (first !== p) out.skipped.push({ file: p, reason: `same file as ${first} (link)` });
      return;
    }
    seenFiles.set(real, p);
    out.files.push(p);
    onFile?.(out.files.length);
  };

  const listDir = async (p: string, real: string): Promise<void> => {
    if (seenDirs.has(real)) return; // symlink loop or the same folder given twice
    seenDirs.add(real);
    await turn();
    if (signal?.aborted) throw new ScanCancelled();
    let entries: Dirent[];
    try {
      // One readdir call per folder (an opendir iterator costs a promise per entry).
      entries = await fs.readdir(p);
    } catch (e) {
      out.errors.push({ file: p, code: 'FOLDER_UNREADABLE', message: `${p}: cannot list folder (${(e as NodeJS.ErrnoException).code ?? 'EIO'})` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // An entry name holds no separator and is never '.' or '..': the child paths are the
    // folder's + name, already normal (path.join would normalise them again, file after file).
    const base = p.endsWith(sep) ? p : p + sep;
    const realBase = real === p ? base : real.endsWith(sep) ? real : real + sep;
    for (const e of entries) {
      if (signal?.aborted) throw new ScanCancelled();
      // Plain files and folders need no stat/realpath (their real path is the parent's + name);
      // links and unknown types go through the full check.
      const child = base + e.name;
      const realChild = realBase === base ? child : realBase + e.name;
      if (e.isFile()) addFile(child, realChild);
      else if (e.isDirectory()) await listDir(child, realChild);
      else await visit(child, false);
    }
  };

  const visit = async (p: string, explicit: boolean): Promise<void> => {
    if (signal?.aborted) throw new ScanCancelled();
    let st;
    try {
      st = await fs.stat(p); // follows symlinks; a dangling link fails here
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
      if (code === 'ENOENT' && explicit) out.errors.push({ file: p, code: 'PATH_NOT_FOUND', message: `${p}: no such file or folder` });
      else out.errors.push({ file: p, code: 'FILE_UNREADABLE', message: `${p}: cannot read (${code})` });
      return;
    }
    let real = p;
    try {
      real = await fs.realpath(p);
    } catch {
      /* keep p */
    }
    if (st.isDirectory()) return listDir(p, real);
    if (!st.isFile()) {
      out.skipped.push({ file: p, reason: 'not a regular file' });
      return;
    }
    addFile(p, real);
  };

  for (const p of paths) await visit(resolve(p), true);
  return out;
}
