/**
 * Every RTSTRUCT in ../shared/data is read, checked against the CT beside it, and each bad one
 * gets its own coded message — never an exception (issue 17).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_DIR } from '../../data';
import { scanPaths } from '../../../main/scan';
import { parseRtStruct } from '../../../shared/rt/parseRtStruct';
import { validateRtStruct } from '../../../shared/rt/validateRtStruct';
import { seriesGeometryOf } from '../../../shared/rt/seriesGeometry';
import { RT_ERROR, RT_WARNING } from '../../../shared/rt/codes';
import { RtCheckSchema, RtStructSchema } from '../../../shared/schemas/rt';

const RTU = join(DATA_DIR, 'rt-utils', 'tests');
const DCP = join(DATA_DIR, 'dicompyler-core', 'example_data');

function parse(path: string) {
  const r = parseRtStruct(new Uint8Array(readFileSync(path)), path);
  if (!r.ok) throw new Error(r.error.message);
  return RtStructSchema.parse(r.value);
}

async function ctGeometry(dir: string) {
  const scan = await scanPaths([dir]);
  const ct = scan.studies.flatMap((s) => s.series).find((s) => s.modality === 'CT');
  return ct ? seriesGeometryOf(ct) : null;
}

const codes = (c: { issues: Array<{ code: string }> }) => c.issues.map((i) => i.code);

describe('real RTSTRUCTs', () => {
  it('dicompyler-core rtss.dcm: 10 ROIs with names, colours, types, contour counts; 97 of 98 referenced images absent', async () => {
    const rt = parse(join(DCP, 'rtss.dcm'));
    expect(rt.rois.map((r) => [r.number, r.name, r.contours.length, r.interpretedType])).toEqual([
      [1, 'BODY', 141, 'EXTERNAL'], [2, 'Areola', 0, 'AVOIDANCE'], [3, 'Borders', 2, 'CTV'], [4, 'Breast', 48, 'GTV'], [5, 'Heart', 33, 'ORGAN'],
      [6, 'Lt Lung', 165, 'AVOIDANCE'], [7, 'Nodes', 4, 'AVOIDANCE'], [8, 'Scar', 6, 'AVOIDANCE'], [9, 'Tumor Bed', 18, 'CTV'], [10, 'Tumor Bed Block', 24, 'GTV'],
    ]);
    expect(rt.rois[8]).toMatchObject({ color: [255, 0, 0], colorSource: 'dicom' });
    const check = RtCheckSchema.parse(validateRtStruct(rt, await ctGeometry(DCP)));
    expect(check.usable).toBe(true);
    expect(check.referencedImageCount).toBe(98);
    expect(check.missingReferencedImageCount).toBe(97);
    const missing = check.issues.find((i) => i.code === RT_WARNING.IMAGES_MISSING)!;
    expect(missing.message).toBe('97 of 98 referenced images are not in the series.');
    expect(missing.params).toEqual({ count: 97, total: 98 });
    // One slice: every contour not on it lies outside the series, and its image is missing.
    expect(codes(check)).toEqual(expect.arrayContaining([RT_WARNING.CONTOUR_IMAGE_MISSING, RT_WARNING.OUTSIDE_SERIES, RT_WARNING.EMPTY_ROI]));
    const onSlice = check.rois.reduce((n, r) => n + r.onSlices, 0);
    const total = check.rois.reduce((n, r) => n + r.contours, 0);
    expect(onSlice).toBeGreaterThan(0);
    expect(check.rois.reduce((n, r) => n + r.outsideSeries, 0)).toBe(total - onSlice);
    for (const i of check.issues) console.log(`[${i.code}] ${i.message}`);
  });

  it('rt-utils rt.dcm on its phantom CT: Frame of Reference differs → refused with its own message', async () => {
    const rt = parse(join(RTU, 'mock_data', 'rt.dcm'));
    const check = validateRtStruct(rt, await ctGeometry(join(RTU, 'mock_data')));
    expect(check.usable).toBe(false);
    expect(check.issues[0].code).toBe(RT_ERROR.FRAME_OF_REFERENCE_MISMATCH);
    // In words, no file name and no UID in the sentence (the heading names the set); the UIDs are in the details.
    expect(check.issues[0].message).toBe("Its Frame of Reference differs from the CT's: the contours belong to another patient position or scan and are not drawn.");
    expect(check.issues[0].details).toContain('1.2.826.0.1.3680043.8.498.41321784967516118556817630335498661397');
    for (const i of check.issues) expect(i.message).not.toMatch(/\.dcm|\d+\.\d+\.\d+\.\d+/);
    console.log(check.issues[0].message);
  });

  it('rt-utils invalid_reference_rt.dcm: references 3 images not in the series; one contour per ROI on a missing image, beyond the last slice', async () => {
    const rt = parse(join(RTU, 'mock_data', 'invalid_reference_rt.dcm'));
    expect(rt.rois.map((r) => r.contours.length)).toEqual([3, 3, 3, 3]);
    const check = validateRtStruct(rt, await ctGeometry(join(RTU, 'mock_data')));
    expect(check.usable).toBe(true);
    expect(check.missingReferencedImageCount).toBe(3);
    expect(check.issues.find((i) => i.code === RT_WARNING.IMAGES_MISSING)!.message).toBe('3 of 5 referenced images are not in the series.');
    expect(check.issues.find((i) => i.code === RT_WARNING.CONTOUR_IMAGE_MISSING)!.count).toBe(4);
    expect(check.issues.find((i) => i.code === RT_WARNING.OUTSIDE_SERIES)!.count).toBe(4);
    expect(check.rois.every((r) => r.onSlices === 2)).toBe(true);
    for (const i of check.issues) console.log(`[${i.code}] ${i.message}`);
  });

  it('rt-utils non_existent_reference_rt.dcm: names no referenced series at all', async () => {
    const rt = parse(join(RTU, 'mock_data', 'non_existent_reference_rt.dcm'));
    expect(rt.referencedSeriesInstanceUids).toEqual([]);
    const check = validateRtStruct(rt, await ctGeometry(join(RTU, 'mock_data')));
    expect(check.usable).toBe(true);
    expect(codes(check)).toContain(RT_WARNING.NO_REFERENCED_SERIES);
    expect(check.issues.find((i) => i.code === RT_WARNING.NO_REFERENCED_SERIES)!.message).toMatch(/^The structure set names no referenced series/);
    for (const i of check.issues) console.log(`[${i.code}] ${i.message}`);
  });

  it('rt-utils empty/dummy_rt.dcm: no image series in its folder → refused', async () => {
    const rt = parse(join(RTU, 'empty', 'dummy_rt.dcm'));
    const check = validateRtStruct(rt, await ctGeometry(join(RTU, 'empty')));
    expect(check.usable).toBe(false);
    expect(check.issues[0].code).toBe(RT_ERROR.NO_SERIES);
    expect(check.issues[0].message).toBe('No image series to draw it on: the folder holds no CT series (the structure set references 5 images that are not here).');
  });

  it("pydicom rtstruct.dcm (no file meta): 3 ROIs with types and POINT contours; no CT beside it", () => {
    const rt = parse(join(DATA_DIR, 'pydicom-test-files', 'src', 'pydicom', 'data', 'test_files', 'rtstruct.dcm'));
    expect(rt.rois.map((r) => [r.name, r.interpretedType, r.colorSource])).toEqual([
      ['patient', 'EXTERNAL', 'dicom'], ['Isocenter 1', 'ISOCENTER', 'dicom'], ['Isocenter 2', 'ISOCENTER', 'dicom'],
    ]);
    expect(rt.rois[1].contours[0].geometricType).toBe('POINT');
  });

  it('non-RTSTRUCT and non-DICOM bytes are coded errors, never exceptions', () => {
    const ct = parseRtStruct(new Uint8Array(readFileSync(join(RTU, 'mock_data', 'ct_1.dcm'))), 'ct_1.dcm');
    expect(ct.ok ? null : ct.error.code).toBe(RT_ERROR.NOT_RTSTRUCT);
    const junk = parseRtStruct(new Uint8Array([1, 2, 3, 4, 5]), 'junk.bin');
    expect(junk.ok ? null : junk.error.code).toBe(RT_ERROR.UNREADABLE);
    const bytes = new Uint8Array(readFileSync(join(DCP, 'rtss.dcm')));
    const truncated = parseRtStruct(bytes.slice(0, 5000), 'rtss-truncated.dcm');
    expect(truncated.ok ? 'parsed' : truncated.error.code).toMatch(/rt\.unreadable|parsed/);
  });
});

describe('ROI colours', () => {
  it('an ROI without ROI Display Color gets a palette colour by its order; a bad one too', async () => {
    const { encodeRtStruct } = await import('../../../shared/rt/exportRtStruct');
    const { ROI_PALETTE } = await import('../../../shared/rt/parseRtStruct');
    const ref = { studyInstanceUid: '2.25.1', seriesInstanceUid: '2.25.2', frameOfReferenceUid: '2.25.3', sopClassUid: '1.2.840.10008.5.1.4.1.1.2', patientName: 'A^B', patientId: 'P', studyDate: '20260101', normal: [0, 0, 1] as [number, number, number], slices: [{ sopInstanceUid: '2.25.4', positionMm: 0 }] };
    const contour = { ContourGeometricType: 'CLOSED_PLANAR', NumberOfContourPoints: 3, ContourData: [0, 0, 0, 1, 0, 0, 0, 1, 0] };
    const bytes = encodeRtStruct(ref, [
      { number: 1, name: 'WITH', colour: [1, 2, 3], type: 'ORGAN', contours: [contour] },
      { number: 2, name: 'WITHOUT', colour: [], type: 'ORGAN', contours: [contour] },
      { number: 3, name: 'BAD', colour: [300, 0, 0], type: 'ORGAN', contours: [contour] },
    ]);
    if (!bytes.ok) throw new Error(bytes.error.message);
    const r = parseRtStruct(bytes.value, 'colours.dcm');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.rois.map((x) => [x.name, x.color, x.colorSource])).toEqual([
      ['WITH', [1, 2, 3], 'dicom'],
      ['WITHOUT', ROI_PALETTE[1], 'palette'],
      ['BAD', ROI_PALETTE[2], 'palette'],
    ]);
  });
});

describe('issues in the UI language (review 3)', () => {
  it("every issue of the real files has a sentence by code: the English one is the shared message, the French one is French", async () => {
    const { nodeI18n } = await import('../report/fixtures');
    const { issueText } = await import('../../../renderer/rt/issueText');
    const checks = [
      validateRtStruct(parse(join(DCP, 'rtss.dcm')), await ctGeometry(DCP)),
      validateRtStruct(parse(join(RTU, 'mock_data', 'rt.dcm')), await ctGeometry(join(RTU, 'mock_data'))),
      validateRtStruct(parse(join(RTU, 'mock_data', 'invalid_reference_rt.dcm')), await ctGeometry(join(RTU, 'mock_data'))),
      validateRtStruct(parse(join(RTU, 'mock_data', 'non_existent_reference_rt.dcm')), await ctGeometry(join(RTU, 'mock_data'))),
      validateRtStruct(parse(join(RTU, 'empty', 'dummy_rt.dcm')), await ctGeometry(join(RTU, 'empty'))),
    ];
    const issues = checks.flatMap((c) => c.issues);
    expect(new Set(issues.map((i) => i.code)).size).toBeGreaterThanOrEqual(7);
    const en = await nodeI18n('en');
    const fr = await nodeI18n('fr');
    for (const i of issues) {
      expect(i.message).not.toMatch(/\.dcm\b/);
      expect(issueText(i, (k, o) => String(en.t(k, o as never)), (k) => en.exists(k))).toBe(i.message);
      const inFrench = issueText(i, (k, o) => String(fr.t(k, o as never)), (k) => fr.exists(k));
      expect(inFrench).not.toBeNull();
      expect(inFrench).not.toBe(i.message);
    }
    // A file that cannot be read at all: said by code too (its reason in the tooltip).
    for (const code of ['rt.unreadable', 'rt.not-rtstruct']) {
      expect(issueText({ code }, (k, o) => String(fr.t(k, o as never)), (k) => fr.exists(k))).toMatch(/^Le fichier/);
      expect(issueText({ code }, (k, o) => String(en.t(k, o as never)), (k) => en.exists(k))).toMatch(/^The file/);
    }
  });
});
