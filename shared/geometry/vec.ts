import type { Vec3 } from '../schemas/common';

export type { Vec3 };
/** A point or direction in a plane's own 2-D coordinates (millimetres). */
export type Vec2 = readonly [number, number];

export const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
export const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
export const norm = (a: Vec3): number => Math.hypot(a[0], a[1], a[2]);
export const distance = (a: Vec3, b: Vec3): number => norm(sub(a, b));

/** Unit vector along `a`; null for a (near) zero vector, which has no direction. */
export function normalize(a: Vec3): Vec3 | null {
  const n = norm(a);
  return n < 1e-12 ? null : scale(a, 1 / n);
}

export const RAD_PER_DEG = Math.PI / 180;
export const DEG_PER_RAD = 180 / Math.PI;

/** Angle between two directions in degrees, 0–180; NaN when either is a zero vector. */
export function angleBetweenDeg(a: Vec3, b: Vec3): number {
  const na = norm(a);
  const nb = norm(b);
  if (na < 1e-12 || nb < 1e-12) return Number.NaN;
  const c = Math.min(1, Math.max(-1, dot(a, b) / (na * nb)));
  return Math.acos(c) * DEG_PER_RAD;
}

/** Angle between two undirected lines (a line and its reverse are the same line), 0–90°. */
export function angleBetweenLinesDeg(a: Vec3, b: Vec3): number {
  const d = angleBetweenDeg(a, b);
  return d > 90 ? 180 - d : d;
}
