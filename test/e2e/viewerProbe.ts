import type { Page } from 'playwright-core';
import type { ViewerTestHooks } from '../../renderer/viewer/testHooks';
import type { Vec3 } from '../../shared/schemas/common';

/** The viewer's viewports, by id. */
export type Vid = 'axial' | 'sagittal' | 'coronal' | 'oblique' | 'obliqueAlong';

/** Waits until the viewer has loaded its series (stack and volume: data-phase "done"). */
export function viewerLoaded(page: Page): Promise<unknown> {
  return page.waitForFunction(() => document.querySelector('[data-testid="viewer"]')?.getAttribute('data-phase') === 'done', null, { timeout: 120_000 });
}

/** Runs `fn` in the page on the viewer's test hooks (`window.frwViewer`, present with `?test=1`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function viewerHooks<T>(page: Page, fn: (h: ViewerTestHooks, arg: any) => T, arg?: unknown): Promise<Awaited<T>> {
  return page.evaluate(`(${fn.toString()})(window.frwViewer, ${JSON.stringify(arg ?? null)})`) as Promise<Awaited<T>>;
}

/**
 * Runs `fn` in the page on a 2D copy of a viewport's canvas (its WebGL canvas is not read
 * directly), with the canvas pixels per CSS pixel.
 */
export function onViewportCanvas<T>(
  page: Page,
  id: Vid,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  fn: (ctx: CanvasRenderingContext2D, scale: number, arg: any) => T,
  arg?: unknown,
): Promise<Awaited<T>> {
  const copy = (id: Vid) => {
    const src = document.querySelector(`[data-testid="viewport-${id}"] canvas`) as HTMLCanvasElement;
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(src, 0, 0);
    return { ctx, scale: src.width / src.clientWidth };
  };
  return page.evaluate(
    `(() => { const { ctx, scale } = (${copy.toString()})(${JSON.stringify(id)}); return (${fn.toString()})(ctx, scale, ${JSON.stringify(arg ?? null)}); })()`,
  ) as Promise<Awaited<T>>;
}

/** Red channel of a viewport's canvas at CSS-pixel points. */
export function grayAt(page: Page, id: Vid, points: [number, number][]): Promise<number[]> {
  return onViewportCanvas(
    page,
    id,
    (ctx, s, points: [number, number][]) => points.map(([x, y]) => ctx.getImageData(Math.round(x * s), Math.round(y * s), 1, 1).data[0]),
    points,
  );
}

/** Page coordinates of a patient point on a viewport. */
export async function pageXY(page: Page, id: Vid, p: Vec3): Promise<[number, number]> {
  const xy = (await viewerHooks(page, (h, a) => h.worldToCanvas(a.id, a.p), { id, p }))!;
  const box = (await page.getByTestId(`viewport-${id}`).boundingBox())!;
  return [box.x + xy[0], box.y + xy[1]];
}

/**
 * "Analyse lesion" as a user does it: bring the axial view to the seed's level, press the button,
 * click the seed on the axial view. The caller waits for the result it expects.
 */
export async function clickAnalysisSeed(page: Page, seed: Vec3): Promise<void> {
  await viewerHooks(page, (h, p) => h.jumpToWorld('axial', p), seed);
  await page.waitForTimeout(300);
  await page.getByTestId('analysis-start').click();
  await page.getByTestId('analysis-picking').waitFor();
  const [x, y] = await pageXY(page, 'axial', seed);
  await page.mouse.click(x, y);
}

/** A mouse drag between two patient points on a viewport, then `settleMs` for the tool to finish. */
export async function dragFromTo(page: Page, id: Vid, from: Vec3, to: Vec3, settleMs = 200): Promise<void> {
  const [x0, y0] = await pageXY(page, id, from);
  const [x1, y1] = await pageXY(page, id, to);
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  await page.mouse.move(x1, y1, { steps: 8 });
  await page.mouse.up();
  await page.waitForTimeout(settleMs);
}

/**
 * Pixels of a PNG data URL that are red (CT is gray: r = g = b; a pixel counts when r exceeds
 * both g and b by more than `minExcess`), and the image's size.
 */
export function redPixels(page: Page, dataUrl: string, minExcess = 60): Promise<{ red: number; w: number; h: number }> {
  return page.evaluate(
    async ([url, excess]) => {
      const img = new Image();
      img.src = url as string;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let red = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] - Math.max(d[i + 1], d[i + 2]) > (excess as number)) red++;
      return { red, w: c.width, h: c.height };
    },
    [dataUrl, minExcess] as const,
  );
}
