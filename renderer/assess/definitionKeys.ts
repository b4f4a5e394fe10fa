/** i18n keys (rules namespace) for the engine's threshold quantities and units, shown in the definitions panel. */
const MEASURED = new Set(['axialLengthMm', 'circumferentialPercent', 'axialPercent']);
/** i18n key of a threshold's quantity (the engine names it in English or by its input key). */
export const quantityKey = (quantity: string) =>
  MEASURED.has(quantity) ? `measurements.${quantity}.name` : `quantities.${quantity.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}`;
/** i18n key of a unit ('%' → units.none). */
export const unitKey = (unit: string) => `units.${unit.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'none'}`;
