import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { z } from 'zod';
import { appError, err, ok, type Result } from '../../shared/errors';
import { rename } from 'node:fs/promises';
import { corruptPathFor, readJsonFile, removeStaleTemps, writeJsonAtomic } from './atomicJson';

/**
 * Autosaved sessions (lesions, measurements, assessment), one JSON file per series under the
 * app's data folder (`<userData>/sessions/session-<uid>.json`).
 *
 * Saves of one series are serialised and coalesced: while a write runs, later saves replace
 * each other and only the newest is written next. So the file on disk only ever moves forward
 * (an older save can never land after a newer one), and a burst of autosaves costs two writes.
 */

/** Same code as the browser host's IndexedDB store, so the UI handles both alike. */
export const SESSION_CORRUPT = 'SESSION_CORRUPT';

/** Longest file-name stem we produce (file systems allow 255 bytes; leave room for suffixes). */
const MAX_STEM_CHARS = 120;

/**
 * File name for a series UID. DICOM UIDs are digits and dots and pass through unchanged
 * (readable on disk); anything else is replaced, and then a hash of the original UID is added
 * so two different UIDs can never share a file.
 */
export function sessionFileName(seriesInstanceUid: string): string {
  const safe = seriesInstanceUid
    .replace(/[^0-9A-Za-z._-]/g, '_')
    .replace(/\.{2,}/g, '_')
    .replace(/^\./, '_');
  const changed = safe !== seriesInstanceUid || safe.length > MAX_STEM_CHARS || safe.length === 0;
  if (!changed) return `session-${safe}.json`;
  const hash = createHash('sha256').update(seriesInstanceUid, 'utf8').digest('hex').slice(0, 16);
  return `session-${safe.slice(0, MAX_STEM_CHARS - 17)}~${hash}.json`;
}

export interface SessionStore<T> {
  /** The saved session, null when none; a corrupt file is moved aside → `SESSION_CORRUPT`. */
  load(seriesInstanceUid: string): Promise<Result<T | null>>;
  /** Resolves once this session (or a newer one for the same series) is on disk. */
  save(seriesInstanceUid: string, session: T): Promise<Result<void>>;
  /** Move the saved session aside (kept as `*.corrupt-<time>.json`, never deleted) when the
   * caller finds it unusable; answers where it went, null when there was none. */
  setAside(seriesInstanceUid: string): Promise<Result<string | null>>;
  pathFor(seriesInstanceUid: string): string;
  /** Resolves when no save is pending or running (the app waits for this before quitting). */
  idle(): Promise<void>;
}

type Pending<T> = { value: T; waiters: Array<(r: Result<void>) => void> };
type Lane<T> = { running: boolean; pending: Pending<T> | null };

export function createSessionStore<S extends z.ZodType>(opts: { dir: string; schema: S }): SessionStore<z.output<S>> {
  type T = z.output<S>;
  const lanes = new Map<string, Lane<T>>();
  let cleaned: Promise<unknown> | null = null;
  const pathFor = (uid: string) => join(opts.dir, sessionFileName(uid));

  async function drain(path: string, lane: Lane<T>): Promise<void> {
    lane.running = true;
    while (lane.pending) {
      const { value, waiters } = lane.pending;
      lane.pending = null;
      let result: Result<void>;
      try {
        await writeJsonAtomic(path, value);
        result = ok(undefined);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
        result = err(appError('STORAGE_WRITE_FAILED', `session not saved (${code})`, { file: path }));
      }
      for (const w of waiters) w(result);
    }
    lane.running = false;
    lanes.delete(path);
  }

  return {
    pathFor,
    async idle() {
      while (lanes.size > 0) await new Promise((r) => setTimeout(r, 5));
    },
    async load(uid) {
      cleaned ??= removeStaleTemps(opts.dir);
      await cleaned;
      return readJsonFile(pathFor(uid), opts.schema, { corruptCode: SESSION_CORRUPT });
    },
    async setAside(uid) {
      const path = pathFor(uid);
      // Wait for a write in progress, so the file set aside is the one the caller read or newer.
      while (lanes.get(path)?.running) await new Promise((r) => setTimeout(r, 5));
      const aside = corruptPathFor(path);
      try {
        await rename(path, aside);
        return ok(aside);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return ok(null);
        return err(appError('STORAGE_WRITE_FAILED', `session could not be set aside (${code ?? String(e)})`, { file: path }));
      }
    },
    save(uid, session) {
      const parsed = opts.schema.safeParse(session);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue?.path.join('.') || undefined;
        return Promise.resolve(
          err(appError('SESSION_INVALID', `session not saved: ${issue?.message ?? 'invalid'}${field ? ` at '${field}'` : ''}`, { field })),
        );
      }
      const path = pathFor(uid);
      let lane = lanes.get(path);
      if (!lane) {
        lane = { running: false, pending: null };
        lanes.set(path, lane);
      }
      const l = lane;
      return new Promise<Result<void>>((resolve) => {
        const waiters = l.pending ? [...l.pending.waiters, resolve] : [resolve];
        l.pending = { value: parsed.data, waiters };
        if (!l.running) void drain(path, l);
      });
    },
  };
}
