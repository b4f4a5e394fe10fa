import { useTranslation } from 'react-i18next';
import { SOURCES, sourceCitation } from '../../shared/rules';
import type { AssessmentResult } from '../../shared/schemas/assessment';
import { makeTexts } from '../report/texts';

/**
 * The rule engine's result for one lesion: level, CT confirmation, scores, what is missing,
 * every reason with its source, the criteria table, caveats, radiotherapy options and the
 * post-operative radiotherapy note. Test ids: reco-level (data-level), reco-ct-confirmed,
 * reco-mirels, reco-sins, reco-missing, reco-reason (data-code), reco-criterion (data-id,
 * data-status), reco-caveat (data-code), reco-rt-option (data-id), reco-postop.
 */
export function ResultView({ result, compact = false }: { result: AssessmentResult; compact?: boolean }) {
  const { t, i18n } = useTranslation(['assess', 'rules', 'report']);
  const lang = (i18n.resolvedLanguage ?? i18n.language) === 'en' ? 'en' : 'fr';
  const x = makeTexts((k, o) => String(t(k, o as never)), lang);
  const cite = (id: string) => (id in SOURCES ? sourceCitation(id) : id);
  return (
    <div className="result">
      <div className={`level level-${result.level}`} data-testid="reco-level" data-level={result.level}>
        {x.level(result.level)}
      </div>
      {result.mirels && (
        <div className="score-line">
          <span data-testid="reco-mirels" data-score={result.mirels.score}>
            {t('assess:result.mirels', { score: result.mirels.score })}
          </span>
          {' · '}
          <span data-testid="reco-ct-confirmed" data-confirmed={String(result.ctConfirmed)}>
            {result.ctConfirmed ? t('assess:result.ctConfirmed') : t('assess:result.notCtConfirmed')}
          </span>
        </div>
      )}
      {result.sins && (
        <div className="score-line" data-testid="reco-sins" data-score={result.sins.score}>
          {t('assess:result.sins', { score: result.sins.score })} — {x.sinsBand(result.sins.band)}
        </div>
      )}
      {result.missing.length > 0 && (
        <div className="missing" data-testid="reco-missing">
          {t('assess:result.missing')}: {result.missing.map(x.missingItem).join(', ')}
        </div>
      )}
      <h4>{t('assess:result.reasons')}</h4>
      <ul className="reasons">
        {result.reasons.map((r, i) => (
          <li key={i} data-testid="reco-reason" data-code={r.code}>
            {x.reason(r)}
            {/* The short label (author year); the full citation on hover and in Definitions and sources. */}
            <div className="source" title={cite(r.source)}>
              {x.sourceShort(r.source)}
            </div>
          </li>
        ))}
      </ul>
      {!compact && (
        <>
          {result.criteria.length > 0 && (
            <>
              <h4>{t('assess:result.criteria')}</h4>
              <table className="criteria">
                <thead>
                  <tr>
                    <th>{t('assess:result.criterion')}</th>
                    <th>{t('assess:result.status')}</th>
                    <th>{t('assess:result.valueVsThreshold')}</th>
                    <th>{t('assess:result.source')}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.criteria.map((c) => (
                    <tr key={c.id} data-testid="reco-criterion" data-id={c.id} data-status={c.status} className={`status-${c.status}`}>
                      <td>
                        {x.criterion(c.id)}
                        {c.informational ? <span className="tag">{t('assess:result.informational')}</span> : null}
                        {c.decisive ? <span className="tag decisive">{t('assess:result.decisive')}</span> : null}
                      </td>
                      <td>{x.status(c.status)}</td>
                      <td>{x.criterionValue(c)}</td>
                      <td className="source" title={cite(c.source)} data-source={c.source}>
                        {x.sourceShort(c.source)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {result.sins?.vertebroplastyContraindications && result.sins.vertebroplastyContraindications.length > 0 && (
            <div className="missing">
              {t('assess:result.contraindicationsList', {
                list: result.sins.vertebroplastyContraindications.map((f) => String(t(`rules:vertebroplastyFlags.${f}`, { defaultValue: f }))).join(', '),
              })}
            </div>
          )}
          {result.postOperativeRadiotherapy && (
            <>
              <h4>{t('assess:result.postOp')}</h4>
              <p data-testid="reco-postop">
                {x.reason(result.postOperativeRadiotherapy)} <span className="source">{cite(result.postOperativeRadiotherapy.source)}</span>
              </p>
            </>
          )}
          {result.radiotherapyOptions.length > 0 && (
            <>
              <h4>{t('assess:result.radiotherapy')}</h4>
              <ul>
                {result.radiotherapyOptions.map((o) => (
                  <li key={o.id} data-testid="reco-rt-option" data-id={o.id}>
                    {x.radiotherapy(o)}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h4>{t('assess:result.caveats')}</h4>
          <ul className="caveats">
            {result.caveats.map((c, i) => (
              <li key={i} data-testid="reco-caveat" data-code={c.code}>
                {x.caveat(c)}{' '}
                <span className="source" title={cite(c.source)}>
                  [{x.sourceShort(c.source)}]
                </span>
              </li>
            ))}
          </ul>
          <p className="muted small">
            {t('assess:definitions.rulesVersion', { version: result.rulesVersion })} · {t('assess:result.disclaimer')}
          </p>
        </>
      )}
    </div>
  );
}
