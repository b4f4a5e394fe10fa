/**
 * DICOMweb client (PS3.18): QIDO-RS search, WADO-RS retrieval of single instances, STOW-RS store.
 * Pure: it talks through a `fetch`-shaped transport, so the Electron main process (Node's fetch,
 * credentials from its secret store) and the browser host (the dev server's proxy) run the same
 * code. Every failure is a coded AppError naming the server, never a throw.
 *
 * Retrieval is instance by instance (WADO-RS `…/instances/{uid}`), not one multipart for the
 * whole series: that gives progress, cancel between instances, and a resume that fetches only
 * what is missing after a cut-off (OHIF and Weasis retrieve the same way).
 */
import { appError, err, ok, type AppError, type Result } from '../errors';
import type { PacsConnection, PacsInstanceRef, PacsSeries, PacsStudy, StoreOutcome, StudyQuery } from './schemas';
import { dicomJsonNumber, dicomJsonPersonName, dicomJsonString, dicomJsonStrings, type DicomJsonDataset } from './dicomJson';
import { buildMultipartRelated, parseMultipartRelated } from './multipart';
import { parseHeader } from '../dicom/parseHeader';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export const PACS_ERROR = {
  UNREACHABLE: 'PACS_UNREACHABLE',
  AUTH: 'PACS_AUTH',
  FORBIDDEN: 'PACS_FORBIDDEN',
  TIMEOUT: 'PACS_TIMEOUT',
  HTTP: 'PACS_HTTP',
  NOT_FOUND: 'PACS_NOT_FOUND',
  BAD_RESPONSE: 'PACS_BAD_RESPONSE',
  CANCELLED: 'PACS_CANCELLED',
  INCOMPLETE: 'PACS_RETRIEVE_INCOMPLETE',
  STORE_FAILED: 'PACS_STORE_FAILED',
  NOT_CONFIGURED: 'PACS_NOT_CONFIGURED',
} as const;

const DICOM_JSON = 'application/dicom+json';
const MULTIPART_DICOM = 'multipart/related; type="application/dicom"';

export interface CallOptions {
  signal?: AbortSignal;
}

function authHeader(c: PacsConnection): Record<string, string> {
  if (c.auth === 'basic') {
    const raw = `${c.username}:${c.secret}`;
    // btoa needs Latin-1: encode UTF-8 first so non-ASCII user names work.
    const bin = Array.from(new TextEncoder().encode(raw), (b) => String.fromCharCode(b)).join('');
    return { Authorization: `Basic ${btoa(bin)}` };
  }
  if (c.auth === 'bearer') return { Authorization: `Bearer ${c.secret}` };
  return {};
}

function where(c: PacsConnection): string {
  return `'${c.name}' (${c.baseUrl})`;
}

/** One HTTP exchange with timeout and cancel folded into coded errors. */
async function exchange(
  fetcher: FetchLike,
  c: PacsConnection,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: Uint8Array },
  opts: CallOptions,
): Promise<Result<Response>> {
  if (opts.signal?.aborted) return err(appError(PACS_ERROR.CANCELLED, 'Cancelled.'));
  const timeout = AbortSignal.timeout(c.timeoutS * 1000);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetcher(`${c.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { ...authHeader(c), ...init.headers },
      body: init.body as BodyInit | undefined,
      signal,
    });
  } catch (e) {
    if (opts.signal?.aborted) return err(appError(PACS_ERROR.CANCELLED, 'Cancelled.'));
    if (timeout.aborted) return err(appError(PACS_ERROR.TIMEOUT, `The PACS ${where(c)} did not answer within ${c.timeoutS} s.`));
    const cause = e instanceof Error ? ((e as { cause?: { code?: string; message?: string } }).cause?.code ?? e.message) : String(e);
    return err(appError(PACS_ERROR.UNREACHABLE, `Cannot reach the PACS ${where(c)}: ${cause}. Check the address and that the server is running.`));
  }
  if (res.ok) return ok(res);
  await res.body?.cancel().catch(() => undefined);
  if (res.status === 401) return err(appError(PACS_ERROR.AUTH, `The PACS ${where(c)} refused the credentials (HTTP 401): check the user name and the password or token in the PACS settings.`, { field: 'secret' }));
  if (res.status === 403) return err(appError(PACS_ERROR.FORBIDDEN, `The PACS ${where(c)} denied access (HTTP 403): this account may not read or store there.`, { field: 'secret' }));
  if (res.status === 404) return err(appError(PACS_ERROR.NOT_FOUND, `The PACS ${where(c)} has nothing at ${path.split('?')[0]} (HTTP 404): is the base URL the DICOMweb root (e.g. …/dicom-web)?`, { field: 'baseUrl' }));
  return err(appError(PACS_ERROR.HTTP, `The PACS ${where(c)} answered HTTP ${res.status} ${res.statusText} to ${init.method ?? 'GET'} ${path.split('?')[0]}.`));
}

/** Reads a body, mapping a cut-off transfer to a coded error. */
async function bodyBytes(c: PacsConnection, res: Response, opts: CallOptions): Promise<Result<Uint8Array>> {
  try {
    return ok(new Uint8Array(await res.arrayBuffer()));
  } catch {
    if (opts.signal?.aborted) return err(appError(PACS_ERROR.CANCELLED, 'Cancelled.'));
    return err(appError(PACS_ERROR.UNREACHABLE, `The connection to the PACS ${where(c)} broke during the transfer.`));
  }
}

async function qido(fetcher: FetchLike, c: PacsConnection, path: string, opts: CallOptions): Promise<Result<DicomJsonDataset[]>> {
  const r = await exchange(fetcher, c, path, { headers: { Accept: DICOM_JSON } }, opts);
  if (!r.ok) return r;
  const b = await bodyBytes(c, r.value, opts);
  if (!b.ok) return b;
  if (b.value.length === 0) return ok([]); // 204 No Content: no match
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(b.value));
  } catch {
    return err(appError(PACS_ERROR.BAD_RESPONSE, `The PACS ${where(c)} answered a search with something that is not DICOM JSON.`));
  }
  if (!Array.isArray(json) || json.some((x) => !x || typeof x !== 'object')) return err(appError(PACS_ERROR.BAD_RESPONSE, `The PACS ${where(c)} answered a search with JSON that is not a list of DICOM data sets.`));
  return ok(json as DicomJsonDataset[]);
}

/** Connection test: a one-result study search (what every DICOMweb server answers). */
export async function testConnection(fetcher: FetchLike, c: PacsConnection, opts: CallOptions = {}): Promise<Result<{ studiesVisible: boolean }>> {
  const r = await qido(fetcher, c, '/studies?limit=1', opts);
  return r.ok ? ok({ studiesVisible: r.value.length > 0 }) : r;
}

/** QIDO-RS parameters of a study query; empty fields are left out. */
export function studyQueryParams(q: StudyQuery): URLSearchParams {
  const p = new URLSearchParams();
  if (q.patientId) p.set('PatientID', q.patientId);
  if (q.patientName) p.set('PatientName', q.patientName);
  if (q.dateFrom || q.dateTo) p.set('StudyDate', `${q.dateFrom}-${q.dateTo}`);
  if (q.modality) p.set('ModalitiesInStudy', q.modality);
  if (q.accessionNumber) p.set('AccessionNumber', q.accessionNumber);
  p.set('limit', String(q.limit));
  for (const f of ['00081030', '00080061', '00201206', '00201208', '00080050']) p.append('includefield', f);
  return p;
}

export async function searchStudies(fetcher: FetchLike, c: PacsConnection, q: StudyQuery, opts: CallOptions = {}): Promise<Result<PacsStudy[]>> {
  const r = await qido(fetcher, c, `/studies?${studyQueryParams(q)}`, opts);
  if (!r.ok) return r;
  const out: PacsStudy[] = [];
  for (const d of r.value) {
    const uid = dicomJsonString(d, '0020000D');
    if (!uid) continue;
    out.push({
      studyInstanceUid: uid,
      patientName: dicomJsonPersonName(d, '00100010'),
      patientId: dicomJsonString(d, '00100020'),
      studyDate: dicomJsonString(d, '00080020'),
      studyDescription: dicomJsonString(d, '00081030'),
      accessionNumber: dicomJsonString(d, '00080050'),
      modalities: dicomJsonStrings(d, '00080061'),
      seriesCount: dicomJsonNumber(d, '00201206'),
      instanceCount: dicomJsonNumber(d, '00201208'),
    });
  }
  return ok(out.sort((a, b) => b.studyDate.localeCompare(a.studyDate)));
}

export async function listSeries(fetcher: FetchLike, c: PacsConnection, studyUid: string, opts: CallOptions = {}): Promise<Result<PacsSeries[]>> {
  const r = await qido(fetcher, c, `/studies/${encodeURIComponent(studyUid)}/series?includefield=0008103E&includefield=00201209&includefield=00200011`, opts);
  if (!r.ok) return r;
  const out: PacsSeries[] = [];
  for (const d of r.value) {
    const uid = dicomJsonString(d, '0020000E');
    if (!uid) continue;
    out.push({
      studyInstanceUid: studyUid,
      seriesInstanceUid: uid,
      modality: dicomJsonString(d, '00080060'),
      seriesNumber: dicomJsonNumber(d, '00200011'),
      description: dicomJsonString(d, '0008103E'),
      instanceCount: dicomJsonNumber(d, '00201209'),
    });
  }
  return ok(out.sort((a, b) => (a.seriesNumber ?? 1e9) - (b.seriesNumber ?? 1e9)));
}

export async function listInstances(fetcher: FetchLike, c: PacsConnection, studyUid: string, seriesUid: string, opts: CallOptions = {}): Promise<Result<PacsInstanceRef[]>> {
  const r = await qido(fetcher, c, `/studies/${encodeURIComponent(studyUid)}/series/${encodeURIComponent(seriesUid)}/instances?limit=100000`, opts);
  if (!r.ok) return r;
  const out: PacsInstanceRef[] = [];
  for (const d of r.value) {
    const sop = dicomJsonString(d, '00080018');
    if (sop) out.push({ studyInstanceUid: studyUid, seriesInstanceUid: seriesUid, sopInstanceUid: sop, sopClassUid: dicomJsonString(d, '00080016') });
  }
  return ok(out);
}

/** WADO-RS of one instance as Part 10 bytes (any transfer syntax the server holds). */
export async function retrieveInstance(fetcher: FetchLike, c: PacsConnection, ref: PacsInstanceRef, opts: CallOptions = {}): Promise<Result<Uint8Array>> {
  const path = `/studies/${encodeURIComponent(ref.studyInstanceUid)}/series/${encodeURIComponent(ref.seriesInstanceUid)}/instances/${encodeURIComponent(ref.sopInstanceUid)}`;
  const r = await exchange(fetcher, c, path, { headers: { Accept: `${MULTIPART_DICOM}; transfer-syntax=*` } }, opts);
  if (!r.ok) return r;
  const contentType = r.value.headers.get('content-type') ?? '';
  const b = await bodyBytes(c, r.value, opts);
  if (!b.ok) return b;
  const parts = parseMultipartRelated(b.value, contentType);
  if (!parts.ok) return err(appError(PACS_ERROR.BAD_RESPONSE, `The PACS ${where(c)} sent an image in a form that cannot be read: ${parts.error}.`));
  const part = parts.value.find((p) => p.contentType.startsWith('application/dicom')) ?? parts.value[0];
  if (!part || part.body.length < 132) return err(appError(PACS_ERROR.BAD_RESPONSE, `The PACS ${where(c)} sent an empty image where one was asked for.`));
  // The object must be the one asked for: a misbehaving server or proxy must never put another
  // image (of another series, another patient) under this one's name.
  const h = parseHeader(part.body, { fileId: 'pacs', file: 'pacs' });
  if (h.kind !== 'instance') return err(appError(PACS_ERROR.BAD_RESPONSE, `The PACS ${where(c)} sent an image that cannot be read as DICOM.`));
  const got = h.header;
  if (got.sopInstanceUid !== ref.sopInstanceUid || got.seriesInstanceUid !== ref.seriesInstanceUid || got.studyInstanceUid !== ref.studyInstanceUid) {
    return err(appError(PACS_ERROR.BAD_RESPONSE, `The PACS ${where(c)} answered a request for one image with another (different instance, series or study): it was refused.`));
  }
  return ok(part.body);
}

export interface RetrieveSeriesOptions extends CallOptions {
  /** SOP instance UIDs already held (cache, or a retrieval cut off earlier): not fetched again. */
  have?: ReadonlySet<string>;
  /** Called with each instance as it arrives; a failure it returns counts the instance as missing. */
  onInstance: (ref: PacsInstanceRef, bytes: Uint8Array) => Promise<Result<void>> | Result<void>;
  onProgress?: (p: { done: number; total: number; bytes: number }) => void;
  /** Instances fetched at once (the server's threads and the network decide; 4 is OHIF's default order). */
  concurrency?: number;
  /** Tries per instance before it is reported missing. */
  attempts?: number;
}

export interface RetrieveSeriesResult {
  instances: PacsInstanceRef[];
  fetched: number;
  reused: number;
  bytes: number;
}

/**
 * Every instance of a series, those in `have` skipped. A retrieval that loses instances (cut
 * off, server gone) ends with PACS_RETRIEVE_INCOMPLETE saying how many are missing; what arrived
 * was already handed to `onInstance`, so calling again with it in `have` resumes.
 */
export async function retrieveSeries(fetcher: FetchLike, c: PacsConnection, studyUid: string, seriesUid: string, o: RetrieveSeriesOptions): Promise<Result<RetrieveSeriesResult>> {
  const listed = await listInstances(fetcher, c, studyUid, seriesUid, o);
  if (!listed.ok) return listed;
  const all = listed.value;
  if (all.length === 0) return err(appError(PACS_ERROR.NOT_FOUND, `The PACS ${where(c)} lists no image in this series.`));
  const todo = all.filter((r) => !o.have?.has(r.sopInstanceUid));
  const reused = all.length - todo.length;
  let done = reused;
  let bytes = 0;
  const missing: Array<{ ref: PacsInstanceRef; error: AppError }> = [];
  o.onProgress?.({ done, total: all.length, bytes });
  let next = 0;
  const attempts = o.attempts ?? 2;
  const worker = async () => {
    while (next < todo.length) {
      if (o.signal?.aborted) return;
      const ref = todo[next++];
      let last: AppError | null = null;
      for (let a = 0; a < attempts; a++) {
        const r = await retrieveInstance(fetcher, c, ref, o);
        if (r.ok) {
          const stored = await o.onInstance(ref, r.value);
          if (stored.ok) {
            bytes += r.value.length;
            last = null;
          } else last = stored.error;
          break;
        }
        last = r.error;
        // Auth and cancel do not get better by trying again.
        if (r.error.code === PACS_ERROR.CANCELLED || r.error.code === PACS_ERROR.AUTH || r.error.code === PACS_ERROR.FORBIDDEN) break;
      }
      if (last) missing.push({ ref, error: last });
      else done++;
      o.onProgress?.({ done, total: all.length, bytes });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency ?? 4, todo.length)) }, worker));
  if (o.signal?.aborted) return err(appError(PACS_ERROR.CANCELLED, `Retrieval cancelled: ${done} of ${all.length} images kept; retrieve again to fetch the other ${all.length - done}.`));
  if (missing.length) {
    const first = missing[0].error;
    if (first.code === PACS_ERROR.AUTH || first.code === PACS_ERROR.FORBIDDEN) return err(first);
    return err(
      appError(
        PACS_ERROR.INCOMPLETE,
        `${missing.length} of ${all.length} images of the series did not arrive (${first.message}). The ${done} received are kept: retrieve again to fetch only the missing ones.`,
      ),
    );
  }
  return ok({ instances: all, fetched: todo.length, reused, bytes });
}

/**
 * STOW-RS of Part 10 objects into one study. Objects the PACS already holds (same SOP instance
 * UID, found by QIDO first) are reported as already present rather than silently stored twice;
 * the per-object outcome comes from the response's Referenced / Failed SOP sequences.
 */
export async function storeInstances(
  fetcher: FetchLike,
  c: PacsConnection,
  studyUid: string,
  objects: Array<{ sopInstanceUid: string; bytes: Uint8Array }>,
  opts: CallOptions = {},
): Promise<Result<StoreOutcome>> {
  const present = new Set<string>();
  for (const o of objects) {
    const q = await qido(fetcher, c, `/studies/${encodeURIComponent(studyUid)}/instances?SOPInstanceUID=${encodeURIComponent(o.sopInstanceUid)}`, opts);
    if (!q.ok && q.error.code !== PACS_ERROR.NOT_FOUND) return q;
    if (q.ok && q.value.some((d) => dicomJsonString(d, '00080018') === o.sopInstanceUid)) present.add(o.sopInstanceUid);
  }
  const toSend = objects.filter((o) => !present.has(o.sopInstanceUid));
  if (toSend.length === 0) return ok({ stored: [], alreadyPresent: [...present], failed: [] });
  const { body, contentType } = buildMultipartRelated(toSend.map((o) => ({ contentType: 'application/dicom', body: o.bytes })), 'application/dicom');
  const r = await exchange(fetcher, c, `/studies/${encodeURIComponent(studyUid)}`, { method: 'POST', headers: { 'Content-Type': contentType, Accept: DICOM_JSON }, body }, opts);
  if (!r.ok) return r;
  const b = await bodyBytes(c, r.value, opts);
  if (!b.ok) return b;
  let json: DicomJsonDataset | null = null;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(b.value)) as unknown;
    json = (Array.isArray(parsed) ? parsed[0] : parsed) as DicomJsonDataset;
  } catch {
    json = null;
  }
  if (!json || typeof json !== 'object') return err(appError(PACS_ERROR.BAD_RESPONSE, `The PACS ${where(c)} answered the store without a readable outcome: check in the PACS whether the objects arrived.`));
  const seq = (tag: string) => (json?.[tag]?.Value ?? []) as DicomJsonDataset[];
  const stored = seq('00081199').map((d) => dicomJsonString(d, '00081155')).filter(Boolean);
  const failed = seq('00081198').map((d) => ({ sopInstanceUid: dicomJsonString(d, '00081155'), reason: failureReason(dicomJsonNumber(d, '00081197')) }));
  const unaccounted = toSend.filter((o) => !stored.includes(o.sopInstanceUid) && !failed.some((f) => f.sopInstanceUid === o.sopInstanceUid));
  for (const o of unaccounted) failed.push({ sopInstanceUid: o.sopInstanceUid, reason: 'not named in the PACS answer' });
  if (failed.length && stored.length === 0) {
    return err(appError(PACS_ERROR.STORE_FAILED, `The PACS ${where(c)} refused ${failed.length === 1 ? 'the object' : `all ${failed.length} objects`}: ${failed.map((f) => f.reason).join('; ')}.`));
  }
  return ok({ stored, alreadyPresent: [...present], failed });
}

/** PS3.18 Table 10.5.3-1 / PS3.4 failure reasons, in words. */
function failureReason(code: number | null): string {
  switch (code) {
    case 0x0110:
      return 'processing failure (0110H)';
    case 0x0122:
      return 'SOP class not supported (0122H)';
    case 0x0124:
      return 'not authorised (0124H)';
    case 0xa700:
      return 'out of resources (A700H)';
    case 0xa900:
      return 'data set does not match SOP class (A900H)';
    case 0xc000:
      return 'cannot understand (C000H)';
    default:
      return code === null ? 'no reason given' : `failure ${code.toString(16).toUpperCase()}H`;
  }
}
