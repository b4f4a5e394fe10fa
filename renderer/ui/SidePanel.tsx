/**
 * Right-hand tab container. Other parts of the UI add their panel as a tab, either
 *
 * 1. by pushing into the exported array from a module the App imports:
 *      import { sidePanelTabs } from '../ui/SidePanel';
 *      sidePanelTabs.push({ id: 'measurements', titleKey: 'measure:tab', order: 10, render: () => <MeasurePanel /> });
 * 2. or, without touching App.tsx, from a file named `renderer/<anything>/*.tab.tsx` that exports
 *      export const sidePanelTab: SidePanelTab = { ... };
 *    (discovered at build time with import.meta.glob).
 *
 * `render` receives the shell state (host, scan, selected study and series); components may also
 * call `useShell()`. Tabs are sorted by `order` (measurements 10, assessment 20, definitions 30,
 * report 40 by convention). Test ids: `side-tab-<id>` (the tab button), `side-panel-<id>` (its body).
 */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useShell, type ShellState } from './shellContext';

export interface SidePanelTab {
  id: string;
  /** i18next key of the tab title ("namespace:key"). */
  titleKey: string;
  order?: number;
  render: (shell: ShellState) => ReactNode;
}

export const sidePanelTabs: SidePanelTab[] = [];

const discovered = import.meta.glob<{ sidePanelTab?: SidePanelTab }>('../**/*.tab.tsx', { eager: true });

export function allSidePanelTabs(): SidePanelTab[] {
  const found = Object.values(discovered)
    .map((m) => m.sidePanelTab)
    .filter((t): t is SidePanelTab => !!t);
  const byId = new Map<string, SidePanelTab>();
  for (const t of [...found, ...sidePanelTabs]) byId.set(t.id, t);
  return [...byId.values()].sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
}

export function SidePanel() {
  const { t } = useTranslation('shell');
  const shell = useShell();
  const tabs = allSidePanelTabs();
  const [activeId, setActiveId] = useState<string | null>(null);
  const active = tabs.find((x) => x.id === activeId) ?? tabs[0];

  if (!active) {
    return (
      <aside className="side-panel" data-testid="side-panel">
        <p className="muted">{t('noPanels')}</p>
      </aside>
    );
  }
  return (
    <aside className="side-panel" data-testid="side-panel">
      <div className="tabs" role="tablist">
        {tabs.map((tab) => (
          <button
            key={tab.id}
            role="tab"
            aria-selected={tab.id === active.id}
            className={tab.id === active.id ? 'tab active' : 'tab'}
            data-testid={`side-tab-${tab.id}`}
            onClick={() => setActiveId(tab.id)}
          >
            {t(tab.titleKey)}
          </button>
        ))}
      </div>
      <div className="tab-body" role="tabpanel" data-testid={`side-panel-${active.id}`}>
        {active.render(shell)}
      </div>
    </aside>
  );
}
