/**
 * Codes of the DICOM exports (SR TID 1500, encapsulated PDF).
 *
 * Standard codes where one exists (DCM = DICOM PS3.16, SCT = SNOMED CT, UCUM units). The
 * quantities and items of this app that have no standard code use the app's private coding
 * scheme **99FRW** (a "99"-prefixed designator is private by PS3.16 §8.2); every SR we write
 * declares it in its Coding Scheme Identification Sequence. The table, as a reader of our SRs
 * needs it:
 *
 * | code    | meaning                                   | value type, unit / values            |
 * |---------|-------------------------------------------|--------------------------------------|
 * | FRW001  | Circumferential cortical destruction      | NUM, UCUM `%` (share of the cortex circumference, clinical-rules §1) |
 * | FRW002  | Axial cortical destruction                | NUM, UCUM `%` (share of the cortical ring area at the most affected section) |
 * | FRW003  | Cortical density threshold                | NUM, UCUM `[hnsf'U]` (HU below which cortex counts as destroyed) |
 * | FRW004  | Mirels score                              | NUM, UCUM `{score}` (4–12; Mirels H. Clin Orthop Relat Res 1989;(249):256–64) |
 * | FRW005  | Spinal Instability Neoplastic Score       | NUM, UCUM `{score}` (0–18; Fisher CG et al. Spine 2010;35(22):E1221–9) |
 * | FRW006  | Consolidation recommendation              | CODE, values FRW101–FRW107 below     |
 * | FRW007  | Recommendation reason                     | TEXT (reason code and its source citation) |
 * | FRW008  | Rules version                             | TEXT                                 |
 * | FRW009  | Manual measurement                        | value of Measurement Method (SCT 370129005) |
 * | FRW010  | Assisted measurement                      | value of Measurement Method (SCT 370129005) |
 * | FRW011  | Lesion label                              | TEXT (free label, e.g. "left femur, proximal") |
 * | FRW012  | Bone as written                           | TEXT (the reader's bone name, e.g. "femur", "L2") |
 * | FRW013  | Lesion site category                      | TEXT, one of upper-limb, lower-limb, peritrochanteric, spine, pelvis, other |
 * | FRW014  | Measurement tool                          | TEXT (e.g. Length, ArcAngle, CorticalRing, assisted-analysis) |
 * | FRW015  | Vertebral level                           | TEXT (e.g. T12) |
 * | FRW016  | Off-axis length choice                    | CODE, values FRW017 / FRW018; under a Length NUM drawn off the bone axis: what the reader chose as its value |
 * | FRW017  | Along-axis component                      | value of FRW016: the value is the drawn line's component along the bone axis (scanner z without one); the SCOORD3D is that projected segment, so its ends are the value apart |
 * | FRW018  | Length as drawn                           | value of FRW016: the value is the drawn line's length; the SCOORD3D is the drawn line (flagged as not along the bone) |
 * | FRW101… | recommendation levels                     | see RECOMMENDATION_LEVEL_CODES       |
 *
 * The axial length is the standard SCT 410668003 "Length" (UCUM mm) with its SCOORD3D
 * polyline, exactly as Cornerstone3D's Length adapter writes and reads it.
 */
import type { Level } from '../schemas/assessment';
import type { MeasurementKind, MeasurementMethod } from '../schemas/measurement';

export interface CodedConcept {
  CodeValue: string;
  CodingSchemeDesignator: string;
  CodeMeaning: string;
  CodingSchemeVersion?: string;
}

export const FRW_SCHEME = '99FRW';

const frw = (CodeValue: string, CodeMeaning: string): CodedConcept => ({ CodeValue, CodingSchemeDesignator: FRW_SCHEME, CodeMeaning });
const dcm = (CodeValue: string, CodeMeaning: string): CodedConcept => ({ CodeValue, CodingSchemeDesignator: 'DCM', CodeMeaning });
const sct = (CodeValue: string, CodeMeaning: string): CodedConcept => ({ CodeValue, CodingSchemeDesignator: 'SCT', CodeMeaning });
const ucum = (CodeValue: string, CodeMeaning: string): CodedConcept => ({ CodeValue, CodingSchemeDesignator: 'UCUM', CodeMeaning, CodingSchemeVersion: '1.4' });

/** Declared in every SR that uses 99FRW (Coding Scheme Identification Sequence). */
export const FRW_CODING_SCHEME_IDENTIFICATION = {
  CodingSchemeDesignator: FRW_SCHEME,
  CodingSchemeName: 'Fracture-Risk Workstation private codes',
  CodingSchemeVersion: '1',
  CodingSchemeResponsibleOrganization: 'Fracture-Risk Workstation project',
};

export const CODES = {
  // DICOM PS3.16
  imagingMeasurementReport: dcm('126000', 'Imaging Measurement Report'),
  imagingMeasurements: dcm('126010', 'Imaging Measurements'),
  measurementGroup: dcm('125007', 'Measurement Group'),
  imageLibrary: dcm('111028', 'Image Library'),
  imageLibraryGroup: dcm('126200', 'Image Library Group'),
  trackingIdentifier: dcm('112039', 'Tracking Identifier'),
  trackingUniqueIdentifier: dcm('112040', 'Tracking Unique Identifier'),
  finding: dcm('121071', 'Finding'),
  personObserverName: dcm('121008', 'Person Observer Name'),
  observerType: dcm('121005', 'Observer Type'),
  person: dcm('121006', 'Person'),
  languageOfContent: dcm('121049', 'Language of Content Item and Descendants'),
  procedureReported: dcm('121058', 'Procedure reported'),
  // SNOMED CT
  findingSite: sct('363698007', 'Finding Site'),
  laterality: sct('272741003', 'Laterality'),
  right: sct('24028007', 'Right'),
  left: sct('7771000', 'Left'),
  length: sct('410668003', 'Length'),
  measurementMethod: sct('370129005', 'Measurement Method'),
  boneMetastasis: sct('94222008', 'Secondary malignant neoplasm of bone'),
  ctImaging: sct('77477000', 'Computerized axial tomography'),
  // Private 99FRW (table above)
  circumferentialPercent: frw('FRW001', 'Circumferential cortical destruction'),
  axialPercent: frw('FRW002', 'Axial cortical destruction'),
  thresholdHu: frw('FRW003', 'Cortical density threshold'),
  mirelsScore: frw('FRW004', 'Mirels score'),
  sinsScore: frw('FRW005', 'Spinal Instability Neoplastic Score'),
  recommendation: frw('FRW006', 'Consolidation recommendation'),
  recommendationReason: frw('FRW007', 'Recommendation reason'),
  rulesVersion: frw('FRW008', 'Rules version'),
  manual: frw('FRW009', 'Manual measurement'),
  assisted: frw('FRW010', 'Assisted measurement'),
  lesionLabel: frw('FRW011', 'Lesion label'),
  boneAsWritten: frw('FRW012', 'Bone as written'),
  siteCategory: frw('FRW013', 'Lesion site category'),
  tool: frw('FRW014', 'Measurement tool'),
  vertebralLevel: frw('FRW015', 'Vertebral level'),
  offAxisChoice: frw('FRW016', 'Off-axis length choice'),
  alongAxisComponent: frw('FRW017', 'Along-axis component'),
  lengthAsDrawn: frw('FRW018', 'Length as drawn'),
} as const;

export const UNITS = {
  mm: ucum('mm', 'mm'),
  percent: ucum('%', 'Percent'),
  hu: ucum("[hnsf'U]", 'Hounsfield unit'),
  score: ucum('{score}', 'score'),
} as const;

/** Recommendation levels of the rule engine (shared/schemas/assessment.ts LevelSchema). */
export const RECOMMENDATION_LEVEL_CODES: Record<Level, CodedConcept> = {
  'radiotherapy-alone': frw('FRW101', 'Radiotherapy alone'),
  'multidisciplinary-discussion': frw('FRW102', 'Multidisciplinary discussion'),
  'first-line-consolidation': frw('FRW103', 'First-line consolidation'),
  'non-surgical': frw('FRW104', 'Non-surgical management'),
  incomplete: frw('FRW105', 'Incomplete assessment'),
  'surgical-opinion': frw('FRW106', 'Surgical opinion'),
  stable: frw('FRW107', 'Stable'),
};

/** The concept of each measured quantity (the length is the standard one Cornerstone3D reads). */
export const MEASUREMENT_CONCEPTS: Record<MeasurementKind, CodedConcept> = {
  axialLengthMm: CODES.length,
  circumferentialPercent: CODES.circumferentialPercent,
  axialPercent: CODES.axialPercent,
};

/** Values of FRW016, by the session drawing's `offAxisChoice`. */
export const OFF_AXIS_CHOICE_CODES: Record<OffAxisChoice, CodedConcept> = { 'along-axis': CODES.alongAxisComponent, 'as-drawn': CODES.lengthAsDrawn };
export type OffAxisChoice = 'along-axis' | 'as-drawn';

export const METHOD_CODES: Record<MeasurementMethod, CodedConcept> = { manual: CODES.manual, assisted: CODES.assisted };

/**
 * SNOMED CT body structures for the bones a user writes (English or French words). A bone the
 * table does not know is coded as "Bone structure" and its name kept as text (FRW012).
 */
const BONES: { pattern: RegExp; code: CodedConcept }[] = [
  { pattern: /f[eé]mur/i, code: sct('71341001', 'Bone structure of femur') },
  { pattern: /hum[eé]r/i, code: sct('85050009', 'Bone structure of humerus') },
  { pattern: /tibi/i, code: sct('12611008', 'Bone structure of tibia') },
  { pattern: /fibula|p[eé]ron[eé]/i, code: sct('87342007', 'Bone structure of fibula') },
  { pattern: /radius/i, code: sct('62413002', 'Bone structure of radius') },
  { pattern: /ulna|cubitus/i, code: sct('23416004', 'Bone structure of ulna') },
  { pattern: /^\s*[CTLS]\d{1,2}\b|vert[eè]br|spine|rachis/i, code: sct('421060004', 'Vertebral column') },
  { pattern: /pelvi|bassin|iliac|iliaque|acetab/i, code: sct('12921003', 'Pelvis') },
];
export const BONE_STRUCTURE = sct('272673000', 'Bone structure');

export function boneCode(bone: string, site: string): CodedConcept {
  const hit = BONES.find((b) => b.pattern.test(bone));
  if (hit) return hit.code;
  if (site === 'spine') return BONES[6].code;
  if (site === 'pelvis') return BONES[7].code;
  if (site === 'peritrochanteric') return BONES[0].code;
  return BONE_STRUCTURE;
}

/** Laterality written in the bone name or label (English or French); null when not said. */
export function lateralityCode(...texts: string[]): CodedConcept | null {
  const t = texts.join(' ');
  if (/\b(left|gauche)\b/i.test(t)) return CODES.left;
  if (/\b(right|droite?)\b/i.test(t)) return CODES.right;
  return null;
}

export const sameCode = (a: { CodeValue?: unknown; CodingSchemeDesignator?: unknown } | undefined, b: CodedConcept): boolean =>
  !!a && a.CodeValue === b.CodeValue && a.CodingSchemeDesignator === b.CodingSchemeDesignator;
