/** Coverage of an analysis by the open series' usable structure sets (the panel and the accepted lesion share it). */
import { lesionCoverage } from '../../shared/rt/coverage';
import type { LesionAnalysis } from '../../shared/schemas/analysis';
import type { RtLesionCoverage } from '../../shared/schemas/rt';
import { getRtState, type RtState } from './rtStore';

export function structureCoverageNow(analysis: LesionAnalysis, s: RtState = getRtState()): RtLesionCoverage[] {
  const g = s.geometry;
  if (!g) return [];
  return s.entries.flatMap((e) => (e.rt && e.check?.usable ? lesionCoverage(e.rt, analysis, g.normal, s.sliceSpacingMm).map((c) => ({ ...c, file: e.file })) : []));
}
