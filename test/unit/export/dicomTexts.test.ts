/**
 * The Report tab's DICOM texts (renderer/i18n/locales/{en,fr}/dicom.json): the same keys in both
 * languages, a sentence for every error the PACS store can raise, and errorText words a coded
 * error in the UI's language (the English message kept only when the code has no sentence).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { errorText } from '../../../renderer/report/dicomExport';
import { PACS_ERROR } from '../../../shared/pacs/dicomweb';

const locale = (lang: string) => JSON.parse(readFileSync(join(__dirname, '../../../renderer/i18n/locales', lang, 'dicom.json'), 'utf8')) as Record<string, unknown>;
const en = locale('en');
const fr = locale('fr');
const keys = (o: Record<string, unknown>, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));

async function translator(lng: 'en' | 'fr') {
  const i = i18next.createInstance();
  await i.init({ lng, fallbackLng: 'en', ns: ['dicom'], defaultNS: 'dicom', resources: { en: { dicom: en }, fr: { dicom: fr } }, interpolation: { escapeValue: false } });
  return (k: string, o?: Record<string, unknown>) => String(i.t(k, o as never));
}

const STORE_CODES = ['PACS_NOT_CONFIGURED', 'PACS_AUTH', 'PACS_FORBIDDEN', 'PACS_UNREACHABLE', 'PACS_TIMEOUT', 'PACS_STORE_FAILED', 'PACS_HTTP', 'PACS_BAD_RESPONSE'];

describe('DICOM export texts', () => {
  it('has the same keys in English and French', () => {
    expect(keys(fr).sort()).toEqual(keys(en).sort());
  });

  it('has a sentence, in both languages, for every error the PACS store raises', () => {
    for (const code of STORE_CODES) expect(Object.values(PACS_ERROR)).toContain(code);
    const errors = (o: Record<string, unknown>) => o.errors as Record<string, string>;
    for (const code of STORE_CODES) {
      expect(errors(en)[code], code).toBeTruthy();
      expect(errors(fr)[code], code).toBeTruthy();
      expect(errors(fr)[code]).not.toBe(errors(en)[code]);
    }
  });

  it('words a host / PACS error in French by its code, naming the PACS; an unknown code keeps its message', async () => {
    const t = await translator('fr');
    const auth = { code: 'PACS_AUTH', message: "The PACS 'Orthanc' (http://x/dicom-web) refused the credentials (HTTP 401): check the user name." };
    expect(errorText(t, auth, 'Orthanc')).toBe("Le PACS « Orthanc » a refusé les identifiants : vérifier le nom d'utilisateur et le mot de passe ou le jeton dans les paramètres PACS.");
    expect(errorText(t, { code: 'PACS_UNREACHABLE', message: 'Cannot reach the PACS' })).toContain('Impossible de joindre le PACS « PACS »');
    expect(errorText(t, { code: 'SR_OTHER_PATIENT', message: 'This SR belongs to another patient than the open study.' })).toBe('Ce SR appartient à un autre patient.');
    expect(errorText(t, { code: 'SOMETHING_NEW', message: 'Something new went wrong.' })).toBe('Something new went wrong.');
    const tEn = await translator('en');
    expect(errorText(tEn, { code: 'PACS_TIMEOUT', message: 'x' }, 'Orthanc')).toBe("The PACS 'Orthanc' did not answer in time: try again, or raise the timeout in the PACS settings.");
  });

  it('says why the SR and PACS buttons are disabled, in both languages', async () => {
    for (const lng of ['en', 'fr'] as const) {
      const t = await translator(lng);
      expect(t('disabled.noLesion')).not.toBe('disabled.noLesion');
      expect(t('disabled.noSeries')).not.toBe('disabled.noSeries');
    }
    expect((await translator('fr'))('disabled.noLesion')).toContain('au moins une lésion');
  });
});
