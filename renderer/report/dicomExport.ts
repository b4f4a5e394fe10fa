/**
 * Report tab ↔ DICOM (issue 16): the session as a TID 1500 SR, the report PDF as an
 * Encapsulated PDF, and an SR's measurements back into the session. The builders and the reader
 * are pure (shared/export); this module gathers their inputs from the session, the scan and the
 * host, and turns an imported SR into session edits.
 */
import type { AppError, Result } from '../../shared/errors';
import { appError, err } from '../../shared/errors';
import { buildEncapsulatedPdf } from '../../shared/export/encapsulatedPdf';
import { derivedUid } from '../../shared/export/dicomCodec';
import { buildMeasurementReportSr, trackingUidFor, type SrExportInput, type SrLesion } from '../../shared/export/sr';
import { planeHoldingLine, readMeasurementReportSr, type SrImport } from '../../shared/export/srRead';
import { studyContextFromImage, type StudyContext } from '../../shared/export/studyContext';
import { alongAxisSegment, checkAlongBone } from '../../shared/geometry/length';
import { sub } from '../../shared/geometry/vec';
import type { HostApi } from '../../shared/ipc/hostApi';
import type { Vec3 } from '../../shared/schemas/common';
import type { Reason } from '../../shared/schemas/assessment';
import type { Report } from '../../shared/schemas/report';
import type { OtherObject, ScanResult, Series, Study } from '../../shared/schemas/scan';
import type { Drawing, Session } from '../../shared/schemas/session';
import { APP } from './currentReport';

export type Translate = (key: string, options?: Record<string, unknown>) => string;

/**
 * A coded error in the UI's language: its sentence in dicom:errors.<code> (the SR reader's, the
 * exports' and the PACS store's codes), else its own message. `pacs` names the PACS in its sentences.
 */
export function errorText(t: Translate, error: AppError, pacs = ''): string {
  return t(`errors.${error.code}`, { defaultValue: error.message, pacs: pacs || 'PACS' });
}

/** The first image of the open series: its bytes give the patient / study / frame of reference. */
export async function seriesContext(host: HostApi, series: Series | null): Promise<Result<StudyContext, AppError>> {
  const first = series?.instances[0];
  if (!first) return err(appError('EXPORT_NO_SERIES', 'No series is open.'));
  let bytes: ArrayBuffer;
  try {
    bytes = await host.readFile(first.fileId);
  } catch (e) {
    return err(appError('EXPORT_SOURCE_UNREADABLE', `The series' first image could not be read: ${e instanceof Error ? e.message : String(e)}`));
  }
  return studyContextFromImage(new Uint8Array(bytes));
}

/** Each reason in the words the report uses, with its source's citation (clinical-rules §10). */
function reasonTexts(report: Report, lesionId: string, reasonText: (r: Reason) => string): string[] {
  const result = report.lesions.find((l) => l.lesion.id === lesionId)?.result;
  if (!result) return [];
  return result.reasons.map((r) => {
    const citation = report.definitions.sources.find((s) => s.id === r.source)?.citation;
    return citation ? `${reasonText(r)} — ${citation}` : reasonText(r);
  });
}

type LengthDrawing = Extract<Drawing, { tool: 'AxialLength' }>;

/** The direction a length was checked against: the session's bone axis, or scanner z. */
function axisDirection(source: LengthDrawing['axisSource'], boneAxis: Session['boneAxis']): Vec3 {
  return source === 'bone-axis' && boneAxis ? sub(boneAxis.p2Mm, boneAxis.p1Mm) : [0, 0, 1];
}

/**
 * The segment a length's value measures, written as its SCOORD3D: the drawn ends, except for an
 * off-axis length whose value is its along-axis component — then the drawn line projected on the
 * axis it was checked against, `value` long, so the ends a viewer recomputes from give the value.
 */
export function measuredSegment(d: LengthDrawing, value: number, boneAxis: Session['boneAxis']): [Vec3, Vec3] {
  if (d.offAxisChoice !== 'along-axis') return d.points;
  return alongAxisSegment(d.points[0], d.points[1], axisDirection(d.axisSource, boneAxis), value);
}

/** The SR builder's input from the session (every measurement, its drawing's points) and the report (scores, level, reasons). */
export function srInputFromSession(args: {
  session: Session;
  report: Report;
  context: StudyContext;
  reasonText: (r: Reason) => string;
}): SrExportInput {
  const { session, report, context } = args;
  const lesions: SrLesion[] = session.lesions.map((lesion) => {
    const result = report.lesions.find((l) => l.lesion.id === lesion.id)?.result ?? null;
    return {
      lesion: { id: lesion.id, bone: lesion.bone, site: lesion.site, label: lesion.label, ...(lesion.level ? { level: lesion.level } : {}) },
      thresholdHu: lesion.thresholdHu,
      // A restored lesion stays the same lesion (the tracking UID the SR gave it).
      ...(lesion.trackingUid ? { trackingUid: lesion.trackingUid } : {}),
      measurements: session.measurements
        .filter((m) => m.lesionId === lesion.id)
        .map((m) => {
          const d = session.drawings[m.id];
          if (d?.tool !== 'AxialLength') return { measurement: m, lengthPointsMm: null };
          return { measurement: m, lengthPointsMm: measuredSegment(d, m.value, session.boneAxis), offAxisChoice: d.offAxisChoice ?? null };
        }),
      assessment: result
        ? { mirelsScore: result.mirels?.score ?? null, sinsScore: result.sins?.score ?? null, level: result.level, reasons: reasonTexts(report, lesion.id, args.reasonText) }
        : null,
    };
  });
  return { context, lesions, reader: report.reader, rulesVersion: report.rulesVersion, app: APP, createdAt: report.generatedAt, language: report.language };
}

/**
 * UIDs of the SR and the PDF of one report state (the report's study and generation time): the
 * file export and the PACS store of an unchanged report are the same documents, and storing them
 * twice is recognised as a duplicate; a changed session makes a new report, hence new documents.
 */
export function reportObjectUids(report: Report, context: StudyContext, kind: 'sr' | 'pdf'): { sopInstanceUid: string; seriesInstanceUid: string } {
  return {
    sopInstanceUid: derivedUid(context.studyInstanceUid, report.generatedAt, kind, 'instance'),
    seriesInstanceUid: derivedUid(context.studyInstanceUid, report.generatedAt, kind, 'series'),
  };
}

export function dicomSrBytes(args: Parameters<typeof srInputFromSession>[0]): Uint8Array {
  return buildMeasurementReportSr({ ...srInputFromSession(args), ...reportObjectUids(args.report, args.context, 'sr') });
}

export function encapsulatedPdfBytes(report: Report, pdf: Uint8Array, context: StudyContext, title: string): Uint8Array {
  return buildEncapsulatedPdf({ context, pdf, documentTitle: title.slice(0, 64), createdAt: report.generatedAt, app: APP, ...reportObjectUids(report, context, 'pdf') });
}

/** "frw-sr_<patient id>_<YYYYMMDD-HHMM>.dcm" / "frw-report-pdf_…": filename-safe, like the PDF's. */
export function dicomFileName(report: Report, kind: 'sr' | 'pdf'): string {
  const id = (report.patient.id || 'unknown').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 40);
  const stamp = report.generatedAt.slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return `${kind === 'sr' ? 'frw-sr' : 'frw-report-pdf'}_${id}_${stamp}.dcm`;
}

/** SR objects of the open study that reference the open series (what "Restore from SR" offers). */
export function srObjectsFor(scan: ScanResult | null, study: Study | null, series: Series | null): OtherObject[] {
  if (!scan || !study || !series) return [];
  const s = scan.studies.find((x) => x.studyInstanceUid === study.studyInstanceUid);
  return (s?.otherObjects ?? []).filter((o) => o.modality === 'SR' && (o.referencedSeriesInstanceUids.length === 0 || o.referencedSeriesInstanceUids.includes(series.seriesInstanceUid)));
}

/**
 * Parses of the study's SR objects, by file, series and patient: what labels each "Restore"
 * button (date, reader, counts) and what the restore itself uses, read once.
 */
const srReads = new Map<string, Promise<Result<SrImport, AppError>>>();

export function readSrObjectCached(host: HostApi, object: OtherObject, study: Study, series: Series): Promise<Result<SrImport, AppError>> {
  const key = [object.fileId, object.sopInstanceUid, series.seriesInstanceUid, study.patientId].join('|');
  let read = srReads.get(key);
  if (!read) {
    if (srReads.size >= 64) srReads.delete(srReads.keys().next().value as string);
    read = readSrObject(host, object, study, series);
    srReads.set(key, read);
    // A file that could not be read now may be readable later: not kept.
    void read.then((r) => {
      if (!r.ok && r.error.code === 'SR_UNREADABLE') srReads.delete(key);
    });
  }
  return read;
}

export async function readSrObject(host: HostApi, object: OtherObject, study: Study, series: Series): Promise<Result<SrImport, AppError>> {
  let bytes: ArrayBuffer;
  try {
    bytes = await host.readFile(object.fileId);
  } catch (e) {
    return err(appError('SR_UNREADABLE', `The SR file could not be read: ${e instanceof Error ? e.message : String(e)}`));
  }
  return readMeasurementReportSr(new Uint8Array(bytes), { patientId: study.patientId, seriesInstanceUid: series.seriesInstanceUid });
}

/** Two lengths the same once written (DS values, 10 significant digits, and the ends' rounding). */
const sameMm = (a: number, b: number) => Math.abs(a - b) <= 0.01 + 1e-4 * Math.abs(b);

/**
 * A drawing that redraws a restored length: the two points (the segment the SR's value measures),
 * on the coronal or sagittal plane that holds the line best, checked against the session's bone
 * axis (scanner z without one). The reader's choice the SR records (FRW016) comes back with it:
 * an along-axis value comes as the projected segment, so along the axis and its ends the value
 * apart. A line that leans off this session's axis is the SR's value kept as drawn ('as-drawn'):
 * its ends are that value apart, whatever axis the value was once the component along. An SR
 * whose ends are not `valueMm` apart but whose value is their along-axis component (written
 * before the choice was recorded) is that: the drawn line with its along-axis choice.
 */
export function lengthDrawing(points: [Vec3, Vec3], boneAxis: Session['boneAxis'], recorded: { choice?: 'along-axis' | 'as-drawn' | null; valueMm?: number } = {}): Drawing {
  const plane = planeHoldingLine(points);
  const axis: Vec3 = boneAxis ? sub(boneAxis.p2Mm, boneAxis.p1Mm) : [0, 0, 1];
  const check = checkAlongBone(points[0], points[1], axis, plane.normal);
  const { valueMm } = recorded;
  const component = valueMm !== undefined && check.notAlongBone && !sameMm(check.lengthMm, valueMm) && sameMm(check.axialLengthMm, valueMm);
  const offAxisChoice = component ? 'along-axis' : check.notAlongBone ? 'as-drawn' : (recorded.choice ?? null);
  return {
    tool: 'AxialLength',
    view: { viewportId: plane.kind, focalPoint: plane.origin, viewPlaneNormal: plane.normal, viewUp: [0, 0, 1] },
    points: [[...points[0]], [...points[1]]],
    lineAxisAngleDeg: check.lineAxisAngleDeg,
    axisSource: boneAxis ? 'bone-axis' : 'scanner-z',
    notAlongBone: check.notAlongBone,
    ...(offAxisChoice ? { offAxisChoice } : {}),
  };
}

export type RestoreSummary = { lesions: number; measurements: number };

/**
 * The lesions of an import the session already holds: same Tracking Unique Identifier as a
 * restored lesion, or as a lesion measured here (whose UID derives from the study and its id).
 */
export function alreadyInSession(imp: SrImport, session: Session, studyInstanceUid: string): SrImport['lesions'] {
  const held = new Set(session.lesions.map((l) => l.trackingUid ?? trackingUidFor(studyInstanceUid, l.id)));
  return imp.lesions.filter((l) => held.has(l.trackingUid));
}

/** How many lesions and measurements an import brings. */
export function restoreSummary(imp: SrImport): RestoreSummary {
  return { lesions: imp.lesions.length, measurements: imp.lesions.reduce((n, l) => n + l.measurements.length, 0) };
}
