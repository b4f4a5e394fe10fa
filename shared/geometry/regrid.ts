/**
 * A regular volume grid for a stack of parallel slices, and the in-plane resampling that puts
 * gantry-tilted or sheared slices on it.
 *
 * A gantry-tilted CT keeps its slices parallel and evenly spaced along their normal, but each
 * slice sits a little further sideways than the last (the step between slices is tilted from the
 * normal). Viewers and the analysis need a grid whose third axis is the normal, so each slice is
 * shifted in its own plane by its offset - a pure translation, by bilinear interpolation - onto a
 * grid made wide enough to hold every shifted slice. Voxels no slice covers get `padHu`.
 * Horos, Weasis and 3D Slicer resample tilted series the same way.
 */
import type { Vec3 } from '../schemas/common';
import { cross, DEG_PER_RAD, dot, normalize, sub } from './vec';

/** Positions further than this from the grid along the normal (fraction of the slice spacing)
 * are not a regular stack: at most a 5 % voxel error. */
export const MAX_GRID_DEVIATION = 0.05;
/** In-plane offsets below this (pixels) are rounding of the positions, not shear. */
export const NO_SHEAR_PX = 0.05;
/** The widened grid may grow by at most this factor in each in-plane direction (a 45° tilt over
 * a stack as tall as it is wide); beyond it the series is not treated as a tilted stack. */
export const MAX_WIDENING = 2;
/** HU written where no slice covers the widened grid: air, as outside the scan field. */
export const PAD_HU = -1024;

export interface StackInput {
  /** Image Orientation (Patient): row direction, then column direction. */
  orientation: readonly number[];
  /** DICOM Pixel Spacing: [between rows, between columns] mm. */
  pixelSpacingMm: readonly [number, number];
  rows: number;
  columns: number;
  /** Image Position (Patient) of each slice, in input order. */
  positions: readonly Vec3[];
}

export interface RegularGrid {
  dimensions: [number, number, number];
  /** (column, row, slice) mm. */
  spacing: [number, number, number];
  origin: Vec3;
  /** Row-major [dirI, dirJ, dirK] (LPS): dirK is the slice normal. */
  direction: [number, number, number, number, number, number, number, number, number];
  /** order[k] = index into the input of the slice at k (ascending along the normal). */
  order: number[];
  /** Source image size (the grid may be wider when slices are shifted). */
  source: { columns: number; rows: number };
  /** Per grid slice k: where source pixel (0, 0) lands on the grid, in (column, row) pixels;
   * null when every slice lands on whole pixels at (0, 0) (no resampling). */
  shiftsPx: Array<[number, number]> | null;
  /** Largest angle between the slice-to-slice step and the normal, degrees (0 unsheared). */
  shearDeg: number;
}

/** The regular grid of a parallel, evenly spaced stack (sheared or not), or null when the
 * slices are not evenly spaced along their normal or the shear is beyond `MAX_WIDENING`. */
export function regularGrid(input: StackInput): RegularGrid | null {
  const { orientation: o, pixelSpacingMm: ps, rows, columns, positions } = input;
  const n = positions.length;
  if (n < 2 || !(rows > 0) || !(columns > 0) || !(ps[0] > 0) || !(ps[1] > 0)) return null;
  const row = normalize([o[0], o[1], o[2]]);
  const col = normalize([o[3], o[4], o[5]]);
  const normal = row && col ? normalize(cross(row, col)) : null;
  if (!row || !col || !normal || Math.abs(dot(row, col)) > 0.01) return null;
  const order = positions.map((_, i) => i).sort((a, b) => dot(positions[a], normal) - dot(positions[b], normal));
  const first = positions[order[0]];
  const spacingZ = dot(sub(positions[order[n - 1]], first), normal) / (n - 1);
  if (!(spacingZ > 0)) return null;
  // Column / row pixel sizes: DICOM PixelSpacing is [row spacing (along col), column spacing (along row)].
  const [pxI, pxJ] = [ps[1], ps[0]];
  const offsets: Array<[number, number]> = [];
  let sheared = false;
  let shearDeg = 0;
  for (let k = 0; k < n; k++) {
    const d = sub(positions[order[k]], first);
    if (Math.abs(dot(d, normal) - k * spacingZ) > MAX_GRID_DEVIATION * spacingZ) return null;
    const off: [number, number] = [dot(d, row) / pxI, dot(d, col) / pxJ];
    if (Math.abs(off[0]) > NO_SHEAR_PX || Math.abs(off[1]) > NO_SHEAR_PX) sheared = true;
    offsets.push(off);
    if (k > 0) {
      const sideMm = Math.hypot((off[0] - offsets[k - 1][0]) * pxI, (off[1] - offsets[k - 1][1]) * pxJ);
      shearDeg = Math.max(shearDeg, Math.atan2(sideMm, spacingZ) * DEG_PER_RAD);
    }
  }
  const direction: RegularGrid['direction'] = [row[0], row[1], row[2], col[0], col[1], col[2], normal[0], normal[1], normal[2]];
  const base = { spacing: [pxI, pxJ, spacingZ] as [number, number, number], direction, order, source: { columns, rows } };
  if (!sheared) return { ...base, dimensions: [columns, rows, n], origin: first, shiftsPx: null, shearDeg: 0 };

  const minI = Math.floor(Math.min(...offsets.map((x) => x[0])));
  const minJ = Math.floor(Math.min(...offsets.map((x) => x[1])));
  const maxI = Math.ceil(Math.max(...offsets.map((x) => x[0])));
  const maxJ = Math.ceil(Math.max(...offsets.map((x) => x[1])));
  const nx = columns + (maxI - minI);
  const ny = rows + (maxJ - minJ);
  if (nx > MAX_WIDENING * columns || ny > MAX_WIDENING * rows) return null;
  const origin: Vec3 = [0, 1, 2].map((a) => first[a] + minI * pxI * row[a] + minJ * pxJ * col[a]) as Vec3;
  return {
    ...base,
    dimensions: [nx, ny, n],
    origin,
    shiftsPx: offsets.map(([i, j]) => [i - minI, j - minJ]),
    shearDeg,
  };
}

/**
 * Writes one source slice (HU, `columns` × `rows`) onto grid slice `dst` (`nx` × `ny`), shifted
 * by (`shiftI`, `shiftJ`) pixels: dst(i, j) = src(i − shiftI, j − shiftJ), bilinear; `PAD_HU`
 * where the source does not reach. Values are rounded to whole HU (the grid is Int16).
 */
export function shiftSliceInPlane(
  src: ArrayLike<number>,
  columns: number,
  rows: number,
  dst: Int16Array,
  nx: number,
  ny: number,
  shiftI: number,
  shiftJ: number,
): void {
  // A shift is a whole-pixel part plus one fraction for the whole slice: the same two weights
  // on every pixel.
  const wholeI = Math.floor(shiftI);
  const wholeJ = Math.floor(shiftJ);
  const fi = shiftI - wholeI;
  const fj = shiftJ - wholeJ;
  for (let j = 0; j < ny; j++) {
    // Source row y = j − shiftJ lies between rows y0 = j − wholeJ − 1 (weight fj) and y0 + 1.
    const y1 = j - wholeJ;
    const y0 = y1 - 1;
    const in0 = y0 >= 0 && y0 < rows;
    const in1 = y1 >= 0 && y1 < rows;
    const out = j * nx;
    if (!in0 && !in1) {
      dst.fill(PAD_HU, out, out + nx);
      continue;
    }
    for (let i = 0; i < nx; i++) {
      const x1 = i - wholeI;
      const x0 = x1 - 1;
      const a = in0 && x0 >= 0 && x0 < columns ? src[y0 * columns + x0] : PAD_HU;
      const b = in0 && x1 >= 0 && x1 < columns ? src[y0 * columns + x1] : PAD_HU;
      const c = in1 && x0 >= 0 && x0 < columns ? src[y1 * columns + x0] : PAD_HU;
      const d = in1 && x1 >= 0 && x1 < columns ? src[y1 * columns + x1] : PAD_HU;
      const top = a * fi + b * (1 - fi);
      const bottom = c * fi + d * (1 - fi);
      dst[out + i] = Math.round(top * fj + bottom * (1 - fj));
    }
  }
}
