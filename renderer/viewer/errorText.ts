/** The human message of whatever a library threw (Error, {error}, string…), for AppError texts. */
export function messageOf(error: unknown): string {
  if (error && typeof error === 'object') {
    const o = error as { message?: unknown; error?: unknown };
    if (typeof o.message === 'string') return o.message;
    if (o.error) return messageOf(o.error);
  }
  return String(error);
}
