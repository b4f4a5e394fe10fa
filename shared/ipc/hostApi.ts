import type { ScanProgress, ScanResult } from '../schemas/scan';
import type { PacsSeries, PacsSettings, PacsSettingsInput, PacsStudy, RetrieveProgress, StoreOutcome, StudyQueryInput } from '../pacs/schemas';

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
  /** The PACS (DICOMweb) connection: Electron's main process makes every request; the browser host goes through the dev server's proxy. */
  readonly pacs: PacsHostApi;
}

/** The PACS settings as the UI sees them: never the secret itself. */
export interface PacsSettingsState {
  settings: PacsSettings | null;
  /** A password / token is stored for these settings. */
  secretStored: boolean;
  /** Where a secret is kept: the OS keychain (Electron safeStorage) or this window's memory only. */
  secretStorage: 'os-encrypted' | 'memory-only';
}

/** Retrieved bytes on disk (Electron) or in memory (browser host), with the limit that bounds them. */
export interface PacsCacheInfo {
  usedBytes: number;
  limitBytes: number;
  seriesCount: number;
}

/**
 * PACS over DICOMweb (issue 16). Every failure rejects with a coded HostError (PACS_AUTH,
 * PACS_UNREACHABLE, PACS_TIMEOUT, PACS_RETRIEVE_INCOMPLETE …, shared/pacs/dicomweb.ts).
 */
export interface PacsHostApi {
  getSettings(): Promise<PacsSettingsState>;
  /** `secret` null keeps the stored one; '' removes it. */
  saveSettings(settings: PacsSettingsInput, secret: string | null): Promise<PacsSettingsState>;
  testConnection(): Promise<{ studiesVisible: boolean }>;
  searchStudies(query: StudyQueryInput, signal?: AbortSignal): Promise<PacsStudy[]>;
  listSeries(studyInstanceUid: string, signal?: AbortSignal): Promise<PacsSeries[]>;
  /**
   * Retrieve a series and the study's RT and SR objects, then scan them like a local folder.
   * Instances already retrieved are reused (cache), so calling again after a cut-off resumes.
   */
  retrieveSeries(studyInstanceUid: string, seriesInstanceUid: string, onProgress?: (p: RetrieveProgress) => void, signal?: AbortSignal): Promise<ScanResult>;
  /** STOW-RS of Part 10 objects (SR, encapsulated PDF) into their own study. */
  store(objects: Uint8Array[]): Promise<StoreOutcome>;
  cacheInfo(): Promise<PacsCacheInfo>;
  clearCache(): Promise<PacsCacheInfo>;
}

export type HostCommand =
  | { type: 'open-study' }
  | { type: 'open-demo' }
  | { type: 'open-recent'; path: string }
  /** Files / folders dropped on the Electron window (main holds their paths under `dropId`). */
  | { type: 'open-dropped'; dropId: string };
