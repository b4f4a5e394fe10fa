import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate, launchStudyPaths, menuLanguage, type MenuItem } from '../../../main/electron/menu';
import { MAX_RECENT, openRecentStore, withRecent } from '../../../main/electron/recent';
import { captureWindowState, DEFAULT_WINDOW_STATE, loadWindowState, restoreWindowState, saveWindowState } from '../../../main/electron/windowState';
import type { HostCommand } from '../../../shared/ipc/hostApi';

const find = (items: MenuItem[], label: string) => items.find((i) => i.label === label)!;

describe('application menu', () => {
  const sent: HostCommand[] = [];
  const offered: string[] = [];
  const template = buildMenuTemplate({
    send: (c) => sent.push(c),
    recent: [{ path: '/studies/Case 1', label: 'Case 1', openedAt: '2026-11-24T10:00:00.000Z' }],
    offerPath: (p) => offered.push(p),
    isMac: false,
    devTools: false,
  });
  const file = find(template, 'File').submenu!;
  it('has Open folder…, Open demo, Recent studies and Quit', () => {
    expect(file.filter((i) => i.label).map((i) => i.label)).toEqual(['Open folder…', 'Open demo', 'Recent studies', 'Quit']);
    expect(find(file, 'Quit').role).toBe('quit');
  });
  it('sends the commands the UI runs through HostApi', () => {
    find(file, 'Open folder…').click!();
    find(file, 'Open demo').click!();
    find(find(file, 'Recent studies').submenu!, 'Case 1').click!();
    expect(sent).toEqual([{ type: 'open-study' }, { type: 'open-demo' }, { type: 'open-recent', path: '/studies/Case 1' }]);
    // The recent path is offered to the open handler first (else main would refuse it).
    expect(offered).toEqual(['/studies/Case 1']);
  });
  it('follows the system language, French by default like the UI', () => {
    expect(menuLanguage('fr-FR')).toBe('fr');
    expect(menuLanguage('de')).toBe('fr');
    expect(menuLanguage('en-GB')).toBe('en');
    const fr = buildMenuTemplate({ send: () => {}, recent: [], offerPath: () => {}, isMac: false, devTools: false, language: 'fr' });
    expect(find(fr, 'Fichier').submenu!.filter((i) => i.label).map((i) => i.label)).toEqual(['Ouvrir un dossier…', 'Ouvrir la démo', 'Examens récents', 'Quitter']);
  });
  it('offers no devtools in production', () => {
    expect(JSON.stringify(template)).not.toContain('toggleDevTools');
  });
  it('shows an empty recent list as a disabled entry', () => {
    const t = buildMenuTemplate({ send: () => {}, recent: [], offerPath: () => {}, isMac: true, devTools: false });
    expect(find(find(t, 'File').submenu!, 'Recent studies').submenu).toEqual([{ label: '(none)', enabled: false }]);
  });
});

describe('command line', () => {
  it('takes the study path after the app dir in development, after the binary when packaged', () => {
    expect(launchStudyPaths(['/usr/bin/electron', '.', '/data/ct'], { packaged: false })).toEqual(['/data/ct']);
    expect(launchStudyPaths(['/usr/bin/electron', '.'], { packaged: false })).toEqual([]);
    expect(launchStudyPaths(['/opt/FRW/frw', '/data/ct'], { packaged: true })).toEqual(['/data/ct']);
    expect(launchStudyPaths(['/opt/FRW/frw', '--no-sandbox', '/data/ct'], { packaged: true })).toEqual(['/data/ct']);
  });
});

describe('recent studies', () => {
  it('puts the newest first, without duplicates, at most MAX_RECENT', () => {
    let list = withRecent([], '/a', new Date(0));
    for (let i = 0; i < 20; i++) list = withRecent(list, `/s${i}`, new Date(i));
    list = withRecent(list, '/s5', new Date(99));
    expect(list).toHaveLength(MAX_RECENT);
    expect(list[0]).toMatchObject({ path: '/s5', label: 's5' });
    expect(list.filter((r) => r.path === '/s5')).toHaveLength(1);
  });
  it('survives restarts and a corrupt file (moved aside, reported, list restarts empty)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frw-recent-'));
    try {
      const file = join(dir, 'recent-studies.json');
      const a = await openRecentStore(file, () => {});
      await a.add('/data/one');
      expect((await openRecentStore(file, () => {})).list().map((r) => r.path)).toEqual(['/data/one']);
      writeFileSync(file, '[[[');
      const problems: string[] = [];
      expect((await openRecentStore(file, (m) => problems.push(m))).list()).toEqual([]);
      expect(problems[0]).toMatch(/^STORAGE_CORRUPT/);
      expect(readdirSync(dir).some((n) => n.includes('.corrupt-'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('window state', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1040 }];
  it('opens where it was', () => {
    const s = captureWindowState({ x: 100, y: 50, width: 1400, height: 900 }, true);
    expect(restoreWindowState(s, screen)).toEqual({ x: 100, y: 50, width: 1400, height: 900, maximized: true });
  });
  it('forgets a position on a display that is gone, and shrinks to the screen', () => {
    const s = { x: 2500, y: 100, width: 2400, height: 1400, maximized: false };
    expect(restoreWindowState(s, screen)).toEqual({ width: 1920, height: 1040, maximized: false });
  });
  it('starts with the default size the first time', () => {
    expect(restoreWindowState(null, screen)).toEqual(DEFAULT_WINDOW_STATE);
  });
  it('round-trips through its file; a corrupt file is reported and ignored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frw-winstate-'));
    try {
      const file = join(dir, 'window-state.json');
      saveWindowState(file, { x: 10, y: 20, width: 1300, height: 800, maximized: false });
      expect(await loadWindowState(file, () => {})).toEqual({ x: 10, y: 20, width: 1300, height: 800, maximized: false });
      writeFileSync(file, '{"width": "wide"}');
      const problems: string[] = [];
      expect(await loadWindowState(file, (m) => problems.push(m))).toBeNull();
      expect(problems).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
