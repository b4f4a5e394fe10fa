import { quantileInPlace } from './fit';
import { ANALYSIS_PARAMETERS as P } from './parameters';
import type { WallGrid } from './walls';

/**
 * The intact bone at every position and angle: what the wall would be there without the lesion.
 *
 * Per angle, the wall sections within ± referenceHalfWindowMm give the periosteal radius and the
 * wall thickness. A lesion only removes bone, so it cannot pull a high quantile of the thickness
 * (where it covers less than referenceThicknessQuantile of the window); but the bone's own shape
 * changes along the axis — the cortex thins and the bone flares toward a metaphysis, and at the
 * ends of the scan the window is one-sided — so a constant over the window would leave the trend
 * behind and call the thinner end "destroyed". The reference is therefore a line along the axis,
 * fitted to the sightings that agree with it: it starts at a robust constant (the median radius
 * near the section, the high-quantile thickness over the window), then a few times keeps the
 * sightings within a tolerance of the current line (for the thickness, only those not far *below*
 * it: lesions are thinner, never thicker) and refits the line by least squares, weighted by
 * distance (tricube) so that it stays local. Too few sightings of an angle: unknown, not guessed.
 */
export interface IntactReference {
  /** Intact [periosteal radius, wall thickness] (mm) at position t for 1° ray a of angleCount (bilinear); NaN where unknown. */
  at(tMm: number, a: number, angleCount: number): [number, number];
  /** Median intact thickness round the bone at position t (mm), or null. */
  medianThicknessAt(tMm: number): number | null;
}

/** Tolerances of the trend fit (mm, and as a share of the value). */
const FIT_ROUNDS = 5;
const RADIUS_TOLERANCE = { mm: 1, share: 0.1 };
const THICKNESS_TOLERANCE = { mm: 0.5, share: 0.2 };

export function intactReference(walls: WallGrid): IntactReference {
  const { sections: W, angles: AW, stepMm: wStep, firstMm } = walls;
  const refRp = new Float32Array(W * AW);
  const refW = new Float32Array(W * AW);
  const win = Math.max(1, Math.round(P.referenceHalfWindowMm / wStep));
  const ts = new Float64Array(2 * win + 1);
  const rs = new Float64Array(2 * win + 1);
  const ws = new Float64Array(2 * win + 1);
  const weights = new Float64Array(2 * win + 1);
  // The tricube weight depends only on a sighting's offset from the section: one table.
  const weightAtOffset = Float64Array.from({ length: 2 * win + 1 }, (_, k) => tricube((k - win) * wStep, P.referenceHalfWindowMm));
  const scratch = new Float64Array(2 * win + 1);
  for (let j = 0; j < W; j++) {
    const lo = Math.max(0, j - win);
    const hi = Math.min(W - 1, j + win);
    for (let a = 0; a < AW; a++) {
      let n = 0;
      for (let m = lo; m <= hi; m++) {
        const r = walls.periostealMm[m * AW + a];
        if (Number.isNaN(r)) continue;
        ts[n] = (m - j) * wStep;
        weights[n] = weightAtOffset[m - j + win];
        rs[n] = r;
        ws[n] = walls.thicknessMm[m * AW + a];
        n++;
      }
      const enough = n >= Math.max(3, 0.1 * (hi - lo + 1));
      if (!enough) {
        refRp[j * AW + a] = Number.NaN;
        refW[j * AW + a] = Number.NaN;
        continue;
      }
      // The periosteal radius starts from its median near this section: a lesion rarely moves the
      // periosteum (it removes the wall, leaving no sighting), a flare does, steeply.
      let near = 0;
      for (let i = 0; i < n; i++) if (Math.abs(ts[i]) <= P.referenceHalfWindowMm / 4) scratch[near++] = rs[i];
      if (near < 3) {
        scratch.set(rs.subarray(0, n));
        near = n;
      }
      refRp[j * AW + a] = trendAtZero(ts, rs, n, quantileInPlace(scratch, near, 0.5), RADIUS_TOLERANCE, false, P.referenceHalfWindowMm, weights);
      scratch.set(ws.subarray(0, n));
      refW[j * AW + a] = trendAtZero(ts, ws, n, quantileInPlace(scratch, n, P.referenceThicknessQuantile), THICKNESS_TOLERANCE, true, P.referenceHalfWindowMm, weights);
    }
  }
  const interpolate = (arr: Float32Array, t: number, a: number, angleCount: number): number => {
    const wf = Math.min(W - 1, Math.max(0, (t - firstMm) / wStep));
    const j = Math.min(W - 2, Math.floor(wf));
    const f = wf - j;
    const af = (a * AW) / angleCount;
    const a0 = Math.floor(af) % AW;
    const a1 = (a0 + 1) % AW;
    const g = af - Math.floor(af);
    const x0 = arr[j * AW + a0] * (1 - g) + arr[j * AW + a1] * g;
    const x1 = arr[(j + 1) * AW + a0] * (1 - g) + arr[(j + 1) * AW + a1] * g;
    return x0 * (1 - f) + x1 * f;
  };
  const at = (t: number, a: number, angleCount: number): [number, number] => [interpolate(refRp, t, a, angleCount), interpolate(refW, t, a, angleCount)];
  const medianThicknessAt = (t: number): number | null => {
    const j = Math.min(W - 1, Math.max(0, Math.round((t - firstMm) / wStep)));
    const w = Array.from(refW.subarray(j * AW, (j + 1) * AW)).filter((x) => x > 0).sort((x, y) => x - y);
    return w.length ? w[Math.floor(w.length / 2)] : null;
  };
  return { at, medianThicknessAt };
}

/**
 * The value at t = 0 of a line fitted to the sightings (t_i, v_i) that agree with it, starting
 * from the constant `start`. `lowerOnly`: sightings far below the line are lesion, far above are
 * kept within twice the tolerance (a thicker sighting is still intact bone).
 */
export function trendAtZero(
  t: ArrayLike<number>,
  v: ArrayLike<number>,
  n: number,
  start: number,
  tolerance: { mm: number; share: number },
  lowerOnly: boolean,
  halfWindowMm = P.referenceHalfWindowMm,
  /** tricube(t_i, halfWindowMm) per sighting, when the caller has them (it saves the powers). */
  weights?: ArrayLike<number>,
): number {
  let a = start; // line value at t = 0
  let b = 0; // slope per mm
  for (let round = 0; round < FIT_ROUNDS; round++) {
    const a0 = a;
    const b0 = b;
    const tol = Math.max(tolerance.mm, tolerance.share * Math.abs(a));
    let sw = 0;
    let st = 0;
    let sv = 0;
    let stt = 0;
    let stv = 0;
    let k = 0;
    let tMin = Infinity;
    let tMax = -Infinity;
    for (let i = 0; i < n; i++) {
      const res = v[i] - (a + b * t[i]);
      if (res < -tol || res > (lowerOnly ? 2 : 1) * tol) continue;
      const w = weights ? weights[i] : tricube(t[i], halfWindowMm);
      k++;
      sw += w;
      st += w * t[i];
      sv += w * v[i];
      stt += w * t[i] * t[i];
      stv += w * t[i] * v[i];
      if (t[i] < tMin) tMin = t[i];
      if (t[i] > tMax) tMax = t[i];
    }
    if (k < 3 || !(sw > 0)) break;
    const det = sw * stt - st * st;
    // A trend needs sightings spread along the axis; otherwise their mean.
    if (tMax - tMin < halfWindowMm / 2 || !(det > 1e-9 * sw * sw)) {
      a = sv / sw;
      b = 0;
    } else {
      b = (sw * stv - st * sv) / det;
      a = (sv - b * st) / sw;
    }
    if (Math.abs(a - a0) < 1e-6 && Math.abs(b - b0) < 1e-8) break; // the same sightings kept again
  }
  return a;
}

/** Tricube weight of a sighting t mm away: the line is local (it follows a curved flare), the far sightings still count. */
function tricube(t: number, halfWindowMm: number): number {
  const q = Math.min(1, Math.abs(t) / (halfWindowMm * 1.1));
  const c = 1 - q * q * q;
  return c * c * c;
}
