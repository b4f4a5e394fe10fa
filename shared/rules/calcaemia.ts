import type { CalcaemiaInput, CalcaemiaResult } from '../schemas/assessment';
import { THRESHOLDS, meets } from './thresholds';

/**
 * Corrected calcaemia (seed 001; clinical-rules §7):
 * Ca corrected (mmol/L) = Ca measured (mmol/L) + (40 − albumin g/L) / 40.
 * Above 3.5 mmol/L: acute hypercalcaemic crisis, flagged.
 */
export function correctedCalcaemiaMmolL(measuredCalcaemiaMmolL: number, albuminGL: number): number {
  const reference = THRESHOLDS['calcaemia-albumin-reference'].value;
  // Rounded to 1e-9 mmol/L so binary floating point cannot push an exact 3.5 over the threshold
  // (3.1 + 16/40 is 3.5000000000000004 in doubles); far below any laboratory precision.
  return Math.round((measuredCalcaemiaMmolL + (reference - albuminGL) / reference) * 1e9) / 1e9;
}

export function calcaemia(input: CalcaemiaInput): CalcaemiaResult {
  const corrected = correctedCalcaemiaMmolL(input.measuredCalcaemiaMmolL, input.albuminGL);
  return {
    correctedCalcaemiaMmolL: corrected,
    hypercalcaemicCrisis: meets(corrected, 'calcaemia-crisis'),
    source: THRESHOLDS['calcaemia-crisis'].source,
  };
}
