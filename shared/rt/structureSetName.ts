/**
 * How a structure set is named to the reader: its Structure Set Label (3006,0002) with its date
 * and time (3006,0008/0009), not the file name — PACS retrievals are called '1.dcm', Eclipse's
 * 'RS.1.2.246….dcm'. The file name is the fallback when there is no label, and the tooltip.
 */
import type { RtStruct } from '../schemas/rt';

const baseName = (file: string) => file.split(/[\\/]/).pop() || file;

/** DA 'YYYYMMDD' and TM 'HHMMSS.frac' as 'YYYY-MM-DD HH:MM' (what is present of it); null when none or malformed. */
export function dicomDateTimeText(date?: string, time?: string): string | null {
  const d = /^(\d{4})(\d{2})(\d{2})$/.exec((date ?? '').trim());
  const t = /^(\d{2})(\d{2})?/.exec((time ?? '').trim());
  if (!d) return null;
  return `${d[1]}-${d[2]}-${d[3]}${t ? ` ${t[1]}:${t[2] ?? '00'}` : ''}`;
}

export function structureSetName(rt: Pick<RtStruct, 'file' | 'label' | 'date' | 'time'> | null, file: string): { title: string; when: string | null; file: string } {
  const name = baseName(rt?.file || file);
  const label = rt?.label.trim() ?? '';
  return { title: label || name, when: rt ? dicomDateTimeText(rt.date, rt.time) : null, file: name };
}
