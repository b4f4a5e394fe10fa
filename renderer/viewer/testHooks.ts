import { getShouldUseCPURendering } from '@cornerstonejs/core';
import { annotation, CrosshairsTool } from '@cornerstonejs/tools';
import type { Vec3 } from '../../shared/schemas/common';
import type { ViewerController } from './controller';
import type { ViewportId } from './ids';
import { getBoneAxis, getLoadedVolume } from './state';
import { captureViewport } from './capture';

/**
 * Read-only probes for end-to-end tests and benchmarks, on `window.frwViewer` (only with
 * `?test=1` in the page URL): whether
 * Cornerstone fell back to CPU rendering, world ↔ canvas conversion (to click at a known
 * patient position), load timings, the bone axis, and the volume's geometry. Nothing here
 * changes what the user sees except `defineBoneAxis`, which does what two clicks do.
 */
export interface ViewerTestHooks {
  cpuRendering(): boolean;
  worldToCanvas(id: ViewportId, p: Vec3): [number, number] | null;
  canvasToWorld(id: ViewportId, xy: [number, number]): Vec3 | null;
  timings(): Record<string, number | undefined>;
  /** performance.now() of loadStart, firstImage, filesRead, volumeCreated, complete. */
  marks(): Record<string, number>;
  defineBoneAxis(p1: Vec3, p2: Vec3, drawnOnNormal?: Vec3): Promise<boolean>;
  boneAxis(): ReturnType<typeof getBoneAxis>;
  camera(id: ViewportId): { focalPoint: Vec3; viewPlaneNormal: Vec3; viewUp: Vec3 } | null;
  volumeInfo(): { dimensions: number[]; spacing: number[]; origin: number[]; direction: number[] } | null;
  scroll(id: ViewportId, delta: number): void;
  jumpToWorld(id: ViewportId, p: Vec3): void;
  mode(): string | undefined;
  /** captureViewport(id) (the report's key image), as a PNG data URL. */
  capture(id: ViewportId): Promise<string>;
  /** Canvas positions of the crosshairs' rotation handles drawn on view `id`, with the view each
   * line belongs to (present while the crosshairs mode is on). */
  crosshairRotationHandles(id: ViewportId): Array<{ line: string; xy: [number, number] }>;
}

export function installViewerTestHooks(
  controller: () => ViewerController | null,
  timings: () => Record<string, number | undefined>,
  marks: () => Record<string, number>,
): () => void {
  // Only for tests and benchmarks (the e2e harness opens the page with ?test=1), like the shell's __frwTest.
  if (new URLSearchParams(window.location.search).get('test') !== '1') return () => {};
  const vp = (id: ViewportId) => controller()?.viewport(id);
  const hooks: ViewerTestHooks = {
    cpuRendering: () => getShouldUseCPURendering(),
    worldToCanvas: (id, p) => {
      const v = vp(id);
      return v ? (Array.from(v.worldToCanvas(p as never)) as [number, number]) : null;
    },
    canvasToWorld: (id, xy) => {
      const v = vp(id);
      return v ? (Array.from(v.canvasToWorld(xy as never)) as Vec3) : null;
    },
    timings,
    marks,
    defineBoneAxis: async (p1, p2, n) => !!(await controller()?.defineBoneAxis(p1, p2, n)),
    boneAxis: () => getBoneAxis(),
    camera: (id) => {
      const c = vp(id)?.getCamera();
      if (!c?.focalPoint || !c.viewPlaneNormal || !c.viewUp) return null;
      return { focalPoint: [...c.focalPoint] as Vec3, viewPlaneNormal: [...c.viewPlaneNormal] as Vec3, viewUp: [...c.viewUp] as Vec3 };
    },
    volumeInfo: () => {
      const v = getLoadedVolume();
      return v ? { dimensions: [...v.dimensions], spacing: [...v.spacing], origin: [...v.origin], direction: [...v.direction] } : null;
    },
    scroll: (id, delta) => controller()?.scroll(id, delta),
    jumpToWorld: (id, p) => controller()?.jumpToWorld(id, p),
    mode: () => controller()?.getMode(),
    capture: (id) => captureViewport(id),
    crosshairRotationHandles: (id) => {
      const v = vp(id);
      if (!v) return [];
      // One crosshairs annotation per view of the frame of reference: this view's.
      type Data = { viewportId?: string; handles?: { rotationPoints?: Array<[Vec3, { id: string }]> } };
      const mine = (annotation.state.getAnnotations(CrosshairsTool.toolName, v.element) ?? []).find((a) => (a.data as Data).viewportId === id);
      const points = (mine?.data as Data | undefined)?.handles?.rotationPoints ?? [];
      return points.map(([p, other]) => ({ line: other.id, xy: Array.from(v.worldToCanvas(p as never)) as [number, number] }));
    },
  };
  (window as unknown as { frwViewer?: ViewerTestHooks }).frwViewer = hooks;
  return () => {
    const w = window as unknown as { frwViewer?: ViewerTestHooks };
    if (w.frwViewer === hooks) delete w.frwViewer;
  };
}
