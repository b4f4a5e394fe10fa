/** Stable codes of RTSTRUCT errors and issues (issue 17); messages are built where they occur. */
export const RT_ERROR = {
  UNREADABLE: 'rt.unreadable',
  NOT_RTSTRUCT: 'rt.not-rtstruct',
  /** The structure set's Frame of Reference differs from the series': refused, never drawn. */
  FRAME_OF_REFERENCE_MISMATCH: 'rt.frame-of-reference-mismatch',
  NO_FRAME_OF_REFERENCE: 'rt.no-frame-of-reference',
  /** No image series to draw the structure set on (an RTSTRUCT alone in its folder). */
  NO_SERIES: 'rt.no-series',
  EXPORT: 'rt.export-failed',
} as const;

export const RT_WARNING = {
  CONTOUR_SKIPPED: 'rt.contour-skipped',
  ROI_SKIPPED: 'rt.roi-skipped',
  SEVERAL_FRAMES: 'rt.several-frames-of-reference',
  OTHER_SERIES: 'rt.references-other-series',
  NO_REFERENCED_SERIES: 'rt.no-referenced-series',
  IMAGES_MISSING: 'rt.referenced-images-missing',
  CONTOUR_IMAGE_MISSING: 'rt.contour-images-missing',
  BETWEEN_SLICES: 'rt.contours-between-slices',
  OUTSIDE_SERIES: 'rt.contours-outside-series',
  NOT_AXIAL: 'rt.contours-not-on-slice-planes',
  NO_ROIS: 'rt.no-rois',
  EMPTY_ROI: 'rt.roi-without-contours',
} as const;
