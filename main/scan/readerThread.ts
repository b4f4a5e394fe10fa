/**
 * A reader thread for scans: it reads the first bytes of each file (blocking calls, in batches)
 * while this thread parses the batch before, so reading and parsing overlap on two cores. The
 * bytes cross without copying (transferred buffers, handed back for reuse), and at most
 * MAX_BATCHES_IN_FLIGHT batches are ahead of the parser, so memory stays bounded on any folder.
 * The thread's code is plain JavaScript (node:fs only): nothing to bundle, it starts anywhere
 * Node runs. If it cannot start or dies, the files it has not delivered are read here.
 */
import { Worker } from 'node:worker_threads';
import type { HeaderResult } from '../../shared/schemas/scan';
import { fileUnreadable, HEADER_READ, parsePrefix, readAndParse, readAndParseSync } from './readHeader';
import { ScanCancelled } from './walk';

/** Files in the first batch (the parser starts soon), doubling up to MAX_BATCH_FILES. */
const FIRST_BATCH_FILES = 4;
const MAX_BATCH_FILES = 64;
/** Batches read ahead of the parser: enough to keep both threads busy, few enough to bound memory (4 × 1 MiB). */
const MAX_BATCHES_IN_FLIGHT = 4;
/** A reader that has not said ready by then is treated as unable to start. */
const READER_START_TIMEOUT_MS = 10_000;

type ToReader = { type: 'read'; scan: number; files: string[] } | { type: 'return'; buffer: ArrayBuffer } | { type: 'cancel'; scan: number };
type FromReader =
  | { type: 'ready' }
  | { type: 'batch'; scan: number; start: number; lengths: Int32Array; sizes: Float64Array; errors: (string | null)[]; buffer: ArrayBuffer };

const READER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { openSync, fstatSync, readSync, closeSync } = require('node:fs');
const PREFIX = ${HEADER_READ.firstBytes}, FIRST = ${FIRST_BATCH_FILES}, MAX = ${MAX_BATCH_FILES}, IN_FLIGHT = ${MAX_BATCHES_IN_FLIGHT};
const spare = [];
let inFlight = 0;
let job = null;
function readBatch() {
  const n = Math.min(job.batch, job.files.length - job.next);
  const buffer = spare.pop() || new ArrayBuffer(MAX * PREFIX);
  const bytes = new Uint8Array(buffer);
  const lengths = new Int32Array(n), sizes = new Float64Array(n), errors = new Array(n).fill(null);
  for (let k = 0; k < n; k++) {
    let fd = -1;
    try {
      fd = openSync(job.files[job.next + k], 'r');
      sizes[k] = fstatSync(fd).size;
      lengths[k] = readSync(fd, bytes, k * PREFIX, PREFIX, 0);
    } catch (e) {
      errors[k] = (e && e.code) || 'EIO';
    } finally {
      if (fd >= 0) try { closeSync(fd); } catch {}
    }
  }
  parentPort.postMessage({ type: 'batch', scan: job.scan, start: job.next, lengths, sizes, errors, buffer }, [buffer]);
  inFlight++;
  job.next += n;
  job.batch = Math.min(job.batch * 2, MAX);
  if (job.next >= job.files.length) job = null;
}
function pump() {
  while (job && inFlight < IN_FLIGHT) readBatch();
}
parentPort.on('message', (m) => {
  if (m.type === 'read') job = { scan: m.scan, files: m.files, next: 0, batch: FIRST };
  else if (m.type === 'return') { inFlight--; spare.push(m.buffer); }
  else if (m.type === 'cancel' && job && job.scan === m.scan) job = null;
  pump();
});
parentPort.postMessage({ type: 'ready' });
`;

let reader: Worker | null = null;
let starting: Promise<boolean> | null = null;
let scanSeq = 0;
/** The scan being served; batches of any other (a cancelled one) go straight back to the reader. */
let active: { scan: number; onBatch: (m: Extract<FromReader, { type: 'batch' }>) => void } | null = null;

function route(w: Worker, m: FromReader): void {
  if (m.type !== 'batch') return;
  if (active?.scan === m.scan) active.onBatch(m);
  else w.postMessage({ type: 'return', buffer: m.buffer } satisfies ToReader, [m.buffer]);
}

/** Starts the reader thread if it is not running; resolves whether it runs. */
export function warmReader(): Promise<boolean> {
  if (reader) return Promise.resolve(true);
  starting ??= new Promise<boolean>((resolve) => {
    let w: Worker;
    try {
      w = new Worker(READER_SOURCE, { eval: true });
    } catch {
      return resolve(false);
    }
    const timer = setTimeout(() => fail(), READER_START_TIMEOUT_MS);
    const fail = () => {
      clearTimeout(timer);
      void w.terminate();
      resolve(false);
    };
    w.once('error', fail);
    w.once('exit', fail);
    w.once('message', () => {
      clearTimeout(timer);
      w.off('error', fail);
      w.off('exit', fail);
      // An idle reader that dies is simply gone; the next scan starts another or reads in-thread.
      const drop = () => {
        if (reader === w) reader = null;
      };
      w.on('error', drop);
      w.on('exit', drop);
      w.on('message', (m: FromReader) => route(w, m));
      w.unref(); // never keeps a process alive while idle
      reader = w;
      resolve(true);
    });
  }).finally(() => {
    starting = null;
  });
  return starting;
}

/** Running and free for a scan. */
export function readerReady(): boolean {
  return reader !== null && active === null;
}

export async function closeReader(): Promise<void> {
  const w = reader;
  reader = null;
  await w?.terminate();
}

/**
 * The headers of `files` in input order, their first bytes read by the reader thread; null when
 * it is not running or already serving a scan (the caller parses another way). `blocking`: this
 * thread may block (headers longer than the first read are then read here synchronously).
 */
export function parseWithReader(
  files: string[],
  signal: AbortSignal | undefined,
  onParsed: (n: number) => void,
  blocking: boolean,
): Promise<HeaderResult[]> | null {
  const w = reader;
  if (!w || active !== null || files.length === 0) return null;
  const scan = ++scanSeq;
  const results: HeaderResult[] = new Array(files.length);
  const delivered = new Uint8Array(files.length);
  let done = 0;
  const post = (m: ToReader, transfer?: ArrayBuffer[]) => w.postMessage(m, transfer);

  return new Promise<HeaderResult[]>((resolve, reject) => {
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      active = null;
      w.off('error', onLost);
      w.off('exit', onLost);
      signal?.removeEventListener('abort', onAbort);
      w.unref();
      if (error) reject(error);
      else resolve(results);
    };
    const later: Promise<void>[] = [];
    const onBatch = (m: Extract<FromReader, { type: 'batch' }>) => {
      try {
        parseBatch(m);
      } catch (e) {
        finish(e); // a bug, not a file's fault: the scan fails with it rather than hanging
      }
    };
    const parseBatch = (m: Extract<FromReader, { type: 'batch' }>) => {
      const bytes = new Uint8Array(m.buffer);
      for (let k = 0; k < m.lengths.length; k++) {
        const i = m.start + k;
        const file = files[i];
        delivered[i] = 1;
        const code = m.errors[k];
        if (code !== null) {
          results[i] = fileUnreadable(file, { code } as NodeJS.ErrnoException);
          continue;
        }
        const at = k * HEADER_READ.firstBytes;
        const r = parsePrefix(file, bytes.subarray(at, at + m.lengths[k]), m.sizes[k]);
        if (r) results[i] = r;
        // A header longer than the first read (RT structure sets): read again, growing, here.
        else if (blocking) results[i] = readAndParseSync(file);
        else later.push(readAndParse(file, HEADER_READ.firstBytes * HEADER_READ.growth).then((x) => void (results[i] = x)));
      }
      post({ type: 'return', buffer: m.buffer }, [m.buffer]);
      done += m.lengths.length;
      onParsed(done);
      if (done === files.length) Promise.all(later).then(() => finish(), finish);
    };
    // The reader died mid-scan: what it did not deliver is read here.
    const onLost = () => {
      if (settled) return;
      if (reader === w) reader = null;
      void (async () => {
        for (let i = 0; i < files.length; i++) {
          if (delivered[i]) continue;
          if (signal?.aborted) return finish(new ScanCancelled());
          results[i] = blocking ? readAndParseSync(files[i]) : await readAndParse(files[i]);
        }
        await Promise.all(later);
        finish();
      })().catch(finish);
    };
    const onAbort = () => {
      post({ type: 'cancel', scan });
      finish(new ScanCancelled());
    };
    if (signal?.aborted) return finish(new ScanCancelled());
    signal?.addEventListener('abort', onAbort, { once: true });
    active = { scan, onBatch };
    w.on('error', onLost);
    w.on('exit', onLost);
    w.ref(); // a scan in progress keeps the process alive
    post({ type: 'read', scan, files });
  });
}
