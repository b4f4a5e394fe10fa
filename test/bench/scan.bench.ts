/**
 * Scan as a user feels it (issue 15): folder chosen → series listed. Each sample runs the path
 * the desktop app takes: a scan worker thread started (scanWorker.ts, bundled with esbuild as
 * the packaged app bundles it), the walk, the header reads and parsing, the grouping, and the
 * result posted back to the main process. Only the IPC hop to the window and React's drawing of
 * the list are left out.
 *
 * Datasets: the TCIA planning CT (134 slices + 2 text files) and synthetic series of 500 and
 * 2000 slices of 512 × 512 × 16 bit (512 KiB each, as a real CT slice).
 * Warm: the files are in the page cache (the second time a folder is opened).
 * Cold: the page cache is dropped before each sample (`sync`, then /proc/sys/vm/drop_caches
 * where the machine allows it, else posix_fadvise(DONTNEED) on every file); this is a virtual
 * machine, so the host may still cache the disk: cold here is a lower bound of a real cold disk.
 * Run: npm run bench scan
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { workerScanRunner } from '../../main/electron/scanRunner';
import { scanPaths } from '../../main/scan/index';
import { walkPaths } from '../../main/scan/walk';
import { TCIA_DIR } from '../data';
import { ctSlice } from '../unit/dicom/dicomBytes';

const WARM_RUNS = 15;
const COLD_RUNS = 5;

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Drops the page cache (all of it where allowed, else these files'); false when neither works. */
function dropCache(files: string[]): boolean {
  execFileSync('sync');
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '1');
    return true;
  } catch {
    try {
      const script = 'import os,sys\nfor p in sys.stdin.read().split("\\0")[:-1]:\n fd=os.open(p,os.O_RDONLY); os.posix_fadvise(fd,0,0,os.POSIX_FADV_DONTNEED); os.close(fd)';
      execFileSync('python3', ['-c', script], { input: files.join('\0') + '\0' });
      return true;
    } catch {
      return false;
    }
  }
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'scan-bench-'));
  try {
    const workerFile = join(tmp, 'scanWorker.cjs');
    await build({ entryPoints: [join(import.meta.dirname, '../../main/electron/scanWorker.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: workerFile, logLevel: 'silent' });
    const runScan = workerScanRunner(workerFile);
    const scan = async (dir: string) => {
      const t = performance.now();
      const r = await runScan([dir], { onProgress: () => undefined, signal: new AbortController().signal });
      return { ms: performance.now() - t, slices: r.studies.flatMap((s) => s.series).reduce((k, s) => k + s.instanceCount, 0) };
    };

    const datasets: { name: string; dir: string; slices: number }[] = [{ name: 'TCIA planning CT', dir: TCIA_DIR, slices: 134 }];
    for (const n of [500, 2000]) {
      const dir = join(tmp, `ct${n}`);
      mkdirSync(dir);
      // One slice at a time: 2000 slices (1 GiB) never sit in memory at once.
      for (let i = 0; i < n; i++) {
        const b = ctSlice({ sop: `1.2.826.0.1.${n}.${i + 1}`, series: `1.2.826.0.1.${n}`, instanceNumber: i + 1, position: [0, 0, i * 0.625], rows: 512, columns: 512, thickness: 0.625 });
        const fd = openSync(join(dir, `CT${String(i).padStart(6, '0')}.dcm`), 'w');
        writeSync(fd, b);
        closeSync(fd);
      }
      datasets.push({ name: `synthetic ${n} slices`, dir, slices: n });
    }

    console.log(`folder chosen → series listed (scan worker started, walk, read, parse, group, result back): median ms of ${WARM_RUNS} warm and ${COLD_RUNS} cold runs`);
    console.log(`${'dataset'.padEnd(22)} ${'files'.padStart(6)} ${'warm ms'.padStart(9)} ${'cold ms'.padStart(9)}  ${'warm µs/file'.padStart(12)}  ${'scan alone, warm ms'.padStart(19)}`);
    let coldOk = true;
    for (const d of datasets) {
      const { files } = await walkPaths([d.dir]);
      const first = await scan(d.dir);
      if (first.slices !== d.slices) throw new Error(`${d.name}: expected ${d.slices} slices listed, got ${first.slices}`);
      const warm: number[] = [];
      for (let i = 0; i < WARM_RUNS; i++) warm.push((await scan(d.dir)).ms);
      const cold: number[] = [];
      for (let i = 0; i < COLD_RUNS; i++) {
        if (!dropCache(files)) {
          coldOk = false;
          break;
        }
        cold.push((await scan(d.dir)).ms);
      }
      // The same scan in this process (no worker start, no result transfer): where the time goes.
      const alone: number[] = [];
      for (let i = 0; i < WARM_RUNS; i++) {
        const t = performance.now();
        await scanPaths([d.dir]);
        alone.push(performance.now() - t);
      }
      const coldText = cold.length ? med(cold).toFixed(1) : 'n/a';
      console.log(`${d.name.padEnd(22)} ${String(files.length).padStart(6)} ${med(warm).toFixed(1).padStart(9)} ${coldText.padStart(9)}  ${((1000 * med(warm)) / files.length).toFixed(1).padStart(12)}  ${med(alone).toFixed(1).padStart(19)}`);
    }
    console.log('scan alone = scanPaths in the bench process, warm: the rest of a warm run is the worker\'s start (loading its bundle) and the result\'s transfer.');
    if (!coldOk) console.log('cold: not measured (the page cache could not be dropped on this machine)');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
