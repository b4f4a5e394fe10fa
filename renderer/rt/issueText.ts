/**
 * A structure set's issue in the UI's language: the sentence keyed by its code (and, for a missing
 * frame of reference, which side lacks it) with the values from its params; null when the code has
 * no sentence (the English message is shown then, marked as English).
 */
import type { RtIssue } from '../../shared/schemas/rt';

type T = (key: string, options?: Record<string, unknown>) => string;

export function issueKey(issue: Pick<RtIssue, 'code' | 'params'>): string {
  const which = typeof issue.params?.which === 'string' ? `.${issue.params.which}` : '';
  return `rt:issue.${issue.code}${which}`;
}

export function issueText(issue: Pick<RtIssue, 'code' | 'params'>, t: T, exists: (key: string) => boolean): string | null {
  const key = issueKey(issue);
  return exists(key) || exists(`${key}_other`) ? t(key, { ...issue.params }) : null;
}
