import { angleBetweenLinesDeg, distance, dot, normalize, sub, type Vec3 } from './vec';
import { planeAxisAngleDeg } from './plane';

/**
 * How far (degrees) a drawn length may lean off the bone axis, or its plane off the axis,
 * before the tool warns that it is not measuring along the bone. A line θ off the axis spans
 * only cos θ of its length along the bone: the error 1 − cos θ is 0.4 % at 5° but 1.5 % at
 * 10° (0.5 mm on a 30 mm lesion, right at the threshold of van der Linden's > 30 mm criterion).
 * A length along scanner z on the demo's 10°-tilted femur must warn, so the tolerance is 5°
 * (warn when strictly above), which keeps the error under 0.4 % (0.1 mm at 30 mm).
 */
export const ALONG_BONE_TOLERANCE_DEG = 5;

/** Which axis a length was checked against: the user's bone axis, or scanner z when none was defined. */
export type AxisSource = 'bone-axis' | 'scanner-z';

/**
 * Warnings an axial-length drawing carries (shown by the measurements panel, the on-image
 * label and the report): the line leans off the axis it was checked against, and/or no bone
 * axis was defined so it was checked against scanner z only — the user must check that the
 * line follows the bone.
 */
export const LENGTH_WARNING_CODES = ['NOT_ALONG_BONE', 'BONE_AXIS_NOT_DEFINED'] as const;
export type LengthWarningCode = (typeof LENGTH_WARNING_CODES)[number];

/** The warning codes of an axial-length drawing, most serious first (empty when none). */
export function lengthWarningCodes(d: { axisSource: AxisSource; notAlongBone: boolean }): LengthWarningCode[] {
  const codes: LengthWarningCode[] = [];
  if (d.notAlongBone) codes.push('NOT_ALONG_BONE');
  if (d.axisSource === 'scanner-z') codes.push('BONE_AXIS_NOT_DEFINED');
  return codes;
}

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

/**
 * The segment an along-axis length measures: the drawn line projected on the axis direction,
 * centred on the drawn line's midpoint, `lengthMm` long and pointing the way the line was drawn.
 * What an export writes as the coordinates of a value that is the along-axis component (so the
 * coordinates' distance is the value, and a viewer recomputing from the ends shows the same number).
 */
export function alongAxisSegment(p1: Vec3, p2: Vec3, axisDirection: Vec3, lengthMm: number): [Vec3, Vec3] {
  const d = normalize(axisDirection) ?? ([0, 0, 1] as Vec3);
  const sign = dot(sub(p2, p1), d) < 0 ? -1 : 1;
  const half = (sign * lengthMm) / 2;
  const mid: Vec3 = [(p1[0] + p2[0]) / 2, (p1[1] + p2[1]) / 2, (p1[2] + p2[2]) / 2];
  return [
    [mid[0] - d[0] * half, mid[1] - d[1] * half, mid[2] - d[2] * half],
    [mid[0] + d[0] * half, mid[1] + d[1] * half, mid[2] + d[2] * half],
  ];
}
