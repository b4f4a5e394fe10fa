/**
 * DICOM exports end to end in Chromium (issue 16), on the demo CT: measure an axial length →
 * Report tab → "Export DICOM SR" and "Export encapsulated PDF" (downloads checked with dciodvfy,
 * dcmjs, pdftotext) → a fresh page opens a folder with the demo CT and that SR → "Restore
 * measurements from SR" brings the same number back, redrawn.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DIR, openApp, openFolder, screenshot, type App } from './harness';
import { dragFromTo, viewerLoaded } from './viewerProbe';
import { adaptersSR } from '@cornerstonejs/adapters';
import type { Vec3 } from '../../shared/schemas/common';
import { readPart10, type NaturalDataset } from '../../shared/export/dicomCodec';
import { readEncapsulatedPdf } from '../../shared/export/encapsulatedPdf';
import { CODES } from '../../shared/export/codes';

const tmp = mkdtempSync(join(tmpdir(), 'frw-sr-e2e-'));
const seq = (x: unknown): NaturalDataset[] => (x === undefined ? [] : Array.isArray(x) ? (x as NaturalDataset[]) : [x as NaturalDataset]);
const items = (x: NaturalDataset) => seq(x.ContentSequence);
const byCode = (list: NaturalDataset[], c: { CodeValue: string }) => list.filter((i) => (seq(i.ConceptNameCodeSequence)[0] as { CodeValue?: string } | undefined)?.CodeValue === c.CodeValue);

function dciodvfyErrors(file: string): string[] {
  const r = spawnSync('dciodvfy', [file], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`.split('\n').filter((l) => /^Error/.test(l));
}

async function downloadOf(page: Page, testId: string, name: string): Promise<string> {
  const download = page.waitForEvent('download');
  await page.getByTestId(testId).click();
  const path = join(tmp, name);
  await (await download).saveAs(path);
  return path;
}

describe('DICOM SR and encapsulated PDF from the Report tab, and restore from the SR', () => {
  let app: App;
  let page: Page;
  let measuredLengthMm: number;
  let srPath: string;

  beforeAll(async () => {
    app = await openApp({ language: 'en', demo: true });
    page = app.page;
  });
  afterAll(async () => {
    await app?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('says why the SR and PACS buttons are disabled before any lesion (the PDF needs none)', async () => {
    await viewerLoaded(page);
    await page.getByTestId('side-tab-report').click();
    const reason = page.getByTestId('dicom-disabled-reason');
    await expect.poll(() => reason.count()).toBe(1);
    expect(await reason.innerText()).toContain('need at least one lesion');
    for (const id of ['dicom-export-sr', 'dicom-store-pacs']) {
      expect(await page.getByTestId(id).isDisabled()).toBe(true);
      expect(await page.getByTestId(id).getAttribute('title')).toBe(await reason.innerText());
    }
    expect(await page.getByTestId('dicom-export-pdf').isDisabled()).toBe(false);
  });

  it('measures an axial length on the sagittal reformat', async () => {
    await viewerLoaded(page);
    await page.getByTestId('side-tab-measurements').click();
    await page.getByTestId('measure-tool-AxialLength').click();
    const box = (await page.getByTestId('viewport-sagittal').boundingBox())!;
    const x = box.x + box.width * 0.5;
    await page.mouse.move(x, box.y + box.height * 0.35);
    await page.mouse.down();
    await page.mouse.move(x, box.y + box.height * 0.65, { steps: 8 });
    await page.mouse.up();
    const row = page.locator('[data-testid="measurement-row"][data-kind="axialLengthMm"]');
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    measuredLengthMm = Number(await row.getAttribute('data-value'));
    expect(measuredLengthMm).toBeGreaterThan(5);
  });

  it('exports a DICOM SR that dciodvfy accepts and dcmjs reads back with the same length', async () => {
    await page.getByTestId('side-tab-report').click();
    await page.getByTestId('report-reader').fill('E2E');
    await page.getByTestId('report-reader').blur();
    srPath = await downloadOf(page, 'dicom-export-sr', 'export-sr.dcm');
    await expect.poll(() => page.getByTestId('dicom-status').getAttribute('data-kind')).toBe('saved');
    expect(await page.getByTestId('dicom-disabled-reason').count()).toBe(0);
    expect(dciodvfyErrors(srPath)).toEqual([]);
    const r = readPart10(new Uint8Array(readFileSync(srPath)));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.SOPClassUID).toBe('1.2.840.10008.5.1.4.1.1.88.34');
    const group = byCode(items(byCode(items(r.value), CODES.imagingMeasurements)[0]), CODES.measurementGroup)[0];
    const length = byCode(items(group), CODES.length)[0];
    const value = Number(seq(length.MeasuredValueSequence)[0].NumericValue);
    expect(Math.abs(value - measuredLengthMm)).toBeLessThan(1e-6 * Math.max(1, measuredLengthMm));
    const g = Array.from(items(length).find((c) => c.ValueType === 'SCOORD3D')!.GraphicData as number[]);
    expect(Math.hypot(g[3] - g[0], g[4] - g[1], g[5] - g[2])).toBeCloseTo(measuredLengthMm, 2);
    expect(byCode(items(length), CODES.personObserverName)[0]?.PersonName).toBeDefined();
  });

  it('exports the report as an Encapsulated PDF that dciodvfy accepts, its PDF intact', async () => {
    const path = await downloadOf(page, 'dicom-export-pdf', 'export-pdf.dcm');
    expect(dciodvfyErrors(path)).toEqual([]);
    const r = readEncapsulatedPdf(new Uint8Array(readFileSync(path)));
    if (!r.ok) throw new Error(r.error.message);
    const pdfPath = join(tmp, 'report.pdf');
    writeFileSync(pdfPath, r.value.pdf);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' });
    expect(text).toContain('E2E');
  });

  it('restores the measurements from the SR in a fresh page opened on the demo CT plus the SR', async () => {
    const folder = join(tmp, 'study');
    mkdirSync(folder);
    for (const f of readdirSync(DEMO_DIR)) copyFileSync(join(DEMO_DIR, f), join(folder, f));
    copyFileSync(srPath, join(folder, 'measurements-sr.dcm'));
    await app.close();
    app = await openApp({ language: 'en' });
    page = app.page;
    const scan = await openFolder(page, folder);
    expect(scan?.studies[0].otherObjects.filter((o) => o.modality === 'SR')).toHaveLength(1);
    await viewerLoaded(page);
    await page.getByTestId('side-tab-report').click();
    const button = page.getByTestId('dicom-restore-sr');
    // The button says which SR it is: its date, reader and counts.
    await expect.poll(() => button.getAttribute('data-ready')).toBe('true');
    const label = await button.innerText();
    expect(label).toMatch(/^Restore from the SR of .*\d{4}.* by E2E: 1 lesion\(s\), 1 measurement$/);
    await button.click();
    await expect.poll(() => page.getByTestId('dicom-status').getAttribute('data-kind')).toBe('restored');
    await page.getByTestId('side-tab-measurements').click();
    const row = page.locator('[data-testid="measurement-row"][data-kind="axialLengthMm"]');
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(Math.abs(Number(await row.getAttribute('data-value')) - measuredLengthMm)).toBeLessThan(1e-6 * Math.max(1, measuredLengthMm));
    await screenshot(page, 'sr-restored');
    expect(app.pageErrors).toEqual([]);
  });

  it('restoring the same SR again asks first: Cancel adds nothing, Add again adds a second lesion', async () => {
    await page.getByTestId('side-tab-report').click();
    await page.getByTestId('dicom-restore-sr').click();
    const confirm = page.getByTestId('dicom-restore-confirm');
    await expect.poll(() => confirm.count()).toBe(1);
    expect(await confirm.getAttribute('data-all')).toBe('true');
    expect(await confirm.innerText()).toContain('This SR is already restored');
    await page.getByTestId('dicom-restore-confirm-no').click();
    expect(await confirm.count()).toBe(0);
    await page.getByTestId('side-tab-measurements').click();
    expect(await page.getByTestId('lesion-row').count()).toBe(1);
    await page.getByTestId('side-tab-report').click();
    await page.getByTestId('dicom-restore-sr').click();
    await page.getByTestId('dicom-restore-confirm-yes').click();
    await expect.poll(() => page.getByTestId('dicom-status').getAttribute('data-kind')).toBe('restored');
    await page.getByTestId('side-tab-measurements').click();
    await expect.poll(() => page.getByTestId('lesion-row').count()).toBe(2);
    expect(app.pageErrors).toEqual([]);
  });
});

describe('DICOM exports in the French UI: why a button is disabled, and a PACS error in French', () => {
  let app: App;
  afterAll(async () => {
    await app?.close();
  });

  it('says in French why the SR and PACS buttons are disabled, then a PACS refusal in French with the original kept', async () => {
    app = await openApp({ language: 'fr', demo: true });
    const page = app.page;
    await viewerLoaded(page);
    await page.getByTestId('side-tab-report').click();
    const reason = page.getByTestId('dicom-disabled-reason');
    await expect.poll(() => reason.count()).toBe(1);
    expect(await reason.innerText()).toContain('au moins une lésion');
    expect(await page.getByTestId('dicom-store-pacs').getAttribute('title')).toBe(await reason.innerText());
    expect(await page.getByTestId('dicom-export-pdf').isDisabled()).toBe(false);

    await page.getByTestId('side-tab-measurements').click();
    await page.getByTestId('lesion-add').click();
    await page.getByTestId('side-tab-report').click();
    await expect.poll(() => reason.count()).toBe(0);
    expect(await page.getByTestId('dicom-store-pacs').isDisabled()).toBe(false);

    // A PACS that refuses the credentials (HTTP 401 through the page's DICOMweb proxy).
    await page.route('**/pacs-proxy/**', (route) => route.fulfill({ status: 401, body: 'Unauthorized' }));
    await page.getByTestId('open-pacs').click();
    await page.getByTestId('pacs-name').fill('PACS test');
    await page.getByTestId('pacs-url').fill('http://127.0.0.1:9/dicom-web');
    await page.getByTestId('pacs-save').click();
    await expect.poll(() => page.getByTestId('pacs-settings-status').getAttribute('data-kind')).toBe('ok');
    await page.getByTestId('pacs-close').click();

    await page.getByTestId('dicom-store-pacs').click();
    const status = page.getByTestId('dicom-status');
    await expect.poll(() => status.getAttribute('data-kind'), { timeout: 30_000 }).toBe('error');
    expect(await status.getAttribute('data-code')).toBe('PACS_AUTH');
    expect(await status.innerText()).toContain('Le PACS « PACS test » a refusé les identifiants');
    // The host's English message stays for support: tooltip and details.
    expect(await status.getAttribute('title')).toContain('HTTP 401');
    expect(await page.getByTestId('dicom-status-details').textContent()).toContain('HTTP 401');
    await screenshot(page, 'sr-pacs-error-fr');
    expect(app.pageErrors).toEqual([]);
  });
});

/**
 * A length drawn about 30° off the bone axis, its along-axis component chosen: the SR's SCOORD3D
 * is the segment that value measures (not the drawn ends, which are longer), the choice is
 * recorded, Cornerstone's adapter hydrates a Length of that value, and a restore with the same
 * bone axis gives back the value and the choice.
 */
describe('an off-axis length with its along-axis component chosen, through the SR', () => {
  let app: App;
  afterAll(async () => {
    await app?.close();
    rmSync(tmp, { recursive: true, force: true });
  });
  type Probe = { frwSession: { session(): { measurements: { id: string; kind: string; value: number }[]; drawings: Record<string, { points: Vec3[]; offAxisChoice?: string; notAlongBone: boolean }> } } };
  const lengthState = (page: Page) =>
    page.evaluate(() => {
      const s = (window as unknown as Probe).frwSession.session();
      const m = s.measurements.find((x) => x.kind === 'axialLengthMm')!;
      return { value: m.value, drawing: s.drawings[m.id] };
    });
  const dist = (p: number[][]) => Math.hypot(p[1][0] - p[0][0], p[1][1] - p[0][1], p[1][2] - p[0][2]);

  it('writes the segment the value measures, records the choice, and restores both', async () => {
    // The first describe's afterAll removed the temporary folder.
    mkdirSync(tmp, { recursive: true });
    app = await openApp({ language: 'en', demo: true });
    let page = app.page;
    await viewerLoaded(page);
    const truth = JSON.parse(readFileSync(join(DEMO_DIR, 'manifest.json'), 'utf8')).truth as { axis: { point: Vec3; direction: Vec3 } };
    const at = (t: number): Vec3 => [0, 1, 2].map((i) => truth.axis.point[i] + t * truth.axis.direction[i]) as Vec3;
    const defineAxis = `window.frwViewer.defineBoneAxis(${JSON.stringify(at(-40))}, ${JSON.stringify(at(40))})`;
    expect(await page.evaluate(defineAxis)).toBe(true);
    await page.waitForTimeout(500);
    await page.getByTestId('side-tab-measurements').click();
    await page.getByTestId('measure-tool-AxialLength').click();
    await page.evaluate(`window.frwViewer.jumpToWorld('coronal', ${JSON.stringify(at(0))})`);
    const [x, y] = [truth.axis.point[0], truth.axis.point[1]];
    await dragFromTo(page, 'coronal', [x + 8, y, -20], [x - 8, y, 25], 250);
    await expect.poll(() => page.getByTestId('offaxis-choice').count(), { timeout: 10_000 }).toBe(1);
    await page.getByTestId('offaxis-use-component').click();
    await expect.poll(() => page.getByTestId('offaxis-choice').getAttribute('data-choice')).toBe('along-axis');
    const drawn = await lengthState(page);
    expect(dist(drawn.drawing.points)).toBeGreaterThan(drawn.value + 1);

    await page.getByTestId('side-tab-report').click();
    const file = await downloadOf(page, 'dicom-export-sr', 'offaxis-sr.dcm');
    const r = readPart10(new Uint8Array(readFileSync(file)));
    if (!r.ok) throw new Error(r.error.message);
    const group = byCode(items(byCode(items(r.value), CODES.imagingMeasurements)[0]), CODES.measurementGroup)[0];
    const length = byCode(items(group), CODES.length)[0];
    const value = Number(seq(length.MeasuredValueSequence)[0].NumericValue);
    expect(value).toBeCloseTo(drawn.value, 6);
    const g = Array.from(items(length).find((c) => c.ValueType === 'SCOORD3D')!.GraphicData as number[]).map(Number);
    expect(dist([g.slice(0, 3), g.slice(3, 6)])).toBeCloseTo(value, 3);
    const choice = byCode(items(length), CODES.offAxisChoice)[0];
    expect((seq(choice?.ConceptCodeSequence)[0] as { CodeValue?: string } | undefined)?.CodeValue).toBe(CODES.alongAxisComponent.CodeValue);
    const state = adaptersSR.Cornerstone3D.MeasurementReport.generateToolState(r.value, {}, { get: () => undefined }, {}) as Record<string, { annotation: { data: { handles: { points: number[][] } } } }[]>;
    expect(dist(state.Length[0].annotation.data.handles.points)).toBeCloseTo(value, 3);
    expect(dciodvfyErrors(file)).toEqual([]);

    // A fresh page on the demo CT plus that SR, the same bone axis defined: the value and the choice come back.
    const folder = join(tmp, 'offaxis-study');
    mkdirSync(folder);
    for (const f of readdirSync(DEMO_DIR)) copyFileSync(join(DEMO_DIR, f), join(folder, f));
    copyFileSync(file, join(folder, 'offaxis-sr.dcm'));
    await app.close();
    app = await openApp({ language: 'en' });
    page = app.page;
    await openFolder(page, folder);
    await viewerLoaded(page);
    expect(await page.evaluate(defineAxis)).toBe(true);
    await page.waitForTimeout(500);
    await page.getByTestId('side-tab-report').click();
    await page.getByTestId('dicom-restore-sr').click();
    await expect.poll(() => page.getByTestId('dicom-status').getAttribute('data-kind')).toBe('restored');
    const restored = await lengthState(page);
    expect(restored.value).toBeCloseTo(value, 6);
    expect(dist(restored.drawing.points)).toBeCloseTo(value, 3);
    expect(restored.drawing).toMatchObject({ notAlongBone: false, offAxisChoice: 'along-axis' });
    expect(app.pageErrors).toEqual([]);
  });
});
