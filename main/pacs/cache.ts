/**
 * Retrieved PACS instances on disk (userData/pacs/cache/<server>/<study>/<series>/<sop>.dcm),
 * bounded by a size limit: after each retrieval the least recently used series go first, never
 * the one just opened. A file appears under its final name only once complete (temp + rename),
 * so an instance cut off midway is fetched again by the next retrieval, and what is there is
 * reused (a resume fetches only what is missing). The user can clear it (PACS settings).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PacsCacheInfo } from '../../shared/ipc/hostApi';

/** Default bound of the cache: a few dozen CT series. */
export const DEFAULT_PACS_CACHE_BYTES = 4 * 1024 * 1024 * 1024;
const USED_MARK = '.used';

/** A UID as a folder name: DICOM UIDs are digits and dots; anything else is hashed, never a path. */
function safeName(uid: string): string {
  return /^[0-9.]{1,64}$/.test(uid) ? uid : `h${createHash('sha256').update(uid).digest('hex').slice(0, 32)}`;
}

export interface PacsCache {
  seriesDir(serverUrl: string, studyUid: string, seriesUid: string): string;
  /** SOP instance UIDs already complete in that series folder. */
  have(dir: string): Promise<Set<string>>;
  put(dir: string, sopInstanceUid: string, bytes: Uint8Array): Promise<void>;
  /** Marks a series as just used (eviction order). */
  touch(dir: string): Promise<void>;
  /** Removes the files of `dir` that are not among `sopInstanceUids` (instances the PACS no longer lists); the SOP instance UIDs left. */
  prune(dir: string, sopInstanceUids: ReadonlySet<string>): Promise<Set<string>>;
  /** Drops least recently used series until under the limit, keeping `keep`. */
  enforceLimit(keep: string[]): Promise<void>;
  info(): Promise<PacsCacheInfo>;
  /** Empties the cache except the series folders in `keep` (the open study, a retrieval under way). */
  clear(keep?: string[]): Promise<PacsCacheInfo>;
}

export function createPacsCache(root: string, limitBytes = DEFAULT_PACS_CACHE_BYTES): PacsCache {
  async function seriesDirs(): Promise<Array<{ dir: string; bytes: number; usedMs: number }>> {
    if (!existsSync(root)) return [];
    const out: Array<{ dir: string; bytes: number; usedMs: number }> = [];
    for (const server of await readdir(root)) {
      for (const study of await readdir(join(root, server)).catch(() => [])) {
        for (const series of await readdir(join(root, server, study)).catch(() => [])) {
          const dir = join(root, server, study, series);
          let bytes = 0;
          for (const f of await readdir(dir).catch(() => [])) if (f.endsWith('.dcm')) bytes += (await stat(join(dir, f)).catch(() => ({ size: 0 }))).size;
          const usedMs = (await stat(join(dir, USED_MARK)).catch(() => null))?.mtimeMs ?? 0;
          out.push({ dir, bytes, usedMs });
        }
      }
    }
    return out;
  }
  async function info(): Promise<PacsCacheInfo> {
    const all = await seriesDirs();
    return { usedBytes: all.reduce((n, s) => n + s.bytes, 0), limitBytes, seriesCount: all.length };
  }
  return {
    seriesDir: (serverUrl, studyUid, seriesUid) => join(root, createHash('sha256').update(serverUrl).digest('hex').slice(0, 16), safeName(studyUid), safeName(seriesUid)),
    async have(dir) {
      const names = await readdir(dir).catch(() => [] as string[]);
      return new Set(names.filter((n) => n.endsWith('.dcm')).map((n) => n.slice(0, -4)));
    },
    async put(dir, sop, bytes) {
      await mkdir(dir, { recursive: true });
      const name = `${safeName(sop)}.dcm`;
      const temp = join(dir, `.${name}.${process.pid}.${Math.random().toString(36).slice(2)}.part`);
      await writeFile(temp, bytes);
      await rename(temp, join(dir, name));
    },
    async prune(dir, sops) {
      const left = new Set<string>();
      for (const n of await readdir(dir).catch(() => [] as string[])) {
        if (!n.endsWith('.dcm')) continue;
        const sop = n.slice(0, -4);
        if (sops.has(sop)) left.add(sop);
        else await rm(join(dir, n), { force: true });
      }
      return left;
    },
    async touch(dir) {
      await mkdir(dir, { recursive: true });
      const mark = join(dir, USED_MARK);
      const now = new Date();
      await writeFile(mark, '').catch(() => undefined);
      await utimes(mark, now, now).catch(() => undefined);
    },
    async enforceLimit(keep) {
      const all = (await seriesDirs()).sort((a, b) => a.usedMs - b.usedMs);
      let total = all.reduce((n, s) => n + s.bytes, 0);
      for (const s of all) {
        if (total <= limitBytes) break;
        if (keep.includes(s.dir)) continue;
        await rm(s.dir, { recursive: true, force: true });
        total -= s.bytes;
      }
    },
    info,
    async clear(keep = []) {
      if (keep.length === 0) await rm(root, { recursive: true, force: true });
      else for (const s of await seriesDirs()) if (!keep.includes(s.dir)) await rm(s.dir, { recursive: true, force: true });
      return info();
    },
  };
}
