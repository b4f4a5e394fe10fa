/**
 * `analyze … --rtstruct OUT.dcm` (issue 17): writes the analysed lesion as an RTSTRUCT on the
 * analysed CT (its frame of reference, study and images), for the planning system to import.
 * Kept apart from analyze.ts so the flag touches that file in two places only; stdout is not
 * changed by the flag (the analyze output contract), the file written is reported on stderr.
 * Its ROIs are named after OUT's file name (lesionExportName): `--rtstruct femur-2.dcm` writes
 * LESION_FEMUR_2_LYTIC_CORTEX and LESION_FEMUR_2_BONE_AXIS.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { LoadedSeries } from '../volume/loadCtVolume';
import type { LesionAnalysis } from '../../shared/schemas/analysis';
import { buildLesionRtStruct, lesionExportName, type PlanningCtRef } from '../../shared/rt/exportRtStruct';
import { planningCtRefOf } from '../../shared/rt/planningRef';
import { readCtStudyFields } from '../../shared/rt/ctStudyFields';

/** The planning-CT reference of the loaded series (from the scan the volume was loaded from). */
async function planningCtRef(loaded: LoadedSeries): Promise<PlanningCtRef | string> {
  const { study, series } = loaded;
  if (!series.imageOrientationPatient) return 'the series has no image orientation';
  if (!series.frameOfReferenceUid) return 'the series has no Frame of Reference UID';
  const first = series.instances[0]?.file;
  const studyFields = first ? readCtStudyFields(new Uint8Array(await readFile(first).catch(() => new Uint8Array()))) : {};
  return planningCtRefOf(study, series, studyFields) ?? 'the series has no usable slice geometry';
}

/** Writes the RTSTRUCT; returns the exit code (0 written, 2 nothing to export or cannot write). */
export async function writeAnalysisRtstruct(out: string, loaded: LoadedSeries, analysis: LesionAnalysis): Promise<number> {
  const ref = await planningCtRef(loaded);
  if (typeof ref === 'string') {
    process.stderr.write(`analyze: --rtstruct: ${ref} [rt.export-failed]\n`);
    return 2;
  }
  // The lesion is named after OUT ('femur-2.dcm' → LESION_FEMUR_2_…): two lesions sent to one planning system do not collide.
  const { label } = lesionExportName(null, basename(out, extname(out)));
  const built = buildLesionRtStruct(analysis, ref, { label });
  if (!built.ok) {
    process.stderr.write(`analyze: --rtstruct: ${built.error.message} [${built.error.code}]\n`);
    return 2;
  }
  try {
    await writeFile(out, built.value.bytes);
  } catch (e) {
    process.stderr.write(`analyze: --rtstruct: cannot write '${out}': ${e instanceof Error ? e.message : String(e)} [rt.export-failed]\n`);
    return 2;
  }
  const rois = built.value.rois.map((r) => `${r.name} (${r.contours} contours)`).join(', ');
  process.stderr.write(`analyze: wrote RTSTRUCT ${out}: ${rois}; frame of reference ${ref.frameOfReferenceUid}\n`);
  return 0;
}
