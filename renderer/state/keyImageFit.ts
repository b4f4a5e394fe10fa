import { MAX_KEY_IMAGE_DATA_URL_CHARS } from '../../shared/schemas/session';

/**
 * A captured key image made small enough to keep in the autosaved session: returned as is when
 * it fits MAX_KEY_IMAGE_DATA_URL_CHARS, else redrawn smaller (still PNG: the report schema and
 * the PDF take PNG, and lossless keeps thin measurement lines and their labels crisp).
 * Each step scales by the square root of the size ratio (PNG size grows about with the pixel
 * count) with a margin; the image never shrinks below MIN_KEY_IMAGE_SIDE_PX on its long side.
 * Returns the data URL and the scale applied (1 = unchanged).
 */
export const MIN_KEY_IMAGE_SIDE_PX = 256;
const SIZE_MARGIN = 0.9;
const MAX_STEPS = 5;

export async function fitKeyImage(pngDataUrl: string, maxChars: number = MAX_KEY_IMAGE_DATA_URL_CHARS): Promise<{ pngDataUrl: string; scale: number }> {
  if (pngDataUrl.length <= maxChars) return { pngDataUrl, scale: 1 };
  const img = new Image();
  await new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject({ code: 'KEY_IMAGE_UNREADABLE', message: 'The captured image could not be decoded.' });
    img.src = pngDataUrl;
  });
  const w0 = img.naturalWidth;
  const h0 = img.naturalHeight;
  const minScale = Math.min(1, MIN_KEY_IMAGE_SIDE_PX / Math.max(w0, h0, 1));
  let scale = 1;
  let url = pngDataUrl;
  for (let step = 0; step < MAX_STEPS && url.length > maxChars && scale > minScale; step++) {
    scale = Math.max(minScale, scale * Math.sqrt(maxChars / url.length) * SIZE_MARGIN);
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(w0 * scale));
    canvas.height = Math.max(1, Math.round(h0 * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) break;
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    url = canvas.toDataURL('image/png');
  }
  return { pngDataUrl: url, scale };
}
