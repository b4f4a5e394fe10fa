/**
 * Right-drag zoom that a reader can control (issue 14): Cornerstone's ZoomTool changes the scale
 * by 5 × (drag / view height), so a 100-pixel drag on a 500-pixel view already reaches its limit.
 * This one feeds it the drag scaled by ZOOM_DRAG_GAIN: the whole height of the view is about a
 * doubling, a short drag a small step. Everything else (zoom towards the mouse, limits) is
 * Cornerstone's.
 */
import { ZoomTool } from '@cornerstonejs/tools';

export const ZOOM_DRAG_GAIN = 0.15;

type DragFn = (evt: { detail: { deltaPoints: { canvas: number[] } } & Record<string, unknown> }, ...rest: unknown[]) => unknown;

export class CalmZoomTool extends ZoomTool {
  static override toolName = 'CalmZoom';

  constructor(...args: ConstructorParameters<typeof ZoomTool>) {
    super(...args);
    const self = this as unknown as Record<'_dragParallelProjection' | '_dragPerspectiveProjection', DragFn>;
    for (const key of ['_dragParallelProjection', '_dragPerspectiveProjection'] as const) {
      const original = self[key];
      if (typeof original !== 'function') continue;
      self[key] = (evt, ...rest) => {
        const d = evt.detail.deltaPoints;
        const calmer = { ...d, canvas: [d.canvas[0] * ZOOM_DRAG_GAIN, d.canvas[1] * ZOOM_DRAG_GAIN] };
        return original({ ...evt, detail: { ...evt.detail, deltaPoints: calmer } }, ...rest);
      };
    }
  }
}
