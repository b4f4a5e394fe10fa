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
export function runAnalysisInWorker(volume: CtVolume, seed: Vec3, thresholdHu: number, onProgress: (fraction: number) => void): AnalysisRun {
  const cropped = cropVolumeAround(volume, seed, CROP_HALF_SIZE_MM);
  // cropVolumeAround returns the volume itself when the box is degenerate: copy then too.
  const hu = cropped.hu === volume.hu ? cropped.hu.slice() : cropped.hu;
  const request: AnalysisRequest = { volume: { ...cropped, hu }, seed, thresholdHu };
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
