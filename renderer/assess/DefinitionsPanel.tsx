import { useTranslation } from 'react-i18next';
import { RULES_VERSION, SOURCES, THRESHOLD_LIST } from '../../shared/rules';
import { CAVEAT_CODES, MIRELS_ACCURACY, AXIAL_LENGTH_ACCURACY } from '../../shared/rules/caveats';
import { comparatorText } from '../report/texts';
import './assess.css';

/**
 * "Definitions and sources", built from the rule engine's own tables (thresholds with their
 * sources, the sources' citations): what users read here is what the engine compares against.
 * Test ids: definitions-panel, definitions-measurement (data-id), definitions-threshold (data-id,
 * data-value), definitions-caveat (data-code), definitions-source (data-id).
 */
export function DefinitionsPanel() {
  const { t, i18n } = useTranslation(['assess', 'rules', 'report']);
  const fmt = new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'fr-FR', { maximumFractionDigits: 2, useGrouping: false });
  const caveatParams: Record<string, Record<string, number>> = {
    'mirels-accuracy': { ...MIRELS_ACCURACY.damron2016 },
    'mirels-accuracy-van-der-linden': { ...MIRELS_ACCURACY.vanDerLinden },
    'axial-length-accuracy': { ...AXIAL_LENGTH_ACCURACY.vanDerWal2020 },
  };
  return (
    <div className="definitions-panel" data-testid="definitions-panel">
      <h3>{t('assess:definitions.measurements')}</h3>
      <dl>
        {(['axialLengthMm', 'circumferentialPercent', 'axialPercent'] as const).map((q) => (
          <div key={q} data-testid="definitions-measurement" data-id={q}>
            <dt>{t(`assess:quantity.${q}`)}</dt>
            <dd>
              {t(`rules:measurements.${q}.definition`, { defaultValue: t(`report:definitionsText.${q}`) })}{' '}
              <span className="muted">{t(`rules:measurements.${q}.howTo`, { defaultValue: '' })}</span>
            </dd>
          </div>
        ))}
        <div>
          <dd>{t('rules:measurements.crossSection', { defaultValue: '' })}</dd>
          <dd>{t('rules:measurements.involvement', { defaultValue: t('report:definitionsText.involvement') })}</dd>
        </div>
      </dl>
      <h3>{t('assess:definitions.thresholds')}</h3>
      <table className="criteria">
        <tbody>
          {THRESHOLD_LIST.map((th) => (
            <tr key={th.id} data-testid="definitions-threshold" data-id={th.id} data-value={th.value}>
              <td className="nowrap">
                {th.quantity} {comparatorText(th.comparator)} {fmt.format(th.value)} {th.unit}
              </td>
              <td>{t(`rules:thresholds.${th.id}`, { defaultValue: th.note })}</td>
              <td className="source">{[th.source, ...(th.alsoCited ?? [])].join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('assess:definitions.caveats')}</h3>
      <ul>
        {CAVEAT_CODES.map((c) => (
          <li key={c} data-testid="definitions-caveat" data-code={c}>
            {t(`rules:caveats.${c}`, { defaultValue: c, ...(caveatParams[c] ?? {}) })}
          </li>
        ))}
      </ul>
      <h3>{t('assess:definitions.sources')}</h3>
      <ul className="sources">
        {Object.values(SOURCES).map((src) => (
          <li key={src.id} data-testid="definitions-source" data-id={src.id}>
            <b>[{src.id}]</b> {src.citation}
            {'seed' in src && src.seed ? <span className="muted"> ({src.seed}{'locator' in src && src.locator ? `, ${src.locator}` : ''})</span> : null}
          </li>
        ))}
      </ul>
      <p className="muted small">{t('assess:definitions.rulesVersion', { version: RULES_VERSION })}</p>
    </div>
  );
}
