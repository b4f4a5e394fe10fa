/**
 * The HostApi the UI talks to: the Electron preload bridge when the page runs in the app
 * (`window.frw` exists), otherwise the browser host (File API, IndexedDB).
 */
import type { HostApi } from '../../shared/ipc/hostApi';
import { createBrowserHost, type BrowserHostApi } from './browserHost';
import { createElectronHost } from './electronHost';

export function createHost(): HostApi {
  const frw = typeof window !== 'undefined' ? (window as unknown as { frw?: unknown }).frw : undefined;
  return frw ? createElectronHost() : createBrowserHost();
}

export function isBrowserHost(host: HostApi): host is BrowserHostApi {
  return host.kind === 'browser' && typeof (host as BrowserHostApi).scanFiles === 'function';
}

export type { BrowserHostApi } from './browserHost';
