/**
 * The analysed lesion as an RT Structure Set on the planning CT (issue 17), so the planning
 * system can import the measured lytic region and the bone axis.
 *
 * New ROIs:
 *  - `<label>_LYTIC_CORTEX` (CLOSED_PLANAR, one contour per CT slice): the involved cortical
 *    region of the assisted analysis — the involved arcs between the intact endosteal and
 *    periosteal radii, section by section along the bone axis over the involved range (the most
 *    affected section's arcs narrowed to each section's circumferential %, lesionRegion.ts) —
 *    cut by each acquisition slice (planning systems expect contours on the CT's own slices).
 *  - `<label>_BONE_AXIS` (two POINT contours): the bone axis at both ends of the involved range.
 * Frame of reference, study and every CT image are referenced as the planning CT's own.
 *
 * Encoding is dcmjs', through the app's one DICOM writer (shared/export/dicomCodec.ts): no hand-written DICOM. The
 * @cornerstonejs/adapters RTSS generator was not used: it builds ROIs from Cornerstone
 * segmentations and metadata providers, which the CLI has neither of.
 */
import { appError, err, ok, type Result } from '../errors';
import type { LesionAnalysis } from '../schemas/analysis';
import type { Vec3 } from '../schemas/common';
import { RT_ERROR } from './codes';
import type { CtStudyFields } from './ctStudyFields';
import { RT_STRUCTURE_SET_STORAGE } from './parseRtStruct';
import { involvedArcsAt } from './lesionRegion';
import { dicomDateTime, newUid, writePart10 } from '../export/dicomCodec';
import { dot } from '../geometry/vec';

/** The SOP class PS3.3 C.8.8.5 names for an RT Referenced Study item (Detached Study Management, retired but the one in use). */
const STUDY_REFERENCE_SOP_CLASS = '1.2.840.10008.3.1.2.3.1';
/** Colours of the exported ROIs: lytic region red, axis yellow (visible on bone windows). */
const LYTIC_COLOUR = [255, 40, 40];
const AXIS_COLOUR = [255, 220, 0];
/** Below this |cos| between the bone axis and the slice normal the bone lies almost in the slices: no per-slice cut. */
const MIN_AXIS_NORMAL_COS = 0.3;
const ARC_STEP_DEG = 3;
const DEG = Math.PI / 180;

export interface PlanningCtRef {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  frameOfReferenceUid: string;
  sopClassUid: string;
  patientName: string;
  patientId: string;
  studyDate: string;
  /** Slices in any order: SOP Instance UID and position along `normal` (mm). */
  slices: Array<{ sopInstanceUid: string; positionMm: number }>;
  /** Unit slice normal. */
  normal: Vec3;
  /** Study and patient values read from a CT header (readCtStudyFields), repeated as the CT has them. */
  studyFields?: CtStudyFields;
}

/** ROI names are LO (≤ 64 characters): the label keeps room for the longest suffix, '_LYTIC_CORTEX'. */
export const MAX_ROI_LABEL = 64 - '_LYTIC_CORTEX'.length;

/** Letters, digits and '_' of a free text (diacritics dropped, capitals), for ROI names. */
export function roiNamePart(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * A lesion's name in its RTSTRUCT export, so that two lesions sent to one planning system do not
 * collide: the ROI label 'LESION_<number>_<label>' (e.g. 'LESION_2_LEFT_FEMUR_PROXIMAL', at most
 * MAX_ROI_LABEL characters; the label is left out when it only repeats the number, as the default
 * '#2' does) and the file name 'lesion-2-left-femur-proximal-rtstruct.dcm'. Without a number (the
 * CLI) the label alone names it; a leading 'LESION' in it is not repeated.
 */
export function lesionExportName(number: number | null, label: string): { label: string; fileName: string } {
  const part = roiNamePart(label).replace(/^LESION(_|$)/, '');
  const num = number !== null ? String(number) : '';
  const parts = ['LESION', ...(num ? [num] : []), ...(part && part !== num ? [part] : [])];
  const roiLabel = parts.join('_').slice(0, MAX_ROI_LABEL).replace(/_+$/, '');
  return { label: roiLabel, fileName: `${roiLabel.toLowerCase().replace(/_/g, '-')}-rtstruct.dcm` };
}

export interface RtExportOptions {
  /** ROI name prefix (LO: at most MAX_ROI_LABEL characters kept), e.g. 'LESION_1' (lesionExportName). */
  label?: string;
  sopInstanceUid?: string;
  seriesInstanceUid?: string;
  now?: Date;
}

export interface RtExportSummary {
  bytes: Uint8Array;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  rois: Array<{ number: number; name: string; contours: number }>;
}


/** DS values are at most 16 characters: micrometres are plenty for contours. */
export const roundDsMm = (x: number) => Math.round(x * 1000) / 1000;

/** Wall depths tested per angle for the involved arcs of the section each wall point belongs to. */
const WALL_SAMPLES = 8;
/** Axial step (mm) at which the arcs' ends are added as outline angles, over the span a slice crosses. */
const ARC_END_STEP_MM = 0.25;

/**
 * The lytic-region outlines cut by the plane at `positionMm` along the normal (world points);
 * empty where the plane misses the region.
 *
 * The region is the one coverage.ts samples in 3-D: at each position t along the bone axis within
 * the involved range, the arcs involved there (lesionRegion.ts) between the intact endosteal and
 * periosteal radii. On an oblique bone a slice crosses the wall at different t: a wall point (θ, r)
 * lies on the slice at t(θ, r) = t_axis − r·(n·dir θ)/(n·d), so each wall point is decided at its
 * own t (in the involved range, θ within the arcs there), not at the t where the axis pierces the
 * slice (that cut or extended the region's ends by about r·tan α).
 */
export function lyticOutlinesOnSlice(a: LesionAnalysis, normal: Vec3, positionMm: number): Vec3[][] {
  const s = a.mostAffectedSection;
  if (!s || !a.axis || s.involvedArcs.length === 0) return [];
  const d = a.axis.direction;
  const cosDn = dot(d, normal);
  const range = a.involvedRangeMm ?? { startMm: s.positionMm, endMm: s.positionMm };
  // Where the axis pierces this slice, in mm along the axis from the seed.
  const tAxis = s.positionMm + (positionMm - dot(s.origin, normal)) / cosDn;
  const dirOf = (thetaDeg: number): Vec3 => {
    const c = Math.cos(thetaDeg * DEG);
    const sn = Math.sin(thetaDeg * DEG);
    return [c * s.u[0] + sn * s.v[0], c * s.u[1] + sn * s.v[1], c * s.u[2] + sn * s.v[2]];
  };
  /** Axial position of the wall point (θ, r) where it crosses this slice. */
  const tOf = (thetaDeg: number, rMm: number) => tAxis - (rMm * dot(dirOf(thetaDeg), normal)) / cosDn;
  const at = (thetaDeg: number, rMm: number): Vec3 => {
    const dir = dirOf(thetaDeg);
    const t = tOf(thetaDeg, rMm) - s.positionMm;
    return [s.origin[0] + t * d[0] + rMm * dir[0], s.origin[1] + t * d[1] + rMm * dir[1], s.origin[2] + t * d[2] + rMm * dir[2]];
  };
  const radius = (table: Array<number | null>, thetaDeg: number, fallback: number | null) => {
    const i = Math.round((((thetaDeg % 360) + 360) % 360) / s.radiusStepDeg) % Math.max(1, table.length);
    return table[i] ?? fallback;
  };
  const endoFallback = a.boneRadiusMm !== null && a.corticalThicknessMm !== null ? a.boneRadiusMm - a.corticalThicknessMm : null;
  const perioMax = Math.max(a.boneRadiusMm ?? 0, ...s.periostealRadiusMm.map((r) => r ?? 0));
  // The span of t this slice crosses within the wall: nothing to draw when it misses the involved range.
  const spanMm = (perioMax * Math.sqrt(Math.max(0, 1 - cosDn * cosDn))) / Math.abs(cosDn);
  if (tAxis + spanMm < range.startMm - 1e-6 || tAxis - spanMm > range.endMm + 1e-6) return [];
  const inArcs = (thetaDeg: number, t: number) =>
    involvedArcsAt(a, t).some((arc) => {
      const off = (((thetaDeg - arc.startDeg) % 360) + 360) % 360;
      return off <= arc.sweepDeg + 1e-6 || off >= 360 - 1e-6;
    });
  const out: Vec3[][] = [];
  // Each arc of the most affected section bounds the arcs at every t (they are narrowed about their centre).
  for (const full of s.involvedArcs) {
    // Angles: a grid of ARC_STEP_DEG, plus the ends of the arcs involved over the span this slice crosses.
    const thetas = new Set<number>();
    const steps = Math.max(2, Math.ceil(full.sweepDeg / ARC_STEP_DEG));
    for (let k = 0; k <= steps; k++) thetas.add(full.startDeg + (k * full.sweepDeg) / steps);
    for (let t = Math.max(range.startMm, tAxis - spanMm); t <= Math.min(range.endMm, tAxis + spanMm) + 1e-9; t += ARC_END_STEP_MM) {
      for (const arc of involvedArcsAt(a, t)) {
        for (const end of [arc.startDeg, arc.startDeg + arc.sweepDeg]) {
          const off = end - full.startDeg;
          if (off >= -1e-6 && off <= full.sweepDeg + 1e-6) thetas.add(Math.round(end * 1e6) / 1e6);
        }
      }
    }
    // Per angle, the wall depths whose points lie in the involved range and within the arcs there.
    let run: Array<{ theta: number; lo: number; hi: number }> = [];
    const flush = () => {
      if (run.length) out.push([...run.map((x) => at(x.theta, x.hi)), ...run.reverse().map((x) => at(x.theta, x.lo))]);
      run = [];
    };
    for (const theta of [...thetas].sort((p, q) => p - q)) {
      const perio = radius(s.periostealRadiusMm, theta, a.boneRadiusMm);
      const endo = radius(s.endostealRadiusMm, theta, endoFallback);
      if (perio === null || endo === null) return [];
      // t is linear in r: the depths within the involved range are an interval, found exactly.
      const k = -dot(dirOf(theta), normal) / cosDn;
      let lo = endo;
      let hi = perio;
      if (Math.abs(k) > 1e-12) {
        const r1 = (range.startMm - tAxis) / k;
        const r2 = (range.endMm - tAxis) / k;
        lo = Math.max(lo, Math.min(r1, r2));
        hi = Math.min(hi, Math.max(r1, r2));
      } else if (tAxis < range.startMm - 1e-6 || tAxis > range.endMm + 1e-6) {
        hi = lo - 1;
      }
      if (hi < lo - 1e-9) {
        flush();
        continue;
      }
      // Within it, the depths whose section has θ in its involved arcs (sampled through the wall).
      const inside: number[] = [];
      for (let w = 0; w <= WALL_SAMPLES; w++) {
        const r = lo + ((hi - lo) * w) / WALL_SAMPLES;
        if (inArcs(theta, tOf(theta, r))) inside.push(r);
      }
      if (!inside.length) {
        flush();
        continue;
      }
      run.push({ theta, lo: Math.min(...inside), hi: Math.max(...inside) });
    }
    flush();
  }
  return out.filter((o) => o.length >= 3);
}

/** Builds the RTSTRUCT bytes. Errors (rt.export-failed) name what the analysis lacks. */
export function buildLesionRtStruct(a: LesionAnalysis, ct: PlanningCtRef, opts: RtExportOptions = {}): Result<RtExportSummary> {
  const fail = (m: string, field?: string) => err(appError(RT_ERROR.EXPORT, m, field ? { field } : {}));
  if (!a.axis || !a.mostAffectedSection || a.mostAffectedSection.involvedArcs.length === 0) {
    return fail('The analysis measured no cortical involvement at the seed: there is no lytic region to export.', 'analysis');
  }
  if (!ct.frameOfReferenceUid) return fail('The CT series has no Frame of Reference UID: a structure set could not be placed on it.', 'frameOfReferenceUid');
  if (Math.abs(dot(a.axis.direction, ct.normal)) < MIN_AXIS_NORMAL_COS) {
    return fail('The bone lies almost within the slice planes: its cortical region cannot be cut slice by slice.', 'axis');
  }
  const now = opts.now ?? new Date();
  const sopInstanceUid = opts.sopInstanceUid ?? newUid();
  const seriesInstanceUid = opts.seriesInstanceUid ?? newUid();
  const label = (opts.label ?? 'LESION').replace(/[\\^]/g, ' ').slice(0, MAX_ROI_LABEL);
  const slices = [...ct.slices].sort((p, q) => p.positionMm - q.positionMm);
  const imageRef = (uid: string) => ({ ReferencedSOPClassUID: ct.sopClassUid, ReferencedSOPInstanceUID: uid });

  const lyticContours = slices.flatMap((sl) =>
    lyticOutlinesOnSlice(a, ct.normal, sl.positionMm).map((outline) => ({ ContourImageSequence: [imageRef(sl.sopInstanceUid)], ContourGeometricType: 'CLOSED_PLANAR', NumberOfContourPoints: outline.length, ContourData: outline.flatMap((p) => p.map(roundDsMm)) })),
  );
  if (lyticContours.length === 0) return fail('No CT slice crosses the involved range of the analysis.', 'involvedRangeMm');
  const s = a.mostAffectedSection;
  const range = a.involvedRangeMm ?? { startMm: s.positionMm, endMm: s.positionMm };
  const d = a.axis.direction;
  const cosDn = dot(d, ct.normal);
  // Each axis end is moved along the axis onto the nearest CT slice, so a planning system shows it on an image.
  const axisContours = [range.startMm, range.endMm].map((t) => {
    const p: Vec3 = [0, 1, 2].map((i) => s.origin[i] + (t - s.positionMm) * d[i]) as Vec3;
    const h = dot(p, ct.normal);
    const slice = slices.reduce((m, x) => (Math.abs(x.positionMm - h) < Math.abs(m.positionMm - h) ? x : m));
    const shift = (slice.positionMm - h) / cosDn;
    return { ContourImageSequence: [imageRef(slice.sopInstanceUid)], ContourGeometricType: 'POINT', NumberOfContourPoints: 1, ContourData: p.map((x, i) => roundDsMm(x + shift * d[i])) };
  });

  const rois: RtExportRoi[] = [
    { number: 1, name: `${label}_LYTIC_CORTEX`, colour: LYTIC_COLOUR, type: 'CONTROL', contours: lyticContours, description: 'Involved cortical region (assisted analysis, most affected section arcs over the involved length)' },
    { number: 2, name: `${label}_BONE_AXIS`, colour: AXIS_COLOUR, type: 'MARKER', contours: axisContours, description: 'Bone axis at the ends of the involved range' },
  ];
  // The structure set says which lesion it holds too (Structure Set Label is SH: 16 characters; the series description LO: 64).
  const encoded = encodeRtStruct(ct, rois, { structureSetLabel: label.slice(0, 16).replace(/[_ ]+$/, ''), seriesDescription: `FRW ${label}`.slice(0, 64), ...opts, sopInstanceUid, seriesInstanceUid, now });
  if (!encoded.ok) return encoded;
  return ok({ bytes: encoded.value, sopInstanceUid, seriesInstanceUid, rois: rois.map((r) => ({ number: r.number, name: r.name, contours: r.contours.length })) });
}

export interface RtExportRoi {
  number: number;
  name: string;
  colour: number[];
  /** RT ROI Interpreted Type (GTV, PTV, ORGAN, CONTROL, MARKER …). */
  type: string;
  description?: string;
  /** Naturalized Contour Sequence items (geometric type, points, optional Contour Image Sequence). */
  contours: Array<Record<string, unknown>>;
}

/**
 * Any structure set on a CT (the lesion export, and test fixtures with known geometry): the RT
 * Structure Set IOD's modules, referencing the CT's frame of reference, study and every image.
 */
export function encodeRtStruct(ct: PlanningCtRef, rois: RtExportRoi[], opts: RtExportOptions & { seriesDescription?: string; structureSetLabel?: string } = {}): Result<Uint8Array> {
  const created = dicomDateTime((opts.now ?? new Date()).toISOString());
  const sopInstanceUid = opts.sopInstanceUid ?? newUid();
  const seriesInstanceUid = opts.seriesInstanceUid ?? newUid();
  const slices = [...ct.slices].sort((p, q) => p.positionMm - q.positionMm);
  const imageRef = (uid: string) => ({ ReferencedSOPClassUID: ct.sopClassUid, ReferencedSOPInstanceUID: uid });
  const dataset: Record<string, unknown> = {
    SpecificCharacterSet: 'ISO_IR 192',
    InstanceCreationDate: created.date,
    InstanceCreationTime: created.time,
    SOPClassUID: RT_STRUCTURE_SET_STORAGE,
    SOPInstanceUID: sopInstanceUid,
    StudyDate: ct.studyDate,
    StudyTime: ct.studyFields?.studyTime ?? '',
    AccessionNumber: ct.studyFields?.accessionNumber ?? '',
    Modality: 'RTSTRUCT',
    Manufacturer: 'Fracture-Risk Workstation',
    ReferringPhysicianName: ct.studyFields?.referringPhysicianName ?? '',
    SeriesDescription: opts.seriesDescription ?? 'FRW lesion analysis',
    OperatorsName: '',
    PatientName: ct.patientName,
    PatientID: ct.patientId,
    PatientBirthDate: ct.studyFields?.patientBirthDate ?? '',
    PatientSex: ct.studyFields?.patientSex ?? '',
    StudyInstanceUID: ct.studyInstanceUid,
    SeriesInstanceUID: seriesInstanceUid,
    StudyID: ct.studyFields?.studyId ?? '',
    SeriesNumber: 901,
    // The RT Structure Set IOD includes the Frame of Reference module (PS3.3 A.19.3): the CT's own.
    FrameOfReferenceUID: ct.frameOfReferenceUid,
    PositionReferenceIndicator: '',
    StructureSetLabel: opts.structureSetLabel ?? 'FRW_LESION',
    StructureSetDate: created.date,
    StructureSetTime: created.time,
    ReferencedFrameOfReferenceSequence: [
      {
        FrameOfReferenceUID: ct.frameOfReferenceUid,
        RTReferencedStudySequence: [
          {
            ReferencedSOPClassUID: STUDY_REFERENCE_SOP_CLASS,
            ReferencedSOPInstanceUID: ct.studyInstanceUid,
            RTReferencedSeriesSequence: [{ SeriesInstanceUID: ct.seriesInstanceUid, ContourImageSequence: slices.map((sl) => imageRef(sl.sopInstanceUid)) }],
          },
        ],
      },
    ],
    StructureSetROISequence: rois.map((r) => ({ ROINumber: r.number, ReferencedFrameOfReferenceUID: ct.frameOfReferenceUid, ROIName: r.name, ...(r.description ? { ROIDescription: r.description } : {}), ROIGenerationAlgorithm: 'SEMIAUTOMATIC' })),
    ROIContourSequence: rois.map((r) => ({ ReferencedROINumber: r.number, ROIDisplayColor: r.colour, ...(r.contours.length ? { ContourSequence: r.contours.map((c, i) => ({ ContourNumber: i + 1, ...c })) } : {}) })),
    RTROIObservationsSequence: rois.map((r) => ({ ObservationNumber: r.number, ReferencedROINumber: r.number, RTROIInterpretedType: r.type, ROIInterpreter: '' })),
    ApprovalStatus: 'UNAPPROVED',
  };
  try {
    return ok(writePart10(dataset));
  } catch (e) {
    return err(appError(RT_ERROR.EXPORT, `dcmjs could not encode the structure set (${e instanceof Error ? e.message : String(e)}).`));
  }
}
