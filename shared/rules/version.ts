/**
 * Version of the rule set (decision procedure + thresholds table). Bump it whenever a rule,
 * threshold or source changes, so every saved result and report says which rules produced it.
 */
export const RULES_VERSION = '1.0.0';
