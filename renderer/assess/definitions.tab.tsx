import type { SidePanelTab } from '../ui/SidePanel';
import { DefinitionsPanel } from './DefinitionsPanel';

export const sidePanelTab: SidePanelTab = { id: 'definitions', titleKey: 'assess:tabDefinitions', order: 30, render: () => <DefinitionsPanel /> };
