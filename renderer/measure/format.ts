/**
 * Numbers in the measurements panel and on-image labels, written as the assessment and the report
 * write them in the UI language: decimal comma in French ("36,0 mm"), point in English; a fixed
 * number of decimals so a column of values lines up; no digit grouping (a CT number is "1200 UH").
 */
const cache = new Map<string, Intl.NumberFormat>();

export function formatNumber(value: number, language: string, digits = 1): string {
  const locale = language.startsWith('fr') ? 'fr-FR' : 'en-GB';
  const key = `${locale}:${digits}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });
    cache.set(key, f);
  }
  return f.format(value);
}
