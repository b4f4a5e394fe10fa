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
import { KEPT_COUNT, SLOT } from './tags';
import { Reader } from './values';

const FIELDS: readonly (HeaderField | undefined)[] = FIELD_BY_SLOT;
const SOP_INSTANCE_SLOT = SLOT.sopInstanceUid;
const PIXEL_DATA_SLOT = SLOT.pixelData;
const startsLikeSeq = startsLikeSequence;
/** Bytes before 'DICM': free content, never read. */
const PREAMBLE_BYTES = 128;
/** Headers are compared 8 bytes at a time (as Float64Array words). */
const WORD_BYTES = 8;
const WORD_SHIFT = 3;
/** The first byte of an item or delimiter tag (FFFE,E000 / FFFE,E0DD little endian): what a sequence's value starts with. */
const ITEM_TAG_FIRST_BYTE = 0xfe;
/**
 * Values that differ from file to file by nature (each instance has its own UID, position and
 * number): read again in every repeat, never compared.
 */
const PER_INSTANCE = new Uint8Array(KEPT_COUNT);
for (const slot of [SOP_INSTANCE_SLOT, SLOT.imagePositionPatient, SLOT.instanceNumber]) PER_INSTANCE[slot] = 1;

interface Remembered {
  /** The header's bytes up to the value of Pixel Data (a copy, 8-byte aligned), and as 8-byte words. */
  bytes: Uint8Array;
  words: Float64Array;
  /** The same words as 4-byte integers (a word equal bit for bit but not as a double: NaN, ±0). */
  halves: Int32Array;
  /**
   * Which bytes must be equal, as 4-byte masks over `halves` (0xFF per byte): all but those of
   * values no check or field reads (a time, a private block, a comment…) and of the per-instance
   * values. Those may differ freely, and are nearly all of a header's changing bytes: a word that
   * differs only there costs two integer compares.
   */
  mustMatch: Int32Array;
  /** Where the free values start when the element loop looked at their first bytes (implicit VR, `checkHead`). */
  freeHeads: Int32Array;
  /** The per-instance values this layout holds (slots), read again in every repeat. */
  perInstance: number[];
  /**
   * The runs of words to compare, [start, end) pairs of word indices: every word but those lying
   * wholly inside a free value (mustMatch), which need not be loaded at all.
   */
  compareRuns: Int32Array;
  ranges: ValueRanges;
  kept: KeptElements;
  header: ParsedHeader;
}

/**
 * The last few layouts read in full, the last one matched first: in a series, UIDs and positions
 * change length now and then (and back), so consecutive files alternate between a few layouts.
 */
const LAYOUTS_KEPT = 8;
let remembered: Remembered[] = [];

/** Forget the remembered headers (tests; a host that wants no state kept between files). */
export function forgetRepeatedHeaders(): void {
  remembered = [];
}

/**
 * Keep a header read in full for the next file: only a plain one (little endian, file meta read
 * without dicom-parser, no warning, Pixel Data present, no sequence items kept).
 */
export function rememberHeader(bytes: Uint8Array, ranges: ValueRanges, kept: KeptElements, header: ParsedHeader): void {
  const end = kept.offset[PIXEL_DATA_SLOT];
  // The oldest layout's storage is reused for the newest.
  const r: Remembered =
    remembered.length === LAYOUTS_KEPT
      ? remembered.pop()!
      : { bytes: new Uint8Array(0), words: new Float64Array(0), halves: new Int32Array(0), mustMatch: new Int32Array(0), freeHeads: new Int32Array(0), perInstance: [], compareRuns: new Int32Array(0), ranges: new ValueRanges(), kept: new KeptElements(), header };
  const words = new Float64Array((end + 7) >> 3);
  r.bytes = new Uint8Array(words.buffer, 0, end);
  r.bytes.set(bytes.subarray(0, end));
  r.words = words.subarray(0, end >> 3);
  r.halves = new Int32Array(words.buffer, 0, r.words.length * 2);
  r.compareRuns = compareRuns(ranges, r.words.length);
  r.mustMatch = mustMatch(ranges, r.halves.length);
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
    imageOrientationPatient: h.imageOrientationPatient && h.imageOrientationPatient.slice(),
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
    referencedFrameOfReferenceUids: h.referencedFrameOfReferenceUids.slice(),
    referencedSeriesInstanceUids: h.referencedSeriesInstanceUids.slice(),
    referencedSopInstanceUids: h.referencedSopInstanceUids.slice(),
    warnings,
  };
}

/** The header of `bytes` read as a repeat of a remembered one, or null (read it in full). */
export function repeatHeader(bytes: Uint8Array, file: string, fileId: string, totalBytes: number | undefined): HeaderResult | null {
  for (let k = 0; k < remembered.length; k++) {
    const prev = remembered[k];
    const changed = changedSlots(bytes, prev);
    if (changed === null) continue;
    releaseLargeViews();
    // To the front (swapped: the order of the rest matters little, and a splice per file did).
    if (k > 0) {
      remembered[k] = remembered[0];
      remembered[0] = prev;
    }
    return repeatOf(prev, changed, bytes, file, fileId, totalBytes);
  }
  releaseLargeViews();
  return null;
}

/** A value whose bytes may differ: one nothing reads, or a per-instance one (read again anyway). */
const isFree = (ranges: ValueRanges, k: number) => ranges.slots[k] < 0 || PER_INSTANCE[ranges.slots[k]] === 1;

/** The mustMatch masks of a layout (see Remembered). */
function mustMatch(ranges: ValueRanges, halfCount: number): Int32Array {
  const masks = new Int32Array(halfCount).fill(-1);
  const bytes = new Uint8Array(masks.buffer);
  for (let k = 0; k < ranges.count; k++) if (isFree(ranges, k)) bytes.fill(0, ranges.starts[k], ranges.ends[k]);
  return masks;
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

/**
 * The runs of 8-byte words to compare, [start, end) pairs: from the end of the preamble to the
 * Pixel Data value, leaving out the words wholly inside a free value (isFree).
 */
function compareRuns(ranges: ValueRanges, wordCount: number): Int32Array {
  const runs: number[] = [];
  let w = PREAMBLE_BYTES >> WORD_SHIFT;
  for (let k = 0; k < ranges.count; k++) {
    if (!isFree(ranges, k)) continue;
    const first = (ranges.starts[k] + WORD_BYTES - 1) >> WORD_SHIFT;
    const last = Math.min(wordCount, ranges.ends[k] >> WORD_SHIFT);
    if (last <= first || last <= w) continue;
    if (first > w) runs.push(w, first);
    w = last;
  }
  if (w < wordCount) runs.push(w, wordCount);
  return Int32Array.from(runs);
}

/**
 * The kept slots whose values differ from `prev`'s (per-instance ones aside: read again anyway),
 * when every differing byte of the header lies inside a plain value; null otherwise. Compared
 * eight bytes at a time where `bytes` is aligned (nextDifference), byte by byte where not.
 */
function changedSlots(bytes: Uint8Array, prev: Remembered): number[] | null {
  const old = prev.bytes;
  const end = old.length;
  if (bytes.length < end) return null;
  // The last 8 bytes before the Pixel Data value are its tag (or VR) and length: a layout that
  // differs anywhere before them has moved them. Checked first, as layouts alternate in a series.
  // They also hold the bytes after the last whole word (end & 7), which the word runs leave out.
  for (let k = end - 8; k < end; k++) if (bytes[k] !== old[k]) return null;
  const aligned = viewWords(bytes);
  const { starts, ends, slots, checkHead, count } = prev.ranges;
  const changed: number[] = [];
  let range = 0;
  let i = PREAMBLE_BYTES;
  runAt = 0;
  while (i < end) {
    i = aligned ? nextDifference(bytes, prev, i) : firstDifference(bytes, old, i, end);
    if (i >= end) break;
    // A differing byte: it must lie inside a plain value (ranges are in file order).
    while (range < count && ends[range] <= i) range++;
    if (range === count || starts[range] > i) return null;
    // Implicit VR: the loop told this value from a sequence by its first bytes; still not one?
    if (checkHead[range] === 1 && startsLikeSeq(bytes, starts[range])) return null;
    const slot = slots[range];
    // A per-instance value is read again anyway (repeatOf).
    if (slot >= 0 && PER_INSTANCE[slot] === 0) {
      // Rows, columns, bits, frames, SOP class: checks depend on them, read in full.
      if (slot !== SOP_INSTANCE_SLOT && FIELDS[slot] === undefined) return null;
      changed.push(slot);
    }
    i = ends[range];
  }
  return headsStillPlain(bytes, prev.freeHeads) ? changed : null;
}

/**
 * The bytes being compared seen as 8-byte words and as 4-byte integers: a scan reads file after
 * file into the same small buffer, whose views are kept (found by the identity of the array: its
 * buffer and offset getters are calls); a large one (a long header read whole) is let go after
 * the compare (releaseLargeViews).
 */
const NO_WORDS = new Float64Array(0);
const NO_HALVES = new Int32Array(0);
let lastBytes: Uint8Array | null = null;
let lastAligned = false;
let lastLarge = false;
let lastWords: Float64Array<ArrayBufferLike> = NO_WORDS;
let lastHalves: Int32Array<ArrayBufferLike> = NO_HALVES;
const WORDS_KEPT_MAX_BYTES = 1 << 20;

/** Points lastWords / lastHalves at `bytes`, from its start to the end of its buffer; false when `bytes` is not 8-byte aligned (no views). */
function viewWords(bytes: Uint8Array): boolean {
  if (bytes === lastBytes) return lastAligned;
  lastBytes = bytes;
  lastAligned = bytes.byteOffset % WORD_BYTES === 0;
  lastLarge = bytes.buffer.byteLength > WORDS_KEPT_MAX_BYTES;
  if (lastAligned) {
    const words = (bytes.buffer.byteLength - bytes.byteOffset) >> 3;
    lastWords = new Float64Array(bytes.buffer, bytes.byteOffset, words);
    lastHalves = new Int32Array(bytes.buffer, bytes.byteOffset, words * 2);
  }
  return lastAligned;
}

function releaseLargeViews(): void {
  if (!lastLarge) return;
  lastBytes = null;
  lastLarge = false;
  lastWords = NO_WORDS;
  lastHalves = NO_HALVES;
}

/** First index from `i` where the bytes differ (`end` if none). */
function firstDifference(a: Uint8Array, b: Uint8Array, i: number, end: number): number {
  while (i < end && a[i] === b[i]) i++;
  return i;
}

/** The compare run nextDifference is in (runs are visited in order, header after header from 0). */
let runAt = 0;

/**
 * The first byte from `i` where `a` (seen through viewWords) differs from `prev`'s bytes in a byte
 * that must match, within the compare runs; `prev`'s length if none. The rest of `i`'s word byte
 * by byte, then whole words compared as doubles (one load for 8 bytes). A pair that is not plainly
 * equal — different, or ±0 (equal whatever the sign), or NaN (never equal) — is settled as two
 * 4-byte integers under the mustMatch mask. The bytes after the last whole word lie in the 8
 * before the end, compared already (changedSlots).
 */
function nextDifference(a: Uint8Array, prev: Remembered, i: number): number {
  const b = prev.bytes;
  const end = b.length;
  const aWords = lastWords;
  const bWords = prev.words;
  const aHalves = lastHalves;
  const bHalves = prev.halves;
  const masks = prev.mustMatch;
  const runs = prev.compareRuns;
  const wordCount = bWords.length;
  if (i >= wordCount << WORD_SHIFT) return end;
  const inWord = i & (WORD_BYTES - 1);
  if (inWord !== 0) {
    const boundary = i - inWord + WORD_BYTES;
    while (i < boundary && a[i] === b[i]) i++;
    if (i < boundary) return i;
  }
  let w = i >> WORD_SHIFT;
  for (let r = runAt; r < runs.length; r += 2) {
    const runEnd = runs[r + 1];
    if (runEnd <= w) continue;
    if (w < runs[r]) w = runs[r];
    for (;;) {
      // One load per array and word (each typed-array load also checks the buffer).
      for (; w < runEnd; w++) {
        const x = aWords[w];
        if (x !== bWords[w] || x === 0) break;
      }
      if (w === runEnd) break;
      // Not plainly equal as doubles: equal as two 4-byte integers where bytes must match (NaN or
      // ±0 bit patterns, or a free value's bytes)?
      const h = 2 * w;
      if (((aHalves[h] ^ bHalves[h]) & masks[h]) === 0 && ((aHalves[h + 1] ^ bHalves[h + 1]) & masks[h + 1]) === 0) {
        w++;
        continue;
      }
      runAt = r;
      let k = w << WORD_SHIFT;
      while (a[k] === b[k]) k++;
      return k;
    }
  }
  runAt = runs.length;
  return end;
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
