import type { SidePanelTab } from '../ui/SidePanel';
import { RecommendationPanel } from './RecommendationPanel';

export const sidePanelTab: SidePanelTab = { id: 'recommendation', titleKey: 'assess:tabRecommendation', order: 25, render: () => <RecommendationPanel /> };
