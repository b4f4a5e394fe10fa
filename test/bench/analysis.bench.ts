/**
 * `npm run bench analysis`: time of the assisted cortical analysis (issue 6 target: ≤ 0.5 s on a
 * 300-slice volume on this machine). Volumes: a 512² × 300 synthetic femur (0.7 mm pixels,
 * 1 mm slices, tilted 15°, noise 20 HU) and, when present, the TCIA planning CT (a vertebral
 * seed: the analysis runs fully and then declines to measure). Prints a table; ratio = median /
 * target. Volume generation / loading is not timed. The femur also runs with the structural
 * rigidity along the bone (issue 18 target: ≤ 0.8 s with it).
 */
import { existsSync } from 'node:fs';
import { analyseLesion, type AnalyseOptions } from '../../shared/analysis';
import type { CtVolume } from '../../shared/analysis/volume';
import type { Vec3 } from '../../shared/schemas/common';
import { loadCtVolume } from '../../main/volume/loadCtVolume';
import { makeSyntheticCt } from '../fixtures/synthetic-ct';
import { TCIA_DIR } from '../data';

const TARGET_MS = 500;
const RIGIDITY_TARGET_MS = 800;
const RUNS = 7;

function time(volume: CtVolume, seed: Vec3, options: AnalyseOptions = {}) {
  analyseLesion(volume, seed, options); // warm-up (JIT)
  const ms: number[] = [];
  let last = analyseLesion(volume, seed, options);
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    last = analyseLesion(volume, seed, options);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)], min: ms[0], max: ms[ms.length - 1], result: last };
}

const rows: string[][] = [];
{
  const t = performance.now();
  const { volume, truth } = makeSyntheticCt({
    dimensions: [512, 512, 300],
    pixelMm: 0.7,
    sliceSpacingMm: 1.0,
    noiseSigmaHu: 20,
    seed: 300,
    supersample: 2,
    bodyRadiusMm: 150,
    bone: { tiltDeg: 15, outerRadiusMm: 14, corticalThicknessMm: 4.5 },
    lesion: { axialLengthMm: 35, startAngleDeg: 40, extentDeg: 200, depth: 'full', shape: 'box' },
  });
  process.stdout.write(`synthetic 512×512×300 generated in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  const r = time(volume, truth.canalSeed);
  const v = r.result.ok ? r.result.value : null;
  rows.push([
    'synthetic femur 512²×300, 15° tilt',
    r.median.toFixed(0),
    r.min.toFixed(0),
    r.max.toFixed(0),
    (r.median / TARGET_MS).toFixed(2),
    v ? `L ${v.axialLengthMm} mm (true 35), circ ${v.circumferentialPercent} % (true ${truth.circumferentialPercent.toFixed(1)})` : 'error',
  ]);
  const g = time(volume, truth.canalSeed, { rigidity: true });
  const loss = g.result.ok ? g.result.value.rigidity?.lossPercent : null;
  rows.push([
    'same, with rigidity',
    g.median.toFixed(0),
    g.min.toFixed(0),
    g.max.toFixed(0),
    `${(g.median / RIGIDITY_TARGET_MS).toFixed(2)} (of ${RIGIDITY_TARGET_MS} ms)`,
    loss ? `loss EA ${loss.EA} %, EImin ${loss.EImin} %, GJ ${loss.GJ} %; ${g.result.ok ? g.result.value.rigidity!.profile.length : 0} sections` : 'no loss',
  ]);
}
const TCIA = `${TCIA_DIR}/CT`;
if (existsSync(TCIA)) {
  const loaded = await loadCtVolume(TCIA);
  if (loaded.ok) {
    const r = time(loaded.value.volume, [8.6, 124.8, 325.9]);
    const v = r.result.ok ? r.result.value : null;
    rows.push(['TCIA planning CT 512²×134, vertebra', r.median.toFixed(0), r.min.toFixed(0), r.max.toFixed(0), (r.median / TARGET_MS).toFixed(2), v ? v.warnings.map((w) => w.code).join(', ') : 'error']);
  }
}
const header = ['volume', 'median ms', 'min ms', 'max ms', `ratio to ${TARGET_MS} ms`, 'result'];
const table = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
process.stdout.write(`\nassisted analysis, ${RUNS} runs after a warm-up\n${table}\n`);
