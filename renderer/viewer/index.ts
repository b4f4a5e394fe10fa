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
 * - capture a key image with `captureViewport(id)` (PNG data URL, annotations included).
 */
import { getCurrentController } from './controller';
import type { ViewportId } from './ids';

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
export { captureViewport } from './capture';

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
