import { DEFAULT_CORTICAL_THRESHOLD_HU, INVOLVED_WALL_FRACTION } from '../geometry/ring';

/**
 * Every number the assisted cortical analysis depends on, in one place, with why.
 * Clinical definitions come from clinical-rules.md §1; the rest are sampling choices checked
 * by the accuracy tests on the synthetic CT (test/unit/analysis/accuracy.test.ts).
 */
export const ANALYSIS_PARAMETERS = {
  /** §1: cortex below this density counts as destroyed (adjustable per lesion). */
  defaultThresholdHu: DEFAULT_CORTICAL_THRESHOLD_HU,
  /** §1: an angle is involved when at least half of the local wall is destroyed. */
  involvedWallFraction: INVOLVED_WALL_FRACTION,
  /** Rays per cross-section: 1° sectors, the resolution of circumferential %. */
  angleCount: 360,
  /** Rays per cross-section while fitting the axis (5°). */
  axisRayCount: 72,
  /**
   * Sections used to fit the axis, per round: ± half-length from the seed (mm) every step mm.
   * The first round stays close to the seed (the guessed axis may be 25° off, so far sections
   * would miss the canal); later rounds reach beyond a long lesion to find intact rings.
   */
  axisRounds: [
    { halfLengthMm: 10, stepMm: 2.5 },
    { halfLengthMm: 20, stepMm: 4 },
    { halfLengthMm: 30, stepMm: 5 },
  ],
  /** A section joins the axis fit when at least this share of its rays meet cortex. */
  axisMinHitShare: 0.2,
  /** Axis refinement stops after this many rounds or when it moves less than 0.05°. */
  axisIterations: 6,
  /** Largest bone radius the analysis accepts (mm): bigger rings are not a long bone. */
  maxBoneRadiusMm: 60,
  /** Sampling step along rays (mm): fine against the 0.5 mm pixels we support. */
  rayStepMm: 0.2,
  /** A ray has left the cortex once it has seen this much soft tissue (mm): trabecular gaps are shorter. */
  leaveCortexGapMm: 2,
  /** Rays reach this multiple of the bone radius (+ 4 mm) to find the periosteal surface. */
  rayReachFactor: 1.6,
  /** Background HU for the half-maximum edges is read this far beyond the threshold crossing (mm). */
  backgroundOffsetMm: [1, 2] as const,
  /** Cross-sections are analysed ± this far from the seed along the axis (mm). */
  scanHalfLengthMm: 80,
  /** Profile step along the axis (mm). */
  profileStepMm: 1,
  /** Step used to locate the proximal / distal end of the involvement (mm). */
  boundaryStepMm: 0.1,
  /**
   * The intact bone at an angle is estimated from the sections within ± this distance (mm):
   * a lesion only removes bone, so the periosteal radius is their median and the intact wall
   * thickness a high quantile of theirs, which the lesion cannot pull while it covers less
   * than referenceThicknessQuantile of the window.
   */
  referenceHalfWindowMm: 40,
  referenceThicknessQuantile: 0.75,
  /** Warn when the involvement covers more than this share of the reference window. */
  referenceWindowWarningShare: 0.6,
  /**
   * Walls (for the intact reference) are found on sections this far apart (mm) and on
   * wallAngleCount rays; the reference is interpolated in between. The reference pools many
   * sections, so it needs neither the profile's step nor its 1° rays.
   */
  wallSectionStepMm: 2.5,
  wallAngleCount: 180,
  /** Rays start this share of the bone radius out from the axis (the canal holds no wall). */
  wallSearchStartShare: 0.25,
  /**
   * Partial-volume correction on rays with destroyed material (a ray with nothing below the
   * threshold stays intact). The cortex left at each depth of the wall is estimated by mass
   * balance, (HU − lesion HU) / (intact HU at that depth − lesion HU), which blur preserves on
   * average; a fixed 400 HU cut (27 % of the way from lesion to cortex) moved the lesion/cortex
   * boundary ~0.2 mm into the lesion (partial-depth lesions under-read by 3–6 points) and
   * counted a remnant thinner than a pixel as destroyed. If a section has too few intact rays
   * for the intact depth profile, the boundary is placed half-way between lesion and cortex HU.
   */
  partialVolumeCorrection: true,
  /** Intact rays needed on a section to use the mass balance (else the half-way level). */
  minIntactRaysForMass: 36,
  /**
   * A ray whose own wall on the section overlaps the expected intact ring by half and is at least
   * this share of its thickness counts as intact (the reference may lag behind the bone's shape;
   * a lesion only removes bone). Walls thinned by more than 1 − this share are judged as before.
   */
  intactWallShare: 0.8,
  /** …and its peak is at least this share of the section's typical cortical peak (a lesion's blurred edge is less dense). */
  intactWallPeakShare: 0.75,
  /** …and overlaps the expected ring by at least this share of its thickness (a neighbouring bone beyond it does not). */
  intactWallOverlapShare: 0.2,
  /** …or by this share when displaced inward (a local bend, not a dense structure inside the canal). */
  intactWallInwardOverlapShare: 0.5,
  /** Samples at each end of the wall judged at the threshold itself (the ring's own blurred surfaces). */
  partialVolumeEdgeSamples: 2,
  /**
   * An angle is borderline when its destroyed share of the wall is within this margin of the
   * half-wall criterion; the 'borderline-involvement' warning fires when the most affected
   * section has at least borderlineWarningDeg of such angles, and at least borderlineWarningShare
   * of its involved arc (the half-wall rule is then ill-conditioned: a small change in depth
   * moves a large arc in or out; the tapered rim of a deep lesion alone does not warn).
   */
  borderlineWallMargin: 0.12,
  borderlineWarningDeg: 30,
  borderlineWarningShare: 0.35,
  /** Samples across the wall per ray for involvement and area. */
  wallSamples: 20,
  /** Sections whose axial % is within this many points of the largest count as equally affected. */
  mostAffectedTiePercent: 1,
  /** Involved arcs narrower than this (°) are noise at 1° sampling and are dropped. */
  minInvolvedArcDeg: 3,
  /**
   * Only sections with an involved arc this wide (°) make a run of involvement; narrower arcs
   * count only when locating its ends between two profile sections. On real intact cortex
   * (ridges, bends, density changes round the bone) isolated arcs of up to ~13° come and go;
   * below 15° (4 % of the circumference) no criterion of clinical-rules.md §3 is near.
   */
  minLesionArcDeg: 15,
  /**
   * A run's ends: it extends over the sections whose circumferential % is at least this share of
   * its peak, or at least runEdgePercent (a lesion's tapering tip, partial volume at its ends),
   * not over the few-degree arcs of real cortex beside it (1–4 % on the real shafts tried,
   * mostly under 2 %).
   */
  runEdgeShare: 0.25,
  runEdgePercent: 2,
  /**
   * The click says "the lesion is here": only a run of involved sections that contains the clicked
   * level, or ends within this distance of it (mm), is measured (issue 13).
   */
  seedRunToleranceMm: 3,
  /**
   * Without involvement, axial % (endosteal scalloping) is read at the clicked level: the largest
   * within ± this distance of the click (mm), 0 = the clicked section itself. Not the maximum of
   * the profile: on real intact cortex sections read 0–6 %, the most near a scan end, where the
   * reference is one-sided, and the click says where the lesion is.
   */
  clickWindowMm: 0,
  /**
   * Bone measured around the seed shorter than this (mm) gives no intact bone to compare with
   * (a flat or curved bone the straight axis leaves at once, or a scan end): no measurement.
   */
  minMeasuredStretchMm: 20,
  /** Unmeasured gaps up to this long (mm) do not end the measured stretch of bone around the seed. */
  maxUnmeasuredGapMm: 3,
  /** Sections with more than this share of unknown angles are not measured. */
  maxUnknownAngleShare: 0.1,
  /** Metal (implants, cement with contrast) above this HU makes the threshold meaningless. */
  metalHu: 3000,
  /** Cortex thinner than this many in-plane pixels cannot be measured reliably (partial volume). */
  thinCortexPixels: 2,
  /** Periosteal circle fit worse than this share of the radius: the bone is not a tube here. */
  poorFitRmsShare: 0.1,
  /**
   * When more than this share of the measured sections look involved there is no intact bone
   * to compare with (not a long bone — e.g. vertebral bodies and discs — or a diffuse process):
   * the numbers are withheld.
   */
  maxInvolvedSectionShare: 0.6,
  /** At least this share of the rays from the seed must meet cortex for the seed to be in a bone. */
  minSeedRayHitShare: 0.6,
} as const;

/**
 * CT-based structural rigidity (clinical-rules.md §9), informational: every constant with its
 * source or reason. The density relation is overridable (a site with a calibration phantom
 * enters its own); the losses — the figure that matters — do not depend on its scale
 * (modulusCoefficientMpa, and ashDensityPerHu when ashDensityAtZeroHu is 0), only on its exponent.
 */
export const RIGIDITY_PARAMETERS = {
  densityRelation: {
    // Phantomless: 1 HU ≈ 1 mg/cm³ of mineral-equivalent density, the usual approximation
    // without a calibration phantom (water 0 HU → 0): absolute rigidities are approximate.
    ashDensityPerHu: 0.001,
    ashDensityAtZeroHu: 0,
    // E = 10 500 · ρ_ash^2.29 MPa: the femoral relation of Keller 1994 (J Biomech 27:1159–68),
    // as QCT finite-element and rigidity studies use it.
    modulusCoefficientMpa: 10500,
    modulusExponent: 2.29,
    // clinical-rules.md §9: G = E / (2(1 + ν)), ν = 0.3.
    poissonRatio: 0.3,
    // Samples below this are not bone (marrow, fat, muscle, tumour soft tissue); trabecular bone is above.
    minBoneHu: 150,
    calibration: 'phantomless (1 HU = 1 mg/cm³, no calibration phantom)',
  },
  /** The bone counted on a section: inside the intact periosteal ring plus this margin (mm). */
  maskMarginMm: 2,
  /** Section sampling step: half the finest voxel spacing, at most this (mm). */
  maxSampleStepMm: 0.5,
  /** Metal makes the modulus meaningless: a section with a sample above this HU has no values. */
  metalHu: ANALYSIS_PARAMETERS.metalHu,
  /** Rigidity is computed this far (mm) beyond the lesional sections on each side: where the intact reference is read. */
  windowMm: ANALYSIS_PARAMETERS.referenceHalfWindowMm,
  /**
   * Intact reference sections are measured, show no cortical involvement, and lie at least this
   * far (mm) from the lesional sections and any other involved run: a lesion's tapering end and
   * partial volume reach a few mm beyond its measured length.
   */
  referenceGapMm: 10,
  /** Fewer intact sections than this: no intact reference, no loss. */
  minReferenceSections: 5,
  /** Without involvement at the click, the lesional sections are those within this distance (mm) of it. */
  clickHalfWidthMm: ANALYSIS_PARAMETERS.seedRunToleranceMm,
  /** Contralateral bone: its intact sections within this distance (mm) of its click are the reference. */
  contralateralHalfWindowMm: 10,
  /**
   * Informational criterion: a loss above this (%) in EA, EI or GJ at the weakest section was
   * CTRA's fracture criterion (Snyder 2006; Nazarian 2015; Damron 2016). Never decisive (§4).
   */
  lossCriterionPercent: 35,
} as const;
