import { z } from 'zod';
import { AppErrorSchema } from '../schemas/common';
import { ScanProgressSchema, ScanResultSchema } from '../schemas/scan';
import {
  PacsSecretSchema,
  PacsSeriesSchema,
  PacsSettingsSchema,
  PacsStudySchema,
  RetrieveProgressSchema,
  StoreOutcomeSchema,
  StudyQuerySchema,
} from '../pacs/schemas';

/**
 * Every IPC channel between the Electron main process and the renderer, declared once:
 * name → { Electron channel string, request schema, response schema } for calls the renderer
 * makes (`ipcRenderer.invoke`), name → { channel, payload schema } for events main pushes.
 *
 * - main validates every request with `request` before acting and answers with an
 *   `IpcResult` (`{ ok: true, value }` or `{ ok: false, error }`): it never throws into the
 *   renderer (malformed payload → `IPC_BAD_REQUEST` naming the field);
 * - the preload builds the page global `frw` from this map (one method per invoke channel, one `on…`
 *   subscription per event channel) and exposes nothing else;
 * - the renderer's Electron host (renderer/host/electronHost.ts) checks responses with
 *   `response` too, so a bug in main shows as a coded error, not as a wrong value.
 *
 * Limits (string lengths, array sizes) are part of the contract: a compromised or buggy
 * renderer cannot make main walk thousands of paths or write huge files.
 */

/** Longest file-system path accepted from the renderer (Windows long paths are 32 767 UTF-16 units). */
export const MAX_PATH_CHARS = 4096;
/** A DICOM UID is at most 64 characters (PS3.5 §9.1); allow slack for non-conforming files. */
export const MAX_UID_CHARS = 128;
/** Largest export the renderer may ask main to write (a PDF report with key images). */
export const MAX_EXPORT_BYTES = 200 * 1024 * 1024;
/** Largest session JSON (lesions + measurements + assessment); far above any real session. */
export const MAX_SESSION_JSON_CHARS = 8 * 1024 * 1024;
/** At most this many paths in one open request (a drop of several folders). */
export const MAX_OPEN_PATHS = 64;
/** At most this many paths in one drop (a series dropped as its files: 500 slices and more). */
export const MAX_DROPPED_PATHS = 20_000;

const ScanIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9-]{8,64}$/, 'scanId: 8–64 letters, digits or dashes');
const PathSchema = z.string().min(1).max(MAX_PATH_CHARS);
/** An absolute path as the OS gives it for a dropped file: POSIX `/…`, Windows `C:\…` or `\\server\…`;
 * no NUL (a NUL would cut the path short in native code). */
const AbsolutePathSchema = PathSchema.regex(/^(\/|[A-Za-z]:[\\/]|\\\\)[^\x00]*$/, 'path: absolute, without NUL');
/** Opaque token main gives a drop (never the paths themselves: the page does not need them). */
const DropIdSchema = z.string().regex(/^drop-[A-Za-z0-9-]{8,64}$/, 'dropId: a token main issued');
export const SeriesUidSchema = z
  .string()
  .min(1)
  .max(MAX_UID_CHARS)
  // Printable ASCII only: DICOM UIDs are digits and dots; anything else is sanitised into the
  // file name by main/storage, but control characters are never legitimate.
  .regex(/^[\x20-\x7e]+$/, 'seriesInstanceUid: printable ASCII only');

/** Session content is validated against the session schema by main/storage when it is loaded. */
const SessionPayloadSchema = z.unknown().refine(
  (v) => {
    if (v === undefined) return false;
    try {
      const text = JSON.stringify(v);
      return typeof text === 'string' && text.length <= MAX_SESSION_JSON_CHARS;
    } catch {
      return false;
    }
  },
  { message: `session: JSON-serialisable, at most ${MAX_SESSION_JSON_CHARS} characters` },
);

export const RecentStudySchema = z.object({
  path: PathSchema,
  /** Short label for the menu (folder name); never a patient identifier. */
  label: z.string().max(256),
  openedAt: z.string().max(64),
});
export type RecentStudy = z.infer<typeof RecentStudySchema>;

export const HostCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('open-study') }).strict(),
  z.object({ type: z.literal('open-demo') }).strict(),
  z.object({ type: z.literal('open-recent'), path: PathSchema }).strict(),
  /** Files or folders were dropped on the window; open them with openStudy({ dropId }). */
  z.object({ type: z.literal('open-dropped'), dropId: DropIdSchema }).strict(),
]);

export const AppInfoSchema = z.object({
  appName: z.string(),
  appVersion: z.string(),
  rulesVersion: z.string(),
  electronVersion: z.string(),
  chromeVersion: z.string(),
  platform: z.string(),
  packaged: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

const Empty = z.object({}).strict();

/** At most this many objects in one PACS store (a report's SR and PDF, with room to spare). */
export const MAX_STORE_OBJECTS = 16;
const PacsSettingsStateSchema = z.object({
  settings: PacsSettingsSchema.nullable(),
  secretStored: z.boolean(),
  secretStorage: z.enum(['os-encrypted', 'memory-only']),
});
const PacsCacheInfoSchema = z.object({ usedBytes: z.number().min(0), limitBytes: z.number().min(0), seriesCount: z.number().int().min(0) });

/** A scan answer: null when the user closed the folder dialog without choosing. */
const ScanAnswerSchema = ScanResultSchema.nullable();

export const INVOKE_CHANNELS = {
  /** A dialog (`pick`: 'folder' by default, 'files' = several files), the given paths, which
   * main only accepts when it offered them itself (command line, recent studies, a dialog), or
   * what was dropped on the window (`dropId`, issued by main for a drop the preload saw); then
   * scan off the main thread. */
  openStudy: {
    channel: 'frw:study:open',
    request: z
      .object({
        scanId: ScanIdSchema,
        paths: z.array(PathSchema).min(1).max(MAX_OPEN_PATHS).optional(),
        dropId: DropIdSchema.optional(),
        pick: z.enum(['folder', 'files']).optional(),
      })
      .strict()
      .refine((r) => !(r.paths && r.dropId), { message: 'paths and dropId: one or the other', path: ['dropId'] }),
    response: ScanAnswerSchema,
  },
  /** Scan the bundled synthetic demo CT. */
  openDemo: {
    channel: 'frw:study:open-demo',
    request: z.object({ scanId: ScanIdSchema }).strict(),
    response: ScanResultSchema,
  },
  /** Cancel a running scan; `cancelled` is false when no scan with that id runs. */
  cancelScan: {
    channel: 'frw:scan:cancel',
    request: z.object({ scanId: ScanIdSchema }).strict(),
    response: z.object({ cancelled: z.boolean() }),
  },
  loadSession: {
    channel: 'frw:session:load',
    request: z.object({ seriesInstanceUid: SeriesUidSchema }).strict(),
    response: z.object({ session: z.unknown().nullable() }),
  },
  saveSession: {
    channel: 'frw:session:save',
    request: z.object({ seriesInstanceUid: SeriesUidSchema, session: SessionPayloadSchema }).strict(),
    response: z.object({ savedAt: z.string() }),
  },
  /** The renderer found the loaded session unusable (e.g. it names another series): keep it
   * aside (`*.corrupt-<time>.json`) so the next autosave cannot overwrite it. */
  setAsideSession: {
    channel: 'frw:session:set-aside',
    request: z
      .object({
        seriesInstanceUid: SeriesUidSchema,
        // Goes to main's log: one line, no control characters.
        reason: z.string().min(1).max(1000).regex(/^[^\x00-\x1f\x7f]+$/, 'reason: one line of text'),
      })
      .strict(),
    response: z.object({ keptAs: z.string().nullable() }),
  },
  /** Save dialog (never overwrites silently: the OS dialog asks), then an atomic write. */
  saveExport: {
    channel: 'frw:export:save',
    request: z
      .object({
        suggestedName: z
          .string()
          .min(1)
          .max(255)
          .refine((n) => !/[\\/\x00-\x1f]/.test(n), 'suggestedName: a file name, not a path'),
        mimeType: z.string().min(3).max(128).regex(/^[\w.+-]+\/[\w.+-]+$/, 'mimeType: type/subtype'),
        bytes: z
          .custom<Uint8Array>((v) => v instanceof Uint8Array, 'bytes: a Uint8Array')
          .refine((b) => b.byteLength <= MAX_EXPORT_BYTES, `bytes: at most ${MAX_EXPORT_BYTES} bytes`),
      })
      .strict(),
    response: z.object({ saved: z.boolean(), location: z.string().optional() }),
  },
  recentStudies: {
    channel: 'frw:recent:list',
    request: Empty,
    response: z.object({ studies: z.array(RecentStudySchema) }),
  },
  appInfo: {
    channel: 'frw:app:info',
    request: Empty,
    response: AppInfoSchema,
  },
  // ---- PACS over DICOMweb (issue 16): main makes every request; the page never reaches the network.
  pacsSettings: {
    channel: 'frw:pacs:settings',
    request: Empty,
    response: PacsSettingsStateSchema,
  },
  /** `secret` null keeps the stored one, '' removes it; it is encrypted by the OS keychain or kept in memory, never written plain. */
  pacsSaveSettings: {
    channel: 'frw:pacs:save-settings',
    request: z.object({ settings: PacsSettingsSchema, secret: PacsSecretSchema.nullable() }).strict(),
    response: PacsSettingsStateSchema,
  },
  pacsTest: {
    channel: 'frw:pacs:test',
    request: Empty,
    response: z.object({ studiesVisible: z.boolean() }),
  },
  pacsSearch: {
    channel: 'frw:pacs:search',
    request: z.object({ query: StudyQuerySchema }).strict(),
    response: z.object({ studies: z.array(PacsStudySchema).max(500) }),
  },
  pacsListSeries: {
    channel: 'frw:pacs:series',
    request: z.object({ studyInstanceUid: SeriesUidSchema }).strict(),
    response: z.object({ series: z.array(PacsSeriesSchema).max(10_000) }),
  },
  /** Retrieve a CT series and its study's RT / SR objects into the cache, then scan them (progress: pacsProgress; cancel: cancelScan with the same scanId). */
  pacsRetrieve: {
    channel: 'frw:pacs:retrieve',
    request: z.object({ scanId: ScanIdSchema, studyInstanceUid: SeriesUidSchema, seriesInstanceUid: SeriesUidSchema }).strict(),
    response: ScanResultSchema,
  },
  /** STOW-RS of Part 10 objects of one study (the SR and the encapsulated PDF report). */
  pacsStore: {
    channel: 'frw:pacs:store',
    request: z
      .object({
        objects: z
          .array(z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'objects: Uint8Array items'))
          .min(1)
          .max(MAX_STORE_OBJECTS)
          .refine((list) => list.reduce((n, b) => n + b.byteLength, 0) <= MAX_EXPORT_BYTES, `objects: at most ${MAX_EXPORT_BYTES} bytes in all`),
      })
      .strict(),
    response: StoreOutcomeSchema,
  },
  pacsCacheInfo: {
    channel: 'frw:pacs:cache-info',
    request: Empty,
    response: PacsCacheInfoSchema,
  },
  pacsClearCache: {
    channel: 'frw:pacs:cache-clear',
    request: Empty,
    response: PacsCacheInfoSchema,
  },
} as const;

/**
 * Channels only the preload itself uses: declared and validated like the others, but NOT on
 * `window.frw` (bridge.ts builds that from INVOKE_CHANNELS alone), so the page cannot call them.
 */
export const PRELOAD_CHANNELS = {
  /** The preload saw a trusted drop of files or folders (paths from webUtils.getPathForFile):
   * main keeps them under a one-use `dropId` and asks the page to open them (`open-dropped`). */
  offerDropped: {
    channel: 'frw:drop:offer',
    request: z.object({ paths: z.array(AbsolutePathSchema).min(1).max(MAX_DROPPED_PATHS) }).strict(),
    response: z.object({ dropId: DropIdSchema }),
  },
} as const;

/** Everything main handles: the page's channels and the preload's own. */
export const MAIN_CHANNELS = { ...INVOKE_CHANNELS, ...PRELOAD_CHANNELS } as const;

export const EVENT_CHANNELS = {
  /** Progress of the scan started with `scanId`. */
  scanProgress: {
    channel: 'frw:scan:progress',
    payload: z.object({ scanId: ScanIdSchema, progress: ScanProgressSchema }).strict(),
  },
  /** Progress of the PACS retrieval started with `scanId`. */
  pacsProgress: {
    channel: 'frw:pacs:progress',
    payload: z.object({ scanId: ScanIdSchema, progress: RetrieveProgressSchema }).strict(),
  },
  /** A command from the application menu or the command line. */
  menuCommand: {
    channel: 'frw:menu:command',
    payload: HostCommandSchema,
  },
} as const;

export type InvokeName = keyof typeof INVOKE_CHANNELS;
export type PreloadName = keyof typeof PRELOAD_CHANNELS;
export type MainChannelName = keyof typeof MAIN_CHANNELS;
export type MainRequest<N extends MainChannelName> = z.input<(typeof MAIN_CHANNELS)[N]['request']>;
export type MainResponse<N extends MainChannelName> = z.output<(typeof MAIN_CHANNELS)[N]['response']>;
export type EventName = keyof typeof EVENT_CHANNELS;
export type InvokeRequest<N extends InvokeName> = z.input<(typeof INVOKE_CHANNELS)[N]['request']>;
export type InvokeResponse<N extends InvokeName> = z.output<(typeof INVOKE_CHANNELS)[N]['response']>;
export type EventPayload<N extends EventName> = z.output<(typeof EVENT_CHANNELS)[N]['payload']>;

/** What every invoke answers: never a thrown exception, always a value. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: z.output<typeof AppErrorSchema> };
export const ipcResultSchema = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: AppErrorSchema }),
  ]);

/** The page global `frw`, as the preload exposes it: built from the two maps above, nothing else. */
export type FrwBridge = {
  readonly [N in InvokeName]: (request: InvokeRequest<N>) => Promise<IpcResult<InvokeResponse<N>>>;
} & {
  readonly [N in EventName as `on${Capitalize<N>}`]: (listener: (payload: EventPayload<N>) => void) => () => void;
};

/** Name of the subscription method for an event channel (`scanProgress` → `onScanProgress`). */
export const eventMethodName = <N extends EventName>(name: N): `on${Capitalize<N>}` =>
  `on${name[0].toUpperCase()}${name.slice(1)}` as `on${Capitalize<N>}`;

/** The custom protocol serving the bytes of scanned DICOM files (token → path, in main). */
export const DICOM_SCHEME = 'frw-dicom';
/** The custom protocol serving the app's own files (dist/renderer). */
export const APP_SCHEME = 'frw-app';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
/** URL of a scanned file's bytes; `fileId` is the opaque token main put in the scan result. */
export const dicomFileUrl = (fileId: string): string => `${DICOM_SCHEME}://file/${encodeURIComponent(fileId)}`;
