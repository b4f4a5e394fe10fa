import { Worker } from 'node:worker_threads';
import { appError, type AppError } from '../../shared/errors';
import type { ScanProgress, ScanResult } from '../../shared/schemas/scan';
import type { RunScan } from './services';

/**
 * Scans in a worker thread (scanWorker.cjs, bundled by build.mjs) so the main process —
 * which draws menus and answers IPC for the window — never blocks on a folder walk or on
 * grouping thousands of headers. One worker per scan; it ends with the scan.
 */
export type ToWorker = { type: 'cancel' };
export type FromWorker =
  | { type: 'progress'; progress: ScanProgress }
  | { type: 'done'; result: ScanResult }
  | { type: 'error'; error: AppError };
export type ScanWorkerData = { paths: string[] };

/** After a cancel, how long the worker may take to stop by itself before it is terminated. */
const CANCEL_GRACE_MS = 2000;

export function workerScanRunner(workerFile: string): RunScan {
  return (paths, { onProgress, signal }) =>
    new Promise<ScanResult>((resolve, reject) => {
      if (signal.aborted) return reject(appError('SCAN_CANCELLED', 'Scan cancelled.'));
      const worker = new Worker(workerFile, { workerData: { paths } satisfies ScanWorkerData });
      let settled = false;
      let grace: NodeJS.Timeout | undefined;
      const finish = (f: () => void) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        if (grace) clearTimeout(grace);
        void worker.terminate();
        f();
      };
      const onAbort = () => {
        worker.postMessage({ type: 'cancel' } satisfies ToWorker);
        grace = setTimeout(() => finish(() => reject(appError('SCAN_CANCELLED', 'Scan cancelled.'))), CANCEL_GRACE_MS);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'progress') onProgress(m.progress);
        else if (m.type === 'done') finish(() => resolve(m.result));
        else finish(() => reject(m.error));
      });
      worker.on('error', (e) => finish(() => reject(appError('SCAN_WORKER_FAILED', `the scan stopped unexpectedly: ${e.message}`))));
      worker.on('exit', (code) => finish(() => reject(appError('SCAN_WORKER_FAILED', `the scan stopped unexpectedly (exit ${code})`))));
    });
}
