/**
 * Contour geometry (issue 17): where a view plane cuts a planar contour, point-in-structure with
 * holes, and the validation of contours between slices or off the slice planes (no real file in
 * shared/data has those, so they are built here).
 */
import { describe, expect, it } from 'vitest';
import { contourOnPlane, insideRoi, reformatOutline, roiSolid } from '../../../shared/rt/contourGeometry';
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

describe('reformatOutline (review 4: the outline on a reformat, not one chord per contour plane)', () => {
  const R = 35;
  const disc = (z: number, cx = 0, cy = 0) => Array.from({ length: 72 }, (_, i) => [cx + R * Math.cos((i * 5 * Math.PI) / 180), cy + R * Math.sin((i * 5 * Math.PI) / 180), z]).flat();
  const t = (20 * Math.PI) / 180;
  // The oblique view of the e2e: contains the y axis and the direction tilted 20° from z towards x.
  const plane = { origin: [0, 0, 0] as Vec3, normal: [Math.cos(t), 0, -Math.sin(t)] as Vec3 };
  const zs = Array.from({ length: 21 }, (_, k) => -25 + 2.5 * k);
  const closed = (pts: number[]) => ({ pointsMm: pts, closed: true });

  it('a PTV of 21 discs cut at 20°: the chord ends of consecutive planes joined, a chord only at the first and last plane', () => {
    const { segments, polygons } = reformatOutline(zs.map((z) => closed(disc(z))), [0, 0, 1], plane);
    expect(polygons).toEqual([]);
    // Two sides of 20 joins each, and the two closing chords.
    expect(segments).toHaveLength(2 * 20 + 2);
    // Every end is a chord end: on the disc's rim (the 72-gon's, within 0.05 mm).
    for (const p of segments.flat()) expect(Math.abs(Math.hypot(p[0], p[1]) - R)).toBeLessThan(0.05);
    // Only the closing chords cross the middle (y = 0), at the first and last plane: no stripes inside.
    const across = segments.filter(([a, b]) => Math.sign(a[1]) !== Math.sign(b[1]));
    expect(across.map(([a]) => Math.round(a[2])).sort((p, q) => p - q)).toEqual([-25, 25]);
    // Joins go from one plane to the next on the same side.
    for (const [a, b] of segments.filter((s) => !across.includes(s))) {
      expect(Math.abs(Math.abs(a[2] - b[2]) - 2.5)).toBeLessThan(1e-6);
      expect(Math.sign(a[1])).toBe(Math.sign(b[1]));
    }
  });

  it('a structure on a single plane keeps its chord; planes with a gap are not joined across it', () => {
    expect(reformatOutline([closed(disc(0))], [0, 0, 1], plane).segments).toHaveLength(1);
    // Two runs (z −25…−15 and 15…25) with no contour between: two outlines, four closing chords.
    const runs = zs.filter((z) => Math.abs(z) >= 15);
    const { segments } = reformatOutline(runs.map((z) => closed(disc(z))), [0, 0, 1], plane);
    const across = segments.filter(([a, b]) => Math.sign(a[1]) !== Math.sign(b[1]));
    expect(across.map(([a]) => Math.round(a[2])).sort((p, q) => p - q)).toEqual([-25, -15, 15, 25]);
    expect(segments.every(([a, b]) => Math.abs(a[2] - b[2]) <= 2.5 + 1e-6)).toBe(true);
  });

  it('two pieces side by side on each plane: each chord joined to its own piece, not across', () => {
    const two = zs.slice(0, 5).flatMap((z) => [closed(disc(z, 0, -50)), closed(disc(z, 0, 50))]);
    const { segments } = reformatOutline(two, [0, 0, 1], plane);
    // Per piece: 2 × 4 joins + 2 closing chords.
    expect(segments).toHaveLength(2 * (2 * 4 + 2));
    for (const [a, b] of segments) expect(Math.sign(a[1])).toBe(Math.sign(b[1]));
  });
});
