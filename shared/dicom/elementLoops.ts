/**
 * The top level of a little endian data set, read up to Pixel Data, the way dicom-parser's
 * parseDicomDataSetExplicit / parseDicomDataSetImplicit read it (same offsets, same stop, same
 * failures), ~10× faster on CT headers: a plain element (nearly every element of a header) is
 * stepped over here without building anything, and only the elements parseHeader reads
 * (tags.ts) are recorded. Anything unusual — a sequence read later, undefined lengths, unknown
 * VRs, the element at the end of the bytes, Pixel Data itself — is read by dicom-parser's own
 * readDicomElementExplicit / readDicomElementImplicit from the same position, so its checks,
 * warnings and errors are unchanged. test/unit/dicom/fastElements.test.ts holds them equal.
 */
import * as dicomParserNs from 'dicom-parser';
import type { ByteStream, Element } from 'dicom-parser';
import { KEPT_FLAG, type KeptElements } from './keptElements';
import { KEPT_KEY_LIST, META_TAG, SEQUENCES_READ, SLOT, TAG } from './tags';

// dicom-parser is CommonJS: depending on the bundler the API is the namespace or its default.
export const dicomParser: typeof dicomParserNs =
  (dicomParserNs as unknown as { default?: typeof dicomParserNs }).default ?? dicomParserNs;

export const VRS: ReadonlySet<string> = new Set([
  'AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FL', 'FD', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'PN',
  'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV',
]);

/** VR of the two bytes at an element's offset 4 (index: first byte × 256 + second), '' if none. */
const VR_BY_CODE: string[] = (() => {
  const t = new Array<string>(65536).fill('');
  for (const vr of VRS) t[(vr.charCodeAt(0) << 8) | vr.charCodeAt(1)] = vr;
  return t;
})();
/** VRs with a 2-byte reserved field and a 32-bit length (as dicom-parser's getDataLengthSizeInBytesForVR). */
const LONG_LENGTH_VRS = new Set(['OB', 'OD', 'OL', 'OW', 'SQ', 'OF', 'UC', 'UR', 'UT', 'UN']);
const LONG_LENGTH_BY_CODE: boolean[] = VR_BY_CODE.map((vr) => LONG_LENGTH_VRS.has(vr));

// Module-local copies: under CommonJS interop every use of an imported binding is a getter call.
const PIXEL_DATA = TAG.pixelData;
const PIXEL_DATA_SLOT = SLOT.pixelData;
const KEYS: readonly string[] = KEPT_KEY_LIST;
const SLOT_BY_KEY = new Map<string, number>(KEYS.map((key, slot) => [key, slot]));
const SEQUENCES: ReadonlySet<string> = SEQUENCES_READ;
const { SEQUENCE, UNDEFINED_LENGTH: UNDEFINED_LENGTH_FLAG } = KEPT_FLAG;

/**
 * group, element → slot of a kept element: an open-addressing table of numbers, probed for every
 * element of every header (no string built, no Map of non-small integers on the hot path).
 */
const TABLE_SIZE = 512;
const tableGroups = new Uint16Array(TABLE_SIZE);
const tableElements = new Uint16Array(TABLE_SIZE);
const tableSlots = new Int16Array(TABLE_SIZE).fill(-1);
const hashOf = (group: number, element: number) => ((group * 31) ^ element) & (TABLE_SIZE - 1);
KEYS.forEach((key, slot) => {
  const group = parseInt(key.slice(1, 5), 16);
  const element = parseInt(key.slice(5, 9), 16);
  let at = hashOf(group, element);
  while (tableSlots[at] !== -1) at = (at + 1) & (TABLE_SIZE - 1);
  tableGroups[at] = group;
  tableElements[at] = element;
  tableSlots[at] = slot;
});

/** Slot of a kept element (tags.ts SLOT), -1 for the others. */
export function keptSlot(group: number, element: number): number {
  for (let at = hashOf(group, element); ; at = (at + 1) & (TABLE_SIZE - 1)) {
    const slot = tableSlots[at];
    if (slot === -1 || (tableGroups[at] === group && tableElements[at] === element)) return slot;
  }
}

const PIXEL_DATA_GROUP = 0x7fe0;
const PIXEL_DATA_ELEMENT = 0x0010;
const PIXEL_DATA_TAG = PIXEL_DATA_GROUP * 65536 + PIXEL_DATA_ELEMENT;
const UNDEFINED_LENGTH = 0xffffffff;

const SQ_CODE = ('S'.charCodeAt(0) << 8) | 'Q'.charCodeAt(0);
const META_GROUP = 0x0002;
const META_GROUP_LENGTH = META_TAG.groupLength;
const META_TRANSFER_SYNTAX = META_TAG.transferSyntaxUid;
const META_KEYS = new Map<number, string>(Object.values(META_TAG).map((key) => [parseInt(key.slice(5), 16), key]));

/** What a loop has read so far, kept up to date even when it throws. */
export interface LoopState {
  /** Highest tag (group × 65536 + element) of the elements read completely; -1 before the first. */
  lastTag: number;
}

/** Records an element dicom-parser read (kept or not: the last tag read moves on). */
export function keepParsed(kept: KeptElements, element: Element, state: LoopState | null): void {
  const slot = SLOT_BY_KEY.get(element.tag);
  if (slot !== undefined) kept.setElement(slot, element);
  if (state) {
    const tag = parseInt(element.tag.slice(1), 16);
    if (tag > state.lastTag) state.lastTag = tag;
  }
}

/**
 * Explicit VR little endian, from stream.position up to Pixel Data (where the stream is left, at
 * its value) or the end of the bytes.
 */
export function parseExplicitLittleEndian(
  stream: ByteStream,
  bytes: Uint8Array,
  kept: KeptElements,
  state: LoopState,
  warnings: string[],
): void {
  const end = bytes.length;
  let p = stream.position;
  while (p < end) {
    if (p + 12 <= end) {
      const code = (bytes[p + 4] << 8) | bytes[p + 5];
      const vr = VR_BY_CODE[code];
      if (vr !== '' && vr !== 'SQ') {
        const long = LONG_LENGTH_BY_CODE[code];
        const length = long ? u32le(bytes, p + 8) : bytes[p + 6] | (bytes[p + 7] << 8);
        const group = bytes[p] | (bytes[p + 1] << 8);
        const element = bytes[p + 2] | (bytes[p + 3] << 8);
        const dataOffset = p + (long ? 12 : 8);
        if (group === PIXEL_DATA_GROUP && element === PIXEL_DATA_ELEMENT) {
          // Where dicom-parser stops (untilTag): right after the length, undefined or not.
          kept.set(PIXEL_DATA_SLOT, dataOffset, length, length === UNDEFINED_LENGTH ? UNDEFINED_LENGTH_FLAG : 0);
          if (PIXEL_DATA_TAG > state.lastTag) state.lastTag = PIXEL_DATA_TAG;
          stream.position = dataOffset;
          return;
        }
        if (length !== UNDEFINED_LENGTH) {
          const slot = keptSlot(group, element);
          if (slot >= 0) kept.set(slot, dataOffset, length, 0);
          const tag = group * 65536 + element;
          if (tag > state.lastTag) state.lastTag = tag;
          p = dataOffset + length;
          continue;
        }
      }
    }
    stream.position = p;
    const element = dicomParser.readDicomElementExplicit(stream, warnings, PIXEL_DATA);
    keepParsed(kept, element, state);
    if (element.tag === PIXEL_DATA) return;
    p = stream.position;
  }
  stream.position = p;
  if (p > end) throw 'dicomParser:parseDicomDataSetExplicit: buffer overrun';
}

/**
 * Implicit VR little endian, as parseExplicitLittleEndian: a defined-length element not followed
 * by a sequence item / delimiter tag (dicom-parser's own sequence test) is stepped over here, and
 * so is a sequence parseHeader does not read (walked on dicom-parser's path without building its items).
 */
export function parseImplicitLittleEndian(stream: ByteStream, bytes: Uint8Array, kept: KeptElements, state: LoopState): void {
  const end = bytes.length;
  let p = stream.position;
  while (p < end) {
    if (p + 12 <= end) {
      const group = bytes[p] | (bytes[p + 1] << 8);
      const element = bytes[p + 2] | (bytes[p + 3] << 8);
      const length = u32le(bytes, p + 4);
      const data = p + 8;
      if (group === PIXEL_DATA_GROUP && element === PIXEL_DATA_ELEMENT) {
        kept.set(PIXEL_DATA_SLOT, data, length, length === UNDEFINED_LENGTH ? UNDEFINED_LENGTH_FLAG : 0);
        if (PIXEL_DATA_TAG > state.lastTag) state.lastTag = PIXEL_DATA_TAG;
        stream.position = data;
        return;
      }
      const slot = keptSlot(group, element);
      const isPrivate = group % 2 === 1;
      let next = -1;
      if (readsAsSequence(bytes, p, length)) {
        next = slot >= 0 && SEQUENCES.has(KEYS[slot]) ? -1 : implicitElementEnd(bytes, p, 0);
        if (next >= 0 && slot >= 0) {
          // As dicom-parser leaves it: items (empty here: never read) unless private; an
          // undefined length becomes the length up to the delimiter.
          const undefinedLength = length === UNDEFINED_LENGTH;
          kept.set(slot, data, undefinedLength ? next - 8 - data : length, (isPrivate ? 0 : SEQUENCE) | (undefinedLength ? UNDEFINED_LENGTH_FLAG : 0));
        }
      } else if (length !== UNDEFINED_LENGTH) {
        next = data + length;
        if (slot >= 0) kept.set(slot, data, length, 0);
      }
      if (next >= 0) {
        const tag = group * 65536 + element;
        if (tag > state.lastTag) state.lastTag = tag;
        p = next;
        continue;
      }
    }
    stream.position = p;
    const element = dicomParser.readDicomElementImplicit(stream, PIXEL_DATA);
    keepParsed(kept, element, state);
    if (element.tag === PIXEL_DATA) return;
    p = stream.position;
  }
  stream.position = p;
}

// Walking an unread implicit VR sequence exactly where dicom-parser's readSequenceItemsImplicit
// would go (its sequence test, item and delimiter handling); each returns the offset after what
// it walked, or -1 where dicom-parser would throw, warn or search — it then reads the element itself.
const IMPLICIT_SKIP_MAX_DEPTH = 16;
const u32le = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
const isItemTagAt = (b: Uint8Array, at: number, lo: number) => b[at] === 0xfe && b[at + 1] === 0xff && b[at + 2] === lo && b[at + 3] === 0xe0;

/** Value bytes at `at` that start with an item or a sequence delimiter tag: dicom-parser's sequence test. */
export const startsLikeSequence = (b: Uint8Array, at: number) => isItemTagAt(b, at, 0x00) || isItemTagAt(b, at, 0xdd);

/** dicom-parser reads the implicit VR element at `at` as a sequence (private ones only with an undefined length). */
function readsAsSequence(b: Uint8Array, at: number, length: number): boolean {
  return startsLikeSequence(b, at + 8) && (b[at] % 2 === 0 || length === UNDEFINED_LENGTH);
}

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
  if (length !== UNDEFINED_LENGTH) {
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
  if (readsAsSequence(b, at, length)) {
    if (length === UNDEFINED_LENGTH) {
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
  if (length === UNDEFINED_LENGTH) return -1;
  return data + length;
}

/**
 * The file meta information (group 0002, explicit VR little endian, from byte 132) as
 * dicom-parser's readPart10Header reads it — the elements kept (META_TAG) and the position of the
 * data set — when every meta element is plain and the first data set element is one that
 * readPart10Header reads through without a sequence or a search (it reads it, then steps back).
 * null for anything else: readPart10Header then reads it, with its errors.
 */
export function readFileMeta(bytes: Uint8Array): { elements: Record<string, Element>; position: number } | null {
  const elements: Record<string, Element> = {};
  for (let p = 132; ; ) {
    if (p + 12 > bytes.length) return null;
    const group = bytes[p] | (bytes[p + 1] << 8);
    const element = bytes[p + 2] | (bytes[p + 3] << 8);
    const code = (bytes[p + 4] << 8) | bytes[p + 5];
    const long = LONG_LENGTH_BY_CODE[code];
    const length = long ? u32le(bytes, p + 8) : bytes[p + 6] | (bytes[p + 7] << 8);
    if (code === SQ_CODE || length === UNDEFINED_LENGTH) return null;
    if (group > META_GROUP) return { elements, position: p };
    const vr = VR_BY_CODE[code];
    if (group < META_GROUP || vr === '') return null;
    const dataOffset = p + (long ? 12 : 8);
    const key = META_KEYS.get(element);
    if (key !== undefined) elements[key] = { tag: key, vr, length, dataOffset } as Element;
    // The group length and the transfer syntax decide how the rest is read: not plain values.
    p = dataOffset + length;
  }
}
