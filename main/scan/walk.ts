/**
 * Recursive walk of the paths given (folders and single files). Follows symbolic links but
 * visits each real directory and file once (no loops, no double counting); reports what it
 * cannot read instead of stopping.
 */
import type { Dirent } from 'node:fs';
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

export async function walkPaths(paths: string[], signal?: AbortSignal, onFile?: (n: number) => void): Promise<WalkResult> {
  const out: WalkResult = { files: [], errors: [], skipped: [] };
  const seenDirs = new Set<string>();
  // Every file found with its real path. The same file reached twice (a link, a path given twice)
  // is kept once, at its first path: settled at the end (a folder of plain files needs no lookup).
  const reals: string[] = [];
  let throughLink = false;

  const addFile = (p: string, real: string) => {
    out.files.push(p);
    reals.push(real);
    onFile?.(out.files.length);
  };

  const listDir = async (p: string, real: string): Promise<void> => {
    if (seenDirs.has(real)) return; // symlink loop or the same folder given twice
    seenDirs.add(real);
    if (signal?.aborted) throw new ScanCancelled();
    let entries: Dirent[];
    try {
      // One readdir call per folder (an opendir iterator costs a promise per entry).
      entries = await readdir(p, { withFileTypes: true });
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
    throughLink ||= !explicit;
    let st;
    try {
      st = await stat(p); // follows symlinks; a dangling link fails here
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
      if (code === 'ENOENT' && explicit) out.errors.push({ file: p, code: 'PATH_NOT_FOUND', message: `${p}: no such file or folder` });
      else out.errors.push({ file: p, code: 'FILE_UNREADABLE', message: `${p}: cannot read (${code})` });
      return;
    }
    let real = p;
    try {
      real = await realpath(p);
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
  // Files are distinct unless reached through a link or given by path (more than one path given).
  if (throughLink || paths.length > 1) keepFirstOfEachFile(out, reals);
  return out;
}

/** Drops the files already found under another path (kept at the first), each named in `skipped`. */
function keepFirstOfEachFile(out: WalkResult, reals: string[]): void {
  const first = new Map<string, string>();
  const files: string[] = [];
  out.files.forEach((p, k) => {
    const seen = first.get(reals[k]);
    if (seen === undefined) {
      first.set(reals[k], p);
      files.push(p);
    } else if (seen !== p) out.skipped.push({ file: p, reason: `same file as ${seen} (link)` });
  });
  out.files = files;
}
