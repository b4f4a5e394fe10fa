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

const baseName = (file: string) => file.split(/[\\/]/).pop() || file;

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

export function validateRtStruct(rt: RtStruct, series: RtSeriesGeometry | null): RtCheck {
  const file = baseName(rt.file);
  const issues: RtIssue[] = [];
  const refuse = (code: string, message: string): RtCheck => ({
    usable: false,
    issues: [{ code, severity: 'error', message }, ...issues],
    referencedImageCount: rt.referencedSopInstanceUids.length,
    missingReferencedImageCount: series ? rt.referencedSopInstanceUids.filter((u) => !series.slices.some((s) => s.sopInstanceUid === u)).length : rt.referencedSopInstanceUids.length,
    rois: [],
  });
  if (!series || series.slices.length === 0) {
    return refuse(RT_ERROR.NO_SERIES, `${file}: no image series to draw it on: the folder holds no CT series (the structure set references ${rt.referencedSopInstanceUids.length} images that are not here).`);
  }
  if (!rt.frameOfReferenceUid) return refuse(RT_ERROR.NO_FRAME_OF_REFERENCE, `${file}: the structure set names no Frame of Reference UID, so its contours cannot be aligned with the series: not drawn.`);
  if (!series.frameOfReferenceUid) return refuse(RT_ERROR.NO_FRAME_OF_REFERENCE, `${file}: the series has no Frame of Reference UID, so the structure set cannot be aligned with it: not drawn.`);
  if (rt.frameOfReferenceUid !== series.frameOfReferenceUid) {
    return refuse(
      RT_ERROR.FRAME_OF_REFERENCE_MISMATCH,
      `${file}: its Frame of Reference UID (${rt.frameOfReferenceUid}) differs from the series' (${series.frameOfReferenceUid}): the contours belong to another patient position or scan and are not drawn.`,
    );
  }

  const sopUids = new Set(series.slices.map((s) => s.sopInstanceUid));
  const positions = series.slices.map((s) => s.positionMm).sort((a, b) => a - b);
  const first = positions[0];
  const last = positions[positions.length - 1];

  if (rt.referencedSeriesInstanceUids.length === 0) {
    issues.push({ code: RT_WARNING.NO_REFERENCED_SERIES, severity: 'warning', message: `${file}: the structure set names no referenced series or images (RT Referenced Study Sequence absent); contours are placed by their coordinates in the shared frame of reference.` });
  } else if (!rt.referencedSeriesInstanceUids.includes(series.seriesInstanceUid)) {
    issues.push({ code: RT_WARNING.OTHER_SERIES, severity: 'warning', message: `${file}: drawn on series ${series.seriesInstanceUid}, not the one it references (${rt.referencedSeriesInstanceUids.join(', ')}); same frame of reference, so positions still agree.` });
  }

  const referenced = new Set([...rt.referencedSopInstanceUids, ...rt.rois.flatMap((r) => r.contours.flatMap((c) => c.referencedSopInstanceUids))]);
  const missing = [...referenced].filter((u) => !sopUids.has(u)).length;
  if (missing > 0) {
    issues.push({ code: RT_WARNING.IMAGES_MISSING, severity: 'warning', count: missing, message: `${file}: ${missing} of ${referenced.size} referenced images are not in the series.` });
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
  if (totals.imageMissing) issues.push({ code: RT_WARNING.CONTOUR_IMAGE_MISSING, severity: 'warning', count: totals.imageMissing, message: `${file}: ${contours(totals.imageMissing, 'was', 'were')} drawn on images that are not in the series (${nameList(named.imageMissing)}).` });
  if (totals.outside) issues.push({ code: RT_WARNING.OUTSIDE_SERIES, severity: 'warning', count: totals.outside, message: `${file}: ${contours(totals.outside, 'lies', 'lie')} outside the series (beyond its first or last slice; ${nameList(named.outside)}): not shown on the axial stack.` });
  if (totals.between) issues.push({ code: RT_WARNING.BETWEEN_SLICES, severity: 'warning', count: totals.between, message: `${file}: ${contours(totals.between, 'falls', 'fall')} between slices (${nameList(named.between)}): the axial stack shows them on the nearest slice, up to half a slice from their plane.` });
  if (totals.notAxial) issues.push({ code: RT_WARNING.NOT_AXIAL, severity: 'warning', count: totals.notAxial, message: `${file}: ${contours(totals.notAxial, 'is', 'are')} not parallel to the slices (${nameList(named.notAxial)}): shown where they cross each view's plane.` });
  if (rt.rois.length === 0) issues.push({ code: RT_WARNING.NO_ROIS, severity: 'warning', message: `${file}: the structure set holds no ROI.` });
  const empty = rt.rois.filter((r) => r.contours.length === 0).map((r) => r.name);
  if (empty.length) issues.push({ code: RT_WARNING.EMPTY_ROI, severity: 'info', count: empty.length, message: `${file}: ${empty.length} ROI(s) without contours (${nameList(empty)}).` });
  for (const w of rt.warnings) issues.push({ code: w.code, severity: 'warning', message: w.message });
  return { usable: true, issues, referencedImageCount: referenced.size, missingReferencedImageCount: missing, rois: perRoi };
}
