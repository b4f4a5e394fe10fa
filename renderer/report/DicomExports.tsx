import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../shared/errors';
import type { Report } from '../../shared/schemas/report';
import type { OtherObject } from '../../shared/schemas/scan';
import type { Session } from '../../shared/schemas/session';
import type { StudyContext } from '../../shared/export/studyContext';
import { i18next } from '../i18n';
import { dispatch, getSessionState, newId, setActiveLesion, useSession } from '../state/session';
import { useShell } from '../ui/shellContext';
import { reportPdfBytes } from './currentReport';
import { alreadyInSession, dicomFileName, errorText, dicomSrBytes, encapsulatedPdfBytes, lengthDrawing, readSrObjectCached, restoreSummary, seriesContext, srObjectsFor } from './dicomExport';
import { makeTexts } from './texts';

type Status =
  | { kind: 'idle' }
  | { kind: 'saved'; name: string }
  | { kind: 'cancelled' }
  | { kind: 'restored'; lesions: number; measurements: number }
  | { kind: 'stored'; pacs: string; stored: number; alreadyPresent: number; failed: string[] }
  | { kind: 'error'; error: AppError; pacs?: string };

/** What tells the study's SRs apart on their "Restore" buttons (read once, cached). */
type SrLabel = { ok: true; contentTime: string | null; observer: string; lesions: number; measurements: number } | { ok: false; message: string };
/** A restore waiting for the reader's word: lesions of this SR the session already holds. */
type RestoreConfirm = { object: OtherObject; labels: string[]; total: number };

/**
 * DICOM exports of the Report tab (issue 16): "Export DICOM SR" (TID 1500, every lesion and
 * measurement of the session with the report's scores and reasons), "Export encapsulated PDF"
 * (the report PDF in the CT's study), both saved through host.saveExport as application/dicom;
 * and, when the open study holds an SR about this series, "Restore measurements from SR".
 *
 * "Store in the PACS" sends the same two objects by STOW-RS (host.pacs.store) into the CT's study.
 *
 * Each "Restore" button says which SR it is (content date and time, reader, lesion and measurement
 * counts); restoring lesions the session already holds (same tracking UID: restored before, or
 * measured here) asks first.
 *
 * Test ids: dicom-exports, dicom-export-sr, dicom-export-pdf, dicom-store-pacs, dicom-restore-sr (data-sop-instance-uid,
 * data-ready), dicom-disabled-reason (why the SR / PACS buttons are disabled), dicom-restore-confirm (data-all) with dicom-restore-confirm-yes / -no, dicom-status (data-kind, data-code).
 */
export function DicomExports({ report }: { report: Report | null }) {
  const { t, i18n } = useTranslation('dicom');
  const shell = useShell();
  const s = useSession();
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [busy, setBusy] = useState(false);
  const seriesUid = s.session?.seriesInstanceUid ?? null;
  useEffect(() => setStatus({ kind: 'idle' }), [seriesUid]);
  const srObjects = srObjectsFor(shell.scan, shell.study, shell.series);
  const [labels, setLabels] = useState<Record<string, SrLabel>>({});
  const [confirm, setConfirm] = useState<RestoreConfirm | null>(null);
  useEffect(() => setConfirm(null), [seriesUid]);
  const srKey = srObjects.map((o) => o.fileId).join('|');
  useEffect(() => {
    const { study, series } = shell;
    if (!study || !series) return;
    let live = true;
    for (const o of srObjects) {
      void readSrObjectCached(shell.host, o, study, series).then((r) => {
        if (!live) return;
        const label: SrLabel = r.ok
          ? { ok: true, contentTime: r.value.source.contentTime, observer: r.value.source.observer, ...(({ lesions, measurements }) => ({ lesions, measurements }))(restoreSummary(r.value)) }
          : { ok: false, message: errorText(t, r.error) };
        setLabels((old) => ({ ...old, [o.sopInstanceUid]: label }));
      });
    }
    return () => {
      live = false;
    };
    // srKey stands for srObjects (a new array each render).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [srKey, shell.study, shell.series, shell.host]);

  const run = async (work: () => Promise<Status>) => {
    // Another action answers a pending "restore again?" question with no.
    setConfirm(null);
    setBusy(true);
    try {
      setStatus(await work());
    } catch (e) {
      setStatus({ kind: 'error', error: asAppError(e) });
    } finally {
      setBusy(false);
    }
  };

  const save = async (name: string, bytes: Uint8Array): Promise<Status> => {
    const r = await shell.host.saveExport(name, 'application/dicom', bytes);
    return r.saved ? { kind: 'saved', name: r.location ?? name } : { kind: 'cancelled' };
  };

  /** The SR of this report: the file export and the PACS store write the same object. */
  const srOf = (r: Report, session: Session, context: StudyContext) => {
    // Reasons in the report's language, as the PDF words them.
    const fixed = i18next.getFixedT(r.language);
    const texts = makeTexts((k, o) => String(fixed(k, o as never)), r.language);
    return dicomSrBytes({ session, report: r, context, reasonText: texts.reason });
  };
  const pdfOf = async (r: Report, context: StudyContext) => encapsulatedPdfBytes(r, await reportPdfBytes(r), context, t('pdfTitle'));

  const exportSr = () =>
    run(async () => {
      const session = getSessionState().session;
      if (!report || !session) return { kind: 'idle' };
      const context = await seriesContext(shell.host, shell.series);
      if (!context.ok) return { kind: 'error', error: context.error };
      return save(dicomFileName(report, 'sr'), srOf(report, session, context.value));
    });

  const exportPdf = () =>
    run(async () => {
      if (!report) return { kind: 'idle' };
      const context = await seriesContext(shell.host, shell.series);
      if (!context.ok) return { kind: 'error', error: context.error };
      return save(dicomFileName(report, 'pdf'), await pdfOf(report, context.value));
    });

  /** Issue 16: the SR and the encapsulated PDF, built as for the files, stored together by STOW-RS. */
  const storeInPacs = () =>
    run(async () => {
      const session = getSessionState().session;
      if (!report || !session) return { kind: 'idle' };
      const settings = await shell.host.pacs.getSettings();
      if (!settings.settings) return { kind: 'error', error: { code: 'PACS_NOT_CONFIGURED', message: t('pacsNotConfigured') } };
      const context = await seriesContext(shell.host, shell.series);
      if (!context.ok) return { kind: 'error', error: context.error };
      const sr = srOf(report, session, context.value);
      const pdf = await pdfOf(report, context.value);
      let outcome: Awaited<ReturnType<typeof shell.host.pacs.store>>;
      try {
        outcome = await shell.host.pacs.store([sr, pdf]);
      } catch (e) {
        // PACS_AUTH, PACS_UNREACHABLE …: said with the PACS's name, in the UI's language.
        return { kind: 'error', error: asAppError(e), pacs: settings.settings.name };
      }
      return {
        kind: 'stored',
        pacs: settings.settings.name,
        stored: outcome.stored.length,
        alreadyPresent: outcome.alreadyPresent.length,
        failed: outcome.failed.map((f) => f.reason),
      };
    });

  const restore = (object: OtherObject, confirmed = false) =>
    run(async () => {
      if (!shell.study || !shell.series) return { kind: 'idle' };
      const read = await readSrObjectCached(shell.host, object, shell.study, shell.series);
      // Its English message kept: the status line words it by its code (and keeps it as details).
      if (!read.ok) return { kind: 'error', error: read.error };
      const session = getSessionState().session;
      // Lesions this session already holds (restored before, or measured here): asked first.
      const held = session ? alreadyInSession(read.value, session, shell.study.studyInstanceUid) : [];
      if (held.length && !confirmed) {
        setConfirm({ object, labels: held.map((l) => l.lesion.label), total: read.value.lesions.length });
        return { kind: 'idle' };
      }
      const heldUids = new Set(held.map((l) => l.trackingUid));
      const boneAxis = session?.boneAxis ?? null;
      let last: string | null = null;
      // One undo step for the whole restore: every add carries the same coalescing key.
      const coalesceKey = newId('restore-sr');
      // New ids: restoring the same SR twice adds its lesions twice, never merges into others.
      for (const l of read.value.lesions) {
        const lesionId = newId('lesion');
        // The SR's lesion keeps its tracking UID; one added again is a new lesion with its own.
        const trackingUid = heldUids.has(l.trackingUid) ? {} : { trackingUid: l.trackingUid };
        dispatch({ type: 'addLesion', lesion: { ...l.lesion, id: lesionId, thresholdHu: l.thresholdHu, ...trackingUid }, coalesceKey });
        for (const m of l.measurements) {
          const points = l.lengthPointsMm[m.id];
          dispatch({ type: 'addMeasurement', measurement: { ...m, id: newId('m'), lesionId }, ...(points ? { drawing: lengthDrawing(points, boneAxis, { choice: l.offAxisChoices[m.id] ?? null, valueMm: m.value }) } : {}), coalesceKey });
        }
        last = lesionId;
      }
      if (last) setActiveLesion(last);
      return { kind: 'restored', ...restoreSummary(read.value) };
    });

  // Why a button is disabled, said under the buttons and as their tooltip (not while busy: that passes).
  const pdfWhyNot = !shell.series ? t('disabled.noSeries') : null;
  const srWhyNot = pdfWhyNot ?? (!s.session?.lesions.length ? t('disabled.noLesion') : null);

  return (
    <div className="section" data-testid="dicom-exports">
      <div className="row">
        <button className="btn" data-testid="dicom-export-sr" disabled={!report || busy || !!srWhyNot} title={srWhyNot ?? undefined} onClick={() => void exportSr()}>
          {t('exportSr')}
        </button>
        <button className="btn" data-testid="dicom-export-pdf" disabled={!report || busy || !!pdfWhyNot} title={pdfWhyNot ?? undefined} onClick={() => void exportPdf()}>
          {t('exportPdf')}
        </button>
        <button className="btn" data-testid="dicom-store-pacs" disabled={!report || busy || !!srWhyNot} title={srWhyNot ?? undefined} onClick={() => void storeInPacs()}>
          {t('storePacs')}
        </button>
      </div>
      {srWhyNot && (
        <p className="muted small" data-testid="dicom-disabled-reason">
          {srWhyNot}
        </p>
      )}
      {srObjects.length > 0 && (
        <div className="row">
          {srObjects.map((o) => {
            const label = labels[o.sopInstanceUid];
            return (
              <button
                key={o.sopInstanceUid}
                className="btn"
                data-testid="dicom-restore-sr"
                data-sop-instance-uid={o.sopInstanceUid}
                data-ready={label ? 'true' : 'false'}
                title={`SOP Instance UID ${o.sopInstanceUid}`}
                disabled={busy}
                onClick={() => void restore(o)}
              >
                {restoreLabel(t, i18n.language, label)}
              </button>
            );
          })}
        </div>
      )}
      {confirm && (
        <div className="warn" role="alertdialog" data-testid="dicom-restore-confirm" data-all={String(confirm.labels.length === confirm.total)}>
          <b>{confirm.labels.length === confirm.total ? t('restoreAgain.all', { count: confirm.total }) : t('restoreAgain.some', { count: confirm.labels.length, total: confirm.total })}</b>
          <div>{confirm.labels.join(', ')}</div>
          <button className="btn" data-testid="dicom-restore-confirm-yes" onClick={() => void restore(confirm.object, true)}>
            {t('restoreAgain.yes')}
          </button>{' '}
          <button className="btn" data-testid="dicom-restore-confirm-no" onClick={() => setConfirm(null)}>
            {t('restoreAgain.no')}
          </button>
        </div>
      )}
      <StatusLine status={status} />
    </div>
  );
}

/** "Restore from the SR of 7 Dec 2026, 08:30 by AB — 1 lesion(s), 3 measurements". */
function restoreLabel(t: (k: string, o?: Record<string, unknown>) => string, language: string, label: SrLabel | undefined): string {
  if (!label) return t('restoreSr');
  if (!label.ok) return t('restoreSrUnreadable', { message: label.message });
  const date = label.contentTime ? new Date(label.contentTime) : null;
  const when = date && !Number.isNaN(date.getTime()) ? new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(date) : t('restoreSrUnknownTime');
  return t('restoreSrFrom', { when, observer: label.observer || t('restoreSrNoReader'), lesions: label.lesions, count: label.measurements });
}

/** A rejection (a coded HostError, or anything else) as a coded error. */
function asAppError(e: unknown): AppError {
  const error = e && typeof e === 'object' && 'message' in e ? (e as AppError) : { code: 'EXPORT_FAILED', message: String(e) };
  return { code: error.code ?? 'EXPORT_FAILED', message: String(error.message) };
}

function StatusLine({ status }: { status: Status }) {
  const { t } = useTranslation('dicom');
  if (status.kind === 'idle') return null;
  if (status.kind === 'error') {
    // Host and PACS errors come with English messages: said in the UI's language by their code,
    // the original kept (tooltip and details) for support.
    const original = status.error.message;
    const message = errorText(t, status.error, status.pacs);
    return (
      <div className="error small" data-testid="dicom-status" data-kind="error" data-code={status.error.code} title={original}>
        {t('failed', { message })}
        {message !== original && (
          <details>
            <summary>{t('errorDetails')}</summary>
            <span data-testid="dicom-status-details">{original}</span>
          </details>
        )}
      </div>
    );
  }
  const text =
    status.kind === 'saved'
      ? t('saved', { name: status.name })
      : status.kind === 'cancelled'
        ? t('cancelled')
        : status.kind === 'stored'
          ? [
              t('storedPacs', { pacs: status.pacs, count: status.stored }),
              status.alreadyPresent ? t('alreadyInPacs', { count: status.alreadyPresent }) : '',
              status.failed.length ? t('storeFailedSome', { count: status.failed.length, reasons: status.failed.join('; ') }) : '',
            ]
              .filter(Boolean)
              .join(' ')
          : t('restored', { lesions: status.lesions, count: status.measurements });
  return (
    <p className="small" data-testid="dicom-status" data-kind={status.kind}>
      {text}
    </p>
  );
}
