import * as session from '../state/session';

/**
 * The calcaemia helper's two laboratory values of the open series, as typed (patient context,
 * entered per report). The report reads them from here. They live in the autosaved session
 * (renderer/state/session.ts, schema v2): restored after a reload, and per series by construction
 * (a value never follows the user to another patient's report). Typing is one undo step.
 */
export interface CalcaemiaValues {
  measured: string;
  albumin: string;
}

export function setCalcaemiaValues(v: Partial<CalcaemiaValues>): void {
  session.setCalcaemia(v);
}
/** Replace both values at once. */
export function replaceCalcaemiaValues(v: CalcaemiaValues): void {
  session.setCalcaemia({ measured: v.measured, albumin: v.albumin });
}
export const subscribeCalcaemiaValues = session.subscribeSession;
export const getCalcaemiaValues: () => CalcaemiaValues = session.getCalcaemia;
export const useCalcaemiaValues: () => CalcaemiaValues = session.useCalcaemia;

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
