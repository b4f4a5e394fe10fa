import type { AppError, Result } from '../errors';
import type { AssessmentResult, CalcaemiaInput, CalcaemiaResult } from '../schemas/assessment';
import type { RigiditySummary } from '../schemas/analysis';
import type { RtLesionCoverage } from '../schemas/rt';
import type { Lesion, Measurement } from '../schemas/measurement';
import { REPORT_FORMAT, REPORT_SCHEMA_VERSION, type KeyImage, type Report, type ReportLanguage } from '../schemas/report';
import type { Series, Study } from '../schemas/scan';
import { effectiveInput, type AssessmentDraft } from './draft';

/**
 * Build the report model from the session (lesions, measurements, assessment drafts), the scan
 * (patient / study / series identifiers) and the rule engine. Pure: the clock, the engine and
 * the rules' tables are passed in, so the same inputs always give the same report.
 */
export interface RulesApi {
  /** Parse and assess one engine input (errors name the bad fields). */
  assess(input: unknown): Result<AssessmentResult, AppError[]>;
  correctedCalcaemia(input: CalcaemiaInput): CalcaemiaResult;
  rulesVersion: string;
  thresholds: readonly Report['definitions']['thresholds'][number][];
  /** General caveats of the measurements and scores (Definitions and sources). */
  caveats: readonly Report['definitions']['caveats'][number][];
  sources: readonly Report['definitions']['sources'][number][];
}

export interface ReportLesionSource {
  lesion: Lesion;
  measurements: readonly Measurement[];
  draft: AssessmentDraft | null;
  keyImages?: readonly KeyImage[];
  /** Axial lengths the tool flagged as drawn off the bone axis (preferred against; flagged when used). */
  offAxisMeasurementIds?: ReadonlySet<string>;
  /** Axial lengths drawn when no bone axis was defined (checked against scanner z only; flagged when used). */
  boneAxisNotDefinedMeasurementIds?: ReadonlySet<string>;
  /** Axial lengths drawn off the bone axis still waiting for the reader's choice (not used). */
  pendingOffAxisMeasurementIds?: ReadonlySet<string>;
  /** The accepted analysis' structural rigidity (informational). */
  rigidity?: RigiditySummary;
  /** Planning structures covering the accepted analysis (issue 17). */
  structureCoverage?: RtLesionCoverage[];
}

export type ReportSeriesSource = Pick<
  Series,
  'seriesInstanceUid' | 'description' | 'modality' | 'kind' | 'instanceCount' | 'sliceThicknessMm' | 'pixelSpacingMm' | 'convolutionKernel'
>;

export interface BuildReportArgs {
  generatedAt: string;
  language: ReportLanguage;
  reader: string;
  app: { name: string; version: string };
  study: Pick<Study, 'studyInstanceUid' | 'patientName' | 'patientId' | 'studyDate' | 'studyDescription'> | null;
  series: ReportSeriesSource | null;
  lesions: readonly ReportLesionSource[];
  calcaemia?: CalcaemiaInput | null;
  rules: RulesApi;
}

export function buildReport(args: BuildReportArgs): Report {
  const { rules } = args;
  const lesions = args.lesions.map(({ lesion, measurements, draft, keyImages, offAxisMeasurementIds, boneAxisNotDefinedMeasurementIds, pendingOffAxisMeasurementIds, rigidity, structureCoverage }) => {
    // Only this lesion's measurements count (a stray lesionId must never leak into another lesion).
    const own = measurements.filter((m) => m.lesionId === undefined || m.lesionId === lesion.id);
    const eff = effectiveInput(draft, own, offAxisMeasurementIds, pendingOffAxisMeasurementIds);
    const assessed = eff.input ? rules.assess(eff.input) : null;
    const result = assessed?.ok ? assessed.value : null;
    // An input the engine refuses (e.g. an entered 120 %) is listed by field, never assessed.
    const invalid = assessed && !assessed.ok ? assessed.error.map((e) => e.field ?? e.code) : [];
    return {
      lesion: { id: lesion.id, bone: lesion.bone, site: lesion.site, label: lesion.label, ...(lesion.level ? { level: lesion.level } : {}) },
      values: eff.values.map((v) => ({
        ...v,
        ...(v.origin === 'measured' && v.measurement && boneAxisNotDefinedMeasurementIds?.has(v.measurement.id) ? { boneAxisNotDefined: true as const } : {}),
      })),
      formMissing: [...eff.formMissing, ...invalid],
      result,
      input: result ? result.input : null,
      keyImages: [...(keyImages ?? [])],
      ...(rigidity ? { rigidity } : {}),
      ...(structureCoverage?.length ? { structureCoverage } : {}),
    };
  });
  const s = args.series;
  return {
    format: REPORT_FORMAT,
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: args.generatedAt,
    language: args.language,
    reader: args.reader,
    app: { ...args.app },
    rulesVersion: rules.rulesVersion,
    patient: { name: args.study?.patientName ?? '', id: args.study?.patientId ?? '' },
    study: {
      studyInstanceUid: args.study?.studyInstanceUid ?? '',
      date: args.study?.studyDate ?? '',
      description: args.study?.studyDescription ?? '',
    },
    series: s
      ? {
          seriesInstanceUid: s.seriesInstanceUid,
          description: s.description,
          modality: s.modality,
          kind: s.kind,
          instanceCount: s.instanceCount,
          sliceThicknessMm: s.sliceThicknessMm,
          pixelSpacingMm: s.pixelSpacingMm,
          convolutionKernel: s.convolutionKernel,
        }
      : null,
    lesions,
    calcaemia: args.calcaemia ? { input: { ...args.calcaemia }, result: rules.correctedCalcaemia(args.calcaemia) } : null,
    definitions: {
      thresholds: rules.thresholds.map((t) => ({
        id: t.id,
        value: t.value,
        comparator: t.comparator,
        unit: t.unit,
        quantity: t.quantity,
        source: t.source,
        ...(t.alsoCited ? { alsoCited: [...t.alsoCited] } : {}),
        note: t.note,
      })),
      caveats: rules.caveats.map((c) => ({ code: c.code, source: c.source, ...(c.params ? { params: { ...c.params } } : {}) })),
      sources: rules.sources.map((src) => ({ id: src.id, short: src.short, citation: src.citation })),
    },
  };
}

/**
 * Check a (possibly imported) report against an engine: re-run every lesion's stored input and
 * list the lesions whose result differs (e.g. the report was made with other rules). The
 * regenerated PDF always shows the stored results; this only warns.
 */
export function lesionsDifferingFromEngine(report: Report, assess: RulesApi['assess']): string[] {
  const differing: string[] = [];
  for (const l of report.lesions) {
    if (!l.input || !l.result) continue;
    const again = assess(l.input);
    if (!again.ok) {
      differing.push(l.lesion.id);
      continue;
    }
    const { rulesVersion: _a, ...stored } = l.result;
    const { rulesVersion: _b, ...now } = again.value;
    if (canonicalJson(stored) !== canonicalJson(now)) differing.push(l.lesion.id);
  }
  return differing;
}

/** JSON with object keys sorted at every depth: equal values give equal strings, whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
