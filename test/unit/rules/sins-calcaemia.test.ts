import { describe, expect, it } from 'vitest';
import { assessLesion, calcaemia, correctedCalcaemiaMmolL, sinsBand } from '../../../shared/rules/index';
import { AssessmentInputSchema, CalcaemiaInputSchema, type AssessmentInputRaw } from '../../../shared/schemas/assessment';
import { MeasurementSchema } from '../../../shared/schemas/measurement';

const assess = (raw: AssessmentInputRaw) => assessLesion(AssessmentInputSchema.parse(raw));
// Issue 14: the spine needs no Mirels item (SINS has its own lesion and pain items).
const spine = (sins: NonNullable<AssessmentInputRaw['sins']>) => assess({ site: 'spine', sins });

describe('SINS (§5)', () => {
  it('maximum: 3+3+2+4+3+3 = 18, unstable → surgical opinion', () => {
    const r = spine({ location: 'junctional', pain: 'mechanical', lesion: 'lytic', alignment: 'subluxation', collapse: 'over-50', posterolateral: 'bilateral' });
    expect(r.sins).toMatchObject({ score: 18, band: 'unstable', components: { location: 3, pain: 3, lesion: 2, alignment: 4, collapse: 3, posterolateral: 3 } });
    expect(r.level).toBe('surgical-opinion');
    expect(r.mirels).toBeNull();
    expect(r.criteria).toEqual([]);
  });

  it('minimum: 0, stable', () => {
    const r = spine({ location: 'rigid', pain: 'none', lesion: 'blastic', alignment: 'normal', collapse: 'none', posterolateral: 'none' });
    expect(r.sins).toMatchObject({ score: 0, band: 'stable' });
    expect(r.level).toBe('stable');
    expect(r.reasons.map((x) => x.code)).toEqual(['sins-stable']);
  });

  it('6 is stable, 7 needs a surgical opinion (≥ 7, seed 000)', () => {
    // semi-rigid 1 + occasional 1 + mixed 1 + deformity 2 + none-over-50-involved 1 + none 0 = 6
    const six = spine({ location: 'semi-rigid', pain: 'occasional', lesion: 'mixed', alignment: 'deformity', collapse: 'none-over-50-involved', posterolateral: 'none' });
    expect(six.sins?.score).toBe(6);
    expect(six.level).toBe('stable');
    const seven = spine({ location: 'semi-rigid', pain: 'occasional', lesion: 'mixed', alignment: 'deformity', collapse: 'none-over-50-involved', posterolateral: 'unilateral' });
    expect(seven.sins).toMatchObject({ score: 7, band: 'potentially-unstable' });
    expect(seven.level).toBe('surgical-opinion');
    expect(seven.reasons[0]).toMatchObject({ code: 'sins-surgical-opinion', source: 'seed000-sins', params: { score: 7 } });
  });

  it('issue 14: the spine needs neither Mirels lesion type nor pain; a lesion type that contradicts the SINS item is named', () => {
    const sins = { location: 'rigid', pain: 'none', lesion: 'lytic', alignment: 'normal', collapse: 'none', posterolateral: 'none' } as const;
    expect(AssessmentInputSchema.safeParse({ site: 'spine', sins }).success).toBe(true);
    expect(assess({ site: 'spine', lesionType: 'lytic', sins }).reasons.map((x) => x.code)).toEqual(['sins-stable']);
    const differs = assess({ site: 'spine', lesionType: 'blastic', pain: 'mild', sins });
    expect(differs.level).toBe('stable'); // SINS decides
    expect(differs.reasons.find((x) => x.code === 'sins-lesion-type-differs')).toMatchObject({ source: 'seed000-sins', params: { lesionType: 'blastic', sinsLesion: 'lytic' } });
    // Every other site still needs both: one error each, naming the field.
    const femur = AssessmentInputSchema.safeParse({ site: 'lower-limb', axialPercent: 40 });
    expect(femur.success).toBe(false);
    expect(femur.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['lesionType', 'pain']);
  });

  it('bands: 0–6 stable, 7–12 potentially unstable, 13–18 unstable', () => {
    expect([0, 6, 7, 12, 13, 18].map(sinsBand)).toEqual(['stable', 'stable', 'potentially-unstable', 'potentially-unstable', 'unstable', 'unstable']);
  });

  it('a missing component → incomplete, listing it', () => {
    const r = spine({ location: 'mobile', pain: 'mechanical', lesion: 'lytic', collapse: 'under-50' });
    expect(r.level).toBe('incomplete');
    expect(r.missing).toEqual(['sins.alignment', 'sins.posterolateral']);
    expect(r.sins).toBeNull();
  });

  it('no SINS at all for a spine lesion → incomplete, listing all six', () => {
    const r = assess({ site: 'spine', lesionType: 'lytic', pain: 'moderate', axialPercent: 80 });
    expect(r.level).toBe('incomplete');
    expect(r.missing).toHaveLength(6);
  });

  it('vertebroplasty contraindications are flagged with their source (seed 002)', () => {
    const r = spine({
      location: 'mobile', pain: 'none', lesion: 'blastic', alignment: 'normal', collapse: 'none', posterolateral: 'none',
      cordCompression: true, collapseOver75: true,
    });
    expect(r.sins?.vertebroplastyContraindications).toEqual(['cordCompression', 'collapseOver75']);
    expect(r.reasons.filter((x) => x.code === 'vertebroplasty-contraindication')).toEqual([
      { code: 'vertebroplasty-contraindication', source: 'seed002-vertebroplasty', params: { flag: 'cordCompression' } },
      { code: 'vertebroplasty-contraindication', source: 'seed002-vertebroplasty', params: { flag: 'collapseOver75' } },
    ]);
  });

  it('flags are reported even when the SINS is incomplete', () => {
    const r = spine({ recentFracture: true });
    expect(r.level).toBe('incomplete');
    expect(r.reasons.map((x) => x.params?.flag)).toContain('recentFracture');
  });
});

describe('corrected calcaemia (§7, seed 001)', () => {
  it('applies Ca + (40 − albumin) / 40', () => {
    expect(correctedCalcaemiaMmolL(2.5, 30)).toBeCloseTo(2.75, 12);
    expect(correctedCalcaemiaMmolL(2.5, 40)).toBeCloseTo(2.5, 12);
    expect(correctedCalcaemiaMmolL(2.4, 48)).toBeCloseTo(2.2, 12);
  });
  it('flags a crisis strictly above 3.5 mmol/L', () => {
    expect(calcaemia({ measuredCalcaemiaMmolL: 3.3, albuminGL: 30 })).toMatchObject({ correctedCalcaemiaMmolL: 3.55, hypercalcaemicCrisis: true, source: 'seed001-calcaemia' });
    // 3.1 + 16/40 is 3.5000000000000004 in doubles: exactly 3.5 is not a crisis.
    expect(calcaemia({ measuredCalcaemiaMmolL: 3.1, albuminGL: 24 })).toMatchObject({ correctedCalcaemiaMmolL: 3.5, hypercalcaemicCrisis: false });
    expect(calcaemia({ measuredCalcaemiaMmolL: 2.6, albuminGL: 38 }).hypercalcaemicCrisis).toBe(false);
  });
  it('rejects impossible inputs at the boundary', () => {
    expect(CalcaemiaInputSchema.safeParse({ measuredCalcaemiaMmolL: -1, albuminGL: 30 }).success).toBe(false);
    expect(CalcaemiaInputSchema.safeParse({ measuredCalcaemiaMmolL: 2.5 }).success).toBe(false);
  });
});

describe('measurement schema', () => {
  const provenance = {
    seriesInstanceUid: '1.2.3',
    sopInstanceUids: ['1.2.3.4'],
    tool: 'Length',
    thresholdHu: 400,
    method: 'manual',
    reader: 'JD',
    time: '2026-11-24T12:00:00Z',
  } as const;
  it('accepts a length with its provenance, or a percentage measured on a reformat plane', () => {
    expect(MeasurementSchema.safeParse({ id: 'm1', kind: 'axialLengthMm', value: 32.5, unit: 'mm', provenance }).success).toBe(true);
    const plane = { kind: 'oblique', origin: [0, 0, 0], normal: [0, 0.34, 0.94] };
    const { sopInstanceUids: _, ...noSop } = provenance;
    expect(MeasurementSchema.safeParse({ id: 'm2', kind: 'axialPercent', value: 45, unit: '%', provenance: { ...noSop, plane, method: 'assisted' } }).success).toBe(true);
  });
  it('rejects out-of-range values, wrong units and missing provenance', () => {
    expect(MeasurementSchema.safeParse({ id: 'm', kind: 'circumferentialPercent', value: 101, unit: '%', provenance }).success).toBe(false);
    expect(MeasurementSchema.safeParse({ id: 'm', kind: 'axialLengthMm', value: -1, unit: 'mm', provenance }).success).toBe(false);
    expect(MeasurementSchema.safeParse({ id: 'm', kind: 'axialLengthMm', value: 10, unit: '%', provenance }).success).toBe(false);
    const { sopInstanceUids: _, ...noWhere } = provenance;
    expect(MeasurementSchema.safeParse({ id: 'm', kind: 'axialLengthMm', value: 10, unit: 'mm', provenance: noWhere }).success).toBe(false);
  });
});
