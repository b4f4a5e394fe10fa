/**
 * Geometry of planar RT contours: their plane, point-in-structure, and where a contour crosses an
 * arbitrary view plane (sagittal, coronal, oblique reformats). Contours are closed polygons on the
 * acquisition slices; a reformat sees each of them as the segments of the line where the view
 * plane cuts the contour's plane that lie inside the polygon (even–odd rule, so holes work).
 */
import type { Vec3 } from '../schemas/common';
import type { RtRoi } from '../schemas/rt';
import { cross, dot, scale } from '../geometry/vec';


/** Position of a flat contour along `normalUnit` (mean) and how far its points spread from it. */
export function contourPlane(pointsMm: number[], normalUnit: Vec3): { positionMm: number; spreadMm: number } {
  const n = pointsMm.length / 3;
  let lo = Infinity;
  let hi = -Infinity;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = pointsMm[3 * i] * normalUnit[0] + pointsMm[3 * i + 1] * normalUnit[1] + pointsMm[3 * i + 2] * normalUnit[2];
    sum += d;
    if (d < lo) lo = d;
    if (d > hi) hi = d;
  }
  return { positionMm: n ? sum / n : Number.NaN, spreadMm: n ? hi - lo : 0 };
}

/** An in-plane frame (e1, e2) for a unit normal, for 2-D point-in-polygon tests. */
export function inPlaneFrame(normalUnit: Vec3): { e1: Vec3; e2: Vec3 } {
  const helper: Vec3 = Math.abs(normalUnit[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const e1raw = cross(helper, normalUnit);
  const e1 = scale(e1raw, 1 / Math.hypot(...e1raw));
  return { e1, e2: cross(normalUnit, e1) };
}

/** Even–odd test of (x, y) against a polygon given as flat 2-D coordinates. */
export function insidePolygon2d(xy: number[], x: number, y: number): boolean {
  let inside = false;
  const n = xy.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = xy[2 * i];
    const yi = xy[2 * i + 1];
    const xj = xy[2 * j];
    const yj = xy[2 * j + 1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * An ROI prepared for point queries: its closed contours grouped by plane (along the slice
 * normal), each projected to 2-D once.
 */
export interface RoiSolid {
  normal: Vec3;
  e1: Vec3;
  e2: Vec3;
  /** Plane positions sorted, with the contours (2-D) on each. */
  planes: Array<{ positionMm: number; polygons: number[][] }>;
  /** Half the thickness each contour stands for along the normal (half the contour spacing). */
  halfSlabMm: number;
}

/**
 * Groups an ROI's closed contours by plane. `sliceSpacingMm` gives the slab of a lone contour
 * plane; otherwise half the median gap between the ROI's planes is used (a contour stands for
 * the slice it was drawn on, as planning systems voxelise it).
 */
export function roiSolid(roi: RtRoi, normalUnit: Vec3, sliceSpacingMm: number): RoiSolid {
  const { e1, e2 } = inPlaneFrame(normalUnit);
  const byPlane = new Map<number, number[][]>();
  for (const c of roi.contours) {
    if (c.geometricType !== 'CLOSED_PLANAR' || c.pointsMm.length < 9) continue;
    const key = Math.round(contourPlane(c.pointsMm, normalUnit).positionMm * 100) / 100;
    const xy: number[] = [];
    for (let i = 0; i < c.pointsMm.length; i += 3) {
      const p: Vec3 = [c.pointsMm[i], c.pointsMm[i + 1], c.pointsMm[i + 2]];
      xy.push(dot(p, e1), dot(p, e2));
    }
    const list = byPlane.get(key) ?? [];
    list.push(xy);
    byPlane.set(key, list);
  }
  const planes = [...byPlane.entries()].map(([positionMm, polygons]) => ({ positionMm, polygons })).sort((a, b) => a.positionMm - b.positionMm);
  const gaps = planes.slice(1).map((p, i) => p.positionMm - planes[i].positionMm).sort((a, b) => a - b);
  const gap = gaps.length ? gaps[gaps.length >> 1] : sliceSpacingMm;
  return { normal: normalUnit, e1, e2, planes, halfSlabMm: gap / 2 };
}

/** Is the point inside the structure (inside a contour of the nearest contour plane, within its slab)? */
export function insideRoi(solid: RoiSolid, p: Vec3): boolean {
  if (solid.planes.length === 0) return false;
  const h = dot(p, solid.normal);
  let best = solid.planes[0];
  for (const pl of solid.planes) if (Math.abs(pl.positionMm - h) < Math.abs(best.positionMm - h)) best = pl;
  // A hair beyond half the gap still counts, so points exactly between two planes are not lost.
  if (Math.abs(best.positionMm - h) > solid.halfSlabMm + 1e-6) return false;
  const x = dot(p, solid.e1);
  const y = dot(p, solid.e2);
  let inside = false;
  for (const poly of best.polygons) if (insidePolygon2d(poly, x, y)) inside = !inside;
  return inside;
}

export interface ViewPlane {
  origin: Vec3;
  /** Unit normal. */
  normal: Vec3;
}

/**
 * Where one contour meets a view plane, in world mm: the whole closed polygon when the contour
 * lies in the plane (within `inPlaneToleranceMm`), otherwise the segments of the intersection line
 * inside the polygon (for open contours: the crossing points, as zero-length segments).
 */
export function contourOnPlane(pointsMm: number[], closed: boolean, plane: ViewPlane, inPlaneToleranceMm: number): { polygon: Vec3[] | null; segments: Array<[Vec3, Vec3]> } {
  const n = pointsMm.length / 3;
  const pts: Vec3[] = [];
  const dist: number[] = [];
  for (let i = 0; i < n; i++) {
    const p: Vec3 = [pointsMm[3 * i], pointsMm[3 * i + 1], pointsMm[3 * i + 2]];
    pts.push(p);
    dist.push(dot([p[0] - plane.origin[0], p[1] - plane.origin[1], p[2] - plane.origin[2]], plane.normal));
  }
  if (dist.every((d) => Math.abs(d) <= inPlaneToleranceMm)) return { polygon: pts, segments: [] };
  const crossings: Vec3[] = [];
  const edges = closed ? n : n - 1;
  for (let i = 0; i < edges; i++) {
    const j = (i + 1) % n;
    const a = dist[i];
    const b = dist[j];
    // Half-open rule (a ≥ 0 > b or b ≥ 0 > a) counts a vertex on the plane once.
    if ((a >= 0 && b < 0) || (b >= 0 && a < 0)) {
      const t = a / (a - b);
      crossings.push([pts[i][0] + t * (pts[j][0] - pts[i][0]), pts[i][1] + t * (pts[j][1] - pts[i][1]), pts[i][2] + t * (pts[j][2] - pts[i][2])]);
    }
  }
  if (!closed) return { polygon: null, segments: crossings.map((c) => [c, c]) };
  if (crossings.length < 2) return { polygon: null, segments: [] };
  // All crossings lie on one line (the two planes meet in a line): order them along it and pair them.
  const dir: Vec3 = [crossings[1][0] - crossings[0][0], crossings[1][1] - crossings[0][1], crossings[1][2] - crossings[0][2]];
  let far = crossings[1];
  for (const c of crossings) {
    const d: Vec3 = [c[0] - crossings[0][0], c[1] - crossings[0][1], c[2] - crossings[0][2]];
    if (Math.hypot(...d) > Math.hypot(far[0] - crossings[0][0], far[1] - crossings[0][1], far[2] - crossings[0][2])) far = c;
  }
  const line: Vec3 = Math.hypot(...dir) > 0 ? [far[0] - crossings[0][0], far[1] - crossings[0][1], far[2] - crossings[0][2]] : dir;
  crossings.sort((p, q) => dot(p, line) - dot(q, line));
  const segments: Array<[Vec3, Vec3]> = [];
  for (let i = 0; i + 1 < crossings.length; i += 2) segments.push([crossings[i], crossings[i + 1]]);
  return { polygon: null, segments };
}

/**
 * A structure's outline on a reformat (sagittal, coronal, oblique: a view plane that crosses the
 * contour planes). Each contour plane the view crosses gives chords (contourOnPlane); drawing them
 * all makes a dense striped block. Instead the ends of the chords of consecutive contour planes
 * are joined (each chord to the nearest overlapping chord of the next plane, along the common line
 * direction, start to start and end to end), and a chord is drawn only where the outline closes:
 * on the first and last plane of a run, or where a chord has no partner (a structure cut on a
 * single plane keeps its chord). Planes more than 1.5 median gaps apart are not joined (a gap in
 * the structure). Contours not on the slice planes (or without `sliceNormal`) keep their chords;
 * open contours their crossing points (zero-length segments); a contour lying in the view plane
 * its polygon.
 */
export function reformatOutline(
  contours: Array<{ pointsMm: number[]; closed: boolean }>,
  sliceNormal: Vec3 | null,
  plane: ViewPlane,
  inPlaneToleranceMm = 1e-3,
  planeToleranceMm = 0.1,
): { polygons: Vec3[][]; segments: Array<[Vec3, Vec3]> } {
  const polygons: Vec3[][] = [];
  const segments: Array<[Vec3, Vec3]> = [];
  const line: Vec3 | null = sliceNormal ? cross(plane.normal, sliceNormal) : null;
  const lineLen = line ? Math.hypot(...line) : 0;
  const along: Vec3 | null = line && lineLen > 1e-6 ? [line[0] / lineLen, line[1] / lineLen, line[2] / lineLen] : null;
  // Chords of closed contours that lie on a slice plane, by plane position (rounded as roiSolid does).
  const byPlane = new Map<number, Array<{ a: Vec3; b: Vec3; s: number; e: number }>>();
  const planePositions = new Set<number>();
  for (const c of contours) {
    const cut = contourOnPlane(c.pointsMm, c.closed, plane, inPlaneToleranceMm);
    if (cut.polygon) {
      polygons.push(cut.polygon);
      continue;
    }
    const flat = c.closed && sliceNormal && along ? contourPlane(c.pointsMm, sliceNormal) : null;
    if (!flat || flat.spreadMm > planeToleranceMm || c.pointsMm.length < 9) {
      segments.push(...cut.segments);
      continue;
    }
    const key = Math.round(flat.positionMm * 100) / 100;
    planePositions.add(key);
    const list = byPlane.get(key) ?? [];
    for (const [p, q] of cut.segments) {
      const sp = dot(p, along!);
      const sq = dot(q, along!);
      list.push(sp <= sq ? { a: p, b: q, s: sp, e: sq } : { a: q, b: p, s: sq, e: sp });
    }
    byPlane.set(key, list);
  }
  const positions = [...planePositions].sort((x, y) => x - y);
  const gaps = positions.slice(1).map((p, i) => p - positions[i]).sort((x, y) => x - y);
  const maxGap = gaps.length ? 1.5 * gaps[gaps.length >> 1] : 0;
  const chordsAt = positions.map((p) => byPlane.get(p) ?? []);
  // linkedBelow[k][i] / linkedAbove[k][i]: chord i of plane k is joined to the plane before / after.
  const linkedBelow = chordsAt.map((cs) => cs.map(() => false));
  const linkedAbove = chordsAt.map((cs) => cs.map(() => false));
  for (let k = 0; k + 1 < positions.length; k++) {
    if (positions[k + 1] - positions[k] > maxGap + 1e-6) continue;
    const pairs: Array<{ i: number; j: number; cost: number }> = [];
    chordsAt[k].forEach((c, i) =>
      chordsAt[k + 1].forEach((d, j) => {
        // Partners overlap along the line (a hair of slack for chords that only touch).
        if (Math.min(c.e, d.e) - Math.max(c.s, d.s) < -1e-3) return;
        pairs.push({ i, j, cost: Math.abs(c.s - d.s) + Math.abs(c.e - d.e) });
      }),
    );
    pairs.sort((x, y) => x.cost - y.cost);
    for (const { i, j } of pairs) {
      if (linkedAbove[k][i] || linkedBelow[k + 1][j]) continue;
      linkedAbove[k][i] = true;
      linkedBelow[k + 1][j] = true;
      const c = chordsAt[k][i];
      const d = chordsAt[k + 1][j];
      segments.push([c.a, d.a], [c.b, d.b]);
    }
  }
  // Where the outline closes (first / last plane of a run, a chord without partner): the chord itself.
  chordsAt.forEach((cs, k) => cs.forEach((c, i) => {
    if (!linkedBelow[k][i] || !linkedAbove[k][i]) segments.push([c.a, c.b]);
  }));
  return { polygons, segments };
}
