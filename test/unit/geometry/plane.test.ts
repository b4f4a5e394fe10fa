import { describe, expect, it } from 'vitest';
import type { CtVolume } from '../../../shared/analysis/volume';
import {
  ALONG_BONE_TOLERANCE_DEG,
  analyseCorticalRing,
  angleBetweenDeg,
  axisPlaneIntersection,
  checkAlongBone,
  crossSectionPlane,
  crossSectionThrough,
  dot,
  ellipse,
  norm,
  planeAxisAngleDeg,
  planeFrame,
  planeSampler,
  planeToWorld,
  sampleHuTrilinear,
  scale,
  sub,
  add,
  worldToPlane,
  type BoneAxis,
  type Vec3,
} from '../../../shared/geometry';

const TILT_DEG = 20;
const t = (TILT_DEG * Math.PI) / 180;
/** A bone axis tilted 20° from the scanner z axis towards y. */
const tilted: BoneAxis = { point: [1.5, -2, 3], direction: [0, Math.sin(t), Math.cos(t)] };

describe('cross-section planes on a tilted bone', () => {
  it('the cross-section is perpendicular to the axis with an orthonormal in-plane basis', () => {
    const f = crossSectionPlane(tilted, 12)!;
    expect(angleBetweenDeg(f.normal, tilted.direction)).toBeCloseTo(0, 9);
    expect(norm(f.u)).toBeCloseTo(1, 12);
    expect(norm(f.v)).toBeCloseTo(1, 12);
    expect(dot(f.u, f.v)).toBeCloseTo(0, 12);
    expect(dot(f.u, f.normal)).toBeCloseTo(0, 12);
    expect(f.u[0]).toBeCloseTo(1, 12); // u stays patient x, as on the scanner's axial slice
    expect(norm(sub(f.origin, add(tilted.point, scale(tilted.direction, 12))))).toBeCloseTo(0, 12);
  });
  it('points on the bone surface map to a circle of the true radius in the cross-section', () => {
    const f = crossSectionPlane(tilted, -7)!;
    for (let k = 0; k < 12; k++) {
      const a = (k * Math.PI) / 6;
      const p = planeToWorld(f, [11 * Math.cos(a), 11 * Math.sin(a)]);
      const q = worldToPlane(f, p);
      expect(Math.hypot(q[0], q[1])).toBeCloseTo(11, 9);
      // Distance from the axis line is the radius: the plane really is a cross-section.
      const rel = sub(p, tilted.point);
      const along = dot(rel, tilted.direction);
      expect(norm(sub(rel, scale(tilted.direction, along)))).toBeCloseTo(11, 9);
    }
  });
  it('crossSectionThrough picks the section through a clicked point', () => {
    const p: Vec3 = [4, 7, 20];
    const f = crossSectionThrough(tilted, p)!;
    expect(dot(sub(p, f.origin), f.normal)).toBeCloseTo(0, 9);
    expect(axisPlaneIntersection(tilted, f)).not.toBeNull();
  });
  it('the scanner axial slice cuts the tilted bone obliquely (plane 70° off the axis)', () => {
    expect(planeAxisAngleDeg([0, 0, 1], tilted.direction)).toBeCloseTo(70, 9);
    expect(planeAxisAngleDeg(tilted.direction, tilted.direction)).toBeCloseTo(90, 9);
    // A sagittal plane (normal x) contains this axis: "along the bone".
    expect(planeAxisAngleDeg([1, 0, 0], tilted.direction)).toBeCloseTo(0, 9);
  });
  it('planeFrame refuses a zero normal', () => {
    expect(planeFrame([0, 0, 0], [0, 0, 0])).toBeNull();
  });
});

describe('axial length and the "not along the bone" warning', () => {
  it('a 30 mm line along the tilted axis on a plane containing it: no warning', () => {
    const p1 = tilted.point;
    const p2 = add(p1, scale(tilted.direction, 30));
    const c = checkAlongBone(p1, p2, tilted.direction, [1, 0, 0]);
    expect(c.lengthMm).toBeCloseTo(30, 9);
    expect(c.axialLengthMm).toBeCloseTo(30, 9);
    expect(c.lineAxisAngleDeg).toBeCloseTo(0, 6);
    expect(c.notAlongBone).toBe(false);
  });
  it('the same lesion measured along scanner z shrinks by cos 20° and warns', () => {
    const p1: Vec3 = [0, 0, 0];
    const p2: Vec3 = [0, 0, 30 * Math.cos(t)];
    const c = checkAlongBone(p1, p2, tilted.direction, [1, 0, 0]);
    expect(c.lineAxisAngleDeg).toBeCloseTo(TILT_DEG, 6);
    expect(c.lengthMm).toBeCloseTo(28.19, 2);
    expect(c.notAlongBone).toBe(true);
  });
  it('warns for a line drawn on a plane that does not contain the axis (axial slice)', () => {
    const c = checkAlongBone([0, 0, 0], [0, 10, 0], [0, 0, 1], [0, 0, 1]);
    expect(c.planeAxisAngleDeg).toBeCloseTo(90, 9);
    expect(c.notAlongBone).toBe(true);
    expect(ALONG_BONE_TOLERANCE_DEG).toBeGreaterThan(0);
  });
});

/** A CT volume of a tube along the tilted axis, lytic 90° sector (full thickness) over 20 mm. */
function tiltedTubeVolume(): CtVolume {
  const spacing: [number, number, number] = [0.7, 0.7, 1.25];
  const dims: [number, number, number] = [60, 80, 36];
  const origin: Vec3 = [-20, -30, -20];
  const R = 12;
  const r = 7;
  const hu = new Float32Array(dims[0] * dims[1] * dims[2]);
  const f0 = crossSectionPlane(tilted, 0)!;
  const truth = (p: Vec3) => {
    const rel = sub(p, tilted.point);
    const along = dot(rel, tilted.direction);
    const [x, y] = worldToPlane(f0, p);
    const rho = Math.hypot(x, y);
    if (rho > R || rho < r) return 40;
    const ang = (Math.atan2(y, x) * 180) / Math.PI;
    return Math.abs(along) < 10 && ang > 0 && ang < 90 ? 40 : 1200;
  };
  const s = 3;
  for (let k = 0; k < dims[2]; k++)
    for (let j = 0; j < dims[1]; j++)
      for (let i = 0; i < dims[0]; i++) {
        let acc = 0;
        for (let c = 0; c < s; c++)
          for (let b = 0; b < s; b++)
            for (let a = 0; a < s; a++)
              acc += truth([origin[0] + (i + (a + 0.5) / s - 0.5) * spacing[0], origin[1] + (j + (b + 0.5) / s - 0.5) * spacing[1], origin[2] + (k + (c + 0.5) / s - 0.5) * spacing[2]]);
        hu[i + j * dims[0] + k * dims[0] * dims[1]] = acc / s ** 3;
      }
  return { dimensions: dims, spacing, origin, direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], hu };
}

describe('ring counting on a true cross-section of a tilted bone, sampled from the volume', () => {
  const vol = tiltedTubeVolume();
  it('trilinear sampling returns voxel values at voxel centres and NaN outside', () => {
    expect(sampleHuTrilinear(vol, vol.origin)).toBeCloseTo(vol.hu[0], 4);
    expect(sampleHuTrilinear(vol, [-100, 0, 0])).toBeNaN();
  });
  it('gives axial % and circumferential % of 25 on the oblique cross-section', () => {
    const f = crossSectionPlane(tilted, 0)!;
    const ring = { periosteal: ellipse([0, 0], 12, 12), endosteal: ellipse([0, 0], 7, 7) };
    const res = analyseCorticalRing(ring, planeSampler(vol, f), 400, { stepMm: 0.15 });
    if (!res.ok) throw new Error(res.error.message);
    expect(res.value.samplesOutsideVolume).toBe(0);
    expect(Math.abs(res.value.axialPercent - 25)).toBeLessThan(3);
    expect(Math.abs(res.value.proposedCircumferentialPercent - 25)).toBeLessThan(3);
  });
  it('outside the lesion the same section is intact', () => {
    const f = crossSectionPlane(tilted, 14)!;
    const ring = { periosteal: ellipse([0, 0], 12, 12), endosteal: ellipse([0, 0], 7, 7) };
    const res = analyseCorticalRing(ring, planeSampler(vol, f), 400, { stepMm: 0.15 });
    if (!res.ok) throw new Error(res.error.message);
    expect(res.value.axialPercent).toBeLessThan(3);
    expect(res.value.proposedCircumferentialPercent).toBe(0);
  });
  it('a ring reaching beyond the volume is not measured (issue 13), not counted on its inside part', () => {
    // The oblique section through the end of the volume: part of its ring lies beyond the last slice.
    const zEnd = vol.origin[2] + (vol.dimensions[2] - 1) * vol.spacing[2];
    const f = crossSectionPlane(tilted, (zEnd - tilted.point[2]) / tilted.direction[2])!;
    const ring = { periosteal: ellipse([0, 0], 12, 12), endosteal: ellipse([0, 0], 7, 7) };
    const res = analyseCorticalRing(ring, planeSampler(vol, f), 400, { stepMm: 0.15 });
    expect(res.ok ? res.value.axialPercent : res.error.code).toBe('ring.outside-volume');
    if (!res.ok) expect(res.error.message).toMatch(/^\d+ % of the cortical ring lies outside the volume/);
  });
});
