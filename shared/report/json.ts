import { appError, err, ok, type AppError, type Result } from '../errors';
import { REPORT_FORMAT, REPORT_SCHEMA_VERSION, ReportSchema, type Report } from '../schemas/report';

/**
 * The JSON export of a report and its import. Import parses with the versioned schema at the
 * boundary: bad JSON, another format, another schema version or any invalid field gives
 * coded errors naming the field — never a half-read report.
 */
export function reportToJson(report: Report): string {
  return `${JSON.stringify(ReportSchema.parse(report), null, 2)}\n`;
}

export function reportFromJson(text: string, file?: string): Result<Report, AppError[]> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return err([appError('report-json-invalid', `not valid JSON: ${e instanceof Error ? e.message : String(e)}`, { file })]);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return err([appError('report-json-invalid', 'a report must be a JSON object', { file })]);
  }
  const rec = data as Record<string, unknown>;
  if (rec.format !== REPORT_FORMAT) {
    return err([
      appError('report-format-unknown', `not a ${REPORT_FORMAT} file (format: ${JSON.stringify(rec.format ?? null)})`, {
        file,
        field: 'format',
      }),
    ]);
  }
  if (rec.schemaVersion !== REPORT_SCHEMA_VERSION) {
    return err([
      appError(
        'report-version-unsupported',
        `report schema version ${JSON.stringify(rec.schemaVersion ?? null)} is not supported (this app reads version ${REPORT_SCHEMA_VERSION})`,
        { file, field: 'schemaVersion' },
      ),
    ]);
  }
  const parsed = ReportSchema.safeParse(data);
  if (!parsed.success) {
    return err(
      parsed.error.issues.map((issue) => {
        const field = issue.path.map(String).join('.') || '(root)';
        return appError('report-field-invalid', `${field}: ${issue.message}`, { file, field });
      }),
    );
  }
  return ok(parsed.data);
}
