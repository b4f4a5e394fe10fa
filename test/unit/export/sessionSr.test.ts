import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adaptersSR } from '@cornerstonejs/adapters';
import { dicomFileName, dicomSrBytes, lengthDrawing, srInputFromSession } from '../../../renderer/report/dicomExport';
import { buildReport } from '../../../shared/report/buildReport';
import { CURRENT_RULES } from '../../../shared/report/rulesApi';
import { readMeasurementReportSr } from '../../../shared/export/srRead';
import { readPart10 } from '../../../shared/export/dicomCodec';
import { studyContextFromImage } from '../../../shared/export/studyContext';
import { emptySession, type Session } from '../../../shared/schemas/session';
import { T0, tciaContext, tciaFiles } from './srFixtures';

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

describe('Report tab → SR → restore (renderer glue)', () => {
  const s = session();
  const report = buildReport({
    generatedAt: T0,
    language: 'en',
    reader: 'AB',
    app: { name: 'Fracture-Risk Workstation', version: '0.1.0' },
    study: { studyInstanceUid: context.studyInstanceUid, patientName: context.patientName, patientId: context.patientId, studyDate: context.studyDate, studyDescription: '' },
    series: null,
    lesions: s.lesions.map((lesion) => ({ lesion, measurements: s.measurements, draft: s.assessments[lesion.id] ?? null })),
    rules: CURRENT_RULES,
  });

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
