import { useTranslation } from 'react-i18next';

/**
 * A progress bar with a Cancel button for long work (scanning, loading a series).
 * `fraction` null = indeterminate. Test ids: `<testId>` (the bar), `<testId>-cancel`.
 */
export function ProgressBar(props: {
  label: string;
  fraction: number | null;
  detail?: string;
  onCancel?: () => void;
  testId?: string;
}) {
  const { t } = useTranslation('common');
  const id = props.testId ?? 'progress';
  const pct = props.fraction === null ? null : Math.max(0, Math.min(100, Math.round(props.fraction * 100)));
  return (
    <div className="progress" data-testid={id} role="status" aria-live="polite">
      <span className="progress-label">{props.label}</span>
      <div
        className={pct === null ? 'progress-track indeterminate' : 'progress-track'}
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
      >
        <div className="progress-fill" style={{ width: pct === null ? '30%' : `${pct}%` }} />
      </div>
      {props.detail && <span className="progress-detail">{props.detail}</span>}
      {props.onCancel && (
        <button className="btn small" data-testid={`${id}-cancel`} onClick={props.onCancel}>
          {t('cancel')}
        </button>
      )}
    </div>
  );
}
