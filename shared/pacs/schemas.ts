import { z } from 'zod';
import { appError, err, ok, type AppError, type Result } from '../errors';

/**
 * Values of the PACS connection (issue 16) that cross a boundary: the settings the user enters
 * (IPC, the settings file, the browser host's storage), a study search, and the summaries a
 * QIDO-RS search returns to the study browser.
 */

/** Longest base URL accepted (a DICOMweb root with a path prefix). */
export const MAX_PACS_URL_CHARS = 2048;
export const MAX_PACS_SECRET_CHARS = 4096;

export const PacsAuthKindSchema = z.enum(['none', 'basic', 'bearer']);
export type PacsAuthKind = z.infer<typeof PacsAuthKindSchema>;

const HttpUrlSchema = z
  .string()
  .trim()
  .min(1, 'the base URL is empty')
  .max(MAX_PACS_URL_CHARS)
  .refine((u) => {
    try {
      const p = new URL(u);
      return (p.protocol === 'http:' || p.protocol === 'https:') && !p.username && !p.password;
    } catch {
      return false;
    }
  }, 'base URL: an http:// or https:// address without user or password in it (e.g. https://pacs.example.org/dicom-web)')
  .transform((u) => u.replace(/\/+$/, ''));

/** What the settings panel stores: never the secret itself (see PacsSecretSchema). */
export const PacsSettingsSchema = z
  .object({
    name: z.string().trim().min(1, 'name is empty').max(64),
    baseUrl: HttpUrlSchema,
    auth: PacsAuthKindSchema,
    /** HTTP basic user name (auth 'basic'); not a secret. */
    username: z
      .string()
      .max(256)
      .regex(/^[^\x00-\x1f\x7f:]*$/, 'username: no colon and no control characters (HTTP basic authentication)')
      .default(''),
    /** Seconds before a request without answer is given up. */
    timeoutS: z.number().int().min(1).max(600).default(30),
  })
  .strict();
export type PacsSettings = z.output<typeof PacsSettingsSchema>;
export type PacsSettingsInput = z.input<typeof PacsSettingsSchema>;

/** The password (basic) or token (bearer): kept by the host in its secret store, never in a plain file or a log. */
export const PacsSecretSchema = z
  .string()
  .max(MAX_PACS_SECRET_CHARS)
  // It goes into an HTTP header: a line break or NUL would end it early or inject another header.
  .regex(/^[^\x00-\x1f\x7f]*$/, 'secret: no control characters (line breaks, NUL)');

/**
 * Whether a stored password or token still applies after the settings change: only to the same
 * server (scheme, host and port of the base URL) with the same kind of authentication. Otherwise
 * one server's secret would be sent to another, or a password sent as a bearer token.
 */
export function secretCarriesOver(before: PacsSettings | null, after: PacsSettings): boolean {
  if (!before || before.auth !== after.auth) return false;
  if (after.auth === 'basic' && before.username !== after.username) return false;
  try {
    return new URL(before.baseUrl).origin === new URL(after.baseUrl).origin;
  } catch {
    return false;
  }
}

/** Whether credentials would cross the network unencrypted (http to a host other than this machine). */
export function sendsSecretInClear(s: Pick<PacsSettings, 'baseUrl' | 'auth'>): boolean {
  if (s.auth === 'none') return false;
  try {
    const u = new URL(s.baseUrl);
    return u.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

/** A connection as the client uses it: settings plus the secret. */
export interface PacsConnection extends PacsSettings {
  secret: string;
}

const DicomDateSchema = z.string().regex(/^(\d{8})?$/, 'date: YYYYMMDD');

/** QIDO-RS study search (PS3.18 §10.6): every field optional, '*' wildcards allowed in names. */
export const StudyQuerySchema = z
  .object({
    patientId: z.string().trim().max(64).default(''),
    patientName: z.string().trim().max(64).default(''),
    dateFrom: DicomDateSchema.default(''),
    dateTo: DicomDateSchema.default(''),
    modality: z.string().trim().max(16).regex(/^[A-Z0-9]*$/, 'modality: capitals and digits (CT, MR …)').default(''),
    accessionNumber: z.string().trim().max(16).default(''),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict();
export type StudyQuery = z.output<typeof StudyQuerySchema>;
export type StudyQueryInput = z.input<typeof StudyQuerySchema>;

export const PacsStudySchema = z.object({
  studyInstanceUid: z.string().min(1),
  patientName: z.string(),
  patientId: z.string(),
  studyDate: z.string(),
  studyDescription: z.string(),
  accessionNumber: z.string(),
  modalities: z.array(z.string()),
  seriesCount: z.number().int().nullable(),
  instanceCount: z.number().int().nullable(),
});
export type PacsStudy = z.infer<typeof PacsStudySchema>;

export const PacsSeriesSchema = z.object({
  studyInstanceUid: z.string().min(1),
  seriesInstanceUid: z.string().min(1),
  modality: z.string(),
  seriesNumber: z.number().nullable(),
  description: z.string(),
  instanceCount: z.number().int().nullable(),
});
export type PacsSeries = z.infer<typeof PacsSeriesSchema>;

export const PacsInstanceRefSchema = z.object({
  studyInstanceUid: z.string().min(1),
  seriesInstanceUid: z.string().min(1),
  sopInstanceUid: z.string().min(1),
  sopClassUid: z.string(),
});
export type PacsInstanceRef = z.infer<typeof PacsInstanceRefSchema>;

/** Progress of a retrieval: instances done of the total (already cached ones count as done). */
export const RetrieveProgressSchema = z.object({
  done: z.number().int().min(0),
  total: z.number().int().min(0),
  bytes: z.number().min(0),
});
export type RetrieveProgress = z.infer<typeof RetrieveProgressSchema>;

/** What STOW-RS did with each object sent. */
export const StoreOutcomeSchema = z.object({
  stored: z.array(z.string()),
  /** Already in the PACS before this store (sent again, not duplicated). */
  alreadyPresent: z.array(z.string()),
  failed: z.array(z.object({ sopInstanceUid: z.string(), reason: z.string() })),
});
export type StoreOutcome = z.infer<typeof StoreOutcomeSchema>;

/** The settings the user entered, checked the same way in both hosts (the first problem names its field). */
export function checkPacsSettings(input: unknown): Result<PacsSettings> {
  const parsed = PacsSettingsSchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  return err(appError('PACS_SETTINGS_INVALID', `PACS settings: ${issue.message}`, { field: issue.path.join('.') || 'settings' }));
}

/** A study search, checked the same way in both hosts. */
export function checkStudyQuery(input: unknown): Result<StudyQuery> {
  const parsed = StudyQuerySchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  return err(appError('PACS_QUERY_INVALID', `Search: ${issue.message}`, { field: issue.path.join('.') }));
}

/** Asked to reach the PACS before any is configured. */
export function pacsNotConfigured(): AppError {
  return appError('PACS_NOT_CONFIGURED', 'No PACS is configured: enter its DICOMweb address in the PACS settings.', { field: 'baseUrl' });
}
