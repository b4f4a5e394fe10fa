/**
 * Header parsing: DICOM bytes → ParsedHeader, with dicom-parser, without pixel decoding.
 * Never throws: every failure becomes a coded error value naming the file (no patient data).
 * Pure TS (runs in Node, worker threads and a browser Web Worker).
 *
 * dicom-parser reads the file meta and the data set's top level up to Pixel Data; this file
 * adds what a scan needs on top: recognising damaged and raw files, coded errors, strict values
 * (values.ts) and the references of RT and other non-image objects.
 */
import * as dicomParserNs from 'dicom-parser';
import type { ByteStream as ByteStreamT, DataSet, Element } from 'dicom-parser';
import { ITEM_TAG, META_TAG, TAG } from './tags';
import { HEADER_ERROR, HEADER_WARNING } from './headerCodes';
import { itemDataSets, items, Reader, tagName, uidIn } from './values';
import { HEADER_FIELDS } from './headerFields';
import type { HeaderResult, ParsedHeader, ScanWarning } from '../schemas/scan';
import {
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_BIG_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
  TRANSFER_SYNTAXES,
} from './transferSyntaxes';

export { HEADER_ERROR, HEADER_WARNING } from './headerCodes';

// dicom-parser is CommonJS: depending on the bundler the API is the namespace or its default.
const dicomParser: typeof dicomParserNs = (dicomParserNs as unknown as { default?: typeof dicomParserNs }).default ?? dicomParserNs;

const VRS: ReadonlySet<string> = new Set([
  'AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FL', 'FD', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'PN',
  'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV',
]);

type DataSetCtor = new (parser: unknown, bytes: Uint8Array, elements: Record<string, Element>) => DataSet;
type ByteStreamCtor = new (parser: unknown, bytes: Uint8Array, position: number) => ByteStreamT;
const DataSetC = (dicomParser as unknown as { DataSet: DataSetCtor }).DataSet;
const ByteStreamC = dicomParser.ByteStream as unknown as ByteStreamCtor;

const MEDIA_STORAGE_DIRECTORY = '1.2.840.10008.1.3.10';
/** Objects that may carry Rows/Columns without pixels of their own (e.g. SEG references, SR). */
const NON_IMAGE_MODALITIES = new Set(['RTSTRUCT', 'RTPLAN', 'RTRECORD', 'SR', 'PR', 'KO', 'REG', 'DOC']);
/** How far past byte 0 we look for a data set that starts late (stray bytes before it). */
const STRAY_BYTES_SEARCH_LIMIT = 16;


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

function collectReferences(elements: Record<string, Element>): { frames: string[]; series: string[]; sops: string[] } {
  const topItems = (tag: string): DataSet[] => itemDataSets(elements[tag]);
  const frames = new Set<string>();
  const series = new Set<string>();
  const sops = new Set<string>();
  const addSops = (sequence: DataSet[]) => {
    for (const img of sequence) {
      const uid = uidIn(img, ITEM_TAG.referencedSopInstanceUid);
      if (uid) sops.add(uid);
    }
  };
  // RTSTRUCT: Referenced Frame of Reference Sequence → RT Referenced Study → RT Referenced Series.
  for (const f of topItems(TAG.referencedFrameOfReferenceSequence)) {
    const uid = uidIn(f, ITEM_TAG.frameOfReferenceUid);
    if (uid) frames.add(uid);
    for (const study of items(f, ITEM_TAG.rtReferencedStudySequence)) {
      for (const s of items(study, ITEM_TAG.rtReferencedSeriesSequence)) {
        const su = uidIn(s, ITEM_TAG.seriesInstanceUid);
        if (su) series.add(su);
        addSops(items(s, ITEM_TAG.contourImageSequence));
      }
    }
  }
  // RTSTRUCT: Structure Set ROI Sequence → Referenced Frame of Reference UID.
  for (const roi of topItems(TAG.structureSetRoiSequence)) {
    const uid = uidIn(roi, ITEM_TAG.referencedFrameOfReferenceUid);
    if (uid) frames.add(uid);
  }
  // RTSTRUCT: ROI Contour Sequence → Contour Sequence → Contour Image Sequence.
  for (const rc of topItems(TAG.roiContourSequence)) for (const c of items(rc, ITEM_TAG.contourSequence)) addSops(items(c, ITEM_TAG.contourImageSequence));
  // RTPLAN → structure set; RTDOSE → plan; SEG/SR/others → Referenced Series Sequence.
  addSops(topItems(TAG.referencedStructureSetSequence));
  addSops(topItems(TAG.referencedRtPlanSequence));
  for (const s of topItems(TAG.referencedSeriesSequence)) {
    const su = uidIn(s, ITEM_TAG.seriesInstanceUid);
    if (su) series.add(su);
  }
  return { frames: [...frames], series: [...series], sops: [...sops] };
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
    const groupLength = meta.elements[META_TAG.groupLength];
    if (groupLength && groupLength.length === 4 && groupLength.dataOffset + 4 <= bytes.length) {
      const metaEnd = groupLength.dataOffset + 4 + (meta.uint32(META_TAG.groupLength) ?? 0);
      if (metaEnd < dataStart && metaEnd > groupLength.dataOffset) {
        dataStart = metaEnd;
        for (const [k, el] of Object.entries(meta.elements)) if (el.dataOffset >= metaEnd) delete meta.elements[k];
      }
    }
    const ts = uidIn(meta, META_TAG.transferSyntaxUid);
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
    const sopClass = meta ? uidIn(meta, META_TAG.mediaStorageSopClassUid) : null;
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
  if (dataStart >= bytes.length) {
    if (isPrefix(bytes, ref)) return error(ref, HEADER_ERROR.NEED_MORE_BYTES, 'need more bytes');
    return error(ref, HEADER_ERROR.TRUNCATED, 'file ends right after the file meta information: no data set');
  }
  const stream = new ByteStreamC(parser, bytes, dataStart);
  const parserWarnings: string[] = [];
  // The top-level elements up to Pixel Data, by tag (dicom-parser's keys, as in tags.ts TAG).
  const elements: Record<string, Element> = {};
  const dataSet = new DataSetC(parser, bytes, elements);
  (dataSet as { warnings: string[] }).warnings = parserWarnings;
  try {
    if (implicit) dicomParser.parseDicomDataSetImplicit(dataSet, stream, bytes.length, { untilTag: TAG.pixelData });
    else dicomParser.parseDicomDataSetExplicit(dataSet, stream, bytes.length, { untilTag: TAG.pixelData });
  } catch (e) {
    const m = message(e);
    if (isPrefix(bytes, ref)) return error(ref, HEADER_ERROR.NEED_MORE_BYTES, 'need more bytes');
    // The highest tag read completely (dicom-parser holds every element it finished reading).
    const lastTag = Math.max(-1, ...Object.keys(elements).map((k) => parseInt(k.slice(1), 16)));
    const last = lastTag >= 0 ? ` after element ${tagName(`x${lastTag.toString(16).padStart(8, '0')}`)}` : '';
    if (OVERRUN.test(m)) {
      return error(ref, HEADER_ERROR.TRUNCATED, `file ends inside the data set${last} (${bytes.length} bytes)`);
    }
    return error(ref, HEADER_ERROR.MALFORMED, `data set unreadable${last} (${m.slice(0, 100)})`);
  }
  // A prefix that ended on an element boundary before Pixel Data has not shown the whole header
  // (objects without pixels — RT structure sets — are read to the end of the file).
  const pixelData = elements[TAG.pixelData];
  if (!pixelData && isPrefix(bytes, ref)) return error(ref, HEADER_ERROR.NEED_MORE_BYTES, 'need more bytes');
  for (const w of parserWarnings) {
    warnings.push({ code: HEADER_WARNING.PARSER_WARNING, message: w.slice(0, 160) });
  }

  const r = new Reader(bytes, elements, !bigEndian, warnings);
  let sopClassUid = r.str(TAG.sopClassUid);
  let sopInstanceUid = r.str(TAG.sopInstanceUid);
  const metaSopClass = meta && !sopClassUid ? uidIn(meta, META_TAG.mediaStorageSopClassUid) : null;
  const metaSopInstance = meta && !sopInstanceUid ? uidIn(meta, META_TAG.mediaStorageSopInstanceUid) : null;
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
  if (!sopClassUid && !r.str(TAG.modality)) {
    const inferred = warnings.some((w) => w.code === HEADER_WARNING.TRANSFER_SYNTAX_INFERRED)
      ? '; the file meta also lacks the Transfer Syntax UID (0002,0010)'
      : '';
    return error(
      ref,
      HEADER_ERROR.NO_SOP_CLASS,
      `neither SOP Class UID (0008,0016) nor Modality (0008,0060) in the data set${inferred}: not a usable DICOM object`,
    );
  }

  const pixel = pixelData ? { dataOffset: pixelData.dataOffset, length: pixelData.length, hadUndefinedLength: pixelData.hadUndefinedLength === true } : undefined;
  if (pixel) {
    const fileLength = ref.totalBytes ?? bytes.length;
    // An undefined length ends where its delimiter is.
    if (!pixel.hadUndefinedLength && pixel.dataOffset + pixel.length > fileLength) {
      return error(
        ref,
        HEADER_ERROR.PIXEL_DATA_TRUNCATED,
        `Pixel Data (7FE0,0010) declares ${pixel.length} bytes but the file holds ${Math.max(0, fileLength - pixel.dataOffset)}`,
      );
    }
  }

  const rows = r.us(TAG.rows);
  const columns = r.us(TAG.columns);
  if (!pixel && rows && columns && !NON_IMAGE_MODALITIES.has(r.str(TAG.modality))) {
    return error(
      ref,
      HEADER_ERROR.PIXEL_DATA_MISSING,
      `image of ${rows}×${columns} without Pixel Data (7FE0,0010): the file ends after ${bytes.length} bytes of header (truncated?)`,
    );
  }
  const bitsAllocated = r.us(TAG.bitsAllocated);
  const samplesPerPixel = r.us(TAG.samplesPerPixel);
  const numberOfFrames = r.is1(TAG.numberOfFrames);
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

  const header: ParsedHeader = {
    fileId: ref.fileId,
    file: ref.file,
    transferSyntaxUid,
    sopClassUid,
    sopInstanceUid,
    // Filled from HEADER_FIELDS below (in this order of keys).
    modality: '',
    patientName: '',
    patientId: '',
    studyInstanceUid: '',
    studyDate: '',
    studyDescription: '',
    seriesInstanceUid: '',
    seriesNumber: null,
    seriesDescription: '',
    instanceNumber: null,
    frameOfReferenceUid: null,
    imagePositionPatient: null,
    imageOrientationPatient: null,
    pixelSpacingMm: null,
    sliceThicknessMm: null,
    spacingBetweenSlicesMm: null,
    rows,
    columns,
    numberOfFrames,
    samplesPerPixel,
    bitsAllocated,
    bitsStored: null,
    pixelRepresentation: null,
    rescaleSlope: null,
    rescaleIntercept: null,
    convolutionKernel: null,
    gantryTiltDeg: null,
    imageType: [],
    hasPixelData: pixel !== undefined,
    referencedFrameOfReferenceUids: [],
    referencedSeriesInstanceUids: [],
    referencedSopInstanceUids: [],
    warnings,
  };
  for (const fill of HEADER_FIELDS) fill(header, r);
  const refs = collectReferences(elements);
  header.referencedFrameOfReferenceUids = refs.frames;
  header.referencedSeriesInstanceUids = refs.series;
  header.referencedSopInstanceUids = refs.sops;
  return { kind: 'instance', header };
}
