/**
 * DICOM on bytes, for every host (Node CLI/main, worker threads, browser Web Worker):
 * `parseHeader` reads one file's header (no pixel decoding), `assembleScan` groups many into
 * studies → series with checks. Pure TS: no Node API, no DOM.
 */
export { parseHeader, sniffDicom, HEADER_ERROR, HEADER_WARNING, type HeaderRef } from './parseHeader';
export { assembleScan, SCAN_WARNING, GEOMETRY_TOLERANCE, MIN_SLICES_FOR_VOLUME, RT_MODALITIES } from './assembleScan';
export {
  TRANSFER_SYNTAXES,
  transferSyntaxName,
  type TransferSyntaxInfo,
  IMPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_BIG_ENDIAN,
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
} from './transferSyntaxes';
export type { HeaderResult, ParsedHeader, ScanResult, Series, Study, OtherObject, Instance, ScanWarning } from '../schemas/scan';
