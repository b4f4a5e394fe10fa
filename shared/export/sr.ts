/**
 * DICOM Comprehensive 3D SR, TID 1500 Measurement Report, of a session's lesions (issue 16).
 *
 * One measurement group per lesion: tracking identifier and UID, finding (bone metastasis),
 * finding site (bone, laterality), the axial lengths first (SCT Length, UCUM mm, SCOORD3D
 * polyline on the CT's frame of reference — the very items Cornerstone3D's Length adapter writes,
 * so `MeasurementReport.generateToolState` hydrates them as Length annotations in OHIF or any
 * Cornerstone3D viewer), then the circumferential and axial % (private 99FRW codes, codes.ts),
 * each NUM with its method, HU threshold, reader, time and source images; then the Mirels / SINS
 * scores, the recommendation level, its reasons and the rules version.
 *
 * The TID 1500 tree is assembled by dcmjs' own TID1500 / TID1501 / TID300 classes and encoded by
 * dcmjs; this module only adds the app's items and the IOD's modules. Pure: no clock, no files.
 */
import dcmjs from 'dcmjs';
import { z } from 'zod';
import { LevelSchema } from '../schemas/assessment';
import { TimestampSchema, Vec3Schema, type Vec3 } from '../schemas/common';
import { LesionSchema, MeasurementSchema, type Measurement } from '../schemas/measurement';
import { CODES, FRW_CODING_SCHEME_IDENTIFICATION, MEASUREMENT_CONCEPTS, METHOD_CODES, OFF_AXIS_CHOICE_CODES, RECOMMENDATION_LEVEL_CODES, UNITS, boneCode, lateralityCode, type CodedConcept } from './codes';
import { derivedUid, dicomDateTime, newUid, writePart10, type NaturalDataset } from './dicomCodec';
import { StudyContextSchema, patientStudyAttributes, type ImageRef } from './studyContext';

export const COMPREHENSIVE_3D_SR = '1.2.840.10008.5.1.4.1.1.88.34';
/** What Cornerstone3D's Length adapter recognises (CORNERSTONE_3D_TAG + ':' + tool type). */
export const CORNERSTONE_LENGTH_TRACKING_ID = 'Cornerstone3DTools@^0.1.0:Length';
/** Tracking identifier of a lesion group without a drawn length (no Cornerstone tool to hydrate). */
export const FRW_LESION_TRACKING_ID = 'FRW lesion';

export const SrMeasurementSchema = z.object({
  measurement: MeasurementSchema,
  /**
   * Ends of an axial length (LPS mm), written as its SCOORD3D; null for % values. They must be
   * the segment the value measures (its ends `value` apart): for an along-axis choice, the drawn
   * line projected on the axis (geometry/length.ts alongAxisSegment), not the drawn ends.
   */
  lengthPointsMm: z.tuple([Vec3Schema, Vec3Schema]).nullable().default(null),
  /** The reader's choice for a length drawn off the bone axis (FRW016); null when none was asked. */
  offAxisChoice: z.enum(['along-axis', 'as-drawn']).nullable().default(null),
});
export type SrMeasurement = z.input<typeof SrMeasurementSchema>;

export const SrAssessmentSchema = z.object({
  mirelsScore: z.number().int().nullable(),
  sinsScore: z.number().int().nullable(),
  level: LevelSchema.nullable(),
  /** Each reason as shown to the user: its text and its source's citation (clinical-rules §10). */
  reasons: z.array(z.string()),
});
export type SrAssessment = z.infer<typeof SrAssessmentSchema>;

export const SrLesionSchema = z.object({
  lesion: LesionSchema,
  thresholdHu: z.number().finite(),
  /** UID of the lesion across exports (Tracking Unique Identifier); trackingUidFor(study, lesion id) when absent. */
  trackingUid: z.string().optional(),
  measurements: z.array(SrMeasurementSchema),
  assessment: SrAssessmentSchema.nullable().default(null),
});
export type SrLesion = z.input<typeof SrLesionSchema>;

export const SrExportInputSchema = z.object({
  context: StudyContextSchema,
  lesions: z.array(SrLesionSchema),
  reader: z.string(),
  rulesVersion: z.string().nullable(),
  app: z.object({ name: z.string().min(1), version: z.string().min(1) }),
  createdAt: TimestampSchema,
  /** Language of the SR's text items (reasons, labels): declared in the root's Language item. */
  language: z.enum(['en', 'fr']).default('en'),
  /** New series and instance UIDs (generated when absent). */
  seriesInstanceUid: z.string().optional(),
  sopInstanceUid: z.string().optional(),
  seriesNumber: z.number().int().default(9901),
  instanceNumber: z.number().int().default(1),
});
export type SrExportInput = z.input<typeof SrExportInputSchema>;
type Input = z.output<typeof SrExportInputSchema>;

const { TID1500MeasurementReport, TID1501MeasurementGroup } = dcmjs.utilities.TID1500;
const { TID300Measurement, Length: TID300Length } = dcmjs.utilities.TID300;

/**
 * A lesion's Tracking Unique Identifier, the same at every export of that lesion of that study
 * (so a PACS or OHIF can follow it across reports): the 2.25 form of a 128-bit FNV-1a hash of
 * the study UID and the lesion id (not secret, only stable and well spread).
 */
export function trackingUidFor(studyInstanceUid: string, lesionId: string): string {
  return derivedUid(studyInstanceUid, lesionId);
}

/** DS values hold 16 characters: 10 significant digits keep every value the app shows. */
const ds = (x: number) => Number(x.toPrecision(10));

const code = (relationship: string, concept: CodedConcept, value: CodedConcept, children?: NaturalDataset[]): NaturalDataset => ({
  RelationshipType: relationship,
  ValueType: 'CODE',
  ConceptNameCodeSequence: [concept],
  ConceptCodeSequence: [value],
  ...(children?.length ? { ContentSequence: children } : {}),
});
const text = (relationship: string, concept: CodedConcept, value: string): NaturalDataset => ({
  RelationshipType: relationship,
  ValueType: 'TEXT',
  ConceptNameCodeSequence: [concept],
  TextValue: value,
});
const num = (relationship: string, concept: CodedConcept, value: number, unit: CodedConcept, children?: NaturalDataset[]): NaturalDataset => ({
  RelationshipType: relationship,
  ValueType: 'NUM',
  ConceptNameCodeSequence: [concept],
  MeasuredValueSequence: [{ MeasurementUnitsCodeSequence: [unit], NumericValue: ds(value) }],
  ...(children?.length ? { ContentSequence: children } : {}),
});
const imageItem = (ref: ImageRef): NaturalDataset => ({
  RelationshipType: 'INFERRED FROM',
  ValueType: 'IMAGE',
  ReferencedSOPSequence: [{ ReferencedSOPClassUID: ref.sopClassUid, ReferencedSOPInstanceUID: ref.sopInstanceUid }],
});

/** The source images a measurement was drawn on (same series, so the context image's class). */
function imagesOf(m: Measurement, sopClassUid: string): ImageRef[] {
  return (m.provenance.sopInstanceUids ?? []).map((sopInstanceUid) => ({ sopClassUid, sopInstanceUid }));
}

/** Method, threshold, tool, reader and source images of one NUM: its provenance, itemised. */
function provenanceItems(m: Measurement, sopClassUid: string, offAxisChoice: SrMeasurementOut['offAxisChoice'] = null): NaturalDataset[] {
  const p = m.provenance;
  return [
    code('HAS CONCEPT MOD', CODES.measurementMethod, METHOD_CODES[p.method]),
    ...(m.kind === 'axialLengthMm' && offAxisChoice ? [code('HAS PROPERTIES', CODES.offAxisChoice, OFF_AXIS_CHOICE_CODES[offAxisChoice])] : []),
    num('HAS PROPERTIES', CODES.thresholdHu, p.thresholdHu, UNITS.hu),
    text('HAS PROPERTIES', CODES.tool, p.tool),
    ...(p.reader.trim() ? [{ RelationshipType: 'HAS OBS CONTEXT', ValueType: 'PNAME', ConceptNameCodeSequence: [CODES.personObserverName], PersonName: p.reader }] : []),
    ...imagesOf(m, sopClassUid).map(imageItem),
  ];
}

/** The length NUM with its SCOORD3D exactly as dcmjs' TID300 Length (the adapter's writer) makes it. */
function lengthNum(m: SrMeasurementOut, [a, b]: [Vec3, Vec3], input: Input): NaturalDataset {
  // Points as {x, y, z}: dcmjs flattens arrays with `p[0] || p.x`, which loses a 0 coordinate.
  const tid300 = new TID300Length({
    point1: { x: a[0], y: a[1], z: a[2] },
    point2: { x: b[0], y: b[1], z: b[2] },
    distance: ds(m.measurement.value),
    unit: 'mm',
    use3DSpatialCoordinates: true,
    ReferencedFrameOfReferenceUID: input.context.frameOfReferenceUid,
  });
  const items = tid300.contentItem() as NaturalDataset[];
  const numItem = items[items.length - 1];
  const scoord = numItem.ContentSequence as NaturalDataset;
  return { ...numItem, ContentSequence: [scoord, ...provenanceItems(m.measurement, input.context.image.sopClassUid, m.offAxisChoice)] };
}

type SrMeasurementOut = z.output<typeof SrMeasurementSchema>;
type SrLesionOut = z.output<typeof SrLesionSchema>;

function measurementNum(m: SrMeasurementOut, input: Input): NaturalDataset {
  // A SCOORD3D needs the frame of reference (type 1): a source without one gets the bare number.
  const item =
    m.measurement.kind === 'axialLengthMm' && m.lengthPointsMm && input.context.frameOfReferenceUid
      ? lengthNum(m, m.lengthPointsMm, input)
      : num('CONTAINS', MEASUREMENT_CONCEPTS[m.measurement.kind], m.measurement.value, m.measurement.unit === 'mm' ? UNITS.mm : UNITS.percent, provenanceItems(m.measurement, input.context.image.sopClassUid, m.offAxisChoice));
  // Without an offset: dcmtk flags one inside SR content; TimezoneOffsetFromUTC (+0000) says UTC.
  return { ...item, ObservationDateTime: dicomDateTime(m.measurement.provenance.time).dateTimeUtc };
}

/** Lengths first: the adapter hydrates a group from its first NUM and that NUM's SCOORD3D. */
function orderedMeasurements(l: SrLesionOut): SrMeasurementOut[] {
  const rank = (m: SrMeasurementOut) => (m.measurement.kind === 'axialLengthMm' ? (m.lengthPointsMm ? 0 : 1) : 2);
  return [...l.measurements].sort((a, b) => rank(a) - rank(b));
}

function lesionItems(l: SrLesionOut, rulesVersion: string | null): NaturalDataset[] {
  const { lesion, assessment } = l;
  // A TEXT item must have a value (type 1): an empty label or bone is left out.
  const texts: [CodedConcept, string | undefined][] = [
    [CODES.lesionLabel, lesion.label],
    [CODES.boneAsWritten, lesion.bone],
    [CODES.siteCategory, lesion.site],
    [CODES.vertebralLevel, lesion.level],
  ];
  return [
    ...texts.filter(([, v]) => v?.trim()).map(([c, v]) => text('CONTAINS', c, v as string)),
    ...(assessment?.mirelsScore != null ? [num('CONTAINS', CODES.mirelsScore, assessment.mirelsScore, UNITS.score)] : []),
    ...(assessment?.sinsScore != null ? [num('CONTAINS', CODES.sinsScore, assessment.sinsScore, UNITS.score)] : []),
    ...(assessment?.level ? [code('CONTAINS', CODES.recommendation, RECOMMENDATION_LEVEL_CODES[assessment.level])] : []),
    ...(assessment?.reasons ?? []).map((r) => text('CONTAINS', CODES.recommendationReason, r)),
    ...(assessment && rulesVersion ? [text('CONTAINS', CODES.rulesVersion, rulesVersion)] : []),
  ];
}

/** One lesion as a dcmjs TID 300 measurement (what TID1501MeasurementGroup and TID1500 expect). */
function lesionMeasurement(l: SrLesionOut, input: Input, trackingUid: string) {
  const ordered = orderedMeasurements(l);
  const drawnLength = ordered[0]?.measurement.kind === 'axialLengthMm' && ordered[0].lengthPointsMm !== null && input.context.frameOfReferenceUid !== '';
  const site = boneCode(l.lesion.bone, l.lesion.site);
  const laterality = lateralityCode(l.lesion.bone, l.lesion.label);
  const base = new TID300Measurement({
    trackingIdentifierTextValue: drawnLength ? CORNERSTONE_LENGTH_TRACKING_ID : FRW_LESION_TRACKING_ID,
    finding: CODES.boneMetastasis,
    findingSites: [site],
  });
  const firstImage = ordered.flatMap((m) => imagesOf(m.measurement, input.context.image.sopClassUid))[0] ?? input.context.image;
  return {
    // The Image Library lists it; a SCOORD3D needs no image, but the library and evidence do.
    ReferencedSOPSequence: { ReferencedSOPClassUID: firstImage.sopClassUid, ReferencedSOPInstanceUID: firstImage.sopInstanceUid },
    contentItem(): NaturalDataset[] {
      const items = base.getMeasurement([...ordered.map((m) => measurementNum(m, input)), ...lesionItems(l, input.rulesVersion)]) as NaturalDataset[];
      return items.map((item) => {
        const concept = firstCode(item.ConceptNameCodeSequence);
        if (concept?.CodeValue === CODES.trackingUniqueIdentifier.CodeValue) return { ...item, UID: trackingUid };
        if (concept?.CodeValue === CODES.findingSite.CodeValue && laterality) return { ...item, ContentSequence: [code('HAS CONCEPT MOD', CODES.laterality, laterality)] };
        return item;
      });
    },
  };
}

function firstCode(seq: unknown): { CodeValue?: string; CodingSchemeDesignator?: string } | undefined {
  return (Array.isArray(seq) ? seq[0] : seq) as { CodeValue?: string } | undefined;
}

/** Every source image the report refers to, once, grouped under the CT series (evidence). */
function evidence(input: Input): NaturalDataset[] {
  const seen = new Map<string, ImageRef>([[input.context.image.sopInstanceUid, input.context.image]]);
  for (const l of input.lesions) for (const m of l.measurements) for (const r of imagesOf(m.measurement, input.context.image.sopClassUid)) seen.set(r.sopInstanceUid, r);
  return [
    {
      StudyInstanceUID: input.context.studyInstanceUid,
      ReferencedSeriesSequence: [
        {
          SeriesInstanceUID: input.context.seriesInstanceUid,
          ReferencedSOPSequence: [...seen.values()].map((r) => ({ ReferencedSOPClassUID: r.sopClassUid, ReferencedSOPInstanceUID: r.sopInstanceUid })),
        },
      ],
    },
  ];
}

/**
 * A session without lesions still makes a valid SR: a container needs content (type 1C), so the
 * Image Library lists the source image and an empty "Imaging Measurements" is left out.
 */
function withoutEmptyContainers(tree: NaturalDataset[], image: ImageRef): NaturalDataset[] {
  const ofConcept = (i: NaturalDataset, c: CodedConcept) => firstCode(i.ConceptNameCodeSequence)?.CodeValue === c.CodeValue;
  return tree
    .filter((i) => !(ofConcept(i, CODES.imagingMeasurements) && (i.ContentSequence as unknown[]).length === 0))
    .map((i) => {
      if (!ofConcept(i, CODES.imageLibrary)) return i;
      const group = (Array.isArray(i.ContentSequence) ? i.ContentSequence[0] : i.ContentSequence) as NaturalDataset;
      if ((group.ContentSequence as unknown[]).length > 0) return i;
      const entry = { RelationshipType: 'CONTAINS', ValueType: 'IMAGE', ReferencedSOPSequence: [{ ReferencedSOPClassUID: image.sopClassUid, ReferencedSOPInstanceUID: image.sopInstanceUid }] };
      return { ...i, ContentSequence: [{ ...group, ContentSequence: [entry] }] };
    });
}

const LANGUAGES = {
  en: { language: { CodeValue: 'en', CodingSchemeDesignator: 'RFC5646', CodeMeaning: 'English' }, country: { CodeValue: 'US', CodingSchemeDesignator: 'ISO3166_1', CodeMeaning: 'United States' } },
  fr: { language: { CodeValue: 'fr', CodingSchemeDesignator: 'RFC5646', CodeMeaning: 'French' }, country: { CodeValue: 'FR', CodingSchemeDesignator: 'ISO3166_1', CodeMeaning: 'France' } },
} as const;

/** dcmjs always declares US English; the reasons and labels are in the report's language. */
function withLanguage(tree: NaturalDataset[], language: 'en' | 'fr'): NaturalDataset[] {
  const l = LANGUAGES[language];
  return tree.map((i) =>
    firstCode(i.ConceptNameCodeSequence)?.CodeValue === CODES.languageOfContent.CodeValue
      ? { ...i, ConceptCodeSequence: [l.language], ContentSequence: [{ ...(Array.isArray(i.ContentSequence) ? i.ContentSequence[0] : (i.ContentSequence as NaturalDataset)), ConceptCodeSequence: [l.country] }] }
      : i,
  );
}

/** The SR as a naturalized dataset (for STOW-RS as JSON, or to encode). */
export function buildMeasurementReportDataset(raw: SrExportInput): NaturalDataset {
  const input = SrExportInputSchema.parse(raw);
  const lesionGroups = input.lesions.map((l) => lesionMeasurement(l, input, l.trackingUid ?? trackingUidFor(input.context.studyInstanceUid, l.lesion.id)));
  const report = new TID1500MeasurementReport({ TID1501MeasurementGroups: lesionGroups.map((g) => new TID1501MeasurementGroup([g])) });
  const content = report.contentItem([{ StudyInstanceUID: input.context.studyInstanceUid, SeriesInstanceUID: input.context.seriesInstanceUid }], {
    PersonName: input.reader.trim() || 'unknown',
  }) as NaturalDataset;
  const when = dicomDateTime(input.createdAt);
  const { CodingSchemeIdentificationSequence: _dcmjsScheme, ContentSequence: tree, ...root } = content;
  const ContentSequence = withLanguage(withoutEmptyContainers(tree as NaturalDataset[], input.context.image), input.language);
  return {
    ...patientStudyAttributes(input.context),
    ...root,
    SOPClassUID: COMPREHENSIVE_3D_SR,
    SOPInstanceUID: input.sopInstanceUid ?? newUid(),
    Modality: 'SR',
    SeriesInstanceUID: input.seriesInstanceUid ?? newUid(),
    SeriesNumber: input.seriesNumber,
    SeriesDescription: 'Fracture-risk measurements (TID 1500)',
    InstanceNumber: input.instanceNumber,
    ContentDate: when.date,
    ContentTime: when.time,
    InstanceCreationDate: when.date,
    InstanceCreationTime: when.time,
    // General and Enhanced General Equipment: the app is the device that wrote the SR.
    Manufacturer: input.app.name,
    ManufacturerModelName: input.app.name,
    DeviceSerialNumber: '0',
    SoftwareVersions: input.app.version,
    TimezoneOffsetFromUTC: '+0000',
    ValueType: 'CONTAINER',
    CompletionFlag: 'COMPLETE',
    VerificationFlag: 'UNVERIFIED',
    CodingSchemeIdentificationSequence: [FRW_CODING_SCHEME_IDENTIFICATION],
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '1500' }],
    ReferencedPerformedProcedureStepSequence: [],
    PerformedProcedureCodeSequence: [],
    CurrentRequestedProcedureEvidenceSequence: evidence(input),
    ContentSequence,
  };
}

/** The SR as Part 10 bytes (what host.saveExport and STOW-RS send). */
export function buildMeasurementReportSr(raw: SrExportInput): Uint8Array {
  return writePart10(buildMeasurementReportDataset(raw));
}
