import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom as mulberry32 } from '../../fixtures/synthetic-ct';
import { assembleScan, parseHeader } from '../../../shared/dicom/index';
import { HeaderResultSchema, ScanResultSchema, type HeaderResult } from '../../../shared/schemas/scan';

/**
 * Mutated and truncated copies of real files through parseHeader + assembleScan: no exception
 * escapes, no hang, every failure a coded error. Seeded, so a failure is reproducible: the
 * message names the seed, the case and the mutation.
 */
const DATA = join(__dirname, '..', '..', '..', '..', 'shared', 'data');
const SEED = Number(process.env.FUZZ_SEED ?? 0x5ca11ed);
const CASES = 3000;
const BATCH = 60;


const corpus: { name: string; bytes: Uint8Array }[] = [
  ...readdirSync(join(DATA, 'pydicom-test-files/src/pydicom/data/test_files'))
    .filter((f) => f.endsWith('.dcm'))
    .map((f) => join('pydicom-test-files/src/pydicom/data/test_files', f)),
  'tcia-pancreas-planning-ct/CT/1-001.dcm',
  'dicompyler-core/example_data/rtss.dcm',
  'dicompyler-core/example_data/rtplan.dcm',
  'rt-utils/tests/mock_data/ct_1.dcm',
  'rt-utils/tests/mock_data/invalid_reference_rt.dcm',
  'nema-wg04-ct-compression_dicom-test-files/data/WG04/RLE/CT1_RLE',
  'totalsegmentator-example-ct/example_ct_dicom/CT.1.3.12.2.1107.5.1.4.60064.30000022120808113428000016573',
].map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(DATA, name))) }));

type Mutation = { what: string; bytes: Uint8Array };

function mutate(rand: () => number, src: Uint8Array, other: Uint8Array): Mutation {
  const int = (n: number) => Math.floor(rand() * n);
  // Most damage is near the header, where parsing happens.
  const headerPos = () => int(Math.min(src.length, 4096));
  const kind = int(6);
  if (kind === 0) {
    const at = rand() < 0.7 ? headerPos() : int(src.length);
    return { what: `truncate@${at}`, bytes: src.slice(0, at) };
  }
  const b = src.slice();
  if (kind === 1) {
    const n = 1 + int(20);
    for (let i = 0; i < n; i++) b[headerPos()] = int(256);
    return { what: `flip${n}`, bytes: b };
  }
  if (kind === 2) {
    // Corrupt what may be a length field: 0xFFFFFFFF (undefined length) or a huge / odd value.
    const at = headerPos();
    const v = [0xff, 0xff, 0xff, 0xff, int(256), int(256), 0x7f, 0x00][int(8)];
    for (let i = 0; i < 4 && at + i < b.length; i++) b[at + i] = i < 2 ? v : int(256);
    return { what: `length@${at}`, bytes: b };
  }
  if (kind === 3) {
    const at = headerPos();
    const n = 1 + int(16);
    return { what: `delete${n}@${at}`, bytes: Uint8Array.from([...src.subarray(0, at), ...src.subarray(at + n, Math.min(src.length, at + n + 65536))]) };
  }
  if (kind === 4) {
    const at = headerPos();
    const cut = int(other.length);
    const spliced = new Uint8Array(at + other.length - cut);
    spliced.set(src.subarray(0, at));
    spliced.set(other.subarray(cut), at);
    return { what: `splice@${at}`, bytes: spliced };
  }
  // Truncate and flip.
  const at = Math.max(1, headerPos());
  const t = src.slice(0, at);
  t[int(at)] = int(256);
  return { what: `truncflip@${at}`, bytes: t };
}

describe('fuzz: parseHeader + assembleScan on damaged real files', () => {
  it(`${CASES} seeded mutations: no exception, every outcome coded and schema-valid`, () => {
    const rand = mulberry32(SEED);
    const kinds: Record<string, number> = { instance: 0, error: 0, skipped: 0 };
    const codes = new Set<string>();
    let batch: HeaderResult[] = [];
    for (let c = 0; c < CASES; c++) {
      const src = corpus[Math.floor(rand() * corpus.length)];
      const other = corpus[Math.floor(rand() * corpus.length)];
      const m = mutate(rand, src.bytes, other.bytes);
      const label = `seed ${SEED} case ${c}: ${src.name} ${m.what}`;
      let r: HeaderResult;
      try {
        r = parseHeader(m.bytes, { fileId: `${c}`, file: `${c}` });
      } catch (e) {
        throw new Error(`${label}: parseHeader threw ${String(e)}`);
      }
      const check = HeaderResultSchema.safeParse(r);
      if (!check.success) throw new Error(`${label}: invalid result ${JSON.stringify(r).slice(0, 300)}`);
      if (r.kind === 'error') {
        expect(r.code, label).toMatch(/^DICOM_[A-Z_]+$/);
        // DICOM_UNEXPECTED is parseHeader's last-resort catch: each one is a gap in its checks.
        expect(r.code, `${label}: ${r.message}`).not.toBe('DICOM_UNEXPECTED');
        expect(r.message, label).toContain(`${c}: `);
        codes.add(r.code);
      }
      kinds[r.kind]++;
      batch.push(r);
      if (batch.length === BATCH || c === CASES - 1) {
        let scan;
        try {
          scan = assembleScan(batch);
        } catch (e) {
          throw new Error(`seed ${SEED} batch ending at case ${c}: assembleScan threw ${String(e)}`);
        }
        expect(ScanResultSchema.safeParse(scan).success).toBe(true);
        const placed =
          scan.studies.reduce((n, s) => n + s.otherObjects.length + s.series.reduce((k, x) => k + x.instances.length, 0), 0) +
          scan.errors.length +
          scan.skipped.length;
        expect(placed).toBe(batch.length);
        batch = [];
      }
    }
    // The mutations exercise all three outcomes and several distinct error codes.
    expect(kinds.instance).toBeGreaterThan(CASES / 10);
    expect(kinds.error).toBeGreaterThan(CASES / 10);
    expect(kinds.skipped).toBeGreaterThan(0);
    expect(codes.size).toBeGreaterThanOrEqual(4);
  }, 60_000);
});
