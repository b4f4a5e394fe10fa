import {
  SINS_COMPONENTS,
  VERTEBROPLASTY_FLAGS,
  type SinsBand,
  type SinsComponent,
  type SinsInput,
  type SinsResult,
  type VertebroplastyFlag,
} from '../schemas/assessment';
import { meets } from './thresholds';

/**
 * Spinal Instability Neoplastic Score (seed 000 §1.2 tableau 10; clinical-rules §5).
 * Total 0–18; ≥ 7 → surgical opinion. A missing component makes the assessment incomplete.
 */
export const SINS_POINTS = {
  // junctional: occiput–C2, C7–T2, T11–L1, L5–S1; mobile: C3–C6, L2–L4; semi-rigid: T3–T10; rigid: S2–S5
  location: { junctional: 3, mobile: 2, 'semi-rigid': 1, rigid: 0 },
  pain: { mechanical: 3, occasional: 1, none: 0 },
  lesion: { lytic: 2, mixed: 1, blastic: 0 },
  alignment: { subluxation: 4, deformity: 2, normal: 0 },
  collapse: { 'over-50': 3, 'under-50': 2, 'none-over-50-involved': 1, none: 0 },
  posterolateral: { bilateral: 3, unilateral: 1, none: 0 },
} as const satisfies { [K in SinsComponent]: Record<NonNullable<SinsInput[K]>, number> };

export function sinsBand(score: number): SinsBand {
  if (meets(score, 'sins-unstable')) return 'unstable';
  if (meets(score, 'sins-potentially-unstable')) return 'potentially-unstable';
  return 'stable';
}

/** Components not given, as input paths ('sins.pain'). */
export function missingSinsComponents(sins: SinsInput | undefined): string[] {
  return SINS_COMPONENTS.filter((c) => sins?.[c] === undefined).map((c) => `sins.${c}`);
}

/** Vertebroplasty contraindication flags set (seed 002). */
export function vertebroplastyContraindications(sins: SinsInput | undefined): VertebroplastyFlag[] {
  return VERTEBROPLASTY_FLAGS.filter((f) => sins?.[f] === true);
}

/** Points of each given component. */
export function sinsComponentPoints(sins: SinsInput): Partial<Record<SinsComponent, number>> {
  const out: Partial<Record<SinsComponent, number>> = {};
  for (const c of SINS_COMPONENTS) {
    const v = sins[c];
    if (v !== undefined) out[c] = (SINS_POINTS[c] as Record<string, number>)[v];
  }
  return out;
}

/** SINS score and band; null when any component is missing. */
export function sins(input: SinsInput | undefined): SinsResult | null {
  if (!input || missingSinsComponents(input).length > 0) return null;
  const components = sinsComponentPoints(input) as Record<SinsComponent, number>;
  const score = SINS_COMPONENTS.reduce((sum, c) => sum + components[c], 0);
  return {
    score,
    band: sinsBand(score),
    components,
    vertebroplastyContraindications: vertebroplastyContraindications(input),
  };
}
