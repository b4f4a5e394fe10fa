import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerScanRunner } from '../../../main/electron/scanRunner';
import type { ScanProgress } from '../../../shared/schemas/scan';
import { TCIA_DIR } from '../../data';

/**
 * The scan as the app runs it: scanWorker.ts bundled the way build.mjs bundles it (CommonJS,
 * one file), in a worker thread, on the real TCIA planning CT read in place.
 */
const TCIA = TCIA_DIR;
let dir: string;
let workerFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'frw-scanworker-'));
  workerFile = join(dir, 'scanWorker.cjs');
  await build({
    entryPoints: [join(__dirname, '../../../main/electron/scanWorker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    define: { 'import.meta.url': '""' },
    outfile: workerFile,
    logLevel: 'silent',
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!existsSync(TCIA))('scan in a worker thread', () => {
  it('scans the TCIA planning CT off the main thread, with progress', async () => {
    const progress: ScanProgress[] = [];
    const result = await workerScanRunner(workerFile)([TCIA], { onProgress: (p) => progress.push(p), signal: new AbortController().signal });
    const ct = result.studies.flatMap((s) => s.series).filter((s) => s.modality === 'CT');
    expect(ct).toHaveLength(1);
    expect(ct[0].instanceCount).toBe(134);
    expect(ct[0].instances[0].fileId.startsWith(TCIA)).toBe(true);
    expect(progress.map((p) => p.phase)).toContain('parsing');
    expect(progress.at(-1)?.phase).toBe('done');
  });

  it('rejects with SCAN_CANCELLED when cancelled', async () => {
    const controller = new AbortController();
    const run = workerScanRunner(workerFile)([TCIA], { onProgress: () => controller.abort(), signal: controller.signal });
    await expect(run).rejects.toMatchObject({ code: 'SCAN_CANCELLED' });
  });

  it('reports a worker that cannot start as a coded error', async () => {
    const run = workerScanRunner(join(dir, 'missing.cjs'))([TCIA], { onProgress: () => {}, signal: new AbortController().signal });
    await expect(run).rejects.toMatchObject({ code: 'SCAN_WORKER_FAILED' });
  });
});
