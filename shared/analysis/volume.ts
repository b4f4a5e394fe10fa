import type { Vec3 } from '../schemas/common';

/**
 * A CT volume in Hounsfield units, as the viewer and the command line both hold it.
 * Voxel (i, j, k) is at origin + i*spacing[0]*dirI + j*spacing[1]*dirJ + k*spacing[2]*dirK,
 * with i along columns (DICOM row direction), j along rows, k along the slice normal.
 * `direction` is row-major [dirI, dirJ, dirK] (9 numbers, unit vectors, LPS).
 * `hu[i + j*nx + k*nx*ny]`.
 */
export interface CtVolume {
  dimensions: [number, number, number];
  spacing: [number, number, number];
  origin: Vec3;
  direction: [number, number, number, number, number, number, number, number, number];
  hu: Float32Array | Int16Array;
}
