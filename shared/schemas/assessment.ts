import { z } from 'zod';
import { SiteSchema } from './measurement';

/**
 * A lesion assessment (the rule engine's input, also the `assess` CLI input) and its result.
 * Contract of `npm run -s cli -- assess FILE --json` (issue 2): keys may be added, never renamed.
 * Clinical meaning: ../../../shared/clinical-rules.md §2–§8 (decision support, never an order).
 */

export const LesionTypeSchema = z.enum(['blastic', 'mixed', 'lytic']);
export const MirelsPainSchema = z.enum(['mild', 'moderate', 'functional']);
export type LesionType = z.infer<typeof LesionTypeSchema>;
export type MirelsPain = z.infer<typeof MirelsPainSchema>;
export const MirelsSizeSchema = z.union([z.literal(1), z.literal(2), z.literal(3)]);

/** The Mirels items a caller must give for every site but the spine. */
export const MIRELS_FIELDS_OUTSIDE_SPINE = ['lesionType', 'pain'] as const;

const percent = z.number().finite().min(0).max(100);
const lengthMm = z.number().finite().min(0);

/** SINS components (§5); each may be missing (→ level 'incomplete', listed in `missing`). */
export const SinsInputSchema = z.strictObject({
  location: z.enum(['junctional', 'mobile', 'semi-rigid', 'rigid']).optional(),
  pain: z.enum(['mechanical', 'occasional', 'none']).optional(),
  lesion: z.enum(['lytic', 'mixed', 'blastic']).optional(),
  alignment: z.enum(['subluxation', 'deformity', 'normal']).optional(),
  collapse: z.enum(['over-50', 'under-50', 'none-over-50-involved', 'none']).optional(),
  posterolateral: z.enum(['bilateral', 'unilateral', 'none']).optional(),
  // Percutaneous vertebroplasty contraindications (seed 002, Chen et al. 2020); flags only.
  cordCompression: z.boolean().default(false),
  posteriorWallExtension: z.boolean().default(false),
  collapseOver75: z.boolean().default(false),
  recentFracture: z.boolean().default(false),
});
export type SinsInput = z.infer<typeof SinsInputSchema>;
export const SINS_COMPONENTS = ['location', 'pain', 'lesion', 'alignment', 'collapse', 'posterolateral'] as const;
export type SinsComponent = (typeof SINS_COMPONENTS)[number];
export const VERTEBROPLASTY_FLAGS = ['cordCompression', 'posteriorWallExtension', 'collapseOver75', 'recentFracture'] as const;
export type VertebroplastyFlag = (typeof VERTEBROPLASTY_FLAGS)[number];

/**
 * Strict: an unknown key is an error, because a misspelt measurement ("axialPercnt") silently
 * ignored would change the recommendation. Numbers may be omitted or null ("not measured").
 */
/** The input's fields (the draft schema is their partial); the input schema adds the per-site rule. */
export const AssessmentInputFieldsSchema = z.strictObject({
  site: SiteSchema,
  /** Mirels' lesion type and pain: required except for the spine, which SINS scores (issue 14). */
  lesionType: LesionTypeSchema.optional(),
  pain: MirelsPainSchema.optional(),
  /** Entered Mirels size item; wins over the size proposed from axialPercent. */
  mirelsSize: MirelsSizeSchema.nullable().default(null),
  lifeExpectancyOver3Months: z.boolean().nullable().default(null),
  axialPercent: percent.nullable().default(null),
  circumferentialPercent: percent.nullable().default(null),
  axialLengthMm: lengthMm.nullable().default(null),
  lesserTrochanterAvulsion: z.boolean().default(false),
  painAfterRadiotherapy: z.boolean().default(false),
  sins: SinsInputSchema.optional(),
});

export const AssessmentInputSchema = AssessmentInputFieldsSchema.check(
  z.superRefine((v, ctx) => {
    if (v.site === 'spine') return;
    for (const field of MIRELS_FIELDS_OUTSIDE_SPINE) {
      if (v[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], input: undefined, message: `required field is missing (Mirels' ${field === 'pain' ? 'pain' : 'lesion type'}; only the spine, scored by SINS, goes without)` });
    }
  }, { when: (payload) => typeof payload.value === 'object' && payload.value !== null }),
);
/** Parsed input (defaults applied). */
export type AssessmentInput = z.infer<typeof AssessmentInputSchema>;
/** Input as written by a caller (defaults optional). */
export type AssessmentInputRaw = z.input<typeof AssessmentInputSchema>;

export const LevelSchema = z.enum([
  'radiotherapy-alone',
  'multidisciplinary-discussion',
  'first-line-consolidation',
  'non-surgical',
  'incomplete',
  'surgical-opinion',
  'stable',
]);
export type Level = z.infer<typeof LevelSchema>;

export const ComparatorSchema = z.enum(['>', '>=', '<', '<=', '==']);
export type Comparator = z.infer<typeof ComparatorSchema>;

export const CriterionStatusSchema = z.enum(['met', 'not-met', 'not-measured']);
export type CriterionStatus = z.infer<typeof CriterionStatusSchema>;

export const CriterionResultSchema = z.object({
  /** Stable id, also the i18n key (rules.json `criteria.<id>`) and the thresholds-table id. */
  id: z.string(),
  status: CriterionStatusSchema,
  /** The measured value (number) or flag (boolean); null when not measured. */
  value: z.union([z.number(), z.boolean()]).nullable(),
  /** Threshold the value is compared with; null for yes/no criteria. */
  threshold: z.number().nullable(),
  comparator: ComparatorSchema.nullable(),
  unit: z.string(),
  /** Source id (shared/rules/sources.ts). */
  source: z.string(),
  /** True when this criterion determined the level or ctConfirmed. */
  decisive: z.boolean(),
  /** Informational criteria are shown, never decisive (Tatar 2014). */
  informational: z.boolean(),
});
export type CriterionResult = z.infer<typeof CriterionResultSchema>;

export const ParamsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

/** A reason / caveat / note: a code the UI translates (rules.json), its source, parameters. */
export const ReasonSchema = z.object({
  code: z.string(),
  source: z.string(),
  params: ParamsSchema.optional(),
});
export type Reason = z.infer<typeof ReasonSchema>;

export const MirelsItemsSchema = z.object({
  site: z.number().int().min(1).max(3),
  size: z.number().int().min(1).max(3),
  lesionType: z.number().int().min(1).max(3),
  pain: z.number().int().min(1).max(3),
});
export type MirelsItems = z.infer<typeof MirelsItemsSchema>;

export const MirelsResultSchema = z.object({
  score: z.number().int().min(4).max(12),
  items: MirelsItemsSchema,
  sizeSource: z.enum(['measured', 'entered']),
});
export type MirelsResult = z.infer<typeof MirelsResultSchema>;

export const SinsBandSchema = z.enum(['stable', 'potentially-unstable', 'unstable']);
export type SinsBand = z.infer<typeof SinsBandSchema>;

export const SinsResultSchema = z.object({
  score: z.number().int().min(0).max(18),
  band: SinsBandSchema,
  components: z.record(z.string(), z.number().int()),
  /** Flags set among the vertebroplasty contraindications (seed 002); empty when none. */
  vertebroplastyContraindications: z.array(z.enum(VERTEBROPLASTY_FLAGS)).optional(),
});
export type SinsResult = z.infer<typeof SinsResultSchema>;

export const RadiotherapyOptionSchema = z.object({
  /** Stable id, also the i18n key (rules.json `radiotherapy.<id>`). */
  id: z.string(),
  technique: z.enum(['conventional', 'sbrt']),
  /** Total dose in Gy: a single value (min = max) or a published range. */
  totalDoseGyMin: z.number(),
  totalDoseGyMax: z.number(),
  fractions: z.number().int().min(1),
  /** Situations the source recommends it for (seed 003 table 3 'x'). */
  indications: z.array(z.string()),
  /** Situations left to the physician's choice (seed 003 table 3 '+/-'). */
  physicianChoice: z.array(z.string()),
  source: z.string(),
});
export type RadiotherapyOption = z.infer<typeof RadiotherapyOptionSchema>;

export const AssessmentResultSchema = z.object({
  rulesVersion: z.string(),
  level: LevelSchema,
  /** Mirels ≥ 9 and axial % > 30 and circumferential % > 50 (seed 000 §1.2). */
  ctConfirmed: z.boolean(),
  mirels: MirelsResultSchema.nullable(),
  sins: SinsResultSchema.nullable(),
  /** Input keys still needed (e.g. 'mirelsSize', 'lifeExpectancyOver3Months', 'sins.pain'). */
  missing: z.array(z.string()),
  criteria: z.array(CriterionResultSchema),
  reasons: z.array(ReasonSchema),
  caveats: z.array(ReasonSchema),
  /** §6 options from the sources when radiotherapy is part of the plan; empty otherwise. */
  radiotherapyOptions: z.array(RadiotherapyOptionSchema),
  /** After first-line consolidation: post-operative radiotherapy of the whole operated bone. */
  postOperativeRadiotherapy: ReasonSchema.nullable(),
  /** The parsed input the result was computed from (defaults applied). */
  input: AssessmentInputSchema,
});
export type AssessmentResult = z.infer<typeof AssessmentResultSchema>;

/** §7 context value: corrected calcaemia. */
export const CalcaemiaInputSchema = z.strictObject({
  measuredCalcaemiaMmolL: z.number().finite().positive(),
  albuminGL: z.number().finite().positive(),
});
export type CalcaemiaInput = z.infer<typeof CalcaemiaInputSchema>;

export const CalcaemiaResultSchema = z.object({
  correctedCalcaemiaMmolL: z.number(),
  hypercalcaemicCrisis: z.boolean(),
  source: z.string(),
});
export type CalcaemiaResult = z.infer<typeof CalcaemiaResultSchema>;
