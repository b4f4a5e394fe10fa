import type { ScanProgress, ScanResult } from '../schemas/scan';

/**
 * Everything the renderer asks of its host. Two implementations: the Electron preload bridge
 * (renderer/host/electronHost.ts, backed by IPC channels declared in shared/ipc/channels.ts and
 * validated in main) and the browser host (renderer/host/browserHost.ts, File API + IndexedDB).
 * The UI talks only to this interface.
 */
export interface HostApi {
  readonly kind: 'electron' | 'browser';
  /** Ask the user for a folder (`pick` 'folder', the default) or several files ('files') and
   * scan them; null when the user cancels. */
  openStudy(onProgress?: (p: ScanProgress) => void, signal?: AbortSignal, pick?: 'folder' | 'files'): Promise<ScanResult | null>;
  /** Scan the bundled synthetic demo CT. */
  openDemo(onProgress?: (p: ScanProgress) => void, signal?: AbortSignal): Promise<ScanResult>;
  /** Bytes of a file the scan found (by Instance.fileId / OtherObject.fileId); rejects any other id. */
  readFile(fileId: string): Promise<ArrayBuffer>;
  /** Autosaved session per series (lesions, measurements, assessment); null when none. */
  loadSession(seriesInstanceUid: string): Promise<unknown | null>;
  saveSession(seriesInstanceUid: string, session: unknown): Promise<void>;
  /**
   * Save an export (PDF report, JSON) chosen by the user. Never overwrites silently: Electron asks
   * with a save dialog, the browser downloads. `saved` is false when the user cancels.
   */
  saveExport(suggestedName: string, mimeType: string, bytes: Uint8Array): Promise<{ saved: boolean; location?: string }>;
  /** Application commands from outside the page (Electron menu); returns an unsubscribe function. */
  onCommand(listener: (command: HostCommand) => void): () => void;
}

export type HostCommand =
  | { type: 'open-study' }
  | { type: 'open-demo' }
  | { type: 'open-recent'; path: string }
  /** Files / folders dropped on the Electron window (main holds their paths under `dropId`). */
  | { type: 'open-dropped'; dropId: string };
