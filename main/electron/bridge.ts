import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  PRELOAD_CHANNELS,
  eventMethodName,
  type EventName,
  type FrwBridge,
} from '../../shared/ipc/channels';

/**
 * `window.frw`, built from the channel map and nothing else (used by preload.ts; tested with a
 * fake ipcRenderer). The page gets one function per invoke channel and one subscription per
 * event channel: never ipcRenderer itself, never an IPC event object (its `sender` would be
 * ipcRenderer), never a way to name an arbitrary channel.
 */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** Menu commands that arrive before the page subscribes (the command-line study at start-up). */
const MAX_QUEUED_COMMANDS = 8;

export function createBridge(ipc: IpcRendererLike): FrwBridge {
  const api: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(INVOKE_CHANNELS)) {
    // Exactly one argument goes over the wire; main validates it.
    api[name] = (request: unknown) => ipc.invoke(def.channel, request);
  }
  for (const name of Object.keys(EVENT_CHANNELS) as EventName[]) {
    const def = EVENT_CHANNELS[name];
    const listeners = new Set<(payload: unknown) => void>();
    const queue: unknown[] = [];
    const buffer = name === 'menuCommand';
    ipc.on(def.channel, (_event, payload) => {
      const parsed = def.payload.safeParse(payload);
      if (!parsed.success) return; // main only sends valid payloads; anything else is dropped
      if (listeners.size === 0) {
        if (buffer && queue.length < MAX_QUEUED_COMMANDS) queue.push(parsed.data);
        return;
      }
      for (const l of listeners) l(parsed.data);
    });
    api[eventMethodName(name)] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      listeners.add(listener);
      if (queue.length) for (const p of queue.splice(0)) listener(p);
      return () => {
        listeners.delete(listener);
      };
    };
  }
  return Object.freeze(api) as unknown as FrwBridge;
}

/** The parts of a DOM drag event the drop forwarding reads (a real DragEvent in the preload). */
export interface DragEventLike {
  readonly isTrusted: boolean;
  readonly dataTransfer: { readonly types: ArrayLike<string>; readonly files: ArrayLike<unknown>; dropEffect: string } | null;
  preventDefault(): void;
}
export interface DropTargetLike {
  addEventListener(type: 'dragover' | 'drop', listener: (e: DragEventLike) => void, capture: boolean): void;
  removeEventListener(type: 'dragover' | 'drop', listener: (e: DragEventLike) => void, capture: boolean): void;
}

const carriesFiles = (e: DragEventLike) => !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');

/**
 * Drag-and-drop of files and folders onto the window (preload side). The page never sees the
 * paths and cannot name any: on a drop the browser itself produced (`isTrusted`; a page script
 * cannot forge one) the preload turns the dropped File objects into paths with
 * `pathForFile` (webUtils.getPathForFile; "" for a File built in JS) and hands them to main on
 * a preload-only channel. Main keeps them under a one-use dropId and sends the page an
 * `open-dropped` command; the page opens with openStudy({ dropId }).
 * The default action (Chromium navigating to the dropped file) is always prevented.
 */
export function forwardDrops(target: DropTargetLike, ipc: Pick<IpcRendererLike, 'invoke'>, pathForFile: (file: unknown) => string): () => void {
  const onOver = (e: DragEventLike) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    e.dataTransfer!.dropEffect = 'copy';
  };
  const onDrop = (e: DragEventLike) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    if (!e.isTrusted) return;
    const paths: string[] = [];
    for (const file of Array.from(e.dataTransfer!.files)) {
      let p = '';
      try {
        p = pathForFile(file);
      } catch {
        p = ''; // not a File
      }
      if (typeof p === 'string' && p.length > 0 && !paths.includes(p)) paths.push(p);
    }
    if (paths.length === 0) return;
    void ipc.invoke(PRELOAD_CHANNELS.offerDropped.channel, { paths }).catch(() => {
      /* main answers IpcResults; a failed invoke means the window is closing */
    });
  };
  target.addEventListener('dragover', onOver, true);
  target.addEventListener('drop', onDrop, true);
  return () => {
    target.removeEventListener('dragover', onOver, true);
    target.removeEventListener('drop', onDrop, true);
  };
}
