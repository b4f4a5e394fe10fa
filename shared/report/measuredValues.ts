import {
  MEASUREMENT_UNIT,
  MeasurementKindSchema,
  type Measurement,
  type MeasurementKind,
} from '../schemas/measurement';

/**
 * Which number the rule engine gets for each quantity of a lesion, and where it came from.
 *
 * Rule (shown to the user in the panel and in the report):
 * - an entered value always wins (origin 'entered');
 * - otherwise the MOST AFFECTED measurement of that kind (largest value), because every
 *   definition of clinical-rules.md §1 asks for the most affected level / cross-section; on a
 *   tie, the latest (by provenance time) — so re-measuring the same value refreshes provenance;
 * - otherwise 'not-measured' (never treated as a value of 0).
 */
export const QUANTITIES = MeasurementKindSchema.options;

export type ValueOrigin = 'measured' | 'entered' | 'not-measured';

export interface UsedValue {
  quantity: MeasurementKind;
  value: number | null;
  unit: (typeof MEASUREMENT_UNIT)[MeasurementKind];
  origin: ValueOrigin;
  /** The measurement chosen, when origin is 'measured'. */
  measurement: Measurement | null;
  /** How many measurements of this kind the lesion has (the choice was among them). */
  measurementCount: number;
  /** The most affected measured value, also when an entered value overrides it (shown side by side). */
  measuredValue: number | null;
  /** Present (true) when the measured value is an axial length drawn off the bone axis (no along-axis one exists). */
  offAxis?: true;  /** How many lengths drawn off the bone axis were set aside for one along it (present when > 0). */
  offAxisSetAside?: number;
  /** Off-axis lengths waiting for the reader's choice, not used (present when > 0). */
  offAxisPending?: number;
}

export type EnteredValues = Partial<Record<MeasurementKind, number | null>>;

/** The most affected measurement of one kind (largest value; latest on a tie), or null. */
export function mostAffectedMeasurement(measurements: readonly Measurement[], kind: MeasurementKind): Measurement | null {
  let best: Measurement | null = null;
  for (const m of measurements) {
    if (m.kind !== kind) continue;
    if (
      best === null ||
      m.value > best.value ||
      (m.value === best.value && Date.parse(m.provenance.time) > Date.parse(best.provenance.time))
    ) {
      best = m;
    }
  }
  return best;
}

/**
 * `offAxisIds`: measurements the tool flagged as axial lengths drawn off the bone axis (they may
 * read too long or too short). Lengths along the bone are preferred; an off-axis one is used only
 * when no other exists, and is then flagged — the same rule as the measurements panel
 * (shared/measure/derived.ts), so panel, engine and report show the same number.
 */
export function usedValue(
  quantity: MeasurementKind,
  measurements: readonly Measurement[],
  entered: EnteredValues = {},
  offAxisIds: ReadonlySet<string> = new Set(),
  pendingIds: ReadonlySet<string> = new Set(),
): UsedValue {
  // A length drawn off the axis enters nothing before the reader has chosen (issue 14).
  const pending = measurements.filter((m) => m.kind === quantity && pendingIds.has(m.id)).length;
  const ofKind = measurements.filter((m) => m.kind === quantity && !pendingIds.has(m.id));
  const alongBone = ofKind.filter((m) => !offAxisIds.has(m.id));
  const chosen = mostAffectedMeasurement(alongBone.length ? alongBone : ofKind, quantity);
  const count = measurements.filter((m) => m.kind === quantity).length;
  const enteredValue = entered[quantity];
  const base = {
    quantity,
    unit: MEASUREMENT_UNIT[quantity],
    measurementCount: count,
    measuredValue: chosen?.value ?? null,
    ...(chosen && offAxisIds.has(chosen.id) ? { offAxis: true as const } : {}),
    ...(alongBone.length && alongBone.length < ofKind.length ? { offAxisSetAside: ofKind.length - alongBone.length } : {}),
    ...(pending > 0 ? { offAxisPending: pending } : {}),
  };
  if (typeof enteredValue === 'number' && Number.isFinite(enteredValue)) {
    return { ...base, value: enteredValue, origin: 'entered', measurement: null };
  }
  if (chosen) return { ...base, value: chosen.value, origin: 'measured', measurement: chosen };
  return { ...base, value: null, origin: 'not-measured', measurement: null };
}

/** The three used values of a lesion, in the fixed order of QUANTITIES. */
export function usedValues(
  measurements: readonly Measurement[],
  entered: EnteredValues = {},
  offAxisIds: ReadonlySet<string> = new Set(),
  pendingIds: ReadonlySet<string> = new Set(),
): UsedValue[] {
  return QUANTITIES.map((q) => usedValue(q, measurements, entered, offAxisIds, pendingIds));
}
