import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CSP_DIRECTIVES,
  allowNavigation,
  appResponseHeaders,
  contentSecurityPolicy,
  devToolsAllowed,
  isTrustedSender,
  permissionCheckHandler,
  permissionRequestHandler,
  secureWebPreferences,
  startUrl,
  windowOpenHandler,
} from '../../../main/electron/security';
import { PRIVILEGED_SCHEMES } from '../../../main/electron/protocol';

/** Parse a CSP string into directive → sources (lower-case names, order kept). */
function parseCsp(csp: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const part of csp.split(';').map((p) => p.trim()).filter(Boolean)) {
    const [name, ...sources] = part.split(/\s+/);
    expect(m.has(name.toLowerCase()), `directive ${name} twice`).toBe(false);
    m.set(name.toLowerCase(), sources);
  }
  return m;
}

/** A source that lets the page reach another machine: a host, a wildcard, http(s)/ws(s) scheme. */
function isRemote(source: string): boolean {
  if (source.startsWith("'")) return false; // keywords: 'self', 'none', 'wasm-unsafe-eval'…
  if (['blob:', 'data:', 'frw-dicom:'].includes(source)) return false;
  return true;
}

describe('window webPreferences', () => {
  const prefs = secureWebPreferences('/app/dist/main/electron/preload.cjs', { devTools: false });
  it('isolates the page from Node and the preload', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });
  it('keeps the web security model on', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.enableBlinkFeatures).toBe('');
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
    expect(prefs.disableBlinkFeatures).toBe('Auxclick');
  });
  it('has no devtools in production', () => {
    expect(prefs.devTools).toBe(false);
    expect(devToolsAllowed({ packaged: true, env: { FRW_DEVTOOLS: '1' } })).toBe(false);
    expect(devToolsAllowed({ packaged: false, env: {} })).toBe(false);
    expect(devToolsAllowed({ packaged: false, env: { FRW_DEVTOOLS: '1' } })).toBe(true);
  });
  it('uses the bundled CommonJS preload (a sandboxed preload cannot be an ES module)', () => {
    expect(prefs.preload).toMatch(/preload\.cjs$/);
  });
  it('is what main.ts passes to the window, unchanged', () => {
    const main = readFileSync(join(__dirname, '../../../main/electron/main.ts'), 'utf8');
    const block = /webPreferences: \{\n\s*\.\.\.secureWebPreferences\([^\n]*\n([\s\S]*?)\n\s*\},/.exec(main);
    expect(block, 'main.ts spreads secureWebPreferences() into webPreferences').not.toBeNull();
    // Literal repeats (for static audits) must say exactly what secureWebPreferences says.
    const literals = [...block![1].matchAll(/^\s*(\w+): ([^,\n]+),$/gm)].map(([, k, v]) => [k, JSON.parse(v.replace(/'/g, '"'))] as const);
    expect(literals.map(([k]) => k)).toEqual(['contextIsolation', 'sandbox', 'nodeIntegration', 'webSecurity', 'disableBlinkFeatures']);
    for (const [k, v] of literals) expect(v, k).toEqual((prefs as Record<string, unknown>)[k]);
    expect(main).toMatch(/app\.enableSandbox\(\)/);
  });
});

describe('Content-Security-Policy', () => {
  const csp = parseCsp(contentSecurityPolicy());
  it("restricts everything to the app by default: default-src 'self'", () => {
    expect(csp.get('default-src')).toEqual(["'self'"]);
  });
  it('allows no JavaScript eval and no inline script; wasm compilation only', () => {
    const script = csp.get('script-src')!;
    expect(script).toContain("'self'");
    expect(script).toContain("'wasm-unsafe-eval'");
    expect(script).not.toContain("'unsafe-eval'");
    expect(script).not.toContain("'unsafe-inline'");
    for (const [name, sources] of csp) expect(sources, name).not.toContain("'unsafe-eval'");
  });
  it('names no remote origin in any directive', () => {
    for (const [name, sources] of csp) for (const s of sources) expect(isRemote(s), `${name} ${s}`).toBe(false);
  });
  it('lets the page fetch scanned DICOM only through the frw-dicom protocol', () => {
    expect(csp.get('connect-src')).toContain('frw-dicom:');
    expect(csp.get('worker-src')).toEqual(["'self'", 'blob:']);
  });
  it('forbids plugins, frames, forms and base changes', () => {
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
  });
  it('is sent as a header on every app response', () => {
    expect(appResponseHeaders('text/html')['Content-Security-Policy']).toBe(contentSecurityPolicy());
    expect(appResponseHeaders('text/html')['X-Content-Type-Options']).toBe('nosniff');
  });
  it("is not weaker than index.html's meta policy (both apply; the stricter wins)", () => {
    const html = readFileSync(join(__dirname, '../../../renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta, 'index.html has a CSP meta tag').not.toBeNull();
    const page = parseCsp(meta![1]);
    // Every source the header allows must also be allowed by the meta, or the app would break
    // in Electron while working in the browser host (which only has the meta).
    for (const [name, sources] of Object.entries(CSP_DIRECTIVES)) {
      if (name === 'frame-ancestors') continue; // ignored in a meta tag
      const metaSources = page.get(name) ?? page.get('default-src')!;
      for (const s of sources) expect(metaSources, `${name} ${s}`).toContain(s);
    }
    for (const [name, sources] of page) for (const s of sources) expect(isRemote(s), `meta ${name} ${s}`).toBe(false);
  });
});

describe('navigation and new windows', () => {
  it('denies every new window', () => {
    expect(windowOpenHandler()).toEqual({ action: 'deny' });
  });
  it.each([
    'https://example.com/',
    'http://127.0.0.1:5173/',
    'file:///etc/passwd',
    'frw-dicom://file/abc',
    'frw-app://evil/index.html',
    'javascript:alert(1)',
    'data:text/html,<script>1</script>',
    'about:blank',
    'not a url',
  ])('blocks navigation to %s', (url) => {
    expect(allowNavigation(url)).toBe(false);
  });
  it('allows reloading the app page itself', () => {
    expect(allowNavigation(startUrl({ demo: false }))).toBe(true);
    expect(allowNavigation(startUrl({ demo: true }))).toBe(true);
  });
  it('denies every permission request and check', () => {
    const answers: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      permissionRequestHandler(null, p, (granted) => answers.push(granted));
    }
    expect(answers).toEqual([false, false, false, false, false, false]);
    expect(permissionCheckHandler()).toBe(false);
  });
});

describe('IPC senders', () => {
  it('trusts only the top frame of the app', () => {
    expect(isTrustedSender({ url: 'frw-app://app/index.html', parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'frw-app://app/index.html?demo=1', parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'frw-app://app/index.html', parent: {} })).toBe(false);
    expect(isTrustedSender({ url: 'https://example.com/', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'file:///app/index.html', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });
});

describe('custom schemes', () => {
  it('registers both as standard + secure + fetch; only frw-dicom is readable from the app origin', () => {
    const byName = Object.fromEntries(PRIVILEGED_SCHEMES.map((s) => [s.scheme, s.privileges as Record<string, boolean>]));
    for (const p of Object.values(byName)) {
      expect(p.standard).toBe(true);
      expect(p.secure).toBe(true);
      expect(p.supportFetchAPI).toBe(true);
      expect(p.bypassCSP).toBeUndefined();
      expect(p.allowServiceWorkers).toBeUndefined();
    }
    expect(byName['frw-app'].corsEnabled).toBeUndefined();
    expect(byName['frw-dicom'].corsEnabled).toBe(true);
  });
});
