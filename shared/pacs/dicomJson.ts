/**
 * Reading the DICOM JSON model (PS3.18 Annex F) that QIDO-RS and STOW-RS answer with:
 * `{ "0020000D": { "vr": "UI", "Value": ["1.2…"] } }`. Missing or empty values read as '' / null.
 */
export type DicomJsonElement = { vr?: string; Value?: unknown[] };
export type DicomJsonDataset = Record<string, DicomJsonElement | undefined>;

export function dicomJsonStrings(d: DicomJsonDataset, tag: string): string[] {
  const v = d[tag]?.Value;
  if (!Array.isArray(v)) return [];
  return v.map((x) => (typeof x === 'string' || typeof x === 'number' ? String(x) : '')).filter((x) => x !== '');
}

export function dicomJsonString(d: DicomJsonDataset, tag: string): string {
  return dicomJsonStrings(d, tag)[0] ?? '';
}

export function dicomJsonNumber(d: DicomJsonDataset, tag: string): number | null {
  const v = d[tag]?.Value?.[0];
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : null;
}

/** A PN value's alphabetic form (`{ Alphabetic: "DOE^JOHN" }`), '' when absent. */
export function dicomJsonPersonName(d: DicomJsonDataset, tag: string): string {
  const v = d[tag]?.Value?.[0];
  if (v && typeof v === 'object' && 'Alphabetic' in v && typeof (v as { Alphabetic: unknown }).Alphabetic === 'string') return (v as { Alphabetic: string }).Alphabetic;
  return typeof v === 'string' ? v : '';
}
