import { getCurrentController } from './controller';
import { i18next } from '../i18n';
import { drawOverlay, overlayState } from './ViewportOverlay';
import type { ViewportId } from './ids';

/** A layer drawn over a viewport outside Cornerstone (e.g. the assisted analysis' sectors). */
export type CaptureOverlay = SVGSVGElement | HTMLCanvasElement;

const overlays = new Map<ViewportId, Set<CaptureOverlay>>();

/**
 * Have key images of viewport `id` include `layer` (an SVG or canvas laid over the viewport's
 * element), as the user sees it at capture time; layers no longer in the page are skipped.
 * Returns the function that unregisters it (e.g. a React 19 ref callback's cleanup).
 */
export function registerCaptureOverlay(id: ViewportId, layer: CaptureOverlay): () => void {
  let set = overlays.get(id);
  if (!set) overlays.set(id, (set = new Set()));
  set.add(layer);
  return () => {
    overlays.get(id)?.delete(layer);
  };
}

/** Style properties an SVG drawn as an image needs inline (page style sheets do not apply to it). */
const INLINED_SVG_STYLES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'visibility',
  'font-family',
  'font-size',
  'font-weight',
] as const;

/** An SVG of the page as a loaded image (null when it cannot be drawn), styles inlined if asked. */
async function svgImage(svg: SVGSVGElement, width: number, height: number, inlineStyles: boolean): Promise<HTMLImageElement | null> {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  if (inlineStyles) {
    const from = [svg, ...svg.querySelectorAll('*')];
    const to = [clone, ...clone.querySelectorAll('*')];
    from.forEach((el, i) => {
      const cs = getComputedStyle(el);
      const style = INLINED_SVG_STYLES.map((k) => `${k}:${cs.getPropertyValue(k)}`).join(';');
      to[i].setAttribute('style', `${to[i].getAttribute('style') ?? ''};${style}`);
    });
  }
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(clone))}`;
  const img = new Image();
  await new Promise<void>((resolve) => {
    img.onload = () => resolve();
    img.onerror = () => resolve(); // keep the image without this layer rather than fail
    img.src = url;
  });
  return img.complete && img.naturalWidth > 0 ? img : null;
}

/**
 * A key image: the viewport's rendered pixels with its annotation layer (Cornerstone's SVG
 * overlay: measurements, crosshairs) and the overlays registered for it
 * (`registerCaptureOverlay`, e.g. the analysis' sectors) drawn on top, as a PNG data URL at the
 * canvas' pixel size.
 */
export async function captureViewport(id: ViewportId): Promise<string> {
  const vp = getCurrentController()?.viewport(id);
  if (!vp) throw { code: 'VIEWER_NO_VIEWPORT', message: `Viewport ${id} is not displayed.` };
  vp.render();
  await new Promise((r) => requestAnimationFrame(() => r(null)));
  const source = vp.canvas;
  const out = document.createElement('canvas');
  out.width = source.width;
  out.height = source.height;
  const ctx = out.getContext('2d')!;
  ctx.drawImage(source, 0, 0);
  const rect = vp.element.getBoundingClientRect();
  const svg = vp.element.querySelector('svg.svg-layer') as SVGSVGElement | null;
  if (svg && svg.childNodes.length > 0) {
    const img = await svgImage(svg, rect.width, rect.height, false);
    if (img) ctx.drawImage(img, 0, 0, out.width, out.height);
  }
  // Registered layers, placed where they lie over the element (CSS px → canvas px).
  const sx = rect.width > 0 ? out.width / rect.width : 1;
  const sy = rect.height > 0 ? out.height / rect.height : 1;
  for (const layer of overlays.get(id) ?? []) {
    if (!layer.isConnected) continue;
    const r = layer.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const [x, y, w, h] = [(r.left - rect.left) * sx, (r.top - rect.top) * sy, r.width * sx, r.height * sy];
    if (layer instanceof HTMLCanvasElement) ctx.drawImage(layer, x, y, w, h);
    else {
      const img = await svgImage(layer, r.width, r.height, true);
      if (img) ctx.drawImage(img, x, y, w, h);
    }
  }
  // The reading-room corners, as the reader saw them (orientation, position, W/L, scale bar).
  const c = getCurrentController();
  try {
    const state = overlayState(vp, c?.series ?? null);
    if (state) drawOverlay(ctx, state, out.width, out.height, sx, (key, values) => String(i18next.t(`viewer:${key}`, values)));
  } catch {
    /* a view being rebuilt: the image without its corners */
  }
  return out.toDataURL('image/png');
}
