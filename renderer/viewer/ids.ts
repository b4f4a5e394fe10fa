/**
 * Stable identifiers other parts of the UI use to reach the viewer's Cornerstone objects
 * (measurement tools join the tool groups; the report captures viewports by id).
 */
export const RENDERING_ENGINE_ID = 'frw-engine';

/** Viewports, in display order. `oblique` is the true cross-section perpendicular to the bone
 * axis; `obliqueAlong` the plane that contains the axis. */
export const VIEWPORT_IDS = {
  axial: 'axial',
  sagittal: 'sagittal',
  coronal: 'coronal',
  oblique: 'oblique',
  obliqueAlong: 'obliqueAlong',
} as const;
export type ViewportId = (typeof VIEWPORT_IDS)[keyof typeof VIEWPORT_IDS];
export const ALL_VIEWPORT_IDS: readonly ViewportId[] = ['axial', 'sagittal', 'coronal', 'oblique', 'obliqueAlong'];

/**
 * Two tool groups because a viewport belongs to exactly one and the crosshairs tool links the
 * three orthogonal views only: `frw-mpr` = axial, sagittal, coronal; `frw-oblique` = both
 * obliques. Measurement tools should be added to both.
 */
export const TOOL_GROUP_IDS = { mpr: 'frw-mpr', oblique: 'frw-oblique' } as const;
export const ALL_TOOL_GROUP_IDS: readonly string[] = [TOOL_GROUP_IDS.mpr, TOOL_GROUP_IDS.oblique];

export function toolGroupOf(viewportId: ViewportId): string {
  return viewportId === 'oblique' || viewportId === 'obliqueAlong' ? TOOL_GROUP_IDS.oblique : TOOL_GROUP_IDS.mpr;
}

/** Volume id prefix of the streaming CT volume (cornerstone scheme `cornerstoneStreamingImageVolume`). */
export const VOLUME_SCHEME = 'cornerstoneStreamingImageVolume';
