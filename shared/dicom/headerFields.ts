/**
 * The header fields read straight from one element each, in the order parseHeader reads them
 * (so warnings come in the same order).
 * Rows, columns, bits, frames, SOP class and UID and Pixel Data are read by parseHeader itself
 * (its checks depend on them).
 */
import type { ParsedHeader } from '../schemas/scan';
import { TAG } from './tags';
import type { Reader } from './values';

const S = TAG;

export const HEADER_FIELDS: readonly ((h: ParsedHeader, r: Reader) => void)[] = [
  // A new array of exactly 3 (dsN checks the count).
  (h, r) => void (h.imagePositionPatient = r.dsN(S.imagePositionPatient, 3) as [number, number, number] | null),
  (h, r) => void (h.imageOrientationPatient = r.dsN(S.imageOrientationPatient, 6)),
  (h, r) => void (h.pixelSpacingMm = r.dsN(S.pixelSpacing, 2) as [number, number] | null),
  (h, r) => void (h.modality = r.str(S.modality)),
  (h, r) => void (h.patientName = r.str(S.patientName)),
  (h, r) => void (h.patientId = r.str(S.patientId)),
  (h, r) => void (h.studyInstanceUid = r.str(S.studyInstanceUid)),
  (h, r) => void (h.studyDate = r.str(S.studyDate)),
  (h, r) => void (h.studyDescription = r.str(S.studyDescription)),
  (h, r) => void (h.seriesInstanceUid = r.str(S.seriesInstanceUid)),
  (h, r) => void (h.seriesNumber = r.is1(S.seriesNumber)),
  (h, r) => void (h.seriesDescription = r.str(S.seriesDescription)),
  (h, r) => void (h.instanceNumber = r.is1(S.instanceNumber)),
  (h, r) => void (h.frameOfReferenceUid = r.strOrNull(S.frameOfReferenceUid)),
  (h, r) => void (h.sliceThicknessMm = r.ds1(S.sliceThickness)),
  (h, r) => void (h.spacingBetweenSlicesMm = r.ds1(S.spacingBetweenSlices)),
  (h, r) => void (h.bitsStored = r.us(S.bitsStored)),
  (h, r) => void (h.pixelRepresentation = r.us(S.pixelRepresentation)),
  (h, r) => void (h.rescaleSlope = r.ds1(S.rescaleSlope)),
  (h, r) => void (h.rescaleIntercept = r.ds1(S.rescaleIntercept)),
  (h, r) => void (h.convolutionKernel = r.values(S.convolutionKernel).filter(Boolean).join('\\') || null),
  (h, r) => void (h.gantryTiltDeg = r.ds1(S.gantryTilt)),
  (h, r) => void (h.imageType = r.values(S.imageType)),
];
