/**
 * The regular grid of a gantry-tilted stack and the in-plane resampling onto it: every voxel of
 * the grid must hold the value at its own patient position. Checked with a linear HU field
 * (bilinear interpolation reproduces it exactly), so any misplacement shows as a wrong value.
 */
import { describe, expect, it } from 'vitest';
import { PAD_HU, regularGrid, shiftSliceInPlane, type StackInput } from '../../../shared/geometry/regrid';
import type { Vec3 } from '../../../shared/schemas/common';

const DEG = Math.PI / 180;

/** A head-style 15° gantry tilt: columns tilted about x, positions advancing along z. */
function tiltedStack(tiltDeg: number, n = 12, stepMm = 2, size = 40, pxMm = 0.8): StackInput {
  const t = tiltDeg * DEG;
  return {
    orientation: [1, 0, 0, 0, Math.cos(t), Math.sin(t)],
    pixelSpacingMm: [pxMm, pxMm],
    rows: size,
    columns: size,
    // Files in a shuffled order: the grid orders them along the normal.
    positions: Array.from({ length: n }, (_, k) => [-10, -15, ((k * 7) % n) * stepMm] as Vec3),
  };
}

const worldOfSource = (s: StackInput, slice: number, i: number, j: number): Vec3 => {
  const p = s.positions[slice];
  const [r, c] = [s.orientation.slice(0, 3), s.orientation.slice(3, 6)];
  return [0, 1, 2].map((a) => p[a] + i * s.pixelSpacingMm[1] * r[a] + j * s.pixelSpacingMm[0] * c[a]) as Vec3;
};

describe('regularGrid', () => {
  it('an axial stack needs no resampling: the grid is the slices as stored', () => {
    const s = tiltedStack(0);
    const g = regularGrid(s)!;
    expect(g.shiftsPx).toBeNull();
    expect(g.shearDeg).toBe(0);
    expect(g.dimensions).toEqual([40, 40, 12]);
    expect(g.spacing).toEqual([0.8, 0.8, 2]);
    expect(g.origin).toEqual([-10, -15, 0]);
    expect(g.order.map((i) => s.positions[i][2])).toEqual(Array.from({ length: 12 }, (_, k) => 2 * k));
  });

  it('a 15° tilt: orthonormal grid along the normal, widened to hold every shifted slice, each source pixel on its grid position', () => {
    const s = tiltedStack(15);
    const g = regularGrid(s)!;
    expect(g.shiftsPx).not.toBeNull();
    expect(g.shearDeg).toBeCloseTo(15, 6);
    // Along the normal the slices are 2·cos 15° apart.
    expect(g.spacing[2]).toBeCloseTo(2 * Math.cos(15 * DEG), 9);
    const d = g.direction;
    const k: Vec3 = [d[6], d[7], d[8]];
    expect(k[0]).toBeCloseTo(0, 12);
    expect(k[1]).toBeCloseTo(-Math.sin(15 * DEG), 12);
    expect(k[2]).toBeCloseTo(Math.cos(15 * DEG), 12);
    // 11 steps of 2·sin 15° = 0.518 mm = 0.647 px sideways: 7.1 px in all, so 8 more rows.
    expect(g.dimensions).toEqual([40, 48, 12]);
    const gridWorld = (i: number, j: number, kk: number): Vec3 =>
      [0, 1, 2].map((a) => g.origin[a] + i * g.spacing[0] * d[a] + j * g.spacing[1] * d[3 + a] + kk * g.spacing[2] * d[6 + a]) as Vec3;
    for (let kk = 0; kk < 12; kk++) {
      const [si, sj] = g.shiftsPx![kk];
      expect(si).toBeGreaterThanOrEqual(0);
      expect(sj).toBeGreaterThanOrEqual(0);
      for (const [i, j] of [[0, 0], [39, 0], [17, 23], [39, 39]]) {
        const want = worldOfSource(s, g.order[kk], i, j);
        const got = gridWorld(i + si, j + sj, kk);
        for (let a = 0; a < 3; a++) expect(got[a]).toBeCloseTo(want[a], 9);
      }
    }
  });

  it('refuses slices unevenly spaced along the normal, and a shear wider than the image', () => {
    const uneven = tiltedStack(15);
    uneven.positions = [0, 2, 4, 7, 9].map((z) => [0, 0, z] as Vec3);
    expect(regularGrid(uneven)).toBeNull();
    // 80° tilt over 12 slices: 11 × 2 sin 80° / 0.8 ≈ 27 px per ... beyond a doubling of 10 px images.
    expect(regularGrid(tiltedStack(80, 12, 2, 10))).toBeNull();
  });
});

describe('shiftSliceInPlane', () => {
  it('a whole-pixel shift moves the pixels; outside the source is air padding', () => {
    const src = Int16Array.from({ length: 12 }, (_, p) => p); // 4 × 3
    const dst = new Int16Array(6 * 4);
    shiftSliceInPlane(src, 4, 3, dst, 6, 4, 2, 1);
    expect(dst[1 * 6 + 2]).toBe(0);
    expect(dst[3 * 6 + 5]).toBe(11);
    expect(dst[0]).toBe(PAD_HU);
    expect(dst[1 * 6 + 1]).toBe(PAD_HU);
  });

  it('a linear HU field sampled on tilted slices reads exactly at every interior grid voxel', () => {
    const s = tiltedStack(15);
    const g = regularGrid(s)!;
    const hu = (p: Vec3) => 3 * p[0] - 5 * p[1] + 7 * p[2] + 100;
    const [nx, ny] = g.dimensions;
    const d = g.direction;
    let checked = 0;
    for (let kk = 0; kk < g.dimensions[2]; kk++) {
      const src = new Float64Array(40 * 40);
      for (let j = 0; j < 40; j++) for (let i = 0; i < 40; i++) src[j * 40 + i] = hu(worldOfSource(s, g.order[kk], i, j));
      const dst = new Int16Array(nx * ny);
      shiftSliceInPlane(src, 40, 40, dst, nx, ny, g.shiftsPx![kk][0], g.shiftsPx![kk][1]);
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++) {
          const [si, sj] = g.shiftsPx![kk];
          // Interior: all four neighbours inside the source.
          if (i - si < 0 || i - si > 39 || j - sj < 0 || j - sj > 39) continue;
          const p = [0, 1, 2].map((a) => g.origin[a] + i * g.spacing[0] * d[a] + j * g.spacing[1] * d[3 + a] + kk * g.spacing[2] * d[6 + a]) as Vec3;
          expect(Math.abs(dst[j * nx + i] - hu(p))).toBeLessThanOrEqual(0.5 + 1e-9);
          checked++;
        }
    }
    expect(checked).toBeGreaterThan(12 * 39 * 39);
  });
});
