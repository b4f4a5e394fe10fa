/**
 * Left column: what the scan found. Per study the patient, date and description; per series
 * the slice count, slice thickness, kernel, diagnostic / dosimetric badge, measurable or why
 * not, and its warnings; then the RT objects, and finally every file that could not be read
 * (errors) or was not DICOM (skipped), each with its message — nothing found goes unmentioned.
 *
 * Test ids: study-browser, study, patient-name, study-date, series-item (data-series-uid,
 * data-selected, data-kind, data-measurable), series-slices, series-thickness, series-kernel,
 * series-badge, series-measurable, series-warning (data-code, data-blocking = a reason it is not
 * measurable), other-object, scan-errors,
 * scan-error (data-code, data-file), scan-skipped, skipped-file, scan-summary, scan-empty,
 * errors-show-all, skipped-show-all (long lists show their start until pressed).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScanResult, Series, Study } from '../../shared/schemas/scan';
import { displayDicomDate, displayPersonName, formatMm } from './select';

function SeriesItem(props: { series: Series; selected: boolean; onSelect: () => void }) {
  const { t, i18n } = useTranslation('study');
  const s = props.series;
  const thickness = formatMm(s.sliceThicknessMm, i18n.language);
  const spacing = formatMm(s.sliceSpacingMm, i18n.language);
  return (
    <li
      className={props.selected ? 'series selected' : 'series'}
      data-testid="series-item"
      data-series-uid={s.seriesInstanceUid}
      data-selected={props.selected}
      data-kind={s.kind}
      data-measurable={s.measurable}
    >
      <button className="series-button" onClick={props.onSelect} aria-pressed={props.selected} title={s.description}>
        <div className="series-head">
          <span className="modality">{s.modality}</span>
          <span className="series-desc">
            {s.seriesNumber !== null ? `#${s.seriesNumber} ` : ''}
            {s.description || t('noDescription')}
          </span>
          {/* "Diagnostic / dosimetric" qualifies a CT; on an MR or an unknown modality it would read as "diagnostic CT". */}
          {s.modality === 'CT' && (
            <span className={`badge ${s.kind}`} data-testid="series-badge" title={t(`kindHelp.${s.kind}`)}>
              {t(`kind.${s.kind}`)}
            </span>
          )}
        </div>
        <div className="series-facts">
          <span data-testid="series-slices">{t('slices', { count: s.instanceCount })}</span>
          {thickness !== null && <span data-testid="series-thickness">{t('thickness', { mm: thickness })}</span>}
          {spacing !== null && spacing !== thickness && <span data-testid="series-spacing">{t('spacing', { mm: spacing })}</span>}
          {s.rows !== null && s.columns !== null && (
            <span data-testid="series-matrix">
              {s.columns}×{s.rows}
            </span>
          )}
          {s.convolutionKernel && <span data-testid="series-kernel">{t('kernel', { kernel: s.convolutionKernel })}</span>}
          {s.transferSyntaxName && <span className="muted" data-testid="series-syntax">{s.transferSyntaxName}</span>}
        </div>
        <div className={s.measurable ? 'measurable yes' : 'measurable no'} data-testid="series-measurable">
          {s.measurable ? t('measurable') : t('notMeasurable')}
        </div>
      </button>
      {s.warnings.length > 0 && (
        <ul className="warnings">
          {s.warnings.map((w, i) => {
            // The warnings that make the series unusable for measurement come first in the reader's eye.
            const blocking = (s.notMeasurableReasons ?? []).some((r) => r.code === w.code && r.message === w.message);
            return (
              <li key={i} className={blocking ? 'blocking' : undefined} data-testid="series-warning" data-code={w.code} data-blocking={blocking}>
                <CodedMessage code={w.code} message={w.message} />
              </li>
            );
          })}
        </ul>
      )}
    </li>
  );
}

function StudyItem(props: { study: Study; selectedUid: string | null; onSelect: (uid: string) => void }) {
  const { t, i18n } = useTranslation('study');
  const st = props.study;
  return (
    <section className="study" data-testid="study" data-study-uid={st.studyInstanceUid}>
      <header className="study-head">
        <div className="patient" data-testid="patient-name">
          {displayPersonName(st.patientName) || t('unknownPatient')}
          {st.patientId && <span className="muted"> · {st.patientId}</span>}
        </div>
        <div className="study-line">
          <span data-testid="study-date">{st.studyDate ? displayDicomDate(st.studyDate, i18n.language) : t('noDate')}</span>
          {st.studyDescription && <span> · {st.studyDescription}</span>}
        </div>
      </header>
      <ul className="series-list">
        {st.series.map((s) => (
          <SeriesItem
            key={s.seriesInstanceUid}
            series={s}
            selected={s.seriesInstanceUid === props.selectedUid}
            onSelect={() => props.onSelect(s.seriesInstanceUid)}
          />
        ))}
      </ul>
      {st.otherObjects.length > 0 && (
        <ul className="other-objects">
          {st.otherObjects.map((o) => (
            <li key={o.sopInstanceUid + o.fileId} data-testid="other-object" data-modality={o.modality}>
              <span className="modality">{o.modality}</span> <span className="file">{o.file}</span>
              {o.referencedSeriesInstanceUids.length > 0 && <span className="muted"> · {t('linked')}</span>}
              {o.warnings.map((w, i) => (
                <div key={i} className="warning" data-testid="series-warning" data-code={w.code}>
                  <CodedMessage code={w.code} message={w.message} />
                </div>
              ))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Long lists (a folder full of non-DICOM files) show their start and a button for the rest. */
const ERRORS_SHOWN = 50;
const SKIPPED_SHOWN = 20;

function ShowAll(props: { hidden: number; onClick: () => void; testId: string }) {
  const { t } = useTranslation('study');
  if (props.hidden <= 0) return null;
  return (
    <button className="btn small show-all" data-testid={props.testId} onClick={props.onClick}>
      {t('showAll', { count: props.hidden })}
    </button>
  );
}

export function StudyBrowser(props: { scan: ScanResult | null; selectedUid: string | null; onSelect: (uid: string) => void }) {
  const { t } = useTranslation('study');
  const scan = props.scan;
  const [allErrors, setAllErrors] = useState(false);
  const [allSkipped, setAllSkipped] = useState(false);
  useEffect(() => {
    setAllErrors(false);
    setAllSkipped(false);
  }, [scan]);
  if (!scan) {
    return (
      <nav className="study-browser" data-testid="study-browser">
        <p className="muted" data-testid="scan-empty">
          {t('nothingOpen')}
        </p>
      </nav>
    );
  }
  const seriesCount = scan.studies.reduce((n, s) => n + s.series.length, 0);
  return (
    <nav className="study-browser" data-testid="study-browser" aria-label={t('title')}>
      <p className="scan-summary muted" data-testid="scan-summary">
        {[
          t('summaryStudies', { count: scan.studies.length }),
          t('summarySeries', { count: seriesCount }),
          t('summaryErrors', { count: scan.errors.length }),
          t('summarySkipped', { count: scan.skipped.length }),
        ].join(' · ')}
      </p>
      {scan.studies.length === 0 && (
        <p className="warning" data-testid="scan-empty">
          {t('noDicom')}
        </p>
      )}
      {scan.studies.map((st) => (
        <StudyItem key={st.studyInstanceUid} study={st} selectedUid={props.selectedUid} onSelect={props.onSelect} />
      ))}
      {scan.errors.length > 0 && (
        <section className="scan-errors" data-testid="scan-errors">
          <h3>{t('errors', { count: scan.errors.length })}</h3>
          <ul>
            {(allErrors ? scan.errors : scan.errors.slice(0, ERRORS_SHOWN)).map((e, i) => (
              <li key={i} data-testid="scan-error" data-code={e.code} data-file={e.file}>
                <div className="file">{e.file}</div>
                <div>
                  <CodedMessage code={e.code} message={e.message} />
                </div>
              </li>
            ))}
          </ul>
          {!allErrors && <ShowAll hidden={scan.errors.length - ERRORS_SHOWN} onClick={() => setAllErrors(true)} testId="errors-show-all" />}
        </section>
      )}
      {scan.skipped.length > 0 && (
        <section className="scan-skipped" data-testid="scan-skipped">
          <h3>{t('skipped', { count: scan.skipped.length })}</h3>
          <ul>
            {(allSkipped ? scan.skipped : scan.skipped.slice(0, SKIPPED_SHOWN)).map((s, i) => (
              <li key={i} data-testid="skipped-file" data-file={s.file}>
                <span className="file">{s.file}</span> — <SkippedReason reason={s.reason} />
              </li>
            ))}
          </ul>
          {!allSkipped && <ShowAll hidden={scan.skipped.length - SKIPPED_SHOWN} onClick={() => setAllSkipped(true)} testId="skipped-show-all" />}
        </section>
      )}
    </nav>
  );
}

/**
 * A scanner warning or error: its code, a headline in the UI language (study:codes.<CODE>) and the
 * scanner's own message (English, with the specifics: counts, positions, tags) as the detail.
 */
function CodedMessage({ code, message }: { code: string; message: string }) {
  const { t } = useTranslation('study');
  const headline = String(t(`codes.${code}`, { defaultValue: '' }));
  return (
    <>
      <span className="code">{code}</span> {headline ? <b className="headline">{headline}</b> : null}
      {headline ? ' — ' : null}
      <span className="detail" lang="en">
        {message}
      </span>
    </>
  );
}

/** Why a file was skipped, in the UI language for the reasons the scanner gives (its text as the detail). */
function SkippedReason({ reason }: { reason: string }) {
  const { t } = useTranslation('study');
  const kind = reason.startsWith('not DICOM') ? 'notDicom' : reason.startsWith('same file as') ? 'link' : reason === 'not a regular file' ? 'notRegular' : null;
  if (!kind) return <span lang="en">{reason}</span>;
  return (
    <>
      <b>{t(`skippedReason.${kind}`)}</b>{' '}
      <span className="detail" lang="en">
        ({reason})
      </span>
    </>
  );
}
