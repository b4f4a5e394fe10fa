/**
 * RTSTRUCT bytes → RtStruct (ROIs with names, colours, types and planar contours in patient mm).
 * Pure TS with dicom-parser (no Node, no DOM). Never throws: an unreadable or non-RTSTRUCT file is
 * a coded error naming the file; oddities that do not stop drawing (a bad colour, an odd number
 * of coordinates) are warnings that name the ROI.
 */
import * as dicomParserNs from 'dicom-parser';
import type { DataSet } from 'dicom-parser';
import { appError, err, ok, type Result } from '../errors';
import { sniffDicom } from '../dicom/parseHeader';
import { ITEM_TAG, TAG } from '../dicom/tags';
import { items, itemDataSets, uidIn } from '../dicom/values';
import { RT_GEOMETRIC_TYPES, type RtContour, type RtRoi, type RtStruct } from '../schemas/rt';
import { RT_ERROR, RT_WARNING } from './codes';

const dicomParser: typeof dicomParserNs = (dicomParserNs as unknown as { default?: typeof dicomParserNs }).default ?? dicomParserNs;

export const RT_STRUCTURE_SET_STORAGE = '1.2.840.10008.5.1.4.1.1.481.3';

const T = {
  structureSetLabel: 'x30060002',
  structureSetDate: 'x30060008',
  structureSetTime: 'x30060009',
  roiNumber: 'x30060022',
  roiName: 'x30060026',
  roiDisplayColor: 'x3006002a',
  contourGeometricType: 'x30060042',
  numberOfContourPoints: 'x30060046',
  contourData: 'x30060050',
  referencedRoiNumber: 'x30060084',
  rtRoiObservationsSequence: 'x30060080',
  rtRoiInterpretedType: 'x300600a4',
} as const;

/**
 * Colours for ROIs without ROI Display Color: distinct hues readable on grey CT (the Tableau 10
 * palette), assigned by ROI order so a file always gets the same colours.
 */
export const ROI_PALETTE: ReadonlyArray<[number, number, number]> = [
  [31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189],
  [140, 86, 75], [227, 119, 194], [188, 189, 34], [23, 190, 207], [127, 127, 127],
];

function message(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e instanceof Error) return e.message;
  if (e && typeof e === 'object' && 'exception' in e) return message((e as { exception: unknown }).exception);
  return String(e);
}

const str = (ds: DataSet, tag: string): string => (ds.string(tag) ?? '').trim();

/** Backslash-separated decimal strings; null when any is not a finite number. */
function decimals(ds: DataSet, tag: string): number[] | null {
  const s = ds.string(tag);
  if (!s) return [];
  const out: number[] = [];
  for (const part of s.split('\\')) {
    const n = Number(part.trim());
    if (part.trim() === '' || !Number.isFinite(n)) return null;
    out.push(n);
  }
  return out;
}

function parseDataSet(bytes: Uint8Array, file: string): Result<DataSet> {
  const sniff = sniffDicom(bytes);
  if (sniff.kind === 'not-dicom' || sniff.kind === 'shifted') {
    return err(appError(RT_ERROR.UNREADABLE, `${file}: not a readable DICOM file (${sniff.kind === 'shifted' ? 'stray leading bytes' : sniff.reason}).`, { file }));
  }
  try {
    // A raw data set (no preamble, e.g. pydicom's rtstruct.dcm) is parsed in the syntax sniffed from its first element.
    const options = sniff.kind === 'raw' ? { TransferSyntaxUID: sniff.transferSyntaxUid } : {};
    return ok(dicomParser.parseDicom(bytes, options as Parameters<typeof dicomParser.parseDicom>[1]));
  } catch (e) {
    return err(appError(RT_ERROR.UNREADABLE, `${file}: unreadable DICOM (${message(e).slice(0, 120)}).`, { file }));
  }
}

function contourOf(ds: DataSet, roiLabel: string, warnings: RtStruct['warnings']): RtContour | null {
  const type = str(ds, T.contourGeometricType);
  const geometricType = (RT_GEOMETRIC_TYPES as readonly string[]).includes(type) ? (type as RtContour['geometricType']) : null;
  const points = decimals(ds, T.contourData);
  if (!geometricType || points === null || points.length === 0 || points.length % 3 !== 0) {
    warnings.push({
      code: RT_WARNING.CONTOUR_SKIPPED,
      message: `${roiLabel}: a contour was skipped (${!geometricType ? `geometric type '${type}'` : points === null ? 'Contour Data is not numeric' : `${points.length} coordinates, not a multiple of 3`}).`,
    });
    return null;
  }
  const refs = items(ds, ITEM_TAG.contourImageSequence).flatMap((img) => {
    const uid = uidIn(img, ITEM_TAG.referencedSopInstanceUid);
    return uid ? [uid.replace(/\0/g, '').trim()] : [];
  });
  return { geometricType, pointsMm: points, referencedSopInstanceUids: refs };
}

function colourOf(ds: DataSet | undefined, index: number): { color: [number, number, number]; colorSource: 'dicom' | 'palette' } {
  const c = ds ? decimals(ds, T.roiDisplayColor) : [];
  if (c && c.length === 3 && c.every((x) => x >= 0 && x <= 255)) return { color: [c[0], c[1], c[2]], colorSource: 'dicom' };
  return { color: [...ROI_PALETTE[index % ROI_PALETTE.length]] as [number, number, number], colorSource: 'palette' };
}

/** Parses an RTSTRUCT. Errors: rt.unreadable, rt.not-rtstruct. */
export function parseRtStruct(bytes: Uint8Array, file: string): Result<RtStruct> {
  const parsed = parseDataSet(bytes, file);
  if (!parsed.ok) return parsed;
  const ds = parsed.value;
  try {
    const modality = str(ds, TAG.modality);
    const sopClass = (uidIn(ds, TAG.sopClassUid) ?? '').replace(/\0/g, '').trim();
    if (modality !== 'RTSTRUCT' && sopClass !== RT_STRUCTURE_SET_STORAGE) {
      return err(appError(RT_ERROR.NOT_RTSTRUCT, `${file}: not an RT Structure Set (modality '${modality || 'none'}').`, { file, field: 'Modality' }));
    }
    const warnings: RtStruct['warnings'] = [];
    const uid = (d: DataSet, tag: string) => (uidIn(d, tag) ?? '').replace(/\0/g, '').trim();
    const frames = itemDataSets(ds.elements[TAG.referencedFrameOfReferenceSequence]);
    const referencedSeries = new Set<string>();
    const referencedSops = new Set<string>();
    for (const f of frames) {
      for (const study of items(f, ITEM_TAG.rtReferencedStudySequence)) {
        for (const s of items(study, ITEM_TAG.rtReferencedSeriesSequence)) {
          const su = uid(s, ITEM_TAG.seriesInstanceUid);
          if (su) referencedSeries.add(su);
          for (const img of items(s, ITEM_TAG.contourImageSequence)) {
            const u = uid(img, ITEM_TAG.referencedSopInstanceUid);
            if (u) referencedSops.add(u);
          }
        }
      }
    }
    const roiDefs = itemDataSets(ds.elements[TAG.structureSetRoiSequence]);
    const roiFrame = roiDefs.map((r) => uid(r, ITEM_TAG.referencedFrameOfReferenceUid)).find((u) => u) ?? null;
    const frameOfReferenceUid = frames.map((f) => uid(f, ITEM_TAG.frameOfReferenceUid)).find((u) => u) || roiFrame || null;
    if (frames.length > 1) warnings.push({ code: RT_WARNING.SEVERAL_FRAMES, message: `The structure set names ${frames.length} frames of reference; the first is used.` });

    const contoursByRoi = new Map<number, DataSet>();
    for (const rc of itemDataSets(ds.elements[TAG.roiContourSequence])) {
      const n = Number(str(rc, T.referencedRoiNumber));
      if (Number.isInteger(n)) contoursByRoi.set(n, rc);
    }
    const typeByRoi = new Map<number, string>();
    for (const ob of itemDataSets(ds.elements[T.rtRoiObservationsSequence])) {
      const n = Number(str(ob, T.referencedRoiNumber));
      if (Number.isInteger(n)) typeByRoi.set(n, str(ob, T.rtRoiInterpretedType));
    }
    const rois: RtRoi[] = [];
    roiDefs.forEach((def, index) => {
      const number = Number(str(def, T.roiNumber));
      const name = str(def, T.roiName) || `ROI ${index + 1}`;
      if (!Number.isInteger(number)) {
        warnings.push({ code: RT_WARNING.ROI_SKIPPED, message: `ROI '${name}' has no valid ROI Number and was skipped.` });
        return;
      }
      const rc = contoursByRoi.get(number);
      const label = `ROI ${number} '${name}'`;
      const contours = rc ? items(rc, ITEM_TAG.contourSequence).flatMap((c) => contourOf(c, label, warnings) ?? []) : [];
      rois.push({
        number,
        name,
        ...colourOf(rc, index),
        interpretedType: typeByRoi.get(number) ?? '',
        frameOfReferenceUid: uid(def, ITEM_TAG.referencedFrameOfReferenceUid) || null,
        contours,
      });
    });
    return ok({
      file,
      sopInstanceUid: uid(ds, TAG.sopInstanceUid),
      seriesInstanceUid: uid(ds, TAG.seriesInstanceUid),
      studyInstanceUid: uid(ds, TAG.studyInstanceUid),
      label: str(ds, T.structureSetLabel),
      ...(str(ds, T.structureSetDate) ? { date: str(ds, T.structureSetDate) } : {}),
      ...(str(ds, T.structureSetTime) ? { time: str(ds, T.structureSetTime) } : {}),
      frameOfReferenceUid,
      referencedSeriesInstanceUids: [...referencedSeries],
      referencedSopInstanceUids: [...referencedSops],
      rois,
      warnings,
    });
  } catch (e) {
    return err(appError(RT_ERROR.UNREADABLE, `${file}: unreadable structure set (${message(e).slice(0, 120)}).`, { file }));
  }
}
