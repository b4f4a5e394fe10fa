import { describe, expect, it } from 'vitest';
import { buildReport, lesionsDifferingFromEngine } from '../../../shared/report/buildReport';
import { effectiveInput } from '../../../shared/report/draft';
import { mostAffectedMeasurement, usedValues } from '../../../shared/report/measuredValues';
import { CURRENT_RULES } from '../../../shared/report/rulesApi';
import { ReportSchema } from '../../../shared/schemas/report';
import { RULES_VERSION, THRESHOLD_LIST } from '../../../shared/rules';
import { SERIES, WORKED_CASES, args, caseLesion, measurement, pngDataUrl } from './fixtures';


describe('values used for the rule engine', () => {
  it('takes the most affected measurement of each kind, the latest on a tie', () => {
    const a = measurement('L1', 'axialPercent', 40, '2026-03-12T10:00:00Z');
    const b = measurement('L1', 'axialPercent', 55, '2026-03-12T09:00:00Z');
    const c = measurement('L1', 'axialPercent', 55, '2026-03-12T10:30:00Z');
    expect(mostAffectedMeasurement([a, b, c], 'axialPercent')?.id).toBe(c.id);
    const [len, circ, axial] = usedValues([a, b, c]);
    expect(axial).toMatchObject({ value: 55, origin: 'measured', measurementCount: 3 });
    expect(len).toMatchObject({ quantity: 'axialLengthMm', value: null, origin: 'not-measured', measurementCount: 0 });
    expect(circ.origin).toBe('not-measured');
  });

  it('lets an entered value win and keeps the measured one beside it', () => {
    const m = measurement('L1', 'circumferentialPercent', 62);
    const v = usedValues([m], { circumferentialPercent: 48 })[1];
    expect(v).toMatchObject({ value: 48, origin: 'entered', measuredValue: 62, measurement: null });
  });

  it('does not run the engine without site, lesion type and pain, and says which is missing', () => {
    const eff = effectiveInput({ site: 'lower-limb' }, []);
    expect(eff.input).toBeNull();
    expect(eff.formMissing).toEqual(['lesionType', 'pain']);
  });

  it('never turns "not measured" into 0', () => {
    const eff = effectiveInput({ site: 'lower-limb', lesionType: 'lytic', pain: 'functional', lifeExpectancyOver3Months: true }, []);
    expect(eff.input).toMatchObject({ axialPercent: null, circumferentialPercent: null, axialLengthMm: null });
  });
});

describe('report model', () => {
  const report = buildReport(args());

  it('is valid against the versioned schema', () => {
    expect(ReportSchema.parse(report)).toEqual(report);
    expect(report.schemaVersion).toBe(1);
    expect(report.rulesVersion).toBe(RULES_VERSION);
  });

  it.each(WORKED_CASES)('worked case $n: level $level, Mirels $mirels, ctConfirmed $ctConfirmed from the measurements', (c) => {
    const l = report.lesions.find((x) => x.lesion.id === `case${c.n}`)!;
    expect(l.result?.level).toBe(c.level);
    expect(l.result?.mirels?.score).toBe(c.mirels);
    expect(l.result?.ctConfirmed).toBe(c.ctConfirmed);
    // The engine got exactly the measured numbers, and the report says they were measured.
    expect(l.input).toMatchObject({ circumferentialPercent: c.circumferentialPercent, axialLengthMm: c.axialLengthMm, axialPercent: c.axialPercent });
    expect(l.values.find((v) => v.quantity === 'axialLengthMm')).toMatchObject({ origin: 'measured', value: c.axialLengthMm });
    expect(l.values.find((v) => v.quantity === 'axialLengthMm')?.measurement?.provenance.tool).toBe('AxialLength');
    expect(l.result?.mirels?.sizeSource).toBe(c.axialPercent === null ? 'entered' : 'measured');
  });

  it('carries identifiers, reader, versions, calcaemia and the thresholds table', () => {
    expect(report.patient).toEqual({ name: 'Dupré^Hélène', id: 'SYN-0042' });
    expect(report.series?.seriesInstanceUid).toBe(SERIES.seriesInstanceUid);
    expect(report.reader).toBe('Dr Bérénice Lefèvre');
    expect(report.calcaemia?.result.correctedCalcaemiaMmolL).toBeCloseTo(3.5, 9);
    expect(report.calcaemia?.result.hypercalcaemicCrisis).toBe(false);
    expect(report.definitions.thresholds.map((t) => t.id)).toEqual(THRESHOLD_LIST.map((t) => t.id));
    expect(report.definitions.sources.length).toBeGreaterThan(5);
  });

  it('ignores measurements that belong to another lesion', () => {
    const src = caseLesion(WORKED_CASES[2]);
    const stray = measurement('other-lesion', 'axialLengthMm', 80);
    const r = buildReport(args({ lesions: [{ ...src, measurements: [...src.measurements, stray] }] }));
    expect(r.lesions[0].input?.axialLengthMm).toBe(35);
  });

  it('an entered value changes the recommendation and is reported as entered', () => {
    // Case 6 with an entered circumferential 55 % (> 50): now CT-confirmed.
    const src = caseLesion(WORKED_CASES[5]);
    const r = buildReport(args({ lesions: [{ ...src, draft: { ...src.draft, circumferentialPercent: 55 } }] }));
    expect(r.lesions[0].result?.ctConfirmed).toBe(true);
    expect(r.lesions[0].values[1]).toMatchObject({ origin: 'entered', value: 55, measuredValue: 45 });
  });

  it('an out-of-range entered value is refused by field, not assessed', () => {
    const src = caseLesion(WORKED_CASES[5]);
    const r = buildReport(args({ lesions: [{ ...src, draft: { ...src.draft, axialPercent: 140 } }] }));
    expect(r.lesions[0].result).toBeNull();
    expect(r.lesions[0].formMissing).toContain('axialPercent');
  });

  it('keeps key images', () => {
    const src = caseLesion(WORKED_CASES[2]);
    const img = { viewportId: 'oblique', caption: 'coupe transversale', pngDataUrl: pngDataUrl(), capturedAt: '2026-03-12T10:05:00Z' };
    const r = buildReport(args({ lesions: [{ ...src, keyImages: [img] }] }));
    expect(r.lesions[0].keyImages).toEqual([img]);
  });

  it('finds no difference with the engine that made it, and flags a changed result', () => {
    expect(lesionsDifferingFromEngine(report, CURRENT_RULES.assess)).toEqual([]);
    const tampered = structuredClone(report);
    tampered.lesions[0].result!.level = 'first-line-consolidation';
    expect(lesionsDifferingFromEngine(tampered, CURRENT_RULES.assess)).toEqual(['case1']);
  });
});
