/// <reference lib="webworker" />
/**
 * Scans user-chosen files off the UI thread with the shared scanner (shared/dicom): reads the
 * start of each file, parses its header, then groups everything into studies and series.
 * Protocol: in {type:'scan', files, paths}; out {type:'progress', progress} … then
 * {type:'done', result} or {type:'failed', error}. Cancelling = the host terminates the worker.
 */
import type { ScanResult as _R } from '../../shared/schemas/scan';

// TEMPORARY until shared/dicom lands (scan helper): found by glob so the app builds without it;
// scanning then fails with a coded error instead of breaking the build.
type HeaderResult =
  | { kind: 'instance'; header: unknown }
  | { kind: 'error'; file: string; code: string; message: string }
  | { kind: 'skipped'; file: string; reason: string };
interface DicomModule {
  parseHeader(bytes: Uint8Array, ref: { fileId: string; file: string }): HeaderResult;
  assembleScan(results: HeaderResult[]): _R;
}
const dicomModules = import.meta.glob<DicomModule>('../../shared/dicom/index.ts', { eager: true });
const dicom = Object.values(dicomModules)[0] as DicomModule | undefined;
const parseHeader: DicomModule['parseHeader'] = (b, r) => {
  if (!dicom) throw new Error('the DICOM scanner (shared/dicom) is not built yet');
  return dicom.parseHeader(b, r);
};
const assembleScan: DicomModule['assembleScan'] = (r) => {
  if (!dicom) throw new Error('the DICOM scanner (shared/dicom) is not built yet');
  return dicom.assembleScan(r);
};
import type { ScanProgress, ScanResult } from '../../shared/schemas/scan';
import type { AppError } from '../../shared/errors';

export type ScanRequest = { type: 'scan'; files: File[]; paths: string[] };
export type ScanReply =
  | { type: 'progress'; progress: ScanProgress }
  | { type: 'done'; result: ScanResult }
  | { type: 'failed'; error: AppError };

/**
 * Headers of CT files sit in the first few KB; reading only this much keeps scanning fast on
 * big series. A file whose header does not fit is read again in full.
 */
const HEADER_READ_BYTES = 256 * 1024;
const PROGRESS_EVERY_MS = 50;

const scope = self as unknown as DedicatedWorkerGlobalScope;

async function parseOne(file: File, ref: { fileId: string; file: string }): Promise<HeaderResult> {
  try {
    const partial = file.size > HEADER_READ_BYTES;
    const bytes = new Uint8Array(await (partial ? file.slice(0, HEADER_READ_BYTES) : file).arrayBuffer());
    const first = parseHeader(bytes, ref);
    if (!partial || first.kind !== 'error') return first;
    // The header may run past what we read (large private tags, multi-frame tables): read it all.
    return parseHeader(new Uint8Array(await file.arrayBuffer()), ref);
  } catch (e) {
    return { kind: 'error', file: ref.file, code: 'FILE_UNREADABLE', message: `Cannot read the file: ${(e as Error).message}` };
  }
}

scope.onmessage = async (ev: MessageEvent<ScanRequest>) => {
  const msg = ev.data;
  if (msg?.type !== 'scan') return;
  const { files, paths } = msg;
  const post = (r: ScanReply) => scope.postMessage(r);
  try {
    const results: HeaderResult[] = [];
    let last = 0;
    post({ type: 'progress', progress: { phase: 'parsing', filesFound: files.length, filesParsed: 0 } });
    for (let i = 0; i < files.length; i++) {
      results.push(await parseOne(files[i], { fileId: String(i), file: paths[i] ?? files[i].name }));
      const now = performance.now();
      if (now - last > PROGRESS_EVERY_MS) {
        last = now;
        post({ type: 'progress', progress: { phase: 'parsing', filesFound: files.length, filesParsed: i + 1 } });
      }
    }
    post({ type: 'progress', progress: { phase: 'grouping', filesFound: files.length, filesParsed: files.length } });
    const result = assembleScan(results);
    post({ type: 'progress', progress: { phase: 'done', filesFound: files.length, filesParsed: files.length } });
    post({ type: 'done', result });
  } catch (e) {
    post({ type: 'failed', error: { code: 'SCAN_FAILED', message: `Scanning failed: ${(e as Error).message}` } });
  }
};
