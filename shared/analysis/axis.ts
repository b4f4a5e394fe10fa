import type { Vec3 } from '../schemas/common';
import { fitCircleRobust, fitLine } from './fit';
import { ANALYSIS_PARAMETERS as P } from './parameters';
import { findWall, sampleRay, sectionFrame, sectionRays } from './rays';
import type { VoxelSampler } from './sampler';

export interface AxisFit {
  point: Vec3;
  direction: Vec3;
  /** Median periosteal radius of the fitted sections (mm). */
  radiusMm: number;
  /** Median RMS residual of the periosteal circle fits (mm). */
  rmsMm: number;
  /** Largest share of rays that met a cortical wall on the last round's sections (an intact ring ≈ 1). */
  seedHitShare: number;
  /** Distance of the seed from the fitted axis (mm). */
  seedOffsetMm: number;
  sectionsUsed: number;
  iterations: number;
}

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/**
 * The bone's long axis near the seed. Start along the scanner's slice normal; on sections
 * perpendicular to the current guess, fit a circle to the periosteal wall (robustly, so a
 * lesion's missing or displaced edge is ignored) and fit a line through the circle centres.
 * An oblique section of a straight tube is an ellipse centred on the true axis, so the centres
 * lie on the axis even when the guess is tilted; a few rounds make the sections perpendicular.
 */
export function fitBoneAxis(sampler: VoxelSampler, seed: Vec3, thresholdHu: number): AxisFit | null {
  const dir = sampler.volume.direction;
  let d: Vec3 = [dir[6], dir[7], dir[8]];
  let p: Vec3 = seed;
  let radiusGuess = 30;
  const step = P.rayStepMm;
  const gap = Math.max(1, Math.round(P.leaveCortexGapMm / step));
  const buf = new Float32Array(4096);
  let result: AxisFit | null = null;
  for (let iter = 0; iter < P.axisIterations; iter++) {
    const reach = Math.min(P.maxBoneRadiusMm * 1.2, radiusGuess * P.rayReachFactor + 4);
    const n = Math.min(buf.length, Math.ceil(reach / step));
    const centres: Vec3[] = [];
    const weights: number[] = [];
    const radii: number[] = [];
    const rms: number[] = [];
    let seedHitShare = 0;
    const round = P.axisRounds[Math.min(iter, P.axisRounds.length - 1)];
    for (let t = -round.halfLengthMm; t <= round.halfLengthMm + 1e-9; t += round.stepMm) {
      const origin: Vec3 = [p[0] + t * d[0], p[1] + t * d[1], p[2] + t * d[2]];
      if (Number.isNaN(sampler.at(origin))) continue;
      const frame = sectionFrame(origin, d);
      const rays = sectionRays(sampler, frame, P.axisRayCount);
      const xs: number[] = [];
      const ys: number[] = [];
      for (let a = 0; a < rays.count; a++) {
        const got = sampleRay(sampler, rays, a, step, n, buf);
        const wall = findWall(buf, got, step, thresholdHu, gap, P.backgroundOffsetMm);
        if (!wall) continue;
        const th = ((2 * Math.PI) / rays.count) * a;
        xs.push(wall.exitMm * Math.cos(th));
        ys.push(wall.exitMm * Math.sin(th));
      }
      seedHitShare = Math.max(seedHitShare, xs.length / rays.count);
      if (xs.length < P.axisMinHitShare * rays.count) continue;
      const c = fitCircleRobust(xs, ys);
      if (!c || c.radius > P.maxBoneRadiusMm || c.radius < 1 || c.inliers < P.axisMinHitShare * rays.count * 0.8) continue;
      centres.push([
        origin[0] + c.cx * frame.u[0] + c.cy * frame.v[0],
        origin[1] + c.cx * frame.u[1] + c.cy * frame.v[1],
        origin[2] + c.cx * frame.u[2] + c.cy * frame.v[2],
      ]);
      weights.push(c.inliers);
      radii.push(c.radius);
      rms.push(c.rmsMm);
    }
    if (centres.length < 3) return result;
    const line = fitLine(centres, weights);
    if (!line) return result;
    let nd = line.direction;
    if (dot(nd, d) < 0) nd = [-nd[0], -nd[1], -nd[2]];
    // Keep the axis pointing the way the slices go (superior for a usual axial series).
    const k = dot(nd, [dir[6], dir[7], dir[8]]) < 0 ? -1 : 1;
    nd = [nd[0] * k, nd[1] * k, nd[2] * k];
    const s = dot([seed[0] - line.point[0], seed[1] - line.point[1], seed[2] - line.point[2]], nd);
    const np: Vec3 = [line.point[0] + s * nd[0], line.point[1] + s * nd[1], line.point[2] + s * nd[2]];
    const change = Math.acos(Math.min(1, Math.abs(dot(nd, d))));
    const moved = Math.hypot(np[0] - p[0], np[1] - p[1], np[2] - p[2]);
    d = nd;
    p = np;
    radii.sort((a, b) => a - b);
    rms.sort((a, b) => a - b);
    radiusGuess = radii[Math.floor(radii.length / 2)];
    result = {
      point: p,
      direction: d,
      radiusMm: radiusGuess,
      rmsMm: rms[Math.floor(rms.length / 2)],
      seedHitShare,
      seedOffsetMm: Math.hypot(seed[0] - p[0], seed[1] - p[1], seed[2] - p[2]),
      sectionsUsed: centres.length,
      iterations: iter + 1,
    };
    if (iter >= P.axisRounds.length - 1 && change < (0.05 * Math.PI) / 180 && moved < 0.05) break;
  }
  return result;
}
