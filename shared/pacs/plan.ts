/**
 * What a retrieval brings and what a store sends, decided the same way in both hosts.
 */
import { parseHeader } from '../dicom/parseHeader';
import { appError, err, ok, type Result } from '../errors';
import type { PacsSeries } from './schemas';

/** Objects of the study retrieved with a CT series: its structures, plans, doses and our own reports (SR, PDF). */
export const COMPANION_MODALITIES = new Set(['RTSTRUCT', 'RTPLAN', 'RTDOSE', 'SR', 'DOC']);

export const PACS_PLAN_ERROR = {
  NO_CT: 'PACS_NO_CT_SERIES',
  NOT_CT: 'PACS_SERIES_NOT_CT',
  STORE_INPUT: 'PACS_STORE_INPUT',
} as const;

/** The series to fetch for `seriesUid`: itself first, then the study's RT / SR / PDF objects. */
export function seriesToRetrieve(all: PacsSeries[], seriesUid: string): Result<PacsSeries[]> {
  const target = all.find((s) => s.seriesInstanceUid === seriesUid);
  const cts = all.filter((s) => s.modality === 'CT');
  if (cts.length === 0) {
    const found = [...new Set(all.map((s) => s.modality || '?'))].join(', ') || 'nothing';
    return err(appError(PACS_PLAN_ERROR.NO_CT, `This study has no CT series (it holds ${found}): there is nothing to measure in it.`));
  }
  if (!target) return err(appError(PACS_PLAN_ERROR.NOT_CT, `This series is not in the study any more: search again.`, { field: 'seriesInstanceUid' }));
  if (target.modality !== 'CT') return err(appError(PACS_PLAN_ERROR.NOT_CT, `Series ${target.seriesNumber ?? ''} '${target.description}' is ${target.modality || 'of no modality'}, not CT: only CT series are retrieved for measurement.`, { field: 'seriesInstanceUid' }));
  return ok([target, ...all.filter((s) => s !== target && COMPANION_MODALITIES.has(s.modality))]);
}

export interface StorableObject {
  sopInstanceUid: string;
  sopClassUid: string;
  bytes: Uint8Array;
}

/** Part 10 objects to store, all in one study (STOW-RS posts to that study). */
export function storableObjects(list: Uint8Array[]): Result<{ studyInstanceUid: string; objects: StorableObject[] }> {
  if (list.length === 0) return err(appError(PACS_PLAN_ERROR.STORE_INPUT, 'Nothing to store.'));
  const objects: StorableObject[] = [];
  let study: string | null = null;
  for (const [i, bytes] of list.entries()) {
    const h = parseHeader(bytes, { fileId: String(i), file: `object ${i + 1}` });
    if (h.kind !== 'instance') return err(appError(PACS_PLAN_ERROR.STORE_INPUT, `Object ${i + 1} to store is not a readable DICOM file: ${h.kind === 'error' ? h.message : h.reason}`));
    const { studyInstanceUid, sopInstanceUid, sopClassUid } = h.header;
    if (!studyInstanceUid || !sopInstanceUid) return err(appError(PACS_PLAN_ERROR.STORE_INPUT, `Object ${i + 1} to store has no Study or SOP Instance UID.`));
    if (study !== null && study !== studyInstanceUid) return err(appError(PACS_PLAN_ERROR.STORE_INPUT, 'The objects to store belong to different studies: store each with its own study.'));
    study = studyInstanceUid;
    objects.push({ sopInstanceUid, sopClassUid, bytes });
  }
  return ok({ studyInstanceUid: study as string, objects });
}
