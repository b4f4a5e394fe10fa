import {
  RenderingEngine,
  Enums,
  volumeLoader,
  setVolumesForViewports,
  eventTarget,
  cache,
  utilities as csUtils,
  getRenderingEngine,
  imageLoader,
  type Types,
} from '@cornerstonejs/core';
import { ToolGroupManager, Enums as ToolEnums, WindowLevelTool, PanTool, StackScrollTool, CrosshairsTool, ReferenceLinesTool } from '@cornerstonejs/tools';
import { CalmZoomTool } from './CalmZoomTool';
import type { HostApi } from '../../shared/ipc/hostApi';
import type { Series } from '../../shared/schemas/scan';
import type { Vec3 } from '../../shared/schemas/common';
import { appError, type AppError } from '../../shared/errors';
import { MIN_SLICES_FOR_VOLUME } from '../../shared/dicom/assembleScan';
import { initCornerstone } from './cornerstone';
import { ALL_VIEWPORT_IDS, RENDERING_ENGINE_ID, TOOL_GROUP_IDS, VOLUME_SCHEME, toolGroupOf, type ViewportId } from './ids';
import { imageIdsForSeries, readAllBytes, releaseImageIds, seriesLoadProblem, fileOfImageId, isAppError, messageOf } from './loader';
import {
  alongAxisOrientation,
  axisLengthMm,
  axisMidpoint,
  crossSectionOrientation,
  makeBoneAxis,
  add,
  dot,
  scale,
  sub,
  type BoneAxis,
  type CameraOrientation,
} from './boneAxis';
import { emitViewerEvent, getBoneAxis, setActiveViewportId, setBoneAxisState, setLoadedVolume } from './state';
import { WINDOW_PRESETS, voiRangeOf, type WindowPresetName } from './presets';
import { FAST_TRANSFER_SYNTAXES, fillSliceFromImage, readIntoVolume, volumeGeometry, type VolumeGeometry } from './fastVolume';

export type ViewerMode = 'windowLevel' | 'crosshairs' | 'axis';
export type LoadPhase = 'first-image' | 'reading' | 'decoding' | 'done' | 'cancelled' | 'error';

/** Axis changes "Undo axis" can step back through (each is six numbers). */
const AXIS_UNDO_LIMIT = 50;

export interface LoadCallbacks {
  onPhase(phase: LoadPhase, fraction: number | null): void;
  onError(error: AppError): void;
  /** Times in ms from `load()` call: first axial image shown, complete volume with reformats. */
  onTiming(kind: 'firstImage' | 'filesRead' | 'volumeCreated' | 'complete', ms: number): void;
  /** The volume is not the slices as stored: a gantry-tilted / sheared stack resampled onto a
   * regular grid (the largest step-to-normal angle, degrees). */
  onResampled?(shearDeg: number): void;
}

export interface HuSample {
  viewportId: ViewportId;
  hu: number;
  lpsMm: Vec3;
  /** Voxel index (i, j, k) in the volume, or (column, row, slice) on the stack. */
  index: [number, number, number];
}

/** Half height of the cross-section's field of view when an axis is set: a femoral shaft is
 * ~30 mm wide, a humerus ~20 mm; 45 mm leaves room for soft tissue around it. */
const CROSS_SECTION_HALF_FOV_MM = 45;

/** How often the reformats are redrawn while the volume streams in. */
const PROGRESS_RENDER_INTERVAL_MS = 2500;

/**
 * Fast path: show the reformats while the files are read (true) or once they all are (false).
 * Measured A/B on 500 × 512² here: with the volume attached to viewports during reading, reading
 * took 5.5–7.2 s instead of 2.5–3.5 s (the texture streaming competes for the one free core), so
 * the reformats appear when complete; the axial stack is browsable meanwhile.
 */
const PROGRESSIVE_REFORMATS = false;

/** The two views oriented by the bone axis (not by a preset orientation). */
type ObliqueId = 'oblique' | 'obliqueAlong';
const OBLIQUE_IDS: readonly ObliqueId[] = ['oblique', 'obliqueAlong'];
const isOblique = (id: ViewportId): id is ObliqueId => id === 'oblique' || id === 'obliqueAlong';

/** Fewer slices than this cannot make a useful reformat. */

/**
 * Imperative side of the viewer: rendering engine, the five viewports, tool groups, loading
 * pipeline, presets, bone axis and obliques. The React component (Viewer.tsx) owns one.
 */
export class ViewerController {
  private engine: RenderingEngine | null = null;
  private imageIds: string[] = [];
  private volumeId: string | null = null;
  private abort: AbortController | null = null;
  private loadToken = 0;
  private preset: WindowPresetName = 'bone';
  private mode: ViewerMode = 'windowLevel';
  private axisClicks: { world: Vec3; normal: Vec3 }[] = [];
  /** The axes before each of the user's axis changes on this series (two clicks, a handle drag,
   * Clear, an analysis' axis accepted), newest last: "Undo axis" (U) steps back through them. The
   * axis is outside the session's undo (shared/measure/sessionReducer.ts OUTSIDE_UNDO), so it has
   * its own. */
  private axisHistory: (BoneAxis | null)[] = [];
  private cleanups: (() => void)[] = [];
  private axialIsVolume = false;
  /** The obliques get the volume only once an axis exists (less rendering while loading). */
  private obliquesHaveVolume = false;
  series: Series | null = null;
  onModeChange: (mode: ViewerMode, pendingAxisPoints: number) => void = () => {};
  onAxisOverlayChange: () => void = () => {};

  constructor(private readonly elements: Record<ViewportId, HTMLDivElement>) {}

  private disposed = false;
  /** The HU array behind the fast-path volume (handed to getLoadedVolume without a copy). */
  private huArray: Int16Array | null = null;
  private ownGroups: NonNullable<ReturnType<typeof ToolGroupManager.createToolGroup>>[] = [];

  async setup(): Promise<void> {
    await initCornerstone();
    // Unmounted while Cornerstone was starting (React may mount / unmount / remount quickly):
    // create nothing, or we would destroy the objects of the viewer that replaced us.
    if (this.disposed) return;
    getRenderingEngine(RENDERING_ENGINE_ID)?.destroy();
    this.engine = new RenderingEngine(RENDERING_ENGINE_ID);
    const background: Types.Point3 = [0, 0, 0];
    this.engine.setViewports([
      { viewportId: 'axial', type: Enums.ViewportType.STACK, element: this.elements.axial, defaultOptions: { background } },
      ...(['sagittal', 'coronal', 'oblique', 'obliqueAlong'] as const).map((id) => ({
        viewportId: id,
        type: Enums.ViewportType.ORTHOGRAPHIC,
        element: this.elements[id],
        defaultOptions: {
          background,
          orientation:
            id === 'sagittal' ? Enums.OrientationAxis.SAGITTAL : id === 'coronal' || id === 'obliqueAlong' ? Enums.OrientationAxis.CORONAL : Enums.OrientationAxis.AXIAL,
        },
      })),
    ]);
    this.setupToolGroups();
    this.listen();
  }

  private setupToolGroups() {
    for (const id of Object.values(TOOL_GROUP_IDS)) ToolGroupManager.destroyToolGroup(id);
    const mpr = ToolGroupManager.createToolGroup(TOOL_GROUP_IDS.mpr)!;
    const obl = ToolGroupManager.createToolGroup(TOOL_GROUP_IDS.oblique)!;
    this.ownGroups = [mpr, obl];
    for (const group of [mpr, obl]) {
      group.addTool(WindowLevelTool.toolName);
      group.addTool(PanTool.toolName);
      group.addTool(CalmZoomTool.toolName);
      group.addTool(StackScrollTool.toolName);
      group.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] });
      group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Auxiliary }] });
      group.setToolActive(CalmZoomTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Secondary }] });
      group.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Wheel }] });
      // Reference lines always on (issue 14): where the last view clicked cuts the others.
      group.addTool(ReferenceLinesTool.toolName, { sourceViewportId: 'axial' });
      group.setToolEnabled(ReferenceLinesTool.toolName);
    }
    mpr.addTool(CrosshairsTool.toolName, {
      getReferenceLineColor: (viewportId: string) =>
        ({ axial: 'rgb(200, 0, 0)', sagittal: 'rgb(200, 200, 0)', coronal: 'rgb(0, 200, 0)' })[viewportId] ?? 'rgb(0, 120, 255)',
    });
    for (const id of ALL_VIEWPORT_IDS) {
      (id === 'oblique' || id === 'obliqueAlong' ? obl : mpr).addViewport(id, RENDERING_ENGINE_ID);
    }
  }

  /** The reference lines show the plane of `id` on the other views. */
  private referenceLinesFrom(id: ViewportId) {
    for (const g of this.ownGroups) {
      try {
        g.setToolConfiguration(ReferenceLinesTool.toolName, { sourceViewportId: id });
      } catch {
        /* the group is being rebuilt */
      }
    }
  }

  private listen() {
    for (const id of ALL_VIEWPORT_IDS) {
      const el = this.elements[id];
      const onDown = (e: PointerEvent) => {
        setActiveViewportId(id);
        this.referenceLinesFrom(id);
        if (this.mode === 'axis' && e.button === 0) this.axisClick(id, e);
      };
      const onCamera = () => this.emitSlice(id);
      const onRendered = () => this.onAxisOverlayChange();
      el.addEventListener('pointerdown', onDown, true);
      el.addEventListener(Enums.Events.CAMERA_MODIFIED, onCamera);
      el.addEventListener(Enums.Events.STACK_NEW_IMAGE, onCamera);
      el.addEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
      this.cleanups.push(() => {
        el.removeEventListener('pointerdown', onDown, true);
        el.removeEventListener(Enums.Events.CAMERA_MODIFIED, onCamera);
        el.removeEventListener(Enums.Events.STACK_NEW_IMAGE, onCamera);
        el.removeEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
      });
    }
  }

  viewport(id: ViewportId): Types.IViewport | undefined {
    return this.engine?.getViewport(id);
  }

  private emitSlice(id: ViewportId) {
    const vp = this.viewport(id);
    if (!vp) return;
    const cam = vp.getCamera();
    if (!cam.focalPoint || !cam.viewPlaneNormal) return;
    let sliceIndex: number | null = null;
    try {
      sliceIndex = (vp as unknown as { getSliceIndex(): number }).getSliceIndex();
    } catch {
      sliceIndex = null;
    }
    emitViewerEvent({
      type: 'slice-changed',
      viewportId: id,
      focalPointMm: [...cam.focalPoint] as Vec3,
      viewPlaneNormal: [...cam.viewPlaneNormal] as Vec3,
      sliceIndex,
    });
  }

  /** After a layout change: keep each view's slice, and its zoom and pan relative to the new
   * size (Cornerstone's view presentation), so the image still fits as the user left it. */
  resize() {
    if (!this.engine) return;
    // The obliques are oriented by the bone axis, which Cornerstone does not know: its resize
    // resets them to their preset (coronal / axial) orientation and the view presentation's
    // rotation is then applied from that preset's up, so the along-axis view lost the bone's
    // direction (up [0,0,1], the bone leaning 10° on the demo) and its focal point moved.
    // They are re-oriented from the stored axis instead, through the same focal point (same
    // slice, same place in the view) and at the same zoom relative to the new size.
    const axis = this.obliquesHaveVolume ? getBoneAxis() : null;
    const keptObliques = axis ? OBLIQUE_IDS.map((id) => this.obliqueViewOf(id)) : [];
    const kept = ALL_VIEWPORT_IDS.map((id) => {
      if (axis && isOblique(id)) return undefined;
      try {
        return this.viewport(id)?.getViewPresentation();
      } catch {
        return undefined;
      }
    });
    this.engine.resize(true, true);
    ALL_VIEWPORT_IDS.forEach((id, i) => {
      const pres = kept[i];
      if (!pres) return;
      try {
        this.viewport(id)?.setViewPresentation(pres);
      } catch {
        /* viewport without data */
      }
    });
    if (axis) for (const view of keptObliques) if (view) this.restoreObliqueView(axis, view);
    this.onAxisOverlayChange();
  }

  /** Where an oblique looks (focal point, LPS mm) and its zoom relative to Cornerstone's fit. */
  private obliqueViewOf(id: ObliqueId): { id: ObliqueId; focalMm: Vec3; zoom: number } | null {
    const vp = this.viewport(id);
    const focal = vp?.getCamera().focalPoint;
    if (!vp || !focal) return null;
    return { id, focalMm: [focal[0], focal[1], focal[2]], zoom: vp.getZoom() };
  }

  /** Orient an oblique from the bone axis again, through its kept focal point and at its kept zoom. */
  private restoreObliqueView(axis: BoneAxis, view: { id: ObliqueId; focalMm: Vec3; zoom: number }) {
    const orientation = view.id === 'oblique' ? crossSectionOrientation(axis) : alongAxisOrientation(axis);
    try {
      this.orient(view.id, orientation, view.focalMm);
      const vp = this.viewport(view.id);
      if (vp && Number.isFinite(view.zoom) && view.zoom > 0) {
        vp.setZoom(view.zoom);
        vp.render();
      }
    } catch {
      /* viewport without data */
    }
  }

  // ---------------------------------------------------------------- loading

  /** Load a series: axial stack first (first image fast), then the volume for the reformats. */
  async load(host: HostApi, series: Series, cb: LoadCallbacks): Promise<void> {
    const token = ++this.loadToken;
    this.unloadSeries();
    this.series = series;
    const problem = seriesLoadProblem(series);
    if (problem) {
      cb.onError(problem);
      cb.onPhase('error', null);
      return;
    }
    const t0 = performance.now();
    const abort = new AbortController();
    this.abort = abort;
    const stale = () => token !== this.loadToken || abort.signal.aborted;
    const imageIds = imageIdsForSeries(host, series);
    this.imageIds = imageIds;
    try {
      cb.onPhase('first-image', null);
      await this.ensureAxialStack();
      const axial = this.viewport('axial') as Types.IStackViewport;
      await axial.setStack(imageIds, Math.floor(imageIds.length / 2));
      if (stale()) return;
      axial.setProperties({ voiRange: voiRangeOf(this.preset) });
      axial.render();
      cb.onTiming('firstImage', performance.now() - t0);
      if (imageIds.length < MIN_SLICES_FOR_VOLUME) {
        cb.onError(appError('VIEWER_TOO_FEW_SLICES', `Only ${imageIds.length} slice(s): the reformats need at least ${MIN_SLICES_FOR_VOLUME}.`));
        cb.onPhase('done', 1);
        return;
      }

      const geometry = volumeGeometry(series);
      const fast = !!series.transferSyntaxUid && FAST_TRANSFER_SYNTAXES.has(series.transferSyntaxUid);
      if (!geometry) {
        // Uneven or missing slice positions: a volume built on a regular grid would place
        // voxels where they are not. Keep the true axial images only.
        cb.onError(
          appError(
            'VIEWER_IRREGULAR_GEOMETRY',
            'The slices do not form a regular volume (uneven spacing or missing positions): only the axial images are shown; reformats and oblique are not built.',
            { field: 'ImagePositionPatient (0020,0032)' },
          ),
        );
        cb.onPhase('done', 1);
        return;
      }
      if (geometry.shiftsPx) cb.onResampled?.(geometry.shearDeg);
      // Uncompressed: our own reader fills the volume. Compressed and sheared: Cornerstone decodes
      // each slice and we put it on the grid (its streaming volume would stack the slices
      // straight). Compressed and regular: Cornerstone's streaming volume.
      const built =
        fast || geometry.shiftsPx
          ? await this.buildVolumeFast(host, series, geometry, imageIds, token, abort.signal, stale, cb, t0, fast ? undefined : decodedSliceReader(imageIds, series, geometry))
          : await this.buildVolumeStreaming(series, imageIds, token, abort.signal, stale, cb, t0);
      if (!built || stale()) return;
      const { volumeId, volume } = built;
      await this.convertAxialToVolume(volumeId);
      for (const id of ALL_VIEWPORT_IDS) this.viewport(id)?.render();
      const axis = getBoneAxis();
      if (axis) await this.applyBoneAxis(axis);
      cb.onTiming('complete', performance.now() - t0);
      setLoadedVolume({ seriesInstanceUid: series.seriesInstanceUid, volumeId, volume: volume as unknown as Types.IImageVolume, hu: this.huArray });
      cb.onPhase('done', 1);
    } catch (error) {
      if (token !== this.loadToken) return;
      if (isAppError(error) && error.code === 'VIEWER_CANCELLED') {
        cb.onPhase('cancelled', null);
        return;
      }
      cb.onError(
        isAppError(error)
          ? error
          : appError('VIEWER_LOAD_FAILED', `The series could not be displayed: ${messageOf(error)}`, {
              file: (error as { imageId?: string })?.imageId ? fileOfImageId((error as { imageId: string }).imageId) : undefined,
            }),
      );
      cb.onPhase('error', null);
    }
  }


  /** Cornerstone's streaming volume (any transfer syntax): metadata of every file first, then
   * decoding in web workers; the reformats fill in as slices arrive. */
  private async buildVolumeStreaming(
    series: Series,
    imageIds: string[],
    token: number,
    signal: AbortSignal,
    stale: () => boolean,
    cb: LoadCallbacks,
    t0: number,
  ): Promise<{ volumeId: string; volume: Types.IImageVolume } | null> {
    const abort = { signal };
    cb.onPhase('reading', 0);
    await readAllBytes(imageIds, abort.signal, (done, total) => {
      if (!stale()) cb.onPhase('reading', done / total);
    });
    if (stale()) return null;
    cb.onTiming('filesRead', performance.now() - t0);

    const volumeId = `${VOLUME_SCHEME}:${series.seriesInstanceUid}#${token}`;
    this.volumeId = volumeId;
    const volume = (await volumeLoader.createAndCacheVolume(volumeId, { imageIds })) as Types.IStreamingImageVolume;
    if (stale()) return null;
    cb.onTiming('volumeCreated', performance.now() - t0);
    await setVolumesForViewports(this.engine!, [{ volumeId }], ['sagittal', 'coronal']);
    this.applyPreset(this.preset, ['sagittal', 'coronal']);
    cb.onPhase('decoding', 0);
    // Cornerstone re-renders every viewport each 2 % of frames while streaming; with software
    // WebGL that costs more than the decoding itself. Re-render a few times a second instead.
    (volume as unknown as { autoRenderOnLoad: boolean }).autoRenderOnLoad = false;
    let lastRender = performance.now();

    const failures: AppError[] = [];
    await new Promise<void>((resolve, reject) => {
      const onModified = (evt: Event) => {
        const d = (evt as CustomEvent).detail as { volumeId: string; framesProcessed: number; numberOfFrames: number };
        if (d.volumeId !== volumeId || stale()) return null;
        cb.onPhase('decoding', d.framesProcessed / imageIds.length);
        if (performance.now() - lastRender > PROGRESS_RENDER_INTERVAL_MS) {
          lastRender = performance.now();
          this.engine?.renderViewports(['sagittal', 'coronal']);
        }
      };
      const onError = (evt: Event) => {
        const d = (evt as CustomEvent).detail as { imageId?: string; error?: unknown };
        if (!d.imageId || !imageIds.includes(d.imageId)) return null;
        failures.push(
          appError('VIEWER_DECODE_FAILED', `This image could not be decoded: ${messageOf(d.error)}`, { file: fileOfImageId(d.imageId) }),
        );
      };
      const onAbort = () => {
        cleanup();
        reject(appError('VIEWER_CANCELLED', 'Loading was cancelled.'));
      };
      const cleanup = () => {
        eventTarget.removeEventListener(Enums.Events.IMAGE_VOLUME_MODIFIED, onModified);
        eventTarget.removeEventListener(Enums.Events.IMAGE_LOAD_ERROR, onError);
        abort.signal.removeEventListener('abort', onAbort);
      };
      eventTarget.addEventListener(Enums.Events.IMAGE_VOLUME_MODIFIED, onModified);
      eventTarget.addEventListener(Enums.Events.IMAGE_LOAD_ERROR, onError);
      abort.signal.addEventListener('abort', onAbort);
      (volume as unknown as { load(cb: () => void): void }).load(() => {
        cleanup();
        resolve();
      });
    });
    if (stale()) return null;
    if (failures.length > 0) {
      for (const f of failures.slice(0, 5)) cb.onError(f);
      cb.onPhase('error', null);
      return null;
    }
    return { volumeId, volume: volume as unknown as Types.IImageVolume };
  }

  /** Uncompressed series: fill the HU volume while reading (fastVolume.ts), then show it. */
  private async buildVolumeFast(
    host: HostApi,
    series: Series,
    geometry: VolumeGeometry,
    imageIds: string[],
    token: number,
    signal: AbortSignal,
    stale: () => boolean,
    cb: LoadCallbacks,
    t0: number,
    readSliceInto?: (hu: Int16Array) => (k: number) => Promise<AppError | null>,
  ): Promise<{ volumeId: string; volume: Types.IImageVolume } | null> {
    const [nx, ny, nz] = geometry.dimensions;
    const hu = new Int16Array(nx * ny * nz);
    const volumeId = `frwLocalVolume:${series.seriesInstanceUid}#${token}`;
    let volume: Types.IImageVolume | null = null;
    const create = async () => {
      this.volumeId = volumeId;
      const d = geometry.direction;
      // Backed by `hu`: Cornerstone's slice images are views of it (no copy).
      volume = volumeLoader.createLocalVolume(volumeId, {
        metadata: {
          BitsAllocated: 16,
          BitsStored: 16,
          SamplesPerPixel: 1,
          HighBit: 15,
          PhotometricInterpretation: 'MONOCHROME2',
          PixelRepresentation: 1,
          Modality: series.modality,
          SeriesInstanceUID: series.seriesInstanceUid,
          ImageOrientationPatient: [d[0], d[1], d[2], d[3], d[4], d[5]],
          PixelSpacing: [geometry.spacing[1], geometry.spacing[0]],
          FrameOfReferenceUID: series.frameOfReferenceUid ?? series.seriesInstanceUid,
          Columns: nx,
          Rows: ny,
          voiLut: [{ windowCenter: WINDOW_PRESETS[this.preset].levelHu, windowWidth: WINDOW_PRESETS[this.preset].widthHu }],
          VOILUTFunction: 'LINEAR',
        },
        dimensions: [nx, ny, nz],
        spacing: geometry.spacing as Types.Point3,
        origin: geometry.origin as Types.Point3,
        direction: geometry.direction as Types.Mat3,
        scalarData: hu,
        referencedImageIds: geometry.order.map((i) => imageIds[i]),
      });
      cb.onTiming('volumeCreated', performance.now() - t0);
      await setVolumesForViewports(this.engine!, [{ volumeId }], ['sagittal', 'coronal']);
      this.applyPreset(this.preset, ['sagittal', 'coronal']);
    };
    if (PROGRESSIVE_REFORMATS) await create();
    if (stale()) return null;

    cb.onPhase('reading', 0);
    let lastRender = performance.now();
    const errors = await readIntoVolume(host, series, geometry, hu, signal, (done, total, k) => {
      if (stale()) return;
      cb.onPhase('reading', done / total);
      const v = volume as unknown as { vtkOpenGLTexture: { setUpdatedFrame(k: number): void }; imageData?: { modified(): void } } | null;
      if (!v) return;
      v.vtkOpenGLTexture.setUpdatedFrame(k);
      if (performance.now() - lastRender > PROGRESS_RENDER_INTERVAL_MS) {
        lastRender = performance.now();
        v.imageData?.modified();
        this.engine?.renderViewports(['sagittal', 'coronal']);
      }
    }, 6, readSliceInto?.(hu));
    if (stale()) return null;
    if (errors.length > 0) {
      for (const e of errors) cb.onError(e);
      cb.onPhase('error', null);
      return null;
    }
    cb.onTiming('filesRead', performance.now() - t0);
    if (volume) (volume as Types.IImageVolume).invalidate();
    else await create();
    this.huArray = hu;
    return { volumeId, volume: volume! };
  }

  cancel() {
    this.abort?.abort();
    if (this.volumeId) cache.getVolume(this.volumeId)?.cancelLoading?.();
  }

  private async ensureAxialStack() {
    if (!this.axialIsVolume) return;
    this.engine!.enableElement({
      viewportId: 'axial',
      type: Enums.ViewportType.STACK,
      element: this.elements.axial,
      defaultOptions: { background: [0, 0, 0] },
    });
    this.axialIsVolume = false;
  }

  /** Once the volume is complete the axial becomes a volume viewport too, keeping its slice,
   * zoom and pan, so crosshairs and reformats share one geometry. */
  private async convertAxialToVolume(volumeId: string) {
    const stack = this.viewport('axial') as Types.IStackViewport;
    // The plane the user is looking at (the stack camera's focal point lies on the current slice).
    const focal = [...stack.getCamera().focalPoint!] as Vec3;
    const pres = stack.getViewPresentation();
    this.engine!.enableElement({
      viewportId: 'axial',
      type: Enums.ViewportType.ORTHOGRAPHIC,
      element: this.elements.axial,
      defaultOptions: { background: [0, 0, 0], orientation: Enums.OrientationAxis.AXIAL },
    });
    this.axialIsVolume = true;
    await setVolumesForViewports(this.engine!, [{ volumeId }], ['axial']);
    const vol = this.viewport('axial') as Types.IVolumeViewport;
    try {
      vol.setViewPresentation(pres);
    } catch {
      // Keep the default fit.
    }
    this.jumpToWorld('axial', focal);
    this.applyPreset(this.preset, ['axial']);
  }

  unloadSeries() {
    this.abort?.abort();
    this.abort = null;
    setLoadedVolume(null);
    // Detach the data from the views first, then free it.
    for (const id of ALL_VIEWPORT_IDS) {
      const vp = this.viewport(id) as (Types.IViewport & { removeAllActors?: () => void }) | undefined;
      if (id !== 'axial' && vp?.removeAllActors) {
        vp.removeAllActors();
        vp.render();
      }
    }
    if (this.engine && this.imageIds.length > 0) {
      // A fresh, empty axial stack (also leaves the volume mode of a converted axial).
      this.engine.enableElement({
        viewportId: 'axial',
        type: Enums.ViewportType.STACK,
        element: this.elements.axial,
        defaultOptions: { background: [0, 0, 0] },
      });
      this.axialIsVolume = false;
    }
    if (this.volumeId) releaseVolume(this.volumeId, this.imageIds);
    else releaseVolume('', this.imageIds);
    this.volumeId = null;
    this.obliquesHaveVolume = false;
    this.huArray = null;
    if (this.imageIds.length) releaseImageIds(this.imageIds);
    this.imageIds = [];
    if (getBoneAxis()) setBoneAxisState(null);
    this.axisClicks = [];
    this.axisHistory = [];
    this.series = null;
  }

  hasVolume(): boolean {
    return this.axialIsVolume && this.volumeId !== null;
  }

  // ---------------------------------------------------------------- display

  getPreset(): WindowPresetName {
    return this.preset;
  }

  applyPreset(name: WindowPresetName, ids: readonly ViewportId[] = ALL_VIEWPORT_IDS) {
    this.preset = name;
    for (const id of ids) {
      const vp = this.viewport(id) as (Types.IViewport & { setProperties?: (p: object) => void }) | undefined;
      if (!vp?.setProperties) continue;
      if (id === 'axial' && !this.axialIsVolume && (vp as Types.IStackViewport).getImageIds().length === 0) continue;
      try {
        vp.setProperties({ voiRange: voiRangeOf(name) });
        vp.render();
      } catch {
        // Viewport without data yet: the preset is applied when its data arrive.
      }
    }
  }

  /** Reset zoom, pan, W/L to the preset and slices to the middle; obliques back to the axis. */
  reset() {
    for (const id of ALL_VIEWPORT_IDS) {
      const vp = this.viewport(id);
      if (!vp) continue;
      try {
        vp.resetCamera();
      } catch {
        /* empty viewport */
      }
    }
    const axis = getBoneAxis();
    if (axis) void this.applyBoneAxis(axis);
    this.applyPreset(this.preset);
  }

  /** Scroll the given (or active) viewport by `delta` slices. */
  scroll(id: ViewportId, delta: number) {
    const vp = this.viewport(id);
    if (!vp) return;
    try {
      csUtils.scroll(vp as Types.IStackViewport, { delta });
    } catch {
      /* no data yet */
    }
  }

  /**
   * Move a viewport's plane so that it passes through `pointMm` (LPS), keeping its orientation,
   * zoom and pan (the in-plane position of the image does not move).
   */
  jumpToWorld(id: ViewportId, pointMm: Vec3) {
    const vp = this.viewport(id);
    if (!vp) return;
    if (id === 'axial' && !this.axialIsVolume) {
      const stack = vp as Types.IStackViewport;
      const index = csUtils.getClosestStackImageIndexForPoint(pointMm as Types.Point3, stack);
      if (index !== null && index !== undefined) void stack.setImageIdIndex(index);
      return;
    }
    const cam = vp.getCamera();
    if (!cam.focalPoint || !cam.position || !cam.viewPlaneNormal) return;
    const n = cam.viewPlaneNormal as unknown as Vec3;
    const shift = scale(n, dot(sub(pointMm, cam.focalPoint as unknown as Vec3), n));
    vp.setCamera({
      focalPoint: add(cam.focalPoint as unknown as Vec3, shift) as Types.Point3,
      position: add(cam.position as unknown as Vec3, shift) as Types.Point3,
    });
    vp.render();
  }

  // ---------------------------------------------------------------- modes and bone axis

  getMode(): ViewerMode {
    return this.mode;
  }

  setMode(mode: ViewerMode) {
    if (mode === 'crosshairs' && !this.hasVolume()) return;
    const mpr = ToolGroupManager.getToolGroup(TOOL_GROUP_IDS.mpr);
    const obl = ToolGroupManager.getToolGroup(TOOL_GROUP_IDS.oblique);
    if (!mpr || !obl) return;
    const primary = [{ mouseButton: ToolEnums.MouseBindings.Primary }];
    // Leave whatever else (e.g. measurement tools) passive; W/L or crosshairs take the left button.
    if (this.mode === 'crosshairs' && mode !== 'crosshairs') mpr.setToolDisabled(CrosshairsTool.toolName);
    if (mode === 'windowLevel') {
      for (const g of [mpr, obl]) g.setToolActive(WindowLevelTool.toolName, { bindings: primary });
    } else if (mode === 'crosshairs') {
      mpr.setToolActive(CrosshairsTool.toolName, { bindings: primary });
      obl.setToolActive(WindowLevelTool.toolName, { bindings: primary });
    } else {
      // Axis mode: our own click handler takes the left button; no tool may drag meanwhile.
      for (const g of [mpr, obl]) {
        const active = g.getActivePrimaryMouseButtonTool();
        if (active) g.setToolPassive(active);
      }
      this.axisClicks = [];
    }
    this.mode = mode;
    this.onModeChange(mode, this.axisClicks.length);
    this.onAxisOverlayChange();
  }

  /** Make `toolName` (already added to the tool groups) the left-button tool; W/L otherwise. */
  /** The left-button tool in W/L mode: 'WindowLevel' or a measurement tool the panel armed. */
  primaryTool(): string {
    return this.primaryToolName;
  }
  private primaryToolName: string = WindowLevelTool.toolName;

  activatePrimaryTool(toolName: string) {
    if (this.mode !== 'windowLevel') this.setMode('windowLevel');
    this.primaryToolName = toolName;
    for (const id of Object.values(TOOL_GROUP_IDS)) {
      const g = ToolGroupManager.getToolGroup(id);
      if (!g?.hasTool(toolName)) continue;
      const active = g.getActivePrimaryMouseButtonTool();
      if (active && active !== toolName) g.setToolPassive(active);
      g.setToolActive(toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] });
    }
  }

  pendingAxisPoints(): Vec3[] {
    return this.axisClicks.map((c) => c.world);
  }

  private axisClick(id: ViewportId, e: PointerEvent) {
    const vp = this.viewport(id);
    if (!vp || !this.hasVolume()) return;
    e.stopPropagation();
    e.preventDefault();
    const rect = this.elements[id].getBoundingClientRect();
    const world = vp.canvasToWorld([e.clientX - rect.left, e.clientY - rect.top]) as unknown as Vec3;
    const normal = [...vp.getCamera().viewPlaneNormal!] as Vec3;
    this.axisClicks.push({ world: [world[0], world[1], world[2]], normal });
    if (this.axisClicks.length >= 2) {
      const [a, b] = this.axisClicks;
      const axis = makeBoneAxis(a.world, b.world, a.normal);
      this.axisClicks = [];
      if (axis) {
        this.rememberAxis();
        setBoneAxisState(axis);
        void this.applyBoneAxis(axis);
        this.setMode('windowLevel');
        return;
      }
    }
    this.onModeChange(this.mode, this.axisClicks.length);
    this.onAxisOverlayChange();
  }

  /** Set an axis from two points (a handle drag, an analysis' axis, tests); `undoable: false` when
   * restoring a saved one (not a change the user made here). */
  async defineBoneAxis(p1Mm: Vec3, p2Mm: Vec3, drawnOnNormal: Vec3 = [0, -1, 0], opts: { undoable?: boolean } = {}): Promise<BoneAxis | null> {
    const axis = makeBoneAxis(p1Mm, p2Mm, drawnOnNormal);
    if (!axis) return null;
    if (opts.undoable !== false) this.rememberAxis();
    setBoneAxisState(axis);
    if (this.hasVolume()) await this.applyBoneAxis(axis);
    return axis;
  }

  clearBoneAxis() {
    if (!getBoneAxis()) return;
    this.rememberAxis();
    setBoneAxisState(null);
    this.onAxisOverlayChange();
  }

  private rememberAxis() {
    this.axisHistory.push(getBoneAxis());
    if (this.axisHistory.length > AXIS_UNDO_LIMIT) this.axisHistory.shift();
  }

  canUndoAxis(): boolean {
    return this.axisHistory.length > 0;
  }

  /** Back to the axis before the last change (none, if there was none). */
  async undoAxis(): Promise<void> {
    if (!this.axisHistory.length) return;
    const previous = this.axisHistory.pop()!;
    setBoneAxisState(previous);
    if (previous && this.hasVolume()) await this.applyBoneAxis(previous);
    else this.onAxisOverlayChange();
  }

  private orient(id: ViewportId, o: CameraOrientation, through: Vec3, halfHeightMm?: number) {
    const vp = this.viewport(id) as Types.IVolumeViewport | undefined;
    if (!vp) return;
    vp.setOrientation({ viewPlaneNormal: o.viewPlaneNormal as Types.Point3, viewUp: o.viewUp as Types.Point3 }, false);
    const cam = vp.getCamera();
    const offset = sub(cam.position as unknown as Vec3, cam.focalPoint as unknown as Vec3);
    vp.setCamera({
      focalPoint: through as Types.Point3,
      position: add(through, offset) as Types.Point3,
      ...(halfHeightMm ? { parallelScale: halfHeightMm } : {}),
    });
    vp.render();
  }

  async applyBoneAxis(axis: BoneAxis) {
    if (!this.volumeId) return;
    if (!this.obliquesHaveVolume) {
      await setVolumesForViewports(this.engine!, [{ volumeId: this.volumeId }], ['oblique', 'obliqueAlong']);
      this.obliquesHaveVolume = true;
      this.applyPreset(this.preset, ['oblique', 'obliqueAlong']);
    }
    const mid = axisMidpoint(axis);
    // Frame the bone: a cross-section field of view of 2 × CROSS_SECTION_HALF_FOV_MM, and the
    // whole defined axis (with margin) in the along-axis view.
    this.orient('oblique', crossSectionOrientation(axis), mid, CROSS_SECTION_HALF_FOV_MM);
    this.orient('obliqueAlong', alongAxisOrientation(axis), mid, Math.max(CROSS_SECTION_HALF_FOV_MM, 0.75 * axisLengthMm(axis)));
    this.onAxisOverlayChange();
  }

  /** Move the cross-section along the axis to the point at `t` (0 = p1, 1 = p2). */
  crossSectionAt(t: number) {
    const axis = getBoneAxis();
    if (!axis) return;
    const p = add(axis.p1Mm, scale(sub(axis.p2Mm, axis.p1Mm), t));
    this.orient('oblique', crossSectionOrientation(axis), p);
  }

  // ---------------------------------------------------------------- HU under the cursor

  /** HU and LPS position at a canvas point (CSS pixels) of a viewport; null outside the data. */
  sampleAt(id: ViewportId, canvasXY: [number, number]): HuSample | null {
    const vp = this.viewport(id);
    if (!vp) return null;
    const world = vp.canvasToWorld(canvasXY as Types.Point2);
    const lpsMm: Vec3 = [world[0], world[1], world[2]];
    if (this.hasVolume()) {
      const volume = cache.getVolume(this.volumeId!);
      if (!volume?.imageData || !volume.voxelManager) return null;
      const [i, j, k] = csUtils.transformWorldToIndex(volume.imageData, world);
      const [nx, ny, nz] = volume.dimensions;
      if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) return null;
      const hu = Number(volume.voxelManager.getAtIJK(i, j, k));
      return { viewportId: id, hu, lpsMm, index: [i, j, k] };
    }
    if (id !== 'axial') return null;
    const stack = vp as Types.IStackViewport;
    const imageId = stack.getCurrentImageId?.();
    const image = imageId ? cache.getImage(imageId) : undefined;
    if (!imageId || !image) return null;
    const ij = csUtils.worldToImageCoords(imageId, world);
    if (!ij) return null;
    const [col, row] = ij.map(Math.round);
    if (col < 0 || row < 0 || col >= image.columns || row >= image.rows) return null;
    const raw = image.getPixelData()[row * image.columns + col];
    const scaled = image.preScale?.scaled;
    const hu = scaled ? raw : raw * (image.slope ?? 1) + (image.intercept ?? 0);
    return { viewportId: id, hu, lpsMm, index: [col, row, stack.getCurrentImageIdIndex()] };
  }

  destroy() {
    this.disposed = true;
    for (const c of this.cleanups) c();
    this.cleanups = [];
    // Only what is ours: a newer viewer may already own the engine and tool-group ids.
    const live = this.engine !== null && getRenderingEngine(RENDERING_ENGINE_ID) === this.engine;
    if (live) {
      this.unloadSeries();
      for (const id of Object.values(TOOL_GROUP_IDS)) {
        if (this.ownGroups.includes(ToolGroupManager.getToolGroup(id) as never)) ToolGroupManager.destroyToolGroup(id);
      }
    } else {
      this.abort?.abort();
    }
    if (this.engine && !(this.engine as unknown as { hasBeenDestroyed?: boolean }).hasBeenDestroyed) this.engine.destroy();
    this.engine = null;
  }
}

/**
 * Free a closed series: the volume, its slice images (the fast path's views of the HU array,
 * which would otherwise keep the whole array alive) and the decoded images of its files.
 */
function releaseVolume(volumeId: string, fileImageIds: readonly string[]) {
  const volume = volumeId ? cache.getVolume(volumeId) : undefined;
  const ids = [...(volume?.imageIds ?? []), ...fileImageIds];
  try {
    if (volume) cache.removeVolumeLoadObject(volumeId);
  } catch {
    // Already gone (e.g. evicted): nothing to free.
  }
  for (const id of ids) {
    try {
      if (cache.getImageLoadObject(id)) cache.removeImageLoadObject(id, { force: true });
    } catch {
      /* not cached */
    }
  }
}

/** The controller of the mounted viewer (one viewer per window), for index.ts helpers. */
let current: ViewerController | null = null;
export function setCurrentController(c: ViewerController | null) {
  current = c;
}
export function getCurrentController(): ViewerController | null {
  return current;
}

export { toolGroupOf, WINDOW_PRESETS };

/** Slice k of a compressed series, decoded by Cornerstone's image loader (its web workers), into `hu`. */
function decodedSliceReader(imageIds: string[], series: Series, geometry: VolumeGeometry) {
  return (hu: Int16Array) =>
    async (k: number): Promise<AppError | null> => {
      const i = geometry.order[k];
      const file = series.instances[i].file;
      try {
        const image = await imageLoader.loadImage(imageIds[i]);
        return fillSliceFromImage(image as never, hu, k, geometry, file);
      } catch (error) {
        return appError('VIEWER_DECODE_FAILED', `This image could not be decoded: ${messageOf(error)}`, { file });
      }
    };
}
