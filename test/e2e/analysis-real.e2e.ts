/**
 * The assisted analysis on real CT in Chromium (issue 13). The TotalSegmentator example series
 * (real Siemens CT, JPEG 2000) holds two intact arm shafts cut by both scan ends: a click in
 * the canal says "no cortical involvement", the profile hatches the sections beyond the scan,
 * and nothing far from the click can be accepted. Screenshot: test-results/analysis-real-intact.png.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vec3 } from '../../shared/schemas/common';
import { DATA_DIR } from '../data';
import { openApp, openFolder, screenshot, type App } from './harness';
import { clickAnalysisSeed, viewerLoaded } from './viewerProbe';

const ARM_CT = join(DATA_DIR, 'totalsegmentator-example-ct', 'example_ct_dicom');
/** In the canal of the right-hand shaft, 10 mm above the bottom slice (the canal's centre there). */
const SEED: Vec3 = [202.9, -118.0, -794.5];

describe.skipIf(!existsSync(ARM_CT))('assisted analysis on a real intact shaft (TotalSegmentator example CT)', () => {
  let app: App;
  beforeAll(async () => {
    app = await openApp({ language: 'en', viewport: { width: 1280, height: 800 } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('a click in the canal near the scan end: no involvement, hatched ends, nothing invented', async () => {
    const page = app.page;
    await openFolder(page, ARM_CT);
    await viewerLoaded(page);
    await page.getByTestId('side-tab-analysis').click();
    await clickAnalysisSeed(page, SEED);
    await page.getByTestId('analysis-result').waitFor({ timeout: 60_000 });

    expect(await page.getByTestId('analysis-verdict').getAttribute('data-verdict')).toBe('intact');
    expect(await page.getByTestId('analysis-verdict').textContent()).toContain('No cortical involvement at the clicked level');
    expect(await page.getByTestId('analysis-circ').getAttribute('data-value')).toBe('0');
    expect(await page.getByTestId('analysis-length').getAttribute('data-value')).toBe('0');
    expect(Number(await page.getByTestId('analysis-axial').getAttribute('data-value'))).toBeLessThan(5);
    // The sections beyond the bottom slice are drawn as not measured.
    const reasons = await page.getByTestId('profile-not-measured').evaluateAll((els) => els.map((e) => e.getAttribute('data-reason')));
    expect(reasons).toContain('outside-volume');
    await screenshot(page, 'analysis-real-intact');
    expect(app.pageErrors).toEqual([]);
  });
});
