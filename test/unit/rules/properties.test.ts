import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AssessmentInput, Level } from '../../../shared/schemas/assessment';
import { assessLesion } from '../../../shared/rules/index';
import { DISCORDANCE_CRITERIA, evaluateCriteria } from '../../../shared/rules/criteria';
import { mirelsScore } from '../../../shared/rules/mirels';
import { SINS_POINTS } from '../../../shared/rules/sins';
import { THRESHOLD_LIST, compare } from '../../../shared/rules/thresholds';
import { inputArb, lengthArb, longBoneInputArb, percentArb } from './arbitraries';

const RUNS = { numRuns: 2000 };

describe('Mirels is always 4–12', () => {
  it('for any four items of 1–3 points', () => {
    const item = fc.constantFrom(1, 2, 3);
    fc.assert(
      fc.property(item, item, item, item, (site, size, lesionType, pain) => {
        const s = mirelsScore({ site, size, lesionType, pain });
        return s >= 4 && s <= 12;
      }),
      RUNS,
    );
  });
  it('for any long-bone assessment where the size is known', () => {
    fc.assert(
      fc.property(longBoneInputArb, (input) => {
        const r = assessLesion(input);
        if (input.mirelsSize === null && input.axialPercent === null) return r.mirels === null && r.level === 'incomplete';
        return r.mirels !== null && r.mirels.score >= 4 && r.mirels.score <= 12;
      }),
      RUNS,
    );
  });
});

/**
 * Severity order used by the monotonicity property (how far the result goes towards surgery):
 *   0  radiotherapy-alone, stable                 no surgical question raised
 *   1  multidisciplinary-discussion               surgery to be discussed
 *   2  first-line-consolidation, surgical-opinion surgical indication
 *      non-surgical                               a surgical indication (base discussion or consolidation)
 *                                                 that life expectancy ≤ 3 months turns down; with life
 *                                                 expectancy held fixed it only ever replaces levels 1–2
 *      incomplete                                 arises either from an input that is absent (Mirels size,
 *                                                 SINS component) — raising a present value never adds or
 *                                                 removes one, so the level stays 'incomplete' — or from a
 *                                                 first-line-consolidation base with life expectancy unknown,
 *                                                 where it stands in for first-line-consolidation.
 * The property: with every other input (life expectancy included) unchanged, raising one Mirels item
 * (site upper → lower → peritrochanteric, size, type, pain), one measurement (a present value made
 * larger), a yes/no criterion (false → true) or a SINS component never lowers this rank, nor turns
 * ctConfirmed from true to false. Making an absent measurement present is not "raising" it.
 */
const SEVERITY: Record<Level, number> = {
  'radiotherapy-alone': 0,
  stable: 0,
  'multidisciplinary-discussion': 1,
  'first-line-consolidation': 2,
  'surgical-opinion': 2,
  'non-surgical': 2,
  incomplete: 2,
};

const next = <T>(order: readonly T[], v: T): T | undefined => {
  const i = order.indexOf(v);
  return i >= 0 && i < order.length - 1 ? order[i + 1] : undefined;
};

/** Inputs obtained from `input` by raising exactly one thing, with a label for failures. */
function raisedVariants(input: AssessmentInput, bumpPercent: number, bumpMm: number): [string, AssessmentInput][] {
  const out: [string, AssessmentInput][] = [];
  const push = (label: string, patch: Partial<AssessmentInput>) => out.push([label, { ...input, ...patch }]);
  const site = next(['upper-limb', 'lower-limb', 'peritrochanteric'] as const, input.site as 'upper-limb');
  if (site) push('site', { site });
  if (input.mirelsSize !== null && input.mirelsSize < 3) push('mirelsSize', { mirelsSize: (input.mirelsSize + 1) as 2 | 3 });
  const lesionType = next(['blastic', 'mixed', 'lytic'] as const, input.lesionType);
  if (lesionType) push('lesionType', { lesionType });
  const pain = next(['mild', 'moderate', 'functional'] as const, input.pain);
  if (pain) push('pain', { pain });
  for (const key of ['axialPercent', 'circumferentialPercent'] as const) {
    const v = input[key];
    if (v !== null && v < 100) push(key, { [key]: Math.min(100, v + bumpPercent) });
  }
  if (input.axialLengthMm !== null) push('axialLengthMm', { axialLengthMm: input.axialLengthMm + bumpMm });
  if (!input.lesserTrochanterAvulsion) push('lesserTrochanterAvulsion', { lesserTrochanterAvulsion: true });
  if (!input.painAfterRadiotherapy) push('painAfterRadiotherapy', { painAfterRadiotherapy: true });
  if (input.sins) {
    for (const [component, points] of Object.entries(SINS_POINTS)) {
      const current = input.sins[component as keyof typeof SINS_POINTS];
      if (current === undefined) continue;
      const p = (points as Record<string, number>)[current];
      const higher = Object.entries(points).find(([, q]) => q > p);
      if (higher) push(`sins.${component}`, { sins: { ...input.sins, [component]: higher[0] } });
    }
  }
  return out;
}

describe('raising any Mirels item or measurement never lowers the severity', () => {
  it('holds for every single raise of every generated input', () => {
    fc.assert(
      fc.property(
        inputArb,
        fc.double({ min: Number.MIN_VALUE, max: 100, noNaN: true }),
        fc.double({ min: Number.MIN_VALUE, max: 200, noNaN: true }),
        (input, bumpPercent, bumpMm) => {
          const before = assessLesion(input);
          for (const [label, raised] of raisedVariants(input, bumpPercent, bumpMm)) {
            const after = assessLesion(raised);
            const ctr = `${label}: ${before.level} → ${after.level}`;
            expect(SEVERITY[after.level], ctr).toBeGreaterThanOrEqual(SEVERITY[before.level]);
            if (before.ctConfirmed) expect(after.ctConfirmed, ctr).toBe(true);
          }
        },
      ),
      RUNS,
    );
  });

  it('the raises really move levels (the property is not vacuous)', () => {
    // Case 1 of §8 raised step by step reaches every long-bone level of the order.
    const base = assessLesion({
      site: 'upper-limb', lesionType: 'blastic', pain: 'mild', mirelsSize: 1, lifeExpectancyOver3Months: true,
      axialPercent: 10, circumferentialPercent: 10, axialLengthMm: 12, lesserTrochanterAvulsion: false, painAfterRadiotherapy: false,
    });
    expect(base.level).toBe('radiotherapy-alone');
    expect(assessLesion({ ...base.input, circumferentialPercent: 51 }).level).toBe('multidisciplinary-discussion');
    expect(assessLesion({ ...base.input, site: 'peritrochanteric', lesionType: 'lytic', pain: 'moderate', mirelsSize: 2 }).level).toBe('first-line-consolidation');
  });
});

describe('a value exactly at a threshold never meets a strict criterion', () => {
  it('for every strict threshold of the table', () => {
    const strict = THRESHOLD_LIST.filter((t) => t.comparator === '>' || t.comparator === '<');
    expect(strict.length).toBeGreaterThan(5);
    for (const t of strict) expect(compare(t.value, t.comparator!, t.value), t.id).toBe(false);
  });
  it('for the strict CT criteria on any input, with the value set exactly at the threshold', () => {
    const cases = [
      ['ct-axial-percent', 'axialPercent', 30],
      ['ct-circumferential-percent', 'circumferentialPercent', 50],
      ['axial-length', 'axialLengthMm', 30],
    ] as const;
    fc.assert(
      fc.property(inputArb.filter((i) => i.site !== 'spine'), (input) => {
        for (const [id, key, value] of cases) {
          const c = evaluateCriteria({ ...input, [key]: value }).find((x) => x.id === id)!;
          expect(c.threshold).toBe(value);
          expect(c.comparator).toBe('>');
          expect(c.status, id).toBe('not-met');
        }
      }),
      RUNS,
    );
  });
});

describe('"not measured" never counts as "not met"', () => {
  it('a criterion on an absent measurement is not-measured, never not-met', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        for (const c of assessLesion(input).criteria) {
          if (c.value === null) expect(c.status).toBe('not-measured');
          if (c.status === 'not-measured') expect(c.value).toBeNull();
        }
      }),
      RUNS,
    );
  });

  it('radiotherapy alone always names the discordance criteria it could not check', () => {
    fc.assert(
      fc.property(longBoneInputArb, (input) => {
        const r = assessLesion(input);
        if (r.level !== 'radiotherapy-alone') return;
        const unmeasured = r.criteria.filter((c) => DISCORDANCE_CRITERIA.includes(c.id) && c.status === 'not-measured').map((c) => c.id);
        const listed = String(r.reasons.find((x) => x.code === 'criteria-not-measured')?.params?.criteria ?? '');
        for (const id of unmeasured) expect(listed.split(', ')).toContain(id);
        if (unmeasured.length === 0) expect(listed).toBe('');
      }),
      RUNS,
    );
  });

  it('CT confirmation is never granted on an unmeasured value', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const r = assessLesion(input);
        if (r.ctConfirmed) expect(input.axialPercent !== null && input.circumferentialPercent !== null).toBe(true);
      }),
      RUNS,
    );
  });

  it('measuring a value that meets a discordance criterion can only raise the level', () => {
    fc.assert(
      fc.property(longBoneInputArb, percentArb, lengthArb, (input, circ, len) => {
        const absent = assessLesion({ ...input, circumferentialPercent: null, axialLengthMm: null });
        const measured = assessLesion({ ...input, circumferentialPercent: Math.max(circ, 50.5), axialLengthMm: Math.max(len, 30.5) });
        if (absent.level !== 'incomplete') expect(SEVERITY[measured.level]).toBeGreaterThanOrEqual(SEVERITY[absent.level]);
        expect(measured.level).not.toBe('radiotherapy-alone');
      }),
      RUNS,
    );
  });
});
