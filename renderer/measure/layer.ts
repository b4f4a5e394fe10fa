/**
 * The measurement layer: turns the three Cornerstone tools' drawings into measurements of the
 * active lesion (with provenance) and keeps the drawings on screen in step with the session —
 * undo / redo, delete, reload restore all go through the session, and annotations follow it.
 */
import { eventTarget, getEnabledElementByViewportId, utilities as csUtils, type Types } from '@cornerstonejs/core';
import { addTool, AngleTool, EllipticalROITool, LengthTool, ProbeTool, state as toolsState, annotation as csAnnotation, AnnotationTool, Enums as ToolEnums, ToolGroupManager, utilities as toolUtils } from '@cornerstonejs/tools';
import {
  analyseCorticalRing,
  arcMidDeg,
  checkAlongBone,
  circumferentialPercent,
  dot,
  norm,
  planeSampler,
  SCANNER_Z_AXIS,
  sub,
  planeToWorld,
  worldToPlane,
  angleBetweenLinesDeg,
  type AxisSource,
  type RingAnalysis,
  type Vec3,
} from '../../shared/geometry';
import type { MeasurementKind, ReformatPlane } from '../../shared/schemas/measurement';
import type { ArcDrawing, Drawing, DrawingView, Session } from '../../shared/schemas/session';
import { i18next } from '../i18n';
import { formatNumber } from './format';
import { ALL_TOOL_GROUP_IDS, ALL_VIEWPORT_IDS, toolGroupOf, activatePrimaryTool, getBoneAxis, getLoadedVolume, getViewport, onViewerEvent, type ViewportId } from '../viewer';
import { alongAxisComponentMm, arcFrame, arcSideCautions, arcsOfDrawing } from '../../shared/measure/derived';
import { addMeasurement, newId, getSessionState, subscribeSession, updateMeasurement, deleteMeasurement, ensureActiveLesion } from '../state/session';
import { AxialLengthTool, LENGTH_TOOL_NAME } from './tools/AxialLengthTool';
import { arcOf, ARC_TOOL_NAME, CircumferentialArcTool, type ArcData } from './tools/CircumferentialArcTool';
import { CorticalRingTool, RING_TOOL_NAME, ringFrame, ringOutlines, type RingData, type RingOverlay } from './tools/CorticalRingTool';
import type { AnyAnnotation } from './tools/FrwHandleTool';

export const MEASURE_TOOL_NAMES = [LENGTH_TOOL_NAME, ARC_TOOL_NAME, RING_TOOL_NAME] as const;
/**
 * Cornerstone's general tools next to ours (issue 14): ruler, angle, elliptical ROI (HU mean / SD /
 * area), probe. Their values are read on the image; they are not measurements of a lesion and are
 * not kept in the session. (A probe pins the voxel under Cornerstone's mouse position, whole
 * screen pixels: up to a pixel from the live HU read-out's fractional position, so at an edge it
 * can name the neighbouring voxel; at its own point both agree, e2e viewer-tools.)
 */
export const GENERAL_TOOLS = [LengthTool, AngleTool, EllipticalROITool, ProbeTool] as const;
export const GENERAL_TOOL_NAMES = GENERAL_TOOLS.map((T) => T.toolName);
export type MeasureToolName = (typeof MEASURE_TOOL_NAMES)[number];
const OURS = new Set<string>(MEASURE_TOOL_NAMES);

/** Two arcs are on the same section when their planes are this close (mm, degrees). */
const SAME_SECTION_MM = 0.5;
const SAME_SECTION_DEG = 1;

const { addAnnotation, getAllAnnotations, removeAnnotation } = csAnnotation.state;
const t = (key: string, opts?: Record<string, unknown>) => i18next.t(`measure:${key}`, opts ?? {});
/** Numbers in the UI language ("36,0" in French), as the assessment and report write them. */
const fmt = (v: number, digits = 1) => formatNumber(v, i18next.language, digits);

interface FrwLink {
  measurementId: string;
  arcIndex?: number;
}
const linkOf = (a: AnyAnnotation): FrwLink | undefined => a.data?.frw;

// ------------------------------------------------------------------ tool registration

let toolsAdded = false;

/** Register the tools with Cornerstone and add them (passive: visible, editable) to the viewer's tool groups. */
export function installMeasureTools(): void {
  if (!toolsAdded) {
    for (const T of [AxialLengthTool, CircumferentialArcTool, CorticalRingTool, ...GENERAL_TOOLS]) addTool(T as never);
    toolsAdded = true;
  }
  // A viewport re-created by the viewer (e.g. the axial stack ↔ volume switch) can drop out of
  // its tool group; without a group no tool, ours included, gets its mouse events.
  for (const vid of ALL_VIEWPORT_IDS) {
    const enabled = getEnabledElementByViewportId(vid);
    if (!enabled || ToolGroupManager.getToolGroupForViewport(vid, enabled.renderingEngineId)) continue;
    ToolGroupManager.getToolGroup(toolGroupOf(vid))?.addViewport(vid, enabled.renderingEngineId);
  }
  for (const id of ALL_TOOL_GROUP_IDS) {
    const g = ToolGroupManager.getToolGroup(id);
    if (!g) continue;
    for (const name of [...MEASURE_TOOL_NAMES, ...GENERAL_TOOL_NAMES]) {
      if (!g.hasTool(name)) {
        g.addTool(name);
        g.setToolPassive(name);
      }
    }
  }
}

export function activateMeasureTool(name: MeasureToolName | 'WindowLevel' | string): void {
  installMeasureTools();
  activatePrimaryTool(name);
}

// ------------------------------------------------------------------ from annotation to measurement

function viewOf(a: AnyAnnotation): DrawingView | null {
  const vp = toolUtils.getViewportForAnnotation(a);
  if (!vp) return null;
  const cam = vp.getCamera();
  return {
    viewportId: vp.id,
    focalPoint: [...(a.data.handles.points[0] as Vec3)] as Vec3,
    viewPlaneNormal: [...((a.metadata.viewPlaneNormal ?? cam.viewPlaneNormal) as Vec3)] as Vec3,
    viewUp: [...((a.metadata.viewUp ?? cam.viewUp) as Vec3)] as Vec3,
  };
}

function planeOf(view: DrawingView): ReformatPlane {
  const id = view.viewportId as ViewportId;
  const kind = id === 'axial' || id === 'sagittal' || id === 'coronal' ? id : 'oblique';
  return { kind, origin: view.focalPoint, normal: view.viewPlaneNormal };
}

function axisForCheck(): { direction: Vec3; source: AxisSource } {
  const axis = getBoneAxis();
  return axis ? { direction: axis.direction, source: 'bone-axis' } : { direction: SCANNER_Z_AXIS, source: 'scanner-z' };
}

function lesionThreshold(lesionId: string | undefined): number {
  const s = getSessionState().session;
  return s?.lesions.find((l) => l.id === lesionId)?.thresholdHu ?? 400;
}

const ringCache = new Map<string, { key: string; result: RingAnalysis | null; errorCode: string | null }>();

function ringEntry(a: AnyAnnotation, thresholdHu: number) {
  const key = JSON.stringify([a.data.handles.points, thresholdHu]);
  const hit = ringCache.get(a.annotationUID);
  if (hit && hit.key === key) return hit;
  const vol = getLoadedVolume();
  let result: RingAnalysis | null = null;
  let errorCode: string | null = null;
  if (vol && a.data.handles.points.length === 5) {
    const r = analyseCorticalRing(ringOutlines(a), planeSampler(vol, ringFrame(a)), thresholdHu);
    result = r.ok ? r.value : null;
    errorCode = r.ok ? null : r.error.code;
  }
  const entry = { key, result, errorCode };
  ringCache.set(a.annotationUID, entry);
  return entry;
}

/** Ring analysis of an annotation at a threshold (cached by geometry and threshold); null when not measured. */
export function ringAnalysis(a: AnyAnnotation, thresholdHu: number): RingAnalysis | null {
  return ringEntry(a, thresholdHu).result;
}

interface Computed {
  kind: MeasurementKind;
  value: number;
  drawing: Drawing;
  thresholdHu: number;
}

function computeLength(a: AnyAnnotation, view: DrawingView, thresholdHu: number): Computed {
  const [p1, p2] = a.data.handles.points as Vec3[];
  const axis = axisForCheck();
  const check = checkAlongBone(p1, p2, axis.direction, view.viewPlaneNormal);
  a.data.frwCheck = check;
  a.data.frwAxisSource = axis.source;
  return {
    kind: 'axialLengthMm',
    value: check.lengthMm,
    thresholdHu,
    drawing: {
      tool: 'AxialLength',
      view,
      points: [[...p1] as Vec3, [...p2] as Vec3],
      lineAxisAngleDeg: check.lineAxisAngleDeg,
      axisSource: axis.source,
      notAlongBone: check.notAlongBone,
    },
  };
}

function arcDrawingOf(a: AnyAnnotation): ArcDrawing {
  const [c, s, e, side] = a.data.handles.points as Vec3[];
  return { centre: [...c] as Vec3, start: [...s] as Vec3, end: [...e] as Vec3, sweepDeg: (a.data.frwArc as ArcData).sweepDeg, side: [...side] as Vec3 };
}

function arcsPercent(arcs: readonly ArcDrawing[], normal: Vec3): number {
  return circumferentialPercent(arcsOfDrawing(arcs, normal));
}

/** Where an arc's side handle goes: the reader's click, or (sessions before it was kept) the arc's middle. */
function sideOf(arc: ArcDrawing, normal: Vec3): Vec3 {
  if (arc.side) return [...arc.side] as Vec3;
  const f = arcFrame(arc.centre, normal);
  const s = worldToPlane(f, arc.start);
  const c = worldToPlane(f, arc.centre);
  const r = Math.hypot(s[0] - c[0], s[1] - c[1]);
  const mid = (arcMidDeg(arcsOfDrawing([arc], normal)[0]) * Math.PI) / 180;
  return planeToWorld(f, [c[0] + r * Math.cos(mid), c[1] + r * Math.sin(mid)]);
}

function computeRing(a: AnyAnnotation, view: DrawingView, thresholdHu: number): Computed | null {
  const res = ringAnalysis(a, thresholdHu);
  if (!res) return null;
  const { periosteal, endosteal } = ringOutlines(a);
  const f = ringFrame(a);
  const toWorld = (o: typeof periosteal) => {
    if (o.kind !== 'ellipse') throw new Error('ring outlines are ellipses');
    const c = f.origin;
    const at = (x: number, y: number): Vec3 => [c[0] + x * f.u[0] + y * f.v[0], c[1] + x * f.u[1] + y * f.v[1], c[2] + x * f.u[2] + y * f.v[2]];
    return { kind: 'ellipse' as const, centre: [...c] as Vec3, axisXEnd: at(o.semiAxisXMm, 0), axisYEnd: at(0, o.semiAxisYMm) };
  };
  return {
    kind: 'axialPercent',
    value: res.axialPercent,
    thresholdHu,
    drawing: {
      tool: 'CorticalRing',
      view,
      periosteal: toWorld(periosteal),
      endosteal: toWorld(endosteal),
      ringAreaMm2: res.sampledRingAreaMm2,
      involvedAreaMm2: res.involvedAreaMm2,
      proposedCircumferentialPercent: res.proposedCircumferentialPercent,
    },
  };
}

function sameSection(a: DrawingView, b: DrawingView): boolean {
  if (angleBetweenLinesDeg(a.viewPlaneNormal, b.viewPlaneNormal) > SAME_SECTION_DEG) return false;
  const n = a.viewPlaneNormal;
  return Math.abs(dot(sub(a.focalPoint, b.focalPoint), n)) / (norm(n) || 1) <= SAME_SECTION_MM;
}

let interaction = 0;
let reconciling = false;

/** Issue 14 defect 4: on a series the scan marked not measurable, nothing drawn becomes a value. */
let measuringBlocked = false;
export function setMeasuringBlocked(blocked: boolean): void {
  measuringBlocked = blocked;
  if (blocked) activateMeasureTool('WindowLevel');
}

function onCompleted(evt: Event): void {
  const a = (evt as CustomEvent).detail?.annotation as AnyAnnotation;
  if (!a || !OURS.has(a.metadata?.toolName) || reconciling || linkOf(a)) return;
  if (measuringBlocked) {
    removeAnnotation(a.annotationUID);
    return;
  }
  measureNew(a);
}

/** A ring drawn partly outside the volume: kept on screen, unmeasured, saying why; measured once moved inside. */
function outsideVolume(a: AnyAnnotation): boolean {
  return a.metadata.toolName === RING_TOOL_NAME && ringEntry(a, ringThresholdOf(a)).errorCode === 'ring.outside-volume';
}

/** A finished drawing becomes a measurement of the active lesion. */
function measureNew(a: AnyAnnotation): void {
  const view = viewOf(a);
  const lesion = ensureActiveLesion();
  if (!view || !lesion) return;
  const s = getSessionState().session!;
  const provenanceBase = { plane: planeOf(view), method: 'manual' as const };
  if (a.metadata.toolName === ARC_TOOL_NAME) {
    const arc = arcDrawingOf(a);
    // Another arc on the same section of this lesion adds to that measurement (union).
    const existing = s.measurements.find((m) => {
      const d = s.drawings[m.id];
      return m.lesionId === lesion.id && m.kind === 'circumferentialPercent' && d?.tool === 'CircumferentialArc' && sameSection(d.view, view);
    });
    if (existing) {
      const d = s.drawings[existing.id] as Extract<Drawing, { tool: 'CircumferentialArc' }>;
      const arcs = [...d.arcs, arc];
      a.data.frw = { measurementId: existing.id, arcIndex: arcs.length - 1 } satisfies FrwLink;
      updateMeasurement(existing.id, { value: arcsPercent(arcs, d.view.viewPlaneNormal), drawing: { ...d, arcs } });
    } else {
      const drawing: Drawing = { tool: 'CircumferentialArc', view, arcs: [arc] };
      // Link first: adding the measurement re-syncs annotations with the session at once.
      const newMeasurementId = newId('m');
      a.data.frw = { measurementId: newMeasurementId, arcIndex: 0 } satisfies FrwLink;
      const id = addMeasurement(
        { id: newMeasurementId, lesionId: lesion.id, kind: 'circumferentialPercent', value: arcsPercent([arc], view.viewPlaneNormal), provenance: { ...provenanceBase, tool: ARC_TOOL_NAME, thresholdHu: lesion.thresholdHu } },
        drawing,
      );
      if (!id) delete a.data.frw;
    }
    renderAll();
    return;
  }
  const computed = a.metadata.toolName === LENGTH_TOOL_NAME ? computeLength(a, view, lesion.thresholdHu) : computeRing(a, view, lesion.thresholdHu);
  if (!computed) {
    // Partly outside the volume (issue 13): not measured, but not silently lost either.
    if (outsideVolume(a)) a.data.frwUnmeasured = true;
    // No volume to count on yet: keep nothing half-made.
    else removeAnnotation(a.annotationUID);
    renderAll();
    return;
  }
  const newMeasurementId = newId('m');
  a.data.frw = { measurementId: newMeasurementId } satisfies FrwLink;
  const id = addMeasurement(
    { id: newMeasurementId, lesionId: lesion.id, kind: computed.kind, value: computed.value, provenance: { ...provenanceBase, tool: a.metadata.toolName, thresholdHu: computed.thresholdHu } },
    computed.drawing,
  );
  if (!id) delete a.data.frw;
  renderAll();
}

function onModified(evt: Event): void {
  const detail = (evt as CustomEvent).detail;
  const a = detail?.annotation as AnyAnnotation;
  if (!a || !OURS.has(a.metadata?.toolName) || reconciling) return;
  if (detail.changeType === ToolEnums.ChangeTypes.StatsUpdated) return;
  const link = linkOf(a);
  const s = getSessionState().session;
  if (!link && a.data.frwUnmeasured && !outsideVolume(a)) {
    delete a.data.frwUnmeasured;
    measureNew(a);
    return;
  }
  if (!link || !s) return;
  const m = s.measurements.find((x) => x.id === link.measurementId);
  const old = s.drawings[link.measurementId];
  if (!m || !old) return;
  const key = `${a.annotationUID}:${interaction}`;
  const thresholdHu = lesionThreshold(m.lesionId);
  let value: number;
  let drawing: Drawing;
  if (old.tool === 'CircumferentialArc') {
    const arcs = old.arcs.slice();
    arcs[link.arcIndex ?? 0] = arcDrawingOf(a);
    value = arcsPercent(arcs, old.view.viewPlaneNormal);
    drawing = { ...old, arcs };
  } else {
    const view = { ...old.view, focalPoint: [...(a.data.handles.points[0] as Vec3)] as Vec3 };
    const c = old.tool === 'AxialLength' ? computeLength(a, view, thresholdHu) : computeRing(a, view, thresholdHu);
    if (!c) {
      // A measured ring moved partly outside the volume: the move is refused (the drawing goes
      // back to what the value was counted on), so no value stands for a drawing that is not there.
      if (outsideVolume(a)) reconcile(s);
      return;
    }
    value = c.value;
    drawing = c.drawing;
    // The reader's choice for an off-axis length stays while the line stays where it was; a moved
    // line is a new line, and asks again (issue 14).
    if (old.tool === 'AxialLength' && drawing.tool === 'AxialLength' && old.offAxisChoice && drawing.notAlongBone && JSON.stringify(old.points) === JSON.stringify(drawing.points)) {
      drawing = { ...drawing, offAxisChoice: old.offAxisChoice };
      if (old.offAxisChoice === 'along-axis') value = alongAxisComponentMm(drawing.points, drawing.lineAxisAngleDeg);
    }
  }
  if (value === m.value && JSON.stringify(drawing) === JSON.stringify(old)) return;
  updateMeasurement(link.measurementId, { value, drawing, provenance: { thresholdHu } }, key);
}

function onRemoved(evt: Event): void {
  const a = (evt as CustomEvent).detail?.annotation as AnyAnnotation;
  if (!a || !OURS.has(a.metadata?.toolName) || reconciling) return;
  const link = linkOf(a);
  const s = getSessionState().session;
  if (!link || !s) return;
  const d = s.drawings[link.measurementId];
  if (d?.tool === 'CircumferentialArc' && d.arcs.length > 1) {
    const arcs = d.arcs.filter((_, i) => i !== (link.arcIndex ?? 0));
    updateMeasurement(link.measurementId, { value: arcsPercent(arcs, d.view.viewPlaneNormal), drawing: { ...d, arcs } });
  } else deleteMeasurement(link.measurementId);
}

/** Recount every ring of a lesion at its (changed) threshold. */
export function recountLesionRings(lesionId: string, coalesceKey?: string): void {
  const s = getSessionState().session;
  if (!s) return;
  const thresholdHu = lesionThreshold(lesionId);
  for (const a of ourAnnotations()) {
    const link = linkOf(a);
    const m = link && s.measurements.find((x) => x.id === link.measurementId);
    if (!m || m.lesionId !== lesionId || a.metadata.toolName !== RING_TOOL_NAME) continue;
    const old = s.drawings[m.id];
    const c = old && computeRing(a, old.view, thresholdHu);
    if (c) updateMeasurement(m.id, { value: c.value, drawing: c.drawing, provenance: { thresholdHu } }, coalesceKey);
  }
}

// ------------------------------------------------------------------ from session to annotations

function ourAnnotations(): AnyAnnotation[] {
  return (getAllAnnotations() as AnyAnnotation[]).filter((a) => OURS.has(a.metadata?.toolName));
}

function pointsOfDrawing(d: Drawing, arcIndex = 0): { points: Vec3[]; extra: Record<string, unknown> } {
  if (d.tool === 'AxialLength') return { points: d.points.map((p) => [...p] as Vec3), extra: {} };
  if (d.tool === 'CircumferentialArc') {
    const arc = d.arcs[arcIndex];
    return { points: [[...arc.centre], [...arc.start], [...arc.end], sideOf(arc, d.view.viewPlaneNormal)] as Vec3[], extra: { frwArc: { sweepDeg: arc.sweepDeg, normal: d.view.viewPlaneNormal } satisfies ArcData } };
  }
  const c = d.periosteal.kind === 'ellipse' ? d.periosteal.centre : d.view.focalPoint;
  const pe = d.periosteal.kind === 'ellipse' ? d.periosteal : null;
  const en = d.endosteal.kind === 'ellipse' ? d.endosteal : null;
  if (!pe || !en) return { points: [], extra: {} };
  const u = sub(pe.axisXEnd, c);
  const v = sub(pe.axisYEnd, c);
  const unit = (x: Vec3): Vec3 => {
    const n = norm(x) || 1;
    return [x[0] / n, x[1] / n, x[2] / n];
  };
  const ring: RingData = { u: unit(u), v: unit(v), normal: d.view.viewPlaneNormal };
  return { points: [[...c], [...pe.axisXEnd], [...pe.axisYEnd], [...en.axisXEnd], [...en.axisYEnd]] as Vec3[], extra: { frwRing: ring } };
}

function createFromDrawing(measurementId: string, d: Drawing, arcIndex?: number): void {
  // Annotations live per frame of reference, not per viewport: when the drawing's own viewport
  // cannot take it now (an oblique before the bone axis is defined again), a volume reformat
  // builds it and it shows wherever its plane is displayed.
  const own = getEnabledElementByViewportId(d.view.viewportId);
  const ownCam = own?.viewport.getCamera();
  const usable = own && (d.view.viewportId === 'axial' || (ownCam?.viewPlaneNormal && angleBetweenLinesDeg(ownCam.viewPlaneNormal as unknown as Vec3, d.view.viewPlaneNormal) < SAME_SECTION_DEG));
  const enabled = usable ? own : getEnabledElementByViewportId('coronal') ?? getEnabledElementByViewportId('sagittal');
  if (!enabled) return;
  const { points, extra } = pointsOfDrawing(d, arcIndex);
  if (!points.length) return;
  const ToolClass = d.tool === 'AxialLength' ? AxialLengthTool : d.tool === 'CircumferentialArc' ? CircumferentialArcTool : CorticalRingTool;
  const base = (AnnotationTool as unknown as { hydrateBase: (...args: unknown[]) => Record<string, unknown> | null }).hydrateBase(ToolClass, enabled, points, {
    viewplaneNormal: d.view.viewPlaneNormal,
    viewUp: d.view.viewUp,
  });
  if (!base) return;
  const annotation = {
    annotationUID: csUtils.uuidv4(),
    highlighted: false,
    invalidated: true,
    isLocked: false,
    isVisible: true,
    metadata: {
      toolName: d.tool,
      FrameOfReferenceUID: base.FrameOfReferenceUID,
      referencedImageId: base.referencedImageId,
      viewPlaneNormal: base.viewPlaneNormal ?? d.view.viewPlaneNormal,
      viewUp: base.viewUp ?? d.view.viewUp,
    },
    data: {
      handles: { points, activeHandleIndex: null, textBox: { hasMoved: false, worldPosition: [0, 0, 0], worldBoundingBox: { topLeft: [0, 0, 0], topRight: [0, 0, 0], bottomLeft: [0, 0, 0], bottomRight: [0, 0, 0] } } },
      cachedStats: {},
      label: '',
      frw: { measurementId, ...(arcIndex !== undefined ? { arcIndex } : {}) } satisfies FrwLink,
      ...extra,
    },
  };
  addAnnotation(annotation as never, enabled.viewport.element);
}

/** Make the annotations match the session: remove, move back (undo), recreate (redo, reload). */
export function reconcile(session: Session | null): void {
  reconciling = true;
  try {
    const seen = new Set<string>();
    for (const a of ourAnnotations()) {
      const link = linkOf(a);
      if (!link) continue; // still being drawn
      const d = session?.drawings[link.measurementId];
      const arcIndex = link.arcIndex ?? 0;
      if (!d || d.tool !== a.metadata.toolName || (d.tool === 'CircumferentialArc' && arcIndex >= d.arcs.length)) {
        removeAnnotation(a.annotationUID);
        continue;
      }
      seen.add(`${link.measurementId}#${d.tool === 'CircumferentialArc' ? arcIndex : 0}`);
      const { points, extra } = pointsOfDrawing(d, arcIndex);
      if (JSON.stringify(points) !== JSON.stringify(a.data.handles.points) || (extra.frwArc && (extra.frwArc as ArcData).sweepDeg !== a.data.frwArc?.sweepDeg)) {
        a.data.handles.points = points;
        Object.assign(a.data, extra);
        a.invalidated = true;
      }
    }
    if (session) {
      for (const [id, d] of Object.entries(session.drawings)) {
        const n = d.tool === 'CircumferentialArc' ? d.arcs.length : 1;
        for (let i = 0; i < n; i++) {
          if (seen.has(`${id}#${i}`)) continue;
          try {
            createFromDrawing(id, d, d.tool === 'CircumferentialArc' ? i : undefined);
          } catch (e) {
            // The viewport may not show the volume yet; the next reconcile (volume loaded) retries.
            console.warn('measurement drawing not restored yet', e);
          }
        }
      }
    }
    const selected = getSessionState().selectedMeasurementId;
    for (const a of ourAnnotations()) a.highlighted = !!selected && linkOf(a)?.measurementId === selected;
  } finally {
    reconciling = false;
  }
  renderAll();
}

function renderAll(): void {
  toolUtils.triggerAnnotationRenderForViewportIds(['axial', 'sagittal', 'coronal', 'oblique', 'obliqueAlong'].filter((id) => getEnabledElementByViewportId(id)));
}

/** Show the image a measurement was drawn on (the viewport's camera as it was). */
export function jumpToMeasurement(measurementId: string): boolean {
  const d = getSessionState().session?.drawings[measurementId];
  if (!d) return false;
  const vp = getViewport(d.view.viewportId as ViewportId) as unknown as Types.IViewport | undefined;
  if (!vp) return false;
  const target = d.tool === 'AxialLength' ? midpoint(d.points[0], d.points[1]) : d.view.focalPoint;
  const stack = vp as unknown as Types.IStackViewport;
  if (typeof stack.getImageIds === 'function' && typeof stack.setImageIdIndex === 'function') {
    const i = csUtils.getClosestStackImageIndexForPoint(target as Types.Point3, stack);
    if (i !== null && i !== undefined) void stack.setImageIdIndex(i);
  } else {
    const cam = vp.getCamera();
    const dist = cam.position && cam.focalPoint ? norm(sub(cam.position as Vec3, cam.focalPoint as Vec3)) : 500;
    const n = d.view.viewPlaneNormal;
    vp.setCamera({
      viewPlaneNormal: n as Types.Point3,
      viewUp: d.view.viewUp as Types.Point3,
      focalPoint: target as Types.Point3,
      position: [target[0] + n[0] * dist, target[1] + n[1] * dist, target[2] + n[2] * dist] as Types.Point3,
    });
    vp.render();
  }
  renderAll();
  return true;
}

const midpoint = (a: Vec3, b: Vec3): Vec3 => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2];

// ------------------------------------------------------------------ labels

AxialLengthTool.textFor = (data) => {
  const pts = data?.handles?.points as Vec3[] | undefined;
  if (!pts || pts.length < 2) return [];
  const axisSource: AxisSource = data.frwAxisSource ?? axisForCheck().source;
  const check = data.frwCheck ?? checkAlongBone(pts[0], pts[1], axisForCheck().direction);
  const lines = [t('label.axialLength', { value: fmt(check.lengthMm) })];
  if (check.notAlongBone) lines.push(t('label.notAlongBone', { angle: fmt(check.lineAxisAngleDeg, 0), projected: fmt(check.axialLengthMm) }));
  if (axisSource === 'scanner-z') lines.push(t('label.boneAxisNotDefined'));
  return lines;
};

CircumferentialArcTool.textFor = (a) => {
  const arc = arcOf(a);
  if (!arc) return [];
  const lines = [t('label.arc', { angle: fmt(Math.abs(arc.sweepDeg), 0), percent: fmt(circumferentialPercent([arc])) })];
  const link = linkOf(a);
  const s = getSessionState().session;
  const d = link && s?.drawings[link.measurementId];
  const m = link && s?.measurements.find((x) => x.id === link.measurementId);
  if (d?.tool === 'CircumferentialArc' && d.arcs.length > 1 && m) lines.push(t('label.sectionTotal', { percent: fmt(m.value) }));
  if (d?.tool === 'CircumferentialArc') {
    const caution = arcSideCautions(arcsOfDrawing(d.arcs, d.view.viewPlaneNormal)).find((c) => c.arcIndex === (link?.arcIndex ?? 0));
    if (caution) lines.push(t('label.otherSide', { percent: fmt(caution.otherSidePercent) }));
  }
  return lines;
};

function ringThresholdOf(a: AnyAnnotation): number {
  const link = linkOf(a);
  const s = getSessionState().session;
  const m = link && s?.measurements.find((x) => x.id === link.measurementId);
  return lesionThreshold(m ? m.lesionId : getSessionState().activeLesionId ?? undefined);
}

CorticalRingTool.textFor = (a) => {
  const thr = ringThresholdOf(a);
  const { result: r, errorCode } = ringEntry(a, thr);
  if (errorCode === 'ring.outside-volume') return [t('label.ringOutsideVolume')];
  if (!r) return a.data.handles.points.length === 5 ? [t('label.ringNoVolume')] : [];
  return [t('label.axialPercent', { percent: fmt(r.axialPercent), threshold: thr }), t('label.proposedCirc', { percent: fmt(r.proposedCircumferentialPercent) })];
};

CorticalRingTool.overlayFor = (a): RingOverlay | null => {
  const r = ringAnalysis(a, ringThresholdOf(a));
  return r ? { involvedArcs: r.involvedArcs, wallBelow: r.angular.map((x) => x.wallBelowFraction) } : null;
};

// ------------------------------------------------------------------ wiring

let installed = false;

/** Listen to Cornerstone and the session (once per page). */
export function installMeasureLayer(): void {
  if (installed) return;
  installed = true;
  const E = ToolEnums.Events;
  eventTarget.addEventListener(E.ANNOTATION_COMPLETED, onCompleted);
  eventTarget.addEventListener(E.ANNOTATION_MODIFIED, onModified);
  eventTarget.addEventListener(E.ANNOTATION_REMOVED, onRemoved);
  // Each press starts a new interaction: edits within one drag make one undo step.
  window.addEventListener('mousedown', () => interaction++, true);
  // On-image labels are drawn in the UI language: redraw them when it changes.
  i18next.on('languageChanged', () => renderAll());
  let last: Session | null = null;
  let lastSelected: string | null = null;
  subscribeSession(() => {
    const st = getSessionState();
    if (st.session === last && st.selectedMeasurementId === lastSelected) return;
    last = st.session;
    lastSelected = st.selectedMeasurementId;
    reconcile(st.session);
  });
  onViewerEvent((e) => {
    if (e.type === 'volume-loaded') {
      installMeasureTools();
      reconcile(getSessionState().session);
      // The reformats get the volume just after the event: redraw once they have it.
      setTimeout(() => reconcile(getSessionState().session), 500);
    }
  });
}

// ------------------------------------------------------------------ test probes (?test=1)

/** Read-only probes for end-to-end tests: the drawn annotations of the three tools and the session. */
export interface MeasureTestHooks {
  annotations(): Array<{ uid: string; toolName: string; points: Vec3[]; measurementId: string | null; viewPlaneNormal: Vec3 | null }>;
  session(): Session | null;
  /** The general tools' annotations (ruler, angle, ROI, probe) with the statistics they show. */
  generalAnnotations(): Array<{ toolName: string; points: Vec3[]; stats: unknown }>;
  /** Per viewer tool group: which measurement tools it has and its left-button tool. */
  toolState(): Array<{ group: string; has: string[]; primary: string | undefined }>;
  install(): string;
  debug(): unknown;
}

if (typeof window !== 'undefined' && new URLSearchParams(window.location.search).get('test') === '1') {
  const probes: MeasureTestHooks = {
    annotations: () =>
      ourAnnotations().map((a) => ({
        uid: a.annotationUID,
        toolName: a.metadata.toolName,
        points: (a.data.handles.points as Vec3[]).map((p) => [...p] as Vec3),
        measurementId: linkOf(a)?.measurementId ?? null,
        viewPlaneNormal: a.metadata.viewPlaneNormal ? ([...a.metadata.viewPlaneNormal] as Vec3) : null,
      })),
    session: () => getSessionState().session,
    generalAnnotations: () =>
      (getAllAnnotations() as AnyAnnotation[])
        .filter((a) => GENERAL_TOOL_NAMES.includes(a.metadata.toolName))
        .map((a) => ({
          toolName: a.metadata.toolName,
          points: (a.data.handles.points as Vec3[]).map((p) => [...p] as Vec3),
          stats: JSON.parse(JSON.stringify((a.data as { cachedStats?: unknown }).cachedStats ?? null)),
        })),
    debug: () => {
      const st = toolsState as unknown as Record<string, unknown>;
      const g = ToolGroupManager.getToolGroupForViewport('axial', 'frw-engine');
      const groups = (st.toolGroups as Array<{ id: string; viewportsInfo: unknown }>).map((x) => ({ id: x.id, vps: x.viewportsInfo }));
      return { groups, interacting: st.isInteractingWithTool, multi: st.isMultiPartToolActive, group: g?.id, options: g ? JSON.parse(JSON.stringify(g.toolOptions)) : null };
    },
    install: () => {
      try {
        installMeasureTools();
        return 'ok';
      } catch (e) {
        return String((e as Error)?.stack ?? e);
      }
    },
    toolState: () =>
      ALL_TOOL_GROUP_IDS.map((id) => {
        const g = ToolGroupManager.getToolGroup(id);
        return { group: id, has: g ? MEASURE_TOOL_NAMES.filter((n) => g.hasTool(n)) : [], primary: g?.getActivePrimaryMouseButtonTool() };
      }),
  };
  (window as unknown as { frwMeasure?: MeasureTestHooks }).frwMeasure = probes;
}
