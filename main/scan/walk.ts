/**
 * Recursive walk of the paths given (folders and single files). Follows symbolic links but
 * visits each real directory and file once (no loops, no double counting); reports what it
 * cannot read instead of stopping.
 */
import { opendir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
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
  const seenFiles = new Map<string, string>();

  const visit = async (p: string, explicit: boolean): Promise<void> => {
    if (signal?.aborted) throw new ScanCancelled();
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
    if (st.isDirectory()) {
      if (seenDirs.has(real)) return; // symlink loop or the same folder given twice
      seenDirs.add(real);
      let dir;
      try {
        dir = await opendir(p);
      } catch (e) {
        out.errors.push({ file: p, code: 'FOLDER_UNREADABLE', message: `${p}: cannot list folder (${(e as NodeJS.ErrnoException).code ?? 'EIO'})` });
        return;
      }
      const names: string[] = [];
      for await (const d of dir) names.push(d.name);
      names.sort();
      for (const n of names) await visit(join(p, n), false);
      return;
    }
    if (!st.isFile()) {
      out.skipped.push({ file: p, reason: 'not a regular file' });
      return;
    }
    const first = seenFiles.get(real);
    if (first !== undefined) {
      if (first !== p) out.skipped.push({ file: p, reason: `same file as ${first} (link)` });
      return;
    }
    seenFiles.set(real, p);
    out.files.push(p);
    onFile?.(out.files.length);
  };

  for (const p of paths) await visit(resolve(p), true);
  return out;
}
