import type { SidePanelTab } from '../ui/SidePanel';
import { MeasurePanel } from './MeasurePanel';
import './measure.css';

/** The lesions & measurements tab (discovered by the shell's SidePanel). */
export const sidePanelTab: SidePanelTab = { id: 'measurements', titleKey: 'measure:tab', order: 10, render: () => <MeasurePanel /> };
