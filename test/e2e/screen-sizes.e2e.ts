/**
 * The workstation at the two screen sizes a reading room has (issue 14): 1280 × 800 (a laptop
 * beside the PACS screen) and 1920 × 1080, in French (the longer words), on the demo with §8
 * case 3 entered, a measurement drawn and the axis mode's hint showing. On every side tab and in
 * the viewer: no control out of reach (cut by a box that does not scroll, or off the window) and
 * no warning or message clipped at a viewport or panel edge. Screenshots:
 * test-results/screen-<size>-<tab>.png, looked at.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, enterCase } from './assessCases';
import { openApp, screenshot, type App } from './harness';
import { viewerLoaded } from './viewerProbe';

/**
 * Controls (buttons, inputs, selects, tabs) and messages (alerts, warnings, hints) that are
 * drawn but cut: part of them lies outside an ancestor that clips without scrolling, or outside
 * the window with no scrolling ancestor to bring them in.
 */
function cutOff(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const selector = 'button, input, select, textarea, [role="tab"], [role="alert"], [data-testid$="-warning"], [data-testid$="-caution"], [data-testid$="-hint"], [data-testid="viewer-resampled"]';
    const W = window.innerWidth;
    const H = window.innerHeight;
    const name = (e: Element) => `${e.tagName.toLowerCase()}[${e.getAttribute('data-testid') ?? ''}] "${(e as HTMLElement).innerText?.trim().slice(0, 40) ?? ''}"`;
    for (const e of document.querySelectorAll(selector)) {
      const el = e as HTMLElement;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      // Parked (hidden) viewer cells and closed menus are not drawn.
      if (el.closest('.parked, [hidden], [aria-hidden="true"]')) continue;
      // Vertically, a scrolling box brings a control into view (stop looking further out); sideways
      // nobody scrolls a panel to find a button, so any box that clips in x counts, scrolling or not.
      let cutX = false;
      let cutY = false;
      let reachY = false;
      for (let a = el.parentElement; a; a = a.parentElement) {
        const cs = getComputedStyle(a);
        const ar = a.getBoundingClientRect();
        if (cs.overflowX !== 'visible' && (r.left < ar.left - 1 || r.right > ar.right + 1)) cutX = true;
        if (!reachY && cs.overflowY !== 'visible' && (r.top < ar.top - 1 || r.bottom > ar.bottom + 1)) {
          if (['auto', 'scroll'].includes(cs.overflowY) && a.scrollHeight > a.clientHeight) reachY = true;
          else cutY = true;
        }
        if (['auto', 'scroll'].includes(cs.overflowY) && a.scrollHeight > a.clientHeight) reachY = true;
      }
      const offWindow = r.left < -1 || r.right > W + 1 || ((r.top < -1 || r.bottom > H + 1) && !reachY);
      if (cutX || cutY || offWindow) out.push(name(el));
      // A message whose own text is cut (single-line ellipsis or hidden overflow).
      if (!el.matches('button, input, select, textarea, [role="tab"]') && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') out.push(`${name(el)} (text cut)`);
    }
    return out;
  });
}

const TABS = ['measurements', 'analysis', 'assessment', 'recommendation', 'definitions', 'report'];

describe.each([
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
])('screen $width × $height', (size) => {
  let app: App;
  beforeAll(async () => {
    app = await openApp({ language: 'fr', demo: true, viewport: size });
    await viewerLoaded(app.page);
    await enterCase(app.page, CASES[2]);
  });
  afterAll(async () => {
    await app?.close();
  });

  it.each(TABS)('tab %s: every control within reach, no message cut off', async (tab) => {
    const page = app.page;
    await page.getByTestId(`side-tab-${tab}`).click();
    await page.waitForTimeout(300);
    await screenshot(page, `screen-${size.width}-${tab}`);
    expect(await cutOff(page)).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });

  it('viewer: the axis-mode hint and the 2×2 layout keep every control within reach', async () => {
    const page = app.page;
    await page.getByTestId('viewer-mode-axis').click();
    await page.getByTestId('viewer-axis-hint').waitFor();
    expect(await cutOff(page)).toEqual([]);
    await screenshot(page, `screen-${size.width}-axis-mode`);
    await page.keyboard.press('Escape');
    await page.getByTestId('viewer-layout-grid2x2').click();
    await page.waitForTimeout(300);
    expect(await cutOff(page)).toEqual([]);
    await screenshot(page, `screen-${size.width}-2x2`);
    expect(app.pageErrors).toEqual([]);
  });
});
