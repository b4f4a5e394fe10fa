export type { CtVolume } from './volume';
export { analyseLesion, ANALYSIS_METHOD_VERSION, type AnalyseOptions } from './analyseLesion';
export { fitBoneAxis, type AxisFit } from './axis';
export { ANALYSIS_PARAMETERS } from './parameters';
export { makeVoxelSampler, type VoxelSampler } from './sampler';
export { sectionFrame, type SectionFrame } from './rays';
export { cropVolumeAround } from './crop';
