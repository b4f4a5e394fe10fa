import { useTranslation } from 'react-i18next';
import { setActiveLesion, useSession } from '../state/session';
import { liveAssessment } from './lesionAssessment';
import { ResultView } from './ResultView';
import { useSeriesSession } from './useSeriesSession';
import './assess.css';

/**
 * The recommendation of every lesion in full: level, reasons with sources, criteria table,
 * caveats, radiotherapy options, post-operative radiotherapy. Test ids: reco-panel,
 * reco-lesion (data-lesion-id, data-active), reco-incomplete-form, and ResultView's reco-*.
 */
export function RecommendationPanel() {
  useSeriesSession();
  const { t } = useTranslation(['assess', 'rules']);
  const s = useSession();
  const session = s.session;
  if (!session || session.lesions.length === 0) return <p className="muted" data-testid="reco-panel">{t('assess:noLesion')}</p>;
  const active = session.lesions.find((l) => l.id === s.activeLesionId) ?? session.lesions[0];
  const live = liveAssessment(session, active);
  return (
    <div className="reco-panel" data-testid="reco-panel">
      <div className="row">
        <select data-testid="reco-lesion-select" value={active.id} onChange={(e) => setActiveLesion(e.target.value)}>
          {session.lesions.map((l, i) => (
            <option key={l.id} value={l.id}>
              {[l.label || t('assess:lesionLabel', { index: i + 1 }), l.bone].filter(Boolean).join(' — ')}
            </option>
          ))}
        </select>
      </div>
      <div data-testid="reco-lesion" data-lesion-id={active.id}>
        {live.result ? (
          <ResultView result={live.result} />
        ) : (
          <p className="missing" data-testid="reco-incomplete-form">
            {t('assess:result.missing')}: {[...live.eff.formMissing.map((k) => t(`assess:field.${k}`)), ...live.errors.map((e) => e.message)].join(', ')}
          </p>
        )}
      </div>
      <p className="muted small">{t('rules:disclaimer')}</p>
    </div>
  );
}
