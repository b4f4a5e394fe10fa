/**
 * Electron main process: thin wiring of plain modules (security.ts, protocol.ts, services.ts,
 * ipc.ts, menu.ts, windowState.ts, recent.ts), which carry the logic and are unit-tested
 * without Electron. Bundled by build.mjs into dist/main/electron/main.cjs.
 */
import { extname, join, sep } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, screen, session, type MenuItemConstructorOptions } from 'electron';
import { EVENT_CHANNELS, type AppInfo } from '../../shared/ipc/channels';
import type { HostCommand } from '../../shared/ipc/hostApi';
import { RULES_VERSION } from '../../shared/rules/version';
import type { ScanProgress } from '../../shared/schemas/scan';
import { SessionSchema } from '../../shared/schemas/session';
import { createSessionStore } from '../storage/sessionStore';
import { registerIpc } from './ipc';
import { buildMenuTemplate, launchStudyPaths, menuLanguage } from './menu';
import { handleAppRequest, handleDicomRequest, PRIVILEGED_SCHEMES } from './protocol';
import { openRecentStore } from './recent';
import { workerScanRunner } from './scanRunner';
import {
  allowNavigation,
  devToolsAllowed,
  permissionCheckHandler,
  permissionRequestHandler,
  secureWebPreferences,
  startUrl,
  windowOpenHandler,
} from './security';
import { createMainServices, type MainServices } from './services';
import { createPacsCache } from '../pacs/cache';
import { createPacsService } from '../pacs/service';
import { createPacsSettingsStore } from '../pacs/settingsStore';
import { captureWindowState, loadWindowState, restoreWindowState, saveWindowState } from './windowState';

const log = (m: string) => process.stderr.write(`[frw] ${m}\n`);

// Before 'ready': the two custom schemes, and the OS sandbox for every renderer.
protocol.registerSchemesAsPrivileged(PRIVILEGED_SCHEMES.map((s) => ({ scheme: s.scheme, privileges: { ...s.privileges } })));
app.enableSandbox();

// A second start hands its study to the running window (see 'second-instance') and quits.
const primaryInstance = app.requestSingleInstanceLock();
if (!primaryInstance) app.quit();

const appRoot = app.getAppPath();
const rendererRoot = join(appRoot, 'dist', 'renderer');
const demoDir = app.isPackaged ? join(process.resourcesPath, 'demo-ct') : join(appRoot, 'resources', 'demo-ct');
// Worker threads cannot load from inside app.asar: electron-builder.yml unpacks this file.
const scanWorkerFile = join(__dirname, 'scanWorker.cjs').replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);
const devTools = devToolsAllowed({ packaged: app.isPackaged, env: process.env });

let mainWindow: BrowserWindow | null = null;
let services: MainServices | null = null;

// Every web contents (there is one window; this also covers any that should never exist).
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => {
    if (!allowNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!allowNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!allowNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(windowOpenHandler);
});

function send(command: HostCommand): void {
  mainWindow?.webContents.send(EVENT_CHANNELS.menuCommand.channel, command);
}

function refreshMenu(): void {
  if (!services) return;
  const template = buildMenuTemplate({
    send,
    recent: services.recentStudies(),
    offerPath: services.offerPath,
    isMac: process.platform === 'darwin',
    devTools,
    language: menuLanguage(app.getLocale()),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template as MenuItemConstructorOptions[]));
}

/** Progress at most every 100 ms (phase changes always): a scan of 5000 files must not flood IPC. */
function progressSender(): (scanId: string, p: ScanProgress) => void {
  const last = new Map<string, { at: number; phase: string }>();
  return (scanId, progress) => {
    const now = Date.now();
    const prev = last.get(scanId);
    if (prev && prev.phase === progress.phase && now - prev.at < 100 && progress.phase !== 'done') return;
    last.set(scanId, { at: now, phase: progress.phase });
    mainWindow?.webContents.send(EVENT_CHANNELS.scanProgress.channel, { scanId, progress });
  };
}

async function createWindow(launchPaths: string[]): Promise<void> {
  const userData = app.getPath('userData');
  const stateFile = join(userData, 'window-state.json');
  const displays = screen.getAllDisplays().map((d) => d.workArea);
  const state = restoreWindowState(await loadWindowState(stateFile, log), displays);

  mainWindow = new BrowserWindow({
    ...state,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    backgroundColor: '#111418',
    title: 'Fracture-Risk Workstation',
    webPreferences: {
      ...secureWebPreferences(join(__dirname, 'preload.cjs'), { devTools }),
      // The decisive settings again as literals, so static audits (Electronegativity) see them;
      // test/unit/electron/security.test.ts checks they equal secureWebPreferences().
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  if (state.maximized) mainWindow.maximize();
  mainWindow.once('ready-to-show', () => mainWindow?.show());

  const win = mainWindow;
  const persist = () => {
    if (win.isDestroyed()) return;
    try {
      saveWindowState(stateFile, captureWindowState(win.getNormalBounds(), win.isMaximized()));
    } catch (e) {
      log(`window state not saved: ${(e as Error).message}`);
    }
  };
  win.on('close', persist);
  win.on('closed', () => {
    mainWindow = null;
  });

  // With a study on the command line: open it (queued by the preload until the page listens);
  // without one: the demo, through the page's own ?demo=1.
  await win.loadURL(startUrl({ demo: launchPaths.length === 0 }));
  if (launchPaths.length > 0) send({ type: 'open-recent', path: launchPaths[0] });
}

app.on('second-instance', (_event, argv) => {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
  const [path] = launchStudyPaths(argv, { packaged: app.isPackaged });
  if (path && services) {
    services.offerPath(path);
    send({ type: 'open-recent', path });
  }
});

app.whenReady().then(async () => {
  if (!primaryInstance) return;
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler(permissionRequestHandler);
  ses.setPermissionCheckHandler(permissionCheckHandler);
  ses.setDevicePermissionHandler(() => false);
  // No remote content: the app loads only frw-app: and frw-dicom:, never the network. (file:
  // URLs are already refused by Chromium to a page of another origin.)
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (_details, callback) =>
    callback({ cancel: true }),
  );

  const userData = app.getPath('userData');
  const launchPaths = launchStudyPaths(process.argv, { packaged: app.isPackaged });
  const recent = await openRecentStore(join(userData, 'recent-studies.json'), log);
  const appInfo: AppInfo = {
    appName: app.getName(),
    appVersion: app.getVersion(),
    rulesVersion: RULES_VERSION,
    electronVersion: process.versions.electron ?? '',
    chromeVersion: process.versions.chrome ?? '',
    platform: process.platform,
    packaged: app.isPackaged,
  };
  const progress = progressSender();
  const sessions = createSessionStore({ dir: join(userData, 'sessions'), schema: SessionSchema });
  // Quit only once the last autosave is on disk (the page flushes it when it is closed).
  let quitting = false;
  app.on('will-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    const deadline = new Promise((r) => setTimeout(r, 5000));
    void Promise.race([sessions.idle(), deadline]).finally(() => app.quit());
  });
  services = createMainServices({
    runScan: workerScanRunner(scanWorkerFile),
    sendProgress: progress,
    // Folders and files need two dialogs: on Windows and Linux a dialog asked for both shows
    // folders only.
    chooseFolders: async () => {
      const r = await dialog.showOpenDialog(mainWindow!, { title: 'Open a CT study', properties: ['openDirectory', 'multiSelections'] });
      return r.canceled ? null : r.filePaths;
    },
    chooseFiles: async () => {
      const r = await dialog.showOpenDialog(mainWindow!, { title: 'Open CT files', properties: ['openFile', 'multiSelections'] });
      return r.canceled ? null : r.filePaths;
    },
    sendCommand: send,
    chooseSaveTarget: async (suggestedName) => {
      const ext = extname(suggestedName).slice(1).toLowerCase();
      const r = await dialog.showSaveDialog(mainWindow!, {
        defaultPath: join(app.getPath('documents'), suggestedName),
        filters: ext ? [{ name: ext.toUpperCase(), extensions: [ext] }] : [],
        // The OS asks before replacing an existing file: exports never overwrite silently.
        properties: ['showOverwriteConfirmation', 'createDirectory'],
      });
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    demoDir,
    sessions,
    recent: {
      list: () => recent.list(),
      add: async (p) => {
        const list = await recent.add(p);
        refreshMenu();
        return list;
      },
    },
    appInfo,
    launchPaths,
    log,
    // PACS requests go out from here with Node's fetch (undici), not Chromium's network stack:
    // the session's block on http(s) above keeps the page itself off the network.
    pacs: createPacsService({
      settings: createPacsSettingsStore(join(userData, 'pacs'), safeStorage, log),
      cache: createPacsCache(join(userData, 'pacs', 'cache')),
      log,
    }),
    sendPacsProgress: (scanId, progress) => mainWindow?.webContents.send(EVENT_CHANNELS.pacsProgress.channel, { scanId, progress }),
  });
  const files = services.files;
  protocol.handle('frw-app', (request) => handleAppRequest(request, rendererRoot));
  protocol.handle('frw-dicom', (request) => handleDicomRequest(request, files));
  registerIpc(ipcMain as unknown as Parameters<typeof registerIpc>[0], services.handlers);
  refreshMenu();
  await createWindow(launchPaths);
});

app.on('window-all-closed', () => app.quit());
