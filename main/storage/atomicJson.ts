import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';
import { appError, err, ok, type Result } from '../../shared/errors';

/**
 * Crash-safe JSON files. A write goes to a temporary file in the same folder, is flushed to
 * disk (fsync), then renamed over the target: rename within one folder is atomic on POSIX
 * file systems and on NTFS (MoveFileEx with replace), so a reader — or the next start after a
 * crash — sees either the previous complete file or the new complete file, never half of one.
 * The folder is fsynced after the rename (POSIX) so the new name itself survives a power cut.
 *
 * No `.bak` copy is kept: with write-temp-then-rename the target is never partially written,
 * and a file corrupted by something else (disk fault, hand edit) is moved aside and reported by
 * `readJsonFile` rather than silently replaced by an older state.
 */

const TEMP_MARK = '.tmp-';

/** Temporary files of a write to `target` are named `<target>.tmp-<pid>-<random>`. */
export function tempPathFor(target: string): string {
  return `${target}${TEMP_MARK}${process.pid}-${randomBytes(6).toString('hex')}`;
}

function fsyncDir(dir: string): void {
  // Windows cannot open a folder for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems (network mounts) refuse a folder fsync; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Write `text` to `target` atomically (see the module comment). */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(target);
  await mkdir(dir, { recursive: true });
  const temp = tempPathFor(target);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (e) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw e;
  }
  await handle.close();
  try {
    await rename(temp, target);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
  fsyncDir(dir);
}

/**
 * The same, synchronously: for the last write before the process exits (window state on
 * close), where an async write could be cut off by the app quitting.
 */
export function writeFileAtomicSync(target: string, data: string | Uint8Array): void {
  const dir = dirname(target);
  mkdirSync(dir, { recursive: true });
  const temp = tempPathFor(target);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < bytes.byteLength) off += writeSync(fd, bytes, off, bytes.byteLength - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      /* already gone */
    }
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(temp, target);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      /* already gone */
    }
    throw e;
  }
  fsyncDir(dir);
}

export async function writeJsonAtomic(target: string, value: unknown): Promise<void> {
  await writeFileAtomic(target, `${JSON.stringify(value, null, 1)}\n`);
}

/** Name a corrupt file is moved to: `<name>.corrupt-<UTC time>.json` beside it. */
export function corruptPathFor(target: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const base = target.endsWith('.json') ? target.slice(0, -'.json'.length) : target;
  return `${base}.corrupt-${stamp}.json`;
}

export type ReadJsonOptions = { now?: () => Date; /** code of the error for a corrupt file */ corruptCode?: string };

/**
 * Read and validate a JSON file. Missing → ok(null). Unreadable JSON or a value the schema
 * rejects → the file is moved aside to `*.corrupt-<time>.json` (kept, never deleted) and the
 * answer is a coded error naming both files, so the caller can tell the user.
 */
export async function readJsonFile<S extends z.ZodType>(
  target: string,
  schema: S,
  opts: ReadJsonOptions = {},
): Promise<Result<z.output<S> | null>> {
  let text: string;
  try {
    text = await readFile(target, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return ok(null);
    return err(appError('STORAGE_READ_FAILED', `cannot read ${basename(target)}: ${code ?? String(e)}`, { file: target }));
  }
  let problem: string;
  let field: string | undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return ok(parsed.data);
    const issue = parsed.error.issues[0];
    field = issue?.path.join('.') || undefined;
    problem = `does not match the expected format${field ? ` at '${field}'` : ''}: ${issue?.message ?? 'invalid'}`;
  } catch (e) {
    problem = `is not valid JSON (${e instanceof Error ? e.message : String(e)})`;
  }
  const aside = corruptPathFor(target, opts.now?.() ?? new Date());
  try {
    await rename(target, aside);
  } catch (e) {
    return err(
      appError(opts.corruptCode ?? 'STORAGE_CORRUPT', `${basename(target)} ${problem}; it could not be moved aside (${(e as NodeJS.ErrnoException).code ?? e}) and was left in place`, {
        file: target,
        field,
      }),
    );
  }
  return err(appError(opts.corruptCode ?? 'STORAGE_CORRUPT', `${basename(target)} ${problem}; kept as ${basename(aside)}`, { file: aside, field }));
}

/**
 * Remove temporary files left by writes that were interrupted (a killed process). Only files
 * matching `<name>.tmp-<pid>-<hex>` whose writer process is gone are removed.
 */
export async function removeStaleTemps(dir: string, isAlive: (pid: number) => boolean = processAlive): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = /\.tmp-(\d+)-[0-9a-f]+$/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || isAlive(pid)) continue;
    await unlink(join(dir, name)).then(
      () => removed.push(name),
      () => undefined,
    );
  }
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
