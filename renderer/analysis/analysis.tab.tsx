import type { SidePanelTab } from '../ui/SidePanel';
import { AnalysisPanel } from './AnalysisPanel';
import './analysis.css';

/** The assisted analysis tab (discovered by the shell's SidePanel), after the measurements (10). */
export const sidePanelTab: SidePanelTab = { id: 'analysis', titleKey: 'analysis:tab', order: 15, render: () => <AnalysisPanel /> };
