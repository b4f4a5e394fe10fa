import type { z } from 'zod';
import { appError, err, ok, type AppError, type Result } from '../errors';
import { AssessmentInputSchema, type AssessmentInput } from '../schemas/assessment';

/**
 * Boundary parsing of an assessment input (CLI file, IPC, saved work): one error per problem,
 * each naming its field (dotted path, e.g. 'sins.location'), in plain words.
 */
export function issueField(issue: z.core.$ZodIssue): string {
  return issue.path.map(String).join('.');
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

export function issuesToErrors(raw: unknown, issues: z.core.$ZodIssue[], file?: string): AppError[] {
  const where = (field: string) => ({ ...(file ? { file } : {}), field });
  return issues.flatMap((issue): AppError[] => {
    const field = issueField(issue);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => {
        const f = field ? `${field}.${k}` : k;
        return appError('unknown-field', `${f}: unknown field`, where(f));
      });
    }
    if (['invalid_type', 'invalid_value', 'invalid_union'].includes(issue.code) && issue.path.length > 0 && valueAt(raw, issue.path) === undefined) {
      return [appError('missing-field', `${field || '(input)'}: required field is missing`, where(field))];
    }
    if (issue.code === 'invalid_value' && 'values' in issue) {
      const allowed = issue.values.map((v) => JSON.stringify(v)).join(' | ');
      return [appError('invalid-value', `${field}: must be one of ${allowed} (got ${JSON.stringify(valueAt(raw, issue.path))})`, where(field))];
    }
    if (issue.code === 'invalid_union' && issue.path.at(-1) === 'mirelsSize') {
      return [appError('invalid-value', `${field}: must be 1, 2, 3 or null (got ${JSON.stringify(valueAt(raw, issue.path))})`, where(field))];
    }
    if (issue.code === 'too_big' || issue.code === 'too_small') {
      const bound = issue.code === 'too_big' ? `at most ${String(issue.maximum)}` : `at least ${String(issue.minimum)}`;
      return [appError('out-of-range', `${field}: must be ${bound} (got ${JSON.stringify(valueAt(raw, issue.path))})`, where(field))];
    }
    return [appError('invalid-field', `${field || '(input)'}: ${issue.message}`, where(field))];
  });
}

export function parseAssessmentInput(raw: unknown, file?: string): Result<AssessmentInput, AppError[]> {
  const r = AssessmentInputSchema.safeParse(raw);
  return r.success ? ok(r.data) : err(issuesToErrors(raw, r.error.issues, file));
}
