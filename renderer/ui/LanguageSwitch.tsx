import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../i18n';

const STORAGE_KEY = 'frw.language';

/** French by default (the guideline's language); the choice is remembered on this machine. */
export function savedLanguage(): Language {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    return (LANGUAGES as readonly string[]).includes(v ?? '') ? (v as Language) : 'fr';
  } catch {
    return 'fr';
  }
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
