/**
 * `cli analyze … --rtstruct OUT.dcm` (issue 17): writes the lesion RTSTRUCT on the analysed CT and
 * leaves stdout as it was (text output byte-identical; JSON identical but for the elapsed time).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../../main/cli/analyze';
import { scanPaths } from '../../../main/scan';
import { parseRtStruct } from '../../../shared/rt/parseRtStruct';
import { seriesGeometryOf } from '../../../shared/rt/seriesGeometry';
import { validateRtStruct } from '../../../shared/rt/validateRtStruct';
import { makeSyntheticCt } from '../../fixtures/synthetic-ct';
import { writeCtSeries } from '../../fixtures/dicom-writer';
import { PLANNING_SPEC, syntheticPlanningRtStruct } from '../../fixtures/synthetic-rtstruct';
import { dciodvfy } from './dciodvfy';

const tmp = mkdtempSync(join(tmpdir(), 'frw-analyze-rt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const synthetic = makeSyntheticCt({ ...PLANNING_SPEC, bone: { tiltDeg: 10 } });
const seed = synthetic.truth.canalSeed.join(',');
const series = join(tmp, 'ct');

describe('cli analyze --rtstruct', () => {
  let out = '';
  let errText = '';
  beforeAll(async () => {
    await writeCtSeries(synthetic.volume, series, { uidSeed: 'analyze-rt', patientName: 'Test^Planning', patientId: 'P-RT-1' });
    // The planning structures beside the CT (same frame of reference): the export must not disturb them.
    writeFileSync(join(series, 'planning-rt.dcm'), syntheticPlanningRtStruct(synthetic, { uidSeed: 'analyze-rt' }));
    writeFileSync(join(tmp, 'not-a-folder'), 'x');
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((errText += String(s)), true));
  });
  afterEach(() => {
    out = '';
    errText = '';
  });
  afterAll(() => vi.restoreAllMocks());

  it('text output is byte-identical with and without the flag; JSON identical but for elapsedMs', async () => {
    expect(await run([series, '--seed', seed])).toBe(0);
    const plainText = out;
    out = '';
    expect(await run([series, '--seed', seed, '--rtstruct', join(tmp, 'a.dcm')])).toBe(0);
    expect(out).toBe(plainText);
    out = '';
    expect(await run([series, '--seed', seed, '--json'])).toBe(0);
    const plain = JSON.parse(out);
    out = '';
    expect(await run([series, '--seed', seed, '--json', `--rtstruct=${join(tmp, 'b.dcm')}`])).toBe(0);
    const withRt = JSON.parse(out);
    expect(Object.keys(withRt)).toEqual(Object.keys(plain));
    expect({ ...withRt, elapsedMs: 0 }).toEqual({ ...plain, elapsedMs: 0 });
  });

  it('the written RTSTRUCT is valid and lands on the same CT (every contour on a slice, its frame of reference)', async () => {
    const file = join(tmp, 'femur-2.dcm');
    expect(await run([series, '--seed', seed, '--rtstruct', file])).toBe(0);
    // The ROIs are named after the file, so two lesions' exports do not collide in the planning system.
    expect(errText).toMatch(/^analyze: wrote RTSTRUCT .*femur-2\.dcm: LESION_FEMUR_2_LYTIC_CORTEX \(\d+ contours\), LESION_FEMUR_2_BONE_AXIS \(2 contours\)/);
    expect(dciodvfy(file)).toEqual({ errors: [], warnings: [] });
    const rt = parseRtStruct(new Uint8Array(readFileSync(file)), file);
    if (!rt.ok) throw new Error(rt.error.message);
    const scan = await scanPaths([series]);
    const ct = scan.studies[0].series.find((s) => s.modality === 'CT')!;
    expect(rt.value.frameOfReferenceUid).toBe(ct.frameOfReferenceUid);
    expect(rt.value.rois.map((r) => r.name)).toEqual(['LESION_FEMUR_2_LYTIC_CORTEX', 'LESION_FEMUR_2_BONE_AXIS']);
    expect(rt.value.studyInstanceUid).toBe(scan.studies[0].studyInstanceUid);
    const check = validateRtStruct(rt.value, seriesGeometryOf(ct));
    expect(check.usable).toBe(true);
    expect(check.issues).toEqual([]);
    // The planning RTSTRUCT beside the CT makes it a planning (dosimetric) CT for the scan.
    expect(ct.kind).toBe('dosimetric');
  });

  it('bad --rtstruct values exit 2 naming the problem', async () => {
    expect(await run([series, '--seed', seed, '--rtstruct'])).toBe(2);
    expect(errText).toMatch(/--rtstruct needs a file name/);
    errText = '';
    expect(await run([series, '--seed', seed, '--rtstruct', join(tmp, 'not-a-folder', 'x.dcm')])).toBe(2);
    expect(errText).toMatch(/--rtstruct: cannot write '.*not-a-folder\/x\.dcm'/);
  });
});
