/// <reference lib="webworker" />
/**
 * The assisted analysis off the UI thread: receives a (cropped) CtVolume whose HU buffer is
 * transferred, runs shared/analysis, posts progress and the result (both zod-checked by the
 * caller). One request per worker; the caller terminates it to cancel.
 */
import { analyseLesion } from '../../shared/analysis';
import type { AnalysisRequest, AnalysisWorkerMessage } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (e: MessageEvent<AnalysisRequest>) => {
  const { volume, seed, thresholdHu, contralateralSeed } = e.data;
  const post = (m: AnalysisWorkerMessage) => self.postMessage(m);
  try {
    let last = -1;
    const result = analyseLesion(volume, seed, {
      thresholdHu,
      // Structural rigidity along the bone (issue 18, informational): ~0.1–0.2 s more.
      rigidity: contralateralSeed ? { contralateralSeed } : true,
      onProgress: (fraction, phase) => {
        // At most ~50 messages: the UI only draws a bar.
        if (fraction - last >= 0.02 || fraction === 1) {
          last = fraction;
          post({ type: 'progress', fraction, phase });
        }
      },
    });
    post({ type: 'result', result });
  } catch (error) {
    post({ type: 'result', result: { ok: false, error: { code: 'analysis.internal', message: error instanceof Error ? error.message : String(error) } } });
  }
};
