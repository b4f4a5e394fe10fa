import type { ScanResult, Series, Study } from '../../shared/schemas/scan';

/** The series to show first after a scan: the first measurable CT, else the first CT, else none. */
export function firstMeasurableCt(scan: ScanResult): Series | null {
  const all = scan.studies.flatMap((s) => s.series);
  return all.find((s) => s.modality === 'CT' && s.measurable) ?? all.find((s) => s.modality === 'CT') ?? null;
}

export function findSeries(scan: ScanResult | null, uid: string | null): { study: Study; series: Series } | null {
  if (!scan || !uid) return null;
  for (const study of scan.studies) {
    const series = study.series.find((s) => s.seriesInstanceUid === uid);
    if (series) return { study, series };
  }
  return null;
}

/** DICOM person name "FAMILY^GIVEN^MIDDLE" as people read it: "FAMILY, GIVEN MIDDLE". */
export function displayPersonName(pn: string): string {
  const [family = '', given = '', middle = ''] = pn.split('=')[0].split('^').map((p) => p.trim());
  const rest = [given, middle].filter(Boolean).join(' ');
  return family && rest ? `${family}, ${rest}` : family || rest;
}

/** DICOM date YYYYMMDD in the user's language; unchanged when it is not a valid date. */
export function displayDicomDate(da: string, language: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(da.trim());
  if (!m) return da;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(d.getTime())) return da;
  return new Intl.DateTimeFormat(language === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/** Millimetres for display: at most 2 decimals, no trailing zeros ("3", "1.25", "0.7"). */
export function formatMm(v: number | null, language: string): string | null {
  if (v === null || !Number.isFinite(v)) return null;
  return new Intl.NumberFormat(language === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 2 }).format(v);
}
