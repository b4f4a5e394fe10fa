import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HostApi } from '../../../shared/ipc/hostApi';
import type { Vec3 } from '../../../shared/schemas/common';
import { startBoneAxisSync, type ViewerAxisApi } from '../../../renderer/state/boneAxisSync';
import { flushAutosave, getSessionState, openSessionFor } from '../../../renderer/state/session';

type Axis = { p1Mm: Vec3; p2Mm: Vec3; drawnOnNormal: Vec3; direction?: Vec3 };

/** A viewer with the public API's behaviour: events, the loaded series, defineBoneAxis emitting 'bone-axis'. */
function fakeViewer() {
  const listeners = new Set<(e: { type: string; axis?: Axis | null }) => void>();
  let axis: Axis | null = null;
  let loaded: string | null = null;
  const emit = (e: { type: string; axis?: Axis | null }) => listeners.forEach((l) => l(e));
  const api: ViewerAxisApi = {
    onViewerEvent: (l) => (listeners.add(l), () => listeners.delete(l)),
    getBoneAxis: () => axis,
    getLoadedSeriesUid: () => loaded,
    defineBoneAxis: vi.fn(async (p1Mm: Vec3, p2Mm: Vec3, drawnOnNormal: Vec3 = [0, -1, 0]) => {
      axis = { p1Mm, p2Mm, drawnOnNormal };
      emit({ type: 'bone-axis', axis });
      return axis;
    }),
  };
  return {
    api,
    /** What the viewer does when the user clicks two points. */
    userDefines: (a: Axis) => {
      axis = a;
      emit({ type: 'bone-axis', axis: a });
    },
    userClears: () => {
      axis = null;
      emit({ type: 'bone-axis', axis: null });
    },
    load: (uid: string) => {
      loaded = uid;
      emit({ type: 'volume-loaded', seriesInstanceUid: uid } as never);
    },
    /** Closing a series: volume-unloaded first, then the viewer clears its axis. */
    unload: () => {
      const was = loaded;
      loaded = null;
      emit({ type: 'volume-unloaded', seriesInstanceUid: was } as never);
      if (axis) {
        axis = null;
        emit({ type: 'bone-axis', axis: null });
      }
    },
  };
}

function memoryHost(stored: Record<string, unknown> = {}) {
  return {
    kind: 'browser',
    loadSession: async (uid: string) => (uid in stored ? JSON.parse(JSON.stringify(stored[uid])) : null),
    saveSession: async (uid: string, s: unknown) => void (stored[uid] = JSON.parse(JSON.stringify(s))),
  } as unknown as HostApi;
}

const AXIS: Axis = { p1Mm: [10, 20, -40], p2Mm: [12, 21, 60], drawnOnNormal: [1, 0, 0] };
let n = 0;
const freshUid = () => `1.2.826.0.1.99.${++n}`;

describe('bone axis sync (viewer ↔ session)', () => {
  let stop: () => void = () => {};
  afterEach(() => stop());

  it('records the user axis, keeps it when the viewer closes the series, and defines it again when the series is reopened', async () => {
    const stored: Record<string, unknown> = {};
    const host = memoryHost(stored);
    const v = fakeViewer();
    stop = startBoneAxisSync(v.api);
    const a = freshUid();
    await openSessionFor(host, a);
    v.load(a);
    v.userDefines(AXIS);
    expect(getSessionState().session!.boneAxis).toEqual({ p1Mm: AXIS.p1Mm, p2Mm: AXIS.p2Mm, drawnOnNormal: AXIS.drawnOnNormal });

    // Another series: closing clears the viewer's axis, not the stored one.
    v.unload();
    await openSessionFor(host, freshUid());
    v.load(getSessionState().seriesInstanceUid!);
    expect(getSessionState().session!.boneAxis).toBeNull();
    expect(v.api.defineBoneAxis).not.toHaveBeenCalled();
    await flushAutosave();
    expect((stored[a] as { boneAxis: unknown }).boneAxis).toEqual({ p1Mm: AXIS.p1Mm, p2Mm: AXIS.p2Mm, drawnOnNormal: AXIS.drawnOnNormal });

    // Back to the first series (as after a reload: volume first, session later, or the reverse).
    v.unload();
    v.load(a);
    expect(v.api.defineBoneAxis).not.toHaveBeenCalled(); // its session is not bound yet
    await openSessionFor(host, a);
    await new Promise((r) => setTimeout(r, 5)); // the restore waits for the viewer's layout to settle
    // A restore, not a change of the user's: "Undo axis" does not step back over it.
    expect(v.api.defineBoneAxis).toHaveBeenCalledWith(AXIS.p1Mm, AXIS.p2Mm, AXIS.drawnOnNormal, { undoable: false });
    expect(v.api.getBoneAxis()?.p2Mm).toEqual(AXIS.p2Mm);
    expect(getSessionState().saveStatus).toBe('saved'); // restoring is not an edit
  });

  it('a user clearing the axis clears it in the session; it is not defined again on reopening', async () => {
    const host = memoryHost();
    const v = fakeViewer();
    stop = startBoneAxisSync(v.api);
    const a = freshUid();
    await openSessionFor(host, a);
    v.load(a);
    v.userDefines(AXIS);
    v.userClears();
    expect(getSessionState().session!.boneAxis).toBeNull();
    v.unload();
    v.load(a);
    await new Promise((r) => setTimeout(r, 5));
    expect(v.api.defineBoneAxis).not.toHaveBeenCalled();
  });
});
