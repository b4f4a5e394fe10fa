import { useTranslation } from 'react-i18next';
import { definitionsContent, formatNumber, type ThresholdDefinition } from '../../shared/rules/definitions';
import { quantityKey, unitKey } from './definitionKeys';
import './assess.css';

const SYMBOL: Record<string, string> = { '>': '>', '>=': '≥', '<': '<', '<=': '≤', '==': '=' };

/**
 * "Definitions and sources", from the rule engine's definitionsContent(): the measurement
 * definitions, every threshold of the engine's one table with its source, the caveats and the
 * sources — what users read here is what the engine compares against.
 * Test ids: definitions-panel, definitions-measurement (data-id), definitions-threshold (data-id,
 * data-value), definitions-caveat (data-code), definitions-source (data-id).
 */
export function DefinitionsPanel() {
  const { t, i18n } = useTranslation('rules');
  // The guideline's sections in the UI language; authors and years as printed.
  const short = (src: { id: string; short: string }) => String(t(`sourceShort.${src.id}`, { defaultValue: src.short }));
  const locale = (i18n.resolvedLanguage ?? i18n.language) === 'en' ? 'en-GB' : 'fr-FR';
  const d = definitionsContent(locale);
  const num = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const condition = (th: ThresholdDefinition) => {
    const value = `${formatNumber(th.value, locale)} ${String(t(unitKey(th.unit), { defaultValue: th.unit }))}`.trim();
    return th.comparator ? `${SYMBOL[th.comparator] ?? th.comparator} ${value}` : value;
  };
  const params = (p: Record<string, unknown> | undefined) =>
    Object.fromEntries(Object.entries(p ?? {}).map(([k, v]) => [k, typeof v === 'number' ? num.format(v) : v]));
  return (
    <div className="definitions-panel" data-testid="definitions-panel">
      <h3>{t('definitions.measurementsTitle')}</h3>
      <dl>
        {d.measurements.map((m) => (
          <div key={m.kind} data-testid="definitions-measurement" data-id={m.kind}>
            <dt>
              {t(m.nameKey)} ({m.unit})
            </dt>
            <dd>
              {t(m.definitionKey)} <span className="muted">{t(m.howToKey)}</span>
            </dd>
          </div>
        ))}
        {d.generalKeys.map((k) => (
          <dd key={k}>{t(k)}</dd>
        ))}
      </dl>
      <h3>{t('definitions.thresholdsTitle')}</h3>
      {/* Two columns: a side panel is too narrow for condition, text and source side by side. */}
      <table className="criteria thresholds">
        <tbody>
          {d.thresholds.map((th) => (
            <tr key={th.id} data-testid="definitions-threshold" data-id={th.id} data-value={th.value}>
              <td>
                <b>{t(quantityKey(th.quantity), { defaultValue: th.quantity })}</b> <span className="nowrap">{condition(th)}</span>
                <div className="source" title={[th.source, ...th.alsoCited].map((x) => x.citation).join('\n')}>
                  {[th.source, ...th.alsoCited].map(short).join(' ; ')}
                </div>
              </td>
              <td>{t(th.textKey, { defaultValue: th.note })}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('definitions.caveatsTitle')}</h3>
      <ul>
        {d.caveats.map((c) => (
          <li key={c.code} data-testid="definitions-caveat" data-code={c.code}>
            {t(c.textKey, { defaultValue: c.code, ...params(c.params) })} <span className="source">[{short(c.citation)}]</span>
          </li>
        ))}
      </ul>
      <h3>{t('definitions.sourcesTitle')}</h3>
      <ul className="sources">
        {d.sources.map((src) => (
          <li key={src.id} data-testid="definitions-source" data-id={src.id}>
            <b>{short(src)}</b> — {src.citation}
          </li>
        ))}
      </ul>
      <p className="muted small">{t('definitions.rulesVersion', { version: d.rulesVersion })}</p>
    </div>
  );
}
