/**
 * Checks an RTSTRUCT against the CT series it is to be drawn on (issue 17). Refuses (usable:
 * false, an error issue) what cannot be aligned: no series, no frame of reference, another frame
 * of reference. Everything else is drawn and reported with its own code and a count: images the
 * structure set references that are not in the series, contours whose plane falls between the
 * slices or outside the series, contours not parallel to the slices.
 */
import type { RtCheck, RtIssue, RtSeriesGeometry, RtStruct } from '../schemas/rt';
import { RT_ERROR, RT_WARNING } from './codes';
import { contourPlane } from './contourGeometry';

/**
 * A contour is on a slice when its plane is within this distance of the slice: planning systems
 * write contour z with the slice's z, rounded in decimal strings (DS), so a few hundredths differ.
 */
export const SLICE_PLANE_TOLERANCE_MM = 0.1;


/** "BODY, Breast, Heart and 3 more" — names in messages, bounded. */
function nameList(names: string[], max = 4): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** "1 contour lies" / "4 contours lie": counts in messages read right. */
const contours = (n: number, one: string, many: string) => `${n} ${n === 1 ? `contour ${one}` : `contours ${many}`}`;

export interface RtSlicePlaneIndex {
  positionsMm: number[];
  sopUids: Set<string>;
}

export function nearestSliceDistanceMm(positionsSortedMm: number[], positionMm: number): number {
  let lo = 0;
  let hi = positionsSortedMm.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (positionsSortedMm[mid] <= positionMm) lo = mid;
    else hi = mid;
  }
  return Math.min(Math.abs(positionsSortedMm[lo] - positionMm), Math.abs(positionsSortedMm[hi] - positionMm));
}

/**
 * Messages say what is wrong in words: the structure set is named by the panel's heading (its
 * label, date and time), so no file name here, and UIDs go to `details` (a tooltip), never into
 * the sentence. `params` carry the message's values for a translation by code.
 */
export function validateRtStruct(rt: RtStruct, series: RtSeriesGeometry | null): RtCheck {
  const issues: RtIssue[] = [];
  const refuse = (code: string, message: string, extra: Pick<RtIssue, 'details' | 'params'> = {}): RtCheck => ({
    usable: false,
    issues: [{ code, severity: 'error', message, ...extra }, ...issues],
    referencedImageCount: rt.referencedSopInstanceUids.length,
    missingReferencedImageCount: series ? rt.referencedSopInstanceUids.filter((u) => !series.slices.some((s) => s.sopInstanceUid === u)).length : rt.referencedSopInstanceUids.length,
    rois: [],
  });
  if (!series || series.slices.length === 0) {
    const n = rt.referencedSopInstanceUids.length;
    return refuse(RT_ERROR.NO_SERIES, `No image series to draw it on: the folder holds no CT series (the structure set references ${n} images that are not here).`, { params: { count: n } });
  }
  if (!rt.frameOfReferenceUid) return refuse(RT_ERROR.NO_FRAME_OF_REFERENCE, 'The structure set names no Frame of Reference, so its contours cannot be aligned with the CT: not drawn.', { params: { which: 'rt' } });
  if (!series.frameOfReferenceUid) return refuse(RT_ERROR.NO_FRAME_OF_REFERENCE, 'The CT has no Frame of Reference, so the structure set cannot be aligned with it: not drawn.', { params: { which: 'ct' } });
  if (rt.frameOfReferenceUid !== series.frameOfReferenceUid) {
    return refuse(
      RT_ERROR.FRAME_OF_REFERENCE_MISMATCH,
      "Its Frame of Reference differs from the CT's: the contours belong to another patient position or scan and are not drawn.",
      { details: `Frame of Reference UID of the structure set: ${rt.frameOfReferenceUid}; of the CT: ${series.frameOfReferenceUid}` },
    );
  }

  const sopUids = new Set(series.slices.map((s) => s.sopInstanceUid));
  const positions = series.slices.map((s) => s.positionMm).sort((a, b) => a - b);
  const first = positions[0];
  const last = positions[positions.length - 1];

  if (rt.referencedSeriesInstanceUids.length === 0) {
    issues.push({ code: RT_WARNING.NO_REFERENCED_SERIES, severity: 'warning', message: 'The structure set names no referenced series or images (RT Referenced Study Sequence absent); contours are placed by their coordinates in the shared frame of reference.' });
  } else if (!rt.referencedSeriesInstanceUids.includes(series.seriesInstanceUid)) {
    issues.push({
      code: RT_WARNING.OTHER_SERIES,
      severity: 'warning',
      message: 'Drawn on this CT, not on the series it references; same frame of reference, so positions still agree.',
      details: `Series Instance UID of this CT: ${series.seriesInstanceUid}; referenced: ${rt.referencedSeriesInstanceUids.join(', ')}`,
    });
  }

  const referenced = new Set([...rt.referencedSopInstanceUids, ...rt.rois.flatMap((r) => r.contours.flatMap((c) => c.referencedSopInstanceUids))]);
  const missing = [...referenced].filter((u) => !sopUids.has(u)).length;
  if (missing > 0) {
    issues.push({ code: RT_WARNING.IMAGES_MISSING, severity: 'warning', count: missing, message: `${missing} of ${referenced.size} referenced images are not in the series.`, params: { count: missing, total: referenced.size } });
  }

  const perRoi: RtCheck['rois'] = [];
  const named = { imageMissing: [] as string[], between: [] as string[], outside: [] as string[], notAxial: [] as string[] };
  const totals = { imageMissing: 0, between: 0, outside: 0, notAxial: 0 };
  for (const roi of rt.rois) {
    const row = { number: roi.number, contours: roi.contours.length, onSlices: 0, imageMissing: 0, betweenSlices: 0, outsideSeries: 0, notAxial: 0 };
    for (const c of roi.contours) {
      if (c.referencedSopInstanceUids.length > 0 && !c.referencedSopInstanceUids.some((u) => sopUids.has(u))) row.imageMissing++;
      // A POINT marks a position, not a slice's outline: no plane to check.
      if (c.geometricType === 'POINT') continue;
      const plane = contourPlane(c.pointsMm, series.normal);
      if (plane.spreadMm > SLICE_PLANE_TOLERANCE_MM) row.notAxial++;
      else if (nearestSliceDistanceMm(positions, plane.positionMm) <= SLICE_PLANE_TOLERANCE_MM) row.onSlices++;
      else if (plane.positionMm < first - SLICE_PLANE_TOLERANCE_MM || plane.positionMm > last + SLICE_PLANE_TOLERANCE_MM) row.outsideSeries++;
      else row.betweenSlices++;
    }
    const label = `${roi.name} (${roi.number})`;
    if (row.imageMissing) (named.imageMissing.push(label), (totals.imageMissing += row.imageMissing));
    if (row.betweenSlices) (named.between.push(label), (totals.between += row.betweenSlices));
    if (row.outsideSeries) (named.outside.push(label), (totals.outside += row.outsideSeries));
    if (row.notAxial) (named.notAxial.push(label), (totals.notAxial += row.notAxial));
    perRoi.push(row);
  }
  /** "4 contours lie outside …": the verb agrees with the count; `rest` follows it, with the ROI names. */
  const counted = (code: string, n: number, names: string[], verb: [string, string], rest: (names: string) => string): RtIssue => ({
    code,
    severity: 'warning',
    count: n,
    message: `${contours(n, verb[0], verb[1])} ${rest(nameList(names))}`,
    params: { count: n, names: nameList(names) },
  });
  if (totals.imageMissing) issues.push(counted(RT_WARNING.CONTOUR_IMAGE_MISSING, totals.imageMissing, named.imageMissing, ['was', 'were'], (x) => `drawn on images that are not in the series (${x}).`));
  if (totals.outside) issues.push(counted(RT_WARNING.OUTSIDE_SERIES, totals.outside, named.outside, ['lies', 'lie'], (x) => `outside the series (beyond its first or last slice; ${x}): not shown on the axial stack.`));
  if (totals.between) issues.push(counted(RT_WARNING.BETWEEN_SLICES, totals.between, named.between, ['falls', 'fall'], (x) => `between slices (${x}): the axial stack shows them on the nearest slice, up to half a slice from their plane.`));
  if (totals.notAxial) issues.push(counted(RT_WARNING.NOT_AXIAL, totals.notAxial, named.notAxial, ['is', 'are'], (x) => `not parallel to the slices (${x}): shown where they cross each view's plane.`));
  if (rt.rois.length === 0) issues.push({ code: RT_WARNING.NO_ROIS, severity: 'warning', message: 'The structure set holds no ROI.' });
  const empty = rt.rois.filter((r) => r.contours.length === 0).map((r) => r.name);
  if (empty.length) issues.push({ code: RT_WARNING.EMPTY_ROI, severity: 'info', count: empty.length, message: `${empty.length} ROI(s) without contours (${nameList(empty)}).`, params: { count: empty.length, names: nameList(empty) } });
  for (const w of rt.warnings) issues.push({ code: w.code, severity: 'warning', message: w.message });
  return { usable: true, issues, referencedImageCount: referenced.size, missingReferencedImageCount: missing, rois: perRoi };
}
