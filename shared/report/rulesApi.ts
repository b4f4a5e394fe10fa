import { assessRaw, calcaemia, RULES_VERSION, SOURCES, THRESHOLD_LIST } from '../rules';
import type { RulesApi } from './buildReport';

/** The running rule engine, as the report builder sees it. */
export const CURRENT_RULES: RulesApi = {
  assess: (input) => assessRaw(input),
  correctedCalcaemia: calcaemia,
  rulesVersion: RULES_VERSION,
  thresholds: THRESHOLD_LIST,
  sources: Object.values(SOURCES),
};
