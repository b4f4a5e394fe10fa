import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adaptersSR } from '@cornerstonejs/adapters';
import { buildMeasurementReportSr, COMPREHENSIVE_3D_SR } from '../../../shared/export/sr';
import { readPart10, type NaturalDataset } from '../../../shared/export/dicomCodec';
import { CODES, FRW_SCHEME, UNITS } from '../../../shared/export/codes';
import { studyContextFromImage, type StudyContext } from '../../../shared/export/studyContext';
import { arr, children, find, numeric } from './srTree';
import { dciodvfy, realisticInput, tciaContext, tciaFiles, tool } from './srFixtures';

const tmp = mkdtempSync(join(tmpdir(), 'frw-sr-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('DICOM SR TID 1500 export', () => {
  let context: StudyContext;
  let sops: string[];
  let file: string;
  let bytes: Uint8Array;
  let input: ReturnType<typeof realisticInput>;

  beforeAll(() => {
    context = tciaContext(0);
    sops = tciaFiles()
      .slice(1, 4)
      .map((f) => {
        const r = studyContextFromImage(new Uint8Array(readFileSync(f)));
        if (!r.ok) throw new Error(r.error.message);
        return r.value.image.sopInstanceUid;
      });
    input = realisticInput(context, sops);
    bytes = buildMeasurementReportSr(input);
    file = join(tmp, 'sr.dcm');
    writeFileSync(file, bytes);
  });

  it('reads the study context from a real TCIA CT image', () => {
    expect(context.studyInstanceUid).toMatch(/^[\d.]+$/);
    expect(context.seriesInstanceUid).toMatch(/^[\d.]+$/);
    expect(context.frameOfReferenceUid).toMatch(/^[\d.]+$/);
    expect(context.image.sopClassUid).toBe('1.2.840.10008.5.1.4.1.1.2');
  });

  it('passes dciodvfy without errors (warnings listed and explained)', () => {
    const v = dciodvfy(file);
    expect(v.out).toContain('Comprehensive3DSR');
    expect(v.errors).toEqual([]);
    // Warnings left, each explained:
    //  - "Retired Person Name form": the reader's initials ("JD") and the TCIA patient name have no '^'
    //    (kept as the user typed them; the source's name is copied unchanged);
    //  - "Unrecognized defined term <99FRW>": our private coding scheme, declared in the
    //    Coding Scheme Identification Sequence (codes.ts);
    //  - "needed to build DICOMDIR - Study ID": the TCIA study has an empty Study ID, copied as is.
    for (const w of v.warnings) expect(w).toMatch(/Retired Person Name form|Unrecognized defined term <99FRW>|Study ID/);
  });

  it('dsrdump shows the TID 1500 tree', () => {
    const { out, status } = tool('dsrdump', ['+U8', file]);
    expect(status).toBe(0);
    expect(out).toContain('Comprehensive 3D SR Document');
    expect(out).toContain('<CONTAINER:(,,"Imaging Measurement Report")=SEPARATE>');
    expect(out).toContain('<contains CONTAINER:(,,"Imaging Measurements")=SEPARATE>');
    expect(out.match(/<contains CONTAINER:\(,,"Measurement Group"\)=SEPARATE>/g)).toHaveLength(2);
    expect(out).toContain('<has obs context TEXT:(,,"Tracking Identifier")="Cornerstone3DTools@^0.1.0:L');
    expect(out).toContain('<has obs context UIDREF:(,,"Tracking Unique Identifier")="2.25.1001">');
    expect(out).toContain('<contains NUM:(,,"Length")="31.25" (mm,UCUM[1.4],"mm")>');
    expect(out).toMatch(/<inferred from SCOORD3D:=\(POLYLINE,,0\/-12.5\/-100,/);
    expect(out).toContain('<contains NUM:(,,"Circumferential cortical destruction")="62.5" (%,UCUM[1.4],"Percent")>');
    expect(out).toContain('<contains NUM:(,,"Axial cortical destruction")="41.3" (%,UCUM[1.4],"Percent")>');
    expect(out).toContain('<has concept mod CODE:(,,"Measurement Method")=(FRW010,99FRW,"Assisted measurement")>');
    expect(out).toContain('<contains CODE:(,,"Finding Site")=(71341001,SCT,"Bone structure of femur")>');
    expect(out).toContain('<has concept mod CODE:(,,"Laterality")=(7771000,SCT,"Left")>');
    expect(out).toContain('<contains NUM:(,,"Mirels score")="9"');
    expect(out).toContain('<contains CODE:(,,"Consolidation recommendation")=(FRW103,99FRW,"First-line consolidation")>');
    // dcmtk's relationship checks (content constraints of the IOD) pass: no "E:" lines.
    expect(out).not.toMatch(/^E:/m);
    expect(out).toContain('<has concept mod CODE:(,,"Language of Content Item and Descendants")=(en,RFC5646,"English")>');
    const fr = join(tmp, 'sr-fr.dcm');
    writeFileSync(fr, buildMeasurementReportSr({ ...input, language: 'fr' }));
    const frOut = tool('dsrdump', ['+U8', fr]).out;
    expect(frOut).toContain('(fr,RFC5646,"French")');
    expect(frOut).toContain('(FR,ISO3166_1,"France")');
    expect(dciodvfy(fr).errors).toEqual([]);
  });

  it('reads every value back with dcmjs', () => {
    const r = readPart10(bytes);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const ds = r.value;
    expect(ds.SOPClassUID).toBe(COMPREHENSIVE_3D_SR);
    expect(ds.Modality).toBe('SR');
    expect(ds.StudyInstanceUID).toBe(context.studyInstanceUid);
    expect(ds.PatientID).toBe(context.patientId);
    expect(ds.SeriesInstanceUID).not.toBe(context.seriesInstanceUid);
    expect(arr(ds.ContentTemplateSequence)[0].TemplateIdentifier).toBe('1500');
    expect(arr(ds.CodingSchemeIdentificationSequence)[0].CodingSchemeDesignator).toBe(FRW_SCHEME);
    const evidence = arr(ds.CurrentRequestedProcedureEvidenceSequence)[0];
    const series = arr(evidence.ReferencedSeriesSequence)[0];
    expect(series.SeriesInstanceUID).toBe(context.seriesInstanceUid);
    expect(arr(series.ReferencedSOPSequence).map((s) => s.ReferencedSOPInstanceUID).sort()).toEqual([context.image.sopInstanceUid, ...sops].sort());

    const measurements = find(children(ds), CODES.imagingMeasurements)[0];
    const groups = find(children(measurements), CODES.measurementGroup);
    expect(groups).toHaveLength(2);
    const g1 = children(groups[0]);
    expect(find(g1, CODES.trackingUniqueIdentifier)[0].UID).toBe('2.25.1001');
    const length = find(g1, CODES.length)[0];
    expect(numeric(length)).toEqual({ value: 31.25, unit: UNITS.mm.CodeValue });
    const scoord = children(length).find((c) => c.ValueType === 'SCOORD3D')!;
    expect(scoord.ReferencedFrameOfReferenceUID).toBe(context.frameOfReferenceUid);
    expect(Array.from(scoord.GraphicData as number[])).toEqual([0, -12.5, -100, 10.5, 0, -130.75]);
    expect(numeric(find(g1, CODES.circumferentialPercent)[0])).toEqual({ value: 62.5, unit: '%' });
    expect(numeric(find(g1, CODES.axialPercent)[0])).toEqual({ value: 41.3, unit: '%' });
    expect(numeric(find(children(length), CODES.thresholdHu)[0]).value).toBe(400);
    expect(find(g1, CODES.lesionLabel)[0].TextValue).toBe('left femur, proximal — lésion');
    expect(numeric(find(g1, CODES.mirelsScore)[0]).value).toBe(9);
    expect(find(g1, CODES.recommendationReason).map((t) => t.TextValue)).toEqual(input.lesions[0].assessment!.reasons);
    expect(find(g1, CODES.rulesVersion)[0].TextValue).toBe('rules-test-1');
    const g2 = children(groups[1]);
    expect(numeric(find(g2, CODES.sinsScore)[0]).value).toBe(11);
    expect(numeric(find(children(find(g2, CODES.length)[0]), CODES.thresholdHu)[0]).value).toBe(350);
  });

  it("hydrates as Length annotations through Cornerstone3D's generateToolState, same world points", () => {
    const r = readPart10(bytes);
    if (!r.ok) throw new Error(r.error.message);
    const { MeasurementReport } = adaptersSR.Cornerstone3D;
    const state = MeasurementReport.generateToolState(r.value, {}, { get: () => undefined }, {}) as Record<string, { annotation: { data: { handles: { points: number[][] } }; metadata: { FrameOfReferenceUID: string } } }[]>;
    expect(Object.keys(state)).toEqual(['Length']);
    expect(state.Length).toHaveLength(2);
    const expected = input.lesions.map((l) => l.measurements[0].lengthPointsMm!);
    state.Length.forEach((m, i) => {
      expect(m.annotation.metadata.FrameOfReferenceUID).toBe(context.frameOfReferenceUid);
      m.annotation.data.handles.points.forEach((p, j) => p.forEach((c, a) => expect(Math.abs(c - expected[i][j][a])).toBeLessThanOrEqual(0.01)));
    });
  });

  it.each([
    ['no lesion', () => ({ ...input, lesions: [] })],
    ['a lesion without measurements nor reader', () => ({ ...input, reader: '', lesions: [{ ...input.lesions[0], measurements: [], assessment: null }] })],
    ['a lesion with a % only', () => ({ ...input, lesions: [{ ...input.lesions[0], measurements: [input.lesions[0].measurements[1]] }] })],
    ['a source without frame of reference (lengths as bare numbers)', () => ({ ...input, context: { ...input.context, frameOfReferenceUid: '' } })],
  ])('stays valid with %s (dciodvfy), and hydrates no Length where none was drawn', (name, make) => {
    const file = join(tmp, `${name.replace(/\W+/g, '-')}.dcm`);
    const sr = buildMeasurementReportSr(make());
    writeFileSync(file, sr);
    expect(dciodvfy(file).errors).toEqual([]);
    const r = readPart10(sr);
    if (!r.ok) throw new Error(r.error.message);
    // No lesion: the empty "Imaging Measurements" container is left out (an empty container is
    // invalid DICOM); Cornerstone3D's adapter then refuses the SR, so the UI exports none.
    if (name === 'no lesion') return;
    const state = adaptersSR.Cornerstone3D.MeasurementReport.generateToolState(r.value, {}, { get: () => undefined }, {}) as Record<string, unknown[]>;
    expect(state.Length ?? []).toEqual([]);
  });
});
