import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
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
