/**
 * Scan speed (issue 3): scanPaths on the TCIA planning CT (134 slices + 2 text files) and on a
 * 500-file synthetic series, beside the floor: the time to just read the same bytes.
 *
 * The floor reads, with blocking calls on one thread and nothing else, the bytes the scan reads:
 * the folder listings (readdir, recursively) and the first HEADER_READ.firstBytes of every file
 * (open, fstat, read, close) — no parsing, no grouping, no sorting. "read only" is the same
 * without the listings (the file list given), for reference.
 *
 * Scan modes, each end to end (walk + read + parse + group):
 *  - one thread, blocking: reads and parsing in turn (the CLI's and the Electron scan worker's mode);
 *  - one thread, callbacks: libuv reads, 16 in flight, for a thread that must keep answering;
 *    "callback reads" is its own floor (the same reader with nothing done with the bytes).
 * The worker pool (scanPaths' workers option) is left out: slower than one thread at every size
 * measured (see main/scan/index.ts), and its idle threads disturb the other timings.
 * Target: scan within 1.5× of the floor.
 * Run: npm run bench scan
 */
import { closeSync, fstatSync, fsyncSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { HEADER_READ, scanPaths } from '../../main/scan/index';
import { forEachPrefix } from '../../main/scan/pool';
import { walkPaths } from '../../main/scan/walk';
import { parseHeader } from '../../shared/dicom/index';
import { TCIA_DIR } from '../data';
import { axialSeries } from '../unit/dicom/dicomBytes';

const RUNS = 61;
/**
 * Rounds run first and not counted: V8 optimises a function only after many calls, and two
 * rounds left the parser half-optimised (TCIA: ratio ~1.8 after 2 rounds, ~1.6 after 40). The first
 * round — both floor and scan cold — is shown apart ('first' columns).
 */
const WARMUP = 150;
const TARGET_RATIO = 1.5;

const prefix = new Uint8Array(HEADER_READ.firstBytes);

function readPrefix(file: string): number {
  const fd = openSync(file, 'r');
  try {
    fstatSync(fd);
    return readSync(fd, prefix, 0, prefix.length, 0);
  } finally {
    closeSync(fd);
  }
}

/** The floor: list the folders and read the header bytes of every file, nothing else. */
function listAndRead(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    // Names joined as the scan's walk joins them (no path.join: the floor is not to be slowed).
    const p = dir + sep + e.name;
    total += e.isDirectory() ? listAndRead(p) : readPrefix(p);
  }
  return total;
}

function readOnly(files: string[]): number {
  let total = 0;
  for (const f of files) total += readPrefix(f);
  return total;
}

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

type Mode = 'one thread, blocking' | 'one thread, callbacks';
const MODES: Record<Mode, (dir: string) => Promise<unknown>> = {
  'one thread, blocking': (dir) => scanPaths([dir], { workers: 0, blockingReads: true }),
  'one thread, callbacks': (dir) => scanPaths([dir], { workers: 0, blockingReads: false }),
};
/** The mode the CLI and the Electron scan worker use: the target is judged on it. */
const PRODUCT_MODE: Mode = 'one thread, blocking';

interface Row {
  dataset: string;
  files: number;
  parseUs: number;
  floorMs: number;
  readOnlyMs: number;
  callbackReadsMs: number;
  scans: Record<Mode, { ms: number; ratio: number; readOnlyRatio: number; firstRatio: number }>;
}

/** Runs each step once per round, RUNS rounds after WARMUP rounds; the times of each step, and of each in the first round. */
async function rounds(steps: (() => unknown)[]): Promise<{ times: number[][]; first: number[] }> {
  const times = steps.map(() => [] as number[]);
  const first: number[] = [];
  for (let i = -WARMUP; i < RUNS; i++) {
    for (let k = 0; k < steps.length; k++) {
      const t = performance.now();
      await steps[k]();
      const ms = performance.now() - t;
      if (i === -WARMUP) first.push(ms);
      if (i >= 0) times[k].push(ms);
    }
  }
  return { times, first };
}

/**
 * The floor and a scan alternate round by round, so load from other processes (the machine is
 * shared) hits both alike; a ratio is the median of the per-round ratios. The callbacks mode runs
 * in rounds of its own: its libuv threads, still closing files when a round ends, would slow
 * whatever runs next.
 */
async function measure(dataset: string, dir: string, expectedSlices: number): Promise<Row> {
  const { files } = await walkPaths([dir]);
  const check = await scanPaths([dir], { workers: 0 });
  const slices = check.studies.flatMap((s) => s.series).reduce((k, s) => k + s.instanceCount, 0);
  if (slices !== expectedSlices) throw new Error(`${dataset}: expected ${expectedSlices} slices, got ${slices}`);
  const main = await rounds([() => listAndRead(dir), () => readOnly(files), MODES['one thread, blocking'].bind(null, dir)]);
  const [floor, readOnlyMs, blocking] = main.times;
  // Parse cost alone: parseHeader on the same header bytes in memory. In rounds of its own, its
  // buffers made after the scan's rounds: 2 MB of them would evict what the scan keeps warm, and
  // weigh on the garbage collector during those rounds.
  const inMemory = files.map((f) => {
    const n = readPrefix(f);
    return { bytes: prefix.slice(0, n), f };
  });
  const [parse] = (
    await rounds([
      () => {
        for (const x of inMemory) parseHeader(x.bytes, { fileId: x.f, file: x.f, totalBytes: Infinity });
      },
    ])
  ).times;
  const second = await rounds([
    () => listAndRead(dir),
    () => forEachPrefix(files, (_file, bytes) => bytes?.length ?? 0),
    MODES['one thread, callbacks'].bind(null, dir),
  ]);
  const [floor2, callbackReads, callbacks] = second.times;
  const ratio = (xs: number[], base: number[]) => med(xs.map((x, i) => x / base[i]));
  const row = (xs: number[], base: number[]) => ({ ms: med(xs), ratio: ratio(xs, base), readOnlyRatio: med(xs) / med(readOnlyMs) });
  return {
    dataset,
    files: files.length,
    parseUs: (1000 * med(parse)) / files.length,
    floorMs: med(floor),
    readOnlyMs: med(readOnlyMs),
    callbackReadsMs: med(callbackReads),
    scans: {
      'one thread, blocking': { ...row(blocking, floor), firstRatio: main.first[2] / main.first[0] },
      'one thread, callbacks': { ...row(callbacks, floor2), firstRatio: second.first[2] / second.first[0] },
    },
  };
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'scan-bench-'));
  try {
    // TCIA first: the synthetic series is written after it, so the kernel's write-back of its
    // 64 MiB does not run during the TCIA rounds.
    const tcia = await measure('TCIA planning CT', TCIA_DIR, 134);
    // 500 slices of 256×256 × 16 bit (128 KiB each, 64 MiB): a realistic header + pixel layout.
    // Each file is flushed before the rounds start, for the same reason.
    const zs = Array.from({ length: 500 }, (_, i) => i * 1.25);
    axialSeries(zs, { rows: 256, columns: 256, thickness: 1.25, series: '1.2.826.0.1.500' }).forEach((b, i) => {
      const fd = openSync(join(tmp, `CT${String(i).padStart(6, '0')}.dcm`), 'w');
      try {
        writeSync(fd, b);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    });
    const rows = [tcia, await measure('synthetic 500 slices', tmp, 500)];
    const pad = (s: string | number, n: number) => String(s).padStart(n);
    const ms = (x: number) => x.toFixed(2);
    console.log(`medians of ${RUNS} rounds after ${WARMUP} warm-up rounds (floor, read only, blocking scan in turn; then parse alone; then floor, callback reads, callbacks scan); ratio = median of per-round ratios to the floor`);
    console.log(`floor = list the folders + read the first ${HEADER_READ.firstBytes / 1024} KiB of every file, blocking calls, one thread, nothing else; read only = the same without the listings`);
    console.log(`${'dataset'.padEnd(22)} ${pad('files', 5)} ${pad('parse µs/file', 13)} ${pad('floor ms', 9)} ${pad('read only', 9)} ${pad('callback rd', 11)}  ${'scan mode'.padEnd(22)} ${pad('scan ms', 8)} ${pad('÷ floor', 8)} ${pad('÷ read only', 11)} ${pad('first ÷ floor', 13)}  target ≤ ${TARGET_RATIO}× floor`);
    let productMet = true;
    for (const r of rows) {
      (Object.keys(r.scans) as Mode[]).forEach((mode, k) => {
        const s = r.scans[mode];
        const head =
          k === 0
            ? `${r.dataset.padEnd(22)} ${pad(r.files, 5)} ${pad(r.parseUs.toFixed(1), 13)} ${pad(ms(r.floorMs), 9)} ${pad(ms(r.readOnlyMs), 9)} ${pad(ms(r.callbackReadsMs), 11)}`
            : ' '.repeat(22 + 1 + 5 + 1 + 13 + 1 + 9 + 1 + 9 + 1 + 11);
        const met = s.ratio <= TARGET_RATIO;
        if (mode === PRODUCT_MODE) productMet &&= met;
        console.log(`${head}  ${mode.padEnd(22)} ${pad(ms(s.ms), 8)} ${pad(s.ratio.toFixed(2), 8)} ${pad(s.readOnlyRatio.toFixed(2), 11)} ${pad(s.firstRatio.toFixed(2), 13)}  ${met ? 'met' : 'missed'}`);
      });
    }
    console.log('parse µs/file = parseHeader alone on the same header bytes in memory; callback rd = read only with the callbacks mode\'s reader;');
    console.log('first ÷ floor = the first round alone (one sample each, code not yet optimised by V8: a cold start).');
    console.log(`The CLI and the Electron scan worker scan '${PRODUCT_MODE}': target ${productMet ? 'met' : 'MISSED'} on ${productMet ? 'both datasets' : 'at least one dataset'}.`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
