import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeReader, readerReady, scanPaths, warmReader } from '../../../main/scan/index';
import { parseWithReader } from '../../../main/scan/readerThread';
import { walkPaths } from '../../../main/scan/walk';
import { DATA_DIR } from '../../data';
import { axialSeries } from '../dicom/dicomBytes';

/**
 * The reader thread reads header bytes while this thread parses: whatever it does, the scan's
 * result must be the in-thread scan's, file for file — on all the real data (RT structure sets
 * longer than the first read included), on unreadable files, when cancelled, and when the
 * reader dies in the middle of a scan.
 */
describe('scans with the reader thread', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'reader-test-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => closeReader());

  it('give the in-thread result on all the real data, blocking or not, and really used the reader', async () => {
    const inThread = await scanPaths([DATA_DIR], { workers: 0, blockingReads: true, reader: false });
    expect(await warmReader()).toBe(true);
    expect(readerReady()).toBe(true);
    const { files } = await walkPaths([DATA_DIR]);
    let reported = 0;
    const direct = await parseWithReader(files, undefined, (n) => (reported = n), true);
    expect(direct).toHaveLength(files.length);
    expect(reported).toBe(files.length);
    for (const blockingReads of [true, false]) {
      expect(await scanPaths([DATA_DIR], { workers: 0, blockingReads, reader: true })).toEqual(inThread);
    }
    // By default a running reader is used; reader: false never uses it.
    expect(await scanPaths([DATA_DIR], { workers: 0, blockingReads: true })).toEqual(inThread);
  });

  it('report unreadable and vanished files as the in-thread scan does', async () => {
    const d = join(dir, 'bad');
    const files = axialSeries([0, 3, 6], { series: '1.2.826.0.1.31' }).map((b, i) => {
      const f = join(d + i);
      writeFileSync(f, b);
      return f;
    });
    chmodSync(files[1], 0);
    const gone = join(dir, 'gone.dcm');
    const inThread = await scanPaths([...files], { workers: 0, blockingReads: true, reader: false });
    await warmReader();
    const viaReader = await parseWithReader([...files, gone], undefined, () => undefined, true);
    expect(viaReader?.[3]).toMatchObject({ kind: 'error', code: 'FILE_UNREADABLE', message: expect.stringContaining('ENOENT') });
    expect(await scanPaths([...files], { workers: 0, blockingReads: true, reader: true })).toEqual(inThread);
  });

  it('a cancel rejects with the coded error and leaves the reader ready for the next scan', async () => {
    await warmReader();
    const c = new AbortController();
    const p = scanPaths([DATA_DIR], { workers: 0, reader: true, signal: c.signal, onProgress: (x) => x.phase === 'parsing' && x.filesParsed === 0 && setImmediate(() => c.abort()) });
    await expect(p).rejects.toMatchObject({ code: 'SCAN_CANCELLED' });
    // The cancel arrived once the reader was reading: batches of the cancelled scan still in
    // flight go back to it, and the next scan is whole.
    const tcia = join(DATA_DIR, 'tcia-pancreas-planning-ct');
    const r = await scanPaths([tcia], { workers: 0, reader: true });
    expect(r.studies[0].series[0].instanceCount).toBe(134);
    expect(readerReady()).toBe(true);
  });

  it('a reader that dies mid-scan: the files it did not deliver are read here, nothing is lost', async () => {
    const inThread = await scanPaths([DATA_DIR], { workers: 0, blockingReads: true, reader: false });
    await warmReader();
    const { files } = await walkPaths([DATA_DIR]);
    let killed = false;
    const result = await parseWithReader(
      files,
      undefined,
      () => {
        if (!killed) {
          killed = true;
          void closeReader(); // terminates the thread after its first batch
        }
      },
      true,
    );
    expect(killed).toBe(true);
    expect(readerReady()).toBe(false);
    const again = await scanPaths([DATA_DIR], { workers: 0, blockingReads: true, reader: false });
    expect(again).toEqual(inThread);
    expect(result).toHaveLength(files.length);
    expect(result!.every((x) => x !== undefined)).toBe(true);
  });
});
