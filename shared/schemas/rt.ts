import { z } from 'zod';
import { Vec3Schema } from './common';

/**
 * RT Structure Set values (issue 17): what shared/rt/parseRtStruct reads from an RTSTRUCT, what
 * validateRtStruct says about it against a CT series, and the per-lesion coverage. They cross the
 * main/renderer/CLI boundaries, so each has one schema here. Keys may be added, never renamed.
 */
export const RT_GEOMETRIC_TYPES = ['CLOSED_PLANAR', 'OPEN_PLANAR', 'OPEN_NONPLANAR', 'POINT'] as const;

export const RtContourSchema = z.object({
  geometricType: z.enum(RT_GEOMETRIC_TYPES),
  /** Contour Data flattened x0,y0,z0,x1,… in patient LPS mm (flat: BODY contours hold thousands of points). */
  pointsMm: z.array(z.number()),
  /** Contour Image Sequence: the images the contour was drawn on (may be empty). */
  referencedSopInstanceUids: z.array(z.string()),
});

export const RtRoiSchema = z.object({
  number: z.number().int(),
  name: z.string(),
  /** ROI Display Color (0–255 each), else a palette colour (colorSource says which). */
  color: z.tuple([z.number(), z.number(), z.number()]),
  colorSource: z.enum(['dicom', 'palette']),
  /** RT ROI Interpreted Type (GTV, PTV, ORGAN, EXTERNAL …), '' when absent. */
  interpretedType: z.string(),
  frameOfReferenceUid: z.string().nullable(),
  contours: z.array(RtContourSchema),
});

export const RtParseWarningSchema = z.object({ code: z.string(), message: z.string() });

export const RtStructSchema = z.object({
  file: z.string(),
  sopInstanceUid: z.string(),
  seriesInstanceUid: z.string(),
  studyInstanceUid: z.string(),
  label: z.string(),
  /** Structure Set Date (3006,0008) and Time (3006,0009) as written (DA / TM), when present. */
  date: z.string().optional(),
  time: z.string().optional(),
  /** Frame of Reference of the structure set (Referenced Frame of Reference Sequence, else the ROIs'). */
  frameOfReferenceUid: z.string().nullable(),
  /** RT Referenced Series Sequence: the image series the structure set was drawn on. */
  referencedSeriesInstanceUids: z.array(z.string()),
  /** Images listed in the RT Referenced Series' Contour Image Sequence. */
  referencedSopInstanceUids: z.array(z.string()),
  rois: z.array(RtRoiSchema),
  warnings: z.array(RtParseWarningSchema),
});

/** What validation needs of the CT series (from the scan's Series or a loaded volume). */
export const RtSeriesGeometrySchema = z.object({
  seriesInstanceUid: z.string(),
  frameOfReferenceUid: z.string().nullable(),
  /** Slice normal (row × column direction). */
  normal: Vec3Schema,
  slices: z.array(z.object({ sopInstanceUid: z.string(), positionMm: z.number() })),
});

export const RtIssueSchema = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  /** A sentence in words (no file name, no UID); UIDs and the like go to `details`. */
  message: z.string(),
  /** Identifiers behind the message (UIDs …), for a tooltip or a details element. */
  details: z.string().optional(),
  /** The values in the message, for a translation by code (counts, ROI names). */
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  roiNumber: z.number().int().optional(),
  count: z.number().int().optional(),
});

export const RtCheckSchema = z.object({
  /** False: the structure set must not be drawn on this series (an error issue says why). */
  usable: z.boolean(),
  issues: z.array(RtIssueSchema),
  referencedImageCount: z.number().int(),
  missingReferencedImageCount: z.number().int(),
  /** Per ROI: contours drawable on a slice of the series, and those that are not (and why). */
  rois: z.array(
    z.object({
      number: z.number().int(),
      contours: z.number().int(),
      onSlices: z.number().int(),
      imageMissing: z.number().int(),
      betweenSlices: z.number().int(),
      outsideSeries: z.number().int(),
      notAxial: z.number().int(),
    }),
  ),
});

export const RtCoverageSchema = z.object({
  roiNumber: z.number().int(),
  roiName: z.string(),
  /** Share of the involved cortical region (sampled on the most affected section) inside the ROI, %; null when nothing to measure. */
  involvedRegionPercent: z.number().min(0).max(100).nullable(),
  /** Share of the involved arc (angle) whose mid-cortex point lies inside the ROI, %. */
  involvedArcPercent: z.number().min(0).max(100).nullable(),
  seedInside: z.boolean(),
  /** 'covers' (all of the region), 'partial', 'touches' (the seed only), 'none'. */
  relation: z.enum(['covers', 'partial', 'touches', 'none']),
  sentence: z.string(),
});

/** A structure's coverage as a lesion keeps it (session, report): with the structure set's file. */
export const RtLesionCoverageSchema = RtCoverageSchema.extend({ file: z.string() });

export type RtLesionCoverage = z.infer<typeof RtLesionCoverageSchema>;
export type RtContour = z.infer<typeof RtContourSchema>;
export type RtRoi = z.infer<typeof RtRoiSchema>;
export type RtStruct = z.infer<typeof RtStructSchema>;
export type RtSeriesGeometry = z.infer<typeof RtSeriesGeometrySchema>;
export type RtIssue = z.infer<typeof RtIssueSchema>;
export type RtCheck = z.infer<typeof RtCheckSchema>;
export type RtCoverage = z.infer<typeof RtCoverageSchema>;
