/**
 * Common interaction for the workstation's own annotation tools (arc, cortical ring): create by
 * clicks or a drag, move a handle, move the whole drawing, cancel with Escape. Subclasses say
 * how points are placed (`placePoint`), how a handle edit changes the others (`moveHandle`),
 * what to draw (`drawAnnotation`) and what counts as "near" (`hitPolylines`).
 * Written against Cornerstone3D 5.x's AnnotationTool contract.
 */
import { getEnabledElement, type Types } from '@cornerstonejs/core';
import {
  AnnotationTool,
  annotation as csAnnotation,
  cursors,
  drawing,
  Enums as ToolEnums,
  state as toolsState,
  utilities as toolUtils,
  type Types as ToolTypes,
} from '@cornerstonejs/tools';
import type { Vec3 } from '../../../shared/geometry';
import { isOnViewPlane } from './planeFilter';

/* Cornerstone's annotation and event types are wide; these tools keep their own data shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAnnotation = any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyEvent = any;

/** The part of a Cornerstone viewport (stack or volume) these tools use. */
export interface Vp {
  id: string;
  element: HTMLDivElement;
  worldToCanvas(p: Types.Point3): Types.Point2;
  canvasToWorld(p: Types.Point2): Types.Point3;
  getCamera(): Types.ICamera;
}

function distanceToSegment(a: Types.Point2, b: Types.Point2, p: Types.Point2): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2)) : 0;
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

const { addAnnotation, getAnnotations, removeAnnotation, triggerAnnotationCompleted, triggerAnnotationModified } = csAnnotation.state;
const { getViewportIdsWithToolToRender } = toolUtils.viewportFilters;
const renderIds = toolUtils.triggerAnnotationRenderForViewportIds;

interface EditData {
  annotation: AnyAnnotation;
  viewportIdsToRender: string[];
  handleIndex?: number;
  newAnnotation?: boolean;
  hasMoved?: boolean;
}

export abstract class FrwHandleTool extends AnnotationTool {
  protected frwEdit: EditData | null = null;

  /** Number of points a finished annotation has. */
  protected abstract readonly pointCount: number;
  /** Drag-created (ring: press, drag, release) or click-created (arc: click, click, click). */
  protected abstract readonly createByDrag: boolean;
  /** Set up a new annotation's data at the first press. */
  protected abstract initData(annotation: AnyAnnotation, world: Vec3, viewport: Vp): void;
  /** Move handle `index` to `world` (during creation too); update dependent data. */
  protected abstract moveHandle(annotation: AnyAnnotation, index: number, world: Vec3, creating: boolean): void;
  /** Canvas polylines a click near which selects the annotation. */
  protected abstract hitPolylines(annotation: AnyAnnotation, viewport: Vp): Types.Point2[][];
  protected abstract drawAnnotation(
    annotation: AnyAnnotation,
    viewport: Vp,
    svg: ToolTypes.SVGDrawingHelper,
    style: { color: string; lineWidth: number; lineDash: string },
  ): void;
  /** Text lines of the label. */
  protected abstract textLines(annotation: AnyAnnotation): string[];
  /** Canvas points the label is placed beside (default: all handles). */
  protected textPlacement(_annotation: AnyAnnotation, _viewport: Vp): Types.Point2[] | undefined {
    return undefined;
  }

  addNewAnnotation = (evt: AnyEvent): AnyAnnotation => {
    try {
      return this.startNew(evt);
    } catch (e) {
      // Cornerstone swallows errors thrown here; make them visible.
      console.error('measurement tool: could not start a drawing', e);
      throw e;
    }
  };

  private startNew(evt: AnyEvent): AnyAnnotation {
    if (this.frwEdit) return undefined;
    const { element, currentPoints } = evt.detail;
    const world = [...currentPoints.world] as Vec3;
    const viewport = getEnabledElement(element)!.viewport as unknown as Vp;
    const annotation = this.createAnnotation(evt, [world, [...world]]);
    this.initData(annotation, world, viewport);
    addAnnotation(annotation, element);
    this.frwEdit = {
      annotation,
      viewportIdsToRender: getViewportIdsWithToolToRender(element, this.getToolName()),
      handleIndex: 1,
      newAnnotation: true,
      hasMoved: false,
    };
    this.isDrawing = true;
    this.activate(element, true);
    cursors.elementCursor.hideElementCursor(element);
    evt.preventDefault();
    renderIds(this.frwEdit.viewportIdsToRender);
    return annotation;
  }

  isPointNearTool = (element: HTMLDivElement, annotation: AnyAnnotation, canvas: Types.Point2, proximity: number): boolean => {
    const viewport = getEnabledElement(element)!.viewport as unknown as Vp;
    return this.hitPolylines(annotation, viewport).some((line) =>
      line.some((p, i) => i > 0 && distanceToSegment(line[i - 1], p, canvas) <= proximity),
    );
  };

  /** Whether handle `index` (−1 = the label) can be grabbed (the arc's centre cannot: a click there starts a new arc). */
  protected grabbableHandle(index: number): boolean {
    // The label is placed by the tool, not dragged: grabbing it instead of a nearby handle
    // would leave the drawing unchanged while the user thinks they edited it.
    return index >= 0;
  }

  override getHandleNearImagePoint(element: HTMLDivElement, annotation: AnyAnnotation, canvas: Types.Point2, proximity: number): ToolTypes.ToolHandle | undefined {
    const handle = super.getHandleNearImagePoint(element, annotation, canvas, proximity);
    if (!handle) return handle;
    // index -1: the label's text box.
    const index = annotation.data.handles.points.indexOf(handle);
    return this.grabbableHandle(index) ? handle : undefined;
  }

  toolSelectedCallback = (evt: AnyEvent, annotation: AnyAnnotation): void => {
    this.startModify(evt, annotation, undefined);
  };

  handleSelectedCallback(evt: AnyEvent, annotation: AnyAnnotation, handle: ToolTypes.ToolHandle): void {
    const index = annotation.data.handles.points.findIndex((p: Types.Point3) => p === handle);
    this.startModify(evt, annotation, index >= 0 ? index : undefined);
  }

  private startModify(evt: AnyEvent, annotation: AnyAnnotation, handleIndex: number | undefined) {
    const { element } = evt.detail;
    annotation.highlighted = true;
    this.frwEdit = { annotation, viewportIdsToRender: getViewportIdsWithToolToRender(element, this.getToolName()), handleIndex, hasMoved: false };
    this.activate(element, false);
    cursors.elementCursor.hideElementCursor(element);
    renderIds(this.frwEdit.viewportIdsToRender);
    evt.preventDefault();
  }

  private onDrag = (evt: AnyEvent) => {
    const edit = this.frwEdit;
    if (!edit) return;
    const { element, currentPoints, deltaPoints } = evt.detail;
    const a = edit.annotation;
    if (edit.handleIndex === undefined) {
      const d = deltaPoints.world as Vec3;
      for (const p of a.data.handles.points) for (let k = 0; k < 3; k++) p[k] += d[k];
    } else {
      this.moveHandle(a, edit.handleIndex, [...currentPoints.world] as Vec3, !!edit.newAnnotation);
    }
    edit.hasMoved = true;
    a.invalidated = true;
    renderIds(edit.viewportIdsToRender);
    triggerAnnotationModified(a, element, ToolEnums.ChangeTypes.HandlesUpdated);
  };

  private onEnd = (evt: AnyEvent) => {
    const edit = this.frwEdit;
    if (!edit) return;
    const { element } = evt.detail;
    const a = edit.annotation;
    if (edit.newAnnotation) {
      // Click tools: a press-release without movement keeps drawing; each click adds the next point.
      if (!this.createByDrag) {
        if (!edit.hasMoved) return;
        const pts = a.data.handles.points;
        if (pts.length < this.pointCount) {
          pts.push([...pts[pts.length - 1]]);
          edit.handleIndex = pts.length - 1;
          edit.hasMoved = false;
          this.moveHandle(a, edit.handleIndex, [...pts[edit.handleIndex]] as Vec3, true);
          return;
        }
      } else if (!edit.hasMoved) {
        // A click without a drag makes no ring.
        this.finish(element);
        removeAnnotation(a.annotationUID);
        renderIds(edit.viewportIdsToRender);
        return;
      }
    }
    this.finish(element);
    a.data.handles.activeHandleIndex = null;
    renderIds(edit.viewportIdsToRender);
    if (edit.newAnnotation) triggerAnnotationCompleted(a);
    else if (edit.hasMoved) triggerAnnotationModified(a, element, ToolEnums.ChangeTypes.Completed);
  };

  private finish(element: HTMLDivElement) {
    this.deactivate(element);
    cursors.elementCursor.resetElementCursor(element);
    this.frwEdit = null;
    this.isDrawing = false;
  }

  cancel = (element: HTMLDivElement) => {
    const edit = this.frwEdit;
    if (!edit) return undefined;
    this.finish(element);
    if (edit.newAnnotation) removeAnnotation(edit.annotation.annotationUID);
    renderIds(edit.viewportIdsToRender);
    return edit.annotation.annotationUID;
  };

  private activate(element: HTMLDivElement, drawingNew: boolean) {
    toolsState.isInteractingWithTool = true;
    const E = ToolEnums.Events;
    element.addEventListener(E.MOUSE_UP, this.onEnd as EventListener);
    element.addEventListener(E.MOUSE_CLICK, this.onEnd as EventListener);
    element.addEventListener(E.MOUSE_DRAG, this.onDrag as EventListener);
    if (drawingNew) element.addEventListener(E.MOUSE_MOVE, this.onDrag as EventListener);
  }

  private deactivate(element: HTMLDivElement) {
    toolsState.isInteractingWithTool = false;
    const E = ToolEnums.Events;
    element.removeEventListener(E.MOUSE_UP, this.onEnd as EventListener);
    element.removeEventListener(E.MOUSE_CLICK, this.onEnd as EventListener);
    element.removeEventListener(E.MOUSE_DRAG, this.onDrag as EventListener);
    element.removeEventListener(E.MOUSE_MOVE, this.onDrag as EventListener);
  }

  override filterInteractableAnnotationsForElement(element: HTMLDivElement, annotations: ToolTypes.Annotations): ToolTypes.Annotations {
    const list = super.filterInteractableAnnotationsForElement(element, annotations);
    const viewport = getEnabledElement(element)?.viewport as unknown as Vp | undefined;
    return viewport && list ? list.filter((a) => isOnViewPlane(viewport, a)) : list;
  }

  renderAnnotation = (enabledElement: Types.IEnabledElement, svg: ToolTypes.SVGDrawingHelper): boolean => {
    const viewport = enabledElement.viewport as unknown as Vp;
    let list = getAnnotations(this.getToolName(), viewport.element) as AnyAnnotation[] | undefined;
    if (!list?.length) return false;
    list = this.filterInteractableAnnotationsForElement(viewport.element, list) as AnyAnnotation[] | undefined;
    if (!list?.length) return false;
    for (const a of list) {
      if (a.isVisible === false) continue;
      const styleSpecifier = { toolGroupId: this.toolGroupId, toolName: this.getToolName(), viewportId: viewport.id, annotationUID: a.annotationUID };
      const style = this.getAnnotationStyle({ annotation: a, styleSpecifier }) as { color: string; lineWidth: number; lineDash: string };
      const canvasPts = (a.data.handles.points as Types.Point3[]).map((p) => viewport.worldToCanvas(p));
      this.drawAnnotation(a, viewport, svg, style);
      const showHandles = a.highlighted || this.frwEdit?.annotation === a;
      if (showHandles) drawing.drawHandles(svg, a.annotationUID, '0', canvasPts, { color: style.color, lineWidth: style.lineWidth });
      const lines = this.textLines(a);
      if (lines.length && a.data.handles.points.length >= 2) {
        this.renderLinkedTextBoxAnnotation({
          enabledElement,
          svgDrawingHelper: svg,
          annotation: a,
          styleSpecifier,
          textLines: lines,
          canvasCoordinates: canvasPts,
          placementPoints: this.textPlacement(a, viewport) ?? canvasPts,
        });
      }
    }
    return true;
  };
}
