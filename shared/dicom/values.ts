/**
 * Reading values of a header's elements: strict, so a malformed number never becomes a silent
 * wrong number (an INVALID_VALUE warning names the tag instead).
 */
import type { DataSet, Element } from 'dicom-parser';
import type { ScanWarning } from '../schemas/scan';
import { HEADER_WARNING } from './headerCodes';

export function tagName(tag: string): string {
  return `(${tag.slice(1, 5).toUpperCase()},${tag.slice(5, 9).toUpperCase()})`;
}

const IS_RE = /^[+-]?\d+$/;
const DS_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Longest run of bytes handed to String.fromCharCode at once (argument count limit). */
const TEXT_CHUNK = 8192;

/**
 * The text of the value at [start, start + length): its bytes as Latin-1 up to the first NUL,
 * trimmed (dicom-parser's dataSet.string); null when the value runs past the bytes.
 */
function text(bytes: Uint8Array, start: number, length: number): string | null {
  const stop = start + length;
  if (stop > bytes.length) return null;
  let end = start;
  while (end < stop && bytes[end] !== 0) end++;
  let out = '';
  for (let at = start; at < end; at += TEXT_CHUNK) {
    out += String.fromCharCode.apply(null, bytes.subarray(at, Math.min(end, at + TEXT_CHUNK)) as unknown as number[]);
  }
  return out.trim();
}

/**
 * Values of the top-level elements of one header, by tag (tags.ts TAG). Every invalid value is
 * a warning naming its tag, and reads as absent.
 */
export class Reader {
  constructor(
    private bytes: Uint8Array,
    private elements: Record<string, Element>,
    private littleEndian: boolean,
    readonly warnings: ScanWarning[],
  ) {}

  /** Present, not empty, not a sequence. */
  private valueOf(tag: string): Element | null {
    const el = this.elements[tag];
    return el && el.length !== 0 && el.items === undefined ? el : null;
  }

  str(tag: string): string {
    const el = this.valueOf(tag);
    if (!el) return '';
    const s = text(this.bytes, el.dataOffset, el.length);
    if (s === null) {
      this.invalid(tag, 'unreadable text');
      return '';
    }
    return s;
  }

  strOrNull(tag: string): string | null {
    const s = this.str(tag);
    return s === '' ? null : s;
  }

  /** All backslash-separated values of a string element. */
  values(tag: string): string[] {
    const s = this.str(tag);
    return s === '' ? [] : s.split('\\').map((v) => v.trim());
  }

  private invalid(tag: string, what: string): void {
    this.warnings.push({ code: HEADER_WARNING.INVALID_VALUE, message: `${tagName(tag)}: ${what}; value ignored` });
  }

  private numbers(tag: string, re: RegExp, kind: string, count: number | null): number[] | null {
    const vals = this.values(tag);
    if (vals.length === 0) return null;
    if (count !== null && vals.length !== count) {
      this.invalid(tag, `${vals.length} values where ${count} are required`);
      return null;
    }
    const out: number[] = [];
    for (const v of vals) {
      if (!re.test(v)) {
        this.invalid(tag, `'${v.slice(0, 20)}' is not a valid ${kind}`);
        return null;
      }
      const n = Number(v);
      if (!Number.isFinite(n)) {
        this.invalid(tag, `'${v.slice(0, 20)}' is not finite`);
        return null;
      }
      out.push(n);
    }
    return out;
  }

  ds1(tag: string): number | null {
    return this.numbers(tag, DS_RE, 'decimal string (DS)', 1)?.[0] ?? null;
  }
  dsN(tag: string, n: number): number[] | null {
    return this.numbers(tag, DS_RE, 'decimal string (DS)', n);
  }
  is1(tag: string): number | null {
    return this.numbers(tag, IS_RE, 'integer string (IS)', 1)?.[0] ?? null;
  }

  /** US (as dicom-parser's uint16: the first value, in the data set's byte order). */
  us(tag: string): number | null {
    const el = this.elements[tag];
    if (!el || el.length === 0) return null;
    if (el.length !== 2 && el.length !== 4) {
      this.invalid(tag, `length ${el.length} for an unsigned short`);
      return null;
    }
    const at = el.dataOffset;
    if (at + 2 > this.bytes.length) {
      this.invalid(tag, 'unreadable');
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
  if (!el || el.length === 0 || el.items) return null;
  return text(ds.byteArray, el.dataOffset, el.length) || null;
}
