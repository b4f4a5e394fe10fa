/**
 * Contour geometry (issue 17): where a view plane cuts a planar contour, point-in-structure with
 * holes, and the validation of contours between slices or off the slice planes (no real file in
 * shared/data has those, so they are built here).
 */
import { describe, expect, it } from 'vitest';
import { contourOnPlane, insideRoi, roiSolid } from '../../../shared/rt/contourGeometry';
import { structureSetName } from '../../../shared/rt/structureSetName';
import { validateRtStruct } from '../../../shared/rt/validateRtStruct';
import { RT_WARNING } from '../../../shared/rt/codes';
import type { RtRoi, RtSeriesGeometry, RtStruct } from '../../../shared/schemas/rt';
import type { Vec3 } from '../../../shared/schemas/common';

const square = (z: number, half: number, cx = 0, cy = 0) => [cx - half, cy - half, z, cx + half, cy - half, z, cx + half, cy + half, z, cx - half, cy + half, z];
const roi = (contours: number[][], number = 1): RtRoi => ({ number, name: `R${number}`, color: [255, 0, 0], colorSource: 'dicom', interpretedType: 'GTV', frameOfReferenceUid: 'F', contours: contours.map((p) => ({ geometricType: 'CLOSED_PLANAR', pointsMm: p, referencedSopInstanceUids: [] })) });

describe('contourOnPlane', () => {
  it('a 20 mm square at z = 5 cut by the sagittal plane x = 3: one segment y −10 → 10 at x 3, z 5', () => {
    const cut = contourOnPlane(square(5, 10), true, { origin: [3, 0, 0], normal: [1, 0, 0] }, 1e-3);
    expect(cut.polygon).toBeNull();
    expect(cut.segments).toHaveLength(1);
    const [a, b] = cut.segments[0];
    expect([a, b].map((p) => p.map((v) => Math.round(v * 1000) / 1000)).sort((p, q) => p[1] - q[1])).toEqual([[3, -10, 5], [3, 10, 5]]);
  });
  it('a concave (U-shaped) contour gives two segments; a parallel plane within tolerance gives the polygon', () => {
    // U: outer 0..30 × 0..30 with a notch x 10..20 from y 10 up.
    const u = [0, 0, 0, 30, 0, 0, 30, 30, 0, 20, 30, 0, 20, 10, 0, 10, 10, 0, 10, 30, 0, 0, 30, 0];
    const cut = contourOnPlane(u, true, { origin: [0, 20, 0], normal: [0, 1, 0] }, 1e-3);
    const xs = cut.segments.map(([a, b]) => [a[0], b[0]].sort((p, q) => p - q)).sort((p, q) => p[0] - q[0]);
    expect(xs).toEqual([[0, 10], [20, 30]]);
    expect(contourOnPlane(u, true, { origin: [0, 0, 0.4], normal: [0, 0, 1] }, 0.5).polygon).toHaveLength(8);
    expect(contourOnPlane(u, true, { origin: [0, 0, 0.6], normal: [0, 0, 1] }, 0.5).segments).toHaveLength(0);
  });
  it('an oblique plane (normal tilted 20° about y) crosses a square where computed by hand', () => {
    const t = (20 * Math.PI) / 180;
    const n: Vec3 = [Math.sin(t), 0, Math.cos(t)];
    // Plane through (0,0,0): on z = 2 it is x = −2·cos/sin.
    const cut = contourOnPlane(square(2, 10), true, { origin: [0, 0, 0], normal: n }, 1e-3);
    expect(cut.segments).toHaveLength(1);
    for (const p of cut.segments[0]) expect(p[0]).toBeCloseTo((-2 * Math.cos(t)) / Math.sin(t), 6);
  });
});

describe('insideRoi', () => {
  it('even–odd: a ring (outer and inner contour on one plane) excludes its hole; the slab is half the contour spacing', () => {
    const r = roi([square(0, 10), square(0, 5), square(2, 10), square(2, 5)]);
    const solid = roiSolid(r, [0, 0, 1], 2);
    expect(insideRoi(solid, [7, 0, 0])).toBe(true);
    expect(insideRoi(solid, [0, 0, 0])).toBe(false);
    expect(insideRoi(solid, [7, 0, 0.9])).toBe(true);
    expect(insideRoi(solid, [7, 0, 3.1])).toBe(false);
  });
});

describe('validation: contours between slices or off the slice planes', () => {
  const series: RtSeriesGeometry = { seriesInstanceUid: 'S', frameOfReferenceUid: 'F', normal: [0, 0, 1], slices: [0, 1, 2, 3].map((k) => ({ sopInstanceUid: `I${k}`, positionMm: k * 2.5 })) };
  const rt = (rois: RtRoi[]): RtStruct => ({ file: 'made.dcm', sopInstanceUid: 'X', seriesInstanceUid: 'Y', studyInstanceUid: 'Z', label: '', frameOfReferenceUid: 'F', referencedSeriesInstanceUids: ['S'], referencedSopInstanceUids: [], rois, warnings: [] });
  it('counts each kind with its own code', () => {
    const tilted = [0, 0, 0, 10, 0, 1, 10, 10, 1, 0, 10, 0];
    const check = validateRtStruct(rt([roi([square(2.5, 5), square(3.75, 5), square(12, 5)], 1), roi([tilted], 2)]), series);
    expect(check.usable).toBe(true);
    const byCode = Object.fromEntries(check.issues.map((i) => [i.code, i]));
    expect(byCode[RT_WARNING.BETWEEN_SLICES].count).toBe(1);
    expect(byCode[RT_WARNING.BETWEEN_SLICES].message).toBe('1 contour falls between slices (R1 (1)): the axial stack shows them on the nearest slice, up to half a slice from their plane.');
    expect(byCode[RT_WARNING.BETWEEN_SLICES].params).toEqual({ count: 1, names: 'R1 (1)' });
    expect(byCode[RT_WARNING.OUTSIDE_SERIES].count).toBe(1);
    expect(byCode[RT_WARNING.NOT_AXIAL].count).toBe(1);
    expect(check.rois).toEqual([
      { number: 1, contours: 3, onSlices: 1, imageMissing: 0, betweenSlices: 1, outsideSeries: 1, notAxial: 0 },
      { number: 2, contours: 1, onSlices: 0, imageMissing: 0, betweenSlices: 0, outsideSeries: 0, notAxial: 1 },
    ]);
  });
  it('a set drawn on another series than it references: said in words, the UIDs in the details only', () => {
    const other = validateRtStruct({ ...rt([]), referencedSeriesInstanceUids: ['1.2.3.4.5'] }, { ...series, seriesInstanceUid: '1.2.3.9.9' }).issues.find((i) => i.code === RT_WARNING.OTHER_SERIES)!;
    expect(other.message).toBe('Drawn on this CT, not on the series it references; same frame of reference, so positions still agree.');
    expect(other.details).toBe('Series Instance UID of this CT: 1.2.3.9.9; referenced: 1.2.3.4.5');
  });
  it('names a structure set by its label, date and time; the file name only as a fallback', () => {
    expect(structureSetName({ ...rt([]), file: '/pacs/1.dcm', label: 'PLANNING', date: '20261207', time: '081502.5' }, '1.dcm')).toEqual({ title: 'PLANNING', when: '2026-12-07 08:15', file: '1.dcm' });
    expect(structureSetName({ ...rt([]), file: 'RS.1.2.246.352.dcm', label: ' ' }, 'RS.1.2.246.352.dcm')).toEqual({ title: 'RS.1.2.246.352.dcm', when: null, file: 'RS.1.2.246.352.dcm' });
    expect(structureSetName(null, 'x/broken.dcm').title).toBe('broken.dcm');
  });
  it('refuses a structure set without frame of reference, and one whose series has none', () => {
    expect(validateRtStruct({ ...rt([]), frameOfReferenceUid: null }, series).issues[0].code).toBe('rt.no-frame-of-reference');
    expect(validateRtStruct(rt([]), { ...series, frameOfReferenceUid: null }).issues[0].code).toBe('rt.no-frame-of-reference');
  });
});
