/**
 * Rigidity along the analysed bone (issue 18): sectionRigidity on every profile section from
 * windowMm before the lesional sections to windowMm after them, the intact reference from the
 * sections the involvement analysis found intact, and the loss at the weakest lesional section.
 * Values are null wherever a section is not fully measured — never a number for bone not seen.
 */
import type { DensityRelation, Rigidity, RigiditySection, RigidityWarning } from '../schemas/analysis';
import type { Vec3 } from '../schemas/common';
import { sourceCitation } from '../rules/sources';
import type { IntactReference } from './intactReference';
import type { SectionEval } from './involvement';
import type { Run } from './lesionRun';
import { ANALYSIS_PARAMETERS as P, RIGIDITY_PARAMETERS as R } from './parameters';
import { sectionFrame } from './rays';
import { quantileInPlace } from './fit';
import { lossPercent, rigiditySampleStepMm, sectionRigidity } from './rigidity';
import type { VoxelSampler } from './sampler';
import { pointOnAxis, type AxisLine, type SectionGrid } from './sections';

export interface BoneRigidityInput {
  sampler: VoxelSampler;
  axis: AxisLine;
  reference: IntactReference;
  grid: SectionGrid;
  evals: readonly SectionEval[];
  /** The measured stretch of bone around the seed (section indices). */
  stretch: { lo: number; hi: number };
  /** The lesional sections (indices): the measured run, or the clicked level. */
  lesional: Run;
  /** Every involved run: kept away from the intact reference. */
  runs: readonly Run[];
  relation: DensityRelation;
}

const SOURCES = ['snyder2006', 'nazarian2015', 'damron2016', 'keller1994'] as const;

export function resolveDensityRelation(override?: Partial<DensityRelation>): DensityRelation {
  return { ...R.densityRelation, ...override };
}

/** The result when rigidity cannot be computed at all (the analysis measured no bone). */
export function rigidityNotComputed(relation: DensityRelation, why: string): Rigidity {
  return {
    ...emptyRigidity(relation),
    warnings: [{ code: 'rigidity-not-computed', message: `No rigidity: it needs the shaft of a long bone followed along its axis (vertebrae, ribs, pelvis and other flat or short bones are not). Here: ${why}` }],
  };
}

function emptyRigidity(relation: DensityRelation): Rigidity {
  return {
    informational: true,
    weakestSection: null,
    intactReference: null,
    lossPercent: null,
    exceedsCriterion: null,
    criterionPercent: R.lossCriterionPercent,
    contralateralReference: null,
    lossVsContralateralPercent: null,
    densityRelation: relation,
    profile: [],
    warnings: [],
    sources: SOURCES.map((id) => sourceCitation(id)),
  };
}

export function boneRigidity(input: BoneRigidityInput): Rigidity {
  const { sampler, axis, reference, grid, evals, stretch, lesional, runs, relation } = input;
  const out = emptyRigidity(relation);
  const warn = (code: RigidityWarning['code'], message: string) => out.warnings.push({ code, message });
  if (relation.calibration.startsWith('phantomless')) {
    warn('rigidity-uncalibrated', `No calibration phantom: HU were turned into density as ${relation.calibration}. The absolute EA, EI and GJ are approximate; the losses against the same scan's intact bone do not depend on that scale.`);
  }
  const step = grid.stepMm;
  const window = Math.round(R.windowMm / step);
  const gap = Math.round(R.referenceGapMm / step);
  const lo = Math.max(stretch.lo, lesional[0] - window);
  const hi = Math.min(stretch.hi, lesional[1] + window);
  const sampleStep = rigiditySampleStepMm(sampler.volume.spacing);
  const nearRun = (m: number) => runs.some(([a, b]) => m >= a - gap && m <= b + gap) || (m >= lesional[0] - gap && m <= lesional[1] + gap);

  let unmeasured = 0;
  for (let m = lo; m <= hi; m++) {
    const t = grid.tOf(m);
    const e = evals[m];
    const isLesional = m >= lesional[0] && m <= lesional[1];
    const row: RigiditySection = {
      positionMm: round(t, 3),
      EA: null,
      EImin: null,
      EImax: null,
      GJ: null,
      weakAxisDeg: null,
      centroidMm: null,
      boneAreaMm2: null,
      lesional: isLesional,
      reference: false,
      notMeasuredReason: null,
    };
    out.profile.push(row);
    if (!e.measured) {
      row.notMeasuredReason = e.notMeasured ?? 'not-analysed';
      unmeasured++;
      continue;
    }
    const mask = intactMask(reference, t);
    if (!mask) {
      row.notMeasuredReason = 'no-reference';
      unmeasured++;
      continue;
    }
    const s = sectionRigidity(sampler, sectionFrame(pointOnAxis(axis, t), axis.direction), mask, relation, sampleStep);
    if (typeof s === 'string') {
      row.notMeasuredReason = s;
      unmeasured++;
      continue;
    }
    Object.assign(row, {
      EA: s.EA,
      EImin: s.EImin,
      EImax: s.EImax,
      GJ: s.GJ,
      weakAxisDeg: round(s.weakAxisDeg, 1),
      centroidMm: [round(s.centroidMm[0], 3), round(s.centroidMm[1], 3)],
      boneAreaMm2: round(s.boneAreaMm2, 2),
    });
    row.reference = !isLesional && !nearRun(m) && e.circumferentialPercent === 0;
  }
  if (unmeasured > 0) {
    warn('rigidity-sections-not-measured', `${unmeasured} of ${out.profile.length} sections have no rigidity (partly outside the volume, metal, or not measured by the cortical analysis): they count neither as intact nor as lesional.`);
  }

  const refs = out.profile.filter((r) => r.reference);
  if (refs.length >= R.minReferenceSections) {
    out.intactReference = {
      EA: median(refs.map((r) => r.EA!)),
      EImin: median(refs.map((r) => r.EImin!)),
      GJ: median(refs.map((r) => r.GJ!)),
      sections: refs.map((r) => r.positionMm),
      basis: `median of ${refs.length} sections of the same bone, within ${R.windowMm} mm of the lesional sections, at least ${R.referenceGapMm} mm from any cortical involvement, where the cortical analysis found no involvement`,
    };
  } else {
    warn('rigidity-no-intact-reference', `Only ${refs.length} intact sections of this bone could be measured near the lesion (at least ${R.minReferenceSections} are needed): no loss figures.`);
  }

  const lesionRows = out.profile.filter((r) => r.lesional && r.EA !== null);
  if (lesionRows.length === 0) {
    warn('rigidity-lesion-not-measured', 'No lesional section could be measured (outside the volume or metal): no weakest section.');
    return out;
  }
  const ref = out.intactReference;
  // The weakest section: the largest loss in any of EA, EI, GJ (the criterion reads any of them);
  // without a reference, the smallest bending rigidity.
  const worstLoss = (r: RigiditySection) => (ref ? Math.max(lossPercent(r.EA!, ref.EA), lossPercent(r.EImin!, ref.EImin), lossPercent(r.GJ!, ref.GJ)) : -r.EImin!);
  const weakest = lesionRows.reduce((a, b) => (worstLoss(b) > worstLoss(a) ? b : a));
  out.weakestSection = {
    positionMm: weakest.positionMm,
    EA: weakest.EA!,
    EImin: weakest.EImin!,
    EImax: weakest.EImax!,
    GJ: weakest.GJ!,
    weakAxisDeg: weakest.weakAxisDeg!,
    centroidMm: weakest.centroidMm!,
  };
  if (ref) {
    out.lossPercent = losses(out.weakestSection, ref);
    out.exceedsCriterion = Math.max(out.lossPercent.EA, out.lossPercent.EImin, out.lossPercent.GJ) > R.lossCriterionPercent;
  }
  return out;
}

/** The contralateral reference from the other bone's own rigidity analysis at its click. */
export function addContralateral(target: Rigidity, other: Rigidity, seed: Vec3): void {
  const near = other.profile.filter((r) => r.EA !== null && !r.lesional && Math.abs(r.positionMm) <= R.contralateralHalfWindowMm);
  const lesional = other.profile.filter((r) => r.lesional && r.EA !== null);
  // The clicked level itself is intact bone there when nothing is involved at it.
  const sections = [...near, ...lesional].filter((r) => r.reference || r.lesional);
  if (sections.length < R.minReferenceSections || other.warnings.some((w) => w.code === 'rigidity-not-computed')) {
    target.warnings.push({ code: 'rigidity-contralateral', message: 'The contralateral bone could not be measured at the clicked level: no contralateral reference.' });
    return;
  }
  target.contralateralReference = {
    seed,
    EA: median(sections.map((r) => r.EA!)),
    EImin: median(sections.map((r) => r.EImin!)),
    GJ: median(sections.map((r) => r.GJ!)),
    sections: sections.map((r) => r.positionMm),
  };
  if (target.weakestSection) target.lossVsContralateralPercent = losses(target.weakestSection, target.contralateralReference);
}

const median = (values: readonly number[]) => quantileInPlace(Float64Array.from(values), values.length, 0.5);

function losses(v: { EA: number; EImin: number; GJ: number }, ref: { EA: number; EImin: number; GJ: number }) {
  return { EA: round(lossPercent(v.EA, ref.EA), 2), EImin: round(lossPercent(v.EImin, ref.EImin), 2), GJ: round(lossPercent(v.GJ, ref.GJ), 2) };
}

/** The bone's mask on the section at t: the intact periosteal radius per degree plus the margin; null when too many angles are unknown. */
function intactMask(reference: IntactReference, t: number): ((deg: number) => number) | null {
  const A = P.angleCount;
  const radius = new Float64Array(360);
  let unknown = 0;
  for (let a = 0; a < 360; a++) {
    const r = reference.at(t, (a * A) / 360, A)[0];
    radius[a] = r;
    if (!(r > 0)) unknown++;
  }
  if (unknown > P.maxUnknownAngleShare * 360) return null;
  const known = Array.from(radius).filter((r) => r > 0);
  const fallback = Math.max(...known);
  return (deg) => {
    const r = radius[Math.floor(deg) % 360];
    return (r > 0 ? r : fallback) + R.maskMarginMm;
  };
}

function round(x: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}
