import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { adaptersSR } from '@cornerstonejs/adapters';
import { run } from '../../../main/cli/analyze';
import { readPart10 } from '../../../shared/export/dicomCodec';
import { CODES } from '../../../shared/export/codes';
import { makeSyntheticCt, type SyntheticCtSpec } from '../../fixtures/synthetic-ct';
import { writeCtSeries } from '../../fixtures/dicom-writer';
import { children, find, numeric } from './srTree';
import { dciodvfy } from './srFixtures';

const tmp = mkdtempSync(join(tmpdir(), 'frw-analyze-sr-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// A tube with a known lytic lesion: 24 mm long, 150° of the circumference (the analysis tests' phantom).
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
const seed = synthetic.truth.canalSeed.join(',');
const series = join(tmp, 'ct');

describe('cli analyze --sr', () => {
  let out = '';
  let errText = '';
  beforeAll(async () => {
    await writeCtSeries(synthetic.volume, series, { uidSeed: 'analyze-sr', patientName: 'Test^Patient', patientId: 'P-SR-1' });
    // A "folder" that is a file: unwritable whoever runs the tests (root ignores permission bits).
    writeFileSync(join(tmp, 'not-a-folder'), 'x');
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

  it('writes an SR whose numbers and length ends equal the JSON output, and leaves the JSON unchanged', async () => {
    expect(await run([series, '--seed', seed, '--json'])).toBe(0);
    const plain = JSON.parse(out);
    out = '';
    const file = join(tmp, 'analysis-sr.dcm');
    expect(await run([series, '--seed', seed, '--json', '--sr', file])).toBe(0);
    expect(errText).toBe('');
    const withSr = JSON.parse(out);
    // The same JSON, key for key (only the elapsed time differs from run to run).
    expect(Object.keys(withSr)).toEqual(Object.keys(plain));
    expect({ ...withSr, elapsedMs: 0 }).toEqual({ ...plain, elapsedMs: 0 });
    expect(Math.abs(plain.axialLengthMm - 24)).toBeLessThanOrEqual(1.5);

    expect(dciodvfy(file).errors).toEqual([]);
    const r = readPart10(new Uint8Array(readFileSync(file)));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.PatientID).toBe('P-SR-1');
    const group = find(children(find(children(r.value), CODES.imagingMeasurements)[0]), CODES.measurementGroup)[0];
    const items = children(group);
    expect(numeric(find(items, CODES.length)[0])).toEqual({ value: plain.axialLengthMm, unit: 'mm' });
    expect(numeric(find(items, CODES.circumferentialPercent)[0])).toEqual({ value: plain.circumferentialPercent, unit: '%' });
    expect(numeric(find(items, CODES.axialPercent)[0])).toEqual({ value: plain.axialPercent, unit: '%' });
    expect(numeric(find(children(find(items, CODES.length)[0]), CODES.thresholdHu)[0]).value).toBe(plain.thresholdHu);
    expect(find(children(find(items, CODES.length)[0]), CODES.measurementMethod)[0].ConceptCodeSequence).toMatchObject([{ CodeValue: CODES.assisted.CodeValue }]);

    // The length's ends: the involved run's two end sections on the axis, as Cornerstone3D reads them.
    const state = adaptersSR.Cornerstone3D.MeasurementReport.generateToolState(r.value, {}, { get: () => undefined }, {}) as Record<string, { annotation: { data: { handles: { points: number[][] } } } }[]>;
    const points = state.Length[0].annotation.data.handles.points;
    const ends = plain.endSections.map((s: { origin: number[] }) => s.origin);
    points.forEach((p, j) => p.forEach((c, a) => expect(Math.abs(c - ends[j][a])).toBeLessThanOrEqual(0.01)));
    expect(Math.hypot(...points[0].map((c, a) => c - points[1][a]))).toBeCloseTo(plain.axialLengthMm, 1);
  });

  it('leaves the text output (without --json) unchanged', async () => {
    expect(await run([series, '--seed', seed])).toBe(0);
    const plain = out;
    out = '';
    expect(await run([series, '--seed', seed, '--sr', join(tmp, 'text.dcm')])).toBe(0);
    expect(out).toBe(plain);
    expect(errText).toBe('');
    expect(readFileSync(join(tmp, 'text.dcm')).subarray(128, 132).toString()).toBe('DICM');
  });

  it('exits 2 naming the file when the SR cannot be written, and prints no result', async () => {
    const file = join(tmp, 'not-a-folder', 'out.dcm');
    expect(await run([series, '--seed', seed, '--json', '--sr', file])).toBe(2);
    expect(errText).toContain(file);
    expect(errText).toMatch(/analyze: --sr: Cannot write the SR to '.*out\.dcm' \(ENOTDIR\)\. \[SR_WRITE_FAILED\]/);
    expect(out).toBe('');
    errText = '';
    expect(await run([series, '--seed', seed, '--sr', join(tmp, 'no-such-folder', 'out.dcm')])).toBe(2);
    expect(errText).toMatch(/no-such-folder\/out\.dcm' \(ENOENT\)/);
  });

  it('--sr needs a file name', async () => {
    expect(await run([series, '--seed', seed, '--sr'])).toBe(2);
    expect(errText).toContain('--sr needs a file name (the SR to write)');
  });
});
