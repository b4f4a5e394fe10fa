import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScannedFiles, handleAppRequest, handleDicomRequest, resolveAppAsset } from '../../../main/electron/protocol';
import { APP_ORIGIN, dicomFileUrl } from '../../../shared/ipc/channels';
import type { ScanResult } from '../../../shared/schemas/scan';

let dir: string;
let scanned: string;
let secret: string;
let appRoot: string;

function scanOf(paths: string[]): ScanResult {
  return {
    studies: [
      {
        studyInstanceUid: '1.2',
        patientName: 'x',
        patientId: 'y',
        studyDate: '',
        studyDescription: '',
        series: [
          {
            seriesInstanceUid: '1.2.3', modality: 'CT', description: '', seriesNumber: 1, instanceCount: paths.length, rows: 2, columns: 2,
            pixelSpacingMm: [1, 1], sliceThicknessMm: 1, sliceSpacingMm: 1, imageOrientationPatient: [1, 0, 0, 0, 1, 0], convolutionKernel: null,
            transferSyntaxUid: null, transferSyntaxName: null, frameOfReferenceUid: null, measurable: true, kind: 'diagnostic', warnings: [],
            instances: paths.map((p, i) => ({ fileId: p, file: p, sopInstanceUid: `1.2.3.${i}`, instanceNumber: i, imagePositionPatient: null, positionMm: i })),
          } as unknown as ScanResult['studies'][0]['series'][0],
        ],
        otherObjects: [],
      },
    ],
    errors: [],
    skipped: [],
  };
}

const get = (url: string, headers: Record<string, string> = { Origin: APP_ORIGIN }) => new Request(url, { headers });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'frw-proto-'));
  scanned = join(dir, 'ct', 'IM0001.dcm');
  secret = join(dir, 'secret.txt');
  mkdirSync(join(dir, 'ct'));
  writeFileSync(scanned, Buffer.from([0x44, 0x49, 0x43, 0x4d, 1, 2, 3]));
  writeFileSync(secret, 'not for the renderer');
  appRoot = join(dir, 'dist', 'renderer');
  mkdirSync(join(appRoot, 'assets'), { recursive: true });
  writeFileSync(join(appRoot, 'index.html'), '<!doctype html>');
  writeFileSync(join(appRoot, 'assets', 'codec.wasm'), Buffer.from([0, 97, 115, 109]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('frw-dicom protocol', () => {
  it('replaces every path in a scan result by an opaque token and serves its bytes', async () => {
    const files = new ScannedFiles();
    const result = files.adopt(scanOf([scanned]));
    const token = result.studies[0].series[0].instances[0].fileId;
    expect(token).not.toContain(dir);
    expect(token).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const r = await handleDicomRequest(get(dicomFileUrl(token)), files);
    expect(r.status).toBe(200);
    expect(r.headers.get('Content-Type')).toBe('application/dicom');
    expect(r.headers.get('Access-Control-Allow-Origin')).toBe(APP_ORIGIN);
    expect(new Uint8Array(await r.arrayBuffer())).toEqual(new Uint8Array([0x44, 0x49, 0x43, 0x4d, 1, 2, 3]));
  });

  it('refuses unknown tokens, paths and traversal', async () => {
    const files = new ScannedFiles();
    files.adopt(scanOf([scanned]));
    const bad = [
      dicomFileUrl('A'.repeat(24)),
      dicomFileUrl(scanned),
      `frw-dicom://file/${encodeURIComponent('../secret.txt')}`,
      'frw-dicom://file/../secret.txt',
      'frw-dicom://file/%2e%2e%2fsecret.txt',
      `frw-dicom://file/${secret}`,
      `frw-dicom://${dir}/secret.txt`,
      'frw-dicom://file/',
      'frw-dicom://file',
    ];
    for (const url of bad) {
      const r = await handleDicomRequest(get(url), files);
      expect([400, 403, 404], url).toContain(r.status);
      expect(await r.text(), url).not.toContain('not for the renderer');
    }
  });

  it('forgets the files of the previous scan', async () => {
    const files = new ScannedFiles();
    const first = files.adopt(scanOf([scanned])).studies[0].series[0].instances[0].fileId;
    files.adopt(scanOf([]));
    expect((await handleDicomRequest(get(dicomFileUrl(first)), files)).status).toBe(404);
  });

  it('answers only the app origin and only GET', async () => {
    const files = new ScannedFiles();
    const token = files.adopt(scanOf([scanned])).studies[0].series[0].instances[0].fileId;
    expect((await handleDicomRequest(get(dicomFileUrl(token), { Origin: 'https://evil.example' }), files)).status).toBe(403);
    expect((await handleDicomRequest(get(dicomFileUrl(token), { Origin: 'null' }), files)).status).toBe(403);
    expect((await handleDicomRequest(new Request(dicomFileUrl(token), { method: 'POST', body: 'x' }), files)).status).toBe(405);
    expect((await handleDicomRequest(get(`${dicomFileUrl(token)}?x=1`), files)).status).toBe(400);
  });

  it('reports a file deleted since the scan without naming its path', async () => {
    const gone = join(dir, 'gone.dcm');
    writeFileSync(gone, 'x');
    const files = new ScannedFiles();
    const token = files.adopt(scanOf([gone])).studies[0].series[0].instances[0].fileId;
    rmSync(gone);
    const r = await handleDicomRequest(get(dicomFileUrl(token)), files);
    expect(r.status).toBe(410);
    expect(await r.text()).not.toContain(dir);
  });
});

describe('frw-app protocol', () => {
  it('serves the built renderer with the CSP header', async () => {
    const r = await handleAppRequest(new Request(`${APP_ORIGIN}/index.html?demo=1`), appRoot);
    expect(r.status).toBe(200);
    expect(r.headers.get('Content-Security-Policy')).toContain("default-src 'self'");
    const w = await handleAppRequest(new Request(`${APP_ORIGIN}/assets/codec.wasm`), appRoot);
    expect(w.headers.get('Content-Type')).toBe('application/wasm');
  });
  it.each([
    `${APP_ORIGIN}/../secret.txt`,
    `${APP_ORIGIN}/%2e%2e/secret.txt`,
    `${APP_ORIGIN}/%2e%2e%2f%2e%2e%2fsecret.txt`,
    `${APP_ORIGIN}/..%5c..%5csecret.txt`,
    `${APP_ORIGIN}/assets/%00.html`,
    'frw-app://other/index.html',
  ])('never leaves dist/renderer: %s', async (url) => {
    const r = await handleAppRequest(new Request(url), appRoot);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(await r.text()).not.toContain('not for the renderer');
  });
  it('maps / to index.html and refuses unknown file types', () => {
    expect(resolveAppAsset(appRoot, `${APP_ORIGIN}/`)).toBe(join(appRoot, 'index.html'));
    expect(resolveAppAsset(appRoot, `${APP_ORIGIN}/%2e%2e%2fsecret.txt`)).toBeNull();
    // The URL parser itself folds /%2e%2e/ (a dot segment): it stays inside the root.
    expect(resolveAppAsset(appRoot, `${APP_ORIGIN}/%2e%2e/secret.txt`)).toBe(join(appRoot, "secret.txt"));
  });
});
