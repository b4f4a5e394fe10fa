/**
 * RT contours on every view (issue 17). Contours are planar on the acquisition slices: the axial
 * view shows those within half a slice of its plane as polygons; sagittal, coronal and both
 * obliques show the structure's outline where their plane cuts it: the ends of the chords of
 * consecutive contour planes joined, closed by the first and last plane's chord (reformatOutline;
 * one chord per plane would paint a striped block over the cortex being measured). Drawn in canvas pixels with Cornerstone's
 * worldToCanvas, in an SVG portal over each view, redrawn when a camera or a slice changes.
 *
 * Test ids: rt-overlay-<viewportId> (data-polygons, data-segments, data-points).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import type { Vec3 } from '../../shared/schemas/common';
import { reformatOutline } from '../../shared/rt/contourGeometry';
import { SLICE_PLANE_TOLERANCE_MM } from '../../shared/rt/validateRtStruct';
import { seriesGeometryOf } from '../../shared/rt/seriesGeometry';
import { ALL_VIEWPORT_IDS, getBoneAxis, getViewport, registerCaptureOverlay, type ViewportId } from '../viewer';
import { redrawOnViewChange } from '../viewer/redrawOnViewChange';
import { useShell } from '../ui/shellContext';
import { useRtLoader } from './useRtLoader';
import { useRtState, visibleRois, type RtState } from './rtStore';

/**
 * Views within ~6° of the slices (cosine 0.995: the axial stack, a cross-section of a bone lying
 * along the table) show whole contours of the nearest slice, as planning systems do; steeper views
 * show where their plane cuts each contour. (A nearly parallel plane would otherwise cross few or no
 * contour planes and show next to nothing.)
 */
const PARALLEL_COS = 0.995;
const POINT_RADIUS_PX = 4;

/** Signed distance of a contour's centre (mean point) from the view plane, mm. */
function contourCentreDistanceMm(pointsMm: number[], origin: Vec3, normal: Vec3): number {
  const n = pointsMm.length / 3;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (pointsMm[3 * i] - origin[0]) * normal[0] + (pointsMm[3 * i + 1] - origin[1]) * normal[1] + (pointsMm[3 * i + 2] - origin[2]) * normal[2];
  return sum / n;
}

function polygonPoints(pointsMm: number[], xy: (p: Vec3) => [number, number]): string {
  const out: string[] = [];
  for (let i = 0; i < pointsMm.length; i += 3) {
    const [x, y] = xy([pointsMm[i], pointsMm[i + 1], pointsMm[i + 2]]);
    out.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  }
  return out.join(' ');
}

interface Shape {
  colour: string;
  polygons: string[];
  segments: Array<[number, number, number, number]>;
  points: Array<[number, number]>;
}

function drawView(id: ViewportId, rt: RtState, sliceNormal: Vec3 | null, halfSliceMm: number): { width: number; height: number; shapes: Shape[] } | null {
  // The obliques show nothing until a bone axis places them: no contours over their placeholder either.
  if ((id === 'oblique' || id === 'obliqueAlong') && !getBoneAxis()) return null;
  const vp = getViewport(id);
  const cam = vp?.getCamera();
  const el = vp?.element;
  if (!vp || !el || !cam?.focalPoint || !cam.viewPlaneNormal) return null;
  const origin = [...cam.focalPoint] as Vec3;
  const normal = [...cam.viewPlaneNormal] as Vec3;
  const parallel = !!sliceNormal && Math.abs(normal[0] * sliceNormal[0] + normal[1] * sliceNormal[1] + normal[2] * sliceNormal[2]) > PARALLEL_COS;
  // A contour belongs to the slice shown when its centre is within half a slice (rounding aside).
  const slabMm = halfSliceMm + 1e-3;
  const xy = (p: Vec3) => vp.worldToCanvas(p as never) as unknown as [number, number];
  const shapes: Shape[] = [];
  for (const { roi } of visibleRois(rt)) {
    const shape: Shape = { colour: `rgb(${roi.color.join(',')})`, polygons: [], segments: [], points: [] };
    const crossing: Array<{ pointsMm: number[]; closed: boolean }> = [];
    for (const c of roi.contours) {
      if (c.geometricType === 'POINT') {
        const p: Vec3 = [c.pointsMm[0], c.pointsMm[1], c.pointsMm[2]];
        const d = (p[0] - origin[0]) * normal[0] + (p[1] - origin[1]) * normal[1] + (p[2] - origin[2]) * normal[2];
        if (Math.abs(d) <= Math.max(halfSliceMm, 0.5)) shape.points.push(xy(p));
        continue;
      }
      if (parallel) {
        if (Math.abs(contourCentreDistanceMm(c.pointsMm, origin, normal)) > slabMm) continue;
        shape.polygons.push(polygonPoints(c.pointsMm, xy));
        continue;
      }
      crossing.push({ pointsMm: c.pointsMm, closed: c.geometricType === 'CLOSED_PLANAR' });
    }
    if (crossing.length) {
      // The structure's outline on the reformat (chord ends of consecutive contour planes joined), not one chord per plane.
      const cut = reformatOutline(crossing, sliceNormal, { origin, normal }, 1e-3, SLICE_PLANE_TOLERANCE_MM);
      for (const poly of cut.polygons) shape.polygons.push(poly.map((p) => xy(p).map((v) => v.toFixed(1)).join(',')).join(' '));
      for (const [a, b] of cut.segments) {
        const pa = xy(a);
        const pb = xy(b);
        shape.segments.push([pa[0], pa[1], pb[0], pb[1]]);
      }
    }
    if (shape.polygons.length || shape.segments.length || shape.points.length) shapes.push(shape);
  }
  return { width: el.clientWidth, height: el.clientHeight, shapes };
}

function ViewOverlay({ id, rt, sliceNormal, halfSliceMm }: { id: ViewportId; rt: RtState; sliceNormal: Vec3 | null; halfSliceMm: number }) {
  const [host, setHost] = useState<HTMLElement | null>(null);
  const [drawn, setDrawn] = useState<ReturnType<typeof drawView>>(null);
  // Key images captured from this view include the contours (stable ref callback: registered once).
  const captureRef = useCallback((svg: SVGSVGElement | null) => (svg ? registerCaptureOverlay(id, svg) : undefined), [id]);
  useEffect(() => {
    const el = document.querySelector<HTMLElement>(`[data-testid="viewport-${id}"]`);
    setHost(el);
    if (!el) return;
    const redraw = () => setDrawn(drawView(id, rt, sliceNormal, halfSliceMm));
    // Any view's slice: the axial contours shown depend on the slice, the reformats on the crosshairs.
    return redrawOnViewChange(el, redraw, (e) => e.type === 'slice-changed' || e.type === 'bone-axis' || e.type === 'volume-loaded');
  }, [id, rt, sliceNormal, halfSliceMm]);
  if (!host || !drawn || drawn.shapes.length === 0) return null;
  const count = (k: 'polygons' | 'segments' | 'points') => drawn.shapes.reduce((n, s) => n + s[k].length, 0);
  return createPortal(
    <svg
      ref={captureRef}
      className="rt-overlay"
      data-testid={`rt-overlay-${id}`}
      data-polygons={count('polygons')}
      data-segments={count('segments')}
      data-points={count('points')}
      width={drawn.width}
      height={drawn.height}
    >
      {drawn.shapes.map((s, i) => (
        <g key={i} stroke={s.colour}>
          {s.polygons.map((p, j) => (
            <polygon key={`p${j}`} points={p} />
          ))}
          {s.segments.map(([x1, y1, x2, y2], j) => (
            <line key={`s${j}`} x1={x1} y1={y1} x2={x2} y2={y2} />
          ))}
          {s.points.map(([x, y], j) => (
            <circle key={`c${j}`} cx={x} cy={y} r={POINT_RADIUS_PX} fill={s.colour} />
          ))}
        </g>
      ))}
    </svg>,
    host,
  );
}

/** Mounted by the App beside the side panel: contours stay on the views whichever tab is open. */
export function RtOverlays() {
  useRtLoader();
  const rt = useRtState();
  const { series } = useShell();
  const g = useMemo(() => (series ? seriesGeometryOf(series) : null), [series]);
  const halfSliceMm = (series?.sliceSpacingMm ?? series?.sliceThicknessMm ?? 1) / 2;
  if (!g || visibleRois(rt).length === 0) return null;
  return (
    <>
      {ALL_VIEWPORT_IDS.map((id) => (
        <ViewOverlay key={id} id={id} rt={rt} sliceNormal={g.normal} halfSliceMm={halfSliceMm} />
      ))}
    </>
  );
}
