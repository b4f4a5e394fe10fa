/**
 * Which structures contain or touch a lesion's measured cortical region and its seed (issue 17).
 *
 * The involved cortical region is the assisted analysis' own: on the most affected section, the
 * involved arcs between the intact endosteal and periosteal radii; along the bone, over the
 * involved range, those arcs narrowed to each section's circumferential % (lesionRegion.ts). It is
 * sampled every ARC_STEP_DEG, at WALL_SAMPLES depths and every AXIAL_STEP_MM, and each sample is
 * tested against the ROI's contours. The "involved arc" figure is the most affected section's.
 */
import type { LesionAnalysis } from '../schemas/analysis';
import type { Vec3 } from '../schemas/common';
import type { RtCoverage, RtStruct } from '../schemas/rt';
import { insideRoi, roiSolid } from './contourGeometry';
import { involvedArcsAt } from './lesionRegion';

const ARC_STEP_DEG = 1;
const WALL_SAMPLES = 4;
const AXIAL_STEP_MM = 1;
const DEG = Math.PI / 180;

/** Intact periosteal and endosteal radii at angle θ (the analysis' tables, else its bone radius). */
function wallRadiiMm(a: LesionAnalysis, thetaDeg: number): { endoMm: number; perioMm: number } | null {
  const s = a.mostAffectedSection;
  if (!s) return null;
  const i = Math.round((((thetaDeg % 360) + 360) % 360) / s.radiusStepDeg) % Math.max(1, s.periostealRadiusMm.length);
  const perio = s.periostealRadiusMm[i] ?? a.boneRadiusMm;
  const endo = s.endostealRadiusMm[i] ?? (a.boneRadiusMm !== null && a.corticalThicknessMm !== null ? a.boneRadiusMm - a.corticalThicknessMm : null);
  if (perio === null || endo === null) return null;
  return { endoMm: endo, perioMm: perio };
}

export interface RegionSample {
  point: Vec3;
  /** On the most affected section, at mid-wall: these make up the involved arc. */
  arcMid: boolean;
}

/** Sample points of the involved cortical region (empty without a measured involvement). */
export function involvedRegionSamples(a: LesionAnalysis): RegionSample[] {
  const s = a.mostAffectedSection;
  if (!s || !a.axis || s.involvedArcs.length === 0) return [];
  const d = a.axis.direction;
  const range = a.involvedRangeMm ?? { startMm: s.positionMm, endMm: s.positionMm };
  const offsets: number[] = [0];
  for (let t = range.startMm; t <= range.endMm + 1e-9; t += AXIAL_STEP_MM) if (Math.abs(t - s.positionMm) > 1e-6) offsets.push(t - s.positionMm);
  const out: RegionSample[] = [];
  for (const off of offsets) {
    // Narrower arcs where the profile says the section is less involved (lesionRegion.ts).
    for (const arc of involvedArcsAt(a, s.positionMm + off)) {
      const steps = Math.max(1, Math.round(arc.sweepDeg / ARC_STEP_DEG));
      for (let k = 0; k < steps; k++) {
        const theta = arc.startDeg + ((k + 0.5) * arc.sweepDeg) / steps;
        const radii = wallRadiiMm(a, theta);
        if (!radii) continue;
        const c = Math.cos(theta * DEG);
        const sn = Math.sin(theta * DEG);
        const dir: Vec3 = [c * s.u[0] + sn * s.v[0], c * s.u[1] + sn * s.v[1], c * s.u[2] + sn * s.v[2]];
        for (let w = 0; w < WALL_SAMPLES; w++) {
          const r = radii.endoMm + ((w + 0.5) * (radii.perioMm - radii.endoMm)) / WALL_SAMPLES;
          out.push({
            point: [s.origin[0] + off * d[0] + r * dir[0], s.origin[1] + off * d[1] + r * dir[1], s.origin[2] + off * d[2] + r * dir[2]],
            arcMid: off === 0 && (w === WALL_SAMPLES / 2 - 1 || w === WALL_SAMPLES / 2),
          });
        }
      }
    }
  }
  return out;
}

/**
 * A coverage percentage as printed (without the unit), never rounded onto a different relation:
 * a partial cover (below 99.95 %) never reads "100" and a cover that reaches the region never
 * reads "0". Whole numbers from 1 to 99, rounded down; one decimal (rounded down) above 99 and
 * below 1, "< 0.1" below 0.1. `decimalMark` is the language's ("." or ",").
 */
export function coveragePercentFigure(x: number, decimalMark = '.'): string {
  if (x <= 0) return '0';
  if (x < 0.1) return `< 0${decimalMark}1`;
  if (x < 1) return (Math.floor(x * 10 + 1e-9) / 10).toFixed(1).replace('.', decimalMark);
  if (x > 99 && x < 99.95) return Math.min(99.9, Math.floor(x * 10 + 1e-9) / 10).toFixed(1).replace('.', decimalMark);
  if (x >= 99.95) return '100';
  return String(Math.min(99, Math.floor(x + 1e-9)));
}

const pct = (x: number) => (x >= 99.95 ? 'all' : `${coveragePercentFigure(x)} %`);

export function coverageSentence(c: Pick<RtCoverage, 'roiName' | 'involvedArcPercent' | 'involvedRegionPercent' | 'seedInside'>): string {
  const seed = c.seedInside ? 'contains the seed' : 'does not contain the seed';
  if (c.involvedArcPercent === null || c.involvedRegionPercent === null) return `${c.roiName}: no measured cortical involvement to cover; ${seed}.`;
  if (c.involvedRegionPercent === 0) return `${c.roiName} does not reach the involved cortex; ${seed}.`;
  const arc = c.involvedArcPercent >= 99.95 ? 'covers all of the involved arc' : `covers ${pct(c.involvedArcPercent)} of the involved arc`;
  return `${c.roiName} ${arc} (${pct(c.involvedRegionPercent)} of the involved cortical region); ${seed}.`;
}

/**
 * Coverage of the lesion by every ROI with closed contours. `sliceSpacingMm` is the series'
 * spacing (the slab of a structure drawn on a single slice).
 */
export function lesionCoverage(rt: RtStruct, analysis: LesionAnalysis, normalUnit: Vec3, sliceSpacingMm: number): RtCoverage[] {
  const samples = involvedRegionSamples(analysis);
  const arcSamples = samples.filter((s) => s.arcMid);
  return rt.rois
    .filter((roi) => roi.contours.some((c) => c.geometricType === 'CLOSED_PLANAR'))
    .map((roi) => {
      const solid = roiSolid(roi, normalUnit, sliceSpacingMm);
      const inRegion = samples.filter((s) => insideRoi(solid, s.point)).length;
      const inArc = arcSamples.filter((s) => insideRoi(solid, s.point)).length;
      const involvedRegionPercent = samples.length ? (100 * inRegion) / samples.length : null;
      const involvedArcPercent = arcSamples.length ? (100 * inArc) / arcSamples.length : null;
      const seedInside = insideRoi(solid, analysis.seed);
      const relation: RtCoverage['relation'] =
        involvedRegionPercent !== null && involvedRegionPercent >= 99.95 ? 'covers' : involvedRegionPercent ? 'partial' : seedInside ? 'touches' : 'none';
      const base = { roiNumber: roi.number, roiName: roi.name, involvedRegionPercent, involvedArcPercent, seedInside, relation };
      return { ...base, sentence: coverageSentence(base) };
    });
}
