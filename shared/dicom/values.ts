/**
 * Reading values of the elements a header keeps: strict, so a malformed number never becomes a
 * silent wrong number (an INVALID_VALUE warning names the tag instead).
 */
import type { DataSet, Element } from 'dicom-parser';
import type { ScanWarning } from '../schemas/scan';
import { HEADER_WARNING } from './headerCodes';
import type { KeptElements } from './keptElements';
import { KEPT_COUNT, KEPT_KEY_LIST, SLOT } from './tags';

const KEYS: readonly string[] = KEPT_KEY_LIST;

export function tagName(tag: string): string {
  return `(${tag.slice(1, 5).toUpperCase()},${tag.slice(5, 9).toUpperCase()})`;
}

const IS_RE = /^[+-]?\d+$/;
const DS_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Longest run of bytes handed to String.fromCharCode at once (argument count limit). */
const TEXT_CHUNK = 8192;

/** Latin-1 bytes String.prototype.trim removes: TAB, LF, VT, FF, CR, space, no-break space. */
const isSpace = (b: number) => b === 0x20 || (b >= 0x09 && b <= 0x0d) || b === 0xa0;

/** Start and end of a value's text (set by textRange; module scratch, so no allocation per value). */
let textStart = 0;
let textEnd = 0;
/** No byte of the value's text is above 0x7F (set by textRange). */
let textAscii = false;

/**
 * Where the text of the value at [start, start + length) lies: its bytes up to the first NUL,
 * without the whitespace trim() would remove (dicom-parser's dataSet.string, trimmed); false
 * when the value runs past the bytes.
 */
function textRange(bytes: Uint8Array, start: number, length: number): boolean {
  const stop = start + length;
  if (stop > bytes.length) return false;
  let end = start;
  let bits = 0;
  while (end < stop && bytes[end] !== 0) bits |= bytes[end++];
  let s = start;
  while (s < end && isSpace(bytes[s])) s++;
  while (end > s && isSpace(bytes[end - 1])) end--;
  textStart = s;
  textEnd = end;
  textAscii = bits < 0x80;
  return true;
}

/** ASCII is UTF-8, and the platform's UTF-8 decoder is ~3× faster than fromCharCode on a UID. */
const utf8 = new TextDecoder('utf-8');
/** Below this length fromCharCode is as fast as the decoder. */
const DECODER_MIN_BYTES = 16;

/** The bytes [start, end) as Latin-1 text (dicom-parser's reading of a string value). */
function latin1(bytes: Uint8Array, start: number, end: number, ascii = false): string {
  if (ascii && end - start >= DECODER_MIN_BYTES) return utf8.decode(bytes.subarray(start, end));
  let out = '';
  for (let at = start; at < end; at += TEXT_CHUNK) {
    out += String.fromCharCode.apply(null, bytes.subarray(at, Math.min(end, at + TEXT_CHUNK)) as unknown as number[]);
  }
  return out;
}

/**
 * The last text read for each kept element, with its bytes. A series repeats most of its header
 * in every file (UIDs, names, descriptions, kernel): one string then serves them all, built once.
 */
const lastBytes: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(KEPT_COUNT).fill(undefined);
const lastText: string[] = new Array<string>(KEPT_COUNT).fill('');
/** The values of the last text split by Reader.values, per slot. */
const lastValuesText: (string | undefined)[] = new Array<string | undefined>(KEPT_COUNT).fill(undefined);
const lastValues: string[][] = new Array<string[]>(KEPT_COUNT).fill([]);
const UNIQUE_SLOT = SLOT.sopInstanceUid;
/** Longer values are not kept (a few private or free-text elements). */
const CACHED_TEXT_MAX_BYTES = 256;

function cachedLatin1(slot: number, bytes: Uint8Array, start: number, end: number): string {
  const n = end - start;
  const last = lastBytes[slot];
  if (last !== undefined && last.length === n) {
    let i = 0;
    while (i < n && last[i] === bytes[start + i]) i++;
    if (i === n) return lastText[slot];
  }
  const text = latin1(bytes, start, end, textAscii);
  if (n <= CACHED_TEXT_MAX_BYTES) {
    lastBytes[slot] = bytes.slice(start, end);
    lastText[slot] = text;
  }
  return text;
}

const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
/** Digits and powers of ten within which one multiplication or division is exact to the last bit. */
const EXACT_DIGITS = 15;
const EXACT_POW10 = 22;
const NOT_FAST = Number.NaN;

/**
 * One DS (or, `integer`, IS) value of bytes [a, b), as Number() of its text would give, when it
 * is plainly written: at most 15 significant digits and a power of ten within 10^±22, where
 * digits ÷ or × a power of ten is correctly rounded like Number() (Clinger's fast path). NaN for
 * anything else, invalid values included: the caller then reads the text, with its warnings.
 */
function plainNumber(bytes: Uint8Array, a: number, b: number, integer: boolean): number {
  let i = a;
  let negative = false;
  if (i < b && (bytes[i] === 0x2b || bytes[i] === 0x2d)) {
    negative = bytes[i] === 0x2d;
    i++;
  }
  let digits = 0;
  let significant = 0;
  let scale = 0;
  let m = 0;
  for (; i < b; i++) {
    const d = bytes[i] - 0x30;
    if (d < 0 || d > 9) break;
    if (significant > 0 || d !== 0) significant++;
    m = m * 10 + d;
    digits++;
  }
  if (!integer && i < b && bytes[i] === 0x2e) {
    for (i++; i < b; i++) {
      const d = bytes[i] - 0x30;
      if (d < 0 || d > 9) break;
      if (significant > 0 || d !== 0) significant++;
      m = m * 10 + d;
      digits++;
      scale++;
    }
  }
  if (digits === 0 || significant > EXACT_DIGITS) return NOT_FAST;
  let exponent = 0;
  if (!integer && i < b && (bytes[i] === 0x65 || bytes[i] === 0x45)) {
    i++;
    let negativeExponent = false;
    if (i < b && (bytes[i] === 0x2b || bytes[i] === 0x2d)) {
      negativeExponent = bytes[i] === 0x2d;
      i++;
    }
    const first = i;
    for (; i < b && exponent <= EXACT_POW10 * 2; i++) {
      const d = bytes[i] - 0x30;
      if (d < 0 || d > 9) break;
      exponent = exponent * 10 + d;
    }
    if (i === first) return NOT_FAST;
    if (negativeExponent) exponent = -exponent;
  }
  if (i !== b) return NOT_FAST;
  const k = exponent - scale;
  if (k < -EXACT_POW10 || k > EXACT_POW10) return NOT_FAST;
  const v = k >= 0 ? m * POW10[k] : m / POW10[-k];
  return negative ? -v : v;
}

/**
 * All values of a DS / IS element read from its bytes, when every one is plainly written and
 * there are `count` of them (null: no value); undefined otherwise (the caller reads the text).
 */
function plainNumbers(bytes: Uint8Array, start: number, length: number, integer: boolean, count: number | null): number[] | null | undefined {
  if (!textRange(bytes, start, length)) return undefined;
  const end = textEnd;
  if (textStart === end) return null;
  const out: number[] = [];
  for (let p = textStart; ; ) {
    let q = p;
    while (q < end && bytes[q] !== 0x5c) q++;
    let a = p;
    let b = q;
    while (a < b && isSpace(bytes[a])) a++;
    while (b > a && isSpace(bytes[b - 1])) b--;
    const v = plainNumber(bytes, a, b, integer);
    if (Number.isNaN(v)) return undefined;
    out.push(v);
    if (q >= end) break;
    p = q + 1;
  }
  return count !== null && out.length !== count ? undefined : out;
}

/**
 * Values of the kept elements of one header, by slot (tags.ts SLOT). Every invalid value is a
 * warning naming its tag, and reads as absent.
 */
export class Reader {
  constructor(
    private bytes: Uint8Array,
    private kept: KeptElements,
    private littleEndian: boolean,
    readonly warnings: ScanWarning[],
  ) {}

  /** Present, not empty, not a sequence. */
  private hasValue(slot: number): boolean {
    return this.kept.has(slot) && this.kept.length[slot] !== 0 && !this.kept.isSequence(slot);
  }

  str(slot: number): string {
    if (!this.hasValue(slot)) return '';
    const bytes = this.bytes;
    if (!textRange(bytes, this.kept.offset[slot], this.kept.length[slot])) {
      this.invalid(slot, 'unreadable text');
      return '';
    }
    // Every file has its own SOP Instance UID: nothing to reuse.
    return slot === UNIQUE_SLOT ? latin1(bytes, textStart, textEnd, textAscii) : cachedLatin1(slot, bytes, textStart, textEnd);
  }

  strOrNull(slot: number): string | null {
    const s = this.str(slot);
    return s === '' ? null : s;
  }

  /** All backslash-separated values of a string element. */
  values(slot: number): string[] {
    const s = this.str(slot);
    if (s === '') return [];
    // The same text as the previous file's (cachedLatin1 returned the same string): a copy of its values.
    if (lastValuesText[slot] === s) return lastValues[slot].slice();
    const values = s.split('\\').map((v) => v.trim());
    lastValuesText[slot] = s;
    lastValues[slot] = values.slice();
    return values;
  }

  private invalid(slot: number, what: string): void {
    this.warnings.push({ code: HEADER_WARNING.INVALID_VALUE, message: `${tagName(KEYS[slot])}: ${what}; value ignored` });
  }

  private numbers(slot: number, re: RegExp, kind: string, count: number | null): number[] | null {
    if (!this.hasValue(slot)) return null;
    const plain = plainNumbers(this.bytes, this.kept.offset[slot], this.kept.length[slot], re === IS_RE, count);
    if (plain !== undefined) return plain;
    const vals = this.values(slot);
    if (vals.length === 0) return null;
    if (count !== null && vals.length !== count) {
      this.invalid(slot, `${vals.length} values where ${count} are required`);
      return null;
    }
    const out: number[] = [];
    for (const v of vals) {
      if (!re.test(v)) {
        this.invalid(slot, `'${v.slice(0, 20)}' is not a valid ${kind}`);
        return null;
      }
      const n = Number(v);
      if (!Number.isFinite(n)) {
        this.invalid(slot, `'${v.slice(0, 20)}' is not finite`);
        return null;
      }
      out.push(n);
    }
    return out;
  }

  ds1(slot: number): number | null {
    return this.numbers(slot, DS_RE, 'decimal string (DS)', 1)?.[0] ?? null;
  }
  dsN(slot: number, n: number): number[] | null {
    return this.numbers(slot, DS_RE, 'decimal string (DS)', n);
  }
  is1(slot: number): number | null {
    // One plainly written integer (an instance or series number): read without building a list.
    if (this.hasValue(slot) && textRange(this.bytes, this.kept.offset[slot], this.kept.length[slot])) {
      const v = plainNumber(this.bytes, textStart, textEnd, true);
      if (!Number.isNaN(v)) return v;
    }
    return this.numbers(slot, IS_RE, 'integer string (IS)', 1)?.[0] ?? null;
  }

  /** US (as dicom-parser's uint16: the first value, in the data set's byte order). */
  us(slot: number): number | null {
    if (!this.kept.has(slot)) return null;
    const length = this.kept.length[slot];
    if (length === 0) return null;
    if (length !== 2 && length !== 4) {
      this.invalid(slot, `length ${length} for an unsigned short`);
      return null;
    }
    const at = this.kept.offset[slot];
    if (at + 2 > this.bytes.length) {
      this.invalid(slot, 'unreadable');
      return null;
    }
    return this.littleEndian ? this.bytes[at] | (this.bytes[at + 1] << 8) : (this.bytes[at] << 8) | this.bytes[at + 1];
  }
}

/** The data sets of a sequence element's items; tolerant of missing items. */
export function itemDataSets(el: Element | undefined): DataSet[] {
  return el?.items ? el.items.flatMap((it) => (it.dataSet ? [it.dataSet] : [])) : [];
}

/** Walks nested sequences. */
export function items(ds: DataSet, tag: string): DataSet[] {
  return itemDataSets(ds.elements[tag]);
}

export function uidIn(ds: DataSet, tag: string): string | null {
  const el = ds.elements[tag];
  if (!el || el.length === 0 || el.items || !textRange(ds.byteArray, el.dataOffset, el.length)) return null;
  return textStart === textEnd ? null : latin1(ds.byteArray, textStart, textEnd, textAscii);
}
