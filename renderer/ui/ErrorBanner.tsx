import { useTranslation } from 'react-i18next';
import type { AppError } from '../../shared/errors';

/**
 * Errors shown where they happen: each error with its code, message and, when known, the file
 * and field it concerns. Test ids: `<testId>` (the banner), `<testId>-item` (each error),
 * `<testId>-dismiss`.
 */
export function ErrorBanner(props: { errors: AppError[]; onDismiss?: () => void; testId?: string; title?: string }) {
  const { t } = useTranslation('common');
  if (props.errors.length === 0) return null;
  const id = props.testId ?? 'error-banner';
  return (
    <div className="error-banner" role="alert" data-testid={id}>
      {props.title && <strong className="error-title">{props.title}</strong>}
      <ul>
        {props.errors.map((e, i) => (
          <li key={i} data-testid={`${id}-item`} data-code={e.code}>
            <span className="code">{e.code}</span> {e.message}
            {e.file && (
              <span className="where">
                {' '}
                — {t('file')}: <span className="file">{e.file}</span>
              </span>
            )}
            {e.field && (
              <span className="where">
                {' '}
                — {t('field')}: {e.field}
              </span>
            )}
          </li>
        ))}
      </ul>
      {props.onDismiss && (
        <button className="btn small" data-testid={`${id}-dismiss`} onClick={props.onDismiss} aria-label={t('dismiss')}>
          ×
        </button>
      )}
    </div>
  );
}
