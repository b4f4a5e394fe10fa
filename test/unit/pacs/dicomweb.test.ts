/**
 * The DICOMweb client against a real Orthanc (Debian's orthanc + orthanc-dicomweb, started here
 * on a loopback port with authentication on): store the real TCIA planning CT, find it, retrieve
 * it byte for byte, and every failure a hospital network produces — wrong password, wrong URL,
 * server down, a server that never answers, a retrieval cut off midway, a cancel, a duplicate store.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSeries, PACS_ERROR, retrieveSeries, searchStudies, storeInstances, testConnection, type FetchLike } from '../../../shared/pacs/dicomweb';
import { PacsSettingsSchema, StudyQuerySchema, type PacsConnection } from '../../../shared/pacs/schemas';
import { ok } from '../../../shared/errors';
import { freePort, startOrthanc, type RunningOrthanc } from '../../fixtures/orthanc';
import { TCIA_DIR } from '../../data';

const TCIA_SERIES_DIR = join(TCIA_DIR, 'CT');
const TCIA_STUDY = '1.3.6.1.4.1.14519.5.2.1.21087345762211724523378497892240459677';
const TCIA_SERIES = '1.3.6.1.4.1.14519.5.2.1.302382790855582445722435410442490497846';
const TCIA_PATIENT = 'Pancreas-CT-CB_001';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** SOP Instance UID of a Part 10 file, read with the same parser the app uses. */
import { parseHeader } from '../../../shared/dicom/parseHeader';

let pacs: RunningOrthanc;
let conn: PacsConnection;
const files = readdirSync(TCIA_SERIES_DIR)
  .sort()
  .map((f) => readFileSync(join(TCIA_SERIES_DIR, f)));
const bySop = new Map<string, string>();

function connection(over: Partial<PacsConnection> = {}): PacsConnection {
  return { ...PacsSettingsSchema.parse({ name: 'Test PACS', baseUrl: pacs.dicomWebUrl, auth: 'basic', username: pacs.username, timeoutS: 20 }), secret: pacs.password, ...over };
}

beforeAll(async () => {
  pacs = await startOrthanc();
  conn = connection();
  const objects = files.map((bytes) => {
    const h = parseHeader(new Uint8Array(bytes), { fileId: 'f', file: 'f' });
    if (h.kind !== 'instance') throw new Error('TCIA file unreadable');
    bySop.set(h.header.sopInstanceUid, sha(bytes));
    return { sopInstanceUid: h.header.sopInstanceUid, bytes: new Uint8Array(bytes) };
  });
  for (let i = 0; i < objects.length; i += 40) {
    const r = await storeInstances(fetch, conn, TCIA_STUDY, objects.slice(i, i + 40));
    expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
  }
}, 120_000);

afterAll(async () => {
  await pacs?.stop();
});

describe('DICOMweb against Orthanc', () => {
  it('tests the connection', async () => {
    const r = await testConnection(fetch, conn);
    expect(r).toEqual({ ok: true, value: { studiesVisible: true } });
  });

  it('finds the study by patient ID and lists its series with counts', async () => {
    const r = await searchStudies(fetch, conn, StudyQuerySchema.parse({ patientId: TCIA_PATIENT, modality: 'CT' }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toHaveLength(1);
    expect(r.value[0]).toMatchObject({ studyInstanceUid: TCIA_STUDY, patientId: TCIA_PATIENT, studyDate: '20120706', modalities: ['CT'], seriesCount: 1, instanceCount: 134 });
    const none = await searchStudies(fetch, conn, StudyQuerySchema.parse({ patientId: 'NOBODY' }));
    expect(none).toEqual({ ok: true, value: [] });
    const byDate = await searchStudies(fetch, conn, StudyQuerySchema.parse({ dateFrom: '20120101', dateTo: '20121231' }));
    expect(byDate.ok && byDate.value.map((s) => s.studyInstanceUid)).toEqual([TCIA_STUDY]);
    const outOfRange = await searchStudies(fetch, conn, StudyQuerySchema.parse({ dateFrom: '20200101' }));
    expect(outOfRange).toEqual({ ok: true, value: [] });
    const series = await listSeries(fetch, conn, TCIA_STUDY);
    expect(series.ok && series.value).toEqual([
      { studyInstanceUid: TCIA_STUDY, seriesInstanceUid: TCIA_SERIES, modality: 'CT', seriesNumber: expect.any(Number), description: 'PANCREAS DI, iDose (3)', instanceCount: 134 },
    ]);
  });

  it('retrieves the 134-slice series byte for byte, with progress', async () => {
    const got = new Map<string, string>();
    const progress: number[] = [];
    const r = await retrieveSeries(fetch, conn, TCIA_STUDY, TCIA_SERIES, {
      onInstance: (ref, bytes) => {
        got.set(ref.sopInstanceUid, sha(bytes));
        return ok(undefined);
      },
      onProgress: (p) => progress.push(p.done),
    });
    expect(r.ok).toBe(true);
    expect(got).toEqual(bySop);
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(134);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });

  it('resumes a retrieval cut off midway: says what is missing, then fetches only that', async () => {
    // The connection breaks for 30 instances (as a flaky hospital link would): a transport that
    // drops those requests; the server itself stays the real one.
    let served = 0;
    const flaky: FetchLike = (url, init) => {
      if (url.includes('/instances/') && !url.includes('?')) {
        served++;
        if (served > 50 && served <= 110) return Promise.reject(new TypeError('fetch failed: socket hang up'));
      }
      return fetch(url, init);
    };
    const have = new Set<string>();
    const first = await retrieveSeries(flaky, conn, TCIA_STUDY, TCIA_SERIES, { attempts: 2, onInstance: (ref) => (have.add(ref.sopInstanceUid), ok(undefined)) });
    expect(first.ok).toBe(false);
    if (first.ok) return;
    expect(first.error.code).toBe(PACS_ERROR.INCOMPLETE);
    const missing = 134 - have.size;
    expect(missing).toBeGreaterThan(0);
    expect(first.error.message).toContain(`${missing} of 134 images`);
    expect(first.error.message).toContain('retrieve again');
    const fetchedAgain: string[] = [];
    const second = await retrieveSeries(fetch, conn, TCIA_STUDY, TCIA_SERIES, { have, onInstance: (ref) => (fetchedAgain.push(ref.sopInstanceUid), ok(undefined)) });
    expect(second.ok && { fetched: second.value.fetched, reused: second.value.reused }).toEqual({ fetched: missing, reused: 134 - missing });
    expect(fetchedAgain.every((s) => !have.has(s))).toBe(true);
  });

  it('cancels between instances and keeps what arrived', async () => {
    const ac = new AbortController();
    let n = 0;
    const r = await retrieveSeries(fetch, conn, TCIA_STUDY, TCIA_SERIES, {
      signal: ac.signal,
      onInstance: () => {
        if (++n === 10) ac.abort();
        return ok(undefined);
      },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(PACS_ERROR.CANCELLED);
      expect(r.error.message).toMatch(/\d+ of 134 images kept/);
    }
    expect(n).toBeLessThan(134);
  });

  it('refuses wrong credentials with a message that says so (401), and a bad token too', async () => {
    const r = await testConnection(fetch, connection({ secret: 'wrong' }));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(PACS_ERROR.AUTH);
      expect(r.error.message).toContain('HTTP 401');
      expect(r.error.message).not.toContain('wrong'); // the secret never appears in a message
    }
    const bearer = await testConnection(fetch, connection({ auth: 'bearer', secret: 'not-a-token' }));
    expect(!bearer.ok && bearer.error.code).toBe(PACS_ERROR.AUTH);
    const none = await testConnection(fetch, connection({ auth: 'none', secret: '' }));
    expect(!none.ok && none.error.code).toBe(PACS_ERROR.AUTH);
  });

  it('says the base URL is wrong when it is not the DICOMweb root (404)', async () => {
    const r = await testConnection(fetch, connection({ baseUrl: pacs.httpUrl + '/not-dicomweb' }));
    expect(!r.ok && r.error.code).toBe(PACS_ERROR.NOT_FOUND);
    expect(!r.ok && r.error.message).toContain('DICOMweb root');
  });

  it('says the server is unreachable when nothing listens', async () => {
    const port = await freePort();
    const r = await testConnection(fetch, connection({ baseUrl: `http://127.0.0.1:${port}/dicom-web` }));
    expect(!r.ok && r.error.code).toBe(PACS_ERROR.UNREACHABLE);
    expect(!r.ok && r.error.message).toContain(`127.0.0.1:${port}`);
  });

  it('gives up on a server that accepts but never answers, after the timeout', async () => {
    const sockets: import('node:net').Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    const port = await new Promise<number>((res) => silent.listen(0, '127.0.0.1', () => res((silent.address() as { port: number }).port)));
    const t0 = Date.now();
    const r = await testConnection(fetch, connection({ baseUrl: `http://127.0.0.1:${port}/dicom-web`, timeoutS: 1 }));
    const ms = Date.now() - t0;
    for (const s of sockets) s.destroy();
    silent.close();
    expect(!r.ok && r.error.code).toBe(PACS_ERROR.TIMEOUT);
    expect(ms).toBeLessThan(5000);
  });

  it('reports a duplicate store as already present, not stored twice', async () => {
    const bytes = new Uint8Array(files[0]);
    const h = parseHeader(bytes, { fileId: 'f', file: 'f' });
    if (h.kind !== 'instance') throw new Error('unreadable');
    const r = await storeInstances(fetch, conn, TCIA_STUDY, [{ sopInstanceUid: h.header.sopInstanceUid, bytes }]);
    expect(r).toEqual({ ok: true, value: { stored: [], alreadyPresent: [h.header.sopInstanceUid], failed: [] } });
  });
});
