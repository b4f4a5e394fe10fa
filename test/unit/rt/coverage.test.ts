/**
 * Coverage of the measured cortical region by planning structures of known geometry (issue 17):
 * the synthetic CT's lesion involves θ 30°–150° (120°) over 20 mm; the GTV wedge spans 50°–200°,
 * so it covers (150 − 50) / 120 = 83.3 % of the involved arc; the PTV disc and the bone cover all;
 * the vessel none.
 */
import { describe, expect, it } from 'vitest';
import { analyseLesion } from '../../../shared/analysis';
import { lesionCoverage, involvedRegionSamples } from '../../../shared/rt/coverage';
import { parseRtStruct } from '../../../shared/rt/parseRtStruct';
import { validateRtStruct } from '../../../shared/rt/validateRtStruct';
import { LesionAnalysisSchema, type LesionAnalysis } from '../../../shared/schemas/analysis';
import { makeSyntheticCt } from '../../fixtures/synthetic-ct';
import { PLANNING_SPEC, syntheticPlanningCtRef, syntheticPlanningRtStruct } from '../../fixtures/synthetic-rtstruct';


const ct = makeSyntheticCt(PLANNING_SPEC);
const bytes = syntheticPlanningRtStruct(ct);
const parsed = parseRtStruct(bytes, 'synthetic-planning-rt.dcm');
const rt = parsed.ok ? parsed.value : null;
const ref = syntheticPlanningCtRef(ct);

/** The analysis with its arcs replaced by the generator's exact ones (isolates coverage from measurement error). */
function exactAnalysis(a: LesionAnalysis): LesionAnalysis {
  const s = a.mostAffectedSection!;
  // The analysis' u may differ from the generator's +x: express 30° (generator) in the section's frame.
  const uAngle = Math.atan2(s.u[1], s.u[0]) * (180 / Math.PI);
  return { ...a, mostAffectedSection: { ...s, involvedArcs: [{ startDeg: 30 - uAngle, sweepDeg: 120 }] } };
}

describe('coverage against the generator geometry', () => {
  const analysed = analyseLesion(ct.volume, ct.truth.canalSeed, {});
  const analysis = analysed.ok ? LesionAnalysisSchema.parse(analysed.value) : null;

  it('the synthetic planning RTSTRUCT reads back onto its CT, every contour on a slice', () => {
    expect(rt).not.toBeNull();
    const check = validateRtStruct(rt!, { seriesInstanceUid: ref.seriesInstanceUid, frameOfReferenceUid: ref.frameOfReferenceUid, normal: ref.normal, slices: ref.slices });
    expect(check.usable).toBe(true);
    expect(check.issues).toEqual([]);
    expect(check.rois.every((r) => r.onSlices === r.contours)).toBe(true);
  });

  it('with the exact involved arc: GTV 83.3 % of the arc, PTV and bone all, vessel none', () => {
    const a = exactAnalysis(analysis!);
    const cov = lesionCoverage(rt!, a, ref.normal, PLANNING_SPEC.sliceSpacingMm);
    const by = Object.fromEntries(cov.map((c) => [c.roiName, c]));
    expect(by.GTV_femur.involvedArcPercent!).toBeCloseTo((100 * 100) / 120, 0);
    expect(by.GTV_femur.relation).toBe('partial');
    expect(by.PTV.involvedRegionPercent).toBe(100);
    expect(by.PTV.relation).toBe('covers');
    expect(by.BONE_femur.involvedRegionPercent).toBe(100);
    expect(by.OAR_vessel.involvedRegionPercent).toBe(0);
    expect(by.OAR_vessel.relation).toBe('none');
    // The generator's canal seed is on the bone axis: inside the PTV disc, on the GTV wedge's apex (a boundary), far from the vessel.
    expect(by.PTV.seedInside).toBe(true);
    expect(by.OAR_vessel.seedInside).toBe(false);
    expect(by.PTV.sentence).toBe('PTV covers all of the involved arc (all of the involved cortical region); contains the seed.');
    expect(by.GTV_femur.sentence).toMatch(/^GTV_femur covers 83 % of the involved arc \(8\d % of the involved cortical region\)/);
  });

  it('with the measured analysis: the GTV figure is within the analysis accuracy (5 pp) of 83.3 %', () => {
    expect(analysis!.circumferentialPercent!).toBeCloseTo(100 / 3, -1);
    const cov = lesionCoverage(rt!, analysis!, ref.normal, PLANNING_SPEC.sliceSpacingMm);
    const by = Object.fromEntries(cov.map((c) => [c.roiName, c]));
    console.log(cov.map((c) => c.sentence).join('\n'));
    expect(Math.abs(by.GTV_femur.involvedArcPercent! - (100 * 100) / 120)).toBeLessThan(5);
    expect(by.PTV.relation).toBe('covers');
    expect(by.BONE_femur.involvedRegionPercent!).toBeGreaterThan(99);
    expect(by.OAR_vessel.relation).toBe('none');
  });

  it('samples the region over the involved length, through the wall', () => {
    const samples = involvedRegionSamples(analysis!);
    const zs = samples.map((s) => s.point[2]);
    expect(Math.max(...zs) - Math.min(...zs)).toBeGreaterThan(15);
    const r = samples.map((s) => Math.hypot(s.point[0] - ct.truth.axis.point[0], s.point[1] - ct.truth.axis.point[1]));
    expect(Math.min(...r)).toBeGreaterThan(14 - 4 - 0.8);
    expect(Math.max(...r)).toBeLessThan(14 + 0.8);
  });
});
