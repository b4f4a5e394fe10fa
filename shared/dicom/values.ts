/**
 * Reading values of the elements a header keeps: strict, so a malformed number never becomes a
 * silent wrong number (an INVALID_VALUE warning names the tag instead).
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
 * dataSet.string(tag) of dicom-parser, without its character-by-character concatenation: the
 * bytes up to the first NUL as Latin-1 characters, trimmed; throws when the value runs past
 * the bytes, as it does.
 */
function text(ds: DataSet, el: Element): string {
  const bytes = ds.byteArray;
  const start = el.dataOffset;
  const stop = start + el.length;
  if (stop > bytes.length) throw new Error('text value runs past the end of the bytes');
  let end = start;
  while (end < stop && bytes[end] !== 0) end++;
  let out = '';
  for (let at = start; at < end; at += TEXT_CHUNK) {
    out += String.fromCharCode.apply(null, bytes.subarray(at, Math.min(end, at + TEXT_CHUNK)) as unknown as number[]);
  }
  return out.trim();
}

export class Reader {
  constructor(
    private ds: DataSet,
    readonly warnings: ScanWarning[],
  ) {}

  str(tag: string): string {
    const el = this.ds.elements[tag];
    if (!el || el.length === 0 || el.items) return '';
    try {
      const v = text(this.ds, el);
      return v.includes('\0') ? v.replace(/\0/g, '').trim() : v;
    } catch {
      this.invalid(tag, 'unreadable text');
      return '';
    }
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

  us(tag: string): number | null {
    const el = this.ds.elements[tag];
    if (!el || el.length === 0) return null;
    if (el.length !== 2 && el.length !== 4) {
      this.invalid(tag, `length ${el.length} for an unsigned short`);
      return null;
    }
    try {
      return this.ds.uint16(tag) ?? null;
    } catch {
      this.invalid(tag, 'unreadable');
      return null;
    }
  }
}

/** Walks nested sequences; tolerant of missing items. */
export function items(ds: DataSet, tag: string): DataSet[] {
  const el = ds.elements[tag];
  if (!el?.items) return [];
  return el.items.flatMap((it) => (it.dataSet ? [it.dataSet] : []));
}

export function uidIn(ds: DataSet, tag: string): string | null {
  const el = ds.elements[tag];
  if (!el || el.length === 0 || el.items) return null;
  try {
    const s = text(ds, el).replace(/\0/g, '').trim();
    return s === '' ? null : s;
  } catch {
    return null;
  }
}
