import { Enums } from '@cornerstonejs/core';
import { onViewerEvent, type ViewerEvent } from './state';

/**
 * For overlays drawn over a view (analysis sectors, RT contours): draws now, and again whenever
 * the view under `el` changes — its camera, the window's size — or a viewer event `when` picks
 * (a slice change, the bone axis, a new volume). Returns the effect's cleanup.
 */
export function redrawOnViewChange(el: HTMLElement, redraw: () => void, when: (e: ViewerEvent) => boolean): () => void {
  redraw();
  const off = onViewerEvent((e) => {
    if (when(e)) redraw();
  });
  el.addEventListener(Enums.Events.CAMERA_MODIFIED, redraw);
  window.addEventListener('resize', redraw);
  return () => {
    off();
    el.removeEventListener(Enums.Events.CAMERA_MODIFIED, redraw);
    window.removeEventListener('resize', redraw);
  };
}
