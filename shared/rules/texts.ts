import type { Reason } from '../schemas/assessment';

/**
 * Helpers for whoever renders reasons (panel, report, CLI): some reason parameters are codes
 * themselves (criterion ids, vertebroplasty flags, missing input keys, levels); this turns them
 * into texts with the caller's translate function (i18next `t` bound to the `rules` namespace).
 * Keys used: criteria.<id>, vertebroplastyFlags.<flag>, missing.<key>, levels.<level>.
 */
export type Translate = (key: string) => string;

/** i18n key of a reason or caveat text in the `rules` namespace. */
export const reasonTextKey = (kind: 'reasons' | 'caveats', r: Pick<Reason, 'code'>): string => `${kind}.${r.code}`;

const list = (value: unknown, prefix: string, t: Translate, separator: string) =>
  String(value)
    .split(', ')
    .filter(Boolean)
    .map((id) => t(`${prefix}.${id}`))
    .join(separator);

export function displayParams(r: Reason, t: Translate, separator = '; '): Record<string, string | number | boolean | null> {
  const p: Record<string, string | number | boolean | null> = { ...(r.params ?? {}) };
  if (typeof p.flag === 'string') p.flag = t(`vertebroplastyFlags.${p.flag}`);
  if (typeof p.criterion === 'string') p.criterion = t(`criteria.${p.criterion}`);
  if (typeof p.criteria === 'string') p.criteria = list(p.criteria, 'criteria', t, separator);
  if (typeof p.missing === 'string') p.missing = list(p.missing, 'missing', t, separator);
  if (typeof p.baseLevel === 'string') p.baseLevel = t(`levels.${p.baseLevel}`);
  return p;
}
