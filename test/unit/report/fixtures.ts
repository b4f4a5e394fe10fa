import { deflateSync } from 'node:zlib';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n } from 'i18next';
import type { Lesion, Measurement, MeasurementKind } from '../../../shared/schemas/measurement';
import type { AssessmentDraft } from '../../../shared/schemas/session';
import type { Study } from '../../../shared/schemas/scan';
import type { BuildReportArgs, ReportLesionSource, ReportSeriesSource } from '../../../shared/report/buildReport';
import { CURRENT_RULES } from '../../../shared/report/rulesApi';

/** Test fixtures for the report: a study, a series, lesions with measured values, i18n in Node. */
export const SERIES_UID = '1.2.826.0.1.3680043.8.498.1001';

export const STUDY: Study = {
  studyInstanceUid: '1.2.826.0.1.3680043.8.498.1000',
  patientName: 'Dupré^Hélène',
  patientId: 'SYN-0042',
  studyDate: '20260312',
  studyDescription: 'TDM thorax-abdomen-pelvis',
  series: [],
  otherObjects: [],
};

export const SERIES: ReportSeriesSource = {
  seriesInstanceUid: SERIES_UID,
  modality: 'CT',
  description: 'Synthetic femur',
  instanceCount: 120,
  pixelSpacingMm: [0.7, 0.7],
  sliceThicknessMm: 1.25,
  convolutionKernel: 'BONE',
  kind: 'diagnostic',
};

const TOOL: Record<MeasurementKind, string> = {
  axialLengthMm: 'AxialLength',
  circumferentialPercent: 'CircumferentialArc',
  axialPercent: 'CorticalRing',
};

let counter = 0;
export function measurement(lesionId: string, kind: MeasurementKind, value: number, time = '2026-03-12T10:00:00Z'): Measurement {
  counter += 1;
  const provenance = {
    seriesInstanceUid: SERIES_UID,
    ...(kind === 'axialLengthMm'
      ? { plane: { kind: 'oblique' as const, origin: [0, 0, 10] as [number, number, number], normal: [1, 0, 0] as [number, number, number] } }
      : { sopInstanceUids: [`1.2.826.0.1.3680043.8.498.2.${counter}`] }),
    tool: TOOL[kind],
    thresholdHu: 400,
    method: 'manual' as const,
    reader: 'Dr A',
    time,
  };
  const base = { id: `m${counter}`, lesionId, provenance };
  return kind === 'axialLengthMm'
    ? { ...base, kind, value, unit: 'mm' }
    : kind === 'circumferentialPercent'
      ? { ...base, kind, value, unit: '%' }
      : { ...base, kind, value, unit: '%' };
}

/** The seven worked cases of clinical-rules.md §8 with their expected results. */
export interface WorkedCase {
  n: number;
  draft: AssessmentDraft;
  /** Measured values (axial % as a number, or an entered Mirels size when the case gives a band). */
  axialPercent: number | null;
  circumferentialPercent: number;
  axialLengthMm: number;
  mirels: number;
  level: string;
  ctConfirmed: boolean;
}

export const WORKED_CASES: WorkedCase[] = [
  { n: 1, draft: { site: 'upper-limb', lesionType: 'blastic', pain: 'mild', mirelsSize: 1, lifeExpectancyOver3Months: true }, axialPercent: null, circumferentialPercent: 10, axialLengthMm: 12, mirels: 4, level: 'radiotherapy-alone', ctConfirmed: false },
  { n: 2, draft: { site: 'lower-limb', lesionType: 'mixed', pain: 'moderate', mirelsSize: 2, lifeExpectancyOver3Months: true }, axialPercent: null, circumferentialPercent: 30, axialLengthMm: 20, mirels: 8, level: 'multidisciplinary-discussion', ctConfirmed: false },
  { n: 3, draft: { site: 'peritrochanteric', lesionType: 'lytic', pain: 'moderate', lifeExpectancyOver3Months: true }, axialPercent: 45, circumferentialPercent: 60, axialLengthMm: 35, mirels: 10, level: 'first-line-consolidation', ctConfirmed: true },
  { n: 4, draft: { site: 'peritrochanteric', lesionType: 'lytic', pain: 'functional', lifeExpectancyOver3Months: false }, axialPercent: 70, circumferentialPercent: 40, axialLengthMm: 25, mirels: 12, level: 'non-surgical', ctConfirmed: false },
  { n: 5, draft: { site: 'upper-limb', lesionType: 'mixed', pain: 'mild', lifeExpectancyOver3Months: true }, axialPercent: 25, circumferentialPercent: 55, axialLengthMm: 32, mirels: 5, level: 'multidisciplinary-discussion', ctConfirmed: false },
  { n: 6, draft: { site: 'lower-limb', lesionType: 'lytic', pain: 'functional', lifeExpectancyOver3Months: true }, axialPercent: 35, circumferentialPercent: 45, axialLengthMm: 28, mirels: 10, level: 'first-line-consolidation', ctConfirmed: false },
  { n: 7, draft: { site: 'lower-limb', lesionType: 'lytic', pain: 'functional', lifeExpectancyOver3Months: true }, axialPercent: 30, circumferentialPercent: 50, axialLengthMm: 30, mirels: 9, level: 'first-line-consolidation', ctConfirmed: false },
];

export function caseLesion(c: WorkedCase): ReportLesionSource {
  const lesion: Lesion = { id: `case${c.n}`, bone: c.draft.site === 'upper-limb' ? 'humérus' : 'fémur', site: c.draft.site!, label: `Cas ${c.n}` };
  const ms = [
    measurement(lesion.id, 'circumferentialPercent', c.circumferentialPercent),
    measurement(lesion.id, 'axialLengthMm', c.axialLengthMm),
    ...(c.axialPercent === null ? [] : [measurement(lesion.id, 'axialPercent', c.axialPercent)]),
  ];
  return { lesion, measurements: ms, draft: c.draft };
}

/** i18next in Node with every namespace file of the renderer (the same texts the app uses). */
export async function nodeI18n(language: 'fr' | 'en'): Promise<i18n> {
  const root = fileURLToPath(new URL('../../../renderer/i18n/locales', import.meta.url));
  const resources: Record<string, Record<string, unknown>> = {};
  for (const lang of readdirSync(root)) {
    resources[lang] = {};
    for (const file of readdirSync(join(root, lang)).filter((f) => f.endsWith('.json'))) {
      resources[lang][file.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(root, lang, file), 'utf8'));
    }
  }
  const inst = i18next.createInstance();
  await inst.init({ resources: resources as never, lng: language, fallbackLng: 'en', defaultNS: 'common', interpolation: { escapeValue: false } });
  return inst;
}

/** A small valid RGB PNG (a dark square with a bright ring) as a data URL, built with zlib. */
export function pngDataUrl(size = 64): string {
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const r = Math.hypot(x - size / 2, y - size / 2);
      const v = r > size * 0.3 && r < size * 0.42 ? 240 : 20;
      const o = y * (size * 3 + 1) + 1 + x * 3;
      raw[o] = v;
      raw[o + 1] = v;
      raw[o + 2] = x === y ? 255 : v;
    }
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return `data:image/png;base64,${png.toString('base64')}`;
}

/** Report-builder arguments: the seven worked cases on the synthetic study, French, with calcaemia. */
export function args(overrides: Partial<BuildReportArgs> = {}): BuildReportArgs {
  return {
    generatedAt: '2026-03-12T11:30:00Z',
    language: 'fr',
    reader: 'Dr Bérénice Lefèvre',
    app: { name: 'Fracture-Risk Workstation', version: '0.1.0' },
    study: STUDY,
    series: SERIES,
    lesions: WORKED_CASES.map(caseLesion),
    calcaemia: { measuredCalcaemiaMmolL: 3.1, albuminGL: 24 },
    rules: CURRENT_RULES,
    ...overrides,
  };
}
