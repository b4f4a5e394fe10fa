/// <reference lib="webworker" />
/**
 * Scans user-chosen files off the UI thread with the shared scanner (shared/dicom): reads the
 * start of each file, parses its header, then groups everything into studies and series.
 * Protocol: in {type:'scan', files, paths}; out {type:'progress', progress} … then
 * {type:'done', result} or {type:'failed', error}. Cancelling = the host terminates the worker.
 */
import { assembleScan, HEADER_ERROR, parseHeader, type HeaderResult } from '../../shared/dicom';
import type { ScanProgress, ScanResult } from '../../shared/schemas/scan';
import type { AppError } from '../../shared/errors';

export type ScanRequest = { type: 'scan'; files: File[]; paths: string[] };
export type ScanReply =
  | { type: 'progress'; progress: ScanProgress }
  | { type: 'done'; result: ScanResult }
  | { type: 'failed'; error: AppError };

/**
 * Headers of CT files sit in the first few KB; reading only the start keeps scanning fast on big
 * series (the same bytes the Node scanner reads). parseHeader says NEED_MORE_BYTES when the
 * header runs past them; the file is then read in full.
 */
const HEADER_READ_BYTES = 64 * 1024;
const PROGRESS_EVERY_MS = 50;
/** Concurrent file reads (measured on the TCIA folder: reads dominate the scan time). */
const READS_IN_FLIGHT = 8;

const scope = self as unknown as DedicatedWorkerGlobalScope;

async function parseOne(file: File, ref: { fileId: string; file: string }): Promise<HeaderResult> {
  try {
    if (file.size > HEADER_READ_BYTES) {
      const head = new Uint8Array(await file.slice(0, HEADER_READ_BYTES).arrayBuffer());
      const first = parseHeader(head, { ...ref, totalBytes: file.size });
      if (!(first.kind === 'error' && first.code === HEADER_ERROR.NEED_MORE_BYTES)) return first;
    }
    return parseHeader(new Uint8Array(await file.arrayBuffer()), { ...ref, totalBytes: file.size });
  } catch (e) {
    return { kind: 'error', file: ref.file, code: 'FILE_UNREADABLE', message: `cannot read the file (${(e as Error).message})` };
  }
}

scope.onmessage = async (ev: MessageEvent<ScanRequest>) => {
  const msg = ev.data;
  if (msg?.type !== 'scan') return;
  const { files, paths } = msg;
  const post = (r: ScanReply) => scope.postMessage(r);
  try {
    // Reading a file from the browser is a round trip to the browser process: keep several in
    // flight (results keep the input order, so the scan is the same whatever finishes first).
    const results: HeaderResult[] = new Array(files.length);
    let next = 0;
    let parsed = 0;
    let last = 0;
    post({ type: 'progress', progress: { phase: 'parsing', filesFound: files.length, filesParsed: 0 } });
    const lane = async () => {
      for (let i = next++; i < files.length; i = next++) {
        results[i] = await parseOne(files[i], { fileId: String(i), file: paths[i] ?? files[i].name });
        parsed++;
        const now = performance.now();
        if (now - last > PROGRESS_EVERY_MS) {
          last = now;
          post({ type: 'progress', progress: { phase: 'parsing', filesFound: files.length, filesParsed: parsed } });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(READS_IN_FLIGHT, files.length) }, lane));
    post({ type: 'progress', progress: { phase: 'grouping', filesFound: files.length, filesParsed: files.length } });
    const result = assembleScan(results);
    post({ type: 'progress', progress: { phase: 'done', filesFound: files.length, filesParsed: files.length } });
    post({ type: 'done', result });
  } catch (e) {
    post({ type: 'failed', error: { code: 'SCAN_FAILED', message: `Scanning failed: ${(e as Error).message}` } });
  }
};
