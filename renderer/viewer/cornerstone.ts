import {
  init as csInit,
  imageLoader,
  volumeLoader,
  cornerstoneStreamingImageVolumeLoader,
  getShouldUseCPURendering,
} from '@cornerstonejs/core';
import {
  init as toolsInit,
  addTool,
  WindowLevelTool,
  PanTool,
  StackScrollTool,
  CrosshairsTool,
  ReferenceLinesTool,
} from '@cornerstonejs/tools';
import * as dicomImageLoader from '@cornerstonejs/dicom-image-loader';
import { VOLUME_SCHEME } from './ids';
import { CalmZoomTool } from './CalmZoomTool';

/**
 * One-time Cornerstone3D setup: core (GPU rendering; CPU fallback is detected and reported,
 * see `getShouldUseCPURendering`), tools, and the DICOM image loader with its decode web
 * workers. Files reach Cornerstone through our own `frwfile:` image-loader scheme (loader.ts):
 * the bytes come from `HostApi.readFile`, never from a URL.
 */
let ready: Promise<void> | null = null;

/** Decode workers: the machines we target have 2–8 cores; leave one for the UI. */
function workerCount(): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
  return Math.max(1, Math.min(4, cores - 1 || 1, cores));
}

export function initCornerstone(): Promise<void> {
  ready ??= (async () => {
    csInit();
    toolsInit();
    dicomImageLoader.init({ maxWebWorkers: Math.max(2, workerCount()), useLegacyMetadataProvider: true });
    volumeLoader.registerVolumeLoader(VOLUME_SCHEME, cornerstoneStreamingImageVolumeLoader as never);
    for (const tool of [WindowLevelTool, PanTool, CalmZoomTool, StackScrollTool, CrosshairsTool, ReferenceLinesTool]) addTool(tool);
  })();
  return ready;
}

export { getShouldUseCPURendering, imageLoader };
