import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { pacsProxyMiddleware } from './main/pacs/devProxy';

/**
 * Renderer build: one web app for both hosts (Electron loads dist/renderer/index.html from
 * disk, the browser host is served by `npm run web` or the e2e harness). `base: './'` keeps
 * every URL relative so it works from file:// / a custom protocol as well as over http.
 *
 * Cornerstone3D notes (measured, see ../shared/platform-notes.md):
 * - the DICOM image loader must not be pre-bundled (its decode worker and codec wasm are loaded
 *   by URL), but its CommonJS dependencies must be, or the dev server fails ("no export named
 *   default"), keeps two metadata stores, or the decode worker hangs silently;
 * - workers are ES modules; wasm needs no plugin.
 * - `events` (used by vtk.js → xmlbuilder2) resolves to the npm package listed in
 *   package.json, not to Vite's empty browser stub; without it the production bundle crashes.
 */
const LOADER = '@cornerstonejs/dicom-image-loader';

/**
 * The Content-Security-Policy lives in renderer/index.html (strict: scripts only from the app,
 * wasm allowed, no inline scripts). The dev server alone needs an inline React-refresh preamble
 * and a websocket for hot reload, so only `vite serve` relaxes those two directives.
 */
function devCspRelax(): Plugin {
  return {
    name: 'frw-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws: wss:");
    },
  };
}

/** The browser host reaches a PACS through the dev server (main/pacs/devProxy.ts): the page's CSP allows only its own origin. */
function pacsProxy(): Plugin {
  return {
    name: 'frw-pacs-proxy',
    configureServer(server) {
      server.middlewares.use(pacsProxyMiddleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(pacsProxyMiddleware);
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  // resources/ (demo CT in resources/demo-ct/, made by `npm run demo`) is served by the dev
  // server; it is not copied into the build: Electron reads it from resources/, the e2e harness
  // serves it beside dist/renderer.
  publicDir: fileURLToPath(new URL('./resources', import.meta.url)),
  plugins: [react(), devCspRelax(), pacsProxy()],
  resolve: {
    alias: { events: fileURLToPath(new URL('./node_modules/events/events.js', import.meta.url)) },
  },
  optimizeDeps: {
    exclude: [LOADER],
    include: [
      'dicom-parser',
      '@cornerstonejs/metadata',
      '@cornerstonejs/utils',
      `${LOADER} > pako`,
      `${LOADER} > comlink`,
      `${LOADER} > @cornerstonejs/codec-charls/decodewasmjs`,
      `${LOADER} > @cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs`,
      `${LOADER} > @cornerstonejs/codec-openjpeg/decodewasmjs`,
      `${LOADER} > @cornerstonejs/codec-openjph/wasmjs`,
      `${LOADER} > @cornerstonejs/codec-libjxl/decodewasmjs`,
    ],
  },
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    copyPublicDir: false,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 8000,
  },
  server: { port: 5173, strictPort: true, host: '127.0.0.1' },
  preview: { port: 5173, strictPort: true, host: '127.0.0.1' },
});
