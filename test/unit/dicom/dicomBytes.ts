/**
 * Minimal DICOM byte writer for scanner tests: any tags, any of the three uncompressed data-set
 * encodings, with or without preamble/meta, optional (possibly short) pixel data. Not a general
 * writer: just enough to build the geometry and robustness cases the scanner must recognise.
 */
export type Encoding = 'explicit-le' | 'implicit-le' | 'explicit-be';
export type Tag = [group: number, element: number];
export interface El {
  tag: Tag;
  vr: string;
  /** string → text (UI padded with NUL, others with space); number[] → US values; Uint8Array → raw. */
  value: string | number[] | Uint8Array | El[][];
}

const LONG_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN', 'UC', 'UR', 'OD', 'OL', 'OV']);
export const TS_UID: Record<Encoding, string> = {
  'explicit-le': '1.2.840.10008.1.2.1',
  'implicit-le': '1.2.840.10008.1.2',
  'explicit-be': '1.2.840.10008.1.2.2',
};
export const CT_STORAGE = '1.2.840.10008.5.1.4.1.1.2';

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

function valueBytes(el: El, enc: Encoding): Uint8Array {
  const v = el.value;
  if (v instanceof Uint8Array) return v.length % 2 ? concat([v, new Uint8Array(1)]) : v;
  if (typeof v === 'string') {
    const b = Uint8Array.from(v, (c) => c.charCodeAt(0) & 0xff);
    return b.length % 2 ? concat([b, Uint8Array.of(el.vr === 'UI' ? 0 : 0x20)]) : b;
  }
  if (el.vr === 'SQ') {
    const items = (v as El[][]).map((item) => {
      const body = encodeElements(item, enc);
      const h = new Uint8Array(8);
      const dv = new DataView(h.buffer);
      const le = enc !== 'explicit-be';
      dv.setUint16(0, 0xfffe, le);
      dv.setUint16(2, 0xe000, le);
      dv.setUint32(4, body.length, le);
      return concat([h, body]);
    });
    return concat(items);
  }
  const nums = v as number[];
  const out = new Uint8Array(nums.length * 2);
  const dv = new DataView(out.buffer);
  nums.forEach((n, i) => dv.setUint16(i * 2, n, enc !== 'explicit-be'));
  return out;
}

export function encodeElements(elements: El[], enc: Encoding): Uint8Array {
  const le = enc !== 'explicit-be';
  const sorted = [...elements].sort((a, b) => a.tag[0] - b.tag[0] || a.tag[1] - b.tag[1]);
  const chunks: Uint8Array[] = [];
  for (const el of sorted) {
    const value = valueBytes(el, enc);
    const explicit = enc !== 'implicit-le';
    const long = LONG_VRS.has(el.vr);
    const header = new Uint8Array(!explicit ? 8 : long ? 12 : 8);
    const dv = new DataView(header.buffer);
    dv.setUint16(0, el.tag[0], le);
    dv.setUint16(2, el.tag[1], le);
    if (!explicit) dv.setUint32(4, value.length, le);
    else {
      header[4] = el.vr.charCodeAt(0);
      header[5] = el.vr.charCodeAt(1);
      if (long) dv.setUint32(8, value.length, le);
      else dv.setUint16(6, value.length, le);
    }
    chunks.push(header, value);
  }
  return concat(chunks);
}

export interface DicomSpec {
  elements: El[];
  encoding?: Encoding;
  /** Transfer syntax UID written in the meta (defaults to the encoding's). */
  transferSyntaxUid?: string | null;
  /** false: raw data set, no preamble, no meta. */
  part10?: boolean;
  /** Pixel data bytes appended as (7FE0,0010) OW. */
  pixelBytes?: number;
  /** Declared pixel data length when it should differ from the bytes written. */
  declaredPixelLength?: number;
}

export function dicomBytes(spec: DicomSpec): Uint8Array {
  const enc = spec.encoding ?? 'explicit-le';
  const sop = spec.elements.find((e) => e.tag[0] === 0x0008 && e.tag[1] === 0x0018)?.value;
  const sopClass = spec.elements.find((e) => e.tag[0] === 0x0008 && e.tag[1] === 0x0016)?.value;
  let body = encodeElements(spec.elements, enc);
  if (spec.pixelBytes !== undefined) {
    const le = enc !== 'explicit-be';
    const h = new Uint8Array(enc === 'implicit-le' ? 8 : 12);
    const dv = new DataView(h.buffer);
    dv.setUint16(0, 0x7fe0, le);
    dv.setUint16(2, 0x0010, le);
    const len = spec.declaredPixelLength ?? spec.pixelBytes;
    if (enc === 'implicit-le') dv.setUint32(4, len, le);
    else {
      h[4] = 0x4f; // 'O'
      h[5] = 0x57; // 'W'
      dv.setUint32(8, len, le);
    }
    body = concat([body, h, new Uint8Array(spec.pixelBytes)]);
  }
  if (spec.part10 === false) return body;
  const ts = spec.transferSyntaxUid === undefined ? TS_UID[enc] : spec.transferSyntaxUid;
  const metaEls: El[] = [
    { tag: [0x0002, 0x0001], vr: 'OB', value: Uint8Array.of(0, 1) },
    { tag: [0x0002, 0x0002], vr: 'UI', value: typeof sopClass === 'string' ? sopClass : CT_STORAGE },
    { tag: [0x0002, 0x0003], vr: 'UI', value: typeof sop === 'string' ? sop : '1.2.3' },
    { tag: [0x0002, 0x0012], vr: 'UI', value: '1.2.3.4' },
  ];
  if (ts !== null) metaEls.push({ tag: [0x0002, 0x0010], vr: 'UI', value: ts });
  const meta = encodeElements(metaEls, 'explicit-le');
  const groupLength = encodeElements([{ tag: [0x0002, 0x0000], vr: 'UL', value: new Uint8Array(new Uint32Array([meta.length]).buffer) }], 'explicit-le');
  const preamble = new Uint8Array(132);
  preamble.set([0x44, 0x49, 0x43, 0x4d], 128);
  return concat([preamble, groupLength, meta, body]);
}

// ---- a CT slice with chosen geometry -----------------------------------------------------

export interface SliceSpec {
  study?: string;
  series?: string;
  sop: string;
  modality?: string;
  sopClass?: string;
  /** null: no (0020,0052). */
  frameOfReference?: string | null;
  instanceNumber?: number;
  position?: [number, number, number] | null;
  orientation?: number[] | null;
  pixelSpacing?: [number, number] | null;
  rows?: number;
  columns?: number;
  thickness?: number;
  frames?: number;
  gantryTilt?: number;
  rescale?: [slope: number, intercept: number] | null;
  pixelRepresentation?: number;
  encoding?: Encoding;
  transferSyntaxUid?: string;
  pixelBytes?: number;
  /** Pixel data length declared in the element when it differs from the bytes written. */
  declaredPixelLength?: number;
  imageType?: string;
  extra?: El[];
}

const num = (n: number) => String(Number(n.toPrecision(10)));

export function ctSlice(s: SliceSpec): Uint8Array {
  const rows = s.rows ?? 8;
  const cols = s.columns ?? 8;
  const frames = s.frames ?? 1;
  const els: El[] = [
    { tag: [0x0008, 0x0008], vr: 'CS', value: s.imageType ?? 'ORIGINAL\\PRIMARY\\AXIAL' },
    { tag: [0x0008, 0x0016], vr: 'UI', value: s.sopClass ?? CT_STORAGE },
    { tag: [0x0008, 0x0018], vr: 'UI', value: s.sop },
    { tag: [0x0008, 0x0020], vr: 'DA', value: '20240101' },
    { tag: [0x0008, 0x0060], vr: 'CS', value: s.modality ?? 'CT' },
    { tag: [0x0008, 0x103e], vr: 'LO', value: 'synthetic' },
    { tag: [0x0010, 0x0010], vr: 'PN', value: 'Test^Patient' },
    { tag: [0x0010, 0x0020], vr: 'LO', value: 'P1' },
    { tag: [0x0018, 0x0050], vr: 'DS', value: num(s.thickness ?? 3) },
    { tag: [0x0020, 0x000d], vr: 'UI', value: s.study ?? '1.2.826.0.1.1' },
    { tag: [0x0020, 0x000e], vr: 'UI', value: s.series ?? '1.2.826.0.1.2' },
    { tag: [0x0020, 0x0011], vr: 'IS', value: '1' },
    { tag: [0x0028, 0x0002], vr: 'US', value: [1] },
    { tag: [0x0028, 0x0010], vr: 'US', value: [rows] },
    { tag: [0x0028, 0x0011], vr: 'US', value: [cols] },
    { tag: [0x0028, 0x0100], vr: 'US', value: [16] },
    { tag: [0x0028, 0x0101], vr: 'US', value: [12] },
    { tag: [0x0028, 0x0103], vr: 'US', value: [s.pixelRepresentation ?? 1] },
    ...(s.extra ?? []),
  ];
  if (s.frameOfReference !== null) els.push({ tag: [0x0020, 0x0052], vr: 'UI', value: s.frameOfReference ?? '1.2.826.0.1.3' });
  if (s.instanceNumber !== undefined) els.push({ tag: [0x0020, 0x0013], vr: 'IS', value: String(s.instanceNumber) });
  if (s.position !== null) els.push({ tag: [0x0020, 0x0032], vr: 'DS', value: (s.position ?? [0, 0, 0]).map(num).join('\\') });
  if (s.orientation !== null) els.push({ tag: [0x0020, 0x0037], vr: 'DS', value: (s.orientation ?? [1, 0, 0, 0, 1, 0]).map(num).join('\\') });
  if (s.pixelSpacing !== null) els.push({ tag: [0x0028, 0x0030], vr: 'DS', value: (s.pixelSpacing ?? [0.7, 0.7]).map(num).join('\\') });
  if (frames !== 1) els.push({ tag: [0x0028, 0x0008], vr: 'IS', value: String(frames) });
  if (s.gantryTilt !== undefined) els.push({ tag: [0x0018, 0x1120], vr: 'DS', value: num(s.gantryTilt) });
  const rescale = s.rescale === undefined ? [1, -1024] : s.rescale;
  if (rescale) {
    els.push({ tag: [0x0028, 0x1052], vr: 'DS', value: num(rescale[1]) });
    els.push({ tag: [0x0028, 0x1053], vr: 'DS', value: num(rescale[0]) });
  }
  return dicomBytes({
    elements: els,
    encoding: s.encoding,
    transferSyntaxUid: s.transferSyntaxUid,
    pixelBytes: s.pixelBytes ?? rows * cols * 2 * frames,
    declaredPixelLength: s.declaredPixelLength,
  });
}

/** A series of axial slices at the given z positions (mm), SOP UIDs derived from the index. */
export function axialSeries(zs: number[], over: Partial<SliceSpec> = {}): Uint8Array[] {
  return zs.map((z, i) => ctSlice({ sop: `1.2.826.0.1.9.${i + 1}`, instanceNumber: i + 1, position: [0, 0, z], ...over }));
}
