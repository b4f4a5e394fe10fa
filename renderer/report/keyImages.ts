import type { AppError } from '../../shared/errors';
import type { KeyImage } from '../../shared/schemas/report';
import * as session from '../state/session';

/**
 * Key images captured for the report, per lesion id, of the open series. They live in the
 * autosaved session (renderer/state/session.ts, session schema v2): restored with it after a
 * reload, per series by construction (another patient's series has its own session), capped in
 * count and size (shared/schemas/session.ts) and outside undo. They also travel in the report's
 * JSON. Downscale a capture with fitKeyImage (renderer/state/keyImageFit.ts) before adding it.
 */
/** Keep an image; returns why it was refused (too many, too large, no such lesion) or null. */
export function addKeyImage(lesionId: string, image: KeyImage): AppError | null {
  return session.addKeyImage(lesionId, image);
}
export function removeKeyImage(lesionId: string, index: number): void {
  session.removeKeyImage(lesionId, index);
}
/** Replace every lesion's images (lesions absent from `next` lose theirs). */
export function replaceKeyImages(next: Record<string, KeyImage[]>): void {
  const ids = new Set([...Object.keys(session.getKeyImages()), ...Object.keys(next)]);
  for (const id of ids) session.setKeyImages(id, next[id] ?? []);
}
export const subscribeKeyImages = session.subscribeSession;
export const getKeyImages = session.getKeyImages;
export const useKeyImages = session.useKeyImages;
