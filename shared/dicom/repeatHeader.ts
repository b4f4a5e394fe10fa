/**
 * The files of a series repeat one another's header byte for byte, except a few values (SOP
 * Instance UID, position, instance number, times…). When a header has the layout of one read in
 * full — same bytes up to Pixel Data except inside plain values, so every element lies where it
 * lay — only the values that differ, and the per-instance ones, are read again; the rest of the
 * result is the remembered one's. Anything else (a length that changed, a value a check depends
 * on, a warning) gives null and parseHeader reads the file in full.
 * test/unit/dicom/repeatHeader.test.ts holds the two equal, file for file, on the real series
 * and on mutations of them.
 */
import type { HeaderResult, ParsedHeader, ScanWarning } from '../schemas/scan';
import { startsLikeSequence } from './elementLoops';
import { FIELD_BY_SLOT, type HeaderField } from './headerFields';
import { KeptElements, ValueRanges } from './keptElements';
import { compareMemory, LAYOUT_AREAS, MAX_LAYOUT_BYTES } from './maskedCompare';
import { KEPT_COUNT, SLOT } from './tags';
import { Reader } from './values';

const FIELDS: readonly (HeaderField | undefined)[] = FIELD_BY_SLOT;
const SOP_INSTANCE_SLOT = SLOT.sopInstanceUid;
const PIXEL_DATA_SLOT = SLOT.pixelData;
const startsLikeSeq = startsLikeSequence;
/** Bytes before 'DICM': free content, never read. */
const PREAMBLE_BYTES = 128;
/** The first byte of an item or delimiter tag (FFFE,E000 / FFFE,E0DD little endian): what a sequence's value starts with. */
const ITEM_TAG_FIRST_BYTE = 0xfe;
/**
 * Values that differ from file to file by nature (each instance has its own UID, position and
 * number): read again in every repeat, never compared.
 */
const PER_INSTANCE = new Uint8Array(KEPT_COUNT);
for (const slot of [SOP_INSTANCE_SLOT, SLOT.imagePositionPatient, SLOT.instanceNumber]) PER_INSTANCE[slot] = 1;

interface Remembered {
  /** Its area in the compare memory (maskedCompare.ts): its bytes and mask live there. */
  area: number;
  /** The header's bytes up to the value of Pixel Data (a view of its area). */
  bytes: Uint8Array;
  /** Where the free values start when the element loop looked at their first bytes (implicit VR, `checkHead`). */
  freeHeads: Int32Array;
  /** The per-instance values this layout holds (slots), read again in every repeat. */
  perInstance: number[];
  ranges: ValueRanges;
  kept: KeptElements;
  header: ParsedHeader;
}

/** The last few layouts read in full (one per area of the compare memory), the last one matched first. */
const LAYOUTS_KEPT = LAYOUT_AREAS;
let remembered: Remembered[] = [];

/** Forget the remembered headers (tests; a host that wants no state kept between files). */
export function forgetRepeatedHeaders(): void {
  remembered = [];
}

/**
 * Keep a header read in full for the next file: only a plain one (little endian, file meta read
 * without dicom-parser, no warning, Pixel Data present, no sequence items kept), short enough for
 * an area of the compare memory.
 */
export function rememberHeader(bytes: Uint8Array, ranges: ValueRanges, kept: KeptElements, header: ParsedHeader): void {
  const end = kept.offset[PIXEL_DATA_SLOT];
  const memory = compareMemory();
  if (memory === null || end > MAX_LAYOUT_BYTES) return;
  // The oldest layout's area and storage are reused for the newest.
  const r: Remembered =
    remembered.length === LAYOUTS_KEPT
      ? remembered.pop()!
      : { area: remembered.length, bytes: new Uint8Array(0), freeHeads: new Int32Array(0), perInstance: [], ranges: new ValueRanges(), kept: new KeptElements(), header };
  r.bytes = memory.layoutBytes(r.area).subarray(0, end);
  r.bytes.set(bytes.subarray(0, end));
  writeMask(memory.layoutMask(r.area), ranges, end);
  r.freeHeads = freeHeads(ranges);
  r.perInstance = [];
  for (let k = 0; k < ranges.count; k++) if (ranges.slots[k] >= 0 && PER_INSTANCE[ranges.slots[k]] === 1) r.perInstance.push(ranges.slots[k]);
  r.ranges.copyFrom(ranges);
  r.kept.copyFrom(kept);
  // A copy: the caller owns the header it was given, and may change it.
  r.header = copyHeader(header, header.fileId, header.file, []);
  remembered.unshift(r);
}

/**
 * A header with its own arrays (nothing shared between the results of two files). Written out
 * field by field, in parseHeader's order: every header then has one object shape, where a spread
 * of headers of several origins made the copy a slow generic clone.
 */
function copyHeader(h: ParsedHeader, fileId: string, file: string, warnings: ScanWarning[]): ParsedHeader {
  const position = h.imagePositionPatient;
  const spacing = h.pixelSpacingMm;
  const o = h.imageOrientationPatient;
  return {
    fileId,
    file,
    transferSyntaxUid: h.transferSyntaxUid,
    sopClassUid: h.sopClassUid,
    sopInstanceUid: h.sopInstanceUid,
    modality: h.modality,
    patientName: h.patientName,
    patientId: h.patientId,
    studyInstanceUid: h.studyInstanceUid,
    studyDate: h.studyDate,
    studyDescription: h.studyDescription,
    seriesInstanceUid: h.seriesInstanceUid,
    seriesNumber: h.seriesNumber,
    seriesDescription: h.seriesDescription,
    instanceNumber: h.instanceNumber,
    frameOfReferenceUid: h.frameOfReferenceUid,
    imagePositionPatient: position && [position[0], position[1], position[2]],
    imageOrientationPatient: o && (o.length === 6 ? [o[0], o[1], o[2], o[3], o[4], o[5]] : o.slice()),
    pixelSpacingMm: spacing && [spacing[0], spacing[1]],
    sliceThicknessMm: h.sliceThicknessMm,
    spacingBetweenSlicesMm: h.spacingBetweenSlicesMm,
    rows: h.rows,
    columns: h.columns,
    numberOfFrames: h.numberOfFrames,
    samplesPerPixel: h.samplesPerPixel,
    bitsAllocated: h.bitsAllocated,
    bitsStored: h.bitsStored,
    pixelRepresentation: h.pixelRepresentation,
    rescaleSlope: h.rescaleSlope,
    rescaleIntercept: h.rescaleIntercept,
    convolutionKernel: h.convolutionKernel,
    gantryTiltDeg: h.gantryTiltDeg,
    imageType: h.imageType.slice(),
    hasPixelData: h.hasPixelData,
    referencedFrameOfReferenceUids: copyList(h.referencedFrameOfReferenceUids),
    referencedSeriesInstanceUids: copyList(h.referencedSeriesInstanceUids),
    referencedSopInstanceUids: copyList(h.referencedSopInstanceUids),
    warnings,
  };
}

/** A list's copy; an empty one (a CT image references nothing) without the generic array clone. */
const copyList = (xs: string[]): string[] => (xs.length === 0 ? [] : xs.slice());

/** The header of `bytes` read as a repeat of a remembered one, or null (read it in full). */
export function repeatHeader(bytes: Uint8Array, file: string, fileId: string, totalBytes: number | undefined): HeaderResult | null {
  inputBytes = bytes === readBuffer ? bytes.length : 0;
  for (let k = 0; k < remembered.length; k++) {
    const prev = remembered[k];
    const changed = changedSlots(bytes, prev);
    if (changed === null) continue;
    // To the front (swapped: the order of the rest matters little, and a splice per file did).
    if (k > 0) {
      remembered[k] = remembered[0];
      remembered[0] = prev;
    }
    return repeatOf(prev, changed, bytes, file, fileId, totalBytes);
  }
  return null;
}

/** A value whose bytes may differ: one nothing reads, or a per-instance one (read again anyway). */
const isFree = (ranges: ValueRanges, k: number) => ranges.slots[k] < 0 || PER_INSTANCE[ranges.slots[k]] === 1;

/**
 * A layout's mask: 0xFF where the bytes must match; 0 in the preamble, past the end, and in the
 * values no check or field reads (a time, a private block, a comment…) and the per-instance ones.
 * Those may differ freely, and are nearly all of a header's changing bytes.
 */
function writeMask(mask: Uint8Array, ranges: ValueRanges, end: number): void {
  mask.fill(0, 0, PREAMBLE_BYTES);
  mask.fill(0xff, PREAMBLE_BYTES, end);
  mask.fill(0, end);
  for (let k = 0; k < ranges.count; k++) if (isFree(ranges, k)) mask.fill(0, ranges.starts[k], ranges.ends[k]);
}

/** Where the free implicit VR values start: each must still not start like a sequence (headsStillPlain). */
function freeHeads(ranges: ValueRanges): Int32Array {
  const heads: number[] = [];
  for (let k = 0; k < ranges.count; k++) if (isFree(ranges, k) && ranges.checkHead[k] === 1) heads.push(ranges.starts[k]);
  return Int32Array.from(heads);
}

/**
 * None of the free implicit VR values starts like a sequence in `bytes` (the element loop looked
 * at those bytes to tell a value from a sequence; the compare does not).
 */
function headsStillPlain(bytes: Uint8Array, heads: Int32Array): boolean {
  for (let k = 0; k < heads.length; k++) {
    const at = heads[k];
    if (bytes[at] === ITEM_TAG_FIRST_BYTE && startsLikeSeq(bytes, at)) return false;
  }
  return true;
}

/** How many of the current file's bytes are in the compare memory's input area (repeatHeader). */
let inputBytes = 0;
/** The last buffer handed out by headerReadBuffer. */
let readBuffer: Uint8Array | null = null;

/**
 * A buffer of `size` bytes to read headers into, one after another (the scan's): a header read
 * there is compared where it lies, without a copy. It is the compare memory's input area, so
 * parsing a header held in another array overwrites it: read into it only what is parsed next.
 */
export function headerReadBuffer(size: number): Uint8Array {
  const memory = compareMemory();
  readBuffer = memory !== null && size <= MAX_LAYOUT_BYTES ? memory.readBuffer(size) : new Uint8Array(size);
  return readBuffer;
}

/**
 * The kept slots whose values differ from `prev`'s (per-instance ones aside: read again anyway),
 * when every differing byte of the header lies inside a plain value; null otherwise.
 */
function changedSlots(bytes: Uint8Array, prev: Remembered): number[] | null {
  const old = prev.bytes;
  const end = old.length;
  if (bytes.length < end) return null;
  // The last 8 bytes before the Pixel Data value are its tag (or VR) and length: a layout that
  // differs anywhere before them has moved them. Checked first, as layouts alternate in a series.
  for (let k = end - 8; k < end; k++) if (bytes[k] !== old[k]) return null;
  const memory = compareMemory()!;
  if (inputBytes < end) {
    memory.input.set(bytes.subarray(inputBytes, end), inputBytes);
    inputBytes = end;
  }
  const { starts, ends, slots, checkHead, count } = prev.ranges;
  const changed: number[] = [];
  let range = 0;
  let i = PREAMBLE_BYTES;
  for (;;) {
    i = memory.firstDifference(prev.area, i, end);
    if (i >= end) break;
    // A byte that must match differs: it must lie inside a kept value (ranges are in file order).
    while (range < count && ends[range] <= i) range++;
    if (range === count || starts[range] > i) return null;
    // Implicit VR: the loop told this value from a sequence by its first bytes; still not one?
    if (checkHead[range] === 1 && startsLikeSeq(bytes, starts[range])) return null;
    // Rows, columns, bits, frames, SOP class: checks depend on them, read in full.
    const slot = slots[range];
    if (FIELDS[slot] === undefined) return null;
    changed.push(slot);
    i = ends[range];
  }
  return headsStillPlain(bytes, prev.freeHeads) ? changed : null;
}

function repeatOf(prev: Remembered, changed: number[], bytes: Uint8Array, file: string, fileId: string, totalBytes: number | undefined): HeaderResult | null {
  // The one check that depends on the file beyond its header: does the file hold its pixels?
  if (!prev.kept.fitsIn(PIXEL_DATA_SLOT, totalBytes ?? bytes.length)) return null;
  const warnings: ScanWarning[] = [];
  const header = copyHeader(prev.header, fileId, file, warnings);
  if (changed.length + prev.perInstance.length > 0) {
    const r = new Reader(bytes, prev.kept, true, warnings);
    if (!readAgain(header, r, prev.perInstance) || !readAgain(header, r, changed) || warnings.length > 0) return null;
  }
  return { kind: 'instance', header };
}

/** Fills the fields of `slots` from `r`; false when the SOP Instance UID is empty (parseHeader takes the file meta's, with a warning). */
function readAgain(header: ParsedHeader, r: Reader, slots: number[]): boolean {
  for (const slot of slots) {
    if (slot !== SOP_INSTANCE_SLOT) FIELDS[slot]!.fill(header, r);
    else if ((header.sopInstanceUid = r.str(slot)) === '') return false;
  }
  return true;
}
