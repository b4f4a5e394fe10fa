import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adaptersSR } from '@cornerstonejs/adapters';
import { alreadyInSession, dicomFileName, dicomSrBytes, lengthDrawing, readSrObjectCached, srInputFromSession } from '../../../renderer/report/dicomExport';
import type { HostApi } from '../../../shared/ipc/hostApi';
import type { OtherObject, Series, Study } from '../../../shared/schemas/scan';
import { CODES } from '../../../shared/export/codes';
import type { NaturalDataset } from '../../../shared/export/dicomCodec';
import { buildReport } from '../../../shared/report/buildReport';
import { CURRENT_RULES } from '../../../shared/report/rulesApi';
import { readMeasurementReportSr } from '../../../shared/export/srRead';
import { readPart10 } from '../../../shared/export/dicomCodec';
import { studyContextFromImage } from '../../../shared/export/studyContext';
import { emptySession, type Session } from '../../../shared/schemas/session';
import { dciodvfy, T0, tciaContext, tciaFiles, tool } from './srFixtures';

const context = tciaContext(0);
const sop1 = (() => {
  const r = studyContextFromImage(new Uint8Array(readFileSync(tciaFiles()[5])));
  if (!r.ok) throw new Error(r.error.message);
  return r.value.image.sopInstanceUid;
})();

function session(): Session {
  const s = emptySession(context.seriesInstanceUid, T0);
  const prov = { seriesInstanceUid: context.seriesInstanceUid, sopInstanceUids: [sop1], thresholdHu: 400, method: 'manual' as const, reader: 'AB', time: T0 };
  return {
    ...s,
    lesions: [{ id: 'l1', bone: 'humerus', site: 'upper-limb', label: 'right humerus', thresholdHu: 400 }],
    measurements: [
      { id: 'm1', lesionId: 'l1', kind: 'axialLengthMm', value: 40, unit: 'mm', provenance: { ...prov, tool: 'Length' } },
      { id: 'm2', lesionId: 'l1', kind: 'circumferentialPercent', value: 75, unit: '%', provenance: { ...prov, tool: 'ArcAngle' } },
      { id: 'm3', lesionId: 'l1', kind: 'axialPercent', value: 45, unit: '%', provenance: { ...prov, tool: 'CorticalRing' } },
    ],
    drawings: {
      m1: {
        tool: 'AxialLength',
        view: { viewportId: 'sagittal', focalPoint: [0, 0, -120], viewPlaneNormal: [1, 0, 0], viewUp: [0, 0, 1] },
        points: [[0, 0, -100], [0, 0, -140]],
        lineAxisAngleDeg: 0,
        axisSource: 'scanner-z',
        notAlongBone: false,
      },
    },
    assessments: { l1: { site: 'upper-limb', lesionType: 'lytic', pain: 'functional', lifeExpectancyOver3Months: true } },
  };
}

/** The report the Report tab would build for session `s` (English, reader AB, at T0). */
function reportOf(s: ReturnType<typeof session>) {
  return buildReport({
    generatedAt: T0,
    language: 'en',
    reader: 'AB',
    app: { name: 'Fracture-Risk Workstation', version: '0.1.0' },
    study: { studyInstanceUid: context.studyInstanceUid, patientName: context.patientName, patientId: context.patientId, studyDate: context.studyDate, studyDescription: '' },
    series: null,
    lesions: s.lesions.map((lesion) => ({ lesion, measurements: s.measurements, draft: s.assessments[lesion.id] ?? null })),
    rules: CURRENT_RULES,
  });
}

describe('Report tab → SR → restore (renderer glue)', () => {
  const s = session();
  const report = reportOf(s);

  it('writes the session, the engine result and cited reasons, and reads them back', () => {
    const result = report.lesions[0].result!;
    expect(result).not.toBeNull();
    const input = srInputFromSession({ session: s, report, context, reasonText: (r) => `reason ${r.code}` });
    const lesion = input.lesions[0];
    expect(lesion.assessment).toMatchObject({ mirelsScore: result.mirels?.score ?? null, level: result.level });
    expect(lesion.assessment!.reasons.length).toBe(result.reasons.length);
    // Each reason carries its source's citation (clinical-rules §10), never a source id alone.
    const citations = report.definitions.sources.map((x) => x.citation);
    for (const r of lesion.assessment!.reasons) expect(citations).toContain(r.split(' — ').slice(1).join(' — '));
    const bytes = dicomSrBytes({ session: s, report, context, reasonText: (r) => `reason ${r.code}` });
    const back = readMeasurementReportSr(bytes, { patientId: context.patientId, seriesInstanceUid: context.seriesInstanceUid });
    if (!back.ok) throw new Error(back.error.message);
    const l = back.value.lesions[0];
    expect(l.measurements.map((m) => [m.kind, m.value, m.provenance.tool, m.provenance.reader])).toEqual([
      ['axialLengthMm', 40, 'Length', 'AB'],
      ['circumferentialPercent', 75, 'ArcAngle', 'AB'],
      ['axialPercent', 45, 'CorticalRing', 'AB'],
    ]);
    expect(l.lesion).toMatchObject({ bone: 'humerus', label: 'right humerus', site: 'upper-limb' });
    expect(l.assessment?.level).toBe(result.level);
    const ds = readPart10(bytes);
    if (!ds.ok) throw new Error(ds.error.message);
    const state = adaptersSR.Cornerstone3D.MeasurementReport.generateToolState(ds.value, {}, { get: () => undefined }, {}) as Record<string, { annotation: { data: { handles: { points: number[][] } } } }[]>;
    expect(state.Length[0].annotation.data.handles.points).toEqual([[0, 0, -100], [0, 0, -140]]);
    expect(dicomFileName(report, 'sr')).toMatch(/^frw-sr_.+_20261207-0830\.dcm$/);
  });

  it('a restored length redraws on the plane that holds it, its value kept', () => {
    const along = lengthDrawing([[0, 0, -100], [0, 0, -140]], null);
    expect(along).toMatchObject({ tool: 'AxialLength', axisSource: 'scanner-z', notAlongBone: false, points: [[0, 0, -100], [0, 0, -140]] });
    expect(along.view.focalPoint).toEqual([0, 0, -120]);
    const oblique = lengthDrawing([[0, 0, 0], [30, 0, 10]], null);
    expect(oblique.view.viewportId).toBe('coronal');
    expect(oblique).toMatchObject({ notAlongBone: true, offAxisChoice: 'as-drawn' });
    const withAxis = lengthDrawing([[0, 0, 0], [30, 0, 10]], { p1Mm: [0, 0, 0], p2Mm: [3, 0, 1], drawnOnNormal: [0, 1, 0] });
    expect(withAxis).toMatchObject({ axisSource: 'bone-axis', notAlongBone: false });
  });
});

/** Issue: an along-axis length was written with its drawn ends (40 mm value, ends 46.19 mm apart). */
describe('an off-axis length in the SR: the segment its value measures, and the reader\'s choice', () => {
  const cos30 = Math.cos(Math.PI / 6);
  const drawn: [[number, number, number], [number, number, number]] = [[0, 0, -100], [0, 40 * Math.tan(Math.PI / 6), -140]];
  const drawnMm = 40 / cos30; // 46.188…
  const dist = (p: number[][]) => Math.hypot(p[1][0] - p[0][0], p[1][1] - p[0][1], p[1][2] - p[0][2]);
  const seq = (x: unknown): NaturalDataset[] => (x === undefined ? [] : Array.isArray(x) ? (x as NaturalDataset[]) : [x as NaturalDataset]);

  function offAxisSession(choice: 'along-axis' | 'as-drawn', boneAxis: Session['boneAxis'] = null): Session {
    const base = session();
    const axis = boneAxis ? [boneAxis.p2Mm[0] - boneAxis.p1Mm[0], boneAxis.p2Mm[1] - boneAxis.p1Mm[1], boneAxis.p2Mm[2] - boneAxis.p1Mm[2]] : [0, 0, 1];
    const d = [drawn[1][0] - drawn[0][0], drawn[1][1] - drawn[0][1], drawn[1][2] - drawn[0][2]];
    const angle = (Math.acos(Math.abs(d[0] * axis[0] + d[1] * axis[1] + d[2] * axis[2]) / (Math.hypot(...d) * Math.hypot(...axis))) * 180) / Math.PI;
    const value = choice === 'along-axis' ? drawnMm * Math.cos((angle * Math.PI) / 180) : drawnMm;
    return {
      ...base,
      boneAxis,
      measurements: [{ ...base.measurements[0], value }],
      drawings: {
        m1: {
          tool: 'AxialLength',
          view: { viewportId: 'sagittal', focalPoint: [0, 0, -120], viewPlaneNormal: [1, 0, 0], viewUp: [0, 0, 1] },
          points: drawn,
          lineAxisAngleDeg: angle,
          axisSource: boneAxis ? 'bone-axis' : 'scanner-z',
          notAlongBone: true,
          offAxisChoice: choice,
        },
      },
    };
  }
  function written(s: Session) {
    const rep = buildReport({
      generatedAt: T0,
      language: 'en',
      reader: 'AB',
      app: { name: 'Fracture-Risk Workstation', version: '0.1.0' },
      study: { studyInstanceUid: context.studyInstanceUid, patientName: context.patientName, patientId: context.patientId, studyDate: context.studyDate, studyDescription: '' },
      series: null,
      lesions: s.lesions.map((lesion) => ({ lesion, measurements: s.measurements, draft: s.assessments[lesion.id] ?? null })),
      rules: CURRENT_RULES,
    });
    const bytes = dicomSrBytes({ session: s, report: rep, context, reasonText: (r) => r.code });
    const ds = readPart10(bytes);
    if (!ds.ok) throw new Error(ds.error.message);
    const group = seq(seq(ds.value.ContentSequence).find((i) => (seq(i.ConceptNameCodeSequence)[0] as { CodeValue?: string } | undefined)?.CodeValue === CODES.imagingMeasurements.CodeValue)!.ContentSequence)[0];
    const num = seq(group.ContentSequence).find((i) => (seq(i.ConceptNameCodeSequence)[0] as { CodeValue?: string } | undefined)?.CodeValue === CODES.length.CodeValue)!;
    const g = Array.from(seq(num.ContentSequence).find((c) => c.ValueType === 'SCOORD3D')!.GraphicData as number[]).map(Number);
    const choice = seq(num.ContentSequence).find((c) => (seq(c.ConceptNameCodeSequence)[0] as { CodeValue?: string } | undefined)?.CodeValue === CODES.offAxisChoice.CodeValue);
    const state = adaptersSR.Cornerstone3D.MeasurementReport.generateToolState(ds.value, {}, { get: () => undefined }, {}) as Record<string, { annotation: { data: { handles: { points: number[][] } } } }[]>;
    const back = readMeasurementReportSr(bytes, { patientId: context.patientId, seriesInstanceUid: context.seriesInstanceUid });
    if (!back.ok) throw new Error(back.error.message);
    return {
      bytes,
      value: Number(seq(num.MeasuredValueSequence)[0].NumericValue),
      ends: [g.slice(0, 3), g.slice(3, 6)],
      choiceCode: (seq(choice?.ConceptCodeSequence)[0] as { CodeValue?: string } | undefined)?.CodeValue,
      hydrated: state.Length[0].annotation.data.handles.points,
      back: back.value.lesions[0],
    };
  }

  it('along the axis (scanner z): the ends are the drawn line projected on z, 40 mm apart, and the choice is recorded and restored', () => {
    const w = written(offAxisSession('along-axis'));
    expect(w.value).toBeCloseTo(40, 6);
    expect(dist(w.ends)).toBeCloseTo(40, 4);
    // Centred on the drawn line's midpoint, along z, drawn the same way (downwards).
    expect(w.ends[0][0]).toBeCloseTo(0, 6);
    expect(w.ends[1][0]).toBeCloseTo(0, 6);
    expect(w.ends[0][1]).toBeCloseTo(drawn[1][1] / 2, 4);
    expect(w.ends[1][1]).toBeCloseTo(drawn[1][1] / 2, 4);
    expect(w.ends[0][2]).toBeCloseTo(-100, 4);
    expect(w.ends[1][2]).toBeCloseTo(-140, 4);
    expect(w.choiceCode).toBe(CODES.alongAxisComponent.CodeValue);
    // Still a valid SR with the choice under the length (dciodvfy, dcmtk's relationship checks).
    const dir = mkdtempSync(join(tmpdir(), 'frw-offaxis-'));
    try {
      const file = join(dir, 'sr.dcm');
      writeFileSync(file, w.bytes);
      expect(dciodvfy(file).errors).toEqual([]);
      const { out } = tool('dsrdump', ['+U8', file]);
      expect(out).not.toMatch(/^E:/m);
      expect(out).toContain('<has properties CODE:(,,"Off-axis length choice")=(FRW017,99FRW,"Along-axis component")>');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // OHIF / Cornerstone3D recompute the length from the ends: the same 40 mm.
    expect(dist(w.hydrated)).toBeCloseTo(40, 4);
    const m = w.back.measurements[0];
    expect(m.value).toBeCloseTo(40, 6);
    expect(w.back.offAxisChoices[m.id]).toBe('along-axis');
    const redrawn = lengthDrawing(w.back.lengthPointsMm[m.id], null, { choice: w.back.offAxisChoices[m.id], valueMm: m.value });
    expect(redrawn).toMatchObject({ notAlongBone: false, offAxisChoice: 'along-axis' });
    if (redrawn.tool !== 'AxialLength') throw new Error('not a length');
    expect(dist(redrawn.points)).toBeCloseTo(m.value, 4);
  });

  it('along a tilted bone axis: the ends lie along that axis, the value apart', () => {
    const boneAxis = { p1Mm: [0, 0, 0] as [number, number, number], p2Mm: [0, Math.sin(Math.PI / 18), Math.cos(Math.PI / 18)] as [number, number, number], drawnOnNormal: [1, 0, 0] as [number, number, number] };
    const s = offAxisSession('along-axis', boneAxis);
    const w = written(s);
    expect(w.value).toBeCloseTo(s.measurements[0].value, 6);
    expect(w.value).not.toBeCloseTo(drawnMm, 1);
    expect(dist(w.ends)).toBeCloseTo(w.value, 4);
    const d = [w.ends[1][0] - w.ends[0][0], w.ends[1][1] - w.ends[0][1], w.ends[1][2] - w.ends[0][2]].map((c) => c / dist(w.ends));
    expect(Math.abs(d[1] * boneAxis.p2Mm[1] + d[2] * boneAxis.p2Mm[2])).toBeCloseTo(1, 6);
    expect(dist(w.hydrated)).toBeCloseTo(w.value, 4);
    const m = w.back.measurements[0];
    expect(lengthDrawing(w.back.lengthPointsMm[m.id], boneAxis, { choice: w.back.offAxisChoices[m.id], valueMm: m.value })).toMatchObject({ axisSource: 'bone-axis', notAlongBone: false, offAxisChoice: 'along-axis' });
  });

  it('kept as drawn: the drawn ends, the drawn length, the choice recorded and restored', () => {
    const w = written(offAxisSession('as-drawn'));
    expect(w.value).toBeCloseTo(drawnMm, 6);
    w.ends.forEach((p, i) => p.forEach((c, a) => expect(c).toBeCloseTo(drawn[i][a], 4)));
    expect(w.choiceCode).toBe(CODES.lengthAsDrawn.CodeValue);
    expect(dist(w.hydrated)).toBeCloseTo(drawnMm, 4);
    const m = w.back.measurements[0];
    expect(w.back.offAxisChoices[m.id]).toBe('as-drawn');
    const redrawn = lengthDrawing(w.back.lengthPointsMm[m.id], null, { choice: 'as-drawn', valueMm: m.value });
    expect(redrawn).toMatchObject({ notAlongBone: true, offAxisChoice: 'as-drawn' });
  });

  it('an SR written before the choice was recorded (drawn ends, along-axis value) restores as the along-axis choice of the drawn line', () => {
    const redrawn = lengthDrawing(drawn, null, { valueMm: 40 });
    expect(redrawn).toMatchObject({ notAlongBone: true, offAxisChoice: 'along-axis', points: drawn });
    // Its ends agreeing with the value: kept as drawn.
    expect(lengthDrawing(drawn, null, { valueMm: drawnMm })).toMatchObject({ notAlongBone: true, offAxisChoice: 'as-drawn' });
  });
});

/** Issue: restoring the same SR twice silently made a second "Lesion #1"; the buttons were all alike. */
describe('restoring an SR the session already holds', () => {
  const s = session();
  const report = reportOf(s);
  const bytes = dicomSrBytes({ session: s, report, context, reasonText: (r) => r.code });
  const read = () => {
    const r = readMeasurementReportSr(bytes, { patientId: context.patientId, seriesInstanceUid: context.seriesInstanceUid });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };

  it('finds the lesions measured here (derived tracking UID) and those restored before (kept tracking UID)', () => {
    const imp = read();
    // The session that wrote the SR holds its lesion.
    expect(alreadyInSession(imp, s, context.studyInstanceUid).map((l) => l.lesion.label)).toEqual(['right humerus']);
    // A fresh session holds none; once restored (lesion keeps the SR's tracking UID), it holds it.
    const fresh = emptySession(context.seriesInstanceUid, T0);
    expect(alreadyInSession(imp, fresh, context.studyInstanceUid)).toEqual([]);
    const restored: Session = { ...fresh, lesions: [{ ...imp.lesions[0].lesion, id: 'lesion-x', thresholdHu: 400, trackingUid: imp.lesions[0].trackingUid }] };
    expect(alreadyInSession(imp, restored, context.studyInstanceUid)).toHaveLength(1);
    // Another study's lesions with the same ids are other lesions.
    expect(alreadyInSession(imp, s, '1.2.3.4')).toEqual([]);
  });

  it('a restored lesion exported again keeps its tracking UID', () => {
    const imp = read();
    const restored: Session = { ...s, lesions: [{ ...s.lesions[0], id: 'lesion-x', trackingUid: imp.lesions[0].trackingUid }], measurements: s.measurements.map((m) => ({ ...m, lesionId: 'lesion-x' })), drawings: {} };
    const input = srInputFromSession({ session: restored, report, context, reasonText: (r) => r.code });
    expect(input.lesions[0].trackingUid).toBe(imp.lesions[0].trackingUid);
  });

  it('reads each SR file once for its button label and its restore', async () => {
    let reads = 0;
    const host = { readFile: async () => (reads++, bytes.slice().buffer) } as unknown as HostApi;
    const object = { fileId: 'sr-file-1', sopInstanceUid: '1.2.3', modality: 'SR' } as OtherObject;
    const study = { patientId: context.patientId } as Study;
    const series = { seriesInstanceUid: context.seriesInstanceUid } as Series;
    const [a, b] = await Promise.all([readSrObjectCached(host, object, study, series), readSrObjectCached(host, object, study, series)]);
    const c = await readSrObjectCached(host, object, study, series);
    expect(reads).toBe(1);
    expect(a.ok && b.ok && c.ok).toBe(true);
    if (a.ok) expect(a.value.source).toMatchObject({ observer: 'AB' });
  });
});
