/**
 * The PACS window (issue 16): connection settings with a test, a study search (patient ID / name,
 * date range, modality, accession), the studies found, the series of the one chosen with their
 * counts, and "Open" on a CT series, which the shell retrieves (with progress and cancel) and
 * opens like a local folder. The cache line says what retrieved data takes on disk and clears it.
 *
 * Test ids: pacs-dialog, pacs-close, pacs-settings (data-open), pacs-settings-toggle,
 * pacs-name, pacs-url, pacs-auth, pacs-username, pacs-secret, pacs-timeout, pacs-save,
 * pacs-test, pacs-settings-status (data-kind), pacs-secret-storage, pacs-search-form,
 * pacs-q-patient-id, pacs-q-patient-name, pacs-q-date-from, pacs-q-date-to, pacs-q-modality,
 * pacs-q-accession, pacs-search, pacs-status (data-kind), pacs-study (data-study-uid),
 * pacs-series (data-series-uid, data-modality), pacs-open-series, pacs-no-ct, pacs-cache,
 * pacs-cache-clear.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../shared/errors';
import type { PacsCacheInfo, PacsHostApi, PacsSettingsState } from '../../shared/ipc/hostApi';
import type { PacsAuthKind, PacsSeries, PacsStudy } from '../../shared/pacs/schemas';
import { toAppError } from '../host/browserHost';
import { sendsSecretInClear, secretCarriesOver } from '../../shared/pacs/schemas';
import { pacsErrorText } from './errorText';
import './pacs.css';

type Status = { kind: 'idle' } | { kind: 'busy'; text: string } | { kind: 'ok'; text: string } | { kind: 'error'; error: AppError };

interface Form {
  name: string;
  baseUrl: string;
  auth: PacsAuthKind;
  username: string;
  secret: string;
  timeoutS: string;
}

/** Studies asked for per search (QIDO limit). */
const SEARCH_LIMIT = 100;
const EMPTY_FORM: Form = { name: 'PACS', baseUrl: '', auth: 'basic', username: '', secret: '', timeoutS: '30' };
/** `<input type="date">` gives YYYY-MM-DD; DICOM wants YYYYMMDD. */
const dicomDate = (d: string) => d.replaceAll('-', '');
const displayDate = (d: string) => (/^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}` : d);
const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);

function StatusLine(props: { status: Status; testId: string; pacsName?: string }) {
  const { t } = useTranslation('pacs');
  const s = props.status;
  if (s.kind === 'idle') return null;
  return (
    <div
      className={`pacs-status ${s.kind}`}
      data-testid={props.testId}
      data-kind={s.kind}
      data-code={s.kind === 'error' ? s.error.code : undefined}
      role={s.kind === 'error' ? 'alert' : 'status'}
      // The server's own words stay at hand for support, in the tooltip.
      title={s.kind === 'error' ? s.error.message : undefined}
    >
      {s.kind === 'error' ? pacsErrorText(t, s.error, props.pacsName) : s.text}
    </div>
  );
}

export function PacsDialog(props: { pacs: PacsHostApi; onClose: () => void; onOpenSeries: (study: PacsStudy, series: PacsSeries) => void }) {
  const { t } = useTranslation('pacs');
  const { pacs } = props;
  const [state, setState] = useState<PacsSettingsState | null>(null);
  const [form, setForm] = useState<Form>(EMPTY_FORM);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [settingsStatus, setSettingsStatus] = useState<Status>({ kind: 'idle' });
  const [query, setQuery] = useState({ patientId: '', patientName: '', dateFrom: '', dateTo: '', modality: 'CT', accessionNumber: '' });
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [studies, setStudies] = useState<PacsStudy[] | null>(null);
  const [chosen, setChosen] = useState<PacsStudy | null>(null);
  const [series, setSeries] = useState<PacsSeries[] | null>(null);
  const [cache, setCache] = useState<PacsCacheInfo | null>(null);
  const searchAbort = useRef<AbortController | null>(null);
  /** The study whose series are being listed: an answer for an earlier click is dropped. */
  const chooseAbort = useRef<AbortController | null>(null);
  const firstField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    void pacs.getSettings().then((s) => {
      if (!live) return;
      setState(s);
      if (s.settings) setForm({ name: s.settings.name, baseUrl: s.settings.baseUrl, auth: s.settings.auth, username: s.settings.username, secret: '', timeoutS: String(s.settings.timeoutS) });
      // Nothing configured yet: the settings come first.
      setSettingsOpen(!s.settings);
    });
    void pacs.cacheInfo().then((c) => live && setCache(c)).catch(() => undefined);
    return () => {
      live = false;
      searchAbort.current?.abort();
    };
  }, [pacs]);
  useEffect(() => firstField.current?.focus(), [settingsOpen]);

  const save = async (): Promise<boolean> => {
    setSettingsStatus({ kind: 'busy', text: t('saving') });
    try {
      const timeoutS = Number(form.timeoutS);
      const next = await pacs.saveSettings(
        { name: form.name, baseUrl: form.baseUrl, auth: form.auth, username: form.auth === 'basic' ? form.username : '', timeoutS: Number.isInteger(timeoutS) ? timeoutS : Number.NaN },
        // An empty field keeps the stored secret; switching to no authentication removes it.
        form.auth === 'none' ? '' : form.secret === '' ? null : form.secret,
      );
      setState(next);
      // Show what was kept (the URL without its trailing slash, …), never the secret.
      if (next.settings) setForm({ name: next.settings.name, baseUrl: next.settings.baseUrl, auth: next.settings.auth, username: next.settings.username, secret: '', timeoutS: String(next.settings.timeoutS) });
      setSettingsStatus({ kind: 'ok', text: t('saved') });
      return true;
    } catch (e) {
      setSettingsStatus({ kind: 'error', error: toAppError(e, 'PACS_SETTINGS_INVALID') });
      return false;
    }
  };
  const test = async () => {
    if (!(await save())) return;
    setSettingsStatus({ kind: 'busy', text: t('testing') });
    try {
      const r = await pacs.testConnection();
      setSettingsStatus({ kind: 'ok', text: r.studiesVisible ? t('testOk') : t('testOkEmpty') });
      // Connected: the settings make way for the search.
      setSettingsOpen(false);
    } catch (e) {
      setSettingsStatus({ kind: 'error', error: toAppError(e, 'PACS_UNREACHABLE') });
    }
  };

  const search = async (e?: FormEvent) => {
    e?.preventDefault();
    searchAbort.current?.abort();
    const ac = new AbortController();
    searchAbort.current = ac;
    setStatus({ kind: 'busy', text: t('searching') });
    setChosen(null);
    setSeries(null);
    try {
      const found = await pacs.searchStudies({ ...query, dateFrom: dicomDate(query.dateFrom), dateTo: dicomDate(query.dateTo), limit: SEARCH_LIMIT }, ac.signal);
      if (ac.signal.aborted) return;
      setStudies(found);
      // The PACS was asked for SEARCH_LIMIT at most: a full page means there may be more.
      setStatus({ kind: 'ok', text: found.length >= SEARCH_LIMIT ? t('foundFirst', { count: found.length }) : t('found', { count: found.length }) });
    } catch (err) {
      if (!ac.signal.aborted) setStatus({ kind: 'error', error: toAppError(err, 'PACS_UNREACHABLE') });
    }
  };

  const choose = async (study: PacsStudy) => {
    chooseAbort.current?.abort();
    const ac = new AbortController();
    chooseAbort.current = ac;
    setChosen(study);
    setSeries(null);
    setStatus({ kind: 'busy', text: t('listingSeries') });
    try {
      const list = await pacs.listSeries(study.studyInstanceUid, ac.signal);
      if (ac.signal.aborted) return;
      setSeries(list);
      setStatus({ kind: 'idle' });
    } catch (err) {
      if (!ac.signal.aborted) setStatus({ kind: 'error', error: toAppError(err, 'PACS_UNREACHABLE') });
    }
  };

  const clearCache = async () => {
    try {
      setCache(await pacs.clearCache());
    } catch (err) {
      setStatus({ kind: 'error', error: toAppError(err, 'PACS_CACHE') });
    }
  };

  // Read the value before the state update: React clears currentTarget once the handler returns.
  const field = <K extends keyof Form>(k: K) => ({
    value: form[k],
    onChange: (e: { currentTarget: { value: string } }) => {
      const v = e.currentTarget.value as Form[K];
      setForm((f) => ({ ...f, [k]: v }));
    },
  });
  const qField = <K extends keyof typeof query>(k: K, transform = (v: string) => v) => ({
    value: query[k],
    onChange: (e: { currentTarget: { value: string } }) => {
      const v = transform(e.currentTarget.value);
      setQuery((q) => ({ ...q, [k]: v }));
    },
  });
  const configured = !!state?.settings;
  // "Stored: leave empty" only while the form still points at the server (and kind) it was stored for.
  const secretKept = !!state?.secretStored && !!state.settings && secretCarriesOver(state.settings, { ...state.settings, baseUrl: form.baseUrl.trim().replace(/\/+$/, ''), auth: form.auth, username: form.username });
  const hasCt = series?.some((s) => s.modality === 'CT') ?? false;

  return (
    <div className="overlay" data-testid="pacs-dialog" role="dialog" aria-modal="true" aria-label={t('title')} onKeyDown={(e) => e.key === 'Escape' && props.onClose()}>
      <div className="overlay-card pacs-card">
        <header>
          <h2>
            {t('title')}
            {state?.settings ? <span className="muted small"> — {state.settings.name}</span> : null}
          </h2>
          <button className="btn small" data-testid="pacs-close" onClick={props.onClose} aria-label={t('close')}>
            ×
          </button>
        </header>

        <section className="pacs-settings" data-testid="pacs-settings" data-open={settingsOpen}>
          <button className="btn small link" data-testid="pacs-settings-toggle" onClick={() => setSettingsOpen((o) => !o)} aria-expanded={settingsOpen}>
            {settingsOpen ? '▾' : '▸'} {t('settings')}
          </button>
          {settingsOpen && (
            <form
              className="pacs-grid"
              onSubmit={(e) => {
                e.preventDefault();
                void save();
              }}
            >
              <label>
                {t('name')}
                <input ref={firstField} data-testid="pacs-name" {...field('name')} maxLength={64} />
              </label>
              <label className="wide">
                {t('baseUrl')}
                <input data-testid="pacs-url" {...field('baseUrl')} placeholder="https://pacs.example.org/dicom-web" spellCheck={false} />
              </label>
              <label>
                {t('auth')}
                <select data-testid="pacs-auth" {...field('auth')}>
                  <option value="none">{t('authNone')}</option>
                  <option value="basic">{t('authBasic')}</option>
                  <option value="bearer">{t('authBearer')}</option>
                </select>
              </label>
              {form.auth === 'basic' && (
                <label>
                  {t('username')}
                  <input data-testid="pacs-username" {...field('username')} autoComplete="off" spellCheck={false} />
                </label>
              )}
              {form.auth !== 'none' && (
                <label>
                  {form.auth === 'basic' ? t('password') : t('token')}
                  <input data-testid="pacs-secret" type="password" {...field('secret')} autoComplete="off" placeholder={secretKept ? t('secretKept') : ''} />
                </label>
              )}
              <label>
                {t('timeout')}
                <input data-testid="pacs-timeout" type="number" min={1} max={600} {...field('timeoutS')} />
              </label>
              {sendsSecretInClear(form) && (
                <p className="pacs-status error wide" data-testid="pacs-clear-text-warning" role="alert">
                  {t('clearTextWarning')}
                </p>
              )}
              <p className="muted small wide" data-testid="pacs-secret-storage">
                {state?.secretStorage === 'os-encrypted' ? t('secretEncrypted') : t('secretMemory')}
              </p>
              <div className="pacs-actions wide">
                <button className="btn" type="submit" data-testid="pacs-save">
                  {t('save')}
                </button>
                <button className="btn" type="button" data-testid="pacs-test" onClick={() => void test()}>
                  {t('test')}
                </button>
              </div>
            </form>
          )}
          <StatusLine status={settingsStatus} testId="pacs-settings-status" pacsName={state?.settings?.name} />
        </section>

        <form className="pacs-grid pacs-search" data-testid="pacs-search-form" onSubmit={(e) => void search(e)}>
          <label>
            {t('patientId')}
            <input data-testid="pacs-q-patient-id" {...qField('patientId')} disabled={!configured} />
          </label>
          <label>
            {t('patientName')}
            <input data-testid="pacs-q-patient-name" {...qField('patientName')} placeholder="DOE^J*" disabled={!configured} />
          </label>
          <label>
            {t('dateFrom')}
            <input data-testid="pacs-q-date-from" type="date" {...qField('dateFrom')} disabled={!configured} />
          </label>
          <label>
            {t('dateTo')}
            <input data-testid="pacs-q-date-to" type="date" {...qField('dateTo')} disabled={!configured} />
          </label>
          <label>
            {t('modality')}
            <input data-testid="pacs-q-modality" {...qField('modality', (v) => v.toUpperCase())} maxLength={16} disabled={!configured} />
          </label>
          <label>
            {t('accession')}
            <input data-testid="pacs-q-accession" {...qField('accessionNumber')} disabled={!configured} />
          </label>
          <div className="pacs-actions wide">
            <button className="btn primary" type="submit" data-testid="pacs-search" disabled={!configured}>
              {t('search')}
            </button>
            {!configured && <span className="muted small">{t('configureFirst')}</span>}
          </div>
        </form>
        <StatusLine status={status} testId="pacs-status" pacsName={state?.settings?.name} />

        {studies && studies.length > 0 && (
          <table className="pacs-table">
            <thead>
              <tr>
                <th>{t('patientName')}</th>
                <th>{t('patientId')}</th>
                <th>{t('date')}</th>
                <th>{t('description')}</th>
                <th>{t('modalities')}</th>
                <th>{t('counts')}</th>
              </tr>
            </thead>
            <tbody>
              {studies.map((s) => (
                <tr
                  key={s.studyInstanceUid}
                  data-testid="pacs-study"
                  data-study-uid={s.studyInstanceUid}
                  className={chosen?.studyInstanceUid === s.studyInstanceUid ? 'selected' : ''}
                  tabIndex={0}
                  onClick={() => void choose(s)}
                  onKeyDown={(e) => e.key === 'Enter' && void choose(s)}
                >
                  <td>{s.patientName.replaceAll('^', ' ')}</td>
                  <td>{s.patientId}</td>
                  <td>{displayDate(s.studyDate)}</td>
                  <td>{s.studyDescription}</td>
                  <td>{s.modalities.join(', ')}</td>
                  <td>{t('seriesInstances', { series: s.seriesCount ?? '?', instances: s.instanceCount ?? '?' })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}

        {chosen && series && (
          <section className="pacs-series-list">
            <h3>{t('seriesOf', { description: chosen.studyDescription || `${chosen.patientName.replaceAll('^', ' ')} ${displayDate(chosen.studyDate)}`.trim() })}</h3>
            {!hasCt && (
              <p className="pacs-status error" data-testid="pacs-no-ct" role="alert">
                {t('noCt', { modalities: [...new Set(series.map((s) => s.modality))].join(', ') || '—' })}
              </p>
            )}
            <table className="pacs-table">
              <tbody>
                {series.map((s) => (
                  <tr key={s.seriesInstanceUid} data-testid="pacs-series" data-series-uid={s.seriesInstanceUid} data-modality={s.modality}>
                    <td>{s.seriesNumber ?? ''}</td>
                    <td className="modality">{s.modality}</td>
                    <td>{s.description}</td>
                    <td>{t('images', { count: s.instanceCount ?? 0 })}</td>
                    <td>
                      {s.modality === 'CT' ? (
                        <button className="btn small primary" data-testid="pacs-open-series" onClick={() => props.onOpenSeries(chosen, s)}>
                          {t('open')}
                        </button>
                      ) : (
                        <span className="muted small">{t('comesWithCt')}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}

        <footer className="pacs-cache muted small" data-testid="pacs-cache">
          {cache ? t('cache', { used: mb(cache.usedBytes), limit: mb(cache.limitBytes), count: cache.seriesCount }) : null}
          <button className="btn small" data-testid="pacs-cache-clear" onClick={() => void clearCache()} disabled={!cache || cache.seriesCount === 0}>
            {t('clearCache')}
          </button>
        </footer>
      </div>
    </div>
  );
}
