import { useSyncExternalStore } from 'react';
import type { KeyImage } from '../../shared/schemas/report';

/**
 * Key images captured for the report, per lesion id, of the open series. Kept out of the
 * autosaved session on purpose (a few hundred kB of PNG per image would be rewritten on every
 * edit); reportContext.ts keeps them per series between page loads (IndexedDB) and swaps them
 * when another series opens. They also travel in the report's JSON.
 */
let byLesion: Record<string, KeyImage[]> = {};
const listeners = new Set<() => void>();
const emit = () => {
  for (const l of [...listeners]) l();
};

export function addKeyImage(lesionId: string, image: KeyImage): void {
  byLesion = { ...byLesion, [lesionId]: [...(byLesion[lesionId] ?? []), image] };
  emit();
}
export function removeKeyImage(lesionId: string, index: number): void {
  byLesion = { ...byLesion, [lesionId]: (byLesion[lesionId] ?? []).filter((_, i) => i !== index) };
  emit();
}
/** Replace the whole map (series switch / restore). */
export function replaceKeyImages(next: Record<string, KeyImage[]>): void {
  byLesion = next;
  emit();
}
export function subscribeKeyImages(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
export function getKeyImages(): Record<string, KeyImage[]> {
  return byLesion;
}
export function useKeyImages(): Record<string, KeyImage[]> {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => byLesion,
    () => byLesion,
  );
}
