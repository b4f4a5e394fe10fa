/** Maximal runs of set rays around the circle ({start, len}; a run may wrap past ray 0), or null when every ray is set. */
function circularRuns(mask: Uint8Array): Array<{ start: number; len: number }> | null {
  const n = mask.length;
  const firstClear = mask.indexOf(0);
  if (firstClear < 0) return null;
  const runs: Array<{ start: number; len: number }> = [];
  let a = 1;
  while (a <= n) {
    const k = (firstClear + a) % n;
    if (!mask[k]) {
      a++;
      continue;
    }
    let len = 0;
    while (len < n && mask[(k + len) % n]) len++;
    runs.push({ start: k, len });
    a += len;
  }
  return runs;
}

/** Clears circular runs of involved angles shorter than minLen. */
export function dropShortRuns(mask: Uint8Array, minLen: number): void {
  const n = mask.length;
  for (const { start, len } of circularRuns(mask) ?? []) {
    if (len < minLen) for (let j = 0; j < len; j++) mask[(start + j) % n] = 0;
  }
}

/** Involved runs as arcs (degrees, counter-clockwise from u towards v; one arc may cross 0°). */
export function arcsOf(mask: Uint8Array): Array<{ startDeg: number; sweepDeg: number }> {
  const w = 360 / mask.length;
  const runs = circularRuns(mask);
  if (!runs) return [{ startDeg: 0, sweepDeg: 360 }];
  // Ray k stands for the sector [k·w − w/2, k·w + w/2].
  return runs.map(({ start, len }) => ({ startDeg: (((start - 0.5) * w) % 360 + 360) % 360, sweepDeg: len * w }));
}

/** Length of the longest circular run of set rays (the whole circle when every ray is set). */
export function longestRun(mask: Uint8Array): number {
  const runs = circularRuns(mask);
  if (!runs) return mask.length;
  return runs.reduce((m, r) => Math.max(m, r.len), 0);
}
