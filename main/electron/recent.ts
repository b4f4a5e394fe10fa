import { basename, resolve } from 'node:path';
import { z } from 'zod';
import { RecentStudySchema, type RecentStudy } from '../../shared/ipc/channels';
import { readJsonFile, writeJsonAtomic } from '../storage/atomicJson';

/** Recent studies (File ▸ Recent studies), newest first, in `<userData>/recent-studies.json`. */
export const MAX_RECENT = 10;
const RecentFileSchema = z.object({ version: z.literal(1), studies: z.array(RecentStudySchema).max(100) });

/** Pure: put `path` first, drop its older entry, keep at most MAX_RECENT. */
export function withRecent(list: readonly RecentStudy[], path: string, now: Date): RecentStudy[] {
  const abs = resolve(path);
  const entry: RecentStudy = { path: abs, label: basename(abs) || abs, openedAt: now.toISOString() };
  return [entry, ...list.filter((r) => r.path !== abs)].slice(0, MAX_RECENT);
}

export interface RecentStore {
  list(): RecentStudy[];
  add(path: string): Promise<RecentStudy[]>;
}

/**
 * Load the list once at start. A corrupt file is moved aside by readJsonFile and reported
 * through `onProblem` (logged by main; the list starts empty). Writes are atomic.
 */
export async function openRecentStore(file: string, onProblem: (message: string) => void, now = () => new Date()): Promise<RecentStore> {
  const loaded = await readJsonFile(file, RecentFileSchema);
  let studies: RecentStudy[] = [];
  if (loaded.ok) studies = (loaded.value?.studies ?? []).slice(0, MAX_RECENT);
  else onProblem(`${loaded.error.code}: ${loaded.error.message}`);
  let writing: Promise<void> = Promise.resolve();
  return {
    list: () => studies.slice(),
    async add(path) {
      studies = withRecent(studies, path, now());
      const snapshot = { version: 1 as const, studies };
      writing = writing.then(() => writeJsonAtomic(file, snapshot)).catch((e) => onProblem(`recent studies not saved: ${(e as Error).message}`));
      await writing;
      return studies.slice();
    },
  };
}
