import { appError, type AppError } from '../errors';
import type { KeyImage } from '../schemas/report';
import { MAX_KEY_IMAGE_DATA_URL_CHARS, MAX_KEY_IMAGES_PER_LESION, MAX_KEY_IMAGES_PER_SESSION, type Session } from '../schemas/session';

/**
 * Size rules for the key images kept in the session (caps in shared/schemas/session.ts): why a
 * key image cannot be added, or null when it can. The UI shows the message; the reducer applies
 * the same rules so a session never grows past them.
 */
export function keyImageRefusal(s: Session, lesionId: string, image: KeyImage): AppError | null {
  if (!s.lesions.some((l) => l.id === lesionId)) return appError('KEY_IMAGE_NO_LESION', 'A key image belongs to a lesion of this session.', { field: 'lesionId' });
  if (image.pngDataUrl.length > MAX_KEY_IMAGE_DATA_URL_CHARS)
    return appError('KEY_IMAGE_TOO_LARGE', `The key image is too large to keep (${image.pngDataUrl.length} > ${MAX_KEY_IMAGE_DATA_URL_CHARS} characters).`, {
      field: 'pngDataUrl',
    });
  if ((s.keyImages[lesionId] ?? []).length >= MAX_KEY_IMAGES_PER_LESION)
    return appError('KEY_IMAGE_LIMIT_LESION', `At most ${MAX_KEY_IMAGES_PER_LESION} key images per lesion: remove one first.`, { field: 'keyImages' });
  if (keyImageCount(s) >= MAX_KEY_IMAGES_PER_SESSION)
    return appError('KEY_IMAGE_LIMIT_SERIES', `At most ${MAX_KEY_IMAGES_PER_SESSION} key images per series: remove one first.`, { field: 'keyImages' });
  return null;
}

/** Why a lesion's key images cannot be replaced by `images`, or null. */
export function keyImagesRefusal(s: Session, lesionId: string, images: readonly KeyImage[]): AppError | null {
  const without: Session = { ...s, keyImages: { ...s.keyImages, [lesionId]: [] } };
  let acc = without;
  for (const image of images) {
    const why = keyImageRefusal(acc, lesionId, image);
    if (why) return why;
    acc = { ...acc, keyImages: { ...acc.keyImages, [lesionId]: [...(acc.keyImages[lesionId] ?? []), image] } };
  }
  return null;
}

export function keyImageCount(s: Session): number {
  return Object.values(s.keyImages).reduce((n, list) => n + list.length, 0);
}

/**
 * The session without key images of lesions it no longer has (deleted lesions keep theirs while
 * undo can bring the lesion back; once the session is reopened there is no undo, so they go).
 */
export function withoutOrphanKeyImages(s: Session): Session {
  const ids = new Set(s.lesions.map((l) => l.id));
  const entries = Object.entries(s.keyImages);
  if (entries.every(([id]) => ids.has(id))) return s;
  return { ...s, keyImages: Object.fromEntries(entries.filter(([id]) => ids.has(id))) };
}
