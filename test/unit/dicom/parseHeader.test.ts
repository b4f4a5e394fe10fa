import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEADER_ERROR, HEADER_WARNING, TRANSFER_SYNTAXES, parseHeader } from '../../../shared/dicom/index';
import { HeaderResultSchema, type HeaderResult, type ParsedHeader } from '../../../shared/schemas/scan';
import { ctSlice, dicomBytes, type El } from './dicomBytes';

const DATA = join(__dirname, '..', '..', '..', '..', 'shared', 'data');
const PYDICOM = join(DATA, 'pydicom-test-files/src/pydicom/data/test_files');
const WG04 = join(DATA, 'nema-wg04-ct-compression_dicom-test-files/data/WG04');

function parseFile(path: string, prefix?: number): HeaderResult {
  const all = readFileSync(path);
  const bytes = prefix ? all.subarray(0, prefix) : all;
  const r = parseHeader(bytes, { fileId: path, file: path, totalBytes: all.length });
  expect(HeaderResultSchema.safeParse(r).success).toBe(true);
  return r;
}

function header(r: HeaderResult): ParsedHeader {
  if (r.kind !== 'instance') throw new Error(`expected an instance, got ${JSON.stringify(r)}`);
  return r.header;
}

function errorCode(r: HeaderResult): string {
  if (r.kind !== 'error') throw new Error(`expected an error, got ${r.kind}`);
  return r.code;
}

describe('parseHeader on the broken pydicom files: a specific coded error or a correct parse', () => {
  it('MR_truncated: pixel data shorter than declared', () => {
    const r = parseFile(join(PYDICOM, 'MR_truncated.dcm'));
    expect(errorCode(r)).toBe(HEADER_ERROR.PIXEL_DATA_TRUNCATED);
    expect(r.kind === 'error' && r.message).toMatch(/8192.*8130/);
  });
  it('no_meta: stray byte before a preamble-less data set', () => {
    const r = parseFile(join(PYDICOM, 'no_meta.dcm'));
    expect(errorCode(r)).toBe(HEADER_ERROR.STRAY_LEADING_BYTES);
    expect(r.kind === 'error' && r.message).toMatch(/byte 1/);
  });
  it('meta_missing_tsyntax: syntax inferred, then no SOP class/modality (private groups only)', () => {
    const r = parseFile(join(PYDICOM, 'meta_missing_tsyntax.dcm'));
    expect(errorCode(r)).toBe(HEADER_ERROR.NO_SOP_CLASS);
    expect(r.kind === 'error' && r.message).toMatch(/Transfer Syntax UID \(0002,0010\)/);
  });
  it('badVR: parses, the invalid IS value "1A" is a warning naming the tag, not a silent 1', () => {
    const h = header(parseFile(join(PYDICOM, 'badVR.dcm')));
    expect(h.modality).toBe('RTDOSE');
    expect(h.numberOfFrames).toBeNull();
    expect(h.warnings).toContainEqual({ code: HEADER_WARNING.INVALID_VALUE, message: expect.stringMatching(/\(0028,0008\).*'1A'/) });
  });
  it('rtplan_truncated: truncated inside a sequence', () => {
    expect(errorCode(parseFile(join(PYDICOM, 'rtplan_truncated.dcm')))).toBe(HEADER_ERROR.TRUNCATED);
  });
  it('image_dfl: deflated data set reported as unsupported, naming the syntax', () => {
    const r = parseFile(join(PYDICOM, 'image_dfl.dcm'));
    expect(errorCode(r)).toBe(HEADER_ERROR.DEFLATE_UNSUPPORTED);
    expect(r.kind === 'error' && r.message).toMatch(/1\.2\.840\.10008\.1\.2\.1\.99.*Deflated/);
  });
  it('rtstruct.dcm without file meta parses as implicit VR with a warning', () => {
    const h = header(parseFile(join(PYDICOM, 'rtstruct.dcm')));
    expect(h.modality).toBe('RTSTRUCT');
    expect(h.transferSyntaxUid).toBe('1.2.840.10008.1.2');
    expect(h.warnings.map((w) => w.code)).toContain(HEADER_WARNING.NO_FILE_META);
  });
  it('big endian MR reads the same geometry as its little-endian sibling', () => {
    const be = header(parseFile(join(PYDICOM, 'MR_small_bigendian.dcm')));
    const rle = header(parseFile(join(PYDICOM, 'MR_small_RLE.dcm')));
    expect(be.transferSyntaxUid).toBe('1.2.840.10008.1.2.2');
    expect(be.rows).toBe(64);
    expect(be.columns).toBe(64);
    expect(be.imagePositionPatient).toEqual(rle.imagePositionPatient);
    expect(be.pixelSpacingMm).toEqual(rle.pixelSpacingMm);
    expect(be.bitsAllocated).toBe(16);
  });
  it('every pydicom file gives an instance, an error or a skip, never an exception', () => {
    for (const f of readdirSync(PYDICOM)) expect(['instance', 'error', 'skipped']).toContain(parseFile(join(PYDICOM, f)).kind);
  });
});

describe('parseHeader on real CT', () => {
  it('WG04: every transfer syntax recognised and named', () => {
    const seen = new Map<string, string>();
    for (const dir of readdirSync(WG04)) {
      for (const f of readdirSync(join(WG04, dir))) {
        const h = header(parseFile(join(WG04, dir, f)));
        expect(h.modality).toBe('CT');
        const info = TRANSFER_SYNTAXES[h.transferSyntaxUid];
        expect(info, `${dir}/${f} ${h.transferSyntaxUid}`).toBeDefined();
        expect(info.viewer).toBe(true);
        seen.set(dir, info.name);
      }
    }
    expect(Object.fromEntries(seen)).toEqual({
      J2KI: 'JPEG 2000 Image Compression',
      J2KR: 'JPEG 2000 Image Compression (Lossless Only)',
      JLSL: 'JPEG-LS Lossless',
      JLSN: 'JPEG-LS Lossy (Near-Lossless)',
      JPLL: 'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 SV1)',
      RLE: 'RLE Lossless',
      REF: 'Explicit VR Little Endian',
    });
  });
  it('the TRANSFER_SYNTAXES table marks RLE and uncompressed as decodable in Node, JPEG family not', () => {
    expect(TRANSFER_SYNTAXES['1.2.840.10008.1.2.5'].node).toBe(true);
    expect(TRANSFER_SYNTAXES['1.2.840.10008.1.2'].node).toBe(true);
    expect(TRANSFER_SYNTAXES['1.2.840.10008.1.2.4.90'].node).toBe(false);
    expect(TRANSFER_SYNTAXES['1.2.840.10008.1.2.4.100'].viewer).toBe(false);
  });
  it('TotalSegmentator: empty SOP UIDs in the data set are taken from the meta, with a warning', () => {
    const dir = join(DATA, 'totalsegmentator-example-ct/example_ct_dicom');
    const f = readdirSync(dir)[0];
    const h = header(parseFile(join(dir, f)));
    expect(h.sopInstanceUid).toBe(f.replace(/^CT\./, ''));
    expect(h.sopClassUid).toBe('1.2.840.10008.5.1.4.1.1.2');
    expect(h.warnings.map((w) => w.code)).toEqual([HEADER_WARNING.SOP_INSTANCE_UID_FROM_META, HEADER_WARNING.SOP_CLASS_UID_FROM_META]);
  });
  it('TCIA slice: geometry, rescale and kernel read exactly', () => {
    const h = header(parseFile(join(DATA, 'tcia-pancreas-planning-ct/CT/1-001.dcm')));
    expect(h).toMatchObject({
      modality: 'CT',
      rows: 512,
      columns: 512,
      pixelSpacingMm: [1.07421875, 1.07421875],
      sliceThicknessMm: 3,
      rescaleSlope: 1,
      rescaleIntercept: -1000,
      pixelRepresentation: 0,
      imageOrientationPatient: [1, 0, 0, 0, 1, 0],
      hasPixelData: true,
    });
  });
  it('a header prefix asks for more bytes rather than guessing; the full file then parses', () => {
    const path = join(DATA, 'dicompyler-core/example_data/rtss.dcm');
    expect(errorCode(parseFile(path, 4096))).toBe(HEADER_ERROR.NEED_MORE_BYTES);
    const h = header(parseFile(path));
    expect(h.referencedSopInstanceUids).toHaveLength(98);
  });
  it('a CT header prefix that reaches the pixel data element is enough', () => {
    const path = join(DATA, 'tcia-pancreas-planning-ct/CT/1-001.dcm');
    expect(header(parseFile(path, 16 * 1024))).toEqual(header(parseFile(path)));
  });
});

describe('parseHeader on synthetic bytes', () => {
  const base = { sop: '1.2.3.4.5', position: [1, 2, 3] as [number, number, number] };
  it('reads the same header in the three uncompressed encodings', () => {
    const le = header(parseHeader(ctSlice(base), { fileId: 'a', file: 'a' }));
    for (const encoding of ['implicit-le', 'explicit-be'] as const) {
      const other = header(parseHeader(ctSlice({ ...base, encoding }), { fileId: 'a', file: 'a' }));
      expect({ ...other, transferSyntaxUid: '', warnings: [] }).toEqual({ ...le, transferSyntaxUid: '', warnings: [] });
    }
  });
  it('a preamble-less data set parses with NO_FILE_META', () => {
    const bytes = dicomBytes({
      part10: false,
      encoding: 'implicit-le',
      elements: [
        { tag: [0x0008, 0x0016], vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
        { tag: [0x0008, 0x0018], vr: 'UI', value: '1.2.3' },
        { tag: [0x0008, 0x0060], vr: 'CS', value: 'CT' },
      ],
    });
    const h = header(parseHeader(bytes, { fileId: 'a', file: 'a' }));
    expect(h.sopInstanceUid).toBe('1.2.3');
    expect(h.warnings.map((w) => w.code)).toEqual([HEADER_WARNING.NO_FILE_META]);
  });
  it('non-DICOM bytes are skipped quickly with a reason; empty files too', () => {
    const text = new TextEncoder().encode('hello, this is a README file and not an image at all '.repeat(10));
    expect(parseHeader(text, { fileId: 'r', file: 'r' })).toEqual({ kind: 'skipped', file: 'r', reason: expect.stringMatching(/not DICOM/) });
    expect(parseHeader(new Uint8Array(0), { fileId: 'e', file: 'e' })).toEqual({ kind: 'skipped', file: 'e', reason: 'empty file' });
  });
  it('a DICOMDIR is skipped with a reason (files are scanned directly)', () => {
    const bytes = dicomBytes({
      elements: [
        { tag: [0x0008, 0x0016], vr: 'UI', value: '1.2.840.10008.1.3.10' },
        { tag: [0x0008, 0x0018], vr: 'UI', value: '1.2.3' },
      ],
    });
    expect(parseHeader(bytes, { fileId: 'd', file: 'DICOMDIR' })).toEqual({ kind: 'skipped', file: 'DICOMDIR', reason: expect.stringMatching(/^DICOMDIR/) });
  });
  it('a prefix ending on an element boundary before Pixel Data asks for more bytes (no lost RT references)', () => {
    const els: El[] = [
      { tag: [0x0008, 0x0016], vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.481.3' },
      { tag: [0x0008, 0x0018], vr: 'UI', value: '1.2.3' },
      { tag: [0x0008, 0x0060], vr: 'CS', value: 'RTSTRUCT' },
    ];
    const refs: El = { tag: [0x3006, 0x0010], vr: 'SQ', value: [[{ tag: [0x0020, 0x0052], vr: 'UI', value: '1.2.9' }]] };
    const full = dicomBytes({ elements: [...els, refs] });
    const boundary = dicomBytes({ elements: els }).length;
    expect(errorCode(parseHeader(full.subarray(0, boundary), { fileId: 'a', file: 'a', totalBytes: full.length }))).toBe(HEADER_ERROR.NEED_MORE_BYTES);
    expect(header(parseHeader(full, { fileId: 'a', file: 'a', totalBytes: full.length })).referencedFrameOfReferenceUids).toEqual(['1.2.9']);
  });
  it('an image whose file ends before Pixel Data is PIXEL_DATA_MISSING, not a non-image object', () => {
    const bytes = ctSlice({ ...base }).subarray(0);
    const cut = bytes.length - 12 - 8 * 8 * 2; // drop the pixel element header and its data
    expect(errorCode(parseHeader(bytes.subarray(0, cut), { fileId: 'a', file: 'a' }))).toBe(HEADER_ERROR.PIXEL_DATA_MISSING);
  });
  it('a pixel data element longer than the file is PIXEL_DATA_TRUNCATED', () => {
    const bytes = ctSlice({ ...base, pixelBytes: 100 });
    expect(errorCode(parseHeader(bytes, { fileId: 'a', file: 'a' }))).toBe(HEADER_ERROR.PIXEL_DATA_TRUNCATED);
  });
  it('a malformed DS value is a warning naming the tag and the geometry stays null', () => {
    const extra: El[] = [];
    const bytes = dicomBytes({
      elements: [
        { tag: [0x0008, 0x0016], vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
        { tag: [0x0008, 0x0018], vr: 'UI', value: '1.2.3' },
        { tag: [0x0008, 0x0060], vr: 'CS', value: 'CT' },
        { tag: [0x0020, 0x0032], vr: 'DS', value: '1\\2\\abc' },
        { tag: [0x0028, 0x0030], vr: 'DS', value: '0.5' },
        ...extra,
      ],
    });
    const h = header(parseHeader(bytes, { fileId: 'a', file: 'a' }));
    expect(h.imagePositionPatient).toBeNull();
    expect(h.pixelSpacingMm).toBeNull();
    expect(h.warnings.map((w) => w.message)).toEqual([
      "(0020,0032): 'abc' is not a valid decimal string (DS); value ignored",
      '(0028,0030): 1 values where 2 are required; value ignored',
    ]);
  });
  it('the meta group length bounds the meta even when the data set starts with a low group', () => {
    const bytes = dicomBytes({
      transferSyntaxUid: null,
      encoding: 'explicit-le',
      elements: [
        { tag: [0x0001, 0x0010], vr: 'LO', value: 'odd' },
        { tag: [0x0008, 0x0016], vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' },
        { tag: [0x0008, 0x0018], vr: 'UI', value: '1.2.3' },
        { tag: [0x0008, 0x0060], vr: 'CS', value: 'OT' },
      ],
    });
    const h = header(parseHeader(bytes, { fileId: 'a', file: 'a' }));
    expect(h.modality).toBe('OT');
    expect(h.transferSyntaxUid).toBe('1.2.840.10008.1.2.1');
    expect(h.warnings.map((w) => w.code)).toContain(HEADER_WARNING.TRANSFER_SYNTAX_INFERRED);
  });
});
