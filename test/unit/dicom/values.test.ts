import * as dicomParserNs from 'dicom-parser';
import type { DataSet, Element } from 'dicom-parser';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScanWarning } from '../../../shared/schemas/scan';
import { Reader, uidIn } from '../../../shared/dicom/values';
import { KeptElements } from '../../../shared/dicom/keptElements';
import { KEPT_KEY_LIST, SLOT } from '../../../shared/dicom/tags';

/**
 * parseHeader reads DS / IS numbers straight from the bytes when they are plainly written, and
 * reuses the string of the previous file when a text value has the same bytes. Both must give
 * exactly what reading the text gives: the oracle below is that reading (dicom-parser's string,
 * trimmed, split on backslashes, checked by the DS / IS grammar, Number()).
 */
const dicomParser: typeof dicomParserNs = (dicomParserNs as unknown as { default?: typeof dicomParserNs }).default ?? dicomParserNs;
type DataSetCtor = new (parser: unknown, bytes: Uint8Array, elements: Record<string, Element>) => DataSet;
const DataSetC = (dicomParser as unknown as { DataSet: DataSetCtor }).DataSet;

const TAG = SLOT.imagePositionPatient;
const KEY = KEPT_KEY_LIST[TAG];
const IS_RE = /^[+-]?\d+$/;
const DS_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function oracleText(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    if (b === 0) break;
    s += String.fromCharCode(b);
  }
  return s.trim();
}

function oracleNumbers(bytes: Uint8Array, integer: boolean, count: number | null): { value: number[] | null; warned: boolean } {
  const s = oracleText(bytes);
  if (s === '') return { value: null, warned: false };
  const vals = s.split('\\').map((v) => v.trim());
  if (count !== null && vals.length !== count) return { value: null, warned: true };
  const out: number[] = [];
  for (const v of vals) {
    const n = Number(v);
    if (!(integer ? IS_RE : DS_RE).test(v) || !Number.isFinite(n)) return { value: null, warned: true };
    out.push(n);
  }
  return { value: out, warned: false };
}

/** One kept element with these value bytes (after 8 bytes of padding), and the same as a dicom-parser data set. */
function reader(value: Uint8Array, slot = TAG): { r: Reader; warnings: ScanWarning[]; ds: DataSet } {
  const bytes = new Uint8Array(8 + value.length);
  bytes.set(value, 8);
  const kept = new KeptElements();
  kept.set(slot, 8, value.length, 0);
  const key = KEPT_KEY_LIST[slot];
  const ds = new DataSetC(dicomParser.littleEndianByteArrayParser, bytes, { [key]: { tag: key, length: value.length, dataOffset: 8 } as Element });
  const warnings: ScanWarning[] = [];
  return { r: new Reader(bytes, kept, true, warnings), warnings, ds };
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
/** Characters that make DS / IS values valid, invalid, or awkward (NUL, Latin-1 whitespace). */
const numberChars = fc.constantFrom(...'0123456789012345678900000.+-eE \\\t\r\n\x00\xa0AxI,'.split(''));
const numberText = fc.oneof(
  fc.array(numberChars, { maxLength: 40 }).map((cs) => cs.join('')),
  fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 6 }).map((xs) => xs.map((x) => String(x)).join('\\')),
  fc.array(fc.tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.nat(12), fc.integer({ min: -30, max: 30 })), { minLength: 1, maxLength: 6 }).map((xs) =>
    xs.map(([m, d, e]) => `${(m / 10 ** Math.min(d, 6)).toFixed(Math.min(d, 6))}${e % 3 === 0 ? `e${e}` : ''}`).join('\\'),
  ),
);

describe('numbers read from the bytes = numbers read from the text', () => {
  it('DS with a required count, single DS and IS: same values, same warnings (also -0 and exponents)', () => {
    fc.assert(
      fc.property(numberText, fc.constantFrom(null, 1, 3, 6), (text, count) => {
        const bytes = ascii(text);
        for (const integer of [false, true]) {
          const want = oracleNumbers(bytes, integer, integer ? 1 : count);
          const { r, warnings } = reader(bytes);
          const got = integer ? r.is1(TAG) : count === 1 ? r.ds1(TAG) : count === null ? r.dsN(TAG, 1) : r.dsN(TAG, count);
          const expected = want.value === null ? null : integer || count === 1 ? want.value[0] : want.value;
          if (!integer && count === null) {
            // dsN(tag, 1) is the count-1 read returning an array.
            const w1 = oracleNumbers(bytes, false, 1);
            expect(got).toStrictEqual(w1.value);
            expect(warnings.length > 0).toBe(w1.warned);
            continue;
          }
          expect(got).toStrictEqual(expected);
          expect(warnings.length > 0, `warnings for '${text}'`).toBe(want.warned);
        }
      }),
      { numRuns: 20000, seed: 0xd5 },
    );
  });

  it('plain values at the limits of exact reading', () => {
    for (const s of ['-0', '+0', '0.703125\\0.703125', '-250.000000', '123456789012345', '1234567890123456', '0.000000000000000000001', '1e22', '1e23', '9007199254740993', '1.5e-22', '.5', '5.', '1.e5', '-.5E+3']) {
      const { r } = reader(ascii(s));
      const want = oracleNumbers(ascii(s), false, null).value;
      expect(r.dsN(TAG, want?.length ?? 1), s).toStrictEqual(want);
    }
  });
});

describe('text values', () => {
  const textBytes = fc.uint8Array({ maxLength: 48 }).map((b) => b.map((x) => (x % 3 === 0 ? [0x20, 0x00, 0xa0, 0x09, 0x5c][x % 5] : x)));

  it('str and uidIn = the text up to the first NUL, trimmed as String.trim does', () => {
    fc.assert(
      fc.property(textBytes, (bytes) => {
        const { r, ds } = reader(bytes);
        const want = oracleText(bytes);
        expect(r.str(TAG)).toBe(want);
        expect(uidIn(ds, KEY)).toBe(want === '' ? null : want);
      }),
      { numRuns: 5000, seed: 7 },
    );
  });

  it('a value with the bytes of the previous one gives the same text; any other byte, its own', () => {
    const study = (s: string, slot: number = SLOT.studyInstanceUid) => reader(ascii(s), slot).r.str(slot);
    const a = study('1.2.840.113619.2.55.3 ');
    expect(a).toBe('1.2.840.113619.2.55.3');
    expect(study('1.2.840.113619.2.55.3\x00')).toBe(a);
    expect(study('1.2.840.113619.2.55.4')).toBe('1.2.840.113619.2.55.4');
    expect(study('1.2.840.113619.2.55.3')).toBe(a);
    expect(study('1.2.840.113619.2.55.3', SLOT.seriesInstanceUid)).toBe(a);
    expect(study('1.2.840.113619.2.55.3X')).toBe('1.2.840.113619.2.55.3X');
  });

  it('values of a repeated text: equal arrays, never the same array (a header may change its own)', () => {
    const imageType = (s: string) => reader(ascii(s), SLOT.imageType).r.values(SLOT.imageType);
    const a = imageType('ORIGINAL\\PRIMARY\\AXIAL ');
    a.push('CHANGED');
    const b = imageType('ORIGINAL\\PRIMARY\\AXIAL');
    expect(b).toEqual(['ORIGINAL', 'PRIMARY', 'AXIAL']);
    expect(imageType('ORIGINAL\\PRIMARY\\AXIAL')).not.toBe(b);
    expect(imageType('DERIVED\\ SECONDARY')).toEqual(['DERIVED', 'SECONDARY']);
  });

  it('a value running past the bytes is a warning naming the tag, not a value', () => {
    const bytes = new Uint8Array(12);
    const kept = new KeptElements();
    kept.set(TAG, 8, 40, 0);
    const warnings: ScanWarning[] = [];
    const r = new Reader(bytes, kept, true, warnings);
    expect(r.str(TAG)).toBe('');
    expect(r.dsN(TAG, 3)).toBeNull();
    expect(warnings.map((w) => w.message)).toEqual(['(0020,0032): unreadable text; value ignored', '(0020,0032): unreadable text; value ignored']);
  });
});
