/**
 * The HostApi the UI talks to: the Electron preload bridge when the page runs in the app
 * (`window.frw` exists), otherwise the browser host (File API, IndexedDB).
 */
import type { HostApi } from '../../shared/ipc/hostApi';
import { createBrowserHost, type BrowserHostApi } from './browserHost';

// electronHost.ts belongs to the Electron part; found by glob so either part builds alone.
const electronModules = import.meta.glob<{ createElectronHost?: () => HostApi; electronHost?: HostApi }>('./electronHost.ts', {
  eager: true,
});

export function createHost(): HostApi {
  const inElectron = typeof window !== 'undefined' && 'frw' in window && !!(window as unknown as { frw?: unknown }).frw;
  if (inElectron) {
    const m = Object.values(electronModules)[0];
    const host = m?.createElectronHost?.() ?? m?.electronHost;
    if (host) return host;
  }
  return createBrowserHost();
}

export function isBrowserHost(host: HostApi): host is BrowserHostApi {
  return host.kind === 'browser' && typeof (host as BrowserHostApi).scanFiles === 'function';
}

export type { BrowserHostApi } from './browserHost';
