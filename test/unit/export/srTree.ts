/** Walking a naturalized SR in tests: content items by concept, their numbers. */
import type { NaturalDataset } from '../../../shared/export/dicomCodec';

export const arr = (x: unknown): NaturalDataset[] => (x === undefined || x === null ? [] : Array.isArray(x) ? (x as NaturalDataset[]) : [x as NaturalDataset]);
export const concept = (item: NaturalDataset) => arr(item.ConceptNameCodeSequence)[0] as { CodeValue: string; CodingSchemeDesignator: string; CodeMeaning: string };
export const children = (item: NaturalDataset) => arr(item.ContentSequence);
export const find = (items: NaturalDataset[], c: { CodeValue: string }) => items.filter((i) => concept(i)?.CodeValue === c.CodeValue);
export const numeric = (item: NaturalDataset) => {
  const mv = arr(item.MeasuredValueSequence)[0];
  return { value: Number(mv.NumericValue), unit: arr(mv.MeasurementUnitsCodeSequence)[0].CodeValue };
};
