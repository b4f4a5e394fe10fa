import type { SidePanelTab } from '../ui/SidePanel';
import { AssessmentPanel } from './AssessmentPanel';

export const sidePanelTab: SidePanelTab = { id: 'assessment', titleKey: 'assess:tabAssessment', order: 20, render: () => <AssessmentPanel /> };
