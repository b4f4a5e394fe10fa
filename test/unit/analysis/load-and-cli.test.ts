import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeFile, loadCtVolume, VOLUME_ERROR } from '../../../main/volume/loadCtVolume';
import { parseAnalyzeArgs, run } from '../../../main/cli/analyze';
import { LesionAnalysisSchema } from '../../../shared/schemas/analysis';
import { makeSyntheticCt, tiltedAcquisition, type SyntheticCtSpec } from '../../fixtures/synthetic-ct';
import { writeCtSeries } from '../../fixtures/dicom-writer';
import { DATA_DIR } from '../../data';

const DATA = DATA_DIR;
const WG04 = join(DATA, 'nema-wg04-ct-compression_dicom-test-files/data/WG04');
const PYDICOM = join(DATA, 'pydicom-test-files/src/pydicom/data/test_files');
const TCIA = join(DATA, 'tcia-pancreas-planning-ct/CT');

const tmp = mkdtempSync(join(tmpdir(), 'frw-analyze-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const spec: SyntheticCtSpec = {
  dimensions: [80, 80, 70],
  pixelMm: 0.8,
  sliceSpacingMm: 1.5,
  noiseSigmaHu: 20,
  seed: 11,
  bone: { tiltDeg: 12, outerRadiusMm: 12, corticalThicknessMm: 4 },
  lesion: { axialLengthMm: 24, startAngleDeg: 60, extentDeg: 150, depth: 'full', shape: 'box' },
};
const synthetic = makeSyntheticCt(spec);

describe('loadCtVolume', () => {
  beforeAll(async () => {
    await writeCtSeries(synthetic.volume, join(tmp, 'evrle'), { uidSeed: 'evrle' });
    await writeCtSeries(synthetic.volume, join(tmp, 'rle'), { uidSeed: 'rle', transferSyntax: 'rle' });
  });

  it.each(['evrle', 'rle'])('reads a %s series back into the same volume', async (name) => {
    const r = await loadCtVolume(join(tmp, name));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.value.volume;
    expect(v.dimensions).toEqual(synthetic.volume.dimensions);
    v.spacing.forEach((s, a) => expect(s).toBeCloseTo(synthetic.volume.spacing[a], 6));
    v.origin.forEach((s, a) => expect(s).toBeCloseTo(synthetic.volume.origin[a], 4));
    expect(v.direction).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(v.hu).toBeInstanceOf(Int16Array);
    expect(Buffer.from(v.hu.buffer).equals(Buffer.from(synthetic.volume.hu.buffer))).toBe(true);
    expect(r.value.sopInstanceUids).toHaveLength(70);
  });

  it('decodes the NEMA WG04 CT slice identically in every lossless syntax (RLE, JPEG 2000, JPEG-LS, JPEG lossless)', async () => {
    const ref = await decodeFile(join(WG04, 'REF/CT1_UNC'), 512, 512);
    expect(ref.ok).toBe(true);
    if (!ref.ok) return;
    // Real CT: air around the patient, dense bone inside.
    const min = ref.value.hu.reduce((a, b) => Math.min(a, b));
    const max = ref.value.hu.reduce((a, b) => Math.max(a, b));
    expect(min).toBeLessThan(-900);
    expect(max).toBeGreaterThan(1000);
    for (const name of ['RLE/CT1_RLE', 'J2KR/CT1_J2KR', 'JLSL/CT1_JLSL', 'JPLL/CT1_JPLL']) {
      const r = await decodeFile(join(WG04, name), 512, 512);
      expect(r.ok, `${name}: ${!r.ok && r.error.message}`).toBe(true);
      if (!r.ok) continue;
      let diff = 0;
      for (let p = 0; p < ref.value.hu.length; p++) if (r.value.hu[p] !== ref.value.hu[p]) diff++;
      expect(diff, name).toBe(0);
    }
  });

  it('reads big-endian pixels like their little-endian twin', async () => {
    const be = await decodeFile(join(PYDICOM, 'MR_small_bigendian.dcm'), 64, 64);
    const rle = await decodeFile(join(PYDICOM, 'MR_small_RLE.dcm'), 64, 64);
    expect(be.ok && rle.ok).toBe(true);
    if (be.ok && rle.ok) expect(Array.from(be.value.hu)).toEqual(Array.from(rle.value.hu));
  });

  it('refuses truncated pixel data with a coded error naming the file', async () => {
    const r = await decodeFile(join(PYDICOM, 'MR_truncated.dcm'), 64, 64);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(VOLUME_ERROR.PIXELS);
      expect(r.error.file).toContain('MR_truncated.dcm');
    }
  });

  it('says which folder holds no CT', async () => {
    const r = await loadCtVolume(join(DATA, 'dicompyler-core/example_data'));
    // One CT image only: not a volume.
    expect(r.ok).toBe(false);
    if (!r.ok) expect([VOLUME_ERROR.TOO_FEW_SLICES, VOLUME_ERROR.NO_CT_SERIES]).toContain(r.error.code);
    const empty = await loadCtVolume(tmp.replace(/$/, '-none'));
    expect(empty.ok).toBe(false);
  });

  it.skipIf(!existsSync(TCIA))('loads the TCIA planning CT (134 × 512², 12-bit unsigned, intercept −1000) in HU', async () => {
    const r = await loadCtVolume(TCIA);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.value.volume;
    expect(v.dimensions).toEqual([512, 512, 134]);
    expect(v.spacing[2]).toBeCloseTo(3, 3);
    expect(v.spacing[0]).toBeCloseTo(1.07421875, 6);
    // The corner of a slice is air (≈ −1000 HU), the vertebral column is bone.
    expect(v.hu[0]).toBeLessThan(-900);
    let dense = 0;
    for (let p = 0; p < v.hu.length; p += 97) if (v.hu[p] > 700) dense++;
    expect(dense).toBeGreaterThan(100);
  });
});

describe('analyze command', () => {
  let out = '';
  let errText = '';
  beforeAll(() => {
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out += String(s);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      errText += String(s);
      return true;
    });
  });
  afterEach(() => {
    out = '';
    errText = '';
  });
  afterAll(() => vi.restoreAllMocks());

  it('a gantry-tilted (15°) acquisition of the same phantom: loaded as a sheared volume, analysed to the same truth', async () => {
    const dir = join(tmp, 'tilted');
    await writeCtSeries(tiltedAcquisition(spec, 15), dir, { uidSeed: 'tilted', gantryTiltDeg: 15 });
    const seed = synthetic.truth.canalSeed.join(',');
    expect(await run([dir, '--seed', seed, '--json'])).toBe(0);
    expect(errText).toBe('');
    const json = JSON.parse(out);
    expect(Math.abs(json.axialLengthMm - 24)).toBeLessThanOrEqual(1.5);
    expect(Math.abs(json.circumferentialPercent - (150 / 360) * 100)).toBeLessThanOrEqual(5);
    expect(Math.abs(json.axialPercent - synthetic.truth.axialPercent)).toBeLessThanOrEqual(5);
    const d = json.axis.direction;
    const tt = synthetic.truth.axis.direction;
    expect(Math.abs(d[0] * tt[0] + d[1] * tt[1] + d[2] * tt[2])).toBeGreaterThan(Math.cos((1 * Math.PI) / 180));
  });

  it('prints the contract keys with numbers matching the synthetic truth', async () => {
    const seed = synthetic.truth.canalSeed.join(',');
    const code = await run([join(tmp, 'rle'), '--seed', seed, '--json']);
    expect(errText).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(out);
    for (const k of ['axialLengthMm', 'circumferentialPercent', 'axialPercent', 'profile', 'axis', 'thresholdHu', 'warnings']) expect(json).toHaveProperty(k);
    LesionAnalysisSchema.parse({ ...json, series: undefined });
    expect(json.thresholdHu).toBe(400);
    expect(Math.abs(json.axialLengthMm - 24)).toBeLessThanOrEqual(1.5);
    expect(Math.abs(json.circumferentialPercent - (150 / 360) * 100)).toBeLessThanOrEqual(5);
    expect(json.series.slices).toBe(70);
  });

  it('--rigidity adds the rigidity key (issue 18 contract) and changes nothing else; without it there is none', async () => {
    const seed = synthetic.truth.canalSeed.join(',');
    expect(await run([join(tmp, 'rle'), '--seed', seed, '--json'])).toBe(0);
    const plain = JSON.parse(out);
    expect(plain).not.toHaveProperty('rigidity');
    out = '';
    expect(await run([join(tmp, 'rle'), '--seed', seed, '--rigidity', '--json'])).toBe(0);
    expect(errText).toBe('');
    const json = JSON.parse(out);
    const { rigidity: g, elapsedMs: _e, ...rest } = json;
    const { elapsedMs: _p, ...plainRest } = plain;
    expect(rest).toEqual(plainRest);
    for (const k of ['positionMm', 'EA', 'EImin', 'GJ']) expect(typeof g.weakestSection[k]).toBe('number');
    for (const k of ['EA', 'EImin', 'GJ']) expect(typeof g.intactReference[k]).toBe('number');
    expect(g.intactReference.sections.length).toBeGreaterThanOrEqual(5);
    for (const k of ['EA', 'EImin', 'GJ']) expect(typeof g.lossPercent[k]).toBe('number');
    expect(g.densityRelation).toMatchObject({ modulusExponent: 2.29, poissonRatio: 0.3 });
    expect(Array.isArray(g.warnings)).toBe(true);
    // A full-depth 150° sector: the axial rigidity loses about 150/360 of the ring.
    expect(Math.abs(g.lossPercent.EA - (100 * 150) / 360)).toBeLessThan(4);
    expect(g.exceedsCriterion).toBe(true);
    // The readable form says it, with the relation used.
    out = '';
    expect(await run([join(tmp, 'rle'), '--seed', seed, '--rigidity', '--density-relation', '{"modulusExponent":2,"calibration":"site phantom"}'])).toBe(0);
    expect(out).toMatch(/rigidity \(informational/);
    expect(out).toMatch(/ρ\^2 MPa.*site phantom/);
  });

  it('records the threshold it was given', async () => {
    const code = await run([join(tmp, 'evrle'), '--seed', synthetic.truth.canalSeed.join(','), '--threshold', '600', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out).thresholdHu).toBe(600);
  });

  it.each([
    [['--seed', '1,2,3'], /SERIES_DIR is missing/],
    [['/no/such/dir', '--seed', '1,2,3'], /SERIES_DIR '\/no\/such\/dir' does not exist/],
    [['DIR'], /--seed x,y,z is required/],
    [['DIR', '--seed', '1,2'], /--seed must be three numbers x,y,z in mm, got '1,2'/],
    [['DIR', '--seed', '1,a,3'], /--seed must be three numbers/],
    [['DIR', '--seed', '1,2,3', '--threshold', 'bone'], /--threshold must be a number of HU between -1000 and 3000, got 'bone'/],
    [['DIR', '--seed', '1,2,3', '--threshold', '5000'], /--threshold must be/],
    [['DIR', '--seed', '900,0,0'], /--seed: The seed \(900\.0, 0\.0, 0\.0\) lies outside the volume/],
    [['DIR', '--seed', '1,2,3', '--contralateral', '1,2,3'], /--contralateral and --density-relation go with --rigidity/],
    [['DIR', '--seed', '1,2,3', '--rigidity', '--contralateral', '1,2'], /--contralateral must be three numbers/],
    [['DIR', '--seed', '1,2,3', '--rigidity', '--density-relation', '{"modulusExponent":-1}'], /--density-relation: modulusExponent/],
    [['DIR', '--seed', '1,2,3', '--rigidity', '--density-relation', '{"stiffness":3}'], /--density-relation: .*stiffness|Unrecognized/],
    [['DIR', '--seed', '1,2,3', '--rigidity', '--density-relation', 'E=3'], /--density-relation must be JSON/],
  ])('exits 2 naming the problem: %j', async (args, message) => {
    const code = await run(args.map((a) => (a === 'DIR' ? join(tmp, 'evrle') : a)));
    expect(code).toBe(2);
    expect(errText).toMatch(message);
    expect(out).toBe('');
  });

  // Seeds found by looking at the data: L1-level vertebral body centre and a right posterior rib
  // on slice z = 325.9 (voxel (264, 282) and (150, 320) of 512², 1.074 mm pixels).
  it.skipIf(!existsSync(TCIA)).each([
    ['vertebral body', '8.6,124.8,325.9'],
    ['rib', '-113.9,165.6,325.9'],
  ])('on the TCIA planning CT (%s) returns sane numbers or says why not, without crashing', async (_name, seed) => {
    const code = await run([TCIA, '--seed', seed, '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    LesionAnalysisSchema.parse({ ...json, series: undefined });
    if (json.axialLengthMm === null) {
      expect(json.warnings.length).toBeGreaterThan(0);
      expect(json.circumferentialPercent).toBeNull();
    } else {
      expect(json.circumferentialPercent).toBeGreaterThanOrEqual(0);
      expect(json.circumferentialPercent).toBeLessThanOrEqual(100);
    }
  });

  it('accepts negative seed coordinates and --opt=value forms', () => {
    const p = parseAnalyzeArgs([tmp, '--seed=-10.5,-3,-200', '--threshold=-100']);
    expect(p.ok && p.value.seed).toEqual([-10.5, -3, -200]);
    expect(p.ok && p.value.thresholdHu).toBe(-100);
    const q = parseAnalyzeArgs([tmp, '--seed', '-10.5,-3,-200']);
    expect(q.ok && q.value.seed).toEqual([-10.5, -3, -200]);
  });
});
