/**
 * The analysed lesion exported as an RTSTRUCT on the planning CT (issue 17): valid for dciodvfy,
 * read back by dcmjs and by the app's own parser onto the same CT, its lytic region where the
 * analysis measured it.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dcmjs from 'dcmjs';
import { describe, expect, it } from 'vitest';
import { analyseLesion } from '../../../shared/analysis';
import { lesionCoverage } from '../../../shared/rt/coverage';
import { buildLesionRtStruct, lesionExportName } from '../../../shared/rt/exportRtStruct';
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
      // One contour per slice over the involved length (± a slice); on a tilted bone the wall crosses the
      // slices over up to ±R·sin(tilt) more, each wall point being decided at its own axial position.
      const tilt = (tiltDeg * Math.PI) / 180;
      const minSlices = ((analysis.involvedRangeMm!.endMm - analysis.involvedRangeMm!.startMm) * Math.cos(tilt)) / PLANNING_SPEC.sliceSpacingMm;
      const maxSlices = minSlices + (2 * analysis.boneRadiusMm! * Math.sin(tilt)) / PLANNING_SPEC.sliceSpacingMm;
      expect(lytic.contours.length).toBeGreaterThanOrEqual(minSlices - 2);
      expect(lytic.contours.length).toBeLessThanOrEqual(maxSlices + 2);
      expect(parsed.value.rois[1].contours.map((c) => c.geometricType)).toEqual(['POINT', 'POINT']);

      // The exported region covers the analysis' own involved region (self-consistency; slab edges aside).
      const cov = lesionCoverage(parsed.value, analysis, ref.normal, PLANNING_SPEC.sliceSpacingMm).find((c) => c.roiName === 'L1_LYTIC_CORTEX')!;
      console.log(`tilt ${tiltDeg}°: ${cov.sentence}`);
      expect(cov.involvedArcPercent!).toBeGreaterThan(95);
      // Tilted, a contour stands for its slice's slab while the wall crosses it obliquely: a thin band at the
      // region's boundary is sampled on the neighbouring slice's contour (below 5 %; it was 11 % when the
      // slices were outlined where the axis pierces them).
      expect(cov.involvedRegionPercent!).toBeGreaterThan(tiltDeg === 0 ? 99 : 95);
      rmSync(dir, { recursive: true, force: true });
    });
  }

  it('tilted bone (20°, 25°): the exported region is the 3-D region coverage.ts samples — its ends neither cut nor extended by r·tan(tilt)', () => {
    for (const tiltDeg of [20, 25]) {
      const ct = makeSyntheticCt({ ...PLANNING_SPEC, bone: { tiltDeg } });
      const analysed = analyseLesion(ct.volume, ct.truth.canalSeed, {});
      const analysis = LesionAnalysisSchema.parse(analysed.ok ? analysed.value : null);
      const ref = syntheticPlanningCtRef(ct);
      const built = buildLesionRtStruct(analysis, ref);
      if (!built.ok) throw new Error(built.error.message);
      const parsed = parseRtStruct(built.value.bytes, 'tilted.dcm');
      if (!parsed.ok) throw new Error(parsed.error.message);
      const s = analysis.mostAffectedSection!;
      const d = analysis.axis!.direction;
      const range = analysis.involvedRangeMm!;
      // Every exported point, expressed in the analysis' cylinder: its axial position within the involved
      // range (0.05 mm: DS rounding), its depth within the wall (the analysis' radii ± 0.05 mm).
      let tMin = Infinity;
      let tMax = -Infinity;
      let rMin = Infinity;
      let rMax = -Infinity;
      for (const c of parsed.value.rois[0].contours) {
        for (let i = 0; i < c.pointsMm.length; i += 3) {
          const q = [0, 1, 2].map((k) => c.pointsMm[i + k] - s.origin[k]);
          const t = s.positionMm + q[0] * d[0] + q[1] * d[1] + q[2] * d[2];
          const radial = q.map((x, k) => x - (t - s.positionMm) * d[k]);
          tMin = Math.min(tMin, t);
          tMax = Math.max(tMax, t);
          rMin = Math.min(rMin, Math.hypot(...radial));
          rMax = Math.max(rMax, Math.hypot(...radial));
        }
      }
      const perio = Math.max(...s.periostealRadiusMm.map((r) => r ?? 0));
      const endo = Math.min(...s.endostealRadiusMm.map((r) => r ?? Infinity));
      const cov = lesionCoverage(parsed.value, analysis, ref.normal, PLANNING_SPEC.sliceSpacingMm).find((x) => x.roiName === 'LESION_LYTIC_CORTEX')!;
      console.log(`tilt ${tiltDeg}°: exported t ${tMin.toFixed(2)}…${tMax.toFixed(2)} mm (involved ${range.startMm.toFixed(2)}…${range.endMm.toFixed(2)}), r ${rMin.toFixed(2)}…${rMax.toFixed(2)} (wall ${endo.toFixed(2)}…${perio.toFixed(2)}); ${cov.sentence}`);
      expect(tMin).toBeGreaterThanOrEqual(range.startMm - 0.05);
      expect(tMax).toBeLessThanOrEqual(range.endMm + 0.05);
      // …and reaching both ends (within an axial step of the outline: a slice spacing / cos(tilt) at most).
      const step = PLANNING_SPEC.sliceSpacingMm / Math.cos((tiltDeg * Math.PI) / 180);
      expect(tMin).toBeLessThan(range.startMm + step);
      expect(tMax).toBeGreaterThan(range.endMm - step);
      expect(rMin).toBeGreaterThanOrEqual(endo - 0.05);
      expect(rMax).toBeLessThanOrEqual(perio + 0.05);
      // The 3-D region's samples are inside the exported contours, each contour standing for its slice's slab:
      // tolerance 5 % (the band at the region's boundary sampled on the neighbouring slice; 96.7 % at 25°, and
      // 87 % at 20° when each slice was decided where the axis pierces it).
      expect(cov.involvedRegionPercent!).toBeGreaterThan(95);
      expect(cov.involvedArcPercent!).toBeGreaterThan(99);
    }
  });

  it('refuses, with a coded message, an analysis without involvement', () => {
    const ct = makeSyntheticCt({ ...PLANNING_SPEC, lesion: null });
    const analysed = analyseLesion(ct.volume, ct.truth.canalSeed, {});
    const analysis = LesionAnalysisSchema.parse(analysed.ok ? analysed.value : null);
    const r = buildLesionRtStruct(analysis, syntheticPlanningCtRef(ct));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'rt.export-failed', field: 'analysis' });
  });
});

describe('lytic region per section', () => {
  it("an ellipsoid lesion: each slice's exported arc follows the generator's involved arc along the bone (within 10°)", () => {
    // Truth (synthetic-ct.ts): full ellipsoid of depth 2T, involved where q ≤ 15/16, so the involved
    // half-angle at x = (t − tc)/(L/2) is (E/2)·√(15/16 − x²).
    const L = 24;
    const E = 150;
    const ct = makeSyntheticCt({ ...PLANNING_SPEC, lesion: { axialLengthMm: L, startAngleDeg: 20, extentDeg: E, depth: 'full', shape: 'ellipsoid' } });
    const analysed = analyseLesion(ct.volume, ct.truth.canalSeed, {});
    const analysis = LesionAnalysisSchema.parse(analysed.ok ? analysed.value : null);
    const built = buildLesionRtStruct(analysis, syntheticPlanningCtRef(ct));
    if (!built.ok) throw new Error(built.error.message);
    const parsed = parseRtStruct(built.value.bytes, 'ellipsoid.dcm');
    if (!parsed.ok) throw new Error(parsed.error.message);
    const c = ct.truth.axis.point;
    const zc = ct.truth.lesionCentre![2];
    const rows = parsed.value.rois[0].contours.map((contour) => {
      const p = contour.pointsMm;
      const n = p.length / 3;
      // The outer arc is the first half of the outline, in order of angle.
      const angles = Array.from({ length: n / 2 }, (_, i) => Math.atan2(p[3 * i + 1] - c[1], p[3 * i] - c[0]) * (180 / Math.PI));
      let sweep = 0;
      for (let i = 1; i < angles.length; i++) sweep += (((angles[i] - angles[i - 1] + 540) % 360) - 180);
      const x = (p[2] - zc) / (L / 2);
      const truth = Math.abs(x) < Math.sqrt(15 / 16) ? E * Math.sqrt(15 / 16 - x * x) : 0;
      return { x, sweep: Math.abs(sweep), truth };
    });
    const widest = Math.max(...rows.map((r) => r.truth));
    console.log(rows.map((r) => `x ${r.x.toFixed(2)}: ${r.sweep.toFixed(0)}° (truth ${r.truth.toFixed(0)}°)`).join('\n'));
    const inner = rows.filter((r) => Math.abs(r.x) <= 0.8);
    expect(inner.length).toBeGreaterThan(10);
    for (const r of inner) expect(Math.abs(r.sweep - r.truth)).toBeLessThan(10);
    expect(Math.max(...inner.map((r) => r.sweep))).toBeGreaterThan(0.95 * widest);
    // The ends are narrower than the middle.
    const mid = rows.reduce((m, r) => (Math.abs(r.x) < Math.abs(m.x) ? r : m));
    const end = rows.reduce((m, r) => (Math.abs(r.x) > Math.abs(m.x) ? r : m));
    expect(end.sweep).toBeLessThan(0.8 * mid.sweep);
  });
});

describe('export names (review 2: two lesions sent to one planning system must not collide)', () => {
  it('the lesion number and label go into the ROI names (≤ 64 characters) and the file name', () => {
    expect(lesionExportName(2, 'left femur, proximal')).toEqual({ label: 'LESION_2_LEFT_FEMUR_PROXIMAL', fileName: 'lesion-2-left-femur-proximal-rtstruct.dcm' });
    // The default label '#1' only repeats the number; diacritics are dropped.
    expect(lesionExportName(1, '#1')).toEqual({ label: 'LESION_1', fileName: 'lesion-1-rtstruct.dcm' });
    expect(lesionExportName(3, 'Fémur gauche')).toMatchObject({ label: 'LESION_3_FEMUR_GAUCHE' });
    // The CLI names it after OUT; a leading 'lesion' is not repeated.
    expect(lesionExportName(null, 'femur-2').label).toBe('LESION_FEMUR_2');
    expect(lesionExportName(null, 'lesion-rt').label).toBe('LESION_RT');
    expect(lesionExportName(null, '').label).toBe('LESION');
    const long = lesionExportName(12, 'x'.repeat(200));
    expect(`${long.label}_LYTIC_CORTEX`.length).toBeLessThanOrEqual(64);
    expect(lesionExportName(1, 'a').label).not.toBe(lesionExportName(2, 'a').label);
  });

  it('two lesions exported from one CT have different ROI names and structure set labels', () => {
    const ct = makeSyntheticCt(PLANNING_SPEC);
    const analysed = analyseLesion(ct.volume, ct.truth.canalSeed, {});
    const analysis = LesionAnalysisSchema.parse(analysed.ok ? analysed.value : null);
    const names = [1, 2].map((n) => {
      const built = buildLesionRtStruct(analysis, syntheticPlanningCtRef(ct), { label: lesionExportName(n, `#${n}`).label });
      if (!built.ok) throw new Error(built.error.message);
      const parsed = parseRtStruct(built.value.bytes, `l${n}.dcm`);
      if (!parsed.ok) throw new Error(parsed.error.message);
      return { rois: parsed.value.rois.map((r) => r.name), set: parsed.value.label };
    });
    expect(names[0]).toEqual({ rois: ['LESION_1_LYTIC_CORTEX', 'LESION_1_BONE_AXIS'], set: 'LESION_1' });
    expect(names[1]).toEqual({ rois: ['LESION_2_LYTIC_CORTEX', 'LESION_2_BONE_AXIS'], set: 'LESION_2' });
  });
});
