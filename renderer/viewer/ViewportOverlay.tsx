/**
 * The reading-room corners of a viewport (issue 14): orientation letters at the four edges, the
 * slice (number / count on the axial stack) with its position along the view normal and the
 * slice thickness, the window (W / L in HU), a scale bar and, on the axial view, the series name.
 * Everything is read from the viewport's camera and properties at each render, so it follows
 * zoom, pan, scroll, rotation and W/L drags.
 *
 * Test ids: viewport-overlay-<id> with data-left / data-right / data-top / data-bottom (letters),
 * data-ww / data-wl, data-position-mm, data-slice ("34/120", axial stack only), data-mm-per-px;
 * scale-bar-<id> with data-mm and data-px (its drawn length in CSS pixels).
 */
import { useTranslation } from 'react-i18next';
import type { Types } from '@cornerstonejs/core';
import type { Series } from '../../shared/schemas/scan';
import { formatNumber } from '../measure/format';
import type { ViewerController } from './controller';
import type { ViewportId } from './ids';
import { orientationLetters, scaleBarMm } from '../../shared/geometry/orientation';

type Vec3 = [number, number, number];

export interface OverlayState {
  letters: { left: string; right: string; top: string; bottom: string };
  ww: number | null;
  wl: number | null;
  positionMm: number;
  slice: { index: number; count: number } | null;
  mmPerPx: number;
  widthPx: number;
}

/** What the overlay shows for a viewport now, or null when it has no image. */
export function overlayState(vp: Types.IViewport, series: Series | null): OverlayState | null {
  const el = vp.element;
  const w = el.clientWidth;
  const h = el.clientHeight;
  if (!w || !h) return null;
  let c0: Vec3, cx: Vec3, cy: Vec3;
  try {
    c0 = vp.canvasToWorld([w / 2, h / 2]) as unknown as Vec3;
    cx = vp.canvasToWorld([w / 2 + 1, h / 2]) as unknown as Vec3;
    cy = vp.canvasToWorld([w / 2, h / 2 + 1]) as unknown as Vec3;
  } catch {
    return null;
  }
  const right: Vec3 = [cx[0] - c0[0], cx[1] - c0[1], cx[2] - c0[2]];
  const down: Vec3 = [cy[0] - c0[0], cy[1] - c0[1], cy[2] - c0[2]];
  const mmPerPx = Math.hypot(...right);
  if (!Number.isFinite(mmPerPx) || mmPerPx <= 0) return null;
  const letters = orientationLetters(right, down);
  const cam = vp.getCamera();
  const n = (cam.viewPlaneNormal ?? [0, 0, 1]) as unknown as Vec3;
  const f = (cam.focalPoint ?? [0, 0, 0]) as unknown as Vec3;
  const positionMm = f[0] * n[0] + f[1] * n[1] + f[2] * n[2];
  const props = (vp as unknown as { getProperties?: () => { voiRange?: { lower: number; upper: number } } }).getProperties?.();
  const voi = props?.voiRange;
  const slice = series ? sliceOf(series, n, f) : null;
  return {
    letters,
    ww: voi ? voi.upper - voi.lower : null,
    wl: voi ? (voi.upper + voi.lower) / 2 : null,
    positionMm,
    slice,
    mmPerPx,
    widthPx: w,
  };
}

/**
 * The acquired slice a view shows, when it is parallel to the slices (number in the series'
 * order, from its own positions; not from the viewport, whose image list a volume does not keep).
 */
function sliceOf(series: Series, n: Vec3, f: Vec3): { index: number; count: number } | null {
  const first = series.instances[0]?.imagePositionPatient;
  const last = series.instances.at(-1)?.imagePositionPatient;
  if (!first || !last || series.instances.length < 2) return null;
  const along: Vec3 = [last[0] - first[0], last[1] - first[1], last[2] - first[2]];
  const len = Math.hypot(...along);
  if (!(len > 0) || Math.abs(along[0] * n[0] + along[1] * n[1] + along[2] * n[2]) / len < 0.999) return null;
  let best = -1;
  let bestMm = Infinity;
  series.instances.forEach((inst, i) => {
    const p = inst.imagePositionPatient;
    if (!p) return;
    const d = Math.abs((p[0] - f[0]) * n[0] + (p[1] - f[1]) * n[1] + (p[2] - f[2]) * n[2]);
    if (d < bestMm) [best, bestMm] = [i, d];
  });
  return best >= 0 ? { index: best + 1, count: series.instances.length } : null;
}

export function ViewportOverlay(props: { controller: ViewerController | null; id: ViewportId; tick: number; series: Series | null }) {
  const { t, i18n } = useTranslation('viewer');
  const vp = props.controller?.viewport(props.id);
  let s: OverlayState | null = null;
  try {
    s = vp && props.series ? overlayState(vp, props.series) : null;
  } catch {
    // A view being rebuilt (another series, the axial stack becoming a volume) has no overlay for a moment.
    s = null;
  }
  if (!s || !props.series) return null;
  const num = (v: number, d = 0) => formatNumber(v, i18n.language, d);
  const bar = scaleBarMm(s.mmPerPx, s.widthPx);
  const barPx = bar / s.mmPerPx;
  const thickness = props.series.sliceThicknessMm;
  return (
    <div
      className="frw-viewport-overlay"
      data-testid={`viewport-overlay-${props.id}`}
      data-left={s.letters.left}
      data-right={s.letters.right}
      data-top={s.letters.top}
      data-bottom={s.letters.bottom}
      data-ww={s.ww ?? ''}
      data-wl={s.wl ?? ''}
      data-position-mm={s.positionMm.toFixed(2)}
      data-slice={s.slice ? `${s.slice.index}/${s.slice.count}` : ''}
      data-mm-per-px={s.mmPerPx}
      aria-hidden="true"
    >
      <span className="ori top">{s.letters.top}</span>
      <span className="ori bottom">{s.letters.bottom}</span>
      <span className="ori left">{s.letters.left}</span>
      <span className="ori right">{s.letters.right}</span>
      <div className="corner top-right">
        {s.slice && <div>{t('overlay.slice', { index: s.slice.index, count: s.slice.count })}</div>}
        <div>{t('overlay.position', { value: num(s.positionMm, 1) })}</div>
        {/* The acquired thickness describes the axial images only, not a reformat's plane. */}
        {thickness && props.id === 'axial' ? <div>{t('overlay.thickness', { value: num(thickness, 2) })}</div> : null}
      </div>
      <div className="corner bottom-left">
        {s.ww !== null && s.wl !== null && <div>{t('overlay.window', { ww: num(s.ww), wl: num(s.wl) })}</div>}
        {props.id === 'axial' && <div className="series-name">{props.series.description || props.series.seriesInstanceUid}</div>}
      </div>
      <div className="scale-bar" data-testid={`scale-bar-${props.id}`} data-mm={bar} data-px={barPx.toFixed(2)}>
        <div className="bar" style={{ width: `${barPx}px` }} />
        <div className="label">{num(bar)} mm</div>
      </div>
    </div>
  );
}

/**
 * The same corners burnt into a key image (issue 14: the report's images carry orientation, W/L,
 * slice position and a scale bar), on a canvas `scale` device pixels per CSS pixel.
 */
export function drawOverlay(ctx: CanvasRenderingContext2D, s: OverlayState, width: number, height: number, scale: number, text: (key: string, values: Record<string, unknown>) => string): void {
  const px = (v: number) => v * scale;
  ctx.save();
  ctx.textBaseline = 'middle';
  ctx.shadowColor = '#000';
  ctx.shadowBlur = px(2);
  ctx.font = `600 ${px(12)}px sans-serif`;
  ctx.fillStyle = '#f5c542';
  ctx.textAlign = 'center';
  ctx.fillText(s.letters.top, width / 2, px(12));
  ctx.fillText(s.letters.bottom, width / 2, height - px(10));
  ctx.textAlign = 'left';
  ctx.fillText(s.letters.left, px(4), height / 2);
  ctx.textAlign = 'right';
  ctx.fillText(s.letters.right, width - px(4), height / 2);
  ctx.font = `${px(11)}px sans-serif`;
  ctx.fillStyle = '#d8dde3';
  const pos = [s.slice ? text('overlay.slice', { index: s.slice.index, count: s.slice.count }) : null, text('overlay.position', { value: s.positionMm.toFixed(1) })].filter(Boolean) as string[];
  pos.forEach((line, i) => ctx.fillText(line, width - px(6), px(28 + 14 * i)));
  ctx.textAlign = 'left';
  if (s.ww !== null && s.wl !== null) ctx.fillText(text('overlay.window', { ww: Math.round(s.ww), wl: Math.round(s.wl) }), px(6), height - px(12));
  // Scale bar: a round length, drawn to its true size in this image's pixels.
  const barMm = scaleBarMm(s.mmPerPx, s.widthPx);
  const barPx = px(barMm / s.mmPerPx);
  const x1 = width - px(8);
  const y = height - px(24);
  ctx.strokeStyle = '#d8dde3';
  ctx.lineWidth = Math.max(1, px(1));
  ctx.beginPath();
  ctx.moveTo(x1 - barPx, y - px(4));
  ctx.lineTo(x1 - barPx, y);
  ctx.lineTo(x1, y);
  ctx.lineTo(x1, y - px(4));
  ctx.stroke();
  ctx.textAlign = 'right';
  ctx.fillText(`${barMm} mm`, x1, y + px(9));
  ctx.restore();
}
