import { describe, expect, it } from 'vitest';
import { MIN_SLICES_FOR_VOLUME, SCAN_WARNING, assembleScan, parseHeader } from '../../../shared/dicom/index';
import { ScanResultSchema, type ScanResult, type Series } from '../../../shared/schemas/scan';
import { axialSeries, ctSlice, type El, type SliceSpec } from './dicomBytes';

function scan(files: Uint8Array[]): ScanResult {
  const results = files.map((b, i) => parseHeader(b, { fileId: `f${i}`, file: `f${i}.dcm` }));
  const r = assembleScan(results);
  expect(ScanResultSchema.safeParse(r).success).toBe(true);
  return r;
}

function onlySeries(r: ScanResult): Series {
  const all = r.studies.flatMap((s) => s.series);
  expect(all).toHaveLength(1);
  return all[0];
}

const codes = (s: { warnings: { code: string }[] }) => s.warnings.map((w) => w.code);
const zs = (n: number, step = 3, from = 0) => Array.from({ length: n }, (_, i) => from + i * step);

describe('assembleScan: geometry checks on synthetic series', () => {
  it('a regular axial series is measurable and sorted along the normal whatever the file order', () => {
    const files = axialSeries(zs(10)).reverse();
    const s = onlySeries(scan(files));
    expect(s.measurable).toBe(true);
    expect(s.warnings).toEqual([]);
    expect(s.sliceSpacingMm).toBe(3);
    expect(s.instances.map((i) => i.positionMm)).toEqual(zs(10));
    expect(s.instances.map((i) => i.instanceNumber)).toEqual(zs(10, 1, 1));
  });

  it('sorting follows the slice normal (row × column), not z or file order', () => {
    // Sagittal: rows along y, columns along -z → normal = y × −z = −x.
    const orientation = [0, 1, 0, 0, 0, -1];
    const files = [5, 1, 3].map((x, i) => ctSlice({ sop: `1.9.${i}`, instanceNumber: i, position: [x, 0, 0], orientation }));
    const s = onlySeries(scan(files));
    expect(s.instances.map((i) => i.imagePositionPatient![0])).toEqual([5, 3, 1]);
    expect(s.instances.map((i) => i.positionMm)).toEqual([-5, -3, -1]);
    expect(s.sliceSpacingMm).toBe(2);
  });

  it('a missing slice is reported where it is, and blocks measurement', () => {
    const z = zs(10).filter((v) => v !== 15);
    const s = onlySeries(scan(axialSeries(z)));
    expect(s.measurable).toBe(false);
    const w = s.warnings.find((x) => x.code === SCAN_WARNING.MISSING_SLICE)!;
    expect(w.message).toMatch(/6 mm between instance 5 \(12 mm\) and instance 6 \(18 mm\): 1 slice\(s\) missing/);
    expect(s.notMeasurableReasons.map((x) => x.code)).toEqual([SCAN_WARNING.MISSING_SLICE]);
  });

  it('uneven spacing is reported with its location', () => {
    const z = [0, 3, 6, 10, 13, 16];
    const s = onlySeries(scan(axialSeries(z)));
    expect(codes(s)).toContain(SCAN_WARNING.UNEVEN_SPACING);
    expect(s.warnings.find((x) => x.code === SCAN_WARNING.UNEVEN_SPACING)!.message).toMatch(/4 mm between instance 3 \(6 mm\) and instance 4 \(10 mm\)/);
    expect(s.measurable).toBe(false);
  });

  it('spacing jitter within tolerance (DS rounding) is accepted', () => {
    const z = [0, 3.001, 5.999, 9.0, 12.002];
    const s = onlySeries(scan(axialSeries(z)));
    expect(s.measurable).toBe(true);
  });

  it('duplicate positions are reported and block measurement', () => {
    const s = onlySeries(scan(axialSeries([0, 3, 3, 6])));
    expect(codes(s)).toContain(SCAN_WARNING.DUPLICATE_POSITION);
    expect(s.warnings.find((w) => w.code === SCAN_WARNING.DUPLICATE_POSITION)!.message).toMatch(/instance 2 and instance 3 at 3 mm/);
    expect(s.measurable).toBe(false);
  });

  it('mixed orientation and mixed size are reported', () => {
    const files = axialSeries(zs(4));
    files.push(ctSlice({ sop: '1.8.1', instanceNumber: 9, position: [0, 0, 12], orientation: [1, 0, 0, 0, 0.995, 0.0998] }));
    files.push(ctSlice({ sop: '1.8.2', instanceNumber: 10, position: [0, 0, 15], rows: 16 }));
    const s = onlySeries(scan(files));
    expect(codes(s)).toEqual(expect.arrayContaining([SCAN_WARNING.MIXED_ORIENTATION, SCAN_WARNING.MIXED_SIZE]));
    expect(s.warnings.find((w) => w.code === SCAN_WARNING.MIXED_ORIENTATION)!.message).toMatch(/instance 9/);
    expect(s.measurable).toBe(false);
  });

  it('gantry tilt: a sheared stack is resampled, so measurable, and says so', () => {
    // 15° tilt: rows tilted about x; positions advance along z only (not along the normal).
    const t = (15 * Math.PI) / 180;
    const orientation = [1, 0, 0, 0, Math.cos(t), Math.sin(t)];
    const tilted = (opts: { transferSyntaxUid?: string } = {}) =>
      zs(6).map((z, i) => ctSlice({ sop: `1.7.${i}`, instanceNumber: i + 1, position: [0, 0, z], orientation, gantryTilt: 15, ...opts }));
    const s = onlySeries(scan(tilted()));
    expect(codes(s)).toEqual(expect.arrayContaining([SCAN_WARNING.SHEARED_GEOMETRY, SCAN_WARNING.GANTRY_TILT, SCAN_WARNING.OBLIQUE_ORIENTATION]));
    const shear = s.warnings.find((w) => w.code === SCAN_WARNING.SHEARED_GEOMETRY)!.message;
    expect(shear).toMatch(/15(\.0)?°/);
    expect(shear).toMatch(/resampled onto a regular grid/);
    expect(s.measurable).toBe(true);
    expect(s.gantryTiltDeg).toBe(15);

    // Compressed alike (the viewer decodes each slice, then shifts it onto the grid).
    const jp2 = onlySeries(scan(tilted({ transferSyntaxUid: '1.2.840.10008.1.2.4.90' })));
    expect(jp2.measurable).toBe(true);
    expect(jp2.warnings.find((w) => w.code === SCAN_WARNING.SHEARED_GEOMETRY)!.message).toMatch(/resampled/);
  });

  it('a sheared stack that is also unevenly spaced stays not measurable', () => {
    const files = [0, 3, 6, 10, 13].map((z, i) => ctSlice({ sop: `1.9.${i}`, instanceNumber: i + 1, position: [i * 0.8, 0, z] }));
    const s = onlySeries(scan(files));
    expect(codes(s)).toEqual(expect.arrayContaining([SCAN_WARNING.SHEARED_GEOMETRY, SCAN_WARNING.UNEVEN_SPACING]));
    expect(s.notMeasurableReasons.map((w) => w.code)).toEqual(expect.arrayContaining([SCAN_WARNING.SHEARED_GEOMETRY, SCAN_WARNING.UNEVEN_SPACING]));
    expect(s.measurable).toBe(false);
  });

  it('shear is the steepest slice-to-slice step: one slice set 2 mm aside over a 3 mm step', () => {
    const files = zs(6).map((z, i) => ctSlice({ sop: `1.8.${i}`, instanceNumber: i + 1, position: [i === 3 ? 2 : 0, 0, z] }));
    const s = onlySeries(scan(files));
    // atan(2 / 3) = 33.7°, on the steps into and out of the displaced slice alike.
    expect(s.warnings.find((w) => w.code === SCAN_WARNING.SHEARED_GEOMETRY)!.message).toMatch(/ 33\.7° /);
  });

  it('an oblique but unsheared stack (positions along the normal) stays measurable', () => {
    const t = (20 * Math.PI) / 180;
    const orientation = [1, 0, 0, 0, Math.cos(t), Math.sin(t)];
    const n = [0, -Math.sin(t), Math.cos(t)];
    const files = zs(5).map((d, i) => ctSlice({ sop: `1.6.${i}`, instanceNumber: i + 1, position: [0, n[1] * d, n[2] * d], orientation }));
    const s = onlySeries(scan(files));
    expect(codes(s)).toEqual([SCAN_WARNING.OBLIQUE_ORIENTATION]);
    expect(s.measurable).toBe(true);
    expect(s.sliceSpacingMm).toBeCloseTo(3, 6);
  });

  it('multi-frame (enhanced) CT is recognised and not measurable', () => {
    const s = onlySeries(scan([ctSlice({ sop: '1.5.1', frames: 40, sopClass: '1.2.840.10008.5.1.4.1.1.2.1', position: null })]));
    expect(codes(s)).toContain(SCAN_WARNING.MULTIFRAME);
    expect(s.numberOfFrames).toBe(40);
    expect(s.measurable).toBe(false);
  });

  it('an unsupported transfer syntax (MPEG2) is named and blocks measurement', () => {
    const s = onlySeries(scan(axialSeries(zs(3), { transferSyntaxUid: '1.2.840.10008.1.2.4.100' })));
    expect(s.transferSyntaxName).toBe('MPEG2 Main Profile / Main Level');
    expect(s.transferSyntaxSupported).toBe(false);
    expect(s.notMeasurableReasons.map((w) => w.code)).toEqual([SCAN_WARNING.UNSUPPORTED_TRANSFER_SYNTAX]);
  });

  it('an unknown transfer syntax UID is reported as such', () => {
    const s = onlySeries(scan(axialSeries(zs(3), { transferSyntaxUid: '1.2.3.4.5.6' })));
    expect(s.transferSyntaxName).toBeNull();
    expect(s.warnings.find((w) => w.code === SCAN_WARNING.UNSUPPORTED_TRANSFER_SYNTAX)!.message).toMatch(/1\.2\.3\.4\.5\.6 \(unknown\)/);
  });

  it('missing rescale blocks (HU unknown); unsigned with intercept 0 warns', () => {
    const s1 = onlySeries(scan(axialSeries(zs(3), { rescale: null })));
    expect(s1.notMeasurableReasons.map((w) => w.code)).toEqual([SCAN_WARNING.RESCALE_MISSING]);
    const s2 = onlySeries(scan(axialSeries(zs(3), { rescale: [1, 0], pixelRepresentation: 0 })));
    expect(codes(s2)).toEqual([SCAN_WARNING.UNSIGNED_NO_NEGATIVE_HU]);
    expect(s2.measurable).toBe(true);
  });

  it('missing positions make the series not measurable, with the count', () => {
    const s = onlySeries(scan(axialSeries(zs(3), { position: null })));
    expect(s.warnings.find((w) => w.code === SCAN_WARNING.MISSING_GEOMETRY)!.message).toMatch(/^3 of 3 instances/);
    expect(s.measurable).toBe(false);
  });

  it('non-CT series are not measurable, with the modality as reason', () => {
    const s = onlySeries(scan(axialSeries(zs(4), { modality: 'MR', sopClass: '1.2.840.10008.5.1.4.1.1.4' })));
    expect(s.notMeasurableReasons).toEqual([{ code: SCAN_WARNING.NOT_CT, message: 'modality MR: only CT can be measured' }]);
  });

  it('a single slice is not a volume; neither are two (the viewer reformats from three: one limit, issue 14)', () => {
    expect(onlySeries(scan(axialSeries([0]))).notMeasurableReasons.map((w) => w.code)).toEqual([SCAN_WARNING.TOO_FEW_SLICES]);
    expect(onlySeries(scan(axialSeries([0, 2]))).notMeasurableReasons.map((w) => w.code)).toEqual([SCAN_WARNING.TOO_FEW_SLICES]);
    expect(onlySeries(scan(axialSeries([0, 2, 4]))).measurable).toBe(true);
    expect(MIN_SLICES_FOR_VOLUME).toBe(3);
  });

  it('a Spacing Between Slices tag contradicting the positions is reported; positions win', () => {
    const extra: El[] = [{ tag: [0x0018, 0x0088], vr: 'DS', value: '5' }];
    const s = onlySeries(scan(axialSeries(zs(4), { extra })));
    expect(codes(s)).toEqual([SCAN_WARNING.SPACING_TAG_MISMATCH]);
    expect(s.sliceSpacingMm).toBe(3);
    expect(s.measurable).toBe(true);
  });

  it('overlapping reconstruction (thickness > spacing) is reported but measurable', () => {
    const s = onlySeries(scan(axialSeries(zs(5, 2), { thickness: 3 })));
    expect(codes(s)).toEqual([SCAN_WARNING.OVERLAPPING_SLICES]);
    expect(s.measurable).toBe(true);
  });
});

describe('assembleScan: grouping and RT links', () => {
  const rtstruct = (sop: string, refFor: string, refSeries: string | null, refSops: string[]): Uint8Array => {
    const contourImages: El[][] = refSops.map((u) => [
      { tag: [0x0008, 0x1150], vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
      { tag: [0x0008, 0x1155], vr: 'UI', value: u },
    ]);
    const series: El[][] = refSeries ? [[{ tag: [0x0020, 0x000e], vr: 'UI', value: refSeries }, { tag: [0x3006, 0x0016], vr: 'SQ', value: contourImages }]] : [];
    const study: El[][] = [[{ tag: [0x3006, 0x0014], vr: 'SQ', value: series }]];
    const spec: SliceSpec = {
      sop,
      modality: 'RTSTRUCT',
      sopClass: '1.2.840.10008.5.1.4.1.1.481.3',
      series: `${sop}.9`,
      frameOfReference: null,
      extra: [{ tag: [0x3006, 0x0010], vr: 'SQ', value: [[{ tag: [0x0020, 0x0052], vr: 'UI', value: refFor }, ...(refSeries ? [{ tag: [0x3006, 0x0012], vr: 'SQ', value: study } as El] : [])]] }],
    };
    return ctSlice(spec).subarray(0); // has pixel data: still an RT object by modality
  };

  it('an RTSTRUCT sharing the CT frame of reference marks it dosimetric and links both ways', () => {
    const ct = axialSeries(zs(3), { frameOfReference: '1.2.826.0.1.3' });
    const r = scan([...ct, rtstruct('1.4.1', '1.2.826.0.1.3', '1.2.826.0.1.2', ['1.2.826.0.1.9.1', '1.2.826.0.1.9.2'])]);
    const s = onlySeries(r);
    expect(s.kind).toBe('dosimetric');
    expect(s.linkedRtObjectUids).toEqual(['1.4.1']);
    const o = r.studies[0].otherObjects[0];
    expect(o.modality).toBe('RTSTRUCT');
    expect(o.referencedSeriesInstanceUids).toEqual(['1.2.826.0.1.2']);
    expect(o.warnings).toEqual([]);
  });

  it('an RTSTRUCT whose declared frame of reference differs from its series is an invalid reference', () => {
    const r = scan([...axialSeries(zs(3)), rtstruct('1.4.2', '9.9.9', '1.2.826.0.1.2', ['1.2.826.0.1.9.1'])]);
    expect(onlySeries(r).kind).toBe('diagnostic');
    expect(codes(r.studies[0].otherObjects[0])).toContain(SCAN_WARNING.RT_FRAME_OF_REFERENCE_MISMATCH);
  });

  it('an RTSTRUCT referencing nothing present says so', () => {
    const r = scan([...axialSeries(zs(3)), rtstruct('1.4.3', '9.9.9', '8.8.8', ['7.7.7'])]);
    expect(codes(r.studies[0].otherObjects[0])).toEqual([
      SCAN_WARNING.RT_REFERENCED_SERIES_NOT_FOUND,
      SCAN_WARNING.RT_REFERENCED_IMAGES_MISSING,
      SCAN_WARNING.RT_NO_LINKED_SERIES,
    ]);
  });

  it('studies, series and every input are accounted for exactly once', () => {
    const a = axialSeries(zs(3), { series: '1.1.1', study: '2.1' });
    const b = axialSeries(zs(2), { series: '1.1.2', study: '2.2' });
    const junk = new TextEncoder().encode('not dicom at all, just some text that is long enough to hold 132 bytes of nothing useful whatsoever, really.');
    const r = scan([...a, ...b, junk, ctSlice({ sop: '5', pixelBytes: 4 })]);
    expect(r.studies.map((s) => s.studyInstanceUid)).toEqual(['2.1', '2.2']);
    const placed = r.studies.flatMap((s) => [...s.series.flatMap((x) => x.instances.map((i) => i.file)), ...s.otherObjects.map((o) => o.file)]);
    const all = [...placed, ...r.errors.map((e) => e.file), ...r.skipped.map((s) => s.file)].sort();
    expect(all).toEqual(Array.from({ length: 7 }, (_, i) => `f${i}.dcm`).sort());
    expect(r.errors).toHaveLength(1);
    expect(r.skipped).toHaveLength(1);
  });
});
