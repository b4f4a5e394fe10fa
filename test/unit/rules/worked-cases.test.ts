import { describe, expect, it } from 'vitest';
import { assessLesion } from '../../../shared/rules/index';
import { AssessmentInputSchema, AssessmentResultSchema, type AssessmentInputRaw } from '../../../shared/schemas/assessment';

/** clinical-rules.md §8: the seven worked cases the engine must reproduce. */
const assess = (raw: AssessmentInputRaw) => {
  const result = assessLesion(AssessmentInputSchema.parse(raw));
  // The result must itself satisfy the published schema (other parts parse it).
  expect(AssessmentResultSchema.safeParse(result).success).toBe(true);
  return result;
};
const codes = (r: ReturnType<typeof assess>) => r.reasons.map((x) => x.code);
const status = (r: ReturnType<typeof assess>, id: string) => r.criteria.find((c) => c.id === id)?.status;
const decisive = (r: ReturnType<typeof assess>) => r.criteria.filter((c) => c.decisive).map((c) => c.id).sort();

describe('§8 worked cases', () => {
  it('1: upper limb, blastic, mild, size < 1/3 → Mirels 4, radiotherapy alone', () => {
    const r = assess({ site: 'upper-limb', lesionType: 'blastic', pain: 'mild', mirelsSize: 1, circumferentialPercent: 10, axialLengthMm: 12, lifeExpectancyOver3Months: true });
    expect(r.level).toBe('radiotherapy-alone');
    expect(r.ctConfirmed).toBe(false);
    expect(r.mirels).toMatchObject({ score: 4, items: { site: 1, size: 1, lesionType: 1, pain: 1 }, sizeSource: 'entered' });
    expect(codes(r)).toContain('mirels-observation');
    expect(codes(r)).not.toContain('discordance');
    // axial % was not measured: said so, never silently "not met".
    expect(status(r, 'ct-axial-percent')).toBe('not-measured');
    expect(r.reasons.find((x) => x.code === 'criteria-not-measured')?.params?.criteria).toContain('harrington-axial-percent');
    expect(r.radiotherapyOptions.map((o) => o.id)).toContain('8gy-1');
    expect(r.postOperativeRadiotherapy).toBeNull();
  });

  it('2: lower limb, mixed, moderate, size 1/3–2/3 → Mirels 8, multidisciplinary discussion', () => {
    const r = assess({ site: 'lower-limb', lesionType: 'mixed', pain: 'moderate', mirelsSize: 2, circumferentialPercent: 30, axialLengthMm: 20, lifeExpectancyOver3Months: true });
    expect(r.level).toBe('multidisciplinary-discussion');
    expect(r.ctConfirmed).toBe(false);
    expect(r.mirels?.score).toBe(8);
    expect(codes(r)).toContain('mirels-discussion');
    expect(codes(r)).not.toContain('discordance');
    expect(decisive(r)).toEqual([]);
  });

  it('3: peritrochanteric, lytic, moderate, 45 %, circ 60, 35 mm → Mirels 10, first-line consolidation, CT-confirmed', () => {
    const r = assess({ site: 'peritrochanteric', lesionType: 'lytic', pain: 'moderate', axialPercent: 45, circumferentialPercent: 60, axialLengthMm: 35, lifeExpectancyOver3Months: true });
    expect(r.level).toBe('first-line-consolidation');
    expect(r.ctConfirmed).toBe(true);
    expect(r.mirels).toMatchObject({ score: 10, items: { site: 3, size: 2, lesionType: 3, pain: 2 }, sizeSource: 'measured' });
    expect(codes(r)).toEqual(expect.arrayContaining(['mirels-consolidation', 'ct-confirmed', 'life-expectancy-over-3-months']));
    expect(decisive(r)).toEqual(['ct-axial-percent', 'ct-circumferential-percent']);
    // The other criteria met are listed as supporting evidence with their sources, not as decisive.
    expect(r.reasons.filter((x) => x.code === 'criterion-supports').map((x) => [x.params?.criterion, x.source])).toEqual([
      ['axial-length', 'vanDerLinden2003'],
      ['harrington-peritrochanteric-length', 'harrington1986'],
    ]);
    expect(r.postOperativeRadiotherapy).toMatchObject({ code: 'post-operative-radiotherapy', source: 'seed000-postop-radiotherapy' });
    expect(r.radiotherapyOptions.map((o) => o.id)).toContain('30gy-10');
    expect(r.radiotherapyOptions.map((o) => o.id)).not.toContain('8gy-1');
  });

  it('4: peritrochanteric, lytic, functional, 70 %, life expectancy ≤ 3 months → Mirels 12, non-surgical', () => {
    const r = assess({ site: 'peritrochanteric', lesionType: 'lytic', pain: 'functional', axialPercent: 70, circumferentialPercent: 40, axialLengthMm: 25, lifeExpectancyOver3Months: false });
    expect(r.level).toBe('non-surgical');
    expect(r.ctConfirmed).toBe(false);
    expect(r.mirels?.score).toBe(12);
    expect(r.mirels?.items.size).toBe(3);
    expect(codes(r)).toEqual(expect.arrayContaining(['mirels-consolidation', 'life-expectancy-3-months-or-less']));
    expect(r.reasons.find((x) => x.code === 'life-expectancy-3-months-or-less')?.params?.baseLevel).toBe('first-line-consolidation');
    expect(r.postOperativeRadiotherapy).toBeNull();
    expect(r.radiotherapyOptions.length).toBeGreaterThan(0);
  });

  it('5: upper limb, mixed, mild, 25 %, circ 55, 32 mm → Mirels 5, discordance → multidisciplinary discussion', () => {
    const r = assess({ site: 'upper-limb', lesionType: 'mixed', pain: 'mild', axialPercent: 25, circumferentialPercent: 55, axialLengthMm: 32, lifeExpectancyOver3Months: true });
    expect(r.level).toBe('multidisciplinary-discussion');
    expect(r.ctConfirmed).toBe(false);
    expect(r.mirels?.score).toBe(5);
    expect(codes(r)).toContain('discordance');
    expect(codes(r)).not.toContain('mirels-discussion');
    expect(decisive(r)).toEqual(['axial-length', 'ct-circumferential-percent']);
    const met = r.reasons.filter((x) => x.code === 'criterion-met').map((x) => [x.params?.criterion, x.source]);
    expect(met).toEqual(expect.arrayContaining([['axial-length', 'vanDerLinden2003'], ['ct-circumferential-percent', 'seed000-ct-consolidation']]));
  });

  it('6: lower limb, lytic, functional, 35 %, circ 45 → Mirels 10, first-line consolidation, not CT-confirmed', () => {
    const r = assess({ site: 'lower-limb', lesionType: 'lytic', pain: 'functional', axialPercent: 35, circumferentialPercent: 45, axialLengthMm: 28, lifeExpectancyOver3Months: true });
    expect(r.level).toBe('first-line-consolidation');
    expect(r.ctConfirmed).toBe(false);
    expect(r.mirels?.score).toBe(10);
    expect(codes(r)).toEqual(expect.arrayContaining(['mirels-consolidation', 'ct-not-confirmed']));
    expect(status(r, 'ct-axial-percent')).toBe('met');
    expect(status(r, 'ct-circumferential-percent')).toBe('not-met');
  });

  it('7: values exactly at the thresholds (30.0 %, 50.0 %, 30.0 mm) → Mirels 9, first-line, not CT-confirmed, no CT criterion met', () => {
    const r = assess({ site: 'lower-limb', lesionType: 'lytic', pain: 'functional', axialPercent: 30.0, circumferentialPercent: 50.0, axialLengthMm: 30.0, lifeExpectancyOver3Months: true });
    expect(r.level).toBe('first-line-consolidation');
    expect(r.ctConfirmed).toBe(false);
    expect(r.mirels).toMatchObject({ score: 9, items: { size: 1 } });
    expect(codes(r)).toContain('ct-not-confirmed');
    for (const id of ['ct-axial-percent', 'ct-circumferential-percent', 'axial-length']) expect(status(r, id)).toBe('not-met');
    expect(r.criteria.filter((c) => c.status === 'met' && !c.informational)).toEqual([]);
    // Tatar (≥ 30 %) is met by circ 50 but is informational, never decisive.
    expect(r.criteria.find((c) => c.id === 'tatar-circumferential-percent')).toMatchObject({ status: 'met', informational: true, decisive: false });
  });
});

describe('decision procedure beyond the worked cases', () => {
  const longBone = { site: 'lower-limb', lesionType: 'lytic', pain: 'functional' } as const;

  it('long bone without axial % nor entered size → incomplete, listing the Mirels size', () => {
    const r = assess({ ...longBone, circumferentialPercent: 80, axialLengthMm: 50, lifeExpectancyOver3Months: true });
    expect(r.level).toBe('incomplete');
    expect(r.missing).toEqual(['mirelsSize']);
    expect(r.mirels).toBeNull();
    expect(status(r, 'axial-length')).toBe('met');
  });

  it('Mirels ≥ 9 with life expectancy unknown → incomplete, missing life expectancy', () => {
    const r = assess({ ...longBone, axialPercent: 50 });
    expect(r.level).toBe('incomplete');
    expect(r.missing).toEqual(['lifeExpectancyOver3Months']);
    expect(codes(r)).toContain('life-expectancy-unknown');
  });

  it('Mirels 8 with life expectancy unknown → multidisciplinary discussion, saying so', () => {
    const r = assess({ site: 'lower-limb', lesionType: 'mixed', pain: 'moderate', mirelsSize: 2 });
    expect(r.level).toBe('multidisciplinary-discussion');
    expect(r.missing).toEqual([]);
    expect(codes(r)).toContain('life-expectancy-unknown');
  });

  it('discordant Mirels ≤ 7 with life expectancy ≤ 3 months → non-surgical, never plain radiotherapy', () => {
    const r = assess({ site: 'upper-limb', lesionType: 'blastic', pain: 'mild', axialPercent: 10, lesserTrochanterAvulsion: true, lifeExpectancyOver3Months: false });
    expect(r.level).toBe('non-surgical');
    expect(codes(r)).toEqual(expect.arrayContaining(['discordance', 'life-expectancy-3-months-or-less']));
  });

  it('each Harrington criterion alone makes a Mirels ≤ 7 lesion discordant', () => {
    const low = { site: 'peritrochanteric', lesionType: 'blastic', pain: 'mild', mirelsSize: 1, lifeExpectancyOver3Months: true } as const;
    expect(assess({ ...low, axialPercent: 50 }).level).toBe('multidisciplinary-discussion');
    expect(assess({ ...low, axialPercent: 49.9 }).level).toBe('radiotherapy-alone');
    expect(assess({ ...low, axialLengthMm: 25 }).level).toBe('multidisciplinary-discussion');
    expect(assess({ ...low, axialLengthMm: 24.9 }).level).toBe('radiotherapy-alone');
    expect(assess({ ...low, painAfterRadiotherapy: true }).level).toBe('multidisciplinary-discussion');
    // The 25 mm Harrington rule is for the proximal femur only.
    expect(assess({ ...low, site: 'upper-limb', axialLengthMm: 28 }).level).toBe('radiotherapy-alone');
  });

  it('Tatar alone never changes the level', () => {
    const r = assess({ site: 'upper-limb', lesionType: 'blastic', pain: 'mild', axialPercent: 10, circumferentialPercent: 45, axialLengthMm: 10, lifeExpectancyOver3Months: true });
    expect(r.level).toBe('radiotherapy-alone');
    expect(status(r, 'tatar-circumferential-percent')).toBe('met');
  });

  it('an entered size wins over the size proposed from axial %, and says so', () => {
    const r = assess({ ...longBone, mirelsSize: 1, axialPercent: 80, lifeExpectancyOver3Months: true });
    expect(r.mirels).toMatchObject({ sizeSource: 'entered', items: { size: 1 }, score: 9 });
    expect(r.reasons.find((x) => x.code === 'mirels-size-entered-overrides')?.params).toMatchObject({ size: 1, proposedSize: 3 });
  });

  it('pelvis and other sites → multidisciplinary discussion, measurements still evaluated', () => {
    for (const site of ['pelvis', 'other'] as const) {
      const r = assess({ site, lesionType: 'lytic', pain: 'functional', axialPercent: 60, circumferentialPercent: 70 });
      expect(r.level).toBe('multidisciplinary-discussion');
      expect(r.mirels).toBeNull();
      expect(codes(r)).toEqual(['site-no-score']);
      expect(status(r, 'ct-circumferential-percent')).toBe('met');
      expect(r.criteria.every((c) => !c.decisive)).toBe(true);
    }
  });
});
