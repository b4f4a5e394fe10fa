/**
 * Circumferential % (clinical-rules §1): click the centre of the bone's cross-section, the two
 * ends of the involved arc, then anywhere on the involved side (issue 14: two ends bound two
 * arcs; the side click, not the path the mouse took, says which). The arc is drawn thick on the
 * side taken and a handle marks the side click; dragging it across an end takes the other arc.
 * The label shows the angle and % and, when several arcs are drawn on one section, their union.
 */
import type { Types } from '@cornerstonejs/core';
import { drawing, type Types as ToolTypes } from '@cornerstonejs/tools';
import { arcThroughSide, planeToWorld, worldToPlane, type Arc, type Vec3 } from '../../../shared/geometry';
import { arcFrame } from '../../../shared/measure/derived';
import { FrwHandleTool, type AnyAnnotation, type Vp } from './FrwHandleTool';

export const ARC_TOOL_NAME = 'CircumferentialArc';

export interface ArcData {
  sweepDeg: number;
  normal: Vec3;
}

/** Handles: centre, start, end, side. */
const SIDE = 3;

/** The arc an annotation shows, once its side is known (null while the ends are being placed). */
export function arcOf(a: AnyAnnotation): Arc | null {
  const pts = a.data.handles.points as Vec3[];
  const d = a.data.frwArc as ArcData | undefined;
  if (!d || pts.length <= SIDE) return null;
  return sideArc(pts, d.normal);
}

function sideArc(pts: readonly Vec3[], normal: Vec3): Arc {
  const f = arcFrame(pts[0], normal);
  const [c, s, e, side] = pts.map((p) => worldToPlane(f, p));
  return arcThroughSide(c, s, e, side);
}

export class CircumferentialArcTool extends FrwHandleTool {
  static override toolName = ARC_TOOL_NAME;
  protected readonly pointCount = 4;
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

  protected moveHandle(a: AnyAnnotation, index: number, world: Vec3): void {
    const pts = a.data.handles.points as Vec3[];
    pts[index] = world;
    const d = a.data.frwArc as ArcData;
    if (pts.length > SIDE) d.sweepDeg = sideArc(pts, d.normal).sweepDeg;
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
    if (c.length > 2) lines.push([half(c[2]), c[2]]);
    if (c.length > SIDE) lines.push(this.arcPolyline(a, viewport));
    return lines;
  }

  protected drawAnnotation(a: AnyAnnotation, viewport: Vp, svg: ToolTypes.SVGDrawingHelper, style: { color: string; lineWidth: number; lineDash: string }): void {
    const c = (a.data.handles.points as Types.Point3[]).map((p) => viewport.worldToCanvas(p));
    const uid = a.annotationUID;
    drawing.drawLine(svg, uid, 'r1', c[0], c[1], { color: style.color, width: 1, lineDash: '4,3' });
    if (c.length < 3) return;
    drawing.drawLine(svg, uid, 'r2', c[0], c[2], { color: style.color, width: 1, lineDash: '4,3' });
    if (c.length <= SIDE) return;
    // The side click stays visible: it is what decided which arc this is.
    drawing.drawCircle(svg, uid, 'side', c[SIDE], 5, { color: style.color, width: 2 });
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
