/**
 * What "Open" on a PACS series fetches, the same in both hosts: the CT series, then the study's
 * RT / SR / PDF objects (seriesToRetrieve). The CT is required: any failure there ends the
 * retrieval with its coded error. The other objects are best-effort: one that cannot be had
 * (an RTDOSE too large for the link, a server refusing an SR) leaves the CT open with a problem
 * that names it. A server that lists fewer images than it counts for a series would give a
 * silently short series, so that is a failure too.
 */
import { appError, err, ok, type AppError, type Result } from '../errors';
import { listSeries, PACS_ERROR, retrieveSeries, type CallOptions, type FetchLike } from './dicomweb';
import { seriesToRetrieve } from './plan';
import type { PacsConnection, PacsInstanceRef, PacsSeries, RetrieveProgress } from './schemas';

/** Where retrieved instances go (the disk cache in Electron, memory in the browser). */
export interface RetrieveTarget {
  /** SOP instance UIDs of this series already held: not fetched again. */
  have(series: PacsSeries): Promise<ReadonlySet<string>> | ReadonlySet<string>;
  put(series: PacsSeries, ref: PacsInstanceRef, bytes: Uint8Array): Promise<Result<void>> | Result<void>;
}

export interface RetrievedSeries {
  series: PacsSeries;
  /** Every instance the PACS lists for the series now (what must be opened, nothing else). */
  instances: PacsInstanceRef[];
  fetched: number;
  reused: number;
}

/** A companion object that could not be had: shown like a scan problem, the CT opens without it. */
export interface RetrieveProblem {
  file: string;
  code: string;
  message: string;
}

export interface RetrievedStudy {
  series: RetrievedSeries[];
  problems: RetrieveProblem[];
}

export const PACS_COMPANION_MISSING = 'PACS_COMPANION_MISSING';

/** "RTDOSE 3 'Plan dose'" — how a series is named to the reader. */
export function seriesLabel(s: PacsSeries): string {
  return `${s.modality || '?'}${s.seriesNumber === null ? '' : ` ${s.seriesNumber}`}${s.description ? ` '${s.description}'` : ''}`;
}

export async function retrieveForReading(
  fetcher: FetchLike,
  c: PacsConnection,
  studyUid: string,
  seriesUid: string,
  target: RetrieveTarget,
  opts: CallOptions & { onProgress?: (p: RetrieveProgress) => void },
): Promise<Result<RetrievedStudy>> {
  const listed = await listSeries(fetcher, c, studyUid, opts);
  if (!listed.ok) return listed;
  const plan = seriesToRetrieve(listed.value, seriesUid);
  if (!plan.ok) return plan;
  const total = plan.value.reduce((n, s) => n + (s.instanceCount ?? 0), 0);
  const out: RetrievedSeries[] = [];
  const problems: RetrieveProblem[] = [];
  let doneBefore = 0;
  let bytesBefore = 0;
  for (const [i, s] of plan.value.entries()) {
    const required = i === 0;
    let bytesHere = 0;
    const r = await retrieveSeries(fetcher, c, studyUid, s.seriesInstanceUid, {
      signal: opts.signal,
      have: await target.have(s),
      onInstance: (ref, bytes) => target.put(s, ref, bytes),
      onProgress: (p) => {
        bytesHere = p.bytes;
        opts.onProgress?.({ done: doneBefore + p.done, total: Math.max(total, doneBefore + p.total), bytes: bytesBefore + p.bytes });
      },
    });
    doneBefore += r.ok ? r.value.instances.length : (s.instanceCount ?? 0);
    bytesBefore += bytesHere;
    let failure: AppError | null = r.ok ? null : r.error;
    if (r.ok && s.instanceCount !== null && r.value.instances.length < s.instanceCount) {
      failure = appError(PACS_ERROR.INCOMPLETE, `The PACS lists ${r.value.instances.length} images for ${seriesLabel(s)} but counts ${s.instanceCount}: the series would be incomplete.`);
    }
    if (failure) {
      const fatal = required || failure.code === PACS_ERROR.CANCELLED || failure.code === PACS_ERROR.AUTH || failure.code === PACS_ERROR.FORBIDDEN;
      if (fatal) return err(failure);
      problems.push({ file: `${c.name}/${seriesLabel(s)}`, code: PACS_COMPANION_MISSING, message: `The study's ${seriesLabel(s)} could not be retrieved (${failure.message}); the CT is open without it.` });
      continue;
    }
    if (r.ok) out.push({ series: s, instances: r.value.instances, fetched: r.value.fetched, reused: r.value.reused });
  }
  return ok({ series: out, problems });
}
