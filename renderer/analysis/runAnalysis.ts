import { cropVolumeAround } from '../../shared/analysis/crop';
import { ANALYSIS_PARAMETERS } from '../../shared/analysis/parameters';
import type { CtVolume } from '../../shared/analysis/volume';
import { appError, err, type Result } from '../../shared/errors';
import { LesionAnalysisSchema, type LesionAnalysis } from '../../shared/schemas/analysis';
import type { Vec3 } from '../../shared/schemas/common';
import type { AnalysisRequest, AnalysisWorkerMessage } from './protocol';

/**
 * The part of the volume the analysis can reach: the scanned length along the bone plus room
 * for a large bone's rays (mm, half-size of the cube sent to the worker).
 */
export const CROP_HALF_SIZE_MM = ANALYSIS_PARAMETERS.scanHalfLengthMm + 50;

export interface AnalysisRun {
  promise: Promise<Result<LesionAnalysis>>;
  cancel(): void;
}

/**
 * Runs the analysis in a Web Worker on a copy of the volume around the seed (the viewer's own
 * array stays untouched and is never transferred). Resolves with the zod-checked result.
 */
export function runAnalysisInWorker(volume: CtVolume, seed: Vec3, thresholdHu: number, onProgress: (fraction: number) => void, contralateralSeed?: Vec3): AnalysisRun {
  // With a contralateral click the box holds both bones: centred between the clicks, grown by half their distance.
  const centre = contralateralSeed ? ([0, 1, 2].map((k) => (seed[k] + contralateralSeed[k]) / 2) as Vec3) : seed;
  const grow = contralateralSeed ? Math.hypot(seed[0] - contralateralSeed[0], seed[1] - contralateralSeed[1], seed[2] - contralateralSeed[2]) / 2 : 0;
  const cropped = cropVolumeAround(volume, centre, CROP_HALF_SIZE_MM + grow);
  // cropVolumeAround returns the volume itself when the box is degenerate: copy then too.
  const hu = cropped.hu === volume.hu ? cropped.hu.slice() : cropped.hu;
  const request: AnalysisRequest = { volume: { ...cropped, hu }, seed, thresholdHu, ...(contralateralSeed ? { contralateralSeed } : {}) };
  const worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module', name: 'frw-analysis' });
  let settle: (r: Result<LesionAnalysis>) => void = () => {};
  const promise = new Promise<Result<LesionAnalysis>>((resolve) => {
    settle = resolve;
  });
  worker.onmessage = (e: MessageEvent<AnalysisWorkerMessage>) => {
    const m = e.data;
    if (m.type === 'progress') onProgress(m.fraction);
    else {
      worker.terminate();
      if (!m.result.ok) return settle(m.result);
      const parsed = LesionAnalysisSchema.safeParse(m.result.value);
      settle(parsed.success ? { ok: true, value: parsed.data } : err(appError('analysis.invalid-result', parsed.error.issues[0]?.message ?? 'invalid result')));
    }
  };
  worker.onerror = (e) => {
    worker.terminate();
    settle(err(appError('analysis.worker', e.message || 'The analysis worker failed.')));
  };
  worker.postMessage(request, [hu.buffer]);
  return {
    promise,
    cancel: () => {
      worker.terminate();
      settle(err(appError('analysis.cancelled', 'Analysis cancelled.')));
    },
  };
}
