import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { calls } from './fixtures/fakeElectron';
import { INVOKE_CHANNELS } from '../../../shared/ipc/channels';
import { TCIA_DIR } from '../../data';

/**
 * main.ts started with a study on the command line (`electron . /path`), against a mocked
 * 'electron' (fixtures/fakeElectron.ts, shared with main-wiring.test.ts): no demo, the study is offered to the page as
 * an open-recent command and main accepts that path without a dialog; quitting waits for
 * pending autosaves.
 */

vi.mock('electron', () => import('./fixtures/fakeElectron').then((m) => m.fakeElectron()));

const argv = process.argv;
const STUDY = TCIA_DIR;
beforeAll(async () => {
  calls.userData = mkdtempSync(join(tmpdir(), 'frw-main-cli-'));
  process.argv = ['/usr/bin/electron', '.', STUDY];
  await import('../../../main/electron/main');
  calls.ready!();
  await calls.readyDone;
});
afterAll(() => {
  process.argv = argv;
  rmSync(calls.userData, { recursive: true, force: true });
});

type Handler = (event: { senderFrame: { url: string; parent: null } }, payload: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;
const APP = { senderFrame: { url: 'frw-app://app/index.html', parent: null } };

describe('main.ts with a study on the command line (mocked electron)', () => {
  it('loads the app page without the demo and offers the study to the page', () => {
    expect(calls.windows[0].loaded).toEqual(['frw-app://app/index.html']);
    expect(calls.windows[0].sent).toEqual([['frw:menu:command', { type: 'open-recent', path: STUDY }]]);
  });

  it('opens that path without a dialog, and no other', async () => {
    const open = calls.ipc.get('frw:study:open') as Handler;
    const other = await open(APP, { scanId: 'scan-cli-0002', paths: ['/etc'] });
    expect(other).toMatchObject({ ok: false, error: { code: 'PATH_NOT_OFFERED' } });
    // The command-line study passes the check and goes to the scan worker (which, from the
    // source tree, is not bundled: scanRunner.test.ts runs the bundled one on this study).
    const study = await open(APP, { scanId: 'scan-cli-0003', paths: [STUDY] });
    expect(study.ok ? 'ok' : study.error!.code).toMatch(/^(ok|SCAN_WORKER_FAILED)$/);
  });

  it('postpones quitting until pending autosaves are written', async () => {
    const willQuit = calls.appEvents.get('will-quit')!;
    let prevented = 0;
    willQuit({ preventDefault: () => prevented++ });
    expect(prevented).toBe(1);
    // The second will-quit (after the wait) goes through.
    willQuit({ preventDefault: () => prevented++ });
    expect(prevented).toBe(1);
  });
});
