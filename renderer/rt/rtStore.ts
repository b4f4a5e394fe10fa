/**
 * The RT structure sets of the open series (issue 17): read through the host when a series is
 * selected, checked against it, and which ROIs are shown. Module state (like the analysis panel's)
 * so it survives switching side-panel tabs and the overlay reads the same toggles as the panel.
 */
import { useSyncExternalStore } from 'react';
import { appError, type AppError } from '../../shared/errors';
import type { HostApi } from '../../shared/ipc/hostApi';
import { parseRtStruct } from '../../shared/rt/parseRtStruct';
import { seriesGeometryOf } from '../../shared/rt/seriesGeometry';
import { validateRtStruct } from '../../shared/rt/validateRtStruct';
import type { RtCheck, RtSeriesGeometry, RtStruct } from '../../shared/schemas/rt';
import type { ScanResult, Series, Study } from '../../shared/schemas/scan';

export interface RtEntry {
  sopInstanceUid: string;
  file: string;
  rt: RtStruct | null;
  check: RtCheck | null;
  error: AppError | null;
  /** ROI numbers the user switched off. */
  hidden: number[];
}

export interface RtState {
  seriesInstanceUid: string | null;
  /** The series and its study's RTSTRUCT file ids: a new scan of the same series (a file added) reloads. */
  key: string;
  /** The series' slice geometry and spacing (coverage needs them wherever it is computed). */
  geometry: RtSeriesGeometry | null;
  sliceSpacingMm: number;
  loading: boolean;
  entries: RtEntry[];
}

let state: RtState = { seriesInstanceUid: null, key: '', geometry: null, sliceSpacingMm: 1, loading: false, entries: [] };
const listeners = new Set<() => void>();
function set(next: RtState): void {
  state = next;
  for (const l of [...listeners]) l();
}
const subscribe = (l: () => void) => (listeners.add(l), () => listeners.delete(l));

export const getRtState = () => state;
export function useRtState(): RtState {
  return useSyncExternalStore(subscribe, getRtState);
}

const baseName = (f: string) => f.split(/[\\/]/).pop() || f;

/**
 * Reads and checks every RTSTRUCT of the series' study (the refused ones too: they say why). With
 * no series selected (a folder holding only structure sets), every RTSTRUCT of the scan is listed,
 * each refused for want of a series.
 */
export async function loadRtForSeries(host: HostApi, study: Study | null, series: Series | null, scan: ScanResult | null = null): Promise<void> {
  const uid = series?.seriesInstanceUid ?? null;
  const candidates = series ? (study?.otherObjects ?? []) : (scan?.studies ?? []).flatMap((s) => s.otherObjects);
  const objects = candidates.filter((o) => o.modality === 'RTSTRUCT');
  const key = `${uid ?? ''}|${objects.map((o) => o.fileId).join('|')}`;
  if (key === state.key) return;
  const geometry = series ? seriesGeometryOf(series) : null;
  const sliceSpacingMm = series?.sliceSpacingMm ?? series?.sliceThicknessMm ?? 1;
  set({ seriesInstanceUid: uid, key, geometry, sliceSpacingMm, loading: objects.length > 0, entries: [] });
  if (objects.length === 0) return;
  const entries: RtEntry[] = [];
  for (const o of objects) {
    const file = baseName(o.file);
    try {
      const bytes = new Uint8Array(await host.readFile(o.fileId));
      const parsed = parseRtStruct(bytes, file);
      if (!parsed.ok) entries.push({ sopInstanceUid: o.sopInstanceUid, file, rt: null, check: null, error: parsed.error, hidden: [] });
      else entries.push({ sopInstanceUid: o.sopInstanceUid, file, rt: parsed.value, check: validateRtStruct(parsed.value, geometry), error: null, hidden: [] });
    } catch (e) {
      entries.push({ sopInstanceUid: o.sopInstanceUid, file, rt: null, check: null, error: appError('rt.unreadable', `${file}: cannot be read (${e instanceof Error ? e.message : String(e)}).`, { file }), hidden: [] });
    }
    if (state.key !== key) return; // another series or scan was selected meanwhile
  }
  set({ seriesInstanceUid: uid, key, geometry, sliceSpacingMm, loading: false, entries });
}

export function setRoiVisible(sopInstanceUid: string, roiNumber: number, visible: boolean): void {
  set({
    ...state,
    entries: state.entries.map((e) =>
      e.sopInstanceUid !== sopInstanceUid ? e : { ...e, hidden: visible ? e.hidden.filter((n) => n !== roiNumber) : [...new Set([...e.hidden, roiNumber])] },
    ),
  });
}

/** The ROIs to draw: usable structure sets only, toggles applied. */
export function visibleRois(s: RtState = state): Array<{ entry: RtEntry; roi: RtStruct['rois'][number] }> {
  return s.entries.flatMap((entry) => (entry.rt && entry.check?.usable ? entry.rt.rois.filter((r) => !entry.hidden.includes(r.number)).map((roi) => ({ entry, roi })) : []));
}
