/**
 * Header parsing: DICOM bytes → ParsedHeader, with dicom-parser, without pixel decoding.
 * Never throws: every failure becomes a coded error value naming the file (no patient data).
 * Pure TS (runs in Node, the worker pool and a browser Web Worker).
 */
import * as dicomParserNs from 'dicom-parser';
import type { ByteStream as ByteStreamT, DataSet, Element } from 'dicom-parser';
import type { HeaderResult, ParsedHeader, ScanWarning } from '../schemas/scan';
import {
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_BIG_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
  TRANSFER_SYNTAXES,
} from './transferSyntaxes';

// dicom-parser is CommonJS: depending on the bundler the API is the namespace or its default.
const dicomParser: typeof dicomParserNs =
  (dicomParserNs as unknown as { default?: typeof dicomParserNs }).default ?? dicomParserNs;
type DataSetCtor = new (parser: unknown, bytes: Uint8Array, elements: Record<string, Element>) => DataSet;
type ByteStreamCtor = new (parser: unknown, bytes: Uint8Array, position: number) => ByteStreamT;

/** Coded outcomes of parseHeader (stable; tests and the UI key on them). */
export const HEADER_ERROR = {
  /** The bytes end before the header does; the host passed a prefix and should read more. */
  NEED_MORE_BYTES: 'DICOM_NEED_MORE_BYTES',
  TRUNCATED: 'DICOM_TRUNCATED',
  PIXEL_DATA_TRUNCATED: 'DICOM_PIXEL_DATA_TRUNCATED',
  PIXEL_DATA_MISSING: 'DICOM_PIXEL_DATA_MISSING',
  STRAY_LEADING_BYTES: 'DICOM_STRAY_LEADING_BYTES',
  META_UNREADABLE: 'DICOM_META_UNREADABLE',
  DEFLATE_UNSUPPORTED: 'DICOM_DEFLATE_UNSUPPORTED',
  MALFORMED: 'DICOM_MALFORMED',
  /** A parser failure our checks did not anticipate (the fuzz test requires none). */
  UNEXPECTED: 'DICOM_UNEXPECTED',
  NO_SOP_CLASS: 'DICOM_NO_SOP_CLASS',
} as const;

/** Header-level warning codes (they end up on the series or the other object). */
export const HEADER_WARNING = {
  TRANSFER_SYNTAX_INFERRED: 'TRANSFER_SYNTAX_INFERRED',
  NO_FILE_META: 'NO_FILE_META',
  SOP_INSTANCE_UID_FROM_META: 'SOP_INSTANCE_UID_FROM_META',
  SOP_CLASS_UID_FROM_META: 'SOP_CLASS_UID_FROM_META',
  INVALID_VALUE: 'INVALID_VALUE',
  PARSER_WARNING: 'PARSER_WARNING',
} as const;

const PIXEL_DATA = 'x7fe00010';
const MEDIA_STORAGE_DIRECTORY = '1.2.840.10008.1.3.10';
/** Objects that may carry Rows/Columns without pixels of their own (e.g. SEG references, SR). */
const NON_IMAGE_MODALITIES = new Set(['RTSTRUCT', 'RTPLAN', 'RTRECORD', 'SR', 'PR', 'KO', 'REG', 'DOC']);
/** How far past byte 0 we look for a data set that starts late (stray bytes before it). */
const STRAY_BYTES_SEARCH_LIMIT = 16;

const VRS = new Set([
  'AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FL', 'FD', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'PN',
  'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV',
]);

export interface HeaderRef {
  fileId: string;
  file: string;
  /** Size of the whole file when `bytes` is only its beginning (enables NEED_MORE_BYTES). */
  totalBytes?: number;
}

type Sniff =
  | { kind: 'part10' }
  | { kind: 'raw'; transferSyntaxUid: string }
  | { kind: 'shifted'; offset: number }
  | { kind: 'not-dicom'; reason: string };

function isVrAt(bytes: Uint8Array, at: number): boolean {
  if (at + 2 > bytes.length) return false;
  return VRS.has(String.fromCharCode(bytes[at], bytes[at + 1]));
}

/** A DICOM data set without preamble: does an element of group 0002/0008 start at `at`? */
function rawStartAt(bytes: Uint8Array, at: number): string | null {
  if (at + 8 > bytes.length) return null;
  const groupLe = bytes[at] | (bytes[at + 1] << 8);
  const groupBe = (bytes[at] << 8) | bytes[at + 1];
  if (groupLe === 0x0008 || groupLe === 0x0002) {
    if (isVrAt(bytes, at + 4)) return EXPLICIT_VR_LITTLE_ENDIAN;
    // Implicit VR: a 32-bit length that fits in what is left of the bytes (or undefined length).
    const len = (bytes[at + 4] | (bytes[at + 5] << 8) | (bytes[at + 6] << 16) | (bytes[at + 7] << 24)) >>> 0;
    if (len === 0xffffffff || (len < 0x10000 && len % 2 === 0)) return IMPLICIT_VR_LITTLE_ENDIAN;
    return null;
  }
  if (groupBe === 0x0008 && isVrAt(bytes, at + 4)) return EXPLICIT_VR_BIG_ENDIAN;
  return null;
}

export function sniffDicom(bytes: Uint8Array): Sniff {
  if (bytes.length === 0) return { kind: 'not-dicom', reason: 'empty file' };
  if (bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d) {
    return { kind: 'part10' };
  }
  const raw = rawStartAt(bytes, 0);
  if (raw) return { kind: 'raw', transferSyntaxUid: raw };
  for (let off = 1; off <= STRAY_BYTES_SEARCH_LIMIT; off++) {
    // Explicit VR only: a group-0008 tag followed by a valid VR rarely occurs by chance.
    if (rawStartAt(bytes, off) === EXPLICIT_VR_LITTLE_ENDIAN) return { kind: 'shifted', offset: off };
  }
  return { kind: 'not-dicom', reason: "not DICOM: no 'DICM' at byte 128 and no DICOM element at byte 0" };
}

function message(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e instanceof Error) return e.message;
  if (e && typeof e === 'object' && 'exception' in e) return message((e as { exception: unknown }).exception);
  return String(e);
}

// dicom-parser's wording when it runs off the end of the bytes ('maxPosition' when a sequence
// item or element claims more bytes than remain).
const OVERRUN = /past end|overrun|overread|beyond|outside|cannot seek|position cannot|greater than or equal|maxPosition|maxP osition/i;

function tagName(tag: string): string {
  return `(${tag.slice(1, 5).toUpperCase()},${tag.slice(5, 9).toUpperCase()})`;
}

// ---- value readers: strict, so a malformed number never becomes a silent wrong number ----

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

class Reader {
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
function items(ds: DataSet, tag: string): DataSet[] {
  const el = ds.elements[tag];
  if (!el?.items) return [];
  return el.items.flatMap((it) => (it.dataSet ? [it.dataSet] : []));
}

function uidIn(ds: DataSet, tag: string): string | null {
  const el = ds.elements[tag];
  if (!el || el.length === 0 || el.items) return null;
  try {
    const s = text(ds, el).replace(/\0/g, '').trim();
    return s === '' ? null : s;
  } catch {
    return null;
  }
}

function collectReferences(ds: DataSet): { frames: string[]; series: string[]; sops: string[] } {
  const frames = new Set<string>();
  const series = new Set<string>();
  const sops = new Set<string>();
  const addSops = (d: DataSet, seqTag: string) => {
    for (const img of items(d, seqTag)) {
      const uid = uidIn(img, 'x00081155');
      if (uid) sops.add(uid);
    }
  };
  // RTSTRUCT: Referenced Frame of Reference Sequence → RT Referenced Study → RT Referenced Series.
  for (const f of items(ds, 'x30060010')) {
    const uid = uidIn(f, 'x00200052');
    if (uid) frames.add(uid);
    for (const study of items(f, 'x30060012')) {
      for (const s of items(study, 'x30060014')) {
        const su = uidIn(s, 'x0020000e');
        if (su) series.add(su);
        addSops(s, 'x30060016');
      }
    }
  }
  // RTSTRUCT: Structure Set ROI Sequence → Referenced Frame of Reference UID.
  for (const roi of items(ds, 'x30060020')) {
    const uid = uidIn(roi, 'x30060024');
    if (uid) frames.add(uid);
  }
  // RTSTRUCT: ROI Contour Sequence → Contour Sequence → Contour Image Sequence.
  for (const rc of items(ds, 'x30060039')) for (const c of items(rc, 'x30060040')) addSops(c, 'x30060016');
  // RTPLAN → structure set; RTDOSE → plan; SEG/SR/others → Referenced Series Sequence.
  addSops(ds, 'x300c0060');
  addSops(ds, 'x300c0002');
  for (const s of items(ds, 'x00081115')) {
    const su = uidIn(s, 'x0020000e');
    if (su) series.add(su);
  }
  return { frames: [...frames], series: [...series], sops: [...sops] };
}

// ---- fast path for the top level of explicit VR little endian data sets ----

/** VR of the two bytes at an element's offset 4 (index: first byte × 256 + second), '' if none. */
const VR_BY_CODE: string[] = (() => {
  const t = new Array<string>(65536).fill('');
  for (const vr of VRS) t[(vr.charCodeAt(0) << 8) | vr.charCodeAt(1)] = vr;
  return t;
})();
/** VRs with a 2-byte reserved field and a 32-bit length (as dicom-parser's getDataLengthSizeInBytesForVR). */
const LONG_LENGTH_VRS = new Set(['OB', 'OD', 'OL', 'OW', 'SQ', 'OF', 'UC', 'UR', 'UT', 'UN']);
const LONG_LENGTH_BY_CODE: boolean[] = VR_BY_CODE.map((vr) => LONG_LENGTH_VRS.has(vr));
/** Tag keys ('xggggeeee') are the same few hundred strings in every file: built once. */
const TAG_KEYS = new Map<number, string>();
const TAG_KEYS_MAX = 8192;

/**
 * Top-level sequences whose items parseHeader reads (collectReferences). Every other sequence of
 * an implicit VR data set is walked without building its items: its contents are never read,
 * and building them (de-identification codes, private vendor blocks) cost CT headers more than
 * everything else. The walk takes dicom-parser's path and hands anything unusual back to it.
 */
export const SEQUENCES_READ: ReadonlySet<string> = new Set(['x30060010', 'x30060020', 'x30060039', 'x300c0060', 'x300c0002', 'x00081115']);

function tagKey(tag: number): string {
  let key = TAG_KEYS.get(tag);
  if (key === undefined) {
    key = `x${tag.toString(16).padStart(8, '0')}`;
    if (TAG_KEYS.size < TAG_KEYS_MAX) TAG_KEYS.set(tag, key);
  }
  return key;
}

/**
 * Same result as dicomParser.parseDicomDataSetExplicit(ds, stream, bytes.length, { untilTag })
 * for little endian data, ~3× faster on CT headers: a plain element with a defined length and
 * a known VR (nearly every element of a header) is read here without dicom-parser's per-element
 * string building; anything else — sequences, undefined lengths, unknown VRs, the element at the
 * end of the bytes, `untilTag` itself — is read by dicom-parser's own readDicomElementExplicit
 * from the same position, so its checks, warnings and errors are unchanged.
 */
export function parseExplicitLittleEndian(ds: DataSet, stream: ByteStreamT, bytes: Uint8Array, untilTag: string): void {
  const elements = ds.elements;
  const end = bytes.length;
  const warnings = (ds as { warnings: string[] }).warnings;
  while (stream.position < end) {
    const p = stream.position;
    if (p + 12 <= end) {
      const code = (bytes[p + 4] << 8) | bytes[p + 5];
      const vr = VR_BY_CODE[code];
      const long = LONG_LENGTH_BY_CODE[code];
      if (vr !== '') {
        const length = long
          ? (bytes[p + 8] | (bytes[p + 9] << 8) | (bytes[p + 10] << 16) | (bytes[p + 11] << 24)) >>> 0
          : bytes[p + 6] | (bytes[p + 7] << 8);
        const tag = tagKey(((bytes[p] | (bytes[p + 1] << 8)) * 65536 + (bytes[p + 2] | (bytes[p + 3] << 8))) >>> 0);
        const dataOffset = p + (long ? 12 : 8);
        if (length !== 0xffffffff && tag !== untilTag && vr !== 'SQ') {
          elements[tag] = { tag, vr, length, dataOffset } as Element;
          stream.position = dataOffset + length;
          continue;
        }
      }
    }
    const element = dicomParser.readDicomElementExplicit(stream, warnings, untilTag);
    elements[element.tag] = element;
    if (element.tag === untilTag) return;
  }
  if (stream.position > end) throw 'dicomParser:parseDicomDataSetExplicit: buffer overrun';
}

/**
 * Same result as dicomParser.parseDicomDataSetImplicit(ds, stream, bytes.length, { untilTag }):
 * a defined-length element not followed by a sequence item / delimiter tag (dicom-parser's own
 * sequence test) is read here; everything else by readDicomElementImplicit from the same position.
 */
export function parseImplicitLittleEndian(ds: DataSet, stream: ByteStreamT, bytes: Uint8Array, untilTag: string): void {
  const elements = ds.elements;
  const end = bytes.length;
  while (stream.position < end) {
    const p = stream.position;
    if (p + 12 <= end) {
      const length = u32le(bytes, p + 4);
      const tag = tagKey(((bytes[p] | (bytes[p + 1] << 8)) * 65536 + (bytes[p + 2] | (bytes[p + 3] << 8))) >>> 0);
      if (tag !== untilTag) {
        const data = p + 8;
        const seq = isItemTagAt(bytes, data, 0x00) || isItemTagAt(bytes, data, 0xdd);
        const isPrivate = bytes[p] % 2 === 1;
        if (seq && (!isPrivate || length === 0xffffffff)) {
          // A sequence: walked here (same path and checks as dicom-parser) unless it is one we read.
          const next = SEQUENCES_READ.has(tag) ? -1 : implicitElementEnd(bytes, p, 0);
          if (next >= 0) {
            const element = { tag, vr: undefined, length, dataOffset: data, items: isPrivate ? undefined : [] } as Element;
            if (length === 0xffffffff) {
              element.hadUndefinedLength = true;
              element.length = next - 8 - data; // up to the delimiter, as dicom-parser sets it
            }
            elements[tag] = element;
            stream.position = next;
            continue;
          }
        } else if (length !== 0xffffffff) {
          elements[tag] = { tag, vr: undefined, length, dataOffset: data } as Element;
          stream.position = data + length;
          continue;
        }
      }
    }
    const element = dicomParser.readDicomElementImplicit(stream, untilTag);
    elements[element.tag] = element;
    if (element.tag === untilTag) return;
  }
}

// Walking an unread implicit VR sequence exactly where dicom-parser's readSequenceItemsImplicit
// would go (its sequence test, item and delimiter handling); each returns the offset after what
// it walked, or -1 where dicom-parser would throw, warn or search — it then reads the element itself.
const IMPLICIT_SKIP_MAX_DEPTH = 16;
const u32le = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
const isItemTagAt = (b: Uint8Array, at: number, lo: number) => b[at] === 0xfe && b[at + 1] === 0xff && b[at + 2] === lo && b[at + 3] === 0xe0;

/** Offset of the sequence delimitation item (FFFE,E0DD) ending the sequence whose data starts at `at`. */
function implicitSequenceEnd(b: Uint8Array, at: number, depth: number): number {
  if (depth > IMPLICIT_SKIP_MAX_DEPTH) return -1;
  let p = at;
  while (p + 8 <= b.length) {
    if (isItemTagAt(b, p, 0xdd)) return p;
    p = implicitItemEnd(b, p, depth);
    if (p < 0) return -1;
  }
  return -1;
}

/** End of the item (FFFE,E000) at `at`, its delimiter included. */
function implicitItemEnd(b: Uint8Array, at: number, depth: number): number {
  if (at + 8 > b.length || !isItemTagAt(b, at, 0x00)) return -1;
  const length = u32le(b, at + 4);
  let p = at + 8;
  if (length !== 0xffffffff) {
    const end = p + length;
    if (end > b.length) return -1;
    while (p < end) {
      p = implicitElementEnd(b, p, depth);
      if (p < 0) return -1;
    }
    return p;
  }
  while (p < b.length) {
    const delimiter = isItemTagAt(b, p, 0x0d);
    p = implicitElementEnd(b, p, depth);
    if (p < 0) return -1;
    if (delimiter) return p;
  }
  return -1;
}

/** End of the element at `at` inside an item (dicom-parser's readDicomElementImplicit without untilTag). */
function implicitElementEnd(b: Uint8Array, at: number, depth: number): number {
  if (at + 12 > b.length) return -1;
  const length = u32le(b, at + 4);
  const data = at + 8;
  const seq = isItemTagAt(b, data, 0x00) || isItemTagAt(b, data, 0xdd);
  const isPrivate = b[at] % 2 === 1;
  if (seq && (!isPrivate || length === 0xffffffff)) {
    if (length === 0xffffffff) {
      const delimiter = implicitSequenceEnd(b, data, depth + 1);
      return delimiter < 0 || delimiter + 8 > b.length ? -1 : delimiter + 8;
    }
    const end = data + length;
    let p = data;
    while (p < end) {
      p = implicitItemEnd(b, p, depth + 1);
      if (p < 0) return -1;
    }
    return p;
  }
  if (length === 0xffffffff) return -1;
  return data + length;
}

function inferSyntaxAfterMeta(bytes: Uint8Array, position: number): string {
  if (position + 6 <= bytes.length && isVrAt(bytes, position + 4)) return EXPLICIT_VR_LITTLE_ENDIAN;
  return IMPLICIT_VR_LITTLE_ENDIAN;
}

function error(ref: HeaderRef, code: string, msg: string): HeaderResult {
  return { kind: 'error', file: ref.file, code, message: `${ref.file}: ${msg}` };
}

function isPrefix(bytes: Uint8Array, ref: HeaderRef): boolean {
  return ref.totalBytes !== undefined && bytes.length < ref.totalBytes;
}

/**
 * Parses one file's header. `bytes` may be only the beginning of the file (pass
 * `ref.totalBytes`): the data set is read up to the Pixel Data element, and
 * DICOM_NEED_MORE_BYTES asks the host for more when the header runs past the prefix.
 */
export function parseHeader(bytes: Uint8Array, ref: HeaderRef): HeaderResult {
  try {
    return parseHeaderUnsafe(bytes, ref);
  } catch (e) {
    // Defence in depth: parseHeaderUnsafe catches parser exceptions; anything here is a bug
    // in our reading of a malformed file, still reported as a coded error, never thrown.
    return error(ref, HEADER_ERROR.UNEXPECTED, `unreadable DICOM (${message(e).slice(0, 120)})`);
  }
}

function parseHeaderUnsafe(bytes: Uint8Array, ref: HeaderRef): HeaderResult {
  const warnings: ScanWarning[] = [];
  const sniff = sniffDicom(bytes);
  if (sniff.kind === 'not-dicom') {
    if (bytes.length < 132 && isPrefix(bytes, ref)) return error(ref, HEADER_ERROR.NEED_MORE_BYTES, 'need more bytes');
    return { kind: 'skipped', file: ref.file, reason: sniff.reason };
  }
  if (sniff.kind === 'shifted') {
    return error(
      ref,
      HEADER_ERROR.STRAY_LEADING_BYTES,
      `no 'DICM' preamble and no DICOM element at byte 0; a data set appears to start at byte ${sniff.offset} ` +
        '(stray leading bytes): the file is damaged and cannot be read reliably',
    );
  }

  let transferSyntaxUid: string;
  let dataStart: number;
  let meta: DataSet | null = null;
  if (sniff.kind === 'part10') {
    try {
      meta = dicomParser.readPart10Header(bytes) as DataSet & { position: number };
    } catch (e) {
      const m = message(e);
      if (OVERRUN.test(m)) {
        if (isPrefix(bytes, ref)) return error(ref, HEADER_ERROR.NEED_MORE_BYTES, 'need more bytes');
        return error(ref, HEADER_ERROR.TRUNCATED, 'file ends inside the file meta information (group 0002)');
      }
      return error(ref, HEADER_ERROR.META_UNREADABLE, `file meta information unreadable (${m.slice(0, 100)})`);
    }
    dataStart = (meta as DataSet & { position: number }).position;
    // dicom-parser ends the meta at the first tag above group 0002; a data set that starts with
    // a lower group (0000/0001) would be swallowed. The group length, when sane, is authoritative.
    const groupLength = meta.elements.x00020000;
    if (groupLength && groupLength.length === 4 && groupLength.dataOffset + 4 <= bytes.length) {
      const metaEnd = groupLength.dataOffset + 4 + (meta.uint32('x00020000') ?? 0);
      if (metaEnd < dataStart && metaEnd > groupLength.dataOffset) {
        dataStart = metaEnd;
        for (const [k, el] of Object.entries(meta.elements)) if (el.dataOffset >= metaEnd) delete meta.elements[k];
      }
    }
    const ts = uidIn(meta, 'x00020010');
    if (ts) {
      transferSyntaxUid = ts;
    } else {
      transferSyntaxUid = inferSyntaxAfterMeta(bytes, dataStart);
      warnings.push({
        code: HEADER_WARNING.TRANSFER_SYNTAX_INFERRED,
        message: `file meta has no Transfer Syntax UID (0002,0010); the data set reads as ${TRANSFER_SYNTAXES[transferSyntaxUid].name}`,
      });
    }
  } else {
    transferSyntaxUid = sniff.transferSyntaxUid;
    dataStart = 0;
    warnings.push({
      code: HEADER_WARNING.NO_FILE_META,
      message: `no preamble or file meta; the data set reads as ${TRANSFER_SYNTAXES[transferSyntaxUid].name}`,
    });
  }

  const tsInfo = TRANSFER_SYNTAXES[transferSyntaxUid];
  if (tsInfo?.encoding === 'deflated-explicit-le' || transferSyntaxUid === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN) {
    const sopClass = meta ? uidIn(meta, 'x00020002') : null;
    return error(
      ref,
      HEADER_ERROR.DEFLATE_UNSUPPORTED,
      `transfer syntax ${transferSyntaxUid} (${tsInfo?.name ?? 'deflated'}) compresses the whole data set; ` +
        `not supported${sopClass ? ` (SOP class ${sopClass})` : ''}`,
    );
  }

  const bigEndian = transferSyntaxUid === EXPLICIT_VR_BIG_ENDIAN;
  const implicit = transferSyntaxUid === IMPLICIT_VR_LITTLE_ENDIAN;
  const parser = bigEndian ? dicomParser.bigEndianByteArrayParser : dicomParser.littleEndianByteArrayParser;
  const DataSetC = (dicomParser as unknown as { DataSet: DataSetCtor }).DataSet;
  const ByteStreamC = dicomParser.ByteStream as unknown as ByteStreamCtor;
  const elements: Record<string, Element> = {};
  const ds = new DataSetC(parser, bytes, elements);
  (ds as { warnings: string[] }).warnings = [];
  if (dataStart >= bytes.length) {
    if (isPrefix(bytes, ref)) return error(ref, HEADER_ERROR.NEED_MORE_BYTES, 'need more bytes');
    return error(ref, HEADER_ERROR.TRUNCATED, 'file ends right after the file meta information: no data set');
  }
  const stream = new ByteStreamC(parser, bytes, dataStart);
  try {
    if (implicit) parseImplicitLittleEndian(ds, stream, bytes, PIXEL_DATA);
    else if (bigEndian) dicomParser.parseDicomDataSetExplicit(ds, stream, bytes.length, { untilTag: PIXEL_DATA });
    else parseExplicitLittleEndian(ds, stream, bytes, PIXEL_DATA);
  } catch (e) {
    const m = message(e);
    if (isPrefix(bytes, ref)) return error(ref, HEADER_ERROR.NEED_MORE_BYTES, 'need more bytes');
    const tags = Object.keys(elements).sort();
    const last = tags.length ? ` after element ${tagName(tags[tags.length - 1])}` : '';
    if (OVERRUN.test(m)) {
      return error(ref, HEADER_ERROR.TRUNCATED, `file ends inside the data set${last} (${bytes.length} bytes)`);
    }
    return error(ref, HEADER_ERROR.MALFORMED, `data set unreadable${last} (${m.slice(0, 100)})`);
  }
  // A prefix that ended on an element boundary before Pixel Data has not shown the whole header
  // (objects without pixels — RT structure sets — are read to the end of the file).
  if (!elements[PIXEL_DATA] && isPrefix(bytes, ref)) return error(ref, HEADER_ERROR.NEED_MORE_BYTES, 'need more bytes');
  for (const w of (ds as { warnings?: string[] }).warnings ?? []) {
    warnings.push({ code: HEADER_WARNING.PARSER_WARNING, message: w.slice(0, 160) });
  }

  const r = new Reader(ds, warnings);
  let sopClassUid = r.str('x00080016');
  let sopInstanceUid = r.str('x00080018');
  const metaSopClass = meta ? uidIn(meta, 'x00020002') : null;
  const metaSopInstance = meta ? uidIn(meta, 'x00020003') : null;
  if (!sopInstanceUid && metaSopInstance) {
    sopInstanceUid = metaSopInstance;
    warnings.push({
      code: HEADER_WARNING.SOP_INSTANCE_UID_FROM_META,
      message: 'SOP Instance UID (0008,0018) is empty in the data set; taken from the file meta (0002,0003)',
    });
  }
  if (!sopClassUid && metaSopClass) {
    sopClassUid = metaSopClass;
    warnings.push({
      code: HEADER_WARNING.SOP_CLASS_UID_FROM_META,
      message: 'SOP Class UID (0008,0016) is empty in the data set; taken from the file meta (0002,0002)',
    });
  }
  if (sopClassUid === MEDIA_STORAGE_DIRECTORY) {
    return { kind: 'skipped', file: ref.file, reason: 'DICOMDIR (media index): not needed, the files are scanned directly' };
  }
  if (!sopClassUid && !r.str('x00080060')) {
    const inferred = warnings.some((w) => w.code === HEADER_WARNING.TRANSFER_SYNTAX_INFERRED)
      ? '; the file meta also lacks the Transfer Syntax UID (0002,0010)'
      : '';
    return error(
      ref,
      HEADER_ERROR.NO_SOP_CLASS,
      `neither SOP Class UID (0008,0016) nor Modality (0008,0060) in the data set${inferred}: not a usable DICOM object`,
    );
  }

  const pixel = elements[PIXEL_DATA];
  if (pixel) {
    const fileLength = ref.totalBytes ?? bytes.length;
    if (!pixel.hadUndefinedLength && pixel.dataOffset + pixel.length > fileLength) {
      return error(
        ref,
        HEADER_ERROR.PIXEL_DATA_TRUNCATED,
        `Pixel Data (7FE0,0010) declares ${pixel.length} bytes but the file holds ${Math.max(0, fileLength - pixel.dataOffset)}`,
      );
    }
  }

  const rows = r.us('x00280010');
  const columns = r.us('x00280011');
  if (!pixel && rows && columns && !NON_IMAGE_MODALITIES.has(r.str('x00080060'))) {
    return error(
      ref,
      HEADER_ERROR.PIXEL_DATA_MISSING,
      `image of ${rows}×${columns} without Pixel Data (7FE0,0010): the file ends after ${bytes.length} bytes of header (truncated?)`,
    );
  }
  const bitsAllocated = r.us('x00280100');
  const samplesPerPixel = r.us('x00280002');
  const numberOfFrames = r.is1('x00280008');
  if (pixel && !pixel.hadUndefinedLength && rows && columns && bitsAllocated) {
    const expected = Math.ceil((rows * columns * (samplesPerPixel ?? 1) * (numberOfFrames ?? 1) * bitsAllocated) / 8);
    if (pixel.length < expected) {
      return error(
        ref,
        HEADER_ERROR.PIXEL_DATA_TRUNCATED,
        `Pixel Data (7FE0,0010) holds ${pixel.length} bytes where ${rows}×${columns}×${numberOfFrames ?? 1} frames ` +
          `at ${bitsAllocated} bits need ${expected}`,
      );
    }
  }

  const ipp = r.dsN('x00200032', 3);
  const iop = r.dsN('x00200037', 6);
  const ps = r.dsN('x00280030', 2);
  const refs = collectReferences(ds);
  const header: ParsedHeader = {
    fileId: ref.fileId,
    file: ref.file,
    transferSyntaxUid,
    sopClassUid,
    sopInstanceUid,
    modality: r.str('x00080060'),
    patientName: r.str('x00100010'),
    patientId: r.str('x00100020'),
    studyInstanceUid: r.str('x0020000d'),
    studyDate: r.str('x00080020'),
    studyDescription: r.str('x00081030'),
    seriesInstanceUid: r.str('x0020000e'),
    seriesNumber: r.is1('x00200011'),
    seriesDescription: r.str('x0008103e'),
    instanceNumber: r.is1('x00200013'),
    frameOfReferenceUid: r.strOrNull('x00200052'),
    imagePositionPatient: ipp ? [ipp[0], ipp[1], ipp[2]] : null,
    imageOrientationPatient: iop,
    pixelSpacingMm: ps ? [ps[0], ps[1]] : null,
    sliceThicknessMm: r.ds1('x00180050'),
    spacingBetweenSlicesMm: r.ds1('x00180088'),
    rows,
    columns,
    numberOfFrames,
    samplesPerPixel,
    bitsAllocated,
    bitsStored: r.us('x00280101'),
    pixelRepresentation: r.us('x00280103'),
    rescaleSlope: r.ds1('x00281053'),
    rescaleIntercept: r.ds1('x00281052'),
    convolutionKernel: r.values('x00181210').filter(Boolean).join('\\') || null,
    gantryTiltDeg: r.ds1('x00181120'),
    imageType: r.values('x00080008'),
    hasPixelData: pixel !== undefined,
    referencedFrameOfReferenceUids: refs.frames,
    referencedSeriesInstanceUids: refs.series,
    referencedSopInstanceUids: refs.sops,
    warnings,
  };
  return { kind: 'instance', header };
}
