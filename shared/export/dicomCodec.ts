/**
 * The one typed door to dcmjs for the exports: write a naturalized dataset as a Part 10 file,
 * read one back, make UIDs. dcmjs does the DICOM encoding (VRs, sequences, padding), so no
 * export writes bytes by hand.
 */
import dcmjs from 'dcmjs';
import { appError, err, ok, type AppError, type Result } from '../errors';

/** A dcmjs "naturalized" dataset: keyword → value, sequences as arrays of datasets. */
export type NaturalDataset = Record<string, unknown>;

export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
/** Implementation Class UID of the workstation's own files (under the 2.25 UUID root). */
export const FRW_IMPLEMENTATION_CLASS_UID = '2.25.163870386532934582066290858734421474577';
export const FRW_IMPLEMENTATION_VERSION = 'FRW_0_1';

const { DicomDict, DicomMessage, DicomMetaDictionary } = dcmjs.data;

/** Part 10 bytes (explicit VR little endian) of a naturalized dataset. */
export function writePart10(dataset: NaturalDataset): Uint8Array {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: FRW_IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: FRW_IMPLEMENTATION_VERSION,
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write() as ArrayBuffer);
}

/** The naturalized dataset of Part 10 bytes; never throws (dcmjs does on bad input). */
export function readPart10(bytes: Uint8Array, untilPixelData = false): Result<NaturalDataset, AppError> {
  if (bytes.length < 132 || String.fromCharCode(bytes[128], bytes[129], bytes[130], bytes[131]) !== 'DICM') {
    return err(appError('DICOM_NOT_PART10', 'Not a DICOM file (no DICM preamble).'));
  }
  try {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    // Headers only when asked: a CT's pixel data is not needed to copy its identifiers.
    const dict = DicomMessage.readFile(buffer, untilPixelData ? { untilTag: '7FE00010', includeUntilTagValue: false } : undefined);
    const ds = DicomMetaDictionary.naturalizeDataset(dict.dict) as NaturalDataset;
    if (String(ds.SpecificCharacterSet ?? '').includes('ISO_IR 192')) for (const v of Object.values(ds)) if (Array.isArray(v)) redecodeUtf8(v);
    return ok(ds);
  } catch (e) {
    // dcmjs reads past the end of truncated files; its message names no patient data.
    return err(appError('DICOM_UNREADABLE', `The DICOM file could not be read (truncated or damaged): ${e instanceof Error ? e.message : String(e)}`));
  }
}

/**
 * A new UID under the 2.25 root (a random 128-bit UUID as an integer, ITU-T X.667). dcmjs' own
 * uid() draws 39 decimal digits, which can exceed 128 bits.
 */
export function newUid(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // UUID version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return `2.25.${n.toString()}`;
}

/**
 * A UID under the 2.25 root derived from `parts` (128-bit FNV-1a): the same parts always give the
 * same UID. Used where one document must keep its identity (a lesion's tracking UID, the SR and
 * PDF of one report state, so storing it twice is recognised as a duplicate).
 */
export function derivedUid(...parts: string[]): string {
  const mask = (1n << 128n) - 1n;
  let h = 144066263297769815596495629667062367629n;
  for (const b of new TextEncoder().encode(parts.join('\u0000'))) h = ((h ^ BigInt(b)) * 309485009821345068724781371n) & mask;
  return `2.25.${h.toString()}`;
}

/** DICOM DA / TM of an ISO timestamp, in UTC (the offset is written in TimezoneOffsetFromUTC). */
export function dicomDateTime(iso: string): { date: string; time: string; dateTime: string; dateTimeUtc: string } {
  const d = new Date(iso);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const date = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}`;
  const time = `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
  return { date, time, dateTime: `${date}${time}+0000`, dateTimeUtc: `${date}${time}` };
}

/** ISO timestamp of a DICOM DT written by dicomDateTime (YYYYMMDDHHMMSS[.F][+ZZZZ]); null when unreadable. */
export function isoOfDicomDateTime(dt: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,6}))?([+-]\d{4})?$/.exec(dt.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, , tz] = m;
  const zone = tz ? `${tz.slice(0, 3)}:${tz.slice(3)}` : 'Z';
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${zone === '+00:00' ? 'Z' : zone}`;
  return Number.isNaN(Date.parse(iso)) ? null : new Date(Date.parse(iso)).toISOString();
}

/**
 * dcmjs 0.52 decodes text inside sequence items as windows-1252 even when the file says UTF-8
 * (its sub-streams do not inherit the decoder set by Specific Character Set); top-level values
 * are right. This turns such text back into its bytes and decodes them as UTF-8, in place.
 */
let windows1252Bytes: Map<string, number> | null = null;
function latin1Inverse(): Map<string, number> {
  if (!windows1252Bytes) {
    const dec = new TextDecoder('latin1');
    windows1252Bytes = new Map(Array.from({ length: 256 }, (_, b) => [dec.decode(Uint8Array.of(b)), b] as [string, number]));
  }
  return windows1252Bytes;
}

function fixText(s: string): string {
  if (!/[^\x00-\x7f]/.test(s)) return s;
  const inv = latin1Inverse();
  const bytes: number[] = [];
  for (const ch of s) {
    const b = inv.get(ch);
    if (b === undefined) return s; // not windows-1252 text: already decoded right
    bytes.push(b);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return s;
  }
}

function redecodeUtf8(node: unknown[] | Record<string, unknown>): void {
  const entries: [string | number, unknown][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
  for (const [k, v] of entries) {
    if (typeof v === 'string') (node as Record<string | number, unknown>)[k] = fixText(v);
    else if (Array.isArray(v) || (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype)) redecodeUtf8(v as Record<string, unknown>);
  }
}
