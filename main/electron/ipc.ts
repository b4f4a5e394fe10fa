import type { z } from 'zod';
import { appError, type AppError } from '../../shared/errors';
import { MAIN_CHANNELS, type InvokeRequest, type IpcResult, type MainChannelName, type MainResponse } from '../../shared/ipc/channels';
import { isTrustedSender } from './security';

/**
 * IPC in main: one handler per channel main serves (shared/ipc/channels.ts MAIN_CHANNELS: the
 * page's INVOKE_CHANNELS and the preload's own PRELOAD_CHANNELS). Every request is
 * parsed with its channel's schema before anything runs; the answer is always an IpcResult,
 * never a thrown exception (Electron would pass a thrown Error's message to the renderer,
 * with internal detail, and the UI would have to guess its shape).
 */

export type Sender = { url: string; parent?: unknown | null } | null | undefined;

export type Handlers = { [N in MainChannelName]: (request: z.output<(typeof MAIN_CHANNELS)[N]['request']>) => Promise<MainResponse<N>> };

/** Longest text of a bad payload we quote back (a 10 MB string is not echoed). */
const MAX_QUOTED = 120;

function describeIssue(issue: z.core.$ZodIssue | undefined): { field?: string; message: string } {
  if (!issue) return { message: 'invalid request' };
  const field = issue.path.map(String).join('.') || undefined;
  const message = issue.message.length > MAX_QUOTED ? `${issue.message.slice(0, MAX_QUOTED)}…` : issue.message;
  return { field, message };
}

export function isAppError(e: unknown): e is AppError {
  return !!e && typeof e === 'object' && typeof (e as AppError).code === 'string' && typeof (e as AppError).message === 'string';
}

/** Validate, run, validate the answer; every failure becomes a coded error value. */
export async function dispatch<N extends MainChannelName>(name: N, sender: Sender, payload: unknown, handlers: Handlers): Promise<IpcResult<MainResponse<N>>> {
  const def = MAIN_CHANNELS[name];
  if (!isTrustedSender(sender)) {
    return { ok: false, error: appError('IPC_FORBIDDEN_SENDER', `${def.channel}: request from a page that is not the application`) };
  }
  const parsed = (def.request as z.ZodType).safeParse(payload);
  if (!parsed.success) {
    const { field, message } = describeIssue(parsed.error.issues[0]);
    return { ok: false, error: appError('IPC_BAD_REQUEST', `${def.channel}: ${field ? `'${field}' ` : ''}${message}`, field ? { field } : {}) };
  }
  let value: unknown;
  try {
    const handler = handlers[name] as (r: unknown) => Promise<unknown>;
    value = await handler(parsed.data);
  } catch (e) {
    if (isAppError(e)) {
      const { code, message, file, field } = e;
      return { ok: false, error: { code, message, ...(file ? { file } : {}), ...(field ? { field } : {}) } };
    }
    // A bug in main: say so, without a stack trace.
    return { ok: false, error: appError('IPC_INTERNAL', `${def.channel}: ${e instanceof Error ? e.message : String(e)}`) };
  }
  const checked = (def.response as z.ZodType).safeParse(value);
  if (!checked.success) {
    const { field, message } = describeIssue(checked.error.issues[0]);
    return { ok: false, error: appError('IPC_BAD_RESPONSE', `${def.channel}: main produced an invalid answer${field ? ` at '${field}'` : ''}: ${message}`) };
  }
  return { ok: true, value: checked.data as MainResponse<N> };
}

/** What registerIpc needs of Electron's ipcMain (a fake in tests). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: { senderFrame: Sender }, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** Register every channel main serves; a call with other than exactly one argument is malformed. */
export function registerIpc(ipcMain: IpcMainLike, handlers: Handlers): () => void {
  const names = Object.keys(MAIN_CHANNELS) as MainChannelName[];
  for (const name of names) {
    ipcMain.handle(MAIN_CHANNELS[name].channel, (event, ...args) =>
      args.length === 1
        ? dispatch(name, event.senderFrame, args[0], handlers)
        : { ok: false, error: appError('IPC_BAD_REQUEST', `${MAIN_CHANNELS[name].channel}: expected one argument, got ${args.length}`) },
    );
  }
  return () => names.forEach((n) => ipcMain.removeHandler(MAIN_CHANNELS[n].channel));
}

export type { InvokeRequest };
