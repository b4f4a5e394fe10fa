/**
 * `scanPaths`: folders and files → ScanResult. Walk (recursive, symlink-safe), read only
 * header bytes, parse off the main thread when it pays, group with shared/dicom.
 * Every file found lands in exactly one of: a series, otherObjects, errors, skipped.
 */
import { assembleScan } from '../../shared/dicom/index';
import type { HeaderResult, ScanProgress, ScanResult } from '../../shared/schemas/scan';
import { isMainThread } from 'node:worker_threads';
import { parseBlocking, parseInThread, parseInWorkers, warmWorkerCount } from './pool';
import { ScanCancelled, walkPaths } from './walk';

export { ScanCancelled } from './walk';
export { HEADER_READ, readAndParse, readAndParseSync } from './readHeader';
export { closeScanPool, warmScanPool, warmWorkerCount } from './pool';

export interface ScanOptions {
  onProgress?: (p: ScanProgress) => void;
  signal?: AbortSignal;
  /**
   * Worker threads for header parsing; 0 = on this thread. Default: the warm pool if one is
   * running (warmScanPool), else 0. Measured on 2 cores (test/bench/scan.bench.ts and 5000
   * synthetic files): parsing a header now costs less than reading it, and 2 workers — even warm —
   * were slower than one thread (5000 files: 162 ms warm, 202 ms cold, 87 ms in-thread), so
   * the pool is never chosen by itself.
   */
  workers?: number;
  /**
   * Walk and in-thread parsing with blocking reads, in short slices (parseBlocking). Default: on a worker
   * thread (where blocking stalls no one: the Electron scan worker), not on a main thread (the
   * Electron main process, where the event loop must keep answering).
   */
  blockingReads?: boolean;
}

/** Progress is reported at most this often while parsing (ms). */
const PROGRESS_INTERVAL_MS = 100;

export async function scanPaths(paths: string[], opts: ScanOptions = {}): Promise<ScanResult> {
  const { onProgress, signal } = opts;
  if (signal?.aborted) throw new ScanCancelled();
  let last = 0;
  const progress = (p: ScanProgress, force = false) => {
    if (!onProgress) return;
    const now = Date.now();
    if (!force && now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    onProgress(p);
  };
  progress({ phase: 'walking', filesFound: 0, filesParsed: 0 }, true);
  const blocking = opts.blockingReads ?? !isMainThread;
  const walked = await walkPaths(paths, signal, (n) => progress({ phase: 'walking', filesFound: n, filesParsed: 0 }), blocking);
  const found = walked.files.length;
  progress({ phase: 'parsing', filesFound: found, filesParsed: 0 }, true);
  const onParsed = (n: number) => progress({ phase: 'parsing', filesFound: found, filesParsed: n });

  const workers = opts.workers ?? warmWorkerCount();
  let results: HeaderResult[] | null = null;
  if (workers > 0 && found > 0) results = await parseInWorkers(walked.files, workers, signal, onParsed);
  if (results === null) {
    results = blocking
      ? await parseBlocking(walked.files, signal, onParsed)
      : await parseInThread(walked.files, signal, onParsed);
  }
  if (signal?.aborted) throw new ScanCancelled();

  progress({ phase: 'grouping', filesFound: found, filesParsed: found }, true);
  const scan = assembleScan(results);
  scan.errors.push(...walked.errors);
  scan.skipped.push(...walked.skipped);
  scan.errors.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  scan.skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  progress({ phase: 'done', filesFound: found, filesParsed: found }, true);
  return scan;
}
