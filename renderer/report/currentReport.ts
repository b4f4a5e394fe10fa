import { i18next } from '../i18n';
import { buildReport } from '../../shared/report/buildReport';
import { CURRENT_RULES } from '../../shared/report/rulesApi';
import type { Report, ReportLanguage } from '../../shared/schemas/report';
import type { Series, Study } from '../../shared/schemas/scan';
import type { Session } from '../../shared/schemas/session';
import { calcaemiaInputFrom, getCalcaemiaValues } from '../assess/calcaemiaStore';
import { boneAxisNotDefinedIds, lesionDraft, lesionMeasurements, offAxisMeasurementIds, pendingOffAxisIds } from '../assess/lesionAssessment';
import { getKeyImages } from './keyImages';
import { renderReportPdf } from './reportPdf';
import { makeTexts } from './texts';
import pkg from '../../package.json';

/** Name and version the report states (from package.json, bundled at build time). */
export const APP = { name: 'Fracture-Risk Workstation', version: pkg.version };


/** The report of the current session, in the given language, stamped now. */
export function currentReport(args: { session: Session; study: Study | null; series: Series | null; reader: string; language: ReportLanguage }): Report {
  const calc = calcaemiaInputFrom(getCalcaemiaValues());
  const images = getKeyImages();
  return buildReport({
    generatedAt: new Date().toISOString(),
    language: args.language,
    reader: args.reader,
    app: APP,
    study: args.study,
    series: args.series,
    lesions: args.session.lesions.map((lesion) => ({
      lesion,
      measurements: lesionMeasurements(args.session, lesion.id),
      draft: lesionDraft(args.session, lesion),
      keyImages: images[lesion.id] ?? [],
      offAxisMeasurementIds: offAxisMeasurementIds(args.session, lesion.id),
      boneAxisNotDefinedMeasurementIds: boneAxisNotDefinedIds(args.session, lesion.id),
      pendingOffAxisMeasurementIds: pendingOffAxisIds(args.session, lesion.id),
      rigidity: lesion.rigidity,
      structureCoverage: lesion.structureCoverage,
    })),
    calcaemia: calc,
    rules: CURRENT_RULES,
  });
}

/** The PDF of a report, always in the report's own language (an imported report stays as it was). */
export async function reportPdfBytes(report: Report): Promise<Uint8Array> {
  const t = i18next.getFixedT(report.language);
  return renderReportPdf(report, makeTexts((k, o) => String(t(k, o as never)), report.language));
}

/** "frw-report_<patient id>_<YYYYMMDD-HHMM>.<ext>" with only filename-safe characters. */
export function reportFileName(report: Report, ext: 'pdf' | 'json'): string {
  const id = (report.patient.id || 'unknown').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 40);
  const stamp = report.generatedAt.slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return `frw-report_${id}_${stamp}.${ext}`;
}
