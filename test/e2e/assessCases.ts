/**
 * The seven worked cases of clinical-rules.md §8 as a user enters them in the assessment panel,
 * and the entry itself (assess.e2e.ts checks every case; other tests start from case 3).
 */
import type { Page } from 'playwright-core';

export interface UiCase {
  n: number;
  site: string;
  lesionType: string;
  pain: string;
  size?: '1' | '2';
  axialPercent?: string;
  circ: string;
  length: string;
  life: 'yes' | 'no';
  mirels: number;
  level: string;
  ctConfirmed: boolean;
}

// §8, with the decimal separator each language's user would type (the panel accepts both).
export const CASES: UiCase[] = [
  { n: 1, site: 'upper-limb', lesionType: 'blastic', pain: 'mild', size: '1', circ: '10', length: '12', life: 'yes', mirels: 4, level: 'radiotherapy-alone', ctConfirmed: false },
  { n: 2, site: 'lower-limb', lesionType: 'mixed', pain: 'moderate', size: '2', circ: '30', length: '20', life: 'yes', mirels: 8, level: 'multidisciplinary-discussion', ctConfirmed: false },
  { n: 3, site: 'peritrochanteric', lesionType: 'lytic', pain: 'moderate', axialPercent: '45', circ: '60', length: '35', life: 'yes', mirels: 10, level: 'first-line-consolidation', ctConfirmed: true },
  { n: 4, site: 'peritrochanteric', lesionType: 'lytic', pain: 'functional', axialPercent: '70', circ: '40', length: '25', life: 'no', mirels: 12, level: 'non-surgical', ctConfirmed: false },
  { n: 5, site: 'upper-limb', lesionType: 'mixed', pain: 'mild', axialPercent: '25', circ: '55', length: '32', life: 'yes', mirels: 5, level: 'multidisciplinary-discussion', ctConfirmed: false },
  { n: 6, site: 'lower-limb', lesionType: 'lytic', pain: 'functional', axialPercent: '35', circ: '45', length: '28', life: 'yes', mirels: 10, level: 'first-line-consolidation', ctConfirmed: false },
  { n: 7, site: 'lower-limb', lesionType: 'lytic', pain: 'functional', axialPercent: '30,0', circ: '50,0', length: '30.0', life: 'yes', mirels: 9, level: 'first-line-consolidation', ctConfirmed: false },
];

/** Enter one case into a new lesion through the assessment panel. */
export async function enterCase(page: Page, c: UiCase): Promise<void> {
  await page.getByTestId('side-tab-assessment').click();
  await page.getByTestId('assess-add-lesion').click();
  await page.getByTestId('assess-site').selectOption(c.site);
  await page.getByTestId('assess-lesion-type').selectOption(c.lesionType);
  await page.getByTestId('assess-pain').selectOption(c.pain);
  await page.getByTestId('assess-life-expectancy').selectOption(c.life);
  if (c.axialPercent) await page.getByTestId('assess-value-axialPercent').fill(c.axialPercent);
  await page.getByTestId('assess-value-circumferentialPercent').fill(c.circ);
  await page.getByTestId('assess-value-axialLengthMm').fill(c.length);
  if (c.size) await page.getByTestId('assess-mirels-size').selectOption(c.size);
}
