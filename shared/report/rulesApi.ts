import { assessRaw, calcaemia, RULES_VERSION, THRESHOLD_LIST } from '../rules';
import { definitionsContent } from '../rules/definitions';
import type { RulesApi } from './buildReport';

const definitions = definitionsContent();

/** The running rule engine, as the report builder sees it (definitions from the engine's own tables). */
export const CURRENT_RULES: RulesApi = {
  assess: (input) => assessRaw(input),
  correctedCalcaemia: calcaemia,
  rulesVersion: RULES_VERSION,
  thresholds: THRESHOLD_LIST,
  caveats: definitions.caveats.map(({ code, source, params }) => ({ code, source, ...(params ? { params } : {}) })),
  sources: definitions.sources,
};
