import { APP_ORIGIN, APP_SCHEME, DICOM_SCHEME } from '../../shared/ipc/channels';

/**
 * The window's security settings as plain values, so unit tests assert them without Electron
 * (test/unit/electron/security.test.ts) and main.ts only passes them on.
 * Checklist: https://www.electronjs.org/docs/latest/tutorial/security
 */

/** webPreferences of the one application window. `preload` is the bundled preload.cjs. */
export function secureWebPreferences(preload: string, opts: { devTools: boolean }) {
  return {
    preload,
    // The page cannot reach the preload's world or Node: it sees only `window.frw`.
    contextIsolation: true,
    // The renderer runs in Chromium's OS sandbox; the preload gets only the sandboxed subset
    // of Node (it is bundled as one CommonJS file needing nothing but 'electron').
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    enableBlinkFeatures: '',
    // Middle-click (auxclick) would open links in a new window; new windows are denied anyway.
    disableBlinkFeatures: 'Auxclick',
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: opts.devTools,
  } as const;
}

/** Content-Security-Policy directives (header on every app response, and a meta tag in index.html). */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  // Cornerstone's DICOM codecs are WebAssembly: 'wasm-unsafe-eval' allows compiling wasm, not
  // JavaScript eval. No inline scripts.
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  // Decode workers are module files of the app; the worker pool may also start blob: workers.
  'worker-src': ["'self'", 'blob:'],
  // DICOM bytes come from the frw-dicom: protocol (only files the scan found).
  'connect-src': ["'self'", `${DICOM_SCHEME}:`, 'blob:', 'data:'],
  'img-src': ["'self'", 'data:', 'blob:'],
  // React and Cornerstone set element styles at run time.
  'style-src': ["'self'", "'unsafe-inline'"],
  'font-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-src': ["'none'"],
  'frame-ancestors': ["'none'"],
};

export function contentSecurityPolicy(): string {
  return Object.entries(CSP_DIRECTIVES)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ');
}

/** Headers on every response of the app protocol. */
export function appResponseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}

/** The start page. The demo flag mirrors the browser host's `?demo=1`. */
export function startUrl(opts: { demo: boolean }): string {
  return `${APP_ORIGIN}/index.html${opts.demo ? '?demo=1' : ''}`;
}

/** True only for the app's own pages (frw-app://app/...). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === 'app';
  } catch {
    return false;
  }
}

/**
 * `will-navigate` / `will-redirect` / `will-frame-navigate`: the app is a single page and never
 * navigates; anything else (a dropped file, a link, an injected location change) is blocked.
 * A reload of the app page itself is allowed.
 */
export function allowNavigation(targetUrl: string): boolean {
  return isAppUrl(targetUrl);
}

/** `setWindowOpenHandler`: no new windows, ever. Links to outside are not opened either. */
export function windowOpenHandler(): { action: 'deny' } {
  return { action: 'deny' };
}

/** Permission requests and checks (camera, notifications, clipboard, HID…): all denied. */
export function permissionRequestHandler(_wc: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}
export function permissionCheckHandler(): boolean {
  return false;
}

/**
 * IPC is answered only for the app's own top frame. A sub-frame or a page from elsewhere
 * (which should never exist) gets `IPC_FORBIDDEN_SENDER`.
 */
export function isTrustedSender(frame: { url: string; parent?: unknown | null } | null | undefined): boolean {
  if (!frame) return false;
  if (frame.parent) return false;
  return isAppUrl(frame.url);
}

/** DevTools only in development (`FRW_DEVTOOLS=1` with an unpackaged app). */
export function devToolsAllowed(opts: { packaged: boolean; env: Record<string, string | undefined> }): boolean {
  return !opts.packaged && opts.env.FRW_DEVTOOLS === '1';
}
