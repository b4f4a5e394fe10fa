/**
 * Errors are values: a stable machine code, a human message, and where known the file or
 * field it concerns. The UI shows them, logs keep them; no patient identifiers go in them.
 */
export interface AppError {
  code: string;
  message: string;
  file?: string;
  field?: string;
}

export type Result<T, E = AppError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E = AppError>(error: E): Result<never, E> => ({ ok: false, error });

export function appError(code: string, message: string, where: { file?: string; field?: string } = {}): AppError {
  return { code, message, ...where };
}
