import { useTranslation } from 'react-i18next';
import type { Report } from '../../shared/schemas/report';
import { displayPersonName } from '../study/select';
import { formatDicomDate, formatTimestamp, provenanceText, scoreText, siteText } from './reportPdf';
import { makeTexts } from './texts';

/**
 * On-screen preview of the report model (the PDF says the same, drawn from the same model and
 * texts, in the report's own language). Test ids: report-preview (data-language, data-lesions),
 * report-preview-lesion (data-lesion-id, data-level), report-preview-value (data-quantity,
 * data-value, data-origin).
 */
export function ReportPreview({ report }: { report: Report }) {
  const { i18n } = useTranslation(['report', 'assess', 'rules']);
  const t = i18n.getFixedT(report.language);
  const x = makeTexts((k, o) => String(t(k, o as never)), report.language);
  return (
    <div className="section report-preview" data-testid="report-preview" data-language={report.language} data-lesions={report.lesions.length}>
      <h3>{t('report:export.preview')}</h3>
      <p className="small">
        {displayPersonName(report.patient.name) || '—'} · {report.patient.id || '—'} · {formatDicomDate(report.study.date)} · {t('report:field.reader')}: {report.reader || '—'} ·{' '}
        {formatTimestamp(report.generatedAt)} · {report.app.name} {report.app.version} · {t('report:field.rulesVersion')} {report.rulesVersion}
      </p>
      {report.lesions.length === 0 && <p className="muted">{t('report:noLesion')}</p>}
      {report.lesions.map((l, i) => (
        <div key={l.lesion.id} className="preview-lesion" data-testid="report-preview-lesion" data-lesion-id={l.lesion.id} data-level={l.result?.level ?? ''}>
          <h4>
            {i + 1}. {l.lesion.label || l.lesion.bone} — {siteText(l, x)} — {scoreText(l)}
          </h4>
          <div className="result">
            <div className={`level level-${l.result?.level ?? 'incomplete'}`}>
              {l.result ? x.level(l.result.level) : t('report:notRun', { items: l.formMissing.map(x.missingItem).join(', ') })}
            </div>
          </div>
          <table className="values">
            <tbody>
              {l.values.map((v) => (
                <tr key={v.quantity} data-testid="report-preview-value" data-quantity={v.quantity} data-value={v.value ?? ''} data-origin={v.origin}>
                  <td>{t(`assess:quantity.${v.quantity}`)}</td>
                  <td>{v.value === null ? '—' : `${x.number(v.value)} ${v.unit}`}</td>
                  <td className="muted small">
                    {v.origin === 'measured' || v.measuredValue !== null ? provenanceText(v, x) : t(`report:origin.${v.origin}`)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {l.keyImages.length > 0 && <p className="muted small">{t('report:export.keyImages', { count: l.keyImages.length })}</p>}
        </div>
      ))}
    </div>
  );
}
