import { useSyncExternalStore } from 'react';
import type { KeyImage } from '../../shared/schemas/report';

/**
 * Key images captured for the report, per lesion id, for this page. Kept out of the autosaved
 * session on purpose (a few hundred kB of PNG per image would be rewritten on every edit); they
 * travel in the report's JSON, from which the report can be regenerated.
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
