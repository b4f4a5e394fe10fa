/**
 * The header fields read straight from one kept element each, in the order parseHeader reads
 * them (so warnings come in the same order).
 * Rows, columns, bits, frames, SOP class and UID and Pixel Data are read by parseHeader itself
 * (its checks depend on them).
 */
import type { ParsedHeader } from '../schemas/scan';
import { SLOT } from './tags';
import type { Reader } from './values';

export interface HeaderField {
  slot: number;
  fill: (h: ParsedHeader, r: Reader) => void;
}

const S = SLOT;

export const HEADER_FIELDS: readonly HeaderField[] = [
  {
    slot: S.imagePositionPatient,
    fill: (h, r) => {
      // A new array of exactly 3 (dsN checks the count).
      h.imagePositionPatient = r.dsN(S.imagePositionPatient, 3) as [number, number, number] | null;
    },
  },
  { slot: S.imageOrientationPatient, fill: (h, r) => void (h.imageOrientationPatient = r.dsN(S.imageOrientationPatient, 6)) },
  {
    slot: S.pixelSpacing,
    fill: (h, r) => {
      h.pixelSpacingMm = r.dsN(S.pixelSpacing, 2) as [number, number] | null;
    },
  },
  // Modality decides whether missing pixels are an error: a repeat has its pixels.
  { slot: S.modality, fill: (h, r) => void (h.modality = r.str(S.modality)) },
  { slot: S.patientName, fill: (h, r) => void (h.patientName = r.str(S.patientName)) },
  { slot: S.patientId, fill: (h, r) => void (h.patientId = r.str(S.patientId)) },
  { slot: S.studyInstanceUid, fill: (h, r) => void (h.studyInstanceUid = r.str(S.studyInstanceUid)) },
  { slot: S.studyDate, fill: (h, r) => void (h.studyDate = r.str(S.studyDate)) },
  { slot: S.studyDescription, fill: (h, r) => void (h.studyDescription = r.str(S.studyDescription)) },
  { slot: S.seriesInstanceUid, fill: (h, r) => void (h.seriesInstanceUid = r.str(S.seriesInstanceUid)) },
  { slot: S.seriesNumber, fill: (h, r) => void (h.seriesNumber = r.is1(S.seriesNumber)) },
  { slot: S.seriesDescription, fill: (h, r) => void (h.seriesDescription = r.str(S.seriesDescription)) },
  { slot: S.instanceNumber, fill: (h, r) => void (h.instanceNumber = r.is1(S.instanceNumber)) },
  { slot: S.frameOfReferenceUid, fill: (h, r) => void (h.frameOfReferenceUid = r.strOrNull(S.frameOfReferenceUid)) },
  { slot: S.sliceThickness, fill: (h, r) => void (h.sliceThicknessMm = r.ds1(S.sliceThickness)) },
  { slot: S.spacingBetweenSlices, fill: (h, r) => void (h.spacingBetweenSlicesMm = r.ds1(S.spacingBetweenSlices)) },
  { slot: S.bitsStored, fill: (h, r) => void (h.bitsStored = r.us(S.bitsStored)) },
  { slot: S.pixelRepresentation, fill: (h, r) => void (h.pixelRepresentation = r.us(S.pixelRepresentation)) },
  { slot: S.rescaleSlope, fill: (h, r) => void (h.rescaleSlope = r.ds1(S.rescaleSlope)) },
  { slot: S.rescaleIntercept, fill: (h, r) => void (h.rescaleIntercept = r.ds1(S.rescaleIntercept)) },
  {
    slot: S.convolutionKernel,
    fill: (h, r) => void (h.convolutionKernel = r.values(S.convolutionKernel).filter(Boolean).join('\\') || null),
  },
  { slot: S.gantryTilt, fill: (h, r) => void (h.gantryTiltDeg = r.ds1(S.gantryTilt)) },
  { slot: S.imageType, fill: (h, r) => void (h.imageType = r.values(S.imageType)) },
];

/** The field a changed slot feeds, by slot (undefined: read by parseHeader itself). */
export const FIELD_BY_SLOT: readonly (HeaderField | undefined)[] = (() => {
  const bySlot: (HeaderField | undefined)[] = [];
  for (const f of HEADER_FIELDS) bySlot[f.slot] = f;
  return bySlot;
})();
