/**
 * The involved cortical region of an assisted analysis, section by section (issue 17): what the
 * coverage samples and the RTSTRUCT export outlines.
 *
 * The analysis keeps the involved arcs of its most affected section only, and each section's
 * circumferential % in its profile. At a position t along the axis the region is taken as the most
 * affected section's arcs, each narrowed about its own centre to that section's share
 * (circumferential %(t) / circumferential % of the most affected section, at most 1): a lesion's
 * involved arc is assumed to taper about the same angle, which is what the profile can say. A
 * section not measured keeps the most affected arcs (never counted as intact).
 */
import type { LesionAnalysis } from '../schemas/analysis';

export interface Arc {
  startDeg: number;
  sweepDeg: number;
}

/** The section's share of the most affected circumferential % (1 when unknown). */
export function arcScaleAt(a: LesionAnalysis, tMm: number): number {
  const s = a.mostAffectedSection;
  if (!s || !(s.circumferentialPercent > 0) || a.profile.length === 0) return 1;
  let nearest = a.profile[0];
  for (const p of a.profile) if (Math.abs(p.positionMm - tMm) < Math.abs(nearest.positionMm - tMm)) nearest = p;
  const step = a.method.profileStepMm;
  if (!nearest.measured || Math.abs(nearest.positionMm - tMm) > step) return 1;
  return Math.max(0, Math.min(1, nearest.circumferentialPercent / s.circumferentialPercent));
}

/** The involved arcs at position t (mm along the axis from the seed), in the most affected section's (u, v) angles. */
export function involvedArcsAt(a: LesionAnalysis, tMm: number): Arc[] {
  const s = a.mostAffectedSection;
  if (!s) return [];
  const k = arcScaleAt(a, tMm);
  if (k <= 0) return [];
  return s.involvedArcs.map((arc) => ({ startDeg: arc.startDeg + (arc.sweepDeg * (1 - k)) / 2, sweepDeg: arc.sweepDeg * k }));
}
