import * as dicomParserNs from 'dicom-parser';
import type { DataSet, Element } from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import type { ScanWarning } from '../../../shared/schemas/scan';
import { Reader, uidIn } from '../../../shared/dicom/values';
import { TAG } from '../../../shared/dicom/tags';

/**
 * Values are read strictly: a malformed number is a warning naming its tag and reads as absent,
 * never a wrong number; text is dicom-parser's string (up to the first NUL), trimmed.
 */
const dicomParser: typeof dicomParserNs = (dicomParserNs as unknown as { default?: typeof dicomParserNs }).default ?? dicomParserNs;
type DataSetCtor = new (parser: unknown, bytes: Uint8Array, elements: Record<string, Element>) => DataSet;
const DataSetC = (dicomParser as unknown as { DataSet: DataSetCtor }).DataSet;

const KEY = TAG.imagePositionPatient;
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** One element with these value bytes (after 8 bytes of padding), as a Reader and a data set. */
function reader(value: Uint8Array, length = value.length): { r: Reader; warnings: ScanWarning[]; ds: DataSet } {
  const bytes = new Uint8Array(8 + value.length);
  bytes.set(value, 8);
  const elements = { [KEY]: { tag: KEY, length, dataOffset: 8 } as Element };
  const warnings: ScanWarning[] = [];
  return { r: new Reader(bytes, elements, true, warnings), warnings, ds: new DataSetC(dicomParser.littleEndianByteArrayParser, bytes, elements) };
}

describe('numbers', () => {
  it('reads DS and IS as Number() reads their text, padding and exponents included', () => {
    expect(reader(ascii('-250.0\\-172.5\\ 1.5e2 ')).r.dsN(KEY, 3)).toStrictEqual([-250, -172.5, 150]);
    expect(reader(ascii('.5')).r.ds1(KEY)).toBe(0.5);
    expect(reader(ascii('-0')).r.ds1(KEY)).toBe(-0);
    expect(reader(ascii('+12 ')).r.is1(KEY)).toBe(12);
    expect(reader(ascii('0.703125\\0.703125\x00junk')).r.dsN(KEY, 2)).toStrictEqual([0.703125, 0.703125]);
  });

  it('an invalid, non-finite or miscounted value is a warning naming the tag, and no value', () => {
    const cases: [string, (r: Reader) => unknown, RegExp][] = [
      ['1,5', (r) => r.ds1(KEY), /'1,5' is not a valid decimal string/],
      ['1e999', (r) => r.ds1(KEY), /not finite/],
      ['1.5', (r) => r.is1(KEY), /not a valid integer string/],
      ['1\\2', (r) => r.dsN(KEY, 3), /2 values where 3 are required/],
      ['1\\\\3', (r) => r.dsN(KEY, 3), /'' is not a valid decimal string/],
    ];
    for (const [text, read, message] of cases) {
      const { r, warnings } = reader(ascii(text));
      expect(read(r), text).toBeNull();
      expect(warnings).toHaveLength(1);
      expect(warnings[0].code).toBe('INVALID_VALUE');
      expect(warnings[0].message).toMatch(/^\(0020,0032\): /);
      expect(warnings[0].message).toMatch(message);
    }
  });

  it('an empty or absent value is no value and no warning', () => {
    const { r, warnings } = reader(ascii('  '));
    expect(r.ds1(KEY)).toBeNull();
    expect(r.ds1(TAG.sliceThickness)).toBeNull();
    expect(warnings).toEqual([]);
  });
});

describe('text values', () => {
  it('str and uidIn: up to the first NUL, trimmed of Latin-1 whitespace', () => {
    const { r, ds } = reader(Uint8Array.of(0x20, 0xa0, 0x31, 0x2e, 0x32, 0x09, 0x00, 0x33));
    expect(r.str(KEY)).toBe('1.2');
    expect(uidIn(ds, KEY)).toBe('1.2');
    expect(uidIn(reader(ascii(' \x00')).ds, KEY)).toBeNull();
  });

  it('a value running past the bytes is a warning naming the tag, not a value', () => {
    const { r, warnings, ds } = reader(new Uint8Array(4), 40);
    expect(r.str(KEY)).toBe('');
    expect(r.dsN(KEY, 3)).toBeNull();
    expect(uidIn(ds, KEY)).toBeNull();
    expect(warnings.map((w) => w.message)).toEqual(['(0020,0032): unreadable text; value ignored', '(0020,0032): unreadable text; value ignored']);
  });
});
