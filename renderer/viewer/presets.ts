/**
 * Window presets (width / level in HU) radiologists use for CT. Bone is the default: this
 * workstation is for cortical bone. Values: common CT practice (bone W2000/L500, soft tissue
 * W400/L40, lung W1500/L−600).
 */
export const WINDOW_PRESETS = {
  bone: { widthHu: 2000, levelHu: 500 },
  softTissue: { widthHu: 400, levelHu: 40 },
  lung: { widthHu: 1500, levelHu: -600 },
} as const;
export type WindowPresetName = keyof typeof WINDOW_PRESETS;
export const PRESET_NAMES = Object.keys(WINDOW_PRESETS) as WindowPresetName[];

/** Cornerstone VOI range {lower, upper} of a preset. */
export function voiRangeOf(name: WindowPresetName): { lower: number; upper: number } {
  const { widthHu, levelHu } = WINDOW_PRESETS[name];
  return { lower: levelHu - widthHu / 2, upper: levelHu + widthHu / 2 };
}
