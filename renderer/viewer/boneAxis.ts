import type { Vec3 } from '../../shared/schemas/common';
import { add, cross, dot, norm, scale, sub } from '../../shared/geometry/vec';

/**
 * The bone's long axis as the user defined it (two points clicked along the bone on a
 * sagittal / coronal view), and the camera orientations of the two oblique reformats it gives.
 * Pure maths in patient coordinates (DICOM LPS, mm): x → patient Left, y → Posterior,
 * z → Superior.
 */
export interface BoneAxis {
  /** The two points clicked, LPS mm. */
  p1Mm: Vec3;
  p2Mm: Vec3;
  /** Unit vector from p1 to p2 flipped to point superior (+z) — a stable sign for display. */
  direction: Vec3;
  /** Normal of the view the axis was drawn on (used to orient the along-axis view). */
  drawnOnNormal: Vec3;
}

/** Clicks closer than this cannot define a direction reliably (pixel ~0.5–1 mm). */
export const MIN_AXIS_LENGTH_MM = 5;

// Vector helpers are the shared geometry's; re-exported for the viewer's other modules.
export { add, cross, dot, norm, scale, sub };
export function normalize(a: Vec3): Vec3 {
  const n = norm(a);
  return n === 0 ? [0, 0, 0] : scale(a, 1 / n);
}

/** `v` with its component along unit vector `u` removed, normalised; null when parallel. */
function perpendicularPart(v: Vec3, u: Vec3): Vec3 | null {
  const p = sub(v, scale(u, dot(v, u)));
  return norm(p) < 1e-6 ? null : normalize(p);
}

export function makeBoneAxis(p1Mm: Vec3, p2Mm: Vec3, drawnOnNormal: Vec3): BoneAxis | null {
  const d = sub(p2Mm, p1Mm);
  if (norm(d) < MIN_AXIS_LENGTH_MM) return null;
  let direction = normalize(d);
  if (direction[2] < 0) direction = scale(direction, -1);
  return { p1Mm, p2Mm, direction, drawnOnNormal: normalize(drawnOnNormal) };
}

export const axisLengthMm = (axis: BoneAxis): number => norm(sub(axis.p2Mm, axis.p1Mm));
export const axisMidpoint = (axis: BoneAxis): Vec3 => scale(add(axis.p1Mm, axis.p2Mm), 0.5);

export interface CameraOrientation {
  /** Points from the focal point towards the camera (Cornerstone convention). */
  viewPlaneNormal: Vec3;
  viewUp: Vec3;
}

const ANTERIOR: Vec3 = [0, -1, 0];
const SUPERIOR: Vec3 = [0, 0, 1];
const LEFT: Vec3 = [1, 0, 0];

/**
 * The true cross-section: plane perpendicular to the axis, displayed like an axial slice
 * (looking from the feet, anterior up — Cornerstone's axial camera is normal [0,0,−1], up
 * [0,−1,0]), so a bone along z gives exactly the axial view.
 */
export function crossSectionOrientation(axis: BoneAxis): CameraOrientation {
  const viewPlaneNormal = scale(axis.direction, -1);
  const viewUp = perpendicularPart(ANTERIOR, axis.direction) ?? perpendicularPart(SUPERIOR, axis.direction)!;
  return { viewPlaneNormal, viewUp };
}

/**
 * The plane containing the axis: the view the axis was drawn on, tilted just enough to contain
 * the axis exactly, with the axis vertical (superior up) like a coronal / sagittal view.
 */
export function alongAxisOrientation(axis: BoneAxis): CameraOrientation {
  const viewPlaneNormal =
    perpendicularPart(axis.drawnOnNormal, axis.direction) ??
    perpendicularPart(ANTERIOR, axis.direction) ??
    perpendicularPart(LEFT, axis.direction)!;
  return { viewPlaneNormal, viewUp: axis.direction };
}

/** Angle in degrees between a direction and the bone axis (0 = along the bone), 0–90. */
export function angleToAxisDeg(direction: Vec3, axis: BoneAxis): number {
  const n = norm(direction);
  if (n === 0) return 0;
  const c = Math.min(1, Math.abs(dot(direction, axis.direction)) / n);
  return (Math.acos(c) * 180) / Math.PI;
}

/**
 * Refining the axis by dragging a handle on a view (issue 14): the handle moves within that view's
 * plane only (its depth along the view normal is kept), so the axis can be set in two planes - on
 * the coronal view for its left-right tilt, then on the sagittal for its front-back tilt - without
 * one view undoing the other. `handle` 'both' moves the whole axis (the cross-section, where the
 * axis is seen end-on: re-centring it on the canal).
 */
export function dragAxisHandle(axis: BoneAxis, handle: 'p1' | 'p2' | 'both', from: Vec3, to: Vec3, viewNormal: Vec3): BoneAxis | null {
  const n = normalize(viewNormal);
  const d = sub(to, from);
  const inPlane = sub(d, scale(n, d[0] * n[0] + d[1] * n[1] + d[2] * n[2]));
  const p1 = handle === 'p2' ? axis.p1Mm : add(axis.p1Mm, inPlane);
  const p2 = handle === 'p1' ? axis.p2Mm : add(axis.p2Mm, inPlane);
  return makeBoneAxis(p1, p2, axis.drawnOnNormal);
}
