/**
 * "RT structures" (issue 17): the structure sets found with the series — refused ones with the
 * reason, usable ones with their problems (missing images, contours between slices …) and the
 * ROI list (colour, name, type, number of contours, a toggle each); per lesion, which structures
 * cover the measured cortical region and the seed; and the lesion exported as an RTSTRUCT.
 *
 * Test ids: rt-panel, rt-empty, rt-loading, rt-set (data-file, data-usable), rt-set-title (label —
 * date time; the file in the title), rt-issue (data-code, data-severity; UIDs in the title), rt-error (data-code), rt-roi (data-roi, data-name), rt-roi-toggle, rt-coverage,
 * rt-coverage-row (data-roi, data-arc, data-region, data-seed), rt-export (disabled while an
 * export runs), rt-export-result (data-code on failure: rt.export-failed, EXPORT_WRITE_FAILED …). Test hook (?test=1): window.frwRt = { state(), setVisible(file, roi, on) }.
 */
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../shared/errors';
import { RT_ERROR } from '../../shared/rt/codes';
import { buildLesionRtStruct, lesionExportName } from '../../shared/rt/exportRtStruct';
import { toAppError } from '../host/browserHost';
import { structureSetName } from '../../shared/rt/structureSetName';
import type { RtIssue } from '../../shared/schemas/rt';
import { useSession } from '../state/session';
import { readCtStudyFields } from '../../shared/rt/ctStudyFields';
import { useShownAnalysis } from '../analysis/AnalysisPanel';
import { useShell } from '../ui/shellContext';
import { structureCoverageNow } from './coverageNow';
import { coverageText } from './coverageText';
import { issueText } from './issueText';
import { planningCtRefOf } from '../../shared/rt/planningRef';
import { setRoiVisible, useRtState, type RtEntry } from './rtStore';
import { useRtLoader } from './useRtLoader';

const rgb = (c: [number, number, number]) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;

/** An issue in the UI's language when its code has a sentence (values from its params), else its English message. */
function IssueText({ issue }: { issue: Pick<RtIssue, 'code' | 'message' | 'params'> }) {
  const { t, i18n } = useTranslation('rt');
  const text = issueText(issue, (k, o) => String(t(k, o as never)), (k) => i18n.exists(k));
  return text !== null ? <>{text}</> : <span lang="en">{issue.message}</span>;
}

function SetView({ entry, ambiguous }: { entry: RtEntry; ambiguous: boolean }) {
  const { t } = useTranslation('rt');
  const usable = !!entry.check?.usable;
  // Named by its Structure Set Label, date and time; the file name ('1.dcm', 'RS.1.2.246….dcm') only as the tooltip, or when there is no label.
  const name = structureSetName(entry.rt, entry.file);
  return (
    <section className="rt-set" data-testid="rt-set" data-file={entry.file} data-usable={usable}>
      <h4 data-testid="rt-set-title" title={t('setFile', { file: name.file })}>
        {name.title}
        {name.when ? <span className="muted"> — {name.when}</span> : null}
        {/* Two sets with the same label and time (rt-utils' mock data): the file tells them apart. */}
        {ambiguous && name.title !== name.file ? <span className="muted small"> · {name.file}</span> : null}
      </h4>
      {entry.error && (
        <p className="warn small" data-testid="rt-error" data-code={entry.error.code} title={entry.error.message}>
          <IssueText issue={{ code: entry.error.code, message: entry.error.message }} />
        </p>
      )}
      {entry.check?.issues.map((i) => (
        <p key={`${i.code}:${i.message}`} className={i.severity === 'error' ? 'warn small' : 'muted small'} data-testid="rt-issue" data-code={i.code} data-severity={i.severity} title={i.details}>
          <IssueText issue={i} />
        </p>
      ))}
      {entry.rt && (
        <table className="rt-rois">
          <thead>
            <tr>
              <th>{t('show')}</th>
              <th>{t('roi')}</th>
              <th>{t('type')}</th>
              <th>{t('contours')}</th>
            </tr>
          </thead>
          <tbody>
            {entry.rt.rois.map((r) => (
              <tr key={r.number} data-testid="rt-roi" data-roi={r.number} data-name={r.name}>
                <td>
                  <input
                    type="checkbox"
                    data-testid="rt-roi-toggle"
                    disabled={!usable}
                    checked={usable && !entry.hidden.includes(r.number)}
                    onChange={(e) => setRoiVisible(entry.sopInstanceUid, r.number, e.target.checked)}
                    aria-label={t('toggle', { name: r.name })}
                  />
                </td>
                <td>
                  <span className="rt-swatch" style={{ background: rgb(r.color) }} title={r.colorSource === 'palette' ? t('paletteColour') : t('dicomColour')} /> {r.name}
                </td>
                <td>{r.interpretedType || '—'}</td>
                <td>{r.contours.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function CoverageView() {
  const { t } = useTranslation('rt');
  const analysis = useShownAnalysis();
  const rt = useRtState();
  const rows = useMemo(() => (analysis ? structureCoverageNow(analysis, rt) : []), [analysis, rt]);
  if (!analysis) return <p className="muted small">{t('coverageNeedsAnalysis')}</p>;
  if (!rows.length) return <p className="muted small">{t('coverageNone')}</p>;
  return (
    <ul className="rt-coverage" data-testid="rt-coverage">
      {rows.map((c) => (
        <li key={`${c.file}:${c.roiNumber}`} data-testid="rt-coverage-row" data-roi={c.roiName} data-arc={c.involvedArcPercent?.toFixed(1) ?? ''} data-region={c.involvedRegionPercent?.toFixed(1) ?? ''} data-seed={c.seedInside}>
          {coverageText(c, (k, o) => String(t(k, o as never)))}
        </li>
      ))}
    </ul>
  );
}

/** The lesion an export is for: the active one (where Accept puts the analysis), else the one Accept would create. */
function exportLesion(s: ReturnType<typeof useSession>): { number: number; label: string } {
  const lesions = s.session?.lesions ?? [];
  const i = lesions.findIndex((l) => l.id === s.activeLesionId);
  return i >= 0 ? { number: i + 1, label: lesions[i].label } : { number: lesions.length + 1, label: '' };
}

/** An export error in the UI's language where its code (and field) has a sentence; else the message, marked English. */
function ExportError({ error }: { error: AppError }) {
  const { t, i18n } = useTranslation('rt');
  const key = error.code === RT_ERROR.EXPORT ? `exportError.${error.field ?? 'other'}` : `exportError.${error.code}`;
  const text = i18n.exists(`rt:${key}`) ? t(key, { file: error.file ?? '' }) : '';
  return (
    <p className="warn small" data-testid="rt-export-result" data-code={error.code} title={error.message}>
      {text || <span lang="en">{error.message}</span>}
    </p>
  );
}

function ExportButton() {
  const { t } = useTranslation('rt');
  const analysis = useShownAnalysis();
  const { host, study, series } = useShell();
  const session = useSession();
  const [result, setResult] = useState<{ ok: true; text: string } | { ok: false; error: AppError } | null>(null);
  const [busy, setBusy] = useState(false);
  // The ref guards a second click that arrives before React re-renders the disabled button (one save dialog only).
  const busyRef = useRef(false);
  if (!analysis || !study || !series) return null;
  const lesion = exportLesion(session);
  const build = async (): Promise<{ ok: true; text: string } | { ok: false; error: AppError } | null> => {
    const first = series.instances[0]?.fileId;
    const studyFields = first ? readCtStudyFields(new Uint8Array(await host.readFile(first).catch(() => new ArrayBuffer(0)))) : {};
    const ref = planningCtRefOf(study, series, studyFields);
    if (!ref) return { ok: false, error: { code: RT_ERROR.EXPORT, message: t('exportNoGeometry'), field: 'geometry' } };
    const names = lesionExportName(lesion.number, lesion.label);
    const built = buildLesionRtStruct(analysis, ref, { label: names.label });
    if (!built.ok) return { ok: false, error: built.error };
    const saved = await host.saveExport(names.fileName, 'application/dicom', built.value.bytes);
    return saved.saved ? { ok: true, text: t('exported', { file: saved.location ?? names.fileName, rois: built.value.rois.map((r) => `${r.name} (${r.contours})`).join(', ') }) } : null;
  };
  const exportNow = async () => {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    setResult(null);
    try {
      setResult(await build());
    } catch (e) {
      // A refused write (EXPORT_WRITE_FAILED …) is shown here, never left as an unhandled rejection.
      setResult({ ok: false, error: toAppError(e, 'EXPORT_WRITE_FAILED') });
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  };
  return (
    <div>
      <button className="btn" data-testid="rt-export" disabled={busy} aria-busy={busy} onClick={() => void exportNow()}>
        {busy ? t('exporting') : t('export')}
      </button>
      {result && (result.ok ? (
        <p className="muted small" data-testid="rt-export-result" data-code="">
          {result.text}
        </p>
      ) : (
        <ExportError error={result.error} />
      ))}
    </div>
  );
}

const headingKey = (e: RtEntry) => {
  const n = structureSetName(e.rt, e.file);
  return `${n.title}\u0000${n.when ?? ''}`;
};

export function RtPanel() {
  const { t } = useTranslation('rt');
  useRtLoader();
  const rt = useRtState();
  const { series } = useShell();
  return (
    <div className="rt-panel" data-testid="rt-panel">
      <p className="muted small">{series?.kind === 'dosimetric' ? t('introPlanning') : t('intro')}</p>
      {rt.loading && <p data-testid="rt-loading">{t('loading')}</p>}
      {!rt.loading && rt.entries.length === 0 && (
        <p className="muted" data-testid="rt-empty">
          {t('none')}
        </p>
      )}
      {rt.entries.map((e) => (
        <SetView key={e.sopInstanceUid} entry={e} ambiguous={rt.entries.filter((o) => headingKey(o) === headingKey(e)).length > 1} />
      ))}
      <h4>{t('coverageTitle')}</h4>
      <CoverageView />
      <ExportButton />
    </div>
  );
}
