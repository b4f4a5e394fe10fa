import type { CtVolume } from '../../shared/analysis/volume';
import type { Result } from '../../shared/errors';
import type { LesionAnalysis } from '../../shared/schemas/analysis';
import type { Vec3 } from '../../shared/schemas/common';

/** Message to the analysis worker. */
export interface AnalysisRequest {
  volume: CtVolume;
  seed: Vec3;
  thresholdHu: number;
  /** A click in the other side's bone: the contralateral rigidity reference (issue 18). */
  contralateralSeed?: Vec3;
}

/** Messages from the analysis worker. */
export type AnalysisWorkerMessage =
  | { type: 'progress'; fraction: number; phase: string }
  | { type: 'result'; result: Result<LesionAnalysis> };
