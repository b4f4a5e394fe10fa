import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../shared/report/buildReport';
import { reportFromJson, reportToJson } from '../../../shared/report/json';
import { WORKED_CASES, args, caseLesion, pngDataUrl } from './fixtures';

describe('report JSON (versioned schema)', () => {
  const src = caseLesion(WORKED_CASES[2]);
  const report = buildReport(
    args({
      lesions: [
        { ...src, keyImages: [{ viewportId: 'axial', caption: 'lésion', pngDataUrl: pngDataUrl(), capturedAt: '2026-03-12T10:05:00Z' }] },
        ...WORKED_CASES.slice(3).map(caseLesion),
      ],
    }),
  );

  it('round-trips: export → import gives the identical model, and re-exports byte for byte', () => {
    const text = reportToJson(report);
    const back = reportFromJson(text);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.value).toEqual(report);
    expect(reportToJson(back.value)).toBe(text);
  });

  it('refuses text that is not JSON', () => {
    const r = reportFromJson('{"format": ', 'r.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error[0]).toMatchObject({ code: 'report-json-invalid', file: 'r.json' });
  });

  it('refuses another format and another schema version, naming the field', () => {
    const other = reportFromJson(JSON.stringify({ format: 'something-else' }));
    expect(!other.ok && other.error[0]).toMatchObject({ code: 'report-format-unknown', field: 'format' });
    const v2 = reportFromJson(JSON.stringify({ ...report, schemaVersion: 2 }));
    expect(!v2.ok && v2.error[0]).toMatchObject({ code: 'report-version-unsupported', field: 'schemaVersion' });
  });

  it('names every invalid field (dotted path)', () => {
    const bad = JSON.parse(reportToJson(report));
    bad.lesions[0].values[2].value = 'forty-five';
    bad.lesions[1].result.level = 'amputate';
    delete bad.reader;
    const r = reportFromJson(JSON.stringify(bad));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const fields = r.error.map((e) => e.field);
    expect(fields).toContain('lesions.0.values.2.value');
    expect(fields).toContain('lesions.1.result.level');
    expect(fields).toContain('reader');
    expect(r.error.every((e) => e.code === 'report-field-invalid')).toBe(true);
  });

  it('refuses a key image that is not a PNG data URL', () => {
    const bad = JSON.parse(reportToJson(report));
    bad.lesions[0].keyImages[0].pngDataUrl = 'javascript:alert(1)';
    const r = reportFromJson(JSON.stringify(bad));
    expect(!r.ok && r.error[0].field).toBe('lesions.0.keyImages.0.pngDataUrl');
  });
});
