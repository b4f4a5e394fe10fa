import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as dicomParserNs from 'dicom-parser';
import { describe, expect, it, vi } from 'vitest';
import { seededRandom } from '../../fixtures/synthetic-ct';
import { parseHeader } from '../../../shared/dicom/index';
import { forgetRepeatedHeaders, headerReadBuffer, repeatHeader } from '../../../shared/dicom/repeatHeader';
import type { HeaderResult } from '../../../shared/schemas/scan';
import { DATA_DIR, TCIA_DIR } from '../../data';
import { axialSeries } from './dicomBytes';

/**
 * parseHeader reads a file whose header repeats a remembered one's layout by re-reading only the
 * values that differ (repeatHeader). Whatever came before, its result must be the one a fresh,
 * full parse gives: on the real series in order and shuffled, and on seeded damage to the bytes
 * of the next file — values, lengths, sequence heads, transfer syntax, group length, file size.
 */
const PREFIX = 16 * 1024;
const dicomParser: typeof dicomParserNs = (dicomParserNs as unknown as { default?: typeof dicomParserNs }).default ?? dicomParserNs;

function walk(p: string): string[] {
  return statSync(p).isDirectory() ? readdirSync(p).sort().flatMap((n) => walk(join(p, n))) : [p];
}

/** A file's first bytes, 4-byte aligned like the scan's read buffers, and its size. */
function head(file: string): { file: string; bytes: Uint8Array; size: number } {
  const all = readFileSync(file);
  const bytes = new Uint8Array(Math.min(all.length, PREFIX));
  bytes.set(all.subarray(0, bytes.length));
  return { file, bytes, size: all.length };
}

function fresh(bytes: Uint8Array, file: string, size: number | undefined): HeaderResult {
  forgetRepeatedHeaders();
  const r = parseHeader(bytes, { fileId: file, file, totalBytes: size });
  forgetRepeatedHeaders();
  return r;
}

/** Where the top-level values of a header start (before Pixel Data). */
const starts = new Map<Uint8Array, number[]>();
function valueStarts(bytes: Uint8Array): number[] {
  let found = starts.get(bytes);
  if (!found) {
    const ds = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' });
    found = Object.values(ds.elements)
      .map((e) => e.dataOffset)
      .filter((at) => at > 132 && at + 4 < ds.elements.x7fe00010.dataOffset);
    starts.set(bytes, found);
  }
  return found;
}

const withMemory = (bytes: Uint8Array, file: string, size: number | undefined) => parseHeader(bytes, { fileId: file, file, totalBytes: size });

describe('a repeated header reads as a fresh parse', () => {
  const tcia = walk(TCIA_DIR).map(head);

  it('TCIA in file order: most files are repeats, every result equals a fresh parse', () => {
    forgetRepeatedHeaders();
    let repeats = 0;
    for (const f of tcia) {
      const want = fresh(f.bytes, f.file, f.size);
      // Memory of the files before this one (fresh() forgot it: read them again in order).
      forgetRepeatedHeaders();
      for (const g of tcia.slice(Math.max(0, tcia.indexOf(f) - 8), tcia.indexOf(f))) withMemory(g.bytes, g.file, g.size);
      if (repeatHeader(f.bytes, f.file, f.file, f.size)) repeats++;
      expect(withMemory(f.bytes, f.file, f.size), f.file).toEqual(want);
    }
    expect(repeats / tcia.length).toBeGreaterThan(0.8);
  });

  it('TCIA read into the scan\'s buffer (compared where it lies, no copy): every result equals a fresh parse', () => {
    const buffer = headerReadBuffer(PREFIX);
    // A view of the compare memory, not an array of its own.
    expect(buffer.buffer.byteLength).toBeGreaterThan(PREFIX);
    forgetRepeatedHeaders();
    let repeats = 0;
    for (const f of tcia) {
      buffer.fill(0).set(f.bytes);
      const repeated = repeatHeader(buffer, f.file, f.file, f.size);
      if (repeated) repeats++;
      const got = repeated ?? parseHeader(buffer, { fileId: f.file, file: f.file, totalBytes: f.size });
      expect(got, f.file).toEqual(fresh(f.bytes, f.file, f.size));
      // fresh() forgot the layouts: remember this file's again, as the scan would have.
      for (const g of tcia.slice(Math.max(0, tcia.indexOf(f) - 7), tcia.indexOf(f) + 1)) withMemory(g.bytes, g.file, g.size);
    }
    expect(repeats / tcia.length).toBeGreaterThan(0.8);
  });

  it('without WebAssembly (a host that forbids it) every header is read in full, with the same result', async () => {
    vi.resetModules();
    vi.stubGlobal('WebAssembly', undefined);
    try {
      const bare = await import('../../../shared/dicom/repeatHeader');
      const { parseHeader: bareParse } = await import('../../../shared/dicom/index');
      const buffer = bare.headerReadBuffer(PREFIX);
      for (const f of tcia) {
        buffer.set(f.bytes);
        expect(bare.repeatHeader(buffer, f.file, f.file, f.size)).toBeNull();
        expect(bareParse(buffer, { fileId: f.file, file: f.file, totalBytes: f.size }), f.file).toEqual(fresh(f.bytes, f.file, f.size));
      }
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });

  it('all the real data in order and shuffled', () => {
    const files = walk(DATA_DIR).filter((f) => statSync(f).size < 50e6).map(head);
    const want = new Map(files.map((f) => [f.file, fresh(f.bytes, f.file, f.size)]));
    const rnd = seededRandom(0x4e9);
    const shuffled = [...files].sort(() => rnd() - 0.5);
    for (const order of [files, shuffled]) {
      forgetRepeatedHeaders();
      for (const f of order) expect(withMemory(f.bytes, f.file, f.size), f.file).toEqual(want.get(f.file));
    }
  });

  it('seeded damage to the next file of a series (implicit and explicit VR) is never read as a repeat of the last', () => {
    const explicit = axialSeries([0, 1.25, 2.5, 3.75], { rows: 64, columns: 64 }).map((b, i) => ({ file: `syn${i}`, bytes: b.slice(), size: b.length }));
    const series = [tcia.slice(20, 24), explicit];
    const rnd = seededRandom(0xdec0de);
    const int = (n: number) => Math.floor(rnd() * n);
    let compared = 0;
    for (let k = 0; k < 4000; k++) {
      const [a, b] = series[k % 2].slice(int(3)).slice(0, 2);
      const end = Math.min(b.bytes.length, 3000);
      const bytes = b.bytes.slice();
      let size: number | undefined = b.size;
      const what = int(6);
      if (what === 0) for (let j = 0, n = 1 + int(4); j < n; j++) bytes[132 + int(end - 132)] = int(256);
      else if (what === 1) bytes.set([0xfe, 0xff, rnd() < 0.5 ? 0x00 : 0xdd, 0xe0], valueStarts(b.bytes)[int(valueStarts(b.bytes).length)]); // a value that now starts like a sequence item
      else if (what === 2) bytes[138 + int(12)] ^= 1 << int(8); // group length, transfer syntax area
      else if (what === 3) size = int(b.size); // a shorter file: pixels missing
      else if (what === 4) size = undefined; // whole file given: the bytes are the file
      else for (let j = 0, n = 1 + int(3); j < n; j++) bytes[132 + int(end - 132)] = 0x30 + int(10); // digits: plain values
      forgetRepeatedHeaders();
      withMemory(a.bytes, a.file, a.size);
      const got = withMemory(bytes, b.file, size);
      expect(got, `case ${k} (${what})`).toEqual(fresh(bytes, b.file, size));
      compared++;
    }
    expect(compared).toBe(4000);
  });

  it('a result is the caller\'s: changing it changes no later result', () => {
    forgetRepeatedHeaders();
    const [a, b] = tcia.slice(30, 32);
    const first = withMemory(a.bytes, a.file, a.size);
    if (first.kind !== 'instance') throw new Error('expected an instance');
    first.header.imageType.push('CHANGED');
    first.header.imagePositionPatient![2] = 1e9;
    first.header.warnings.push({ code: 'X', message: 'x' });
    expect(withMemory(b.bytes, b.file, b.size)).toEqual(fresh(b.bytes, b.file, b.size));
  });
});
