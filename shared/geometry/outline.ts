import { RAD_PER_DEG, type Vec2 } from './vec';

/**
 * A closed outline of the bone in a cross-section's plane coordinates (mm): an ellipse
 * (semi-axes along its own rotated x / y) or a polygon contour (vertices in order).
 */
export type Outline =
  | { kind: 'ellipse'; centre: Vec2; semiAxisXMm: number; semiAxisYMm: number; rotationDeg: number }
  | { kind: 'polygon'; points: readonly Vec2[] };

export function ellipse(centre: Vec2, semiAxisXMm: number, semiAxisYMm: number, rotationDeg = 0): Outline {
  return { kind: 'ellipse', centre, semiAxisXMm, semiAxisYMm, rotationDeg };
}

/** Area enclosed by the outline (mm²): π·a·b for an ellipse, the shoelace formula for a polygon. */
export function outlineAreaMm2(o: Outline): number {
  if (o.kind === 'ellipse') return Math.PI * Math.abs(o.semiAxisXMm * o.semiAxisYMm);
  let s = 0;
  const p = o.points;
  for (let i = 0; i < p.length; i++) {
    const a = p[i];
    const b = p[(i + 1) % p.length];
    s += a[0] * b[1] - b[0] * a[1];
  }
  return Math.abs(s) / 2;
}

function toEllipseFrame(o: Extract<Outline, { kind: 'ellipse' }>, q: Vec2): Vec2 {
  const c = Math.cos(-o.rotationDeg * RAD_PER_DEG);
  const s = Math.sin(-o.rotationDeg * RAD_PER_DEG);
  const dx = q[0] - o.centre[0];
  const dy = q[1] - o.centre[1];
  return [c * dx - s * dy, s * dx + c * dy];
}

export function outlineContains(o: Outline, q: Vec2): boolean {
  if (o.kind === 'ellipse') {
    const [x, y] = toEllipseFrame(o, q);
    return (x / o.semiAxisXMm) ** 2 + (y / o.semiAxisYMm) ** 2 <= 1;
  }
  // Even–odd ray casting.
  let inside = false;
  const p = o.points;
  for (let i = 0, j = p.length - 1; i < p.length; j = i++) {
    const [xi, yi] = p[i];
    const [xj, yj] = p[j];
    if (yi > q[1] !== yj > q[1] && q[0] < ((xj - xi) * (q[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Distance (mm) from `from` to the outline along the ray at `angleDeg` (plane coordinates);
 * the farthest crossing, so a slightly non-convex contour still gives its outer boundary.
 * NaN when the ray misses (the point is outside).
 */
export function rayToOutlineMm(o: Outline, from: Vec2, angleDeg: number): number {
  const dx = Math.cos(angleDeg * RAD_PER_DEG);
  const dy = Math.sin(angleDeg * RAD_PER_DEG);
  if (o.kind === 'ellipse') {
    const r = o.rotationDeg * RAD_PER_DEG;
    const [px, py] = toEllipseFrame(o, from);
    const ex = Math.cos(-r) * dx - Math.sin(-r) * dy;
    const ey = Math.sin(-r) * dx + Math.cos(-r) * dy;
    const a2 = o.semiAxisXMm ** 2;
    const b2 = o.semiAxisYMm ** 2;
    const A = (ex * ex) / a2 + (ey * ey) / b2;
    const B = 2 * ((px * ex) / a2 + (py * ey) / b2);
    const C = (px * px) / a2 + (py * py) / b2 - 1;
    const disc = B * B - 4 * A * C;
    if (disc < 0) return Number.NaN;
    const t = (-B + Math.sqrt(disc)) / (2 * A);
    return t >= 0 ? t : Number.NaN;
  }
  let best = Number.NaN;
  const p = o.points;
  for (let i = 0; i < p.length; i++) {
    const a = p[i];
    const b = p[(i + 1) % p.length];
    const sx = b[0] - a[0];
    const sy = b[1] - a[1];
    const den = dx * sy - dy * sx;
    if (Math.abs(den) < 1e-12) continue;
    const wx = a[0] - from[0];
    const wy = a[1] - from[1];
    const t = (wx * sy - wy * sx) / den;
    const s = (wx * dy - wy * dx) / den;
    if (t >= 0 && s >= 0 && s <= 1 && !(t <= best)) best = t;
  }
  return best;
}

/** Axis-aligned bounding box [minX, minY, maxX, maxY] of the outline. */
export function outlineBounds(o: Outline): [number, number, number, number] {
  if (o.kind === 'ellipse') {
    const r = o.rotationDeg * RAD_PER_DEG;
    const hx = Math.hypot(o.semiAxisXMm * Math.cos(r), o.semiAxisYMm * Math.sin(r));
    const hy = Math.hypot(o.semiAxisXMm * Math.sin(r), o.semiAxisYMm * Math.cos(r));
    return [o.centre[0] - hx, o.centre[1] - hy, o.centre[0] + hx, o.centre[1] + hy];
  }
  const xs = o.points.map((p) => p[0]);
  const ys = o.points.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** A representative centre: the ellipse centre, or the polygon's area centroid. */
export function outlineCentre(o: Outline): Vec2 {
  if (o.kind === 'ellipse') return o.centre;
  let a = 0;
  let cx = 0;
  let cy = 0;
  const p = o.points;
  for (let i = 0; i < p.length; i++) {
    const [x0, y0] = p[i];
    const [x1, y1] = p[(i + 1) % p.length];
    const f = x0 * y1 - x1 * y0;
    a += f;
    cx += (x0 + x1) * f;
    cy += (y0 + y1) * f;
  }
  if (Math.abs(a) < 1e-12) return p[0] ?? [0, 0];
  return [cx / (3 * a), cy / (3 * a)];
}
