/**
 * Loading a CT series from disk into a CtVolume (Node: the `analyze` command, benchmarks).
 *
 *   const r = await loadCtVolume('/path/to/series-folder');            // the largest CT series found
 *   const r = await loadCtVolume(dir, { seriesInstanceUid: '1.2…' });   // a given series
 *   if (r.ok) analyseLesion(r.value.volume, seed);
 *
 * Grouping and ordering come from the scanner (main/scan `scanPaths`); pixels are decoded here:
 * Implicit / Explicit VR Little Endian, Explicit VR Big Endian and RLE Lossless. Compressed
 * syntaxes (JPEG, JPEG-LS, JPEG 2000…) fail with a coded error naming the syntax: the viewer's
 * codecs are WebAssembly builds for the browser, and decoding a whole series with them in Node
 * was not made to work here. Stored values are masked / sign-extended to BitsStored, then
 * HU = value × RescaleSlope + RescaleIntercept (per file).
 */
import { readFile } from 'node:fs/promises';
import * as dicomParserNs from 'dicom-parser';
import type { CtVolume } from '../../shared/analysis/volume';
import { appError, err, ok, type AppError, type Result } from '../../shared/errors';
import { transferSyntaxName } from '../../shared/dicom/transferSyntaxes';
import type { Series, Study } from '../../shared/schemas/scan';
import { MIN_SLICES_FOR_VOLUME } from '../../shared/dicom/assembleScan';
import type { Vec3 } from '../../shared/schemas/common';
import { scanPaths } from '../scan';
import { decodeCompressedFrame } from './codecs';
import { decodeRleFrame } from './rle';

const dicomParser: typeof dicomParserNs = (dicomParserNs as unknown as { default?: typeof dicomParserNs }).default ?? dicomParserNs;

export const VOLUME_ERROR = {
  NOT_FOUND: 'volume.not-found',
  NO_CT_SERIES: 'volume.no-ct-series',
  SERIES_NOT_FOUND: 'volume.series-not-found',
  TOO_FEW_SLICES: 'volume.too-few-slices',
  GEOMETRY: 'volume.geometry',
  IRREGULAR_SPACING: 'volume.irregular-spacing',
  TRANSFER_SYNTAX: 'volume.transfer-syntax-unsupported',
  PIXELS: 'volume.pixels-unreadable',
} as const;

const UNCOMPRESSED_LE = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1']);
const BIG_ENDIAN = '1.2.840.10008.1.2.2';
const RLE = '1.2.840.10008.1.2.5';

/** Relative tolerance on slice spacing before the series is refused as irregular. */
const SPACING_TOLERANCE = 0.05;

export interface LoadedSeries {
  volume: CtVolume;
  seriesInstanceUid: string;
  seriesDescription: string;
  transferSyntaxUid: string | null;
  sopInstanceUids: string[];
  /** The scan's summary of the study and series the volume was built from (exports reuse it: no second scan). */
  study: Study;
  series: Series;
  /** Non-fatal problems (e.g. other CT series ignored, gantry tilt). */
  warnings: Array<{ code: string; message: string }>;
}

export interface LoadOptions {
  seriesInstanceUid?: string;
}

const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

export async function loadCtVolume(dir: string, opts: LoadOptions = {}): Promise<Result<LoadedSeries>> {
  let scan;
  try {
    scan = await scanPaths([dir]);
  } catch (e) {
    return err(appError(VOLUME_ERROR.NOT_FOUND, `Cannot read '${dir}': ${e instanceof Error ? e.message : String(e)}`, { file: dir }));
  }
  const all = scan.studies.flatMap((s) => s.series);
  const cts = all.filter((s) => s.modality === 'CT');
  let series: Series | undefined;
  const warnings: LoadedSeries['warnings'] = [];
  if (opts.seriesInstanceUid) {
    series = all.find((s) => s.seriesInstanceUid === opts.seriesInstanceUid);
    if (!series) return err(appError(VOLUME_ERROR.SERIES_NOT_FOUND, `No series ${opts.seriesInstanceUid} in '${dir}'.`, { file: dir, field: 'series' }));
  } else {
    if (cts.length === 0) {
      const found = scan.studies.length ? `found ${all.map((s) => `${s.modality} (${s.instanceCount})`).join(', ')}` : `no DICOM images (${scan.errors.length} unreadable, ${scan.skipped.length} skipped files)`;
      return err(appError(VOLUME_ERROR.NO_CT_SERIES, `No CT series in '${dir}': ${found}.`, { file: dir }));
    }
    series = cts.reduce((a, b) => (b.instanceCount > a.instanceCount ? b : a));
    if (cts.length > 1) warnings.push({ code: 'other-series-ignored', message: `${cts.length - 1} other CT series in the folder were ignored; pass a series UID to choose.` });
  }
  const chosen = series;
  const study = scan.studies.find((st) => st.series.includes(chosen))!;
  return loadSeries(study, series, warnings);
}

export async function loadSeries(study: Study, series: Series, warnings: LoadedSeries['warnings'] = []): Promise<Result<LoadedSeries>> {
  const file0 = series.instances[0]?.file;
  const fail = (code: string, message: string, file = file0): Result<never, AppError> => err(appError(code, message, { file }));
  const n = series.instances.length;
  if (n < MIN_SLICES_FOR_VOLUME) return fail(VOLUME_ERROR.TOO_FEW_SLICES, `Series '${series.description}' has ${n} image(s); a volume needs at least ${MIN_SLICES_FOR_VOLUME}.`);
  const iop = series.imageOrientationPatient;
  const ps = series.pixelSpacingMm;
  const rows = series.rows;
  const cols = series.columns;
  if (!iop || !ps || !rows || !cols) return fail(VOLUME_ERROR.GEOMETRY, 'The series lacks orientation, pixel spacing or image size: it cannot be placed in patient space.');
  const dirI: Vec3 = [iop[0], iop[1], iop[2]];
  const dirJ: Vec3 = [iop[3], iop[4], iop[5]];
  const normal = cross(dirI, dirJ);
  const positions = series.instances.map((i) => i.imagePositionPatient);
  if (positions.some((p) => !p)) return fail(VOLUME_ERROR.GEOMETRY, 'Some images have no ImagePositionPatient.');
  const pos = positions as Vec3[];
  // Order along the normal (the scanner sorts already; do not depend on it).
  const order = pos.map((p, k) => [dot(p, normal), k] as const).sort((a, b) => a[0] - b[0]);
  const steps = order.slice(1).map((o, k) => o[0] - order[k][0]);
  const meanStep = (order[n - 1][0] - order[0][0]) / (n - 1);
  if (!(meanStep > 1e-3)) return fail(VOLUME_ERROR.GEOMETRY, 'All images sit at the same position: duplicates, not a volume.');
  const worst = Math.max(...steps.map((s) => Math.abs(s - meanStep)));
  if (worst > SPACING_TOLERANCE * meanStep) {
    return fail(VOLUME_ERROR.IRREGULAR_SPACING, `Slice spacing varies from ${Math.min(...steps).toFixed(2)} to ${Math.max(...steps).toFixed(2)} mm (missing or duplicate slices?): refusing to build a volume that would misplace them.`);
  }
  // The k step as it really is (gantry tilt makes it oblique to the normal).
  const first = pos[order[0][1]];
  const last = pos[order[n - 1][1]];
  const kStep: Vec3 = [(last[0] - first[0]) / (n - 1), (last[1] - first[1]) / (n - 1), (last[2] - first[2]) / (n - 1)];
  const kLen = Math.hypot(...kStep);
  const dirK: Vec3 = [kStep[0] / kLen, kStep[1] / kLen, kStep[2] / kLen];
  if (Math.abs(dot(dirK, normal)) < 0.9999) {
    warnings.push({ code: 'gantry-tilt', message: `Slices are stacked ${((Math.acos(Math.min(1, Math.abs(dot(dirK, normal)))) * 180) / Math.PI).toFixed(1)}° off their normal (gantry tilt): the volume is sheared accordingly.` });
  }

  const nxy = rows * cols;
  let integerRescale = true;
  const slices: Float32Array[] = new Array(n);
  const sopInstanceUids: string[] = new Array(n);
  let tsSeen: string | null = null;
  for (let k = 0; k < n; k++) {
    const inst = series.instances[order[k][1]];
    const decoded = await decodeFile(inst.file, rows, cols);
    if (!decoded.ok) return decoded;
    slices[k] = decoded.value.hu;
    tsSeen = decoded.value.transferSyntaxUid;
    if (!decoded.value.integerRescale) integerRescale = false;
    sopInstanceUids[k] = inst.sopInstanceUid;
  }
  const total = nxy * n;
  const hu = integerRescale ? new Int16Array(total) : new Float32Array(total);
  for (let k = 0; k < n; k++) {
    const s = slices[k];
    if (integerRescale) for (let p = 0; p < nxy; p++) hu[k * nxy + p] = Math.max(-32768, Math.min(32767, s[p]));
    else hu.set(s, k * nxy);
  }
  return ok({
    volume: {
      dimensions: [cols, rows, n],
      spacing: [ps[1], ps[0], kLen],
      origin: first,
      direction: [dirI[0], dirI[1], dirI[2], dirJ[0], dirJ[1], dirJ[2], dirK[0], dirK[1], dirK[2]],
      hu,
    },
    seriesInstanceUid: series.seriesInstanceUid,
    seriesDescription: series.description,
    transferSyntaxUid: tsSeen,
    sopInstanceUids,
    study,
    series,
    warnings,
  });
}

interface DecodedSlice {
  hu: Float32Array;
  transferSyntaxUid: string;
  integerRescale: boolean;
}

/** One single-frame image file → HU (Float32, rows × cols). */
export async function decodeFile(file: string, rows: number, cols: number): Promise<Result<DecodedSlice>> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (e) {
    return err(appError(VOLUME_ERROR.PIXELS, `Cannot read the file: ${e instanceof Error ? e.message : String(e)}`, { file }));
  }
  return decodeSliceBytes(bytes, file, rows, cols);
}

export async function decodeSliceBytes(bytes: Uint8Array, file: string, rows: number, cols: number): Promise<Result<DecodedSlice>> {
  const bad = (message: string, code: string = VOLUME_ERROR.PIXELS) => err(appError(code, message, { file }));
  let ds: dicomParserNs.DataSet;
  try {
    try {
      ds = dicomParser.parseDicom(bytes);
    } catch (first) {
      // No file meta (raw data set): dicom-parser needs the syntax; raw CT is Implicit VR LE.
      if (bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d) throw first;
      ds = dicomParser.parseDicom(bytes, { TransferSyntaxUID: '1.2.840.10008.1.2' });
    }
  } catch (e) {
    const m = e && typeof e === 'object' && 'exception' in e ? String((e as { exception: unknown }).exception) : e instanceof Error ? e.message : String(e);
    return bad(`The file cannot be parsed: ${m}`);
  }
  const ts = ds.string('x00020010') ?? '1.2.840.10008.1.2';
  const el = ds.elements.x7fe00010;
  if (!el) return bad('The file has no pixel data.');
  if ((ds.intString('x00280008') ?? 1) > 1) return bad('Multi-frame images are not supported for volume loading.');
  if ((ds.uint16('x00280002') ?? 1) !== 1) return bad('Only single-sample (greyscale) images can be CT volumes.');
  if (ds.uint16('x00280010') !== rows || ds.uint16('x00280011') !== cols) return bad(`Image size differs from the series (${rows}×${cols}).`);
  const bitsAllocated = ds.uint16('x00280100') ?? 16;
  const bitsStored = ds.uint16('x00280101') ?? bitsAllocated;
  const signed = (ds.uint16('x00280103') ?? 0) === 1;
  const slope = ds.floatString('x00281053') ?? 1;
  const intercept = ds.floatString('x00281052') ?? 0;
  if (bitsAllocated !== 16 && bitsAllocated !== 8) return bad(`BitsAllocated ${bitsAllocated} is not supported (8 or 16).`);
  const bytesPer = bitsAllocated / 8;
  const n = rows * cols;
  let raw: Uint8Array | undefined;
  let littleEndian = true;
  if (UNCOMPRESSED_LE.has(ts) || ts === BIG_ENDIAN) {
    littleEndian = ts !== BIG_ENDIAN;
    if (el.length < n * bytesPer || el.dataOffset + n * bytesPer > bytes.length) return bad(`Pixel data is truncated (${el.length} bytes for ${n * bytesPer}).`);
    raw = bytes.subarray(el.dataOffset, el.dataOffset + n * bytesPer);
  } else if (ts === RLE) {
    let frame: Uint8Array;
    try {
      frame = dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, 0, el.fragments?.length ?? 1);
    } catch (e) {
      return bad(`RLE pixel data cannot be read: ${e instanceof Error ? e.message : String(e)}`);
    }
    const d = decodeRleFrame(frame, n, bytesPer);
    if (!d.ok) return bad(d.message);
    raw = d.bytes;
  } else {
    let frame: Uint8Array | null = null;
    try {
      if (el.encapsulatedPixelData) frame = dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, 0, el.fragments?.length ?? 1);
    } catch {
      frame = null;
    }
    const decoded = frame ? await decodeCompressedFrame(ts, frame, n) : null;
    if (decoded && !decoded.ok) return bad(`${transferSyntaxName(ts) ?? ts}: ${decoded.message}`);
    if (decoded && decoded.ok) {
      if (decoded.bitsPerSample > 16 || decoded.bytes.length < n * bytesPer) return bad(`${transferSyntaxName(ts) ?? ts}: unexpected decoded sample size`);
      raw = decoded.bytes;
    }
  }
  if (raw === undefined) {
    const name = transferSyntaxName(ts) ?? 'unknown';
    return bad(`Transfer syntax ${name} (${ts}) cannot be decoded on the command line (supported: uncompressed, RLE, JPEG 2000, JPEG-LS, JPEG lossless); convert the series or use the viewer.`, VOLUME_ERROR.TRANSFER_SYNTAX);
  }
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const hu = new Float32Array(n);
  const mask = bitsStored >= 32 ? 0xffffffff : (1 << bitsStored) - 1;
  const shift = 32 - bitsStored;
  for (let p = 0; p < n; p++) {
    let v = bytesPer === 2 ? dv.getUint16(2 * p, littleEndian) : raw[p];
    v &= mask;
    if (signed) v = (v << shift) >> shift;
    hu[p] = v * slope + intercept;
  }
  return ok({ hu, transferSyntaxUid: ts, integerRescale: Number.isInteger(slope) && Number.isInteger(intercept) });
}
