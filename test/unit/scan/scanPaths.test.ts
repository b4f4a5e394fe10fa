import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCAN_WARNING } from '../../../shared/dicom/index';
import { ScanResultSchema, type ScanProgress, type ScanResult } from '../../../shared/schemas/scan';
import { scanPaths } from '../../../main/scan/index';
import { axialSeries, ctSlice } from '../dicom/dicomBytes';

const ROOT = resolve(__dirname, '..', '..', '..');
const DATA = resolve(ROOT, '..', 'shared', 'data');

function walkFiles(p: string): string[] {
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p).flatMap((n) => walkFiles(join(p, n)));
}

/** Every input file is in exactly one of: series instances, otherObjects, errors, skipped. */
function expectEveryFileOnce(r: ScanResult, files: string[]): void {
  const placed = [
    ...r.studies.flatMap((s) => s.series.flatMap((x) => x.instances.map((i) => i.fileId))),
    ...r.studies.flatMap((s) => s.otherObjects.map((o) => o.fileId)),
    ...r.errors.map((e) => e.file),
    ...r.skipped.map((s) => s.file),
  ].sort();
  expect(placed).toEqual([...files].sort());
}

describe('scanPaths on the real data', () => {
  let all: ScanResult;
  beforeAll(async () => {
    all = await scanPaths([DATA]);
  });

  it('places every file of ../shared/data exactly once and matches the schema', () => {
    expect(ScanResultSchema.safeParse(all).success).toBe(true);
    expectEveryFileOnce(all, walkFiles(DATA));
  });

  it('TCIA planning CT: one CT series of 134 slices, 3 mm, measurable', async () => {
    const r = await scanPaths([join(DATA, 'tcia-pancreas-planning-ct')]);
    const series = r.studies.flatMap((s) => s.series);
    expect(series).toHaveLength(1);
    const s = series[0];
    expect(s).toMatchObject({
      modality: 'CT',
      instanceCount: 134,
      sliceSpacingMm: 3,
      sliceThicknessMm: 3,
      measurable: true,
      kind: 'diagnostic',
      seriesInstanceUid: '1.3.6.1.4.1.14519.5.2.1.302382790855582445722435410442490497846',
    });
    expect(s.warnings).toEqual([]);
    const z = s.instances.map((i) => i.positionMm!);
    expect(z[0]).toBeCloseTo(85.91, 2);
    expect(z[133]).toBeCloseTo(484.91, 2);
    expect(z.every((v, i) => i === 0 || v > z[i - 1])).toBe(true);
    expect(r.errors).toEqual([]);
    expect(r.skipped.map((x) => x.file.split('/').pop()).sort()).toEqual(['Citations.txt', 'LICENSE.txt']);
  });

  it('dicompyler-core: RTSTRUCT and RTPLAN linked to the CT frame of reference; CT dosimetric', async () => {
    const r = await scanPaths([join(DATA, 'dicompyler-core')]);
    const [study] = r.studies;
    const ct = study.series[0];
    expect(ct.kind).toBe('dosimetric');
    const rtss = study.otherObjects.find((o) => o.modality === 'RTSTRUCT')!;
    expect(rtss.referencedSeriesInstanceUids).toEqual([ct.seriesInstanceUid]);
    expect(rtss.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^97 of 98 referenced images are not in this scan/)]);
    const plan = study.otherObjects.find((o) => o.modality === 'RTPLAN')!;
    expect(plan.frameOfReferenceUid).toBe(ct.frameOfReferenceUid);
    expect(ct.linkedRtObjectUids.sort()).toEqual([plan.sopInstanceUid, rtss.sopInstanceUid].sort());
    // One slice is not a volume: listed, dosimetric, but not measurable, and it says why.
    expect(ct.notMeasurableReasons.map((w) => w.code)).toEqual([SCAN_WARNING.TOO_FEW_SLICES]);
  });

  it('rt-utils: RT structure sets with invalid / non-existent references say so', async () => {
    const r = await scanPaths([join(DATA, 'rt-utils/tests/mock_data')]);
    const [study] = r.studies;
    const by = (name: string) => study.otherObjects.find((o) => o.file.endsWith(name))!;
    const w = (name: string) => by(name).warnings.map((x) => x.code);
    expect(w('invalid_reference_rt.dcm')).toEqual([SCAN_WARNING.RT_REFERENCED_IMAGES_MISSING]);
    expect(by('invalid_reference_rt.dcm').warnings[0].message).toMatch(/^3 of 5 referenced images/);
    expect(w('non_existent_reference_rt.dcm')).toEqual([SCAN_WARNING.RT_NO_SERIES_REFERENCE, SCAN_WARNING.RT_REFERENCED_IMAGES_MISSING]);
    // rt-utils' own structure set declares a frame of reference its CT does not have.
    expect(w('/rt.dcm')).toEqual([SCAN_WARNING.RT_FRAME_OF_REFERENCE_MISMATCH]);
    // Two slices: the viewer cannot reformat them, so the scan does not call them measurable (issue 14 defect 4: one limit).
    expect(study.series[0]).toMatchObject({ modality: 'CT', instanceCount: 2, sliceSpacingMm: 5, measurable: false, kind: 'dosimetric' });
    expect(study.series[0].notMeasurableReasons.map((x) => x.code)).toEqual([SCAN_WARNING.TOO_FEW_SLICES]);
  });

  it('rt-utils oriented data: odd orientation and anisotropic pixels reported', async () => {
    const r = await scanPaths([join(DATA, 'rt-utils/tests/oriented_data')]);
    const series = r.studies.flatMap((s) => s.series);
    expect(series.length).toBeGreaterThan(0);
    for (const s of series) {
      expect(s.pixelSpacingMm).toEqual([3.5, 2.5]);
      expect(s.warnings.map((x) => x.code)).toEqual(expect.arrayContaining([SCAN_WARNING.ANISOTROPIC_PIXELS, SCAN_WARNING.OBLIQUE_ORIENTATION]));
    }
  });

  it('TotalSegmentator: UIDs from meta, overlapping 2 mm spacing vs 3 mm thickness', async () => {
    const r = await scanPaths([join(DATA, 'totalsegmentator-example-ct/example_ct_dicom')]);
    const s = r.studies[0].series[0];
    expect(s).toMatchObject({ instanceCount: 20, sliceSpacingMm: 2, sliceThicknessMm: 3, measurable: true });
    expect(s.transferSyntaxName).toBe('JPEG 2000 Image Compression (Lossless Only)');
    expect(s.warnings.map((w) => w.code)).toEqual(
      expect.arrayContaining([SCAN_WARNING.OVERLAPPING_SLICES, 'SOP_INSTANCE_UID_FROM_META', SCAN_WARNING.MISSING_UID]),
    );
    expect(new Set(s.instances.map((i) => i.sopInstanceUid)).size).toBe(20);
  });

  it('non-CT (MR) series are listed as not measurable with the reason', () => {
    const mr = all.studies.flatMap((s) => s.series).filter((s) => s.modality === 'MR');
    expect(mr.length).toBeGreaterThan(0);
    for (const s of mr) expect(s.notMeasurableReasons.map((w) => w.code)).toContain(SCAN_WARNING.NOT_CT);
  });

  it('the broken pydicom files end in errors with specific codes', () => {
    const codeOf = (name: string) => all.errors.find((e) => e.file.endsWith(`/${name}`))?.code;
    expect(codeOf('MR_truncated.dcm')).toBe('DICOM_PIXEL_DATA_TRUNCATED');
    expect(codeOf('no_meta.dcm')).toBe('DICOM_STRAY_LEADING_BYTES');
    expect(codeOf('meta_missing_tsyntax.dcm')).toBe('DICOM_NO_SOP_CLASS');
    expect(codeOf('rtplan_truncated.dcm')).toBe('DICOM_TRUNCATED');
    expect(codeOf('image_dfl.dcm')).toBe('DICOM_DEFLATE_UNSUPPORTED');
  });
});

describe('scanPaths on the file system', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'scan-test-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('survives symlink loops, dangling links, duplicate links, unreadable files and empty files', async () => {
    const d = join(dir, 'fs');
    mkdirSync(join(d, 'a', 'b'), { recursive: true });
    axialSeries([0, 3, 6]).forEach((b, i) => writeFileSync(join(d, 'a', `s${i}.dcm`), b));
    symlinkSync(join(d, 'a'), join(d, 'a', 'b', 'loop')); // directory loop
    symlinkSync(join(d, 'nowhere'), join(d, 'dangling'));
    symlinkSync(join(d, 'a', 's0.dcm'), join(d, 'alias.dcm')); // same file twice
    writeFileSync(join(d, 'empty'), '');
    writeFileSync(join(d, 'locked.dcm'), axialSeries([9], { series: '1.2.826.0.1.77' })[0]);
    chmodSync(join(d, 'locked.dcm'), 0);
    const r = await scanPaths([d]);
    expect(r.studies[0].series.find((s) => s.seriesInstanceUid === '1.2.826.0.1.2')!.instanceCount).toBe(3);
    const rootUser = process.getuid?.() === 0; // root reads mode-000 files anyway
    const errs = Object.fromEntries(r.errors.map((e) => [e.file.slice(d.length + 1), e.code]));
    expect(errs.dangling).toBe('FILE_UNREADABLE');
    if (!rootUser) expect(errs['locked.dcm']).toBe('FILE_UNREADABLE');
    const skipped = Object.fromEntries(r.skipped.map((s) => [s.file.slice(d.length + 1), s.reason]));
    expect(skipped.empty).toBe('empty file');
    expect(skipped['alias.dcm'] ?? skipped['a/s0.dcm']).toMatch(/same file as/);
  });

  it('reads only the header of huge files (sparse 3 GiB image and 3 GiB non-DICOM)', async () => {
    const d = join(dir, 'huge');
    mkdirSync(d);
    const GiB3 = 3 * 1024 ** 3;
    // 5000 frames of 512×512×16 bit (2.6 GB) declared and present (sparse) after the header.
    const frames = 5000;
    const pixels = frames * 512 * 512 * 2;
    const head = ctSlice({ sop: '1.2.826.0.1.88.1', series: '1.2.826.0.1.88', rows: 512, columns: 512, frames, pixelBytes: 0, declaredPixelLength: pixels });
    writeFileSync(join(d, 'big.dcm'), head);
    truncateSync(join(d, 'big.dcm'), head.length + pixels);
    writeFileSync(join(d, 'big.bin'), 'not dicom');
    truncateSync(join(d, 'big.bin'), GiB3);
    const before = process.memoryUsage().rss;
    const r = await scanPaths([d]);
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 ** 2);
    expect(r.skipped.map((s) => s.file)).toEqual([join(d, 'big.bin')]);
    expect(r.errors).toEqual([]);
    const s = r.studies[0].series[0];
    expect(s.numberOfFrames).toBe(frames);
    expect(s.notMeasurableReasons.map((w) => w.code)).toContain(SCAN_WARNING.MULTIFRAME);
  });

  it('accepts files one by one and reports a nonexistent path as an error naming it', async () => {
    const d = join(dir, 'single');
    mkdirSync(d);
    const files = axialSeries([0, 3]).map((b, i) => {
      const f = join(d, `x${i}`);
      writeFileSync(f, b);
      return f;
    });
    const r = await scanPaths([...files, join(d, 'missing.dcm')]);
    expect(r.studies[0].series[0].instanceCount).toBe(2);
    expect(r.errors).toEqual([{ file: join(d, 'missing.dcm'), code: 'PATH_NOT_FOUND', message: expect.stringContaining('missing.dcm') }]);
  });

  it('reports progress phases and honours cancellation with a coded rejection', async () => {
    const seen: ScanProgress[] = [];
    const r = await scanPaths([join(DATA, 'tcia-pancreas-planning-ct')], { onProgress: (p) => seen.push(p) });
    expect(r.studies).toHaveLength(1);
    expect(seen[0].phase).toBe('walking');
    expect(seen.at(-1)).toEqual({ phase: 'done', filesFound: 136, filesParsed: 136 });
    const c = new AbortController();
    const p = scanPaths([DATA], { signal: c.signal, onProgress: (x) => x.phase === 'parsing' && c.abort() });
    await expect(p).rejects.toMatchObject({ code: 'SCAN_CANCELLED' });
  });

  it('stops on a cancel sent, as a message would be, while it reads; a second scan gives the same as the first', async () => {
    const first = await scanPaths([DATA]);
    expect(first.studies.flatMap((s) => s.series).length).toBeGreaterThan(5);
    const c = new AbortController();
    // The cancel arrives on a later turn of the event loop, once reading runs.
    const p = scanPaths([DATA], {
      signal: c.signal,
      onProgress: (x) => x.phase === 'parsing' && x.filesParsed === 0 && setImmediate(() => c.abort()),
    });
    await expect(p).rejects.toMatchObject({ code: 'SCAN_CANCELLED' });
    expect(await scanPaths([DATA])).toEqual(first);
  });
});

describe('cli scan', () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'main/cli/index.ts'), 'scan', ...args], { encoding: 'utf8', cwd: ROOT });

  it('--json prints the contract', () => {
    const r = cli(join(DATA, 'dicompyler-core'), '--json');
    expect(r.status).toBe(0);
    const out = ScanResultSchema.parse(JSON.parse(r.stdout));
    const s = out.studies[0].series[0];
    expect(Object.keys(s)).toEqual(expect.arrayContaining(['seriesInstanceUid', 'modality', 'instanceCount', 'measurable', 'kind', 'warnings']));
    expect(out.studies[0].otherObjects.map((o) => o.modality).sort()).toEqual(['RTPLAN', 'RTSTRUCT']);
    expect(Object.keys(out)).toEqual(['studies', 'errors', 'skipped']);
    // --workers (issue 3's contract) is still accepted and gives the same output.
    const withWorkers = cli(join(DATA, 'dicompyler-core'), '--json', '--workers', '2');
    expect(withWorkers.status).toBe(0);
    expect(withWorkers.stdout).toBe(r.stdout);
    expect(cli(join(DATA, 'dicompyler-core'), '--workers', 'x').status).toBe(2);
  });

  it('prints a readable tree without --json; a nonexistent path exits 2 naming it', () => {
    const r = cli(join(DATA, 'tcia-pancreas-planning-ct'));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Series 201 CT "PANCREAS DI, iDose \(3\)" — 134 instance\(s\).*measurable/);
    const bad = cli('/no/such/folder');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('/no/such/folder');
  });
});
