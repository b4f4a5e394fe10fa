import { add, angleBetweenLinesDeg, cross, dot, normalize, scale, sub, type Vec2, type Vec3 } from './vec';

/** A bone's long axis: a point on it and a unit direction (patient LPS, mm). */
export interface BoneAxis {
  point: Vec3;
  direction: Vec3;
}

/**
 * A plane with an orthonormal in-plane basis: world = origin + x*u + y*v; normal = u × v.
 * Plane coordinates (x, y) are millimetres, so areas and lengths computed in them are true.
 */
export interface PlaneFrame {
  origin: Vec3;
  normal: Vec3;
  u: Vec3;
  v: Vec3;
}

/** The scanner's z axis (patient superior–inferior), the bone axis when none was defined. */
export const SCANNER_Z_AXIS: Vec3 = [0, 0, 1];

/**
 * An orthonormal in-plane basis for a plane with this normal. `u` is the projection of
 * `preferredU` (default patient x, else y) into the plane, so that a cross-section of a bone
 * lying along the table has u = x, v = y like the scanner's axial slice.
 */
export function planeFrame(origin: Vec3, normal: Vec3, preferredU: Vec3 = [1, 0, 0]): PlaneFrame | null {
  const n = normalize(normal);
  if (!n) return null;
  const tryU = (cand: Vec3) => normalize(sub(cand, scale(n, dot(cand, n))));
  let u = tryU(preferredU);
  if (!u || Math.abs(dot(normalize(preferredU) ?? preferredU, n)) > 0.99) u = tryU([0, 1, 0]) ?? tryU([1, 0, 0]);
  if (!u) return null;
  const v = cross(n, u);
  return { origin, normal: n, u, v };
}

/**
 * The cross-section of a bone at a given distance along its axis: the plane perpendicular to
 * the axis (clinical-rules §1 "cross-section"), with an in-plane basis.
 */
export function crossSectionPlane(axis: BoneAxis, distanceMm = 0): PlaneFrame | null {
  const d = normalize(axis.direction);
  if (!d) return null;
  return planeFrame(add(axis.point, scale(d, distanceMm)), d);
}

/** Cross-section through the axis point nearest to `p`. */
export function crossSectionThrough(axis: BoneAxis, p: Vec3): PlaneFrame | null {
  const d = normalize(axis.direction);
  if (!d) return null;
  return crossSectionPlane({ point: axis.point, direction: d }, dot(sub(p, axis.point), d));
}

export function worldToPlane(frame: PlaneFrame, p: Vec3): Vec2 {
  const r = sub(p, frame.origin);
  return [dot(r, frame.u), dot(r, frame.v)];
}

export function planeToWorld(frame: PlaneFrame, q: Vec2): Vec3 {
  return add(frame.origin, add(scale(frame.u, q[0]), scale(frame.v, q[1])));
}

/** Signed distance of `p` from the plane along its normal (mm). */
export function distanceFromPlane(frame: PlaneFrame, p: Vec3): number {
  return dot(sub(p, frame.origin), frame.normal);
}

/** Where the axis line crosses the plane; null when the axis lies parallel to it. */
export function axisPlaneIntersection(axis: BoneAxis, frame: PlaneFrame): Vec3 | null {
  const d = normalize(axis.direction);
  if (!d) return null;
  const denom = dot(d, frame.normal);
  if (Math.abs(denom) < 1e-9) return null;
  const t = dot(sub(frame.origin, axis.point), frame.normal) / denom;
  return add(axis.point, scale(d, t));
}

/**
 * How far a plane is from containing the bone axis, in degrees (0 = the axis lies in the
 * plane: a reformat "along the bone"; 90 = a cross-section).
 */
export function planeAxisAngleDeg(planeNormal: Vec3, axisDirection: Vec3): number {
  return 90 - angleBetweenLinesDeg(planeNormal, axisDirection);
}
