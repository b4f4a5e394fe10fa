import type { SidePanelTab } from '../ui/SidePanel';
import { ReportPanel } from './ReportPanel';

export const sidePanelTab: SidePanelTab = { id: 'report', titleKey: 'report:tabReport', order: 40, render: () => <ReportPanel /> };
