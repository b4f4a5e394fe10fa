/**
 * `npm run -s cli -- analyze SERIES_DIR --seed x,y,z [--threshold HU] [--series UID] [--json]
 *    [--rigidity [--contralateral x,y,z] [--density-relation JSON]]`
 *
 * Assisted cortical analysis (issue 6) from a seed inside the medullary canal (patient LPS mm,
 * the coordinates the viewer shows). With --json prints the LesionAnalysis
 * (shared/schemas/analysis.ts): {axialLengthMm, circumferentialPercent, axialPercent, profile,
 * axis, thresholdHu, warnings, …} plus `series`. Exit codes: 0 analysed (read the warnings),
 * 2 bad input (argument, folder, series, seed outside the volume) naming it, 1 internal error.
 * --rigidity adds the key `rigidity` (issue 18; shared/schemas/analysis.ts RigiditySchema):
 * EA / EImin / GJ per section, the weakest lesional section, the intact reference and the losses,
 * informational. --contralateral adds the other side's bone at that click as a second reference;
 * --density-relation overrides constants of the HU → modulus relation (JSON, e.g.
 * '{"modulusExponent":2,"calibration":"phantom K2HPO4"}').
 * --rtstruct OUT.dcm also writes the lesion as an RTSTRUCT on the CT (issue 17; main/cli/analyzeRtstruct.ts).
 * --sr OUT.dcm also writes the numbers as a DICOM SR TID 1500 (issue 16; main/cli/analyzeSr.ts);
 * an unwritable OUT.dcm exits 2 naming it, and nothing else of the output changes.
 */
import { existsSync, statSync } from 'node:fs';
import { analyseLesion } from '../../shared/analysis';
import { ANALYSIS_PARAMETERS } from '../../shared/analysis/parameters';
import { DensityRelationSchema, LesionAnalysisSchema, type DensityRelation } from '../../shared/schemas/analysis';
import { loadCtVolume } from '../volume/loadCtVolume';
import { writeAnalysisRtstruct } from './analyzeRtstruct';
import { writeAnalysisSr } from './analyzeSr';

const USAGE = 'usage: cli analyze SERIES_DIR --seed x,y,z [--threshold HU] [--series UID] [--json] [--rigidity [--contralateral x,y,z] [--density-relation JSON]] [--sr OUT.dcm] [--rtstruct OUT.dcm]';

/** What an option's value is, where "needs a value" would not say enough. */
const WHAT_FLAG_NEEDS: Record<string, string> = {
  '--sr': 'a file name (the SR to write)',
  '--rtstruct': 'a file name (the RTSTRUCT to write)',
};

interface Args {
  dir: string;
  seed: [number, number, number];
  thresholdHu: number;
  series?: string;
  json: boolean;
  rigidity: boolean;
  contralateral?: [number, number, number];
  densityRelation?: Partial<DensityRelation>;
  sr?: string;
  rtstruct?: string;
}

function point(text: string, flag: string, problems: string[]): [number, number, number] | undefined {
  const nums = text.split(',').map((s) => Number(s.trim()));
  if (nums.length !== 3 || nums.some((x) => !Number.isFinite(x))) {
    problems.push(`${flag} must be three numbers x,y,z in mm, got '${text}'`);
    return undefined;
  }
  return [nums[0], nums[1], nums[2]];
}

export function parseAnalyzeArgs(args: string[]): { ok: true; value: Args } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  let dir: string | undefined;
  let seedText: string | undefined;
  let thresholdText: string | undefined;
  let series: string | undefined;
  let json = false;
  let rigidity = false;
  let contralateralText: string | undefined;
  let relationText: string | undefined;
  let sr: string | undefined;
  let rtstruct: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[i + 1];
      if (v === undefined || (v.startsWith('--') && !/^--?\d/.test(v))) {
        problems.push(`${a} needs ${WHAT_FLAG_NEEDS[a] ?? 'a value'}`);
        return undefined;
      }
      i++;
      return v;
    };
    if (a === '--json') json = true;
    else if (a === '--seed') seedText = value();
    else if (a.startsWith('--seed=')) seedText = a.slice(7);
    else if (a === '--threshold') thresholdText = value();
    else if (a.startsWith('--threshold=')) thresholdText = a.slice(12);
    else if (a === '--series') series = value();
    else if (a === '--rigidity') rigidity = true;
    else if (a === '--contralateral') contralateralText = value();
    else if (a === '--density-relation') relationText = value();
    else if (a === '--sr') sr = value();
    else if (a.startsWith('--sr=')) sr = a.slice(5);
    else if (a === '--rtstruct') rtstruct = value();
    else if (a.startsWith('--rtstruct=')) rtstruct = a.slice(11);
    else if (a.startsWith('--')) problems.push(`unknown option ${a}`);
    else if (dir === undefined) dir = a;
    else problems.push(`unexpected argument '${a}'`);
  }
  if (dir === undefined) problems.push('SERIES_DIR is missing');
  else if (!existsSync(dir)) problems.push(`SERIES_DIR '${dir}' does not exist`);
  else if (!statSync(dir).isDirectory()) problems.push(`SERIES_DIR '${dir}' is not a folder`);
  let seed: [number, number, number] | undefined;
  if (seedText === undefined) problems.push('--seed x,y,z is required (patient LPS mm, inside the medullary canal)');
  else {
    const parts = seedText.split(',').map((s) => s.trim());
    const nums = parts.map((s) => (s === '' ? Number.NaN : Number(s)));
    if (parts.length !== 3 || nums.some((x) => !Number.isFinite(x))) problems.push(`--seed must be three numbers x,y,z in mm, got '${seedText}'`);
    else seed = [nums[0], nums[1], nums[2]];
  }
  let thresholdHu: number = ANALYSIS_PARAMETERS.defaultThresholdHu;
  if (thresholdText !== undefined) {
    const t = thresholdText.trim() === '' ? Number.NaN : Number(thresholdText);
    if (!Number.isFinite(t) || t < -1000 || t > 3000) problems.push(`--threshold must be a number of HU between -1000 and 3000, got '${thresholdText}'`);
    else thresholdHu = t;
  }
  const contralateral = contralateralText === undefined ? undefined : point(contralateralText, '--contralateral', problems);
  let densityRelation: Partial<DensityRelation> | undefined;
  if (relationText !== undefined) {
    let raw: unknown;
    try {
      raw = JSON.parse(relationText);
    } catch {
      problems.push(`--density-relation must be JSON, got '${relationText.slice(0, 60)}'`);
    }
    if (raw !== undefined) {
      const r = DensityRelationSchema.partial().strict().safeParse(raw);
      if (r.success) densityRelation = r.data;
      else problems.push(`--density-relation: ${r.error.issues.map((x) => `${x.path.join('.') || 'value'}: ${x.message}`).join('; ')}`);
    }
  }
  if ((contralateral || densityRelation) && !rigidity) problems.push('--contralateral and --density-relation go with --rigidity');
  if (sr === '') problems.push('--sr needs a file name (the SR to write)');
  if (rtstruct === '') problems.push('--rtstruct needs a file name (the RTSTRUCT to write)');
  if (problems.length || !dir || !seed) return { ok: false, problems };
  return { ok: true, value: { dir, seed, thresholdHu, series, json, rigidity, contralateral, densityRelation, ...(sr !== undefined ? { sr } : {}), ...(rtstruct !== undefined ? { rtstruct } : {}) } };
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseAnalyzeArgs(args);
  if (!parsed.ok) {
    for (const p of parsed.problems) process.stderr.write(`analyze: ${p}\n`);
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const a = parsed.value;
  const loaded = await loadCtVolume(a.dir, { seriesInstanceUid: a.series });
  if (!loaded.ok) {
    const e = loaded.error;
    process.stderr.write(`analyze: ${e.message}${e.file && !e.message.includes(e.file) ? ` (${e.file})` : ''} [${e.code}]\n`);
    return 2;
  }
  const { volume } = loaded.value;
  const result = analyseLesion(volume, a.seed, {
    thresholdHu: a.thresholdHu,
    rigidity: a.rigidity ? { densityRelation: a.densityRelation, contralateralSeed: a.contralateral } : false,
  });
  if (!result.ok) {
    process.stderr.write(`analyze: ${result.error.field ? `${result.error.field === 'seed' ? '--seed' : result.error.field}: ` : ''}${result.error.message} [${result.error.code}]\n`);
    if (result.error.field === 'seed') {
      const [nx, ny, nz] = volume.dimensions;
      process.stderr.write(`analyze: the series has ${nx}×${ny}×${nz} voxels starting at (${volume.origin.map((c) => c.toFixed(1)).join(', ')}) mm\n`);
    }
    return 2;
  }
  const analysis = LesionAnalysisSchema.parse(result.value);
  const series = {
    seriesInstanceUid: loaded.value.seriesInstanceUid,
    description: loaded.value.seriesDescription,
    transferSyntaxUid: loaded.value.transferSyntaxUid,
    slices: volume.dimensions[2],
    warnings: loaded.value.warnings,
  };
  if (a.sr !== undefined) {
    const written = await writeAnalysisSr({ outPath: a.sr, series: loaded.value.series, analysis, now: new Date().toISOString() });
    if (!written.ok) {
      process.stderr.write(`analyze: --sr: ${written.error.message} [${written.error.code}]\n`);
      return 2;
    }
  }
  if (a.rtstruct !== undefined) {
    const code = await writeAnalysisRtstruct(a.rtstruct, loaded.value, analysis);
    if (code !== 0) return code;
  }
  if (a.json) {
    process.stdout.write(`${JSON.stringify({ ...analysis, series }, null, 2)}\n`);
    return 0;
  }
  const f = (x: number | null, unit: string) => (x === null ? 'not measured' : `${x.toFixed(1)} ${unit}`);
  const lines = [
    `series: ${series.description || series.seriesInstanceUid} (${series.slices} slices)`,
    `axial length:        ${f(analysis.axialLengthMm, 'mm')}`,
    `circumferential:     ${f(analysis.circumferentialPercent, '%')}`,
    `axial (ring area):   ${f(analysis.axialPercent, '%')}`,
    `threshold:           ${analysis.thresholdHu} HU`,
    analysis.axis ? `axis direction:      (${analysis.axis.direction.map((c) => c.toFixed(3)).join(', ')})` : 'axis:                not found',
    ...[...series.warnings, ...analysis.warnings].map((w) => `warning [${w.code}]: ${w.message}`),
    ...(analysis.rigidity ? rigidityLines(analysis.rigidity) : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function rigidityLines(g: NonNullable<ReturnType<typeof LesionAnalysisSchema.parse>['rigidity']>): string[] {
  const sci = (x: number) => x.toExponential(3);
  const loss = (l: { EA: number; EImin: number; GJ: number } | null) => (l ? `EA ${l.EA.toFixed(1)} %, EImin ${l.EImin.toFixed(1)} %, GJ ${l.GJ.toFixed(1)} %` : 'not available');
  const w = g.weakestSection;
  return [
    'rigidity (informational, CT-based structural rigidity):',
    w ? `  weakest section:   ${w.positionMm.toFixed(1)} mm — EA ${sci(w.EA)} N, EImin ${sci(w.EImin)} N·mm², GJ ${sci(w.GJ)} N·mm²` : '  weakest section:   not measured',
    g.intactReference ? `  intact reference:  EA ${sci(g.intactReference.EA)} N, EImin ${sci(g.intactReference.EImin)} N·mm², GJ ${sci(g.intactReference.GJ)} N·mm² (${g.intactReference.basis})` : '  intact reference:  none',
    `  loss:              ${loss(g.lossPercent)}${g.exceedsCriterion === null ? '' : g.exceedsCriterion ? ` — above the ${g.criterionPercent} % CTRA criterion` : ` — within the ${g.criterionPercent} % CTRA criterion`}`,
    ...(g.contralateralReference ? [`  vs contralateral:  ${loss(g.lossVsContralateralPercent)}`] : []),
    `  density relation:  E = ${g.densityRelation.modulusCoefficientMpa} · ρ^${g.densityRelation.modulusExponent} MPa, ρ = ${g.densityRelation.ashDensityPerHu} · HU + ${g.densityRelation.ashDensityAtZeroHu} g/cm³, ν ${g.densityRelation.poissonRatio}; ${g.densityRelation.calibration}`,
    ...g.warnings.map((x) => `  warning [${x.code}]: ${x.message}`),
  ];
}
