/**
 * Public API of the viewer (renderer/viewer). Other parts of the UI:
 * - mount `<Viewer host series />`;
 * - add their Cornerstone tools to `TOOL_GROUP_IDS.mpr` and `TOOL_GROUP_IDS.oblique`
 *   (ToolGroupManager.getToolGroup(id)) and make one the left-button tool with
 *   `activatePrimaryTool(toolName)` (W/L comes back with `activatePrimaryTool('WindowLevel')`);
 * - read the loaded CT with `getLoadedVolume()` (HU, CtVolume layout of shared/analysis/volume.ts);
 * - follow `onViewerEvent` ('volume-loaded', 'volume-unloaded', 'active-viewport',
 *   'slice-changed', 'bone-axis');
 * - read the user's bone axis with `getBoneAxis()` (null when not defined) and compare a drawn
 *   direction with `angleToAxisDeg(direction, axis)`;
 * - capture a key image with `captureViewport(id)` (PNG data URL, annotations included);
 *   a layer of their own over a viewport is included once registered with
 *   `registerCaptureOverlay(id, svgOrCanvas)` (returns the unregister function);
 * - set the bone axis from two patient points with `defineBoneAxis(p1Mm, p2Mm)` (e.g. the
 *   assisted analysis' axis): the obliques follow once the volume is loaded.
 */
import { getCurrentController } from './controller';
import type { ViewportId } from './ids';
import type { BoneAxis } from './boneAxis';
import type { Vec3 } from '../../shared/schemas/common';

export { Viewer } from './Viewer';
export { RENDERING_ENGINE_ID, VIEWPORT_IDS, ALL_VIEWPORT_IDS, TOOL_GROUP_IDS, ALL_TOOL_GROUP_IDS, toolGroupOf, type ViewportId } from './ids';
export {
  getLoadedVolume,
  getLoadedVolumeId,
  getLoadedSeriesUid,
  getBoneAxis,
  getActiveViewportId,
  onViewerEvent,
  type ViewerEvent,
} from './state';
export { angleToAxisDeg, crossSectionOrientation, alongAxisOrientation, type BoneAxis } from './boneAxis';
export { WINDOW_PRESETS, type WindowPresetName } from './presets';
export { captureViewport, registerCaptureOverlay, type CaptureOverlay } from './capture';

/** Make `toolName` the left-mouse tool in every viewer tool group that has it. */
export function activatePrimaryTool(toolName: string): void {
  getCurrentController()?.activatePrimaryTool(toolName);
}

/** Move a viewport's plane through a patient point (LPS mm), e.g. to show a measurement's image. */
export function jumpToWorld(id: ViewportId, pointMm: [number, number, number]): void {
  getCurrentController()?.jumpToWorld(id, pointMm);
}

/** The Cornerstone viewport object of a viewer viewport (undefined when the viewer is not mounted). */
export function getViewport(id: ViewportId) {
  return getCurrentController()?.viewport(id);
}

/**
 * Define the bone axis from two patient points (LPS mm) along the bone, as if the user had
 * clicked them; the cross-section and along-axis obliques are re-oriented when the volume is
 * loaded. `drawnOnNormal` is the normal of the view the points are thought drawn on (it fixes
 * the obliques' in-plane rotation; coronal by default). Resolves to the axis, or null when the
 * viewer is not mounted or the points are too close to define a direction.
 */
export async function defineBoneAxis(p1Mm: Vec3, p2Mm: Vec3, drawnOnNormal: Vec3 = [0, -1, 0], opts: { undoable?: boolean } = {}): Promise<BoneAxis | null> {
  const c = getCurrentController();
  if (!c) return null;
  return c.defineBoneAxis(p1Mm, p2Mm, drawnOnNormal, opts);
}
