/**
 * Worker-thread entry of a scan (see scanRunner.ts): runs the shared scanner on the paths it
 * was given, posts progress, the result or a coded error, and stops on { type: 'cancel' }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scanPaths } from '../scan/index';
import type { FromWorker, ScanWorkerData, ToWorker } from './scanRunner';

const port = parentPort;
if (!port) throw new Error('scanWorker must run in a worker thread');
const { paths } = workerData as ScanWorkerData;
const controller = new AbortController();
port.on('message', (m: ToWorker) => {
  if (m?.type === 'cancel') controller.abort();
});
const post = (m: FromWorker) => port.postMessage(m);

scanPaths(paths, { signal: controller.signal, onProgress: (progress) => post({ type: 'progress', progress }) }).then(
  (result) => post({ type: 'done', result }),
  (e: unknown) => {
    const a = e as { code?: unknown; message?: unknown; file?: unknown; field?: unknown };
    const error =
      a && typeof a.code === 'string' && typeof a.message === 'string'
        ? { code: a.code, message: a.message, ...(typeof a.file === 'string' ? { file: a.file } : {}), ...(typeof a.field === 'string' ? { field: a.field } : {}) }
        : { code: 'SCAN_FAILED', message: e instanceof Error ? e.message : String(e) };
    post({ type: 'error', error });
  },
);
