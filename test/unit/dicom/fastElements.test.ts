import { readdirSync, readFileSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import * as dicomParserNs from 'dicom-parser';
import type { ByteStream, DataSet, Element } from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { seededRandom as mulberry32 } from '../../fixtures/synthetic-ct';
import { keptSlot, parseExplicitLittleEndian, parseImplicitLittleEndian, readFileMeta, type LoopState } from '../../../shared/dicom/elementLoops';
import { KeptElements } from '../../../shared/dicom/keptElements';
import { KEPT_KEY_LIST, META_TAG, SEQUENCES_READ } from '../../../shared/dicom/tags';

const KEPT_KEYS: ReadonlySet<string> = new Set(KEPT_KEY_LIST);

/**
 * parseHeader reads top-level elements with its own loops (fast path) and hands anything unusual
 * to dicom-parser. Here both read the same bytes — real files, prefixes, truncations and seeded
 * mutations — and must agree on every element parseHeader keeps (tag, length, offset, the
 * items of the sequences it reads), on the highest tag read, on the position where they stop,
 * and on whether and how they fail. The loops record no other element.
 */
const dicomParser: typeof dicomParserNs = (dicomParserNs as unknown as { default?: typeof dicomParserNs }).default ?? dicomParserNs;
type DataSetCtor = new (parser: unknown, bytes: Uint8Array, elements: Record<string, Element>) => DataSet;
type ByteStreamCtor = new (parser: unknown, bytes: Uint8Array, position: number) => ByteStream;
const DataSetC = (dicomParser as unknown as { DataSet: DataSetCtor }).DataSet;
const ByteStreamC = dicomParser.ByteStream as unknown as ByteStreamCtor;
const DATA = join(__dirname, '..', '..', '..', '..', 'shared', 'data');
const PIXEL_DATA = 'x7fe00010';
const IMPLICIT = '1.2.840.10008.1.2';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';

function walk(p: string): string[] {
  return statSync(p).isDirectory() ? readdirSync(p).flatMap((n) => walk(join(p, n))) : [p];
}

function head(file: string, n: number): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const buf = new Uint8Array(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

type Outcome = { error: string | null; position: number; lastTag: number; elements: Record<string, unknown> };

function run(bytes: Uint8Array, start: number, implicit: boolean, fast: boolean): Outcome {
  const parser = dicomParser.littleEndianByteArrayParser;
  const elements: Record<string, Element> = {};
  const ds = new DataSetC(parser, bytes, elements);
  (ds as { warnings: string[] }).warnings = [];
  const stream = new ByteStreamC(parser, bytes, start);
  const kept = new KeptElements();
  let error: string | null = null;
  const loop: LoopState = { lastTag: -1 };
  try {
    if (fast && implicit) parseImplicitLittleEndian(stream, bytes, kept, loop);
    else if (fast) parseExplicitLittleEndian(stream, bytes, kept, loop, []);
    else if (implicit) dicomParser.parseDicomDataSetImplicit(ds, stream, bytes.length, { untilTag: PIXEL_DATA });
    else dicomParser.parseDicomDataSetExplicit(ds, stream, bytes.length, { untilTag: PIXEL_DATA });
  } catch (e) {
    error = String((e as { message?: string }).message ?? e);
  }
  const itemsOf = (tag: string, items: Element['items'], sequence: boolean) =>
    SEQUENCES_READ.has(tag) ? items?.map((i) => ({ length: i.length, dataOffset: i.dataOffset, tags: Object.keys(i.dataSet?.elements ?? {}) })) : sequence;
  const flat: Record<string, unknown> = {};
  if (fast) {
    for (const [tag, el] of Object.entries(kept.toRecord())) {
      flat[tag] = { length: el.length, dataOffset: el.dataOffset, hadUndefinedLength: el.hadUndefinedLength, items: itemsOf(tag, el.element?.items, el.sequence) };
    }
  } else {
    for (const [tag, el] of Object.entries(elements)) {
      loop.lastTag = Math.max(loop.lastTag, parseInt(tag.slice(1), 16));
      if (!KEPT_KEYS.has(tag)) continue;
      flat[tag] = { length: el.length, dataOffset: el.dataOffset, hadUndefinedLength: el.hadUndefinedLength ?? false, items: itemsOf(tag, el.items, el.items !== undefined) };
    }
  }
  return { error, position: stream.position, lastTag: loop.lastTag, elements: flat };
}

describe('fast element loops agree with dicom-parser', () => {
  const cases: { name: string; bytes: Uint8Array; start: number; implicit: boolean }[] = [];
  for (const file of walk(DATA)) {
    const bytes = head(file, 64 * 1024);
    if (bytes.length < 132 || String.fromCharCode(...bytes.subarray(128, 132)) !== 'DICM') continue;
    let meta;
    try {
      meta = dicomParser.readPart10Header(bytes) as DataSet & { position: number };
    } catch {
      continue;
    }
    const ts = (meta.string('x00020010') ?? '').replace(/\0/g, '').trim();
    if (ts !== IMPLICIT && ts !== EXPLICIT_LE) continue;
    cases.push({ name: file.slice(DATA.length + 1), bytes, start: meta.position, implicit: ts === IMPLICIT });
  }

  it('covers both encodings and files with sequences', () => {
    expect(cases.filter((c) => c.implicit).length).toBeGreaterThan(100);
    expect(cases.filter((c) => !c.implicit).length).toBeGreaterThan(5);
    const hasSequence = (c: (typeof cases)[number]) => {
      const parser = dicomParser.littleEndianByteArrayParser;
      const ds = new DataSetC(parser, c.bytes, {});
      (ds as { warnings: string[] }).warnings = [];
      const stream = new ByteStreamC(parser, c.bytes, c.start);
      try {
        if (c.implicit) dicomParser.parseDicomDataSetImplicit(ds, stream, c.bytes.length, { untilTag: PIXEL_DATA });
        else dicomParser.parseDicomDataSetExplicit(ds, stream, c.bytes.length, { untilTag: PIXEL_DATA });
      } catch {
        /* counted on what was read */
      }
      return Object.values(ds.elements).some((e) => e.items);
    };
    expect(cases.filter(hasSequence).length).toBeGreaterThan(20);
    // ... and files whose kept sequences (RT references) the loops hand to dicom-parser.
    expect(cases.filter((c) => Object.keys(run(c.bytes, c.start, c.implicit, true).elements).some((k) => SEQUENCES_READ.has(k))).length).toBeGreaterThan(3);
  });

  it('real files, their prefixes and truncations', () => {
    const seen = new Set<string>();
    for (const c of cases) {
      // One file per folder and size: the 134 TCIA slices share one layout.
      const key = `${c.name.split('/').slice(0, -1).join('/')}:${c.bytes.length}`;
      if (seen.has(key)) continue;
      seen.add(key);
      for (const n of [c.bytes.length, 16384, 4096, 1024, c.start + 40, Math.floor(c.bytes.length / 3)]) {
        if (n > c.bytes.length || n <= c.start) continue;
        const b = c.bytes.subarray(0, n);
        expect(run(b, c.start, c.implicit, true), `${c.name} first ${n} bytes`).toEqual(run(b, c.start, c.implicit, false));
      }
    }
  });

  it('seeded mutations of real headers', () => {
    const rnd = mulberry32(0xfa57);
    const seen = new Set<string>();
    const distinct = cases.filter((c) => {
      const key = `${c.name.split('/').slice(0, -1).join('/')}:${c.bytes.length}`;
      return !seen.has(key) && seen.add(key);
    });
    for (let k = 0; k < 4000; k++) {
      const c = distinct[Math.floor(rnd() * distinct.length)];
      const b = c.bytes.slice(0, Math.min(c.bytes.length, 8192));
      const span = b.length - c.start;
      for (let j = 0, n = 1 + Math.floor(rnd() * 3); j < n; j++) b[c.start + Math.floor(rnd() * span)] = Math.floor(rnd() * 256);
      expect(run(b, c.start, c.implicit, true), `${c.name} mutation ${k}`).toEqual(run(b, c.start, c.implicit, false));
    }
  });
});

describe('file meta read without dicom-parser agrees with readPart10Header', () => {
  const files = walk(DATA)
    .map((file) => ({ name: file.slice(DATA.length + 1), bytes: head(file, 4096) }))
    .filter((f) => f.bytes.length >= 132 && String.fromCharCode(...f.bytes.subarray(128, 132)) === 'DICM');
  const flat = (elements: Record<string, Element>) =>
    Object.fromEntries(Object.values(META_TAG).flatMap((k) => (elements[k] ? [[k, { length: elements[k].length, dataOffset: elements[k].dataOffset }]] : [])));
  /** readFileMeta's answer, when it gives one, is readPart10Header's (kept elements, data set start). */
  const check = (bytes: Uint8Array, what: string): boolean => {
    const plain = readFileMeta(bytes);
    if (!plain) return false;
    const meta = dicomParser.readPart10Header(bytes) as DataSet & { position: number };
    expect({ position: plain.position, elements: flat(plain.elements) }, what).toEqual({ position: meta.position, elements: flat(meta.elements) });
    return true;
  };

  it('on every Part 10 file of the data, its prefixes and seeded mutations', () => {
    expect(files.length).toBeGreaterThan(150);
    let read = 0;
    for (const f of files) if (check(f.bytes, f.name)) read++;
    expect(read / files.length).toBeGreaterThan(0.9);
    const rnd = mulberry32(0x3e7a);
    for (let k = 0; k < 3000; k++) {
      const f = files[Math.floor(rnd() * files.length)];
      const b = f.bytes.slice(0, 132 + Math.floor(rnd() * 400));
      for (let j = 0, n = 1 + Math.floor(rnd() * 3); j < n; j++) b[132 + Math.floor(rnd() * (b.length - 132))] = Math.floor(rnd() * 256);
      check(b, `${f.name} mutation ${k}`);
    }
  });
});

describe('keptSlot', () => {
  it('finds every kept element and no other, in every group that holds one', () => {
    const groups = new Set([...KEPT_KEYS].map((k) => parseInt(k.slice(1, 5), 16)));
    const found: string[] = [];
    for (const group of [...groups, 0x0002, 0x0009, 0x7fdf, 0xfffe]) {
      for (let element = 0; element < 0x10000; element++) {
        const slot = keptSlot(group, element);
        const key = slot >= 0 ? KEPT_KEY_LIST[slot] : undefined;
        if (key !== undefined) found.push(`${key}=${group.toString(16)},${element.toString(16)}`);
      }
    }
    const expected = [...KEPT_KEYS].map((k) => `${k}=${parseInt(k.slice(1, 5), 16).toString(16)},${parseInt(k.slice(5), 16).toString(16)}`);
    expect(found.sort()).toEqual(expected.sort());
  });
});
