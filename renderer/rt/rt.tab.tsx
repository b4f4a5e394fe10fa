import type { SidePanelTab } from '../ui/SidePanel';
import { RtPanel } from './RtPanel';
import './rt.css';

/** RT structures of a planning CT (issue 17), after the assisted analysis (15). */
export const sidePanelTab: SidePanelTab = { id: 'rt', titleKey: 'rt:tab', order: 17, render: () => <RtPanel /> };
