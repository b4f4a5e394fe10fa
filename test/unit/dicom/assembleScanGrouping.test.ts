import { describe, expect, it } from 'vitest';
import { SCAN_WARNING, assembleScan, parseHeader } from '../../../shared/dicom/index';
import { ScanResultSchema, type ScanResult } from '../../../shared/schemas/scan';
import { ctSlice, type SliceSpec } from './dicomBytes';

/** Files named after their SOP UID, so any input order names them alike. */
function scan(specs: SliceSpec[]): ScanResult {
  const results = specs.map((s) => parseHeader(ctSlice(s), { fileId: `${s.sop}.dcm`, file: `${s.sop}.dcm` }));
  const r = assembleScan(results);
  expect(ScanResultSchema.safeParse(r).success).toBe(true);
  return r;
}

const slice = (sop: string, z: number, over: Partial<SliceSpec> = {}): SliceSpec => ({ sop, instanceNumber: z + 1, position: [0, 0, z * 3], ...over });
const seriesOf = (r: ScanResult) => r.studies.flatMap((s) => s.series.map((x) => ({ study: s.studyInstanceUid, uid: x.seriesInstanceUid, modality: x.modality, files: x.instances.map((i) => i.file) })));

describe('assembleScan: grouping files into series', () => {
  // Series A and B of one study, series-less CT and MR files, and series A's UID reused in another study.
  const specs: SliceSpec[] = [
    ...[0, 1, 2].flatMap((z) => [
      slice(`1.1.${z}`, z, { series: '9.1' }),
      slice(`1.2.${z}`, z, { series: '9.2' }),
      slice(`1.3.${z}`, z, { series: '' }),
      slice(`1.4.${z}`, z, { series: '', modality: 'MR', sopClass: '1.2.840.10008.5.1.4.1.1.4' }),
      slice(`1.5.${z}`, z, { series: '9.1', study: '8.2' }),
    ]),
  ];
  const expected = [
    { study: '1.2.826.0.1.1', uid: expect.stringMatching(/^2\.25\.\d{20,39}$/), modality: 'CT', files: ['1.3.0.dcm', '1.3.1.dcm', '1.3.2.dcm'] },
    { study: '1.2.826.0.1.1', uid: expect.stringMatching(/^2\.25\.\d{20,39}$/), modality: 'MR', files: ['1.4.0.dcm', '1.4.1.dcm', '1.4.2.dcm'] },
    { study: '1.2.826.0.1.1', uid: '9.1', modality: 'CT', files: ['1.1.0.dcm', '1.1.1.dcm', '1.1.2.dcm'] },
    { study: '1.2.826.0.1.1', uid: '9.2', modality: 'CT', files: ['1.2.0.dcm', '1.2.1.dcm', '1.2.2.dcm'] },
    { study: '8.2', uid: '9.1', modality: 'CT', files: ['1.5.0.dcm', '1.5.1.dcm', '1.5.2.dcm'] },
  ];

  it('interleaved files land in their own series: by study, series UID, and modality when the UID is empty', () => {
    const r = scan(specs);
    expect(seriesOf(r)).toEqual(expected);
    const noUid = r.studies[0].series.filter((s) => s.seriesInstanceUid.startsWith('2.25.'));
    expect(noUid.map((s) => s.warnings.map((w) => w.code))).toEqual([[SCAN_WARNING.MISSING_UID], [SCAN_WARNING.MISSING_UID, SCAN_WARNING.NOT_CT]]);
    // Each series without a UID gets its own derived one, named in the warning (issue 14: the
    // app keys selection and sessions by it; an empty one opened nothing).
    expect(new Set(noUid.map((s) => s.seriesInstanceUid)).size).toBe(2);
    for (const s of noUid) expect(s.warnings[0].message).toContain(s.seriesInstanceUid);
  });

  it('gives the same result whether files come interleaved, grouped by series or reversed', () => {
    const interleaved = JSON.stringify(scan(specs));
    const grouped = [...specs].sort((a, b) => (a.sop < b.sop ? -1 : 1));
    expect(seriesOf(scan(grouped))).toEqual(expected);
    expect(JSON.stringify(scan(grouped))).toBe(interleaved);
    expect(JSON.stringify(scan([...specs].reverse()))).toBe(interleaved);
  });
});

describe('assembleScan: messages listing what differs within a series', () => {
  it('names each image size and each rescale pair once, in the order the files come', () => {
    const r = scan([
      slice('2.1', 0, { rows: 16, columns: 16 }),
      slice('2.2', 1),
      slice('2.3', 2, { rescale: [1, -1000] }),
      slice('2.4', 3, { rows: 16, columns: 16 }),
    ]);
    const w = Object.fromEntries(r.studies[0].series[0].warnings.map((x) => [x.code, x.message]));
    expect(w[SCAN_WARNING.MIXED_SIZE]).toBe('image sizes differ within the series: 16×16, 8×8');
    expect(w[SCAN_WARNING.RESCALE_VARIES]).toBe('rescale slope/intercept differ between slices (1/-1024, 1/-1000)');
    expect(r.studies[0].series[0].notMeasurableReasons.map((x) => x.code)).toContain(SCAN_WARNING.MIXED_SIZE);
    // Columns alone differ.
    const c = scan([slice('2.5', 0), slice('2.6', 1, { columns: 16 }), slice('2.7', 2)]);
    expect(c.studies[0].series[0].warnings).toEqual([{ code: SCAN_WARNING.MIXED_SIZE, message: 'image sizes differ within the series: 8×8, 8×16' }]);
  });

  it('a series whose files agree gets none of these warnings', () => {
    const r = scan([0, 1, 2, 3].map((z) => slice(`3.${z}`, z)));
    expect(r.studies[0].series[0].warnings).toEqual([]);
  });
});

describe('assembleScan: slice order along the normal', () => {
  const order = (specs: SliceSpec[]) => scan(specs).studies[0].series[0].instances.map((i) => i.file);
  const sorted = ['4.0.dcm', '4.1.dcm', '4.2.dcm', '4.3.dcm', '4.4.dcm'];
  const five = [0, 1, 2, 3, 4].map((z) => slice(`4.${z}`, z));

  it('is the same whether the files come in slice order, reversed or shuffled', () => {
    expect(order(five)).toEqual(sorted);
    expect(order([...five].reverse())).toEqual(sorted);
    expect(order([five[2], five[0], five[4], five[1], five[3]])).toEqual(sorted);
    // Monotonic except at the end: not taken for sorted.
    expect(order([five[0], five[1], five[2], five[4], five[3]])).toEqual(sorted);
    expect(order([five[4], five[3], five[2], five[0], five[1]])).toEqual(sorted);
  });

  it('breaks equal positions by instance number, whatever the input order (never taken as already sorted)', () => {
    const tied = [slice('5.0', 0, { instanceNumber: 2 }), slice('5.1', 0, { instanceNumber: 1 }), slice('5.2', 1, { instanceNumber: 3 })];
    expect(order(tied)).toEqual(['5.1.dcm', '5.0.dcm', '5.2.dcm']);
    expect(order([...tied].reverse())).toEqual(['5.1.dcm', '5.0.dcm', '5.2.dcm']);
  });
});

describe('assembleScan: SOP Instance UIDs found in more than one file', () => {
  /** Each spec's file is named apart from its UID, so two files may carry one UID. */
  function scanFiles(specs: [string, SliceSpec][]): ScanResult {
    return assembleScan(specs.map(([file, s]) => parseHeader(ctSlice(s), { fileId: file, file })));
  }
  const duplicateWarning = (r: ScanResult) => r.studies[0].series[0].warnings.find((w) => w.code === SCAN_WARNING.DUPLICATE_SOP_INSTANCE)?.message;

  it('counts each UID that repeats once, however often, and not UIDs that only end alike', () => {
    const r = scanFiles([
      ['a.dcm', slice('6.1.11112222', 0)],
      ['b.dcm', slice('6.1.11112222', 1)], // same UID as a.dcm
      ['c.dcm', slice('7.2.11112222', 2)], // ends like a.dcm's, another UID
      ['d.dcm', slice('6.1.11112222', 3)], // a.dcm's UID a third time
      ['e.dcm', slice('8.3.11112222', 4)], // ends alike too
      ['f.dcm', slice('8.3.11112222', 5)], // same UID as e.dcm
      ['g.dcm', slice('6.1.11113333', 6)],
    ]);
    expect(duplicateWarning(r)).toBe('2 SOP Instance UID(s) appear in more than one file');
  });

  it('says nothing when every UID is its own', () => {
    const r = scanFiles([0, 1, 2, 3].map((z) => [`${z}.dcm`, slice(`9.${z}.11112222`, z)] as [string, SliceSpec]));
    expect(duplicateWarning(r)).toBeUndefined();
  });
});
