import { angleBetweenLinesDeg, distance, dot, normalize, sub, type Vec3 } from './vec';
import { planeAxisAngleDeg } from './plane';

/**
 * How far (degrees) a drawn length may lean off the bone axis, or its plane off the axis,
 * before the tool warns that it is not measuring along the bone. 10° keeps the cosine error
 * under 1.5 % (cos 10° = 0.985), below the 1 mm / one-slice tolerance of clinical-rules §1
 * for lesions up to ~60 mm.
 */
export const ALONG_BONE_TOLERANCE_DEG = 10;

/** Length of the segment's projection on the bone axis (mm): the axial extent it spans. */
export function lengthAlongAxisMm(p1: Vec3, p2: Vec3, axisDirection: Vec3): number {
  const d = normalize(axisDirection);
  if (!d) return Number.NaN;
  return Math.abs(dot(sub(p2, p1), d));
}

export interface AlongBoneCheck {
  /** Euclidean length of the drawn segment (mm). */
  lengthMm: number;
  /** Its projection on the bone axis (mm). */
  axialLengthMm: number;
  /** Angle between the drawn line and the axis, 0–90°. */
  lineAxisAngleDeg: number;
  /** Angle between the drawing plane and the axis, 0–90° (0 = plane contains the axis); null if unknown. */
  planeAxisAngleDeg: number | null;
  /** True when the line or its plane leans off the axis by more than the tolerance. */
  notAlongBone: boolean;
}

/** Everything the axial-length tool needs to label a drawn line and warn when it is off-axis. */
export function checkAlongBone(p1: Vec3, p2: Vec3, axisDirection: Vec3, planeNormal?: Vec3): AlongBoneCheck {
  const lengthMm = distance(p1, p2);
  const lineAxisAngleDeg = lengthMm > 0 ? angleBetweenLinesDeg(sub(p2, p1), axisDirection) : 0;
  const planeAngle = planeNormal ? planeAxisAngleDeg(planeNormal, axisDirection) : null;
  return {
    lengthMm,
    axialLengthMm: lengthAlongAxisMm(p1, p2, axisDirection),
    lineAxisAngleDeg,
    planeAxisAngleDeg: planeAngle,
    notAlongBone:
      lineAxisAngleDeg > ALONG_BONE_TOLERANCE_DEG || (planeAngle !== null && planeAngle > ALONG_BONE_TOLERANCE_DEG),
  };
}
