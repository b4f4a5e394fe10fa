/**
 * Reading back a TID 1500 SR (ours, or any whose lengths are SCT Length NUMs with a SCOORD3D)
 * into lesions and measurements of the open series (issue 16: "Restore measurements from SR").
 *
 * Pure and total: every input — not DICOM, truncated, another SOP class, another template,
 * another patient or series — gives a coded error value, never a throw. The measurements keep
 * a provenance that says where they came from: the reader, method, threshold and time written
 * in the SR, and the SR's own SOP instance (`source`).
 */
import { add, scale, sub } from '../geometry/vec';
import { z } from 'zod';
import { appError, err, ok, type AppError, type Result } from '../errors';
import { Vec3Schema, type Vec3 } from '../schemas/common';
import { LesionSchema, MeasurementSchema, SiteSchema, type Measurement, type MeasurementKind, type MeasurementMethod, type Site } from '../schemas/measurement';
import { CODES, OFF_AXIS_CHOICE_CODES, RECOMMENDATION_LEVEL_CODES, sameCode, type CodedConcept, type OffAxisChoice } from './codes';
import { isoOfDicomDateTime, readPart10, type NaturalDataset } from './dicomCodec';
import { SrAssessmentSchema, type SrAssessment } from './sr';
import { personNameText, textOf } from './studyContext';

export const SR_READ_ERROR = {
  NOT_DICOM: 'SR_NOT_DICOM',
  UNREADABLE: 'SR_UNREADABLE',
  NOT_SR: 'SR_NOT_SR',
  WRONG_TEMPLATE: 'SR_WRONG_TEMPLATE',
  OTHER_PATIENT: 'SR_OTHER_PATIENT',
  OTHER_SERIES: 'SR_OTHER_SERIES',
  MALFORMED: 'SR_MALFORMED',
} as const;

/** The SR storage classes (Basic, Enhanced, Comprehensive, Comprehensive 3D, Extensible). */
const SR_SOP_CLASSES = new Set(['1.2.840.10008.5.1.4.1.1.88.11', '1.2.840.10008.5.1.4.1.1.88.22', '1.2.840.10008.5.1.4.1.1.88.33', '1.2.840.10008.5.1.4.1.1.88.34', '1.2.840.10008.5.1.4.1.1.88.35']);

/** What the open study is: the SR must be about this patient and this series. */
export const SrExpectedSchema = z.object({
  patientId: z.string(),
  seriesInstanceUid: z.string().min(1),
});
export type SrExpected = z.infer<typeof SrExpectedSchema>;

export const ImportedLesionSchema = z.object({
  lesion: LesionSchema,
  thresholdHu: z.number(),
  trackingUid: z.string(),
  measurements: z.array(MeasurementSchema),
  /** The two ends (LPS mm) of each length, by measurement id: what redraws it. */
  lengthPointsMm: z.record(z.string(), z.tuple([Vec3Schema, Vec3Schema])),
  /** The reader's choice for a length drawn off the bone axis (FRW016), by measurement id, when the SR records one. */
  offAxisChoices: z.record(z.string(), z.enum(['along-axis', 'as-drawn'])).default({}),
  assessment: SrAssessmentSchema.nullable(),
});
export type ImportedLesion = z.infer<typeof ImportedLesionSchema>;

export const SrImportSchema = z.object({
  /** The SR these came from (provenance of every measurement below). */
  source: z.object({ sopInstanceUid: z.string(), seriesInstanceUid: z.string(), observer: z.string(), contentTime: z.string().nullable() }),
  seriesInstanceUid: z.string(),
  frameOfReferenceUid: z.string(),
  rulesVersion: z.string().nullable(),
  lesions: z.array(ImportedLesionSchema),
});
export type SrImport = z.infer<typeof SrImportSchema>;

type Code = { CodeValue?: unknown; CodingSchemeDesignator?: unknown; CodeMeaning?: unknown };
const seq = (x: unknown): NaturalDataset[] => (x === undefined || x === null ? [] : Array.isArray(x) ? (x as NaturalDataset[]) : [x as NaturalDataset]);
const conceptOf = (item: NaturalDataset): Code | undefined => seq(item.ConceptNameCodeSequence)[0] as Code | undefined;
const valueCodeOf = (item: NaturalDataset): Code | undefined => seq(item.ConceptCodeSequence)[0] as Code | undefined;
const itemsOf = (item: NaturalDataset) => seq(item.ContentSequence);
const withConcept = (items: NaturalDataset[], c: CodedConcept) => items.filter((i) => sameCode(conceptOf(i), c));
const firstText = (items: NaturalDataset[], c: CodedConcept) => {
  const t = withConcept(items, c)[0];
  return t ? textOf(t.TextValue) : undefined;
};
function numberOf(item: NaturalDataset | undefined): number | null {
  const mv = item ? seq(item.MeasuredValueSequence)[0] : undefined;
  const v = mv ? Number(textOf(mv.NumericValue)) : Number.NaN;
  return Number.isFinite(v) ? v : null;
}
const unitOf = (item: NaturalDataset) => textOf((seq(seq(item.MeasuredValueSequence)[0]?.MeasurementUnitsCodeSequence)[0] as Code | undefined)?.CodeValue);

/** Series (and their instances) the SR names as evidence. */
function evidenceSeries(ds: NaturalDataset): Map<string, { sopClassUid: string; sopInstanceUid: string }[]> {
  const out = new Map<string, { sopClassUid: string; sopInstanceUid: string }[]>();
  for (const study of [...seq(ds.CurrentRequestedProcedureEvidenceSequence), ...seq(ds.PertinentOtherEvidenceSequence)]) {
    for (const s of seq(study.ReferencedSeriesSequence)) {
      const refs = seq(s.ReferencedSOPSequence).map((r) => ({ sopClassUid: textOf(r.ReferencedSOPClassUID), sopInstanceUid: textOf(r.ReferencedSOPInstanceUID) }));
      out.set(textOf(s.SeriesInstanceUID), [...(out.get(textOf(s.SeriesInstanceUID)) ?? []), ...refs]);
    }
  }
  return out;
}

const KIND_BY_CONCEPT: [CodedConcept, MeasurementKind][] = [
  [CODES.length, 'axialLengthMm'],
  [CODES.circumferentialPercent, 'circumferentialPercent'],
  [CODES.axialPercent, 'axialPercent'],
];

/** FRW016 under a length NUM: whether its value is the along-axis component or the line as drawn. */
function offAxisChoiceOf(num: NaturalDataset): OffAxisChoice | null {
  const c = valueCodeOf(withConcept(itemsOf(num), CODES.offAxisChoice)[0] ?? {});
  return (Object.entries(OFF_AXIS_CHOICE_CODES).find(([, v]) => sameCode(c, v))?.[0] ?? null) as OffAxisChoice | null;
}

function lengthPoints(num: NaturalDataset): [Vec3, Vec3] | null {
  const scoord = itemsOf(num).find((c) => c.ValueType === 'SCOORD3D');
  const g = scoord ? Array.from((scoord.GraphicData as ArrayLike<number> | undefined) ?? []).map(Number) : [];
  if (g.length < 6 || g.some((x) => !Number.isFinite(x))) return null;
  // A polyline: its first and last points are the length's ends.
  const n = g.length;
  return [
    [g[0], g[1], g[2]],
    [g[n - 3], g[n - 2], g[n - 1]],
  ];
}

/**
 * The acquired-axis plane (coronal or sagittal) that holds a line best: where a restored length
 * is redrawn, and the reformat plane its provenance names when the SR cites no image.
 */
export function planeHoldingLine(points: [Vec3, Vec3]): { kind: 'coronal' | 'sagittal'; origin: Vec3; normal: Vec3 } {
  const d = sub(points[1], points[0]);
  const coronal = Math.abs(d[1]) <= Math.abs(d[0]);
  const origin = scale(add(points[0], points[1]), 0.5);
  return coronal ? { kind: 'coronal', origin, normal: [0, 1, 0] } : { kind: 'sagittal', origin, normal: [1, 0, 0] };
}

interface GroupContext {
  expected: SrExpected;
  observer: string;
  fallbackTime: string;
  evidenceImages: string[];
  fallbackThresholdHu: number;
}

function methodOf(children: NaturalDataset[]): MeasurementMethod {
  const c = valueCodeOf(withConcept(children, CODES.measurementMethod)[0] ?? {});
  return sameCode(c, CODES.assisted) ? 'assisted' : 'manual';
}

/** One NUM as a measurement of the open series, with the provenance written beside it. */
function measurementOf(num: NaturalDataset, kind: MeasurementKind, id: string, lesionId: string, g: GroupContext): Measurement | null {
  const value = numberOf(num);
  if (value === null) return null;
  const children = itemsOf(num);
  const images = children.filter((c) => c.ValueType === 'IMAGE').flatMap((c) => seq(c.ReferencedSOPSequence).map((r) => textOf(r.ReferencedSOPInstanceUID)));
  const reader = personNameText(withConcept(children, CODES.personObserverName)[0]?.PersonName) || g.observer;
  const time = isoOfDicomDateTime(textOf(num.ObservationDateTime)) ?? g.fallbackTime;
  // Where it was drawn: the images the SR cites; else a length's own plane; else the SR's evidence.
  const points = kind === 'axialLengthMm' ? lengthPoints(num) : null;
  const where = images.length ? { sopInstanceUids: images } : points ? { plane: planeHoldingLine(points) } : { sopInstanceUids: g.evidenceImages.slice(0, 1) };
  const candidate = {
    id,
    lesionId,
    kind,
    value,
    unit: kind === 'axialLengthMm' ? 'mm' : '%',
    provenance: {
      seriesInstanceUid: g.expected.seriesInstanceUid,
      ...where,
      tool: firstText(children, CODES.tool) || (kind === 'axialLengthMm' ? 'Length' : 'dicom-sr'),
      thresholdHu: numberOf(withConcept(children, CODES.thresholdHu)[0]) ?? g.fallbackThresholdHu,
      method: methodOf(children),
      reader,
      time,
    },
  };
  const parsed = MeasurementSchema.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}

function assessmentOf(items: NaturalDataset[]): SrAssessment | null {
  const mirels = numberOf(withConcept(items, CODES.mirelsScore)[0]);
  const sins = numberOf(withConcept(items, CODES.sinsScore)[0]);
  const levelCode = valueCodeOf(withConcept(items, CODES.recommendation)[0] ?? {});
  const level = (Object.entries(RECOMMENDATION_LEVEL_CODES).find(([, c]) => sameCode(levelCode, c))?.[0] ?? null) as SrAssessment['level'];
  const reasons = withConcept(items, CODES.recommendationReason).map((t) => textOf(t.TextValue));
  if (mirels === null && sins === null && level === null && reasons.length === 0) return null;
  return { mirelsScore: mirels, sinsScore: sins, level, reasons };
}

function lesionOf(group: NaturalDataset, index: number, g: GroupContext, srUid: string): ImportedLesion | null {
  const items = itemsOf(group);
  const trackingUid = textOf(withConcept(items, CODES.trackingUniqueIdentifier)[0]?.UID) || `${srUid}.${index + 1}`;
  // Ids unique per SR and group, so restoring two SRs (or one twice) never mixes lesions.
  const lesionId = `sr-${trackingUid.slice(-12)}-${index + 1}`;
  const siteText = firstText(items, CODES.siteCategory) ?? '';
  const site: Site = SiteSchema.safeParse(siteText).success ? (siteText as Site) : 'other';
  const findingSite = valueCodeOf(withConcept(items, CODES.findingSite)[0] ?? {});
  const bone = firstText(items, CODES.boneAsWritten) ?? textOf(findingSite?.CodeMeaning);
  const level = firstText(items, CODES.vertebralLevel);
  const label = firstText(items, CODES.lesionLabel) || bone || `SR lesion ${index + 1}`;
  const nums = items.filter((i) => i.ValueType === 'NUM');
  const measurements: Measurement[] = [];
  const lengthPointsMm: Record<string, [Vec3, Vec3]> = {};
  const offAxisChoices: Record<string, OffAxisChoice> = {};
  for (const num of nums) {
    const kind = KIND_BY_CONCEPT.find(([c]) => sameCode(conceptOf(num), c))?.[1];
    if (!kind || (kind === 'axialLengthMm' ? unitOf(num) !== 'mm' : unitOf(num) !== '%')) continue;
    const m = measurementOf(num, kind, `${lesionId}-m${measurements.length + 1}`, lesionId, g);
    if (!m) continue;
    measurements.push(m);
    const points = kind === 'axialLengthMm' ? lengthPoints(num) : null;
    if (points) lengthPointsMm[m.id] = points;
    const choice = kind === 'axialLengthMm' ? offAxisChoiceOf(num) : null;
    if (choice) offAxisChoices[m.id] = choice;
  }
  if (measurements.length === 0 && !firstText(items, CODES.lesionLabel)) return null;
  const thresholdHu = measurements[0]?.provenance.thresholdHu ?? g.fallbackThresholdHu;
  return {
    lesion: { id: lesionId, bone, site, label, ...(level ? { level } : {}) },
    thresholdHu,
    trackingUid,
    measurements,
    lengthPointsMm,
    offAxisChoices,
    assessment: assessmentOf(items),
  };
}

/** Default threshold when the SR does not say (clinical-rules §1). */
const DEFAULT_THRESHOLD_HU = 400;

export function readMeasurementReportSr(bytes: Uint8Array, expectedRaw: SrExpected): Result<SrImport, AppError> {
  const expected = SrExpectedSchema.parse(expectedRaw);
  if (bytes.length < 132 || String.fromCharCode(bytes[128], bytes[129], bytes[130], bytes[131]) !== 'DICM') {
    return err(appError(SR_READ_ERROR.NOT_DICOM, 'This file is not DICOM.'));
  }
  const read = readPart10(bytes);
  if (!read.ok) return err(appError(SR_READ_ERROR.UNREADABLE, 'The SR file is truncated or damaged and could not be read.'));
  try {
    return readDataset(read.value, expected);
  } catch (e) {
    // Last guard for a structure no check above foresaw: still a value, never a throw.
    return err(appError(SR_READ_ERROR.MALFORMED, `The SR's content tree could not be read (${e instanceof Error ? e.message : String(e)}).`));
  }
}

function readDataset(ds: NaturalDataset, expected: SrExpected): Result<SrImport, AppError> {
  const sopClass = textOf(ds.SOPClassUID);
  if (!SR_SOP_CLASSES.has(sopClass) || textOf(ds.Modality) !== 'SR') {
    return err(appError(SR_READ_ERROR.NOT_SR, `This DICOM object is not a Structured Report (modality ${textOf(ds.Modality) || 'none'}).`));
  }
  const template = seq(ds.ContentTemplateSequence)[0];
  const rootConcept = conceptOf(ds);
  if (textOf(template?.TemplateIdentifier) !== '1500' || !sameCode(rootConcept, CODES.imagingMeasurementReport)) {
    const id = textOf(template?.TemplateIdentifier);
    return err(appError(SR_READ_ERROR.WRONG_TEMPLATE, `This SR is not a TID 1500 Measurement Report (template ${id ? `TID ${id}` : 'not declared'}${rootConcept?.CodeMeaning ? `, "${textOf(rootConcept.CodeMeaning)}"` : ''}).`));
  }
  // Patient identifiers are compared, never written into the message.
  if (textOf(ds.PatientID) !== expected.patientId) {
    return err(appError(SR_READ_ERROR.OTHER_PATIENT, 'This SR belongs to another patient than the open study.', { field: 'PatientID' }));
  }
  const evidence = evidenceSeries(ds);
  if (!evidence.has(expected.seriesInstanceUid)) {
    return err(appError(SR_READ_ERROR.OTHER_SERIES, `This SR measures ${evidence.size === 1 ? 'another series' : `${evidence.size} other series`}, not the open one.`, { field: 'SeriesInstanceUID' }));
  }
  // No "Imaging Measurements" container: a report of no lesion (ours leaves it out when empty).
  const measurementsContainer = withConcept(itemsOf(ds), CODES.imagingMeasurements)[0] ?? {};
  const observer = personNameText(withConcept(itemsOf(ds), CODES.personObserverName)[0]?.PersonName);
  const contentTime = isoOfDicomDateTime(`${textOf(ds.ContentDate)}${textOf(ds.ContentTime).split('.')[0]}`);
  const srUid = textOf(ds.SOPInstanceUID);
  const g: GroupContext = {
    expected,
    observer: observer === 'unknown' ? '' : observer,
    fallbackTime: contentTime ?? new Date(0).toISOString(),
    evidenceImages: (evidence.get(expected.seriesInstanceUid) ?? []).map((r) => r.sopInstanceUid),
    fallbackThresholdHu: DEFAULT_THRESHOLD_HU,
  };
  const groups = withConcept(itemsOf(measurementsContainer), CODES.measurementGroup);
  const lesions = groups.map((group, i) => lesionOf(group, i, g, srUid)).filter((l): l is ImportedLesion => l !== null);
  const frameOfReferenceUid = textOf(
    groups.flatMap((gr) => itemsOf(gr)).flatMap((n) => itemsOf(n)).find((c) => c.ValueType === 'SCOORD3D')?.ReferencedFrameOfReferenceUID,
  );
  const rulesVersion = groups.map((gr) => firstText(itemsOf(gr), CODES.rulesVersion)).find((v) => v) ?? null;
  return ok({
    source: { sopInstanceUid: srUid, seriesInstanceUid: textOf(ds.SeriesInstanceUID), observer: g.observer, contentTime },
    seriesInstanceUid: expected.seriesInstanceUid,
    frameOfReferenceUid,
    rulesVersion,
    lesions,
  });
}
