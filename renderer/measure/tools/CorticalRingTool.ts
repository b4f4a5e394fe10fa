/**
 * Axial % (clinical-rules §1): the periosteal and endosteal outlines of the intact bone as two
 * ellipses sharing a centre. Press on the bone's centre and drag to its outer surface: both
 * outlines appear (endosteal at 60 %); drag the 4 handles (semi-axes along the view's right / up)
 * to fit them, or the drawing to move it. The measurement layer counts the ring below the lesion's
 * cortical threshold and shows the involved part and the % here.
 */
import type { Types } from '@cornerstonejs/core';
import { drawing, type Types as ToolTypes } from '@cornerstonejs/tools';
import { add, dot, ellipse, normalize, scale, sub, cross, type Outline, type PlaneFrame, type Vec3 } from '../../../shared/geometry';
import { FrwHandleTool, type AnyAnnotation, type Vp } from './FrwHandleTool';

export const RING_TOOL_NAME = 'CorticalRing';
/** Initial endosteal radius as a share of the periosteal one (a typical long-bone cortex). */
const INITIAL_ENDOSTEAL_RATIO = 0.6;
const ELLIPSE_SEGMENTS = 96;

export interface RingData {
  /** In-plane unit axes of the ellipses (the view's right and up when drawn) and the normal. */
  u: Vec3;
  v: Vec3;
  normal: Vec3;
}

/** Involved part to draw (plane coordinates of the ring's frame), set by the measurement layer. */
export interface RingOverlay {
  involvedArcs: Array<{ startDeg: number; sweepDeg: number }>;
  /** Per-angle share of the wall below threshold (1° bins), for the partial-depth band. */
  wallBelow: number[];
}

export function ringFrame(a: AnyAnnotation): PlaneFrame {
  const d = a.data.frwRing as RingData;
  return { origin: a.data.handles.points[0] as Vec3, normal: d.normal, u: d.u, v: d.v };
}

/** The two outlines in the ring's plane frame (centre at the origin). */
export function ringOutlines(a: AnyAnnotation): { periosteal: Outline; endosteal: Outline } {
  const [c, pX, pY, eX, eY] = a.data.handles.points as Vec3[];
  const { u, v } = a.data.frwRing as RingData;
  const ax = (p: Vec3, dir: Vec3) => Math.abs(dot(sub(p, c), dir));
  return {
    periosteal: ellipse([0, 0], ax(pX, u), ax(pY, v)),
    endosteal: ellipse([0, 0], ax(eX, u), ax(eY, v)),
  };
}

export class CorticalRingTool extends FrwHandleTool {
  static override toolName = RING_TOOL_NAME;
  protected readonly pointCount = 5;
  protected readonly createByDrag = true;
  static textFor: (a: AnyAnnotation) => string[] = () => [];
  static overlayFor: (a: AnyAnnotation) => RingOverlay | null = () => null;

  constructor(toolProps = {}, defaultToolProps = { supportedInteractionTypes: ['Mouse'], configuration: { shadow: true } }) {
    super(toolProps, defaultToolProps as never);
  }

  protected initData(a: AnyAnnotation, world: Vec3, viewport: Vp): void {
    const cam = viewport.getCamera();
    const normal = normalize([...(cam.viewPlaneNormal ?? [0, 0, 1])] as Vec3)!;
    const v = normalize([...(cam.viewUp ?? [0, -1, 0])] as Vec3)!;
    const u = normalize(cross(v, normal))!;
    a.data.frwRing = { u, v, normal } satisfies RingData;
    a.data.handles.points = [world, [...world], [...world], [...world], [...world]];
  }

  protected moveHandle(a: AnyAnnotation, index: number, world: Vec3, creating: boolean): void {
    const pts = a.data.handles.points as Vec3[];
    const { u, v } = a.data.frwRing as RingData;
    const c = pts[0];
    const rel = sub(world, c);
    if (creating) {
      // While creating, the drag sets a circle through the pointer (periosteal) and the endosteal inside it.
      const r = Math.hypot(dot(rel, u), dot(rel, v));
      pts[1] = add(c, scale(u, r));
      pts[2] = add(c, scale(v, r));
      pts[3] = add(c, scale(u, r * INITIAL_ENDOSTEAL_RATIO));
      pts[4] = add(c, scale(v, r * INITIAL_ENDOSTEAL_RATIO));
      return;
    }
    if (index === 0) {
      const d = sub(world, c);
      for (let i = 0; i < pts.length; i++) pts[i] = add(pts[i], d);
      return;
    }
    // A handle stays on its axis; only its distance from the centre (the semi-axis) changes.
    const dir = index % 2 === 1 ? u : v;
    const side = Math.sign(dot(sub(pts[index], c), dir)) || 1;
    pts[index] = add(c, scale(dir, side * Math.abs(dot(rel, dir))));
  }

  private outlineCanvas(a: AnyAnnotation, viewport: Vp, which: 'periosteal' | 'endosteal'): Types.Point2[] {
    const o = ringOutlines(a)[which];
    if (o.kind !== 'ellipse') return [];
    const f = ringFrame(a);
    const out: Types.Point2[] = [];
    for (let i = 0; i <= ELLIPSE_SEGMENTS; i++) {
      const t = (2 * Math.PI * i) / ELLIPSE_SEGMENTS;
      const w = add(f.origin, add(scale(f.u, o.semiAxisXMm * Math.cos(t)), scale(f.v, o.semiAxisYMm * Math.sin(t))));
      out.push(viewport.worldToCanvas(w as Types.Point3));
    }
    return out;
  }

  protected hitPolylines(a: AnyAnnotation, viewport: Vp): Types.Point2[][] {
    return [this.outlineCanvas(a, viewport, 'periosteal'), this.outlineCanvas(a, viewport, 'endosteal')];
  }

  /** Canvas polygon of the wall between the outlines over an angular range (plane degrees). */
  private wallSector(a: AnyAnnotation, viewport: Vp, fromDeg: number, sweepDeg: number, depth = 1): Types.Point2[] {
    const { periosteal: P, endosteal: E } = ringOutlines(a);
    if (P.kind !== 'ellipse' || E.kind !== 'ellipse') return [];
    const f = ringFrame(a);
    const n = Math.max(2, Math.ceil(Math.abs(sweepDeg) / 2));
    const outer: Types.Point2[] = [];
    const inner: Types.Point2[] = [];
    // Ray distance to an axis-aligned ellipse centred at the origin.
    const rayR = (o: typeof P, t: number) => 1 / Math.sqrt((Math.cos(t) / o.semiAxisXMm) ** 2 + (Math.sin(t) / o.semiAxisYMm) ** 2);
    for (let i = 0; i <= n; i++) {
      const t = ((fromDeg + (sweepDeg * i) / n) * Math.PI) / 180;
      const rIn = rayR(E, t);
      const rOut = rIn + depth * (rayR(P, t) - rIn);
      const at = (r: number) => viewport.worldToCanvas(add(f.origin, add(scale(f.u, r * Math.cos(t)), scale(f.v, r * Math.sin(t)))) as Types.Point3);
      outer.push(at(rOut));
      inner.push(at(rIn));
    }
    return [...outer, ...inner.reverse()];
  }

  protected drawAnnotation(a: AnyAnnotation, viewport: Vp, svg: ToolTypes.SVGDrawingHelper, style: { color: string; lineWidth: number; lineDash: string }): void {
    const uid = a.annotationUID;
    const overlay = CorticalRingTool.overlayFor(a);
    if (overlay) {
      // Partial-depth destruction (below half the wall) in orange, proportional to its depth.
      const partial: Types.Point2[][] = [];
      overlay.wallBelow.forEach((w, k) => {
        if (w > 0.02 && w < 0.5) partial.push(this.wallSector(a, viewport, k * (360 / overlay.wallBelow.length), 360 / overlay.wallBelow.length, w));
      });
      if (partial.length) drawing.drawPath(svg, uid, 'partial', partial, { color: 'none', fillColor: '#ffa000', fillOpacity: 0.45, closePath: true, width: 0 });
      const involved = overlay.involvedArcs.map((arc) => this.wallSector(a, viewport, arc.startDeg, arc.sweepDeg));
      if (involved.length) drawing.drawPath(svg, uid, 'involved', involved, { color: '#ff2020', fillColor: '#ff2020', fillOpacity: 0.45, closePath: true, width: 1 });
    }
    drawing.drawPath(svg, uid, 'peri', this.outlineCanvas(a, viewport, 'periosteal'), { color: style.color, width: style.lineWidth });
    drawing.drawPath(svg, uid, 'endo', this.outlineCanvas(a, viewport, 'endosteal'), { color: style.color, width: style.lineWidth, lineDash: '5,3' });
  }

  /** Label beside the periosteal outline, off the bone. */
  protected override textPlacement(a: AnyAnnotation, viewport: Vp): Types.Point2[] | undefined {
    // Below the ring (Cornerstone puts the box to the right of this point, or left if it overflows).
    const outline = this.outlineCanvas(a, viewport, 'periosteal');
    if (!outline.length) return undefined;
    const c = viewport.worldToCanvas(a.data.handles.points[0] as Types.Point3);
    const bottom = Math.max(...outline.map((p) => p[1]));
    return [[c[0], bottom + 14]];
  }

  protected textLines(a: AnyAnnotation): string[] {
    return CorticalRingTool.textFor(a);
  }
}
