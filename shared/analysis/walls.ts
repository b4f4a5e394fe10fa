import { ANALYSIS_PARAMETERS as P } from './parameters';
import { findWall, sampleRay, sectionFrame, sectionRays } from './rays';
import type { VoxelSampler } from './sampler';
import { pointOnAxis, type AxisLine } from './sections';

/**
 * The cortical wall seen on sparse cross-sections (every wallSectionStepMm, wallAngleCount rays):
 * per section and angle the periosteal radius and the wall thickness (half-maximum edges), NaN
 * where no wall was found (a lesion, the volume edge, no bone). They only feed the intact
 * reference, which pools many of them.
 */
export interface WallGrid {
  sections: number;
  angles: number;
  firstMm: number;
  stepMm: number;
  /** [section * angles + angle], mm from the axis. */
  periostealMm: Float32Array;
  thicknessMm: Float32Array;
  /** Densest sample seen along the rays (for the metal warning). */
  maxHu: number;
}

export function measureWalls(
  sampler: VoxelSampler,
  axis: AxisLine,
  range: { fromMm: number; toMm: number },
  radiusMm: number,
  thresholdHu: number,
  onProgress: (fraction: number) => void = () => {},
): WallGrid {
  const AW = P.wallAngleCount;
  const W = Math.max(2, Math.round((range.toMm - range.fromMm) / P.wallSectionStepMm) + 1);
  const wStep = (range.toMm - range.fromMm) / (W - 1);
  const rp = new Float32Array(W * AW).fill(Number.NaN);
  const wt = new Float32Array(W * AW).fill(Number.NaN);
  const rayStep = P.rayStepMm;
  const r0 = P.wallSearchStartShare * radiusMm;
  const reach = radiusMm * P.rayReachFactor + 4;
  const nSamples = Math.ceil((reach - r0) / rayStep);
  const buf = new Float32Array(nSamples);
  const gap = Math.max(1, Math.round(P.leaveCortexGapMm / rayStep));
  const maxPeriosteal = radiusMm * 1.5 + 2;
  let maxHu = -Infinity;
  for (let w = 0; w < W; w++) {
    const rays = sectionRays(sampler, sectionFrame(pointOnAxis(axis, range.fromMm + w * wStep), axis.direction), AW);
    for (let a = 0; a < AW; a++) {
      const got = sampleRay(sampler, rays, a, rayStep, nSamples, buf, r0);
      for (let s = 0; s < got; s++) if (buf[s] > maxHu) maxHu = buf[s];
      const wall = findWall(buf, got, rayStep, thresholdHu, gap, P.backgroundOffsetMm);
      if (!wall) continue;
      const outer = r0 + wall.periostealMm;
      const inner = r0 + wall.endostealMm;
      if (outer > maxPeriosteal || !(outer > inner)) continue;
      rp[w * AW + a] = outer;
      wt[w * AW + a] = outer - inner;
    }
    if (w % 8 === 0) onProgress(w / W);
  }
  return { sections: W, angles: AW, firstMm: range.fromMm, stepMm: wStep, periostealMm: rp, thicknessMm: wt, maxHu };
}
