/** Coded outcomes and warnings of parseHeader: stable strings that tests and the UI key on. */
export const HEADER_ERROR = {
  /** The bytes end before the header does; the host passed a prefix and should read more. */
  NEED_MORE_BYTES: 'DICOM_NEED_MORE_BYTES',
  TRUNCATED: 'DICOM_TRUNCATED',
  PIXEL_DATA_TRUNCATED: 'DICOM_PIXEL_DATA_TRUNCATED',
  PIXEL_DATA_MISSING: 'DICOM_PIXEL_DATA_MISSING',
  STRAY_LEADING_BYTES: 'DICOM_STRAY_LEADING_BYTES',
  META_UNREADABLE: 'DICOM_META_UNREADABLE',
  DEFLATE_UNSUPPORTED: 'DICOM_DEFLATE_UNSUPPORTED',
  MALFORMED: 'DICOM_MALFORMED',
  /** A parser failure our checks did not anticipate (the fuzz test requires none). */
  UNEXPECTED: 'DICOM_UNEXPECTED',
  NO_SOP_CLASS: 'DICOM_NO_SOP_CLASS',
} as const;

/** Header-level warning codes (they end up on the series or the other object). */
export const HEADER_WARNING = {
  TRANSFER_SYNTAX_INFERRED: 'TRANSFER_SYNTAX_INFERRED',
  NO_FILE_META: 'NO_FILE_META',
  SOP_INSTANCE_UID_FROM_META: 'SOP_INSTANCE_UID_FROM_META',
  SOP_CLASS_UID_FROM_META: 'SOP_CLASS_UID_FROM_META',
  INVALID_VALUE: 'INVALID_VALUE',
  PARSER_WARNING: 'PARSER_WARNING',
} as const;
