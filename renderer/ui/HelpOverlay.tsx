import { useTranslation } from 'react-i18next';
import { displayCombo, useShortcutList, type Shortcut } from './shortcuts';

/**
 * Lists every registered keyboard shortcut, grouped (see shortcuts.ts). Opened with `?` or F1,
 * closed with Escape or the close button. Test ids: `help-overlay`, `help-shortcut`, `help-close`.
 */
export function HelpOverlay(props: { onClose: () => void }) {
  const { t } = useTranslation('shell');
  const list = useShortcutList();
  const groups = new Map<string, Shortcut[]>();
  for (const s of list) {
    const g = s.group ?? 'general';
    groups.set(g, [...(groups.get(g) ?? []), s]);
  }
  // General first, then the groups in the order they registered.
  const ordered = [...groups.entries()].sort(([a], [b]) => (a === 'general' ? -1 : b === 'general' ? 1 : 0));
  return (
    <div className="overlay" data-testid="help-overlay" role="dialog" aria-modal="true" aria-label={t('help.title')} onClick={props.onClose}>
      <div className="overlay-card" onClick={(e) => e.stopPropagation()}>
        <header>
          <h2>{t('help.title')}</h2>
          <button className="btn small" data-testid="help-close" onClick={props.onClose} aria-label={t('help.close')}>
            ×
          </button>
        </header>
        {ordered.map(([group, items]) => (
          <section key={group}>
            <h3>{t(`group.${group}`, { defaultValue: group })}</h3>
            <table className="shortcut-table">
              <tbody>
                {items.map((s, i) => (
                  <tr key={i} data-testid="help-shortcut">
                    <td className="keys">
                      {(Array.isArray(s.keys) ? s.keys : [s.keys]).map((k) => (
                        <kbd key={k}>{displayCombo(k)}</kbd>
                      ))}
                    </td>
                    <td>{t(s.descriptionKey)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
        <p className="muted">{t('help.mouse')}</p>
      </div>
    </div>
  );
}
