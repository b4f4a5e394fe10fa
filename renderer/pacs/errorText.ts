/**
 * A PACS error in the reader's language: the coded errors of shared/pacs (and the host's) have
 * their sentence in pacs.json; an error without one keeps the message it came with (English).
 */
import type { TFunction } from 'i18next';
import type { AppError } from '../../shared/errors';

export function pacsErrorText(t: TFunction, e: AppError, pacsName = ''): string {
  return String(t(`pacs:errors.${e.code}`, { defaultValue: e.message, name: pacsName || 'PACS' }));
}
