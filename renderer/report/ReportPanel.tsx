import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { lesionsDifferingFromEngine } from '../../shared/report/buildReport';
import { reportFromJson, reportToJson } from '../../shared/report/json';
import { CURRENT_RULES } from '../../shared/report/rulesApi';
import type { Report, ReportLanguage } from '../../shared/schemas/report';
import type { AppError } from '../../shared/errors';
import { commitReader, setReader, useSession } from '../state/session';
import { useShell } from '../ui/shellContext';
import { ALL_VIEWPORT_IDS, type ViewportId } from '../viewer/ids';
import { captureViewport } from '../viewer/capture';
import { addKeyImage, removeKeyImage, useKeyImages } from './keyImages';
import { fitKeyImage } from '../state/keyImageFit';
import { MAX_KEY_IMAGES_PER_LESION, MAX_KEY_IMAGES_PER_SESSION } from '../../shared/schemas/session';
import { currentReport, reportFileName, reportPdfBytes } from './currentReport';
import { ReportPreview } from './ReportPreview';
import { DicomExports } from './DicomExports';
import { useSeriesSession } from '../assess/useSeriesSession';
import { useCalcaemiaValues } from '../assess/calcaemiaStore';
import '../assess/assess.css';

type Status = { kind: 'idle' } | { kind: 'saved'; name: string } | { kind: 'cancelled' } | { kind: 'error'; errors: AppError[]; file?: string } | { kind: 'imported'; file: string };

/**
 * Report tab: reader, key images, PDF and JSON export (through host.saveExport, which never
 * overwrites silently), JSON import (validated; the imported report is regenerated from its
 * JSON, in its own language), and a preview of the report model.
 *
 * Test ids: report-panel, report-reader, report-capture-viewport, report-capture, report-key-image
 * (data-lesion-id), report-key-image-remove, report-export-pdf, report-export-json,
 * report-import-input, report-status (data-kind), report-differs, report-back, plus the
 * preview's (ReportPreview).
 */
export function ReportPanel() {
  useSeriesSession();
  const { t, i18n } = useTranslation(['report', 'assess', 'viewer']);
  const shell = useShell();
  const s = useSession();
  const images = useKeyImages();
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  // "Saved: …" belongs to the study it was said for (issue 14, defect 8).
  const seriesUid = s.session?.seriesInstanceUid ?? null;
  useEffect(() => setStatus({ kind: 'idle' }), [seriesUid]);
  const [imported, setImported] = useState<{ report: Report; file: string; differs: string[] } | null>(null);
  const [viewport, setViewport] = useState<ViewportId>('axial');
  const [busy, setBusy] = useState(false);
  /** Issue 14: an export without a reader or without key images asks first, saying what is missing. */
  const [confirm, setConfirm] = useState<{ kind: 'pdf' | 'json'; missing: string[] } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const language: ReportLanguage = (i18n.resolvedLanguage ?? i18n.language) === 'en' ? 'en' : 'fr';
  const session = s.session;
  const activeLesion = session?.lesions.find((l) => l.id === s.activeLesionId) ?? session?.lesions[0] ?? null;

  const calcValues = useCalcaemiaValues();
  // One report per state: the PDF and the JSON exported from the same state are the same report
  // (same generatedAt), so the JSON regenerates that PDF byte for byte. Any change makes a new one.
  const snapshot = useRef<{ deps: unknown[]; report: Report } | null>(null);
  const build = (): Report | null => {
    if (imported) return imported.report;
    if (!session) return null;
    const deps = [session, shell.study, shell.series, s.reader, language, calcValues, images];
    const prev = snapshot.current;
    if (prev && prev.deps.length === deps.length && prev.deps.every((d, i) => d === deps[i])) return prev.report;
    const report = currentReport({ session, study: shell.study, series: shell.series, reader: s.reader, language });
    snapshot.current = { deps, report };
    return report;
  };

  const save = async (kind: 'pdf' | 'json', confirmed = false) => {
    commitReader();
    const report = build();
    if (!report) return;
    setConfirm(null);
    if (!confirmed && !imported) {
      const missing: string[] = [];
      if (!report.reader.trim()) missing.push(t('report:export.missingReader'));
      const bare = report.lesions.filter((l) => l.keyImages.length === 0).map((l) => l.lesion.label || l.lesion.bone || l.lesion.id);
      if (bare.length) missing.push(t('report:export.missingKeyImages', { lesions: bare.join(', '), count: bare.length }));
      if (missing.length) return setConfirm({ kind, missing });
    }
    setBusy(true);
    try {
      const bytes = kind === 'pdf' ? await reportPdfBytes(report) : new TextEncoder().encode(reportToJson(report));
      const name = reportFileName(report, kind);
      const r = await shell.host.saveExport(name, kind === 'pdf' ? 'application/pdf' : 'application/json', bytes);
      setStatus(r.saved ? { kind: 'saved', name: r.location ?? name } : { kind: 'cancelled' });
    } catch (e) {
      const err = e && typeof e === 'object' && 'message' in e ? (e as AppError) : { code: 'EXPORT_FAILED', message: String(e) };
      setStatus({ kind: 'error', errors: [{ code: err.code ?? 'EXPORT_FAILED', message: err.message }] });
    } finally {
      setBusy(false);
    }
  };

  const importFile = async (file: File) => {
    const text = await file.text();
    const r = reportFromJson(text, file.name);
    if (!r.ok) {
      setStatus({ kind: 'error', errors: r.error, file: file.name });
      return;
    }
    setImported({ report: r.value, file: file.name, differs: lesionsDifferingFromEngine(r.value, CURRENT_RULES.assess) });
    setStatus({ kind: 'imported', file: file.name });
  };

  const capture = async () => {
    if (!activeLesion) return;
    try {
      // Downscaled when needed to fit the autosaved session's per-image cap (state/keyImageFit.ts).
      const { pngDataUrl } = await fitKeyImage(await captureViewport(viewport));
      const refused = addKeyImage(activeLesion.id, {
        viewportId: viewport,
        caption: activeLesion.label || activeLesion.bone,
        pngDataUrl,
        capturedAt: new Date().toISOString(),
      });
      if (refused) {
        const max = refused.code === 'KEY_IMAGE_LIMIT_SERIES' ? MAX_KEY_IMAGES_PER_SESSION : MAX_KEY_IMAGES_PER_LESION;
        setStatus({ kind: 'error', errors: [{ ...refused, message: t(`report:export.keyImageRefused.${refused.code}`, { max, defaultValue: refused.message }) }] });
      }
    } catch (e) {
      const err = e as AppError;
      setStatus({ kind: 'error', errors: [{ code: err.code ?? 'CAPTURE_FAILED', message: err.message ?? String(e) }] });
    }
  };

  const report = build();
  return (
    <div className="assess-panel report-panel" data-testid="report-panel">
      {imported ? (
        <div className="row">
          <b>{t('report:export.importedReport')}</b> <span className="muted">{imported.file}</span>
          <button
            className="btn small"
            data-testid="report-back"
            onClick={() => {
              setImported(null);
              setStatus({ kind: 'idle' });
            }}
          >
            {t('report:export.backToSession')}
          </button>
        </div>
      ) : (
        <>
          <div className="grid">
            <label htmlFor="report-reader">{t('report:export.reader')}</label>
            <input
              id="report-reader"
              data-testid="report-reader"
              placeholder={t('report:export.readerPlaceholder')}
              value={s.reader}
              onChange={(e) => setReader(e.target.value)}
              onBlur={commitReader}
            />
          </div>
          {activeLesion && (
            <div className="section">
              <div className="row">
                <select data-testid="report-capture-viewport" value={viewport} onChange={(e) => setViewport(e.target.value as ViewportId)}>
                  {ALL_VIEWPORT_IDS.map((v) => (
                    <option key={v} value={v}>
                      {t(`viewer:viewport.${v}`, { defaultValue: v })}
                    </option>
                  ))}
                </select>
                <button className="btn small" data-testid="report-capture" onClick={() => void capture()}>
                  {t('report:export.captureKeyImage')}
                </button>
                <span className="muted small">
                  {activeLesion.label} · {t('report:export.keyImages', { count: (images[activeLesion.id] ?? []).length })}
                </span>
              </div>
              <div className="row">
                {(images[activeLesion.id] ?? []).map((img, i) => (
                  <figure key={i} className="key-image" data-testid="report-key-image" data-lesion-id={activeLesion.id}>
                    <img src={img.pngDataUrl} alt={img.caption} width={96} />
                    <button
                      className="btn small"
                      data-testid="report-key-image-remove"
                      title={t('report:export.removeKeyImage')}
                      aria-label={t('report:export.removeKeyImage')}
                      onClick={() => removeKeyImage(activeLesion.id, i)}
                    >
                      ×
                    </button>
                  </figure>
                ))}
              </div>
            </div>
          )}
        </>
      )}
      <div className="row">
        <button className="btn" data-testid="report-export-pdf" disabled={!report || busy} onClick={() => void save('pdf')}>
          {t('report:export.pdf')}
        </button>
        <button className="btn" data-testid="report-export-json" disabled={!report || busy} onClick={() => void save('json')}>
          {t('report:export.json')}
        </button>
        <button className="btn" onClick={() => fileInput.current?.click()}>
          {t('report:export.import')}
        </button>
      </div>
      {/* DICOM SR / encapsulated PDF / restore from SR (issue 16): the session's own report only. */}
      {!imported && session && <DicomExports report={report} />}
      {confirm && (
        <div className="warn" role="alertdialog" data-testid="report-export-confirm" data-kind={confirm.kind}>
          <b>{t('report:export.confirmTitle')}</b>
          <ul>
            {confirm.missing.map((m) => (
              <li key={m} data-testid="report-export-missing">
                {m}
              </li>
            ))}
          </ul>
          <button className="btn" data-testid="report-export-confirm-yes" onClick={() => void save(confirm.kind, true)}>
            {t('report:export.confirmYes')}
          </button>{' '}
          <button className="btn" data-testid="report-export-confirm-no" onClick={() => setConfirm(null)}>
            {t('report:export.confirmNo')}
          </button>
        </div>
      )}
      <div className="row">
        <input
          ref={fileInput}
          type="file"
          accept="application/json,.json"
          style={{ display: 'none' }}
          data-testid="report-import-input"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void importFile(f);
          }}
        />
      </div>
      <StatusLine status={status} />
      {imported && imported.differs.length > 0 && (
        <p className="missing" data-testid="report-differs">
          {t('report:export.differs', { version: CURRENT_RULES.rulesVersion, lesions: imported.differs.join(', ') })}
        </p>
      )}
      {!session && !imported ? <p className="muted">{t('report:export.noStudy')}</p> : null}
      {report && <ReportPreview report={report} />}
    </div>
  );
}

function StatusLine({ status }: { status: Status }) {
  const { t } = useTranslation('report');
  if (status.kind === 'idle') return null;
  if (status.kind === 'saved')
    return (
      <p className="small" data-testid="report-status" data-kind="saved">
        {t('export.saved', { name: status.name })}
      </p>
    );
  if (status.kind === 'cancelled')
    return (
      <p className="small muted" data-testid="report-status" data-kind="cancelled">
        {t('export.cancelled')}
      </p>
    );
  if (status.kind === 'imported')
    return (
      <p className="small" data-testid="report-status" data-kind="imported">
        {t('export.imported', { file: status.file })}
      </p>
    );
  return (
    <div className="error" data-testid="report-status" data-kind="error">
      {status.file ? t('export.importFailed', { file: status.file }) : t('export.failed', { message: '' })}
      <ul>
        {status.errors.map((e, i) => (
          <li key={i} data-code={e.code} data-field={e.field ?? ''}>
            {e.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
