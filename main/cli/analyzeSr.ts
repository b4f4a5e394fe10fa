/**
 * `cli analyze … --sr OUT.dcm` (issue 16): the assisted analysis' numbers written as a DICOM
 * SR TID 1500 (shared/export/sr.ts) beside the usual output. The length's SCOORD3D runs between
 * the two ends of the involved run on the bone axis (LesionAnalysis.endSections' origins), so a
 * viewer redraws it where the analysis measured it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { appError, err, ok, type AppError, type Result } from '../../shared/errors';
import { buildMeasurementReportSr, type SrMeasurement } from '../../shared/export/sr';
import { studyContextFromImage } from '../../shared/export/studyContext';
import type { LesionAnalysis } from '../../shared/schemas/analysis';
import type { Vec3 } from '../../shared/schemas/common';
import type { Measurement, MeasurementProvenance } from '../../shared/schemas/measurement';
import type { Series } from '../../shared/schemas/scan';
import { add, distance, scale } from '../../shared/geometry/vec';
import pkg from '../../package.json';

export const ANALYZE_SR_ERROR = {
  SOURCE: 'SR_SOURCE_UNREADABLE',
  WRITE: 'SR_WRITE_FAILED',
} as const;

export interface AnalysisSrArgs {
  outPath: string;
  /** The analysed series as the scan found it (its images, their positions). */
  series: Series;
  analysis: LesionAnalysis;
  now: string;
  /** The writing application (General Equipment); the package's name and version by default. */
  app?: { name: string; version: string };
}

interface SliceRef {
  sopInstanceUid: string;
  file: string;
  position: Vec3 | null;
}

/** The slice whose position is nearest a point: the image an assisted value is referenced to. */
function nearestSlice(slices: SliceRef[], p: Vec3): SliceRef {
  const d = (s: SliceRef) => (s.position ? distance(s.position, p) : Infinity);
  return slices.reduce((a, b) => (d(b) < d(a) ? b : a));
}

const mid = (a: Vec3, b: Vec3): Vec3 => scale(add(a, b), 0.5);

/** The analysis' three numbers as measurements with their provenance (assisted, its threshold). */
export function analysisMeasurements(analysis: LesionAnalysis, slices: SliceRef[], seriesInstanceUid: string, now: string): SrMeasurement[] {
  const provenance = (at: Vec3): MeasurementProvenance => ({
    seriesInstanceUid,
    sopInstanceUids: [nearestSlice(slices, at).sopInstanceUid],
    tool: 'assisted-analysis',
    thresholdHu: analysis.thresholdHu,
    method: 'assisted',
    reader: '',
    time: now,
  });
  const out: SrMeasurement[] = [];
  const ends = analysis.endSections.length === 2 ? ([analysis.endSections[0].origin, analysis.endSections[1].origin] as [Vec3, Vec3]) : null;
  if (analysis.axialLengthMm !== null && ends) {
    const m: Measurement = { id: 'axial-length', lesionId: 'lesion-1', kind: 'axialLengthMm', value: analysis.axialLengthMm, unit: 'mm', provenance: provenance(mid(...ends)) };
    out.push({ measurement: m, lengthPointsMm: ends });
  }
  const at = analysis.mostAffectedSection?.origin ?? analysis.seed;
  if (analysis.circumferentialPercent !== null) {
    out.push({ measurement: { id: 'circumferential', lesionId: 'lesion-1', kind: 'circumferentialPercent', value: analysis.circumferentialPercent, unit: '%', provenance: provenance(at) } });
  }
  if (analysis.axialPercent !== null) {
    out.push({ measurement: { id: 'axial', lesionId: 'lesion-1', kind: 'axialPercent', value: analysis.axialPercent, unit: '%', provenance: provenance(at) } });
  }
  return out;
}

/** Build and write the SR; errors name the file and never a patient identifier. */
export async function writeAnalysisSr(a: AnalysisSrArgs): Promise<Result<{ bytes: number }, AppError>> {
  const { series } = a;
  if (series.instances.length === 0) return err(appError(ANALYZE_SR_ERROR.SOURCE, 'The analysed series has no image.'));
  const slices = series.instances.map((i) => ({ sopInstanceUid: i.sopInstanceUid, file: i.file, position: i.imagePositionPatient }));
  let sourceBytes: Uint8Array;
  try {
    sourceBytes = new Uint8Array(await readFile(slices[0].file));
  } catch (e) {
    return err(appError(ANALYZE_SR_ERROR.SOURCE, `Cannot read the source image '${slices[0].file}': ${e instanceof Error ? e.message : String(e)}`, { file: slices[0].file }));
  }
  const context = studyContextFromImage(sourceBytes);
  if (!context.ok) return err({ ...context.error, file: slices[0].file });
  const seed = a.analysis.seed.map((c) => c.toFixed(1)).join(', ');
  const bytes = buildMeasurementReportSr({
    context: context.value,
    reader: '',
    rulesVersion: null,
    app: a.app ?? { name: 'Fracture-Risk Workstation', version: pkg.version },
    createdAt: a.now,
    lesions: [
      {
        lesion: { id: 'lesion-1', bone: '', site: 'other', label: `assisted analysis at seed (${seed}) mm` },
        thresholdHu: a.analysis.thresholdHu,
        measurements: analysisMeasurements(a.analysis, slices, series.seriesInstanceUid, a.now),
      },
    ],
  });
  try {
    await writeFile(a.outPath, bytes);
  } catch (e) {
    const reason = e instanceof Error && 'code' in e ? String((e as NodeJS.ErrnoException).code) : String(e);
    return err(appError(ANALYZE_SR_ERROR.WRITE, `Cannot write the SR to '${a.outPath}' (${reason}).`, { file: a.outPath }));
  }
  return ok({ bytes: bytes.length });
}
