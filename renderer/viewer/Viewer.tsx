import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostApi } from '../../shared/ipc/hostApi';
import type { Series } from '../../shared/schemas/scan';
import type { AppError } from '../../shared/errors';
import { ProgressBar } from '../ui/ProgressBar';
import { ErrorBanner } from '../ui/ErrorBanner';
import { useShortcut } from '../ui/shortcuts';
import { utilities as toolUtils } from '@cornerstonejs/tools';
import { ViewerController, setCurrentController, type HuSample, type LoadPhase, type ViewerMode } from './controller';
import { ALL_VIEWPORT_IDS, type ViewportId } from './ids';
import { PRESET_NAMES, voiRangeOf, type WindowPresetName } from './presets';
import { ViewportOverlay } from './ViewportOverlay';
import { getActiveViewportId, getBoneAxis, onViewerEvent } from './state';
import { axisLengthMm, dragAxisHandle, type BoneAxis } from './boneAxis';
import type { Vec3 } from '../../shared/schemas/common';
import { installViewerTestHooks } from './testHooks';
import { viewerShortcutsAllowed } from './shortcutScope';
import './viewer.css';

/**
 * The CT viewer: axial stack (shown as soon as its first slice decodes), sagittal and coronal
 * reformats, and two obliques along the bone axis the user defines (cross-section and
 * along-axis). Presets, W/L, zoom, pan, scroll, crosshairs, HU under the cursor.
 *
 * Test ids: `viewer` (data-phase = idle | first-image | reading | decoding | done | cancelled |
 * error; data-first-image-ms, data-complete-ms), `viewport-<id>` (id ∈ axial, sagittal, coronal,
 * oblique, obliqueAlong), `viewer-progress` (+ `-cancel`), `viewer-error` (+ `-item`),
 * `viewer-hu` (data-hu, data-lps "x,y,z", data-viewport, data-canvas "x,y" CSS px, data-index), `viewer-preset-<bone|softTissue|lung>`,
 * `viewer-mode-<windowLevel|crosshairs|axis>`, `viewer-reset`, `viewer-axis` (axis info),
 * `viewer-axis-clear`.
 */
export function Viewer(props: { host: HostApi; series: Series | null }) {
  const { t } = useTranslation('viewer');
  const refs = useRef<Partial<Record<ViewportId, HTMLDivElement | null>>>({});
  const gridRef = useRef<HTMLDivElement | null>(null);
  const [controller, setController] = useState<ViewerController | null>(null);
  const [setupError, setSetupError] = useState<AppError | null>(null);
  const [phase, setPhase] = useState<LoadPhase | 'idle'>('idle');
  const [fraction, setFraction] = useState<number | null>(null);
  const [resampledDeg, setResampledDeg] = useState<number | null>(null);
  const [errors, setErrors] = useState<AppError[]>([]);
  const [timing, setTiming] = useState<{ firstImage?: number; filesRead?: number; volumeCreated?: number; complete?: number }>({});
  const [preset, setPreset] = useState<WindowPresetName>('bone');
  const [mode, setMode] = useState<ViewerMode>('windowLevel');
  const [pendingPoints, setPendingPoints] = useState(0);
  const [hu, setHu] = useState<HuSample | null>(null);
  /** Viewport under the mouse (the HU read-out may be empty there: outside the volume). */
  const [hover, setHover] = useState<{ id: ViewportId; xy: [number, number] } | null>(null);
  const hoverId = hover?.id ?? null;
  const [overlayTick, bumpOverlay] = useReducer((x: number) => x + 1, 0);
  const [, bumpAxis] = useReducer((x: number) => x + 1, 0);
  const [reloadTick, reload] = useReducer((x: number) => x + 1, 0);
  /** 'five': the five views and the read-out; 'grid2x2': axial, sagittal, coronal, cross-section. */
  const [layout, setLayout] = useState<Layout>('five');
  /** A view shown alone (double-click or M), over the layout; null when none. */
  const [maximized, setMaximized] = useState<ViewportId | null>(null);
  const [cine, setCine] = useState<ViewportId | null>(null);
  const hoverRef = useRef<ViewportId | null>(null);

  // Cornerstone setup once per mount.
  useEffect(() => {
    const els = refs.current;
    if (!ALL_VIEWPORT_IDS.every((id) => els[id])) return;
    const c = new ViewerController(els as Record<ViewportId, HTMLDivElement>);
    let disposed = false;
    let raf = 0;
    c.onModeChange = (m, n) => {
      setMode(m);
      setPendingPoints(n);
    };
    c.onAxisOverlayChange = () => {
      if (raf) return;
      raf = requestAnimationFrame(() => {
        raf = 0;
        bumpOverlay();
      });
    };
    c.setup().then(
      () => {
        if (disposed) return c.destroy();
        setCurrentController(c);
        setController(c);
      },
      (error: unknown) => setSetupError({ code: 'VIEWER_INIT_FAILED', message: `The 3D viewer could not start: ${String((error as Error)?.message ?? error)}` }),
    );
    const off = onViewerEvent((e) => {
      if (e.type === 'bone-axis') bumpAxis();
    });
    const offHooks = installViewerTestHooks(
      () => c,
      () => timingRef.current,
      () => marksRef.current,
    );
    return () => {
      disposed = true;
      off();
      offHooks();
      cancelAnimationFrame(raf);
      setCurrentController(null);
      c.destroy();
    };
  }, []);

  const timingRef = useRef(timing);
  timingRef.current = timing;
  const marksRef = useRef<Record<string, number>>({});

  // Keep Cornerstone's canvases the size of their boxes.
  useEffect(() => {
    if (!controller || !gridRef.current) return;
    const ro = new ResizeObserver(() => controller.resize());
    ro.observe(gridRef.current);
    return () => ro.disconnect();
  }, [controller]);

  // The grid keeps its size when the layout changes: the views are resized explicitly.
  useEffect(() => {
    controller?.resize();
  }, [controller, layout, maximized]);

  useEffect(() => setCine(null), [props.series]);
  // Cine: one view plays its slices (Cornerstone's clip player) until stopped or the series changes.
  useEffect(() => {
    const el = cine ? refs.current[cine] : null;
    if (!el || !controller) return;
    try {
      toolUtils.cine.playClip(el, { framesPerSecond: CINE_FPS, loop: true });
    } catch {
      setCine(null);
      return;
    }
    return () => toolUtils.cine.stopClip(el);
  }, [cine, controller, props.series]);

  // Load the selected series.
  useEffect(() => {
    if (!controller) return;
    setErrors([]);
    setResampledDeg(null);
    setTiming({});
    setHu(null);
    if (!props.series) {
      controller.unloadSeries();
      setPhase('idle');
      return;
    }
    setPhase('first-image');
    marksRef.current = { loadStart: performance.now() };
    void controller.load(props.host, props.series, {
      onPhase: (p, f) => {
        setPhase(p);
        setFraction(f);
      },
      onError: (e) => setErrors((prev) => [...prev, e]),
      onResampled: (deg) => setResampledDeg(deg),
      onTiming: (kind, ms) => {
        // Absolute page time as well (performance.now()), for benchmarks that start the clock
        // when the user chooses the folder.
        marksRef.current[kind] = performance.now();
        setTiming((prev) => ({ ...prev, [kind]: Math.round(ms) }));
      },
    });
    return () => controller.cancel();
  }, [controller, props.host, props.series, reloadTick]);

  const choosePreset = useCallback(
    (name: WindowPresetName) => {
      setPreset(name);
      controller?.applyPreset(name);
    },
    [controller],
  );
  const chooseMode = useCallback((m: ViewerMode) => controller?.setMode(m), [controller]);
  /** Keys act on the view under the mouse (issue 14), else on the last one clicked. */
  const targetView = () => hoverRef.current ?? getActiveViewportId();
  const scrollActive = (delta: number) => controller?.scroll(targetView(), delta);
  const toggleMaximized = (id: ViewportId) => setMaximized((m) => (m === id ? null : id));

  useShortcut({ keys: '1', descriptionKey: 'viewer:shortcut.bone', group: 'viewer', when: viewerShortcutsAllowed, handler: () => choosePreset('bone') });
  useShortcut({ keys: '2', descriptionKey: 'viewer:shortcut.softTissue', group: 'viewer', when: viewerShortcutsAllowed, handler: () => choosePreset('softTissue') });
  useShortcut({ keys: '3', descriptionKey: 'viewer:shortcut.lung', group: 'viewer', when: viewerShortcutsAllowed, handler: () => choosePreset('lung') });
  useShortcut({ keys: 'r', descriptionKey: 'viewer:shortcut.reset', group: 'viewer', when: viewerShortcutsAllowed, handler: () => controller?.reset() });
  useShortcut({ keys: ['ArrowUp', 'ArrowLeft'], descriptionKey: 'viewer:shortcut.previous', group: 'viewer', when: viewerShortcutsAllowed, handler: () => scrollActive(-1) });
  useShortcut({ keys: ['ArrowDown', 'ArrowRight'], descriptionKey: 'viewer:shortcut.next', group: 'viewer', when: viewerShortcutsAllowed, handler: () => scrollActive(1) });
  useShortcut({ keys: 'PageUp', descriptionKey: 'viewer:shortcut.pageUp', group: 'viewer', when: viewerShortcutsAllowed, handler: () => scrollActive(-10) });
  useShortcut({ keys: 'PageDown', descriptionKey: 'viewer:shortcut.pageDown', group: 'viewer', when: viewerShortcutsAllowed, handler: () => scrollActive(10) });
  useShortcut({
    keys: 'a',
    descriptionKey: 'viewer:shortcut.axis',
    group: 'viewer',
    when: viewerShortcutsAllowed,
    handler: () => chooseMode(mode === 'axis' ? 'windowLevel' : 'axis'),
  });
  useShortcut({
    keys: 'c',
    descriptionKey: 'viewer:shortcut.crosshairs',
    group: 'viewer',
    when: viewerShortcutsAllowed,
    handler: () => chooseMode(mode === 'crosshairs' ? 'windowLevel' : 'crosshairs'),
  });
  useShortcut({ keys: 'u', descriptionKey: 'viewer:shortcut.axisUndo', group: 'viewer', when: viewerShortcutsAllowed, handler: () => void controller?.undoAxis() });
  useShortcut({ keys: 'm', descriptionKey: 'viewer:shortcut.maximize', group: 'viewer', when: viewerShortcutsAllowed, handler: () => toggleMaximized(targetView()) });
  useShortcut({ keys: 'p', descriptionKey: 'viewer:shortcut.cine', group: 'viewer', when: viewerShortcutsAllowed, handler: () => setCine((c) => (c ? null : targetView())) });
  useShortcut({ keys: 'Escape', descriptionKey: 'viewer:shortcut.escape', group: 'viewer', when: viewerShortcutsAllowed, handler: () => chooseMode('windowLevel') }, mode !== 'windowLevel');

  const onMove = (id: ViewportId) => (e: React.PointerEvent<HTMLDivElement>) => {
    if (!controller) return;
    const rect = e.currentTarget.getBoundingClientRect();
    const xy: [number, number] = [e.clientX - rect.left, e.clientY - rect.top];
    setHover({ id, xy });
    hoverRef.current = id;
    setHu(controller.sampleAt(id, xy));
  };

  const loading = phase === 'first-image' || phase === 'reading' || phase === 'decoding';
  const volumeReady = phase === 'done' && !!controller?.hasVolume();
  // A W/L drag leaves the preset: its button is lit only while the active view shows its window.
  const activeVoi = volumeReady ? activeVoiRange(controller) : undefined;
  const presetShown = !activeVoi || (Math.abs(activeVoi.lower - voiRangeOf(preset).lower) < 0.5 && Math.abs(activeVoi.upper - voiRangeOf(preset).upper) < 0.5);
  const axis = getBoneAxis();
  // Messages in the UI language where the viewer knows the case; the original (English) text
  // otherwise (it names the file and the library's reason).
  const series = props.series;
  const localized = (e: AppError): AppError => ({
    ...e,
    message: t(`error.${e.code}`, {
      defaultValue: e.message,
      modality: series?.modality || '?',
      count: series?.instanceCount ?? 0,
      syntax: `${series?.transferSyntaxName ?? ''} (${series?.transferSyntaxUid ?? ''})`.trim(),
    }),
  });
  const allErrors = (setupError ? [setupError, ...errors] : errors).map(localized);

  return (
    <div
      className="frw-viewer"
      data-testid="viewer"
      data-phase={phase}
      data-first-image-ms={timing.firstImage ?? ''}
      data-complete-ms={timing.complete ?? ''}
    >
      <div className="frw-viewer-toolbar" role="toolbar" aria-label={t('toolbar')}>
        <span className="group" role="group" aria-label={t('presets')}>
          {PRESET_NAMES.map((name, i) => (
            <button
              key={name}
              className={`btn small${preset === name && presetShown ? ' active' : ''}`}
              data-testid={`viewer-preset-${name}`}
              aria-pressed={preset === name && presetShown}
              title={`${t(`preset.${name}`)} (${i + 1})`}
              onClick={() => choosePreset(name)}
            >
              {t(`preset.${name}`)}
            </button>
          ))}
        </span>
        <span className="group" role="group" aria-label={t('modes')}>
          {(['windowLevel', 'crosshairs', 'axis'] as const).map((m) => (
            <button
              key={m}
              className={`btn small${mode === m ? ' active' : ''}`}
              data-testid={`viewer-mode-${m}`}
              aria-pressed={mode === m}
              disabled={m !== 'windowLevel' && !volumeReady}
              title={t(`modeHint.${m}`)}
              onClick={() => chooseMode(mode === m && m !== 'windowLevel' ? 'windowLevel' : m)}
            >
              {t(`mode.${m}`)}
            </button>
          ))}
          <button className="btn small" data-testid="viewer-reset" title={`${t('reset')} (R)`} onClick={() => controller?.reset()}>
            {t('reset')}
          </button>
        </span>
        <span className="group" role="group" aria-label={t('layouts')}>
          {LAYOUTS.map((l) => (
            <button
              key={l}
              className={`btn small${layout === l && !maximized ? ' active' : ''}`}
              data-testid={`viewer-layout-${l}`}
              aria-pressed={layout === l && !maximized}
              title={t(`layoutHint.${l}`)}
              onClick={() => {
                setLayout(l);
                setMaximized(null);
              }}
            >
              {t(`layout.${l}`)}
            </button>
          ))}
          <button
            className={`btn small${cine ? ' active' : ''}`}
            data-testid="viewer-cine"
            aria-pressed={!!cine}
            disabled={!volumeReady}
            title={t('cineHint')}
            onClick={() => setCine((c) => (c ? null : targetView()))}
          >
            {cine ? t('cineStop') : t('cine')}
          </button>
        </span>
        {resampledDeg !== null && (
          <span className="group resampled-info" data-testid="viewer-resampled" title={t('resampledTitle')}>
            {t('resampled', { deg: resampledDeg.toFixed(1) })}
          </span>
        )}
        {(axis || controller?.canUndoAxis()) && (
          <span className="group axis-info" data-testid="viewer-axis">
            {axis && t('axisDefined', { lengthMm: axisLengthMm(axis).toFixed(0) })}
            {axis && (
              <button className="btn small" data-testid="viewer-axis-clear" onClick={() => controller?.clearBoneAxis()}>
                {t('axisClear')}
              </button>
            )}
            {controller?.canUndoAxis() && (
              <button className="btn small" data-testid="viewer-axis-undo" title={`${t('axisUndoHint')} (U)`} onClick={() => void controller.undoAxis()}>
                {t('axisUndo')}
              </button>
            )}
          </span>
        )}
        {mode === 'axis' && (
          <span className="axis-hint" data-testid="viewer-axis-hint">
            {t('axisHint', { count: pendingPoints + 1 })}
          </span>
        )}
      </div>

      {loading && (
        <ProgressBar
          testId="viewer-progress"
          label={t(`phase.${phase}`)}
          fraction={phase === 'first-image' ? null : fraction}
          detail={props.series ? t('slices', { count: props.series.instanceCount }) : undefined}
          onCancel={() => controller?.cancel()}
        />
      )}
      {phase === 'cancelled' && (
        <div className="frw-viewer-note" data-testid="viewer-cancelled">
          {t('cancelled')}{' '}
          <button className="btn small" data-testid="viewer-reload" onClick={reload}>
            {t('reload')}
          </button>
        </div>
      )}
      <ErrorBanner testId="viewer-error" title={t('errorTitle')} errors={allErrors} />

      <div className={`frw-viewer-grid layout-${layout}${mode === 'axis' ? ' axis-mode' : ''}`} ref={gridRef} data-testid="viewer-grid" data-layout={layout} data-maximized={maximized ?? ''}>
        {ALL_VIEWPORT_IDS.map((id) => (
          <div key={id} className={`frw-viewport-cell${maximized === id ? ' max' : ''}${isParked(layout, id) ? ' parked' : ''}`} data-testid={`viewport-cell-${id}`}>
            <div className="frw-viewport-label">{t(`viewport.${id}`)}</div>
            <div
              className="frw-viewport"
              data-testid={`viewport-${id}`}
              ref={(el) => {
                refs.current[id] = el;
              }}
              onPointerMove={onMove(id)}
              onPointerLeave={() => {
                setHu(null);
                setHover(null);
                hoverRef.current = null;
              }}
              onDoubleClick={() => {
                // Only while no drawing tool is armed: a quick second click of a measurement is not a request to maximise.
                if (mode === 'windowLevel' && controller?.primaryTool() === 'WindowLevel') toggleMaximized(id);
              }}
              onContextMenu={(e) => e.preventDefault()}
            />
            <AxisOverlay controller={controller} id={id} tick={overlayTick} editable={volumeReady && mode === 'axis'} />
            {volumeReady && (!!axis || (id !== 'oblique' && id !== 'obliqueAlong')) && (
              <ViewportOverlay controller={controller} id={id} tick={overlayTick} series={props.series} />
            )}
            {!props.series && id === 'axial' && <div className="frw-viewport-empty">{t('noSeries')}</div>}
            {props.series && (id === 'sagittal' || id === 'coronal') && (phase === 'first-image' || phase === 'reading') && (
              <div className="frw-viewport-empty">{t('reformatWaiting')}</div>
            )}
            {volumeReady && (id === 'oblique' || id === 'obliqueAlong') && !axis && (
              <div className="frw-viewport-empty">{t('obliqueNeedsAxis')}</div>
            )}
          </div>
        ))}
        <div className={`frw-viewport-cell frw-viewer-info${layout === 'grid2x2' ? ' parked' : ''}`}>
          <div
            className="frw-hu"
            data-testid="viewer-hu"
            data-hu={hu ? String(hu.hu) : ''}
            data-lps={hu ? hu.lpsMm.map((v) => v.toFixed(2)).join(',') : ''}
            data-viewport={hoverId ?? ''}
            data-canvas={hover ? hover.xy.map((v) => v.toFixed(0)).join(',') : ''}
            data-index={hu ? hu.index.join(',') : ''}
          >
            {hu ? (
              <>
                <div className="hu-value">{t('hu', { value: Math.round(hu.hu) })}</div>
                <div className="hu-pos">
                  {t('lps', { x: hu.lpsMm[0].toFixed(1), y: hu.lpsMm[1].toFixed(1), z: hu.lpsMm[2].toFixed(1) })}
                </div>
              </>
            ) : (
              <div className="hu-pos">{hoverId ? t('outside') : t('huHint')}</div>
            )}
          </div>
          {timing.firstImage !== undefined && (
            <div className="frw-timing">
              {t('timing', { first: timing.firstImage, complete: timing.complete ?? '…' })}
            </div>
          )}
          <div className="frw-help-mini">{t('mouseHelp')}</div>
        </div>
      </div>
    </div>
  );
}

/** The active view's window, or undefined while it has none (a view being rebuilt may throw: never during render). */
function activeVoiRange(controller: ViewerController | null): { lower: number; upper: number } | undefined {
  try {
    const vp = controller?.viewport(getActiveViewportId()) as { getProperties?: () => { voiRange?: { lower: number; upper: number } } } | undefined;
    return vp?.getProperties?.().voiRange;
  } catch {
    return undefined;
  }
}

type Layout = 'five' | 'grid2x2';
const LAYOUTS: readonly Layout[] = ['five', 'grid2x2'];
/** Slices per second of the cine. */
const CINE_FPS = 10;

/** Views a layout does not show stay alive off-screen (a zero-size WebGL view breaks the renderer). */
function isParked(layout: Layout, id: ViewportId): boolean {
  return layout === 'grid2x2' && id === 'obliqueAlong';
}

/**
 * The bone axis (and the points clicked so far) drawn over a viewport, in canvas pixels. In the
 * bone-axis mode (A) its handles can be dragged (issue 14; outside it they never catch a click or
 * the wheel meant for the image, e.g. the analysis seed in the canal): an end moves within this view's
 * plane (set the axis in two planes), and where the axis is seen end-on (the cross-section) the
 * whole axis moves (re-centre it on the canal). Test ids: axis-overlay-<id>, axis-handle-<id>-<0|1>.
 */
function AxisOverlay(props: { controller: ViewerController | null; id: ViewportId; tick: number; editable: boolean }) {
  const c = props.controller;
  const vp = c?.viewport(props.id);
  const [drag, setDrag] = useState<{ handle: 'p1' | 'p2' | 'both'; from: Vec3; preview: BoneAxis | null } | null>(null);
  if (!c || !vp) return null;
  const axis = getBoneAxis();
  const shown = drag?.preview ?? axis;
  const pts = shown ? [shown.p1Mm, shown.p2Mm] : c.pendingAxisPoints();
  if (pts.length === 0) return null;
  let canvas: [number, number][];
  try {
    canvas = pts.map((p) => vp.worldToCanvas(p as never) as unknown as [number, number]);
  } catch {
    return null;
  }
  const [a, b] = canvas;
  const isPoint = !b || Math.hypot(b[0] - a[0], b[1] - a[1]) < 4;
  const toWorld = (e: React.PointerEvent): Vec3 => {
    const r = (e.currentTarget as Element).closest('svg')!.getBoundingClientRect();
    return [...vp.canvasToWorld([e.clientX - r.left, e.clientY - r.top] as never)] as unknown as Vec3;
  };
  const normal = (): Vec3 => [...(vp.getCamera().viewPlaneNormal as unknown as Vec3)] as Vec3;
  const editable = props.editable && !!axis;
  return (
    <svg className="frw-axis-overlay" data-testid={`axis-overlay-${props.id}`} aria-hidden="true">
      {b && !isPoint && <line x1={a[0]} y1={a[1]} x2={b[0]} y2={b[1]} />}
      {canvas.map(([x, y], i) => (
        <circle
          key={i}
          cx={x}
          cy={y}
          r={editable ? 6 : 4}
          className={editable ? 'handle' : undefined}
          data-testid={`axis-handle-${props.id}-${i}`}
          onPointerDown={(e) => {
            if (!editable || !axis) return;
            e.stopPropagation();
            e.preventDefault();
            (e.currentTarget as Element).setPointerCapture(e.pointerId);
            setDrag({ handle: isPoint ? 'both' : i === 0 ? 'p1' : 'p2', from: toWorld(e), preview: axis });
          }}
          onPointerMove={(e) => {
            if (!drag || !axis) return;
            e.stopPropagation();
            setDrag({ ...drag, preview: dragAxisHandle(axis, drag.handle, drag.from, toWorld(e), normal()) });
          }}
          onPointerUp={(e) => {
            if (!drag) return;
            e.stopPropagation();
            const next = drag.preview;
            setDrag(null);
            if (next && next !== axis) void c.defineBoneAxis(next.p1Mm, next.p2Mm, next.drawnOnNormal);
          }}
        />
      ))}
    </svg>
  );
}
