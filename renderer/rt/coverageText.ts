/**
 * A structure's coverage of a lesion as a sentence in the UI's (or the report's) language, from
 * the numbers kept (shared/rt/coverage.ts writes the same sentence in English for the CLI / JSON).
 */
import { coveragePercentFigure } from '../../shared/rt/coverage';
import type { RtCoverage } from '../../shared/schemas/rt';

type T = (key: string, options?: Record<string, unknown>) => string;

export function coverageText(c: Pick<RtCoverage, 'roiName' | 'involvedArcPercent' | 'involvedRegionPercent' | 'seedInside'>, t: T): string {
  // The shared figure (never "100 %" for a partial cover, nor "0 %" for one that reaches the cortex), in the language's decimal mark.
  const pct = (x: number) => (x >= 99.95 ? t('rt:coverage.all') : `${coveragePercentFigure(x, t('rt:coverage.decimalMark'))} %`);
  const seed = t(c.seedInside ? 'rt:coverage.seedIn' : 'rt:coverage.seedOut');
  if (c.involvedArcPercent === null || c.involvedRegionPercent === null) return t('rt:coverage.noInvolvement', { name: c.roiName, seed });
  if (c.involvedRegionPercent === 0) return t('rt:coverage.none', { name: c.roiName, seed });
  const key = c.involvedArcPercent >= 99.95 ? 'rt:coverage.allArc' : 'rt:coverage.partial';
  return t(key, { name: c.roiName, arc: pct(c.involvedArcPercent), region: pct(c.involvedRegionPercent), seed });
}
