/**
 * Parsed headers → studies → series (sorted along the slice normal) with geometry checks,
 * measurability, RT links and dosimetric marking. Pure and deterministic: the same headers
 * in any order give the same result.
 */
import type {
  HeaderResult,
  Instance,
  OtherObject,
  ParsedHeader,
  ScanResult,
  ScanWarning,
  Series,
  Study,
} from '../schemas/scan';
import { TRANSFER_SYNTAXES, transferSyntaxName } from './transferSyntaxes';
import { regularGrid } from '../geometry/regrid';

/** Series / object warning codes. Those in BLOCKING make a CT series not measurable. */
export const SCAN_WARNING = {
  NOT_CT: 'NOT_CT',
  LOCALIZER: 'LOCALIZER',
  TOO_FEW_SLICES: 'TOO_FEW_SLICES',
  MULTIFRAME: 'MULTIFRAME',
  UNSUPPORTED_TRANSFER_SYNTAX: 'UNSUPPORTED_TRANSFER_SYNTAX',
  MIXED_TRANSFER_SYNTAX: 'MIXED_TRANSFER_SYNTAX',
  MISSING_GEOMETRY: 'MISSING_GEOMETRY',
  MIXED_ORIENTATION: 'MIXED_ORIENTATION',
  MIXED_SIZE: 'MIXED_SIZE',
  MIXED_PIXEL_SPACING: 'MIXED_PIXEL_SPACING',
  DUPLICATE_POSITION: 'DUPLICATE_POSITION',
  MISSING_SLICE: 'MISSING_SLICE',
  UNEVEN_SPACING: 'UNEVEN_SPACING',
  SHEARED_GEOMETRY: 'SHEARED_GEOMETRY',
  GANTRY_TILT: 'GANTRY_TILT',
  RESCALE_MISSING: 'RESCALE_MISSING',
  RESCALE_VARIES: 'RESCALE_VARIES',
  MIXED_PIXEL_REPRESENTATION: 'MIXED_PIXEL_REPRESENTATION',
  UNSIGNED_NO_NEGATIVE_HU: 'UNSIGNED_NO_NEGATIVE_HU',
  OVERLAPPING_SLICES: 'OVERLAPPING_SLICES',
  SPACING_TAG_MISMATCH: 'SPACING_TAG_MISMATCH',
  ANISOTROPIC_PIXELS: 'ANISOTROPIC_PIXELS',
  OBLIQUE_ORIENTATION: 'OBLIQUE_ORIENTATION',
  DUPLICATE_SOP_INSTANCE: 'DUPLICATE_SOP_INSTANCE',
  MISSING_UID: 'MISSING_UID',
  RT_REFERENCED_SERIES_NOT_FOUND: 'RT_REFERENCED_SERIES_NOT_FOUND',
  RT_FRAME_OF_REFERENCE_MISMATCH: 'RT_FRAME_OF_REFERENCE_MISMATCH',
  RT_REFERENCED_IMAGES_MISSING: 'RT_REFERENCED_IMAGES_MISSING',
  RT_REFERENCED_IMAGE_IN_OTHER_SERIES: 'RT_REFERENCED_IMAGE_IN_OTHER_SERIES',
  RT_REFERENCED_OBJECT_NOT_FOUND: 'RT_REFERENCED_OBJECT_NOT_FOUND',
  RT_NO_LINKED_SERIES: 'RT_NO_LINKED_SERIES',
  RT_NO_SERIES_REFERENCE: 'RT_NO_SERIES_REFERENCE',
} as const;

const BLOCKING = new Set<string>([
  SCAN_WARNING.NOT_CT,
  SCAN_WARNING.LOCALIZER,
  SCAN_WARNING.TOO_FEW_SLICES,
  SCAN_WARNING.MULTIFRAME,
  SCAN_WARNING.UNSUPPORTED_TRANSFER_SYNTAX,
  SCAN_WARNING.MISSING_GEOMETRY,
  SCAN_WARNING.MIXED_ORIENTATION,
  SCAN_WARNING.MIXED_SIZE,
  SCAN_WARNING.MIXED_PIXEL_SPACING,
  SCAN_WARNING.DUPLICATE_POSITION,
  SCAN_WARNING.MISSING_SLICE,
  SCAN_WARNING.UNEVEN_SPACING,
  SCAN_WARNING.SHEARED_GEOMETRY,
  SCAN_WARNING.RESCALE_MISSING,
  SCAN_WARNING.MIXED_PIXEL_REPRESENTATION,
]);

/**
 * Geometry tolerances, in one place. The spacing tolerance is far inside the accuracy the
 * measurements must reach (axial length within max(1 mm, one slice spacing), clinical-rules.md)
 * yet above the rounding of positions written as DS with 2–3 decimals.
 */
export const GEOMETRY_TOLERANCE = {
  /** Max difference of any direction cosine between slices of one series. */
  orientationCosine: 1e-3,
  /** Max pixel spacing difference between slices, mm. */
  pixelSpacingMm: 1e-3,
  /** Two slices closer than this along the normal occupy the same position, mm. */
  duplicatePositionMm: 0.01,
  /** A gap deviates when |gap − nominal| > max(absolute, relative × nominal). */
  spacingAbsoluteMm: 0.05,
  spacingRelative: 0.02,
  /**
   * Angle between the slice-to-slice step and the slice normal above which the volume is
   * sheared (gantry tilt not resampled): 0.2° over a 100 mm lesion is a 0.35 mm shift.
   */
  shearDeg: 0.2,
  /** Gantry tilt tag values at or below this are 'no tilt' (scanners write +0.0). */
  gantryTiltDeg: 0.01,
  /** Normal further than this from every patient axis: oblique acquisition, degrees. */
  obliqueDeg: 1,
  /** Slice thickness exceeding spacing by more than this is overlapping reconstruction, mm. */
  overlapMm: 0.05,
} as const;

/**
 * Slices a series needs to be measured: the reformats (sagittal, coronal, obliques) and the
 * lengths along the bone need a third dimension, and the viewer builds them from three slices
 * on; the scan, the viewer and the volume loader use this one number (issue 14 defect 4).
 */
export const MIN_SLICES_FOR_VOLUME = 3;

/** SOP classes whose frames carry per-frame geometry (Enhanced / Legacy Converted Enhanced CT). */
const ENHANCED_CT_SOP_CLASSES = new Set(['1.2.840.10008.5.1.4.1.1.2.1', '1.2.840.10008.5.1.4.1.1.2.2']);
/** Non-image objects and RT objects that go to `otherObjects`, not to a series. */
const OTHER_OBJECT_MODALITIES = new Set(['RTSTRUCT', 'RTPLAN', 'RTDOSE', 'RTRECORD', 'SR', 'PR', 'KO', 'SEG', 'REG', 'DOC', 'RWV']);
export const RT_MODALITIES = new Set(['RTSTRUCT', 'RTPLAN', 'RTDOSE']);
/** Report at most this many locations in one warning message (the count is always given). */
const MAX_LOCATIONS = 5;

type V3 = [number, number, number];
const dot = (a: V3, b: V3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: V3, b: V3): V3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const norm = (a: V3) => Math.hypot(a[0], a[1], a[2]);
const roundTo = (n: number, d: number) => Math.round(n * 10 ** d) / 10 ** d;
const fmt = (n: number, d = 2) => roundTo(n, d).toString();
const RAD_TO_DEG = 180 / Math.PI;

function sliceNormal(iop: number[]): V3 | null {
  const n = cross([iop[0], iop[1], iop[2]], [iop[3], iop[4], iop[5]]);
  const l = norm(n);
  return l > 1e-6 ? [n[0] / l, n[1] / l, n[2] / l] : null;
}

/** Sorts `xs` in place (a typed array sorts numerically without calling a comparator). */
function median(xs: Float64Array): number {
  const s = xs.sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function isOtherObject(h: ParsedHeader): boolean {
  return OTHER_OBJECT_MODALITIES.has(h.modality) || !h.hasPixelData || h.rows === null || h.columns === null;
}

function where(h: ParsedHeader): string {
  return h.instanceNumber !== null ? `instance ${h.instanceNumber}` : h.file;
}

function listed(items: string[]): string {
  const head = items.slice(0, MAX_LOCATIONS).join('; ');
  return items.length > MAX_LOCATIONS ? `${head}; and ${items.length - MAX_LOCATIONS} more` : head;
}

/** Header warnings of many instances → one series warning per code+message, with a count. */
function mergeHeaderWarnings(headers: ParsedHeader[]): ScanWarning[] {
  const counts = new Map<string, { w: ScanWarning; n: number }>();
  for (const h of headers)
    for (const w of h.warnings) {
      const k = `${w.code}\u0000${w.message}`;
      const e = counts.get(k);
      if (e) e.n++;
      else counts.set(k, { w, n: 1 });
    }
  return [...counts.values()].map(({ w, n }) => ({
    code: w.code,
    message: headers.length > 1 ? `${n} of ${headers.length} instances: ${w.message}` : w.message,
  }));
}

interface SeriesDraft {
  /** The first instance along the normal: the one that names the study if the series creates it. */
  first: ParsedHeader;
  series: Series;
}

/** An instance with its position along the slice normal (computed once: it is the sort key). */
interface Placed {
  header: ParsedHeader;
  positionMm: number | null;
}

function sameNumbers(a: number[] | null, b: number[] | null, tol: number): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i] - b[i]) <= tol)) return false;
  return true;
}

/** Same value as a Set sees it (NaN equals NaN, 0 equals −0): "all alike" ⇔ a Set of them has one entry. */
const sameValue = (a: unknown, b: unknown) => a === b || (a !== a && b !== b);

/**
 * What one pass over a series' instances finds, for the consistency checks of buildSeries.
 * "…Differ" flags only say whether some value differs from the first instance's; the messages
 * that list the distinct values build them only then (rare), so typical series build no strings.
 */
interface SeriesSurvey {
  missingGeometry: number;
  otherOrientation: ParsedHeader[];
  otherPixelSpacing: number;
  sizesDiffer: boolean;
  /** First tilt above the 'no tilt' tolerance, in input order. */
  firstTiltDeg: number | null;
  maxFrames: number;
  localizers: number;
  syntaxesDiffer: boolean;
  noRescale: number;
  rescalesDiffer: boolean;
  pixelRepresentationsDiffer: boolean;
  /** SOP Instance UIDs found in more than one file, and files without one. */
  repeatedSops: number;
  noSop: number;
}

function surveySeries(input: ParsedHeader[], iop0: number[] | null, ps0: number[] | null): SeriesSurvey {
  const tol = GEOMETRY_TOLERANCE;
  const first = input[0];
  const s: SeriesSurvey = {
    missingGeometry: 0,
    otherOrientation: [],
    otherPixelSpacing: 0,
    sizesDiffer: false,
    firstTiltDeg: null,
    maxFrames: -Infinity,
    localizers: 0,
    syntaxesDiffer: false,
    noRescale: 0,
    rescalesDiffer: false,
    pixelRepresentationsDiffer: false,
    repeatedSops: 0,
    noSop: 0,
  };
  const sops = new Set<string>();
  const repeated = new Set<string>();
  for (const h of input) {
    if (!h.imagePositionPatient || !h.imageOrientationPatient || !h.pixelSpacingMm) s.missingGeometry++;
    if (iop0 && h.imageOrientationPatient && !sameNumbers(h.imageOrientationPatient, iop0, tol.orientationCosine)) s.otherOrientation.push(h);
    if (ps0 && h.pixelSpacingMm && !sameNumbers(h.pixelSpacingMm, ps0, tol.pixelSpacingMm)) s.otherPixelSpacing++;
    if (!sameValue(h.rows, first.rows) || !sameValue(h.columns, first.columns)) s.sizesDiffer = true;
    const t = h.gantryTiltDeg;
    if (s.firstTiltDeg === null && t !== null && Math.abs(t) > tol.gantryTiltDeg) s.firstTiltDeg = t;
    s.maxFrames = Math.max(s.maxFrames, h.numberOfFrames ?? 1);
    if (h.imageType.includes('LOCALIZER')) s.localizers++;
    if (!sameValue(h.transferSyntaxUid, first.transferSyntaxUid)) s.syntaxesDiffer = true;
    if (h.rescaleSlope === null || h.rescaleIntercept === null) s.noRescale++;
    if (!sameValue(h.rescaleSlope, first.rescaleSlope) || !sameValue(h.rescaleIntercept, first.rescaleIntercept)) s.rescalesDiffer = true;
    if (!sameValue(h.pixelRepresentation, first.pixelRepresentation)) s.pixelRepresentationsDiffer = true;
    const sop = h.sopInstanceUid;
    if (!sop) s.noSop++;
    else if (sops.has(sop)) repeated.add(sop);
    else sops.add(sop);
  }
  s.repeatedSops = repeated.size;
  return s;
}

/** Distinct values in first-seen order (only for messages listing what differs). */
const distinct = <T,>(input: ParsedHeader[], value: (h: ParsedHeader) => T): T[] => [...new Set(input.map(value))];

/** Instances without a position go last, by instance number, then file name. */
function alongNormal(a: Placed, b: Placed): number {
  const pa = a.positionMm;
  const pb = b.positionMm;
  if (pa !== null && pb !== null && pa !== pb) return pa - pb;
  if (pa === null && pb !== null) return 1;
  if (pb === null && pa !== null) return -1;
  const ia = a.header.instanceNumber ?? Infinity;
  const ib = b.header.instanceNumber ?? Infinity;
  if (ia !== ib) return ia - ib;
  return a.header.file < b.header.file ? -1 : a.header.file > b.header.file ? 1 : 0;
}

function sortAlongNormal(input: ParsedHeader[], normal: V3 | null): Placed[] {
  const placed = input.map((h) => ({ header: h, positionMm: normal && h.imagePositionPatient ? dot(h.imagePositionPatient as V3, normal) : null }));
  // Files mostly come in slice order, one way or the other: strictly monotonic positions are
  // already in the one order alongNormal gives (no ties to break), or in its reverse.
  const direction = monotonic(placed);
  if (direction > 0) return placed;
  if (direction < 0) return placed.reverse();
  return placed.sort(alongNormal);
}

/** 1 if every position is known and strictly increasing, -1 if strictly decreasing, else 0. */
function monotonic(placed: Placed[]): number {
  if (placed.length < 2) return 0;
  const a = placed[0].positionMm;
  const b = placed[1].positionMm;
  if (a === null || b === null || a === b || a !== a || b !== b) return 0;
  const up = b > a;
  for (let i = 2; i < placed.length; i++) {
    const p = placed[i - 1].positionMm!;
    const q = placed[i].positionMm;
    if (q === null || !(up ? q > p : q < p)) return 0;
  }
  return up ? 1 : -1;
}

/** Slice positions distinct at the 0.01 mm the messages print, counted up to `upTo` (only fewer matters). */
function countSlicePositions(positioned: Placed[], upTo: number): number {
  const seen = new Set<number>();
  for (const p of positioned) {
    seen.add(roundTo(p.positionMm!, 2));
    if (seen.size >= upTo) break;
  }
  return seen.size;
}

/**
 * Duplicates, missing slices, uneven gaps and shear between consecutive positioned slices.
 * Returns the nominal slice spacing (median of the real gaps), or null without real gaps.
 */
function checkSpacing(positioned: Placed[], normal: V3, add: (code: string, message: string) => void): number | null {
  const tol = GEOMETRY_TOLERANCE;
  const at = (i: number) => positioned[i].positionMm!;
  // gaps[i]: between slices i − 1 and i (gaps[0] unused).
  const gaps = new Float64Array(positioned.length);
  const dups: number[] = [];
  const real: number[] = [];
  for (let i = 1; i < positioned.length; i++) {
    const d = at(i) - at(i - 1);
    gaps[i] = d;
    if (d < tol.duplicatePositionMm) dups.push(i);
    else if (d >= tol.duplicatePositionMm) real.push(i); // not NaN
  }
  const whereAt = (i: number) => where(positioned[i].header);
  if (dups.length) {
    add(SCAN_WARNING.DUPLICATE_POSITION, `${dups.length} duplicate slice position(s): ${listed(dups.map((i) => `${whereAt(i - 1)} and ${whereAt(i)} at ${fmt(at(i - 1))} mm`))}`);
  }
  if (!real.length) return null;
  const realGaps = new Float64Array(real.length);
  for (let k = 0; k < real.length; k++) realGaps[k] = gaps[real[k]];
  const nominal = median(realGaps);
  const allowed = Math.max(tol.spacingAbsoluteMm, tol.spacingRelative * nominal);
  const missing: string[] = [];
  const uneven: string[] = [];
  for (const i of real) {
    const d = gaps[i];
    if (Math.abs(d - nominal) <= allowed) continue;
    const k = Math.round(d / nominal);
    const between = `${fmt(d)} mm between ${whereAt(i - 1)} (${fmt(at(i - 1))} mm) and ${whereAt(i)} (${fmt(at(i))} mm)`;
    if (k >= 2 && Math.abs(d - k * nominal) <= allowed) missing.push(`${between}: ${k - 1} slice(s) missing`);
    else uneven.push(between);
  }
  if (missing.length) add(SCAN_WARNING.MISSING_SLICE, `gap(s) where slices are missing (spacing ${fmt(nominal)} mm): ${listed(missing)}`);
  if (uneven.length) add(SCAN_WARNING.UNEVEN_SPACING, `uneven slice spacing (expected ${fmt(nominal)} mm): ${listed(uneven)}`);
  // Shear: the step between slices should run along the normal. The steepest step (largest
  // sideways / along ratio, compared squared: no root or arctangent per slice) gives the angle.
  const stepAt = (i: number): V3 => {
    const pa = positioned[i - 1].header.imagePositionPatient as V3;
    const pb = positioned[i].header.imagePositionPatient as V3;
    return [pb[0] - pa[0], pb[1] - pa[1], pb[2] - pa[2]];
  };
  const sideways = (step: V3, along: number): V3 => [step[0] - along * normal[0], step[1] - along * normal[1], step[2] - along * normal[2]];
  let steepest = -1;
  let steepestRatio = -1;
  for (const i of real) {
    const step = stepAt(i);
    const along = dot(step, normal);
    const side = sideways(step, along);
    const ratio = dot(side, side) / (along * along);
    if (ratio > steepestRatio) {
      steepestRatio = ratio;
      steepest = i;
    }
  }
  let shear = 0;
  if (steepest >= 0) {
    const step = stepAt(steepest);
    const along = dot(step, normal);
    shear = Math.atan2(norm(sideways(step, along)), Math.abs(along)) * RAD_TO_DEG;
  }
  if (shear > tol.shearDeg) {
    add(SCAN_WARNING.SHEARED_GEOMETRY, `slices are offset sideways: the slice-to-slice step is ${fmt(shear, 1)}° from the slice normal (gantry tilt or sheared volume)`);
  }
  return nominal;
}

/**
 * A sheared (gantry-tilted) stack the viewer puts on a regular grid (shared/geometry/regrid.ts):
 * evenly spaced along the normal, in a syntax the viewer decodes. Its shear warning then says so
 * and stops blocking measurement.
 */
function shearIsResampled(
  warnings: ScanWarning[],
  syntaxes: string[],
  iop0: number[] | null,
  ps0: number[] | null,
  first: ParsedHeader,
  positioned: Array<{ header: ParsedHeader }>,
): boolean {
  const shear = warnings.find((w) => w.code === SCAN_WARNING.SHEARED_GEOMETRY);
  if (!shear || !iop0 || !ps0 || !first.rows || !first.columns) return false;
  if (!syntaxes.every((ts) => TRANSFER_SYNTAXES[ts]?.viewer)) return false;
  const grid = regularGrid({
    orientation: iop0,
    pixelSpacingMm: [ps0[0], ps0[1]],
    rows: first.rows,
    columns: first.columns,
    positions: positioned.map((p) => p.header.imagePositionPatient as [number, number, number]),
  });
  if (!grid?.shiftsPx) return false;
  shear.message += '; resampled onto a regular grid (each slice shifted in its plane) for viewing and measurement';
  return true;
}

function buildSeries(uid: string, input: ParsedHeader[]): SeriesDraft {
  const warnings: ScanWarning[] = [];
  const add = (code: string, message: string) => warnings.push({ code, message });
  const first = input[0];
  const modality = first.modality;
  const tol = GEOMETRY_TOLERANCE;

  // Without a Series Instance UID the app still needs one key for the series (selection, session,
  // reports): a UID derived from its instances, the same on every scan of the same files.
  const seriesUid = uid || derivedSeriesUid([first.studyInstanceUid, modality, ...input.map((h) => h.sopInstanceUid || h.file).sort()]);
  if (!uid) add(SCAN_WARNING.MISSING_UID, `Series Instance UID (0020,000E) is empty: files grouped by study and modality; the series is identified as ${seriesUid} (derived from its instances)`);
  if (modality !== 'CT') add(SCAN_WARNING.NOT_CT, `modality ${modality || '(none)'}: only CT can be measured`);

  // Orientation, size, pixel spacing consistency (against the first instance with a value).
  const iop0 = input.find((h) => h.imageOrientationPatient)?.imageOrientationPatient ?? null;
  const normal = iop0 ? sliceNormal(iop0) : null;
  const ps0 = input.find((h) => h.pixelSpacingMm)?.pixelSpacingMm ?? null;
  const survey = surveySeries(input, iop0, ps0);
  if (survey.missingGeometry || !normal) {
    add(
      SCAN_WARNING.MISSING_GEOMETRY,
      `${survey.missingGeometry || input.length} of ${input.length} instances lack Image Position (0020,0032), ` +
        'Image Orientation (0020,0037) or Pixel Spacing (0028,0030): no volume geometry',
    );
  }
  const mixedIop = survey.otherOrientation;
  if (mixedIop.length) add(SCAN_WARNING.MIXED_ORIENTATION, `${mixedIop.length} of ${input.length} instances have another orientation (${listed(mixedIop.map(where))})`);
  if (survey.sizesDiffer) {
    const sizes = distinct(input, (h) => `${h.rows}×${h.columns}`);
    if (sizes.length > 1) add(SCAN_WARNING.MIXED_SIZE, `image sizes differ within the series: ${sizes.join(', ')}`);
  }
  if (survey.otherPixelSpacing) add(SCAN_WARNING.MIXED_PIXEL_SPACING, `${survey.otherPixelSpacing} of ${input.length} instances have another pixel spacing than ${ps0!.join('×')} mm`);
  if (ps0 && Math.abs(ps0[0] - ps0[1]) > tol.pixelSpacingMm) {
    add(SCAN_WARNING.ANISOTROPIC_PIXELS, `pixels are not square: ${fmt(ps0[0], 4)} mm (rows) × ${fmt(ps0[1], 4)} mm (columns)`);
  }
  if (normal) {
    const axisDeg = Math.acos(Math.min(1, Math.max(...normal.map(Math.abs)))) * RAD_TO_DEG;
    if (axisDeg > tol.obliqueDeg) add(SCAN_WARNING.OBLIQUE_ORIENTATION, `slice normal is ${fmt(axisDeg, 1)}° from the nearest patient axis (oblique slices)`);
  }

  const placed = sortAlongNormal(input, normal);
  const positioned = placed.filter((p) => p.positionMm !== null);

  // Spacing: duplicates, missing slices, uneven gaps, shear.
  const sliceSpacingMm = positioned.length >= 2 && normal ? checkSpacing(positioned, normal, add) : null;
  if (survey.firstTiltDeg !== null) add(SCAN_WARNING.GANTRY_TILT, `gantry/detector tilt (0018,1120) ${fmt(survey.firstTiltDeg, 1)}° recorded`);

  const frames = survey.maxFrames;
  if (frames > 1 || ENHANCED_CT_SOP_CLASSES.has(first.sopClassUid)) {
    add(SCAN_WARNING.MULTIFRAME, `multi-frame (enhanced) image with ${frames} frame(s) per file: per-frame geometry is not supported for measurement`);
  }
  if (survey.localizers) add(SCAN_WARNING.LOCALIZER, `${survey.localizers} localizer (scout) image(s) in the series`);
  const slices = positioned.length ? countSlicePositions(positioned, MIN_SLICES_FOR_VOLUME) : input.length;
  if (slices < MIN_SLICES_FOR_VOLUME && frames <= 1) add(SCAN_WARNING.TOO_FEW_SLICES, `${slices} slice position(s): a volume needs at least ${MIN_SLICES_FOR_VOLUME}`);

  // Transfer syntax.
  const syntaxes = survey.syntaxesDiffer ? distinct(input, (h) => h.transferSyntaxUid).sort() : [first.transferSyntaxUid];
  const unsupported = syntaxes.filter((ts) => !TRANSFER_SYNTAXES[ts]?.viewer);
  if (unsupported.length) {
    add(SCAN_WARNING.UNSUPPORTED_TRANSFER_SYNTAX, `transfer syntax ${unsupported.map((ts) => `${ts} (${transferSyntaxName(ts) ?? 'unknown'})`).join(', ')} cannot be decoded by the viewer`);
  }
  if (syntaxes.length > 1) add(SCAN_WARNING.MIXED_TRANSFER_SYNTAX, `several transfer syntaxes: ${syntaxes.map((ts) => transferSyntaxName(ts) ?? ts).join(', ')}`);

  // Pixel values: sign and rescale (HU = slope × stored + intercept).
  if (modality === 'CT') {
    if (survey.noRescale) add(SCAN_WARNING.RESCALE_MISSING, `${survey.noRescale} of ${input.length} instances lack Rescale Slope/Intercept (0028,1053/1052): Hounsfield units unknown`);
    if (survey.rescalesDiffer) {
      const rescales = distinct(input, (h) => `${h.rescaleSlope}/${h.rescaleIntercept}`);
      if (rescales.length > 1) add(SCAN_WARNING.RESCALE_VARIES, `rescale slope/intercept differ between slices (${rescales.slice(0, MAX_LOCATIONS).join(', ')})`);
    }
    if (survey.pixelRepresentationsDiffer) add(SCAN_WARNING.MIXED_PIXEL_REPRESENTATION, 'signed and unsigned pixel data mixed within the series');
    if (first.pixelRepresentation === 0 && first.rescaleIntercept !== null && first.rescaleIntercept >= 0 && (first.rescaleSlope ?? 1) > 0) {
      add(SCAN_WARNING.UNSIGNED_NO_NEGATIVE_HU, `unsigned pixels with rescale intercept ${first.rescaleIntercept}: no value can be below 0 HU (air would not read −1000)`);
    }
  }
  const thickness = first.sliceThicknessMm;
  if (thickness !== null && sliceSpacingMm !== null && thickness > sliceSpacingMm + tol.overlapMm) {
    add(SCAN_WARNING.OVERLAPPING_SLICES, `slice thickness ${fmt(thickness)} mm exceeds spacing ${fmt(sliceSpacingMm)} mm (overlapping reconstruction)`);
  }
  const spacingTag = first.spacingBetweenSlicesMm;
  if (spacingTag !== null && sliceSpacingMm !== null && Math.abs(spacingTag - sliceSpacingMm) > Math.max(tol.spacingAbsoluteMm, tol.spacingRelative * sliceSpacingMm)) {
    add(SCAN_WARNING.SPACING_TAG_MISMATCH, `Spacing Between Slices (0018,0088) says ${fmt(spacingTag)} mm but the positions are ${fmt(sliceSpacingMm)} mm apart (positions are used)`);
  }
  if (survey.repeatedSops) add(SCAN_WARNING.DUPLICATE_SOP_INSTANCE, `${survey.repeatedSops} SOP Instance UID(s) appear in more than one file`);
  if (survey.noSop) add(SCAN_WARNING.MISSING_UID, `${survey.noSop} instance(s) without a SOP Instance UID`);

  warnings.push(...mergeHeaderWarnings(input));
  const resampled = shearIsResampled(warnings, syntaxes, iop0, ps0, first, positioned);
  const notMeasurableReasons = warnings.filter((w) => BLOCKING.has(w.code) && !(resampled && w.code === SCAN_WARNING.SHEARED_GEOMETRY));

  const instances: Instance[] = placed.map(({ header: h, positionMm }) => ({
    fileId: h.fileId,
    file: h.file,
    sopInstanceUid: h.sopInstanceUid,
    instanceNumber: h.instanceNumber,
    imagePositionPatient: h.imagePositionPatient,
    positionMm,
  }));
  const series: Series = {
    seriesInstanceUid: seriesUid,
    modality,
    description: first.seriesDescription,
    seriesNumber: first.seriesNumber,
    instanceCount: input.length,
    rows: first.rows,
    columns: first.columns,
    pixelSpacingMm: ps0,
    sliceThicknessMm: thickness,
    sliceSpacingMm,
    imageOrientationPatient: iop0,
    convolutionKernel: first.convolutionKernel,
    transferSyntaxUid: first.transferSyntaxUid,
    transferSyntaxName: transferSyntaxName(first.transferSyntaxUid),
    frameOfReferenceUid: first.frameOfReferenceUid,
    measurable: notMeasurableReasons.length === 0,
    kind: 'diagnostic',
    warnings,
    instances,
    notMeasurableReasons,
    numberOfFrames: frames,
    bitsStored: first.bitsStored,
    pixelRepresentation: first.pixelRepresentation,
    rescaleSlope: first.rescaleSlope,
    rescaleIntercept: first.rescaleIntercept,
    gantryTiltDeg: first.gantryTiltDeg,
    transferSyntaxSupported: unsupported.length === 0,
    linkedRtObjectUids: [],
  };
  return { first: placed[0].header, series };
}

function buildOtherObject(h: ParsedHeader): OtherObject {
  return {
    fileId: h.fileId,
    file: h.file,
    modality: h.modality,
    sopClassUid: h.sopClassUid,
    sopInstanceUid: h.sopInstanceUid,
    seriesInstanceUid: h.seriesInstanceUid || null,
    frameOfReferenceUid: h.frameOfReferenceUid,
    referencedSeriesInstanceUids: [],
    warnings: mergeHeaderWarnings([h]),
  };
}

/** Links RT objects to series; marks CT series sharing an RT frame of reference dosimetric. */
function linkRtObjects(objects: { header: ParsedHeader; object: OtherObject }[], drafts: SeriesDraft[]): void {
  if (!objects.length) return; // nothing to link: spare the look-up tables over every instance
  const seriesByUid = new Map(drafts.map((d) => [d.series.seriesInstanceUid, d.series]));
  const seriesBySop = new Map<string, Series>();
  for (const d of drafts) for (const i of d.series.instances) if (i.sopInstanceUid) seriesBySop.set(i.sopInstanceUid, d.series);
  const objectSops = new Set(objects.map((o) => o.header.sopInstanceUid));
  const allSeries = drafts.map((d) => d.series);
  for (const { header: h, object: o } of objects) {
    const add = (code: string, message: string) => o.warnings.push({ code, message });
    const frames = new Set([h.frameOfReferenceUid, ...h.referencedFrameOfReferenceUids].filter((f): f is string => !!f));
    const linked = new Set<Series>();
    const byFrame = allSeries.filter((s) => s.frameOfReferenceUid && frames.has(s.frameOfReferenceUid));
    byFrame.forEach((s) => linked.add(s));
    const declared = new Set(h.referencedSeriesInstanceUids);
    if (h.modality === 'RTSTRUCT' && declared.size === 0) {
      add(
        SCAN_WARNING.RT_NO_SERIES_REFERENCE,
        'declares no referenced series (RT Referenced Study/Series Sequence (3006,0012)/(3006,0014) absent): linked by frame of reference and contour images only',
      );
    }
    const absent = [...declared].filter((u) => !seriesByUid.has(u));
    if (absent.length) add(SCAN_WARNING.RT_REFERENCED_SERIES_NOT_FOUND, `references series ${listed(absent)}, not in this scan`);
    for (const u of declared) {
      const s = seriesByUid.get(u);
      if (!s) continue;
      linked.add(s);
      if (frames.size && (!s.frameOfReferenceUid || !frames.has(s.frameOfReferenceUid))) {
        add(
          SCAN_WARNING.RT_FRAME_OF_REFERENCE_MISMATCH,
          `references series ${u}, whose frame of reference ${s.frameOfReferenceUid ?? '(none)'} is not the one it declares ` +
            `(${[...frames].join(', ')}): invalid reference`,
        );
      }
    }
    if (RT_MODALITIES.has(h.modality) && h.modality !== 'RTSTRUCT') {
      // RTPLAN references a structure set, RTDOSE a plan: other objects, not images.
      const missing = h.referencedSopInstanceUids.filter((u) => !objectSops.has(u));
      if (missing.length) add(SCAN_WARNING.RT_REFERENCED_OBJECT_NOT_FOUND, `${missing.length} referenced RT object(s) not in this scan (${listed(missing)})`);
    } else if (h.referencedSopInstanceUids.length) {
      const present = h.referencedSopInstanceUids.filter((u) => seriesBySop.has(u));
      const missing = h.referencedSopInstanceUids.length - present.length;
      if (missing) {
        add(
          SCAN_WARNING.RT_REFERENCED_IMAGES_MISSING,
          `${missing} of ${h.referencedSopInstanceUids.length} referenced images are not in this scan: references to them cannot be resolved`,
        );
      }
      const elsewhere = present.filter((u) => declared.size && !declared.has(seriesBySop.get(u)!.seriesInstanceUid));
      if (elsewhere.length) {
        add(SCAN_WARNING.RT_REFERENCED_IMAGE_IN_OTHER_SERIES, `${elsewhere.length} referenced image(s) belong to another series than the one declared: invalid reference`);
      }
      for (const u of present) {
        const s = seriesBySop.get(u)!;
        linked.add(s);
        if (frames.size && (!s.frameOfReferenceUid || !frames.has(s.frameOfReferenceUid)) && !declared.has(s.seriesInstanceUid)) {
          add(SCAN_WARNING.RT_FRAME_OF_REFERENCE_MISMATCH, `referenced image ${u} lies in frame of reference ${s.frameOfReferenceUid ?? '(none)'}, not the declared one: invalid reference`);
          break;
        }
      }
    }
    if (RT_MODALITIES.has(h.modality) && linked.size === 0) {
      const what = [
        frames.size ? `frame of reference ${[...frames].join(', ')}` : '',
        declared.size ? `series ${[...declared].join(', ')}` : '',
      ].filter(Boolean);
      add(SCAN_WARNING.RT_NO_LINKED_SERIES, `no image series in this scan matches ${what.length ? what.join(' or ') : 'its references (none declared)'}`);
    }
    o.referencedSeriesInstanceUids = [...new Set([...declared, ...[...linked].map((s) => s.seriesInstanceUid)])].sort();
    if (RT_MODALITIES.has(h.modality)) {
      for (const s of linked) s.linkedRtObjectUids = [...new Set([...s.linkedRtObjectUids, h.sopInstanceUid])].sort();
      // Dosimetric = a CT sharing the RT object's frame of reference (design.md); a link by UID
      // alone whose frame of reference disagrees is an invalid reference, not a planning CT.
      for (const s of byFrame) if (s.modality === 'CT') s.kind = 'dosimetric';
    }
  }
}

/** Files without a series UID are grouped per study and modality (and flagged by buildSeries). */
function seriesKey(h: ParsedHeader): string {
  return `${h.studyInstanceUid}\u0000${h.seriesInstanceUid || `\u0001${h.modality}`}`;
}

/** Equal fields give equal seriesKey strings (the converse need not hold: then the key decides). */
function sameSeriesKey(a: ParsedHeader, b: ParsedHeader): boolean {
  return a.studyInstanceUid === b.studyInstanceUid && a.seriesInstanceUid === b.seriesInstanceUid && (!!a.seriesInstanceUid || a.modality === b.modality);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Groups parse results into the scan result. Every input result lands in exactly one place. */
export function assembleScan(results: HeaderResult[]): ScanResult {
  const errors: ScanResult['errors'] = [];
  const skipped: ScanResult['skipped'] = [];
  const images = new Map<string, ParsedHeader[]>();
  const others: ParsedHeader[] = [];
  // Files of one series mostly come one after another: those join the previous file's group
  // without building and hashing its key.
  let previous: ParsedHeader | null = null;
  let previousGroup: ParsedHeader[] = [];
  for (const r of results) {
    if (r.kind === 'error') errors.push({ file: r.file, code: r.code, message: r.message });
    else if (r.kind === 'skipped') skipped.push({ file: r.file, reason: r.reason });
    else if (isOtherObject(r.header)) others.push(r.header);
    else {
      const h = r.header;
      if (previous && sameSeriesKey(h, previous)) previousGroup.push(h);
      else {
        const key = seriesKey(h);
        const list = images.get(key);
        if (list) list.push(h);
        else images.set(key, [h]);
        previous = h;
        previousGroup = list ?? images.get(key)!;
      }
    }
  }
  const drafts = [...images.values()].map((hs) => buildSeries(hs[0].seriesInstanceUid, hs));
  const objects = others
    .sort((a, b) => cmp(a.file, b.file))
    .map((header) => ({ header, object: buildOtherObject(header) }));
  linkRtObjects(objects, drafts);

  const studies = new Map<string, { study: Study; date: string }>();
  const studyOf = (h: ParsedHeader): Study => {
    let e = studies.get(h.studyInstanceUid);
    if (!e) {
      e = {
        date: h.studyDate,
        study: {
          studyInstanceUid: h.studyInstanceUid,
          patientName: h.patientName,
          patientId: h.patientId,
          studyDate: h.studyDate,
          studyDescription: h.studyDescription,
          series: [],
          otherObjects: [],
        },
      };
      studies.set(h.studyInstanceUid, e);
    }
    return e.study;
  };
  for (const d of drafts) studyOf(d.first).series.push(d.series);
  for (const o of objects) studyOf(o.header).otherObjects.push(o.object);
  // Patients → studies → series: studies ordered by patient, date, UID; series by number.
  const ordered = [...studies.values()]
    .map((e) => e.study)
    .sort((a, b) => cmp(a.patientId, b.patientId) || cmp(a.patientName, b.patientName) || cmp(a.studyDate, b.studyDate) || cmp(a.studyInstanceUid, b.studyInstanceUid));
  for (const s of ordered) {
    s.series.sort((a, b) => (a.seriesNumber ?? Infinity) - (b.seriesNumber ?? Infinity) || cmp(a.seriesInstanceUid, b.seriesInstanceUid) || cmp(a.instances[0].file, b.instances[0].file));
  }
  errors.sort((a, b) => cmp(a.file, b.file));
  skipped.sort((a, b) => cmp(a.file, b.file));
  return { studies: ordered, errors, skipped };
}

/**
 * A DICOM UID under the 2.25 root (a UUID-style integer, PS3.5 B.2) from a 128-bit FNV-1a hash of
 * the parts: stable for the same input, distinct for different input in practice.
 */
export function derivedSeriesUid(parts: readonly string[]): string {
  const mask = (1n << 128n) - 1n;
  const prime = 0x0000000001000000000000000000013bn; // FNV-1a 128-bit prime
  let h = 0x6c62272e07bb014262b821756295c58dn; // FNV-1a 128-bit offset basis
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) h = ((h ^ BigInt(part.charCodeAt(i))) * prime) & mask;
    h = ((h ^ 0n) * prime) & mask; // separator
  }
  return `2.25.${h.toString()}`;
}
