/**
 * Circumferential % (clinical-rules §1): click the centre of the bone's cross-section, then the
 * two ends of the involved arc. The arc goes the way the mouse went round the centre (either
 * direction, past 0°, beyond 180°); the label shows its angle and % and, when several arcs are
 * drawn on one section, their union (overlaps counted once).
 */
import type { Types } from '@cornerstonejs/core';
import { drawing, type Types as ToolTypes } from '@cornerstonejs/tools';
import { accumulateSweepDeg, arcFromHandles, planeFrame, planeToWorld, worldToPlane, type PlaneFrame, type Vec3 } from '../../../shared/geometry';
import { FrwHandleTool, type AnyAnnotation, type Vp } from './FrwHandleTool';

export const ARC_TOOL_NAME = 'CircumferentialArc';

/** The plane frame in which arc angles are measured: depends on the view normal only, so that
 * every arc drawn on one section shares the same 0°. */
export function arcFrame(centre: Vec3, normal: Vec3): PlaneFrame {
  return planeFrame(centre, normal, [1, 0, 0])!;
}

export interface ArcData {
  sweepDeg: number;
  normal: Vec3;
}

export function arcOf(a: AnyAnnotation): { startDeg: number; sweepDeg: number } | null {
  const pts = a.data.handles.points as Vec3[];
  const d = a.data.frwArc as ArcData | undefined;
  if (!d || pts.length < 3) return null;
  const f = arcFrame(pts[0], d.normal);
  return arcFromHandles(worldToPlane(f, pts[0]), worldToPlane(f, pts[1]), worldToPlane(f, pts[2]), d.sweepDeg);
}

export class CircumferentialArcTool extends FrwHandleTool {
  static override toolName = ARC_TOOL_NAME;
  protected readonly pointCount = 3;
  protected readonly createByDrag = false;
  /** Text lines supplied by the measurement layer (angle, %, section total). */
  static textFor: (a: AnyAnnotation) => string[] = () => [];

  constructor(toolProps = {}, defaultToolProps = { supportedInteractionTypes: ['Mouse'], configuration: { shadow: true } }) {
    super(toolProps, defaultToolProps as never);
  }

  protected initData(a: AnyAnnotation, _world: Vec3, viewport: Vp): void {
    const n = viewport.getCamera().viewPlaneNormal as unknown as Vec3;
    a.data.frwArc = { sweepDeg: 0, normal: [...n] } satisfies ArcData;
  }

  protected moveHandle(a: AnyAnnotation, index: number, world: Vec3, creating: boolean): void {
    const pts = a.data.handles.points as Vec3[];
    const d = a.data.frwArc as ArcData;
    const f = arcFrame(pts[0], d.normal);
    const c = worldToPlane(f, pts[0]);
    if (index === 0) {
      pts[0] = world;
      if (pts.length === 3) {
        const g = arcFrame(world, d.normal);
        d.sweepDeg = arcFromHandles(worldToPlane(g, world), worldToPlane(g, pts[1]), worldToPlane(g, pts[2]), d.sweepDeg).sweepDeg;
      }
      return;
    }
    if (index === 1 && creating) {
      pts[1] = world;
      return;
    }
    const prev = pts[index];
    if (index === 2) d.sweepDeg = accumulateSweepDeg(d.sweepDeg, c, worldToPlane(f, prev), worldToPlane(f, world));
    else d.sweepDeg = -accumulateSweepDeg(-d.sweepDeg, c, worldToPlane(f, prev), worldToPlane(f, world));
    pts[index] = world;
  }

  /** Canvas points along the arc (at the start handle's radius). */
  private arcPolyline(a: AnyAnnotation, viewport: Vp): Types.Point2[] {
    const pts = a.data.handles.points as Vec3[];
    const arc = arcOf(a);
    if (!arc) return [];
    const f = arcFrame(pts[0], (a.data.frwArc as ArcData).normal);
    const q = worldToPlane(f, pts[1]);
    const r = Math.hypot(q[0], q[1]);
    const n = Math.max(2, Math.ceil(Math.abs(arc.sweepDeg) / 3));
    const out: Types.Point2[] = [];
    for (let i = 0; i <= n; i++) {
      const t = ((arc.startDeg + (arc.sweepDeg * i) / n) * Math.PI) / 180;
      out.push(viewport.worldToCanvas(planeToWorld(f, [r * Math.cos(t), r * Math.sin(t)]) as Types.Point3));
    }
    return out;
  }

  /** Several arcs share the bone's centre: a click there starts a new arc instead of grabbing one. */
  protected override grabbableHandle(index: number): boolean {
    return index > 0;
  }

  protected hitPolylines(a: AnyAnnotation, viewport: Vp): Types.Point2[][] {
    const c = (a.data.handles.points as Types.Point3[]).map((p) => viewport.worldToCanvas(p));
    // The radii count from half-way out, so the shared centre stays free for the next arc.
    const half = (p: Types.Point2): Types.Point2 => [(c[0][0] + p[0]) / 2, (c[0][1] + p[1]) / 2];
    const lines: Types.Point2[][] = [[half(c[1]), c[1]]];
    if (c.length > 2) lines.push([half(c[2]), c[2]], this.arcPolyline(a, viewport));
    return lines;
  }

  protected drawAnnotation(a: AnyAnnotation, viewport: Vp, svg: ToolTypes.SVGDrawingHelper, style: { color: string; lineWidth: number; lineDash: string }): void {
    const c = (a.data.handles.points as Types.Point3[]).map((p) => viewport.worldToCanvas(p));
    const uid = a.annotationUID;
    drawing.drawLine(svg, uid, 'r1', c[0], c[1], { color: style.color, width: 1, lineDash: '4,3' });
    if (c.length < 3) return;
    drawing.drawLine(svg, uid, 'r2', c[0], c[2], { color: style.color, width: 1, lineDash: '4,3' });
    drawing.drawPath(svg, uid, 'arc', this.arcPolyline(a, viewport), { color: '#ff4040', width: Math.max(3, style.lineWidth + 2) });
  }

  /** Label beside the middle of the arc, away from the shared centre where new arcs start. */
  protected override textPlacement(a: AnyAnnotation, viewport: Vp): Types.Point2[] | undefined {
    const line = this.arcPolyline(a, viewport);
    if (!line.length) return undefined;
    const m = line[Math.floor(line.length / 2)];
    const c = viewport.worldToCanvas(a.data.handles.points[0] as Types.Point3);
    const d = Math.hypot(m[0] - c[0], m[1] - c[1]) || 1;
    return [[m[0] + ((m[0] - c[0]) / d) * 16, m[1] + ((m[1] - c[1]) / d) * 16]];
  }

  protected textLines(a: AnyAnnotation): string[] {
    return CircumferentialArcTool.textFor(a);
  }
}
