import type { Vec3 } from './vec';

/**
 * Patient-orientation letters of a direction in DICOM LPS (+x left, +y posterior, +z superior):
 * the main axis first, and a second letter when the view is oblique enough that a reader should
 * know (component over sin 15°), as reading-room viewers print them ("L", "LA").
 */
const LETTERS: readonly [string, string][] = [
  ['L', 'R'],
  ['P', 'A'],
  ['S', 'I'],
];
const OBLIQUE_SHARE = Math.sin((15 * Math.PI) / 180);

export function orientationLetter(d: Vec3): string {
  const len = Math.hypot(d[0], d[1], d[2]);
  if (!(len > 0)) return '';
  return [0, 1, 2]
    .map((i) => ({ i, v: d[i] / len }))
    .sort((a, b) => Math.abs(b.v) - Math.abs(a.v))
    .filter((c, k) => k === 0 || Math.abs(c.v) > OBLIQUE_SHARE)
    .slice(0, 2)
    .map((c) => LETTERS[c.i][c.v > 0 ? 0 : 1])
    .join('');
}

/** Letters at the four edges of a view whose screen-right and screen-down directions are given (world). */
export function orientationLetters(right: Vec3, down: Vec3): { left: string; right: string; top: string; bottom: string } {
  const neg = (v: Vec3): Vec3 => [-v[0], -v[1], -v[2]];
  return { left: orientationLetter(neg(right)), right: orientationLetter(right), top: orientationLetter(neg(down)), bottom: orientationLetter(down) };
}

const NICE_MM = [1, 2, 5, 10, 20, 50, 100, 200, 500] as const;

/** A round scale-bar length (mm) no longer than a quarter of the view's width. */
export function scaleBarMm(mmPerPx: number, widthPx: number): number {
  const maxMm = (widthPx / 4) * mmPerPx;
  let best: number = NICE_MM[0];
  for (const mm of NICE_MM) if (mm <= maxMm) best = mm;
  return best;
}
