import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import type { LesionAnalysis } from '../../shared/schemas/analysis';
import type { Vec3 } from '../../shared/schemas/common';
import { getViewport, registerCaptureOverlay } from '../viewer';
import { redrawOnViewChange } from '../viewer/redrawOnViewChange';
import type { ViewerEvent } from '../viewer/state';

/** The overlay shows only while the oblique view lies this close to the analysed section (mm). */
const SHOW_WITHIN_MM = 1.5;

type Section = NonNullable<LesionAnalysis['mostAffectedSection']>;

// Key images of the two obliques include these layers as shown (stable React 19 ref callbacks:
// registered when the layer mounts, unregistered by the returned cleanup).
const captureOnCrossSection = (el: SVGSVGElement | null) => (el ? registerCaptureOverlay('oblique', el) : undefined);
const captureOnAlongAxis = (el: SVGSVGElement | null) => (el ? registerCaptureOverlay('obliqueAlong', el) : undefined);

/** The view under an analysis overlay changed: its own slice, or the bone axis. */
const viewChanged = (viewportId: 'oblique' | 'obliqueAlong') => (e: ViewerEvent) => (e.type === 'slice-changed' && e.viewportId === viewportId) || e.type === 'bone-axis';

function radiusAt(radii: Array<number | null>, stepDeg: number, deg: number): number | null {
  const n = radii.length;
  const f = (((deg % 360) + 360) % 360) / stepDeg;
  const a = Math.floor(f) % n;
  const b = (a + 1) % n;
  const ra = radii[a];
  const rb = radii[b];
  if (ra === null || rb === null) return ra ?? rb;
  return ra + (rb - ra) * (f - Math.floor(f));
}

function ringPoint(s: Section, deg: number, r: number): Vec3 {
  const c = Math.cos((deg * Math.PI) / 180) * r;
  const d = Math.sin((deg * Math.PI) / 180) * r;
  return [0, 1, 2].map((k) => s.origin[k] + c * s.u[k] + d * s.v[k]) as Vec3;
}

interface Drawn {
  width: number;
  height: number;
  outer: string;
  inner: string;
  sectors: string[];
}

/**
 * The intact ring (periosteal and endosteal outlines) and the involved sectors of the most
 * affected section, drawn over the oblique cross-section view (portal into its element), in
 * canvas pixels from Cornerstone's worldToCanvas, redrawn when the camera moves.
 */
export function SectorOverlay({ analysis }: { analysis: LesionAnalysis }) {
  const [drawn, setDrawn] = useState<Drawn | null>(null);
  const [host, setHost] = useState<HTMLElement | null>(null);
  const s = analysis.mostAffectedSection;

  useEffect(() => {
    if (!s) return;
    const el = document.querySelector<HTMLElement>('[data-testid="viewport-oblique"]');
    setHost(el);
    if (!el) return;
    const redraw = () => {
      const vp = getViewport('oblique');
      const cam = vp?.getCamera();
      if (!vp || !cam?.focalPoint || !cam.viewPlaneNormal) return setDrawn(null);
      const f = cam.focalPoint;
      const n = cam.viewPlaneNormal;
      const dist = Math.abs((f[0] - s.origin[0]) * n[0] + (f[1] - s.origin[1]) * n[1] + (f[2] - s.origin[2]) * n[2]);
      const aligned = Math.abs(n[0] * s.normal[0] + n[1] * s.normal[1] + n[2] * s.normal[2]) > 0.999;
      if (dist > SHOW_WITHIN_MM || !aligned) return setDrawn(null);
      const toXY = (p: Vec3) => {
        const c = vp.worldToCanvas(p as never);
        return `${c[0].toFixed(1)},${c[1].toFixed(1)}`;
      };
      const outline = (radii: Array<number | null>) => {
        const pts: string[] = [];
        for (let deg = 0; deg < 360; deg += 2) {
          const r = radiusAt(radii, s.radiusStepDeg, deg);
          if (r !== null) pts.push(toXY(ringPoint(s, deg, r)));
        }
        return pts.join(' ');
      };
      const sectors = s.involvedArcs.map((arc) => {
        const outer: string[] = [];
        const inner: string[] = [];
        const steps = Math.max(2, Math.ceil(arc.sweepDeg / 2));
        for (let i = 0; i <= steps; i++) {
          const deg = arc.startDeg + (arc.sweepDeg * i) / steps;
          const ro = radiusAt(s.periostealRadiusMm, s.radiusStepDeg, deg);
          const ri = radiusAt(s.endostealRadiusMm, s.radiusStepDeg, deg);
          if (ro === null || ri === null) continue;
          outer.push(toXY(ringPoint(s, deg, ro)));
          inner.unshift(toXY(ringPoint(s, deg, ri)));
        }
        return [...outer, ...inner].join(' ');
      });
      setDrawn({ width: el.clientWidth, height: el.clientHeight, outer: outline(s.periostealRadiusMm), inner: outline(s.endostealRadiusMm), sectors });
    };
    return redrawOnViewChange(el, redraw, viewChanged('oblique'));
  }, [s]);

  if (!host || !drawn) return <LengthOverlay analysis={analysis} />;
  return (
    <>
      <LengthOverlay analysis={analysis} />
      {createPortal(
    <svg ref={captureOnCrossSection} data-testid="analysis-overlay" data-sectors={drawn.sectors.length} className="analysis-overlay" width={drawn.width} height={drawn.height}>
      {drawn.sectors.map((p, i) => (
        <polygon key={i} className="sector" points={p} />
      ))}
      <polygon className="outline" points={drawn.outer} />
      <polygon className="outline" points={drawn.inner} />
    </svg>,
        host,
      )}
    </>
  );
}

/**
 * The axial length on the along-the-bone oblique view: the involved stretch of the axis with a
 * tick across the bone at each end (proximal / distal end sections), and the weakest section of
 * the rigidity analysis as a dashed line across the bone.
 */
function LengthOverlay({ analysis }: { analysis: LesionAnalysis }) {
  const [drawn, setDrawn] = useState<{ width: number; height: number; line: string | null; ticks: string[]; weakest: string | null } | null>(null);
  const [host, setHost] = useState<HTMLElement | null>(null);
  useEffect(() => {
    const axis = analysis.axis;
    const range = analysis.involvedRangeMm;
    const weakestMm = analysis.rigidity?.weakestSection?.positionMm ?? null;
    if (!axis || (!range && weakestMm === null)) return;
    const el = document.querySelector<HTMLElement>('[data-testid="viewport-obliqueAlong"]');
    setHost(el);
    if (!el) return;
    const d = axis.direction;
    const at = (t: number): Vec3 => [axis.point[0] + t * d[0], axis.point[1] + t * d[1], axis.point[2] + t * d[2]];
    const redraw = () => {
      const vp = getViewport('obliqueAlong');
      const cam = vp?.getCamera();
      if (!vp || !cam?.focalPoint || !cam.viewPlaneNormal) return setDrawn(null);
      const n = cam.viewPlaneNormal;
      const f = cam.focalPoint;
      const p = axis.point;
      const off = Math.abs((p[0] - f[0]) * n[0] + (p[1] - f[1]) * n[1] + (p[2] - f[2]) * n[2]);
      const tilt = Math.abs(n[0] * d[0] + n[1] * d[1] + n[2] * d[2]);
      if (off > SHOW_WITHIN_MM || tilt > 0.02) return setDrawn(null);
      // In-plane direction across the bone.
      const w: Vec3 = [n[1] * d[2] - n[2] * d[1], n[2] * d[0] - n[0] * d[2], n[0] * d[1] - n[1] * d[0]];
      const half = (analysis.boneRadiusMm ?? 10) * 1.3;
      const xy = (q: Vec3) => {
        const c = vp.worldToCanvas(q as never);
        return `${c[0].toFixed(1)},${c[1].toFixed(1)}`;
      };
      const tick = (t: number) => {
        const c = at(t);
        return `${xy([c[0] - half * w[0], c[1] - half * w[1], c[2] - half * w[2]])} ${xy([c[0] + half * w[0], c[1] + half * w[1], c[2] + half * w[2]])}`;
      };
      setDrawn({
        width: el.clientWidth,
        height: el.clientHeight,
        line: range ? `${xy(at(range.startMm))} ${xy(at(range.endMm))}` : null,
        ticks: range ? [tick(range.startMm), tick(range.endMm)] : [],
        weakest: weakestMm === null ? null : tick(weakestMm),
      });
    };
    return redrawOnViewChange(el, redraw, viewChanged('obliqueAlong'));
  }, [analysis]);
  if (!host || !drawn) return null;
  return createPortal(
    <svg ref={captureOnAlongAxis} data-testid="analysis-length-overlay" className="analysis-overlay" width={drawn.width} height={drawn.height}>
      {drawn.line && <polyline className="length" points={drawn.line} />}
      {drawn.ticks.map((p, i) => (
        <polyline key={i} className="length-tick" points={p} />
      ))}
      {drawn.weakest && <polyline data-testid="analysis-weakest-overlay" className="weakest" points={drawn.weakest} />}
    </svg>,
    host,
  );
}
