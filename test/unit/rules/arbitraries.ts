import fc from 'fast-check';
import { AssessmentInputSchema, type AssessmentInput } from '../../../shared/schemas/assessment';
import { THRESHOLDS } from '../../../shared/rules/thresholds';

/** fast-check generators for assessment inputs; thresholds themselves are generated often. */
const percentEdges = [0, 100, THRESHOLDS['mirels-size-small'].value, THRESHOLDS['mirels-size-large'].value, 25, 30, 50];
export const percentArb = fc.oneof(fc.constantFrom(...percentEdges), fc.double({ min: 0, max: 100, noNaN: true }));
export const lengthArb = fc.oneof(fc.constantFrom(0, 25, 30), fc.double({ min: 0, max: 400, noNaN: true }));

export const sinsArb = fc.record(
  {
    location: fc.constantFrom('junctional', 'mobile', 'semi-rigid', 'rigid'),
    pain: fc.constantFrom('mechanical', 'occasional', 'none'),
    lesion: fc.constantFrom('lytic', 'mixed', 'blastic'),
    alignment: fc.constantFrom('subluxation', 'deformity', 'normal'),
    collapse: fc.constantFrom('over-50', 'under-50', 'none-over-50-involved', 'none'),
    posterolateral: fc.constantFrom('bilateral', 'unilateral', 'none'),
    cordCompression: fc.boolean(),
    posteriorWallExtension: fc.boolean(),
    collapseOver75: fc.boolean(),
    recentFracture: fc.boolean(),
  },
  // Components may be missing (→ incomplete); flags always present after parsing.
  { requiredKeys: ['cordCompression', 'posteriorWallExtension', 'collapseOver75', 'recentFracture'] },
);

export const siteArb = fc.constantFrom('upper-limb', 'lower-limb', 'peritrochanteric', 'spine', 'pelvis', 'other');

export const inputArb: fc.Arbitrary<AssessmentInput> = fc
  .record({
    site: siteArb,
    lesionType: fc.constantFrom('blastic', 'mixed', 'lytic'),
    pain: fc.constantFrom('mild', 'moderate', 'functional'),
    mirelsSize: fc.constantFrom(null, 1, 2, 3),
    lifeExpectancyOver3Months: fc.constantFrom(null, true, false),
    axialPercent: fc.option(percentArb, { nil: null }),
    circumferentialPercent: fc.option(percentArb, { nil: null }),
    axialLengthMm: fc.option(lengthArb, { nil: null }),
    lesserTrochanterAvulsion: fc.boolean(),
    painAfterRadiotherapy: fc.boolean(),
    sins: fc.option(sinsArb, { nil: undefined }),
  })
  .map((raw) => AssessmentInputSchema.parse(raw));

export const longBoneInputArb = inputArb.filter((i) => ['upper-limb', 'lower-limb', 'peritrochanteric'].includes(i.site));
