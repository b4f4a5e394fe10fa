import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildMeasurementReportDataset, buildMeasurementReportSr } from '../../../shared/export/sr';
import { readMeasurementReportSr, SR_READ_ERROR } from '../../../shared/export/srRead';
import { writePart10 } from '../../../shared/export/dicomCodec';
import { studyContextFromImage } from '../../../shared/export/studyContext';
import { realisticInput, T0, tciaContext, tciaFiles } from './srFixtures';

const context = tciaContext(0);
const sops = tciaFiles()
  .slice(1, 4)
  .map((f) => {
    const r = studyContextFromImage(new Uint8Array(readFileSync(f)));
    if (!r.ok) throw new Error(r.error.message);
    return r.value.image.sopInstanceUid;
  });
const input = realisticInput(context, sops);
const bytes = buildMeasurementReportSr({ ...input, sopInstanceUid: '2.25.777' });
const expected = { patientId: context.patientId, seriesInstanceUid: context.seriesInstanceUid };

describe('SR import (readMeasurementReportSr)', () => {
  it('round-trips lesions, numbers, points and provenance', () => {
    const r = readMeasurementReportSr(bytes, expected);
    expect(r.ok, !r.ok ? r.error.message : '').toBe(true);
    if (!r.ok) return;
    const { value } = r;
    expect(value.source.sopInstanceUid).toBe('2.25.777');
    expect(value.seriesInstanceUid).toBe(context.seriesInstanceUid);
    expect(value.frameOfReferenceUid).toBe(context.frameOfReferenceUid);
    expect(value.rulesVersion).toBe('rules-test-1');
    expect(value.lesions).toHaveLength(2);
    value.lesions.forEach((got, i) => {
      const want = input.lesions[i];
      expect(got.lesion).toMatchObject({ bone: want.lesion.bone, site: want.lesion.site, label: want.lesion.label, ...(want.lesion.level ? { level: want.lesion.level } : {}) });
      expect(got.thresholdHu).toBe(want.thresholdHu);
      expect(got.assessment).toEqual(want.assessment);
      expect(got.measurements.map((m) => [m.kind, m.value, m.unit])).toEqual(want.measurements.map((m) => [m.measurement.kind, m.measurement.value, m.measurement.unit]));
      got.measurements.forEach((m, k) => {
        const w = want.measurements[k].measurement;
        expect(m.lesionId).toBe(got.lesion.id);
        expect(m.provenance).toEqual({ ...w.provenance, seriesInstanceUid: context.seriesInstanceUid });
        const pts = want.measurements[k].lengthPointsMm;
        if (pts) got.lengthPointsMm[m.id].forEach((p, j) => p.forEach((c, a) => expect(Math.abs(c - pts[j][a])).toBeLessThanOrEqual(0.01)));
        else expect(got.lengthPointsMm[m.id]).toBeUndefined();
      });
    });
    expect(value.lesions[0].trackingUid).toBe('2.25.1001');
    expect(new Set(value.lesions.flatMap((l) => [l.lesion.id, ...l.measurements.map((m) => m.id)])).size).toBe(2 + 4);
  });

  it('names a lesion from its coded finding site when the SR has no label or bone text', () => {
    const ds = buildMeasurementReportDataset({ ...input, lesions: [{ ...input.lesions[1], assessment: null, lesion: { id: 'x', bone: '', label: '', site: 'other' } }] });
    const r = readMeasurementReportSr(writePart10(ds), expected);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.lesions[0].lesion).toMatchObject({ bone: 'Bone structure', label: 'Bone structure', site: 'other' });
    expect(r.value.lesions[0].assessment).toBeNull();
    expect(r.value.lesions[0].measurements.map((m) => m.value)).toEqual([12]);
  });

  it('names the plane a length was drawn on when the SR cites no image, and keeps a lesion UID stable across exports', () => {
    const planeOnly = {
      ...input,
      lesions: [
        {
          ...input.lesions[0],
          trackingUid: undefined,
          measurements: [{ ...input.lesions[0].measurements[0], measurement: { ...input.lesions[0].measurements[0].measurement, provenance: { ...input.lesions[0].measurements[0].measurement.provenance, sopInstanceUids: undefined, plane: { kind: 'oblique' as const, origin: [0, 0, 0] as [number, number, number], normal: [0, 1, 0] as [number, number, number] } } } }],
        },
      ],
    };
    const a = readMeasurementReportSr(buildMeasurementReportSr(planeOnly), expected);
    const b = readMeasurementReportSr(buildMeasurementReportSr(planeOnly), expected);
    if (!a.ok || !b.ok) throw new Error('not read');
    // [0, -12.5, -100] → [10.5, 0, -130.75]: the line leans more in y than in x, so the sagittal plane holds it.
    expect(a.value.lesions[0].measurements[0].provenance).toMatchObject({ plane: { kind: 'sagittal', origin: [5.25, -6.25, -115.375], normal: [1, 0, 0] } });
    expect(a.value.lesions[0].measurements[0].provenance.sopInstanceUids).toBeUndefined();
    expect(a.value.lesions[0].trackingUid).toMatch(/^2\.25\.\d+$/);
    expect(a.value.lesions[0].trackingUid).toBe(b.value.lesions[0].trackingUid);
    expect(a.value.source.sopInstanceUid).not.toBe(b.value.source.sopInstanceUid);
  });

  it('reads an SR of no lesion as no lesion', () => {
    const r = readMeasurementReportSr(buildMeasurementReportSr({ ...input, lesions: [] }), expected);
    expect(r.ok && r.value.lesions).toEqual([]);
  });

  const cases: [string, () => Uint8Array, Partial<typeof expected>, string][] = [
    ['not DICOM', () => new TextEncoder().encode('%PDF-1.7 this is no DICOM file at all, not even close'.repeat(5)), {}, SR_READ_ERROR.NOT_DICOM],
    ['empty', () => new Uint8Array(0), {}, SR_READ_ERROR.NOT_DICOM],
    ['truncated', () => bytes.slice(0, Math.floor(bytes.length * 0.6)), {}, SR_READ_ERROR.UNREADABLE],
    ['a CT image, not an SR', () => new Uint8Array(readFileSync(tciaFiles()[0])), {}, SR_READ_ERROR.NOT_SR],
    [
      'another template (TID 2000)',
      () => writePart10({ ...buildMeasurementReportDataset(input), ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '2000' }] }),
      {},
      SR_READ_ERROR.WRONG_TEMPLATE,
    ],
    ['another patient', () => bytes, { patientId: 'SOMEONE-ELSE' }, SR_READ_ERROR.OTHER_PATIENT],
    ['another series', () => bytes, { seriesInstanceUid: '2.25.42' }, SR_READ_ERROR.OTHER_SERIES],
  ];
  it.each(cases)('%s gives its own coded error, never a throw', (_name, make, override, code) => {
    const r = readMeasurementReportSr(make(), { ...expected, ...override });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(code);
    expect(r.error.message.length).toBeGreaterThan(10);
    // No patient identifier in the message (it may be logged).
    expect(r.error.message).not.toContain(context.patientId);
    expect(r.error.message).not.toContain('SOMEONE-ELSE');
  });

  it('never throws on any truncation of the file', () => {
    for (let n = 0; n < bytes.length; n += 97) {
      const r = readMeasurementReportSr(bytes.slice(0, n), expected);
      expect(r.ok, `${n} bytes`).toBe(false);
    }
    expect(T0).toBeTruthy();
  });
});
