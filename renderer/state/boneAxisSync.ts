/**
 * Keeps the session's bone axis and the viewer's in step, from outside the viewer (its public
 * API only): when the user defines or clears the axis on the open series, the session records
 * it (autosaved); when that series' volume is loaded again (reopened, page reloaded) and the
 * viewer has no axis, the stored one is defined again, so the oblique reformats come back.
 *
 *   startBoneAxisSync(viewerApi) → stop()      // once, while the app runs (MeasureSession.tsx)
 *
 * The viewer clears its axis when it closes a series; that is not the user clearing it, so axis
 * events count only while the loaded volume is the session's series. An axis the viewer already
 * has when the session arrives is the user's latest action and wins over the stored one.
 */
import type { Vec3 } from '../../shared/schemas/common';
import type { SessionBoneAxis } from '../../shared/schemas/session';
import { getSessionState, setBoneAxis, subscribeSession } from './session';

/** What the sync needs from the viewer (renderer/viewer/index.ts), injectable for tests. */
export interface ViewerAxisApi {
  onViewerEvent(listener: (e: { type: string; axis?: ViewerAxis | null }) => void): () => void;
  getBoneAxis(): ViewerAxis | null;
  getLoadedSeriesUid(): string | null;
  defineBoneAxis(p1Mm: Vec3, p2Mm: Vec3, drawnOnNormal?: Vec3, opts?: { undoable?: boolean }): Promise<unknown>;
}
interface ViewerAxis {
  p1Mm: Vec3;
  p2Mm: Vec3;
  drawnOnNormal: Vec3;
}

/** Two animation frames (layout and resize observers have run); a timer where there are no frames. */
function afterLayout(f: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => requestAnimationFrame(f));
  else setTimeout(f, 0);
}

const asStored = (a: ViewerAxis): SessionBoneAxis => ({ p1Mm: [...a.p1Mm], p2Mm: [...a.p2Mm], drawnOnNormal: [...a.drawnOnNormal] });

export function startBoneAxisSync(viewer: ViewerAxisApi): () => void {
  /** Series whose volume load has been reconciled with its session (null: not yet). */
  let reconciled: string | null = null;

  const boundSeries = (): string | null => {
    const s = getSessionState();
    const uid = s.status === 'ready' ? (s.session?.seriesInstanceUid ?? null) : null;
    return uid && viewer.getLoadedSeriesUid() === uid ? uid : null;
  };

  const reconcile = () => {
    const uid = boundSeries();
    if (!uid || reconciled === uid) return;
    reconciled = uid;
    const current = viewer.getBoneAxis();
    const stored = getSessionState().session?.boneAxis ?? null;
    if (current) setBoneAxis(asStored(current));
    else if (stored)
      // After the viewer has settled: its layout changes once the volume is shown (the views are
      // resized, which re-applies each view's presentation) and would reset the obliques' up.
      afterLayout(() => {
        if (boundSeries() !== uid || viewer.getBoneAxis()) return;
        void viewer.defineBoneAxis(stored.p1Mm, stored.p2Mm, stored.drawnOnNormal, { undoable: false }).catch(() => {});
      });
  };

  const offViewer = viewer.onViewerEvent((e) => {
    if (e.type === 'volume-loaded') {
      reconciled = null;
      reconcile();
    } else if (e.type === 'volume-unloaded') {
      reconciled = null;
    } else if (e.type === 'bone-axis') {
      if (!boundSeries() || reconciled === null) return;
      setBoneAxis(e.axis ? asStored(e.axis) : null);
    }
  });
  const offSession = subscribeSession(() => {
    // A new series' session (or none): reconcile again once it is ready.
    const uid = getSessionState().seriesInstanceUid;
    if (reconciled && reconciled !== uid) reconciled = null;
    reconcile();
  });
  reconcile();
  return () => {
    offViewer();
    offSession();
  };
}
