/**
 * `scanPaths`: folders and files → ScanResult. Walk (recursive, symlink-safe), read only
 * header bytes, group with shared/dicom. Every file found lands in exactly one of: a series,
 * otherObjects, errors, skipped.
 *
 * One read path, with overlapping reads so a cold disk or a network share is kept busy; the
 * desktop app runs it in its scan worker thread (main/electron/scanWorker.ts), so the window
 * never waits on it. Parsing a header costs less than reading it: more threads buy nothing
 * (`npm run bench scan`).
 */
import { assembleScan } from '../../shared/dicom/index';
import type { HeaderResult, ScanProgress, ScanResult } from '../../shared/schemas/scan';
import { HEADER_READ, readHeader } from './readHeader';
import { ScanCancelled, walkPaths } from './walk';

export { ScanCancelled } from './walk';
export { HEADER_READ, readHeader } from './readHeader';

export interface ScanOptions {
  onProgress?: (p: ScanProgress) => void;
  signal?: AbortSignal;
}

/** Progress is reported at most this often while parsing (ms). */
const PROGRESS_INTERVAL_MS = 100;
/**
 * Header reads in flight. libuv reads on 4 threads; a queue longer than that keeps them busy
 * while this thread parses what has arrived.
 */
const READS_IN_FLIGHT = 16;

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
  const walked = await walkPaths(paths, signal, (n) => progress({ phase: 'walking', filesFound: n, filesParsed: 0 }));
  const found = walked.files.length;
  progress({ phase: 'parsing', filesFound: found, filesParsed: 0 }, true);
  const results = await readHeaders(walked.files, signal, (n) => progress({ phase: 'parsing', filesFound: found, filesParsed: n }));

  progress({ phase: 'grouping', filesFound: found, filesParsed: found }, true);
  const scan = assembleScan(results);
  scan.errors.push(...walked.errors);
  scan.skipped.push(...walked.skipped);
  scan.errors.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  scan.skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  progress({ phase: 'done', filesFound: found, filesParsed: found }, true);
  return scan;
}

/** readHeader on every file, READS_IN_FLIGHT at a time; results in input order. */
async function readHeaders(files: string[], signal: AbortSignal | undefined, onParsed: (n: number) => void): Promise<HeaderResult[]> {
  const results: HeaderResult[] = new Array(files.length);
  let next = 0;
  let done = 0;
  const reader = async () => {
    const scratch = new Uint8Array(HEADER_READ.firstBytes);
    while (next < files.length) {
      if (signal?.aborted) throw new ScanCancelled();
      const i = next++;
      results[i] = await readHeader(files[i], scratch);
      onParsed(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READS_IN_FLIGHT, files.length) }, reader));
  if (signal?.aborted) throw new ScanCancelled();
  return results;
}
