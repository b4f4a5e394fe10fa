/**
 * Parses headers of many files: in worker threads (read + parse there, in batches) or, when
 * workers are not wanted or cannot start (packaged builds, small scans), on this thread with
 * overlapping async reads. Results come back in input order.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
// Imported: the global `performance` is a lazy accessor, looked up again at every call in a loop.
import { performance } from 'node:perf_hooks';
import type { HeaderResult } from '../../shared/schemas/scan';
import { fileUnreadable, HEADER_READ, parsePrefix, readAndParse, readAndParseSync, readPrefix } from './readHeader';
import { BLOCKING_TURN_MS, ScanCancelled } from './walk';
import type { PoolReply, PoolRequest } from './headerWorker';

/** Files per message to a worker: large enough to amortise messaging, small for progress
 * and for balancing small scans (at least ~4 batches per worker). */
const MAX_BATCH = 32;
const MIN_BATCH = 4;
/**
 * Reads in flight on this thread. libuv has 4 threads; more requests queued than threads keep
 * them busy while this thread parses (TCIA folder, 2 cores: the read floor is 7.0 ms at 8,
 * 5.4 ms at 16, 7.4 ms at 4).
 */
export const IN_THREAD_CONCURRENCY = 16;
/** A worker that has not said ready by then is treated as unable to start. */
const WORKER_START_TIMEOUT_MS = 10_000;

/**
 * The worker's code: headerWorker.ts and its imports bundled once per process with esbuild
 * (a dev dependency: ~50 ms, against ~1 s for each worker to load TypeScript through tsx).
 * Where esbuild or the sources are absent (a packaged build), null: parse in-thread.
 */
let workerCode: Promise<string | null> | null = null;
function bundledWorker(): Promise<string | null> {
  workerCode ??= (async () => {
    try {
      const base = import.meta.url;
      if (!base) return null;
      const entry = fileURLToPath(new URL('./headerWorker.ts', base));
      const esbuild = await import('esbuild');
      const out = await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'silent' });
      return out.outputFiles[0]?.text ?? null;
    } catch {
      return null;
    }
  })();
  return workerCode;
}

/**
 * Runs `handle` on the first HEADER_READ.firstBytes of every file, at most
 * IN_THREAD_CONCURRENCY reads in flight (libuv's threads read while this thread parses what has
 * arrived), one reused buffer per read in flight. `handle` gets the bytes only for the duration
 * of the call. Results in input order. The scan bench's floor runs this with a no-op handle.
 */
export function forEachPrefix<T>(
  files: string[],
  handle: (file: string, bytes: Uint8Array | null, size: number, error: NodeJS.ErrnoException | null) => T | Promise<T>,
  signal?: AbortSignal,
  onDone?: (n: number) => void,
): Promise<T[]> {
  const results: T[] = new Array(files.length);
  if (files.length === 0) return Promise.resolve(results);
  return new Promise((resolve, reject) => {
    const free: Uint8Array[] = [];
    let next = 0;
    let done = 0;
    let failed = false;
    const finish = (i: number, r: T) => {
      results[i] = r;
      done++;
      onDone?.(done);
      if (done === files.length) resolve(results);
      else start();
    };
    const fail = (e: unknown) => {
      failed = true;
      reject(e);
    };
    const start = () => {
      if (failed || next >= files.length) return;
      if (signal?.aborted) return fail(new ScanCancelled());
      const i = next++;
      const buf = free.pop() ?? new Uint8Array(HEADER_READ.firstBytes);
      readPrefix(files[i], buf, (e, n, size) => {
        if (failed) return;
        let r: T | Promise<T>;
        try {
          r = e ? handle(files[i], null, 0, e) : handle(files[i], buf.subarray(0, n), size, null);
        } catch (err) {
          return fail(err);
        }
        free.push(buf);
        if (r instanceof Promise) r.then((v) => finish(i, v), fail);
        else finish(i, r);
      });
    };
    for (let k = 0; k < Math.min(IN_THREAD_CONCURRENCY, files.length); k++) start();
  });
}

export function parseInThread(files: string[], signal: AbortSignal | undefined, onParsed: (n: number) => void): Promise<HeaderResult[]> {
  return forEachPrefix<HeaderResult>(
    files,
    (file, bytes, size, error) => {
      if (error || !bytes) return fileUnreadable(file, error);
      // A header longer than the prefix (RT structure sets): read again, growing, from the start.
      return parsePrefix(file, bytes, size) ?? readAndParse(file, HEADER_READ.firstBytes * HEADER_READ.growth);
    },
    signal,
    onParsed,
  );
}

/** Most files read in one slice of parseBlocking (the slice also ends after BLOCKING_TURN_MS). */
const BLOCKING_SLICE_FILES = 64;

/**
 * Blocking reads and parsing on this thread, in slices (BLOCKING_TURN_MS or BLOCKING_SLICE_FILES)
 * with an event-loop turn between them. For threads that draw nothing and answer no one but their parent
 * (the Electron scan worker): a blocking read of a cached header costs a few µs, the
 * callback path several times that in request set-up (scan bench: 'callback rd' vs 'read only').
 */
export async function parseBlocking(files: string[], signal: AbortSignal | undefined, onParsed: (n: number) => void): Promise<HeaderResult[]> {
  const results: HeaderResult[] = new Array(files.length);
  const scratch = new Uint8Array(HEADER_READ.firstBytes);
  let i = 0;
  while (i < files.length) {
    const sliceEnd = performance.now() + BLOCKING_TURN_MS;
    const sliceLast = i + BLOCKING_SLICE_FILES;
    do {
      if (signal?.aborted) throw new ScanCancelled();
      results[i] = readAndParseSync(files[i], scratch);
      i++;
    } while (i < files.length && i < sliceLast && performance.now() < sliceEnd);
    onParsed(i);
    if (i < files.length) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return results;
}

function startWorker(code: string): Promise<Worker> {
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true });
    const timer = setTimeout(() => {
      void w.terminate();
      reject(new Error('worker start timed out'));
    }, WORKER_START_TIMEOUT_MS);
    const onExit = (code: number) => fail(new Error(`worker exited (${code})`));
    const fail = (e: unknown) => {
      clearTimeout(timer);
      void w.terminate();
      reject(e instanceof Error ? e : new Error(String(e)));
    };
    // Remove only our own listeners: removeAllListeners() would also drop the ones Node uses
    // to keep the worker's message port referenced, and replies would then stall.
    w.once('error', fail);
    w.once('exit', onExit);
    w.once('message', () => {
      clearTimeout(timer);
      w.off('error', fail);
      w.off('exit', onExit);
      resolve(w);
    });
  });
}

/**
 * Workers stay alive between scans (unreferenced while idle, so they never keep a process
 * running): starting one costs more than parsing a few thousand headers, and a workstation
 * scans again and again. closeScanPool() ends them.
 */
let pool: Worker[] = [];
let scanSeq = 0;

/** Starts workers until `count` are running; returns how many are. */
export async function warmScanPool(count: number): Promise<number> {
  if (pool.length >= count) return pool.length;
  const code = await bundledWorker();
  if (!code) return pool.length;
  const started = await Promise.allSettled(Array.from({ length: count - pool.length }, () => startWorker(code)));
  for (const s of started) {
    if (s.status !== 'fulfilled') continue;
    const w = s.value;
    // An idle worker that dies leaves the pool (an 'error' without listener would throw).
    const drop = () => (pool = pool.filter((x) => x !== w));
    w.on('error', drop);
    w.on('exit', drop);
    w.unref();
    pool.push(w);
  }
  return pool.length;
}

export function warmWorkerCount(): number {
  return pool.length;
}

export async function closeScanPool(): Promise<void> {
  const old = pool;
  pool = [];
  await Promise.all(old.map((w) => w.terminate()));
}

/** Returns null when no worker could start (the caller then parses in-thread). */
export async function parseInWorkers(
  files: string[],
  count: number,
  signal: AbortSignal | undefined,
  onParsed: (n: number) => void,
): Promise<HeaderResult[] | null> {
  if ((await warmScanPool(count)) === 0) return null;
  const workers = pool.slice(0, count);
  const token = ++scanSeq;
  const batchSize = Math.max(MIN_BATCH, Math.min(MAX_BATCH, Math.ceil(files.length / (workers.length * 4))));
  const results: HeaderResult[] = new Array(files.length);
  let next = 0;
  let done = 0;
  const listeners: [Worker, (m: PoolReply) => void, (e: Error) => void][] = [];
  let broken = false;
  try {
    await new Promise<void>((resolve, reject) => {
      let active = 0;
      let failed = false;
      const onAbort = () => {
        failed = true;
        broken = true; // batches still in flight: start fresh workers next time
        reject(new ScanCancelled());
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const feed = (w: Worker) => {
        if (failed) return;
        if (next >= files.length) {
          if (active === 0) {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          }
          return;
        }
        const id = next;
        const batch = files.slice(id, id + batchSize);
        next += batch.length;
        active++;
        w.postMessage({ token, id, files: batch } satisfies PoolRequest);
      };
      for (const w of workers) {
        const onMessage = (m: PoolReply) => {
          if (m.token !== token) return;
          active--;
          m.results.forEach((r, k) => (results[m.id + k] = r));
          done += m.results.length;
          onParsed(done);
          feed(w);
        };
        const onError = (e: Error) => {
          failed = true;
          broken = true;
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        };
        listeners.push([w, onMessage, onError]);
        w.ref(); // a scan in progress keeps the process alive
        w.on('message', onMessage);
        w.on('error', onError);
        feed(w);
      }
    });
  } finally {
    for (const [w, onMessage, onError] of listeners) {
      w.off('message', onMessage);
      w.off('error', onError);
      w.unref();
    }
    if (broken) await closeScanPool();
  }
  return results;
}
