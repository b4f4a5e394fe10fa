import type { HostCommand } from '../../shared/ipc/hostApi';
import type { RecentStudy } from '../../shared/ipc/channels';

/**
 * The application menu as a plain template (Electron's MenuItemConstructorOptions subset),
 * built from the recent-studies list; main.ts passes it to Menu.buildFromTemplate.
 * Commands go to the renderer, which runs them through HostApi like its own buttons.
 */
export interface MenuItem {
  label?: string;
  role?: 'quit' | 'about' | 'reload' | 'togglefullscreen' | 'resetZoom' | 'zoomIn' | 'zoomOut' | 'copy' | 'paste' | 'cut' | 'selectAll' | 'undo' | 'redo' | 'editMenu' | 'toggleDevTools';
  type?: 'separator' | 'submenu';
  accelerator?: string;
  enabled?: boolean;
  click?: () => void;
  submenu?: MenuItem[];
}

/**
 * Menu labels. The menu belongs to the main process, which has no i18next: it follows the
 * system language (French default, as the UI; English otherwise).
 */
export const MENU_LABELS = {
  fr: { file: 'Fichier', openFolder: 'Ouvrir un dossier…', openDemo: 'Ouvrir la démo', recent: 'Examens récents', none: '(aucun)', quit: 'Quitter', view: 'Affichage', edit: 'Édition' },
  en: { file: 'File', openFolder: 'Open folder…', openDemo: 'Open demo', recent: 'Recent studies', none: '(none)', quit: 'Quit', view: 'View', edit: 'Edit' },
} as const;
export type MenuLanguage = keyof typeof MENU_LABELS;
export const menuLanguage = (systemLocale: string): MenuLanguage => (/^en\b/i.test(systemLocale) ? 'en' : 'fr');

export interface MenuDeps {
  send(command: HostCommand): void;
  recent: readonly RecentStudy[];
  /** Offer a recent path to the renderer before asking it to open it (see services.offerPath). */
  offerPath(path: string): void;
  isMac: boolean;
  devTools: boolean;
  /** Default English (tests and the report read English labels). */
  language?: MenuLanguage;
}

export function buildMenuTemplate(deps: MenuDeps): MenuItem[] {
  const L = MENU_LABELS[deps.language ?? 'en'];
  const recentItems: MenuItem[] = deps.recent.length
    ? deps.recent.map((r) => ({
        // The folder name only; the full path may contain a patient's name on some PACS exports.
        label: r.label,
        click: () => {
          deps.offerPath(r.path);
          deps.send({ type: 'open-recent', path: r.path });
        },
      }))
    : [{ label: L.none, enabled: false }];
  const file: MenuItem = {
    label: L.file,
    submenu: [
      { label: L.openFolder, accelerator: 'CmdOrCtrl+O', click: () => deps.send({ type: 'open-study' }) },
      { label: L.openDemo, click: () => deps.send({ type: 'open-demo' }) },
      { label: L.recent, submenu: recentItems },
      { type: 'separator' },
      { label: L.quit, role: 'quit', accelerator: 'CmdOrCtrl+Q' },
    ],
  };
  const view: MenuItem = {
    label: L.view,
    submenu: [
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(deps.devTools ? [{ role: 'toggleDevTools' } as MenuItem] : []),
    ],
  };
  // Edit roles make copy/paste work in text fields (and on macOS at all).
  const edit: MenuItem = { role: 'editMenu', label: L.edit };
  return deps.isMac ? [{ label: 'Fracture-Risk Workstation', submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'quit' }] }, file, edit, view] : [file, edit, view];
}

/**
 * Study paths from the command line: `electron . /path/to/study` (dev) or `App /path` (packaged).
 * Electron's own switches and the app directory are not study paths.
 */
export function launchStudyPaths(argv: readonly string[], opts: { packaged: boolean }): string[] {
  const args = argv.slice(opts.packaged ? 1 : 2);
  return args.filter((a) => a.length > 0 && !a.startsWith('-'));
}
