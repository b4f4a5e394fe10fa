/**
 * Issue 14 defect 4: a series the scan marked not measurable (one slice, a localizer, missing
 * geometry …) gets no measurement at all: the tools and the assisted analysis are off, and the
 * reasons the scan found are said where the tools would be.
 * Test ids: measure-blocked (data-codes), measure-blocked-reason (data-code).
 */
import { useTranslation } from 'react-i18next';
import type { Series } from '../../shared/schemas/scan';
import { useShell } from '../ui/shellContext';

/** The selected series when it may not be measured, else null. */
export function useNotMeasurableSeries(): Series | null {
  const { series } = useShell();
  return series && !series.measurable ? series : null;
}

export function NotMeasurableNotice({ series }: { series: Series }) {
  const { t } = useTranslation('measure');
  const reasons = series.notMeasurableReasons ?? [];
  return (
    <div className="warn small" role="status" data-testid="measure-blocked" data-codes={reasons.map((r) => r.code).join(' ')}>
      <strong>{t('blocked.title')}</strong>
      <ul>
        {reasons.map((r) => (
          <li key={`${r.code}:${r.message}`} data-testid="measure-blocked-reason" data-code={r.code}>
            <b>{String(t(`study:codes.${r.code}`, { defaultValue: r.code }))}</b> — <span lang="en">{r.message}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
