/**
 * The analysed lesion exported as an RTSTRUCT on the planning CT (issue 17): valid for dciodvfy,
 * read back by dcmjs and by the app's own parser onto the same CT, its lytic region where the
 * analysis measured it.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dcmjs from 'dcmjs';
import { describe, expect, it } from 'vitest';
import { analyseLesion } from '../../../shared/analysis';
import { lesionCoverage } from '../../../shared/rt/coverage';
import { buildLesionRtStruct } from '../../../shared/rt/exportRtStruct';
import { parseRtStruct } from '../../../shared/rt/parseRtStruct';
import { validateRtStruct } from '../../../shared/rt/validateRtStruct';
import { LesionAnalysisSchema } from '../../../shared/schemas/analysis';
import { makeSyntheticCt } from '../../fixtures/synthetic-ct';
import { PLANNING_SPEC, syntheticPlanningCtRef } from '../../fixtures/synthetic-rtstruct';
import { DCIODVFY, dciodvfy } from './dciodvfy';

describe('lesion RTSTRUCT export', () => {
  for (const tiltDeg of [0, 15]) {
    it(`untilted and tilted (${tiltDeg}°) bone: valid, read back onto the same CT, lytic region where the analysis put it`, () => {
      const ct = makeSyntheticCt({ ...PLANNING_SPEC, bone: { tiltDeg } });
      const analysed = analyseLesion(ct.volume, ct.truth.canalSeed, {});
      expect(analysed.ok).toBe(true);
      const analysis = LesionAnalysisSchema.parse(analysed.ok ? analysed.value : null);
      const ref = syntheticPlanningCtRef(ct);
      const built = buildLesionRtStruct(analysis, ref, { label: 'L1', now: new Date('2026-12-07T08:00:00Z') });
      if (!built.ok) throw new Error(built.error.message);
      const { bytes } = built.value;

      // dciodvfy: no Error line.
      const dir = mkdtempSync(join(tmpdir(), 'frw-rt-'));
      const file = join(dir, `lesion-rt-tilt${tiltDeg}.dcm`);
      writeFileSync(file, bytes);
      if (existsSync(DCIODVFY)) {
        const v = dciodvfy(file);
        console.log(`dciodvfy ${file}: ${v.errors.length} errors, warnings:\n${v.warnings.join('\n')}`);
        expect(v.errors).toEqual([]);
        // Study Time and Study ID come from the CT's header (readCtStudyFields): no warning left.
        expect(v.warnings).toEqual([]);
      }

      // dcmjs reads it back.
      const back = dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      const nat = dcmjs.data.DicomMetaDictionary.naturalizeDataset(back.dict);
      expect(nat.Modality).toBe('RTSTRUCT');
      expect(nat.ReferencedFrameOfReferenceSequence.FrameOfReferenceUID ?? nat.ReferencedFrameOfReferenceSequence[0].FrameOfReferenceUID).toBe(ref.frameOfReferenceUid);
      expect(nat.StudyInstanceUID).toBe(ref.studyInstanceUid);
      const rois = [nat.StructureSetROISequence].flat().map((r: { ROIName: string }) => r.ROIName);
      expect(rois).toEqual(['L1_LYTIC_CORTEX', 'L1_BONE_AXIS']);

      // The app's parser reads it back onto the same CT: every contour on a slice, nothing missing.
      const parsed = parseRtStruct(bytes, file);
      if (!parsed.ok) throw new Error(parsed.error.message);
      const check = validateRtStruct(parsed.value, { seriesInstanceUid: ref.seriesInstanceUid, frameOfReferenceUid: ref.frameOfReferenceUid, normal: ref.normal, slices: ref.slices });
      expect(check.usable).toBe(true);
      expect(check.issues).toEqual([]);
      const lytic = parsed.value.rois[0];
      expect(check.rois[0].onSlices).toBe(lytic.contours.length);
      // One contour per slice over the involved length (± a slice).
      const expectedSlices = (analysis.involvedRangeMm!.endMm - analysis.involvedRangeMm!.startMm) * Math.abs(Math.cos((tiltDeg * Math.PI) / 180)) / PLANNING_SPEC.sliceSpacingMm;
      expect(Math.abs(lytic.contours.length - expectedSlices)).toBeLessThanOrEqual(2);
      expect(parsed.value.rois[1].contours.map((c) => c.geometricType)).toEqual(['POINT', 'POINT']);

      // The exported region covers the analysis' own involved region (self-consistency; slab edges aside).
      const cov = lesionCoverage(parsed.value, analysis, ref.normal, PLANNING_SPEC.sliceSpacingMm).find((c) => c.roiName === 'L1_LYTIC_CORTEX')!;
      console.log(`tilt ${tiltDeg}°: ${cov.sentence}`);
      expect(cov.involvedArcPercent!).toBeGreaterThan(95);
      expect(cov.involvedRegionPercent!).toBeGreaterThan(90);
    });
  }

  it('refuses, with a coded message, an analysis without involvement', () => {
    const ct = makeSyntheticCt({ ...PLANNING_SPEC, lesion: null });
    const analysed = analyseLesion(ct.volume, ct.truth.canalSeed, {});
    const analysis = LesionAnalysisSchema.parse(analysed.ok ? analysed.value : null);
    const r = buildLesionRtStruct(analysis, syntheticPlanningCtRef(ct));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'rt.export-failed', field: 'analysis' });
  });
});
