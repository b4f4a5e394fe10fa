import type { Types } from '@cornerstonejs/core';
import type { CtVolume } from '../../shared/analysis/volume';
import type { Vec3 } from '../../shared/schemas/common';
import type { BoneAxis } from './boneAxis';
import type { ViewportId } from './ids';

/**
 * What the viewer tells the rest of the renderer, as a tiny event bus (no React needed):
 *   const off = onViewerEvent((e) => { if (e.type === 'volume-loaded') … });
 * Events:
 *  - `volume-loaded`   the full CT volume of `seriesInstanceUid` is in memory (getLoadedVolume()).
 *  - `volume-unloaded` the series was closed / another one is loading.
 *  - `active-viewport` the user interacted with another viewport.
 *  - `slice-changed`   a viewport's plane moved (scroll, crosshairs, axis change): its focal point.
 *  - `bone-axis`       the user (re)defined or cleared the bone axis.
 */
export type ViewerEvent =
  | { type: 'volume-loaded'; seriesInstanceUid: string; volumeId: string }
  | { type: 'volume-unloaded'; seriesInstanceUid: string | null }
  | { type: 'active-viewport'; viewportId: ViewportId }
  | { type: 'slice-changed'; viewportId: ViewportId; focalPointMm: Vec3; viewPlaneNormal: Vec3; sliceIndex: number | null }
  | { type: 'bone-axis'; axis: BoneAxis | null };

const listeners = new Set<(e: ViewerEvent) => void>();

export function onViewerEvent(listener: (e: ViewerEvent) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function emitViewerEvent(e: ViewerEvent): void {
  for (const l of [...listeners]) {
    try {
      l(e);
    } catch (error) {
      // A faulty subscriber must not break the viewer; keep the message (no patient data in it).
      console.error('viewer event listener failed', error);
    }
  }
}

interface Loaded {
  seriesInstanceUid: string;
  volumeId: string;
  volume: Types.IImageVolume;
  ct: CtVolume | null;
}

let loaded: Loaded | null = null;
let boneAxis: BoneAxis | null = null;
let activeViewport: ViewportId = 'axial';

export function setLoadedVolume(
  v: { seriesInstanceUid: string; volumeId: string; volume: Types.IImageVolume; hu?: Int16Array | null } | null,
): void {
  const previous = loaded;
  loaded = v ? { seriesInstanceUid: v.seriesInstanceUid, volumeId: v.volumeId, volume: v.volume, ct: null } : null;
  if (v && loaded && v.hu) loaded.ct = ctVolumeOf(v.volume, v.hu);
  if (v) emitViewerEvent({ type: 'volume-loaded', seriesInstanceUid: v.seriesInstanceUid, volumeId: v.volumeId });
  else if (previous) emitViewerEvent({ type: 'volume-unloaded', seriesInstanceUid: previous.seriesInstanceUid });
}

/** Id of the fully loaded CT volume in Cornerstone's cache, or null. */
export function getLoadedVolumeId(): string | null {
  return loaded?.volumeId ?? null;
}

export function getLoadedSeriesUid(): string | null {
  return loaded?.seriesInstanceUid ?? null;
}

/**
 * The loaded CT as a `CtVolume` (HU, dims, spacing, origin, direction; layout of
 * shared/analysis/volume.ts) for the assisted analysis; null until the volume has fully loaded.
 * The HU array is Cornerstone's own scalar array when it is Int16/Float32 (no copy): read only.
 */
export function getLoadedVolume(): CtVolume | null {
  if (!loaded) return null;
  if (loaded.ct) return loaded.ct;
  const scalars = loaded.volume.voxelManager?.getCompleteScalarDataArray?.() as ArrayLike<number> | undefined;
  if (!scalars) return null;
  const hu = scalars instanceof Int16Array || scalars instanceof Float32Array ? scalars : Float32Array.from(scalars);
  loaded.ct = ctVolumeOf(loaded.volume, hu);
  return loaded.ct;
}

function ctVolumeOf(v: Types.IImageVolume, hu: Int16Array | Float32Array): CtVolume {
  const d = v.direction;
  return {
    dimensions: [v.dimensions[0], v.dimensions[1], v.dimensions[2]],
    spacing: [v.spacing[0], v.spacing[1], v.spacing[2]],
    origin: [v.origin[0], v.origin[1], v.origin[2]],
    direction: [d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8]],
    hu,
  };
}

/** The bone axis the user defined on this series (null when none): measurement tools use it to
 * warn when a length is not drawn along the bone. */
export function getBoneAxis(): BoneAxis | null {
  return boneAxis;
}

export function setBoneAxisState(axis: BoneAxis | null): void {
  boneAxis = axis;
  emitViewerEvent({ type: 'bone-axis', axis });
}

export function getActiveViewportId(): ViewportId {
  return activeViewport;
}

export function setActiveViewportId(id: ViewportId): void {
  if (id === activeViewport) return;
  activeViewport = id;
  emitViewerEvent({ type: 'active-viewport', viewportId: id });
}
