import type { Vec3 } from '../schemas/common';

export interface Circle {
  cx: number;
  cy: number;
  radius: number;
  /** Root-mean-square radial residual of the points kept (mm). */
  rmsMm: number;
  /** Points kept after outlier rejection. */
  inliers: number;
}

/** Algebraic (Kåsa) least-squares circle through points (x[i], y[i]) where use[i]. */
export function fitCircleLeastSquares(x: ArrayLike<number>, y: ArrayLike<number>, use?: ArrayLike<boolean>): Circle | null {
  // Solve [x y 1]·[a b c]ᵀ = x²+y² in least squares; centre (a/2, b/2), r² = c + cx² + cy².
  let n = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < x.length; i++) {
    if (use && !use[i]) continue;
    mx += x[i];
    my += y[i];
    n++;
  }
  if (n < 3) return null;
  mx /= n;
  my /= n;
  let suu = 0;
  let svv = 0;
  let suv = 0;
  let suuu = 0;
  let svvv = 0;
  let suvv = 0;
  let svuu = 0;
  for (let i = 0; i < x.length; i++) {
    if (use && !use[i]) continue;
    const u = x[i] - mx;
    const v = y[i] - my;
    suu += u * u;
    svv += v * v;
    suv += u * v;
    suuu += u * u * u;
    svvv += v * v * v;
    suvv += u * v * v;
    svuu += v * u * u;
  }
  const det = suu * svv - suv * suv;
  if (Math.abs(det) < 1e-12) return null;
  const r1 = (suuu + suvv) / 2;
  const r2 = (svvv + svuu) / 2;
  const uc = (r1 * svv - r2 * suv) / det;
  const vc = (r2 * suu - r1 * suv) / det;
  const radius = Math.sqrt(uc * uc + vc * vc + (suu + svv) / n);
  const cx = uc + mx;
  const cy = vc + my;
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    if (use && !use[i]) continue;
    const e = Math.hypot(x[i] - cx, y[i] - cy) - radius;
    ss += e * e;
  }
  return { cx, cy, radius, rmsMm: Math.sqrt(ss / n), inliers: n };
}

/**
 * Circle fit that ignores outliers (a lesion's missing or displaced edge, a neighbouring bone):
 * refit after dropping points whose residual exceeds max(minToleranceMm, 2.5 × the median
 * absolute residual), a few rounds.
 */
export function fitCircleRobust(x: ArrayLike<number>, y: ArrayLike<number>, minToleranceMm = 0.75, rounds = 4): Circle | null {
  const use = new Array<boolean>(x.length).fill(true);
  let c = fitCircleLeastSquares(x, y, use);
  for (let r = 0; r < rounds && c; r++) {
    const res: number[] = [];
    for (let i = 0; i < x.length; i++) res.push(Math.abs(Math.hypot(x[i] - c.cx, y[i] - c.cy) - c.radius));
    const kept = res.filter((_, i) => use[i]).sort((a, b) => a - b);
    const mad = kept[Math.floor(kept.length / 2)] ?? 0;
    const tol = Math.max(minToleranceMm, 2.5 * mad);
    let changed = false;
    for (let i = 0; i < x.length; i++) {
      const keep = res[i] <= tol;
      if (keep !== use[i]) changed = true;
      use[i] = keep;
    }
    if (!changed) break;
    const next = fitCircleLeastSquares(x, y, use);
    if (!next) break;
    c = next;
  }
  return c;
}

/** Principal direction of 3-D points (least-squares line), through their weighted mean. */
export function fitLine(points: Vec3[], weights?: number[]): { point: Vec3; direction: Vec3 } | null {
  if (points.length < 2) return null;
  let wsum = 0;
  const m: Vec3 = [0, 0, 0];
  points.forEach((p, i) => {
    const w = weights?.[i] ?? 1;
    wsum += w;
    for (let a = 0; a < 3; a++) m[a] += w * p[a];
  });
  for (let a = 0; a < 3; a++) m[a] /= wsum;
  const c = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  points.forEach((p, i) => {
    const w = weights?.[i] ?? 1;
    const d = [p[0] - m[0], p[1] - m[1], p[2] - m[2]];
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) c[3 * a + b] += w * d[a] * d[b];
  });
  // Power iteration for the largest eigenvector, starting from the largest-variance axis.
  let v: Vec3 = c[0] >= c[4] && c[0] >= c[8] ? [1, 0, 0] : c[4] >= c[8] ? [0, 1, 0] : [0, 0, 1];
  for (let it = 0; it < 100; it++) {
    const nv: Vec3 = [
      c[0] * v[0] + c[1] * v[1] + c[2] * v[2],
      c[3] * v[0] + c[4] * v[1] + c[5] * v[2],
      c[6] * v[0] + c[7] * v[1] + c[8] * v[2],
    ];
    const n = Math.hypot(nv[0], nv[1], nv[2]);
    if (n < 1e-15) return null;
    const next: Vec3 = [nv[0] / n, nv[1] / n, nv[2] / n];
    const delta = Math.abs(1 - Math.abs(next[0] * v[0] + next[1] * v[1] + next[2] * v[2]));
    v = next;
    if (delta < 1e-14) break;
  }
  return { point: m, direction: v };
}

/** q-quantile (0–1) of the finite values in a[0..n), sorting the scratch buffer in place. */
export function quantileInPlace(a: Float64Array, n: number, q: number): number {
  if (n <= 0) return Number.NaN;
  const s = a.subarray(0, n).sort();
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
