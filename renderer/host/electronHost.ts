/**
 * HostApi inside the Electron app, over the preload bridge `window.frw` (main/electron/bridge.ts).
 * Every answer is an IpcResult checked against the channel's response schema; failures reject
 * with a HostError carrying main's coded error (same codes as the browser host where they
 * overlap: SCAN_CANCELLED, SESSION_CORRUPT). File bytes come from the frw-dicom: protocol,
 * which serves only files of the last scan (fileId = an opaque token from main).
 *
 * Menu "Recent studies" and a study on the command line arrive as `open-recent` commands; the
 * UI handles `open-study` by calling openStudy(), so this host turns `open-recent` into
 * `open-study` and hands the remembered path to that next openStudy() call instead of a dialog.
 * A drop on the window works the same way: the preload reports it to main (paths never reach
 * the page), main answers with an `open-dropped` command carrying a one-use `dropId`, which the
 * next openStudy() sends back. "Open files…" asks main for a multi-file dialog (`pick: 'files'`).
 */
import type { z } from 'zod';
import {
  INVOKE_CHANNELS,
  dicomFileUrl,
  type FrwBridge,
  type InvokeName,
  type InvokeRequest,
  type InvokeResponse,
  type IpcResult,
} from '../../shared/ipc/channels';
import type { HostApi, HostCommand } from '../../shared/ipc/hostApi';
import type { ScanProgress, ScanResult } from '../../shared/schemas/scan';
import { HostError, SCAN_CANCELLED } from './browserHost';

function newScanId(): string {
  return crypto.randomUUID();
}

async function call<N extends InvokeName>(frw: FrwBridge, name: N, request: InvokeRequest<N>): Promise<InvokeResponse<N>> {
  const fn = frw[name] as unknown as (r: InvokeRequest<N>) => Promise<IpcResult<unknown>>;
  let answer: IpcResult<unknown>;
  try {
    answer = await fn(request);
  } catch (e) {
    throw new HostError({ code: 'IPC_FAILED', message: `${INVOKE_CHANNELS[name].channel}: ${(e as Error)?.message ?? e}` });
  }
  if (!answer || typeof answer !== 'object') throw new HostError({ code: 'IPC_BAD_RESPONSE', message: `${INVOKE_CHANNELS[name].channel}: no answer` });
  if (!answer.ok) throw new HostError(answer.error);
  const checked = (INVOKE_CHANNELS[name].response as z.ZodType).safeParse(answer.value);
  if (!checked.success) {
    throw new HostError({ code: 'IPC_BAD_RESPONSE', message: `${INVOKE_CHANNELS[name].channel}: unexpected answer (${checked.error.issues[0]?.message ?? 'invalid'})` });
  }
  return checked.data as InvokeResponse<N>;
}

/** Electron extras beside HostApi (same names as the browser host's where they overlap). */
export interface ElectronHostApi extends HostApi {
  readonly kind: 'electron';
  /** Keep an unusable saved session aside (never deleted) so autosave cannot overwrite it. */
  setAsideSession(seriesInstanceUid: string, reason: string): Promise<void>;
  /** The path the next openStudy() opens instead of a dialog (after an open-recent command). */
  pendingOpenPath(): string | null;
}

export function createElectronHost(
  frw: FrwBridge = (globalThis as unknown as { frw: FrwBridge }).frw,
  fetchImpl: typeof fetch = (...a) => fetch(...a),
): ElectronHostApi {
  let pendingPath: string | null = null;
  let pendingDrop: string | null = null;

  async function scanning<T>(
    run: (scanId: string) => Promise<T>,
    onProgress?: (p: ScanProgress) => void,
    signal?: AbortSignal,
  ): Promise<T> {
    if (signal?.aborted) throw new HostError({ code: SCAN_CANCELLED, message: 'Scan cancelled by the user.' });
    const scanId = newScanId();
    const off = frw.onScanProgress((e) => {
      if (e.scanId === scanId) onProgress?.(e.progress);
    });
    const onAbort = () => void frw.cancelScan({ scanId });
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await run(scanId);
    } finally {
      off();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    kind: 'electron',
    pendingOpenPath: () => pendingPath,
    openStudy(onProgress, signal, pick) {
      const path = pendingPath;
      const dropId = pendingDrop;
      pendingPath = null;
      pendingDrop = null;
      const request = (scanId: string): InvokeRequest<'openStudy'> =>
        dropId ? { scanId, dropId } : path ? { scanId, paths: [path] } : pick === 'files' ? { scanId, pick } : { scanId };
      return scanning<ScanResult | null>((scanId) => call(frw, 'openStudy', request(scanId)), onProgress, signal);
    },
    openDemo(onProgress, signal) {
      return scanning<ScanResult>((scanId) => call(frw, 'openDemo', { scanId }), onProgress, signal);
    },
    async readFile(fileId) {
      let response: Response;
      try {
        response = await fetchImpl(dicomFileUrl(fileId));
      } catch (e) {
        throw new HostError({ code: 'FILE_UNREADABLE', message: `Cannot read the file: ${(e as Error)?.message ?? e}`, field: 'fileId' });
      }
      if (response.status === 404) {
        throw new HostError({ code: 'FILE_NOT_SCANNED', message: `File id "${fileId}" is not part of the current scan.`, field: 'fileId' });
      }
      if (!response.ok) {
        throw new HostError({ code: 'FILE_UNREADABLE', message: `Cannot read the file (moved or deleted?): HTTP ${response.status}`, field: 'fileId' });
      }
      return response.arrayBuffer();
    },
    async loadSession(seriesInstanceUid) {
      return (await call(frw, 'loadSession', { seriesInstanceUid })).session ?? null;
    },
    async saveSession(seriesInstanceUid, session) {
      await call(frw, 'saveSession', { seriesInstanceUid, session });
    },
    async setAsideSession(seriesInstanceUid, reason) {
      await call(frw, 'setAsideSession', { seriesInstanceUid, reason: reason.replace(/[\x00-\x1f\x7f]+/g, ' ').slice(0, 1000) || 'unusable' });
    },
    saveExport(suggestedName, mimeType, bytes) {
      return call(frw, 'saveExport', { suggestedName, mimeType, bytes });
    },
    pacs: {
      getSettings: () => call(frw, 'pacsSettings', {}),
      saveSettings: (settings, secret) => call(frw, 'pacsSaveSettings', { settings, secret }),
      testConnection: () => call(frw, 'pacsTest', {}),
      async searchStudies(query) {
        return (await call(frw, 'pacsSearch', { query })).studies;
      },
      async listSeries(studyInstanceUid) {
        return (await call(frw, 'pacsListSeries', { studyInstanceUid })).series;
      },
      retrieveSeries(studyInstanceUid, seriesInstanceUid, onProgress, signal) {
        return scanning<ScanResult>(
          async (scanId) => {
            const off = frw.onPacsProgress((e) => {
              if (e.scanId === scanId) onProgress?.(e.progress);
            });
            try {
              return await call(frw, 'pacsRetrieve', { scanId, studyInstanceUid, seriesInstanceUid });
            } finally {
              off();
            }
          },
          undefined,
          signal,
        );
      },
      store: (objects) => call(frw, 'pacsStore', { objects }),
      cacheInfo: () => call(frw, 'pacsCacheInfo', {}),
      clearCache: () => call(frw, 'pacsClearCache', {}),
    },
    onCommand(listener: (command: HostCommand) => void) {
      return frw.onMenuCommand((command) => {
        if (command.type === 'open-recent') {
          pendingPath = command.path;
          pendingDrop = null;
          listener({ type: 'open-study' });
        } else if (command.type === 'open-dropped') {
          pendingDrop = command.dropId;
          pendingPath = null;
          listener({ type: 'open-study' });
        } else listener(command);
      });
    },
  };
}
