import { getCurrentController } from './controller';
import type { ViewportId } from './ids';

/**
 * A key image: the viewport's rendered pixels with its annotation layer (Cornerstone's SVG
 * overlay: measurements, crosshairs) drawn on top, as a PNG data URL at the canvas' pixel size.
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
  const svg = vp.element.querySelector('svg.svg-layer') as SVGSVGElement | null;
  if (svg && svg.childNodes.length > 0) {
    const clone = svg.cloneNode(true) as SVGSVGElement;
    const rect = vp.element.getBoundingClientRect();
    clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    clone.setAttribute('width', String(rect.width));
    clone.setAttribute('height', String(rect.height));
    const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(clone))}`;
    const img = new Image();
    await new Promise<void>((resolve) => {
      img.onload = () => resolve();
      img.onerror = () => resolve(); // keep the image without annotations rather than fail
      img.src = url;
    });
    if (img.complete && img.naturalWidth > 0) ctx.drawImage(img, 0, 0, out.width, out.height);
  }
  return out.toDataURL('image/png');
}
