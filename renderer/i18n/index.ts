import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

/**
 * French and English for the whole UI. Each part of the UI keeps its strings in its own
 * namespace file, locales/<lang>/<namespace>.json, so parts can grow independently.
 */
export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const files = import.meta.glob<{ default: Record<string, unknown> }>('./locales/*/*.json', { eager: true });

function resources(): Record<string, Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [path, mod] of Object.entries(files)) {
    const m = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (!m) continue;
    const [, lang, ns] = m;
    (out[lang] ??= {})[ns] = mod.default;
  }
  return out;
}

export function initI18n(language: Language = 'fr') {
  void i18next.use(initReactI18next).init({
    resources: resources(),
    lng: language,
    fallbackLng: 'en',
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return i18next;
}

export { i18next };
