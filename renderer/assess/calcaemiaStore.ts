import { useSyncExternalStore } from 'react';

/**
 * The calcaemia helper's two laboratory values of the open series (patient context, entered per
 * report). The report reads them from here. They belong to the series: renderer/report/
 * reportContext.ts swaps them when another series opens (a value must never follow the user to
 * another patient's report) and keeps them between page loads.
 */
export interface CalcaemiaValues {
  measured: string;
  albumin: string;
}

let values: CalcaemiaValues = { measured: '', albumin: '' };
const listeners = new Set<() => void>();

export function setCalcaemiaValues(v: Partial<CalcaemiaValues>): void {
  values = { ...values, ...v };
  for (const l of [...listeners]) l();
}
/** Replace both values at once (series switch / restore). */
export function replaceCalcaemiaValues(v: CalcaemiaValues): void {
  values = { measured: v.measured, albumin: v.albumin };
  for (const l of [...listeners]) l();
}
export function subscribeCalcaemiaValues(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
export function getCalcaemiaValues(): CalcaemiaValues {
  return values;
}
export function useCalcaemiaValues(): CalcaemiaValues {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => values,
    () => values,
  );
}

/**
 * Plausible laboratory ranges: outside them the number is almost surely a unit slip
 * (mg/dL for mmol/L, g/dL for g/L), so the helper asks again instead of computing.
 */
export const CALCIUM_RANGE_MMOL_L = [0.5, 6] as const;
export const ALBUMIN_RANGE_G_L = [5, 80] as const;

export function calcaemiaInputFrom(v: CalcaemiaValues): { measuredCalcaemiaMmolL: number; albuminGL: number } | null {
  const ca = Number(v.measured.trim().replace(',', '.'));
  const alb = Number(v.albumin.trim().replace(',', '.'));
  if (v.measured.trim() === '' || v.albumin.trim() === '' || !Number.isFinite(ca) || !Number.isFinite(alb)) return null;
  if (ca < CALCIUM_RANGE_MMOL_L[0] || ca > CALCIUM_RANGE_MMOL_L[1]) return null;
  if (alb < ALBUMIN_RANGE_G_L[0] || alb > ALBUMIN_RANGE_G_L[1]) return null;
  return { measuredCalcaemiaMmolL: ca, albuminGL: alb };
}
