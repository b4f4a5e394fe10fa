import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../i18n';

const STORAGE_KEY = 'frw.language';

/**
 * The reader's own choice when made on this machine (remembered); otherwise the system's
 * language (issue 14: an English system opens in English), French when it prefers neither.
 */
export function savedLanguage(): Language {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    if ((LANGUAGES as readonly string[]).includes(v ?? '')) return v as Language;
  } catch {
    /* storage unavailable: fall back to the system's language */
  }
  return systemLanguage(typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language]);
}

/** The first of the system's preferred languages the UI has ('en-US' → 'en'); French otherwise (the guideline's language). */
export function systemLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag?.toLowerCase().split('-')[0];
    if ((LANGUAGES as readonly string[]).includes(base)) return base as Language;
  }
  return 'fr';
}

/** FR / EN toggle. Test ids: `lang-fr`, `lang-en`. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation('common');
  const current = (i18n.resolvedLanguage ?? i18n.language) as Language;
  return (
    <div className="lang-switch" role="group" aria-label={t('language')}>
      {LANGUAGES.map((lng) => (
        <button
          key={lng}
          className={lng === current ? 'btn small active' : 'btn small'}
          aria-pressed={lng === current}
          data-testid={`lang-${lng}`}
          onClick={() => {
            void i18n.changeLanguage(lng);
            document.documentElement.lang = lng;
            try {
              window.localStorage.setItem(STORAGE_KEY, lng);
            } catch {
              /* storage unavailable: the choice lasts for this session only */
            }
          }}
        >
          {lng.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
