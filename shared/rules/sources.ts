/**
 * Every source the rule engine cites, as a clinician would look it up (clinical-rules.md §10):
 * the primary literature by author, year and journal; the French guideline chapters by title.
 * No file name of ours reaches a user (issue 14). For the developer, the seeds behind them in
 * ../shared/seeds/: 000 = « Traitement local de la métastase osseuse par radiothérapie »,
 * 001 = « Contexte général des métastases osseuses dans le cancer broncho-pulmonaire »,
 * 002 = Chen 2020, 003 = Lo Bianco 2022, 004 = Li 2022.
 * Reasons, criteria and thresholds refer to these by id; the UI shows `short` and `citation`.
 */
export interface Source {
  id: string;
  /** Short label shown next to a reason (e.g. 'Mirels 1989'); language-neutral (shown in both UI languages). */
  short: string;
  /** Full citation, as a clinician would look it up. */
  citation: string;
}

/** The guideline the rules follow, as provided (its chapters are cited by title and section). */
const GUIDELINE = 'French bone-metastasis guideline (lung cancer), as provided';
const RT_CHAPTER = `« Traitement local de la métastase osseuse par radiothérapie », ${GUIDELINE}`;
const CONTEXT_CHAPTER = `« Contexte général des métastases osseuses dans le cancer broncho-pulmonaire », ${GUIDELINE}`;
const LI_2022 = 'Li C, Wu Q, Chang D et al. State-of-the-art of minimally invasive treatments of bone metastases. J Bone Oncol 2022;34:100425';

export const SOURCES = {
  'seed000-mirels-table': {
    id: 'seed000-mirels-table',
    short: 'Mirels 1989; guideline §1.2, tab. 3',
    citation:
      `Mirels H. Metastatic disease in long bones: a proposed scoring system for diagnosing impending pathologic fractures. Clin Orthop Relat Res 1989;(249):256–64; as tabulated in ${RT_CHAPTER}, §1.2, tableau 3 (score de Mirels sur les radiographies simples)`,
  },
  'seed000-ct-consolidation': {
    id: 'seed000-ct-consolidation',
    short: 'Guideline §1.2; Hipp 1995; van der Linden 2003',
    citation:
      `${RT_CHAPTER}, §1.2 (ostéolyse corticale > 30 % dans le plan axial et > 50 % dans la circonférence, Mirels ≥ 9 : chirurgie de consolidation première), citing Hipp JA et al. Clin Orthop Relat Res 1995;(312):120–35 and van der Linden YM et al. Radiother Oncol 2003;69(1):21–31 (its refs 77, 78)`,
  },
  'seed000-rcp': {
    id: 'seed000-rcp',
    short: 'Guideline §1.2 (RCP)',
    citation:
      `${RT_CHAPTER}, §1.2 (Mirels 8 ou en cas de doute : discussion en RCP-OOS)`,
  },
  'seed000-life-expectancy': {
    id: 'seed000-life-expectancy',
    short: 'Guideline §1.2',
    citation:
      `${RT_CHAPTER}, §1.2 (chirurgie prophylactique première si Mirels ≥ 9 et espérance de vie > 3 mois)`,
  },
  'seed000-postop-radiotherapy': {
    id: 'seed000-postop-radiotherapy',
    short: 'Guideline §1.4',
    citation:
      `${RT_CHAPTER}, §1.4 (radiothérapie post-opératoire de toute la pièce osseuse opérée, 15 jours à 3 semaines après le geste, sur peau cicatrisée), citing Townsend 1995 (its ref 86)`,
  },
  'seed000-sins': {
    id: 'seed000-sins',
    short: 'Fisher 2010 (SINS); guideline §1.2',
    citation:
      `Fisher CG et al. A novel classification system for spinal instability in neoplastic disease: an evidence-based approach and expert consensus from the Spine Oncology Study Group. Spine 2010;35(22):E1221–9; as used in ${RT_CHAPTER}, §1.2, tableau 10 (score SINS 0–18 ; ≥ 7 : avis chirurgical nécessaire)`,
  },
  'seed000-radiotherapy-schedules': {
    id: 'seed000-radiotherapy-schedules',
    short: 'Guideline §2',
    citation:
      `${RT_CHAPTER}, §2, tableau 5 (30 Gy/10, 24 Gy/6, 20 Gy/5, 8 Gy/1 ; ré-irradiation 20 % après 8 Gy vs 8 %)`,
  },
  'damron2016': {
    id: 'damron2016',
    short: 'Damron 2016',
    citation:
      'Damron TA et al. CT-based Structural Rigidity Analysis Is More Accurate Than Mirels Scoring for Fracture Prediction in Metastatic Femoral Lesions. Clin Orthop Relat Res 2016;474(3):643–51 (cited by the guideline, its ref 76)',
  },
  'vanDerLinden2003': {
    id: 'vanDerLinden2003',
    short: 'van der Linden 2003/2004',
    citation:
      'van der Linden YM et al. Simple radiographic parameter predicts fracturing in metastatic femoral bone lesions: results from a randomised trial. Radiother Oncol 2003;69(1):21–31; and J Bone Joint Surg Br 2004;86(4):566–73 (cited by the guideline, its ref 78, and by Li 2022, refs 52, 55)',
  },
  'seed004-mirels-accuracy': {
    id: 'seed004-mirels-accuracy',
    short: 'Li 2022 §2.2',
    citation:
      `${LI_2022}, §2.2 (Mirels: specificity 13 %, positive predictive value 14 %, van der Linden)`,
  },
  'deschamps-seed004': {
    id: 'deschamps-seed004',
    short: 'Deschamps 2012 (Li 2022 §2.2)',
    citation:
      `Deschamps F et al. J Vasc Interv Radiol 2012;23(10):1311–6, as cited by ${LI_2022}, §2.2 (its ref 49): Deschamps advocates prophylactic osteosynthesis for cortical involvement > 3 cm or a lesser-trochanter (« small rotor ») fracture`,
  },
  'vanDerWal2020': {
    id: 'vanDerWal2020',
    short: 'van der Wal 2020',
    citation:
      'van der Wal et al. Radiother Oncol 2020 (axial cortical involvement > 30 mm on radiographs: sensitivity 86 %, specificity 50 %, NPV 96 %)',
  },
  'tatar2014': {
    id: 'tatar2014',
    short: 'Tatar 2014',
    citation:
      'Tatar Z et al. Radiat Oncol 2014;9:227 (radiotherapy-planning CT of long-bone metastases: circumferential cortical involvement ≥ 30 % the only multivariate predictor of fracture, OR 62, 47 patients)',
  },
  'harrington1986': {
    id: 'harrington1986',
    short: 'Harrington 1986',
    citation:
      'Harrington KD. Impending pathologic fractures from metastatic malignancy: evaluation and management. Instr Course Lect 1986;35:357–81 (not in the guideline; widely used)',
  },
  'seed002-vertebroplasty': {
    id: 'seed002-vertebroplasty',
    short: 'Chen 2020',
    citation:
      'Chen Y, He Y et al. Treatment of spine metastases in cancer: a review. J Int Med Res 2020;48(4):1–12 (doi 10.1177/0300060519888107): vertebroplasty contraindications — spinal cord compression, tumour extension to the posterior wall, collapse > 75 %, recent fracture (its minimally invasive surgery paragraph, ref 63)',
  },
  'seed003-radiotherapy-table': {
    id: 'seed003-radiotherapy-table',
    short: 'Lo Bianco 2022, tab. 3',
    citation:
      'Lo Bianco G et al. A Multimodal Clinical Approach for the Treatment of Bone Metastases in Solid Tumors, 2022, table 3 (most common radiotherapy techniques) and §3.2 (re-irradiation no sooner than 4 weeks after non-response)',
  },
  'seed001-calcaemia': {
    id: 'seed001-calcaemia',
    short: 'Guideline (context chapter)',
    citation:
      `${CONTEXT_CHAPTER}: calcémie corrigée (mmol/L) = calcémie mesurée + (40 − albuminémie g/L) / 40 ; crise aiguë hypercalcémique si > 3,5 mmol/L`,
  },
  'snyder2006': {
    id: 'snyder2006',
    short: 'Snyder 2006',
    citation:
      'Snyder BD et al. Predicting fracture through benign skeletal lesions with quantitative computed tomography. J Bone Joint Surg Am 2006;88(1):55–70 (CT-based rigidity analysis; loss > 35 % in EA, EI or GJ as the fracture criterion)',
  },
  'nazarian2015': {
    id: 'nazarian2015',
    short: 'Nazarian 2015',
    citation:
      'Nazarian A et al. Treatment planning and fracture prediction in patients with skeletal metastasis with CT-based rigidity analysis. Clin Cancer Res 2015;21(11):2514–9 (CTRA: sensitivity 100 %, specificity 90 %, 124 patients)',
  },
  'keller1994': {
    id: 'keller1994',
    short: 'Keller 1994',
    citation: 'Keller TS. Predicting the compressive mechanical behavior of bone. J Biomech 1994;27(9):1159–68 (modulus–ash density power law, femur)',
  },
  'clinical-rules': {
    id: 'clinical-rules',
    short: 'Workstation rules',
    citation: 'Fracture-Risk Workstation rules (versioned with the application): readings fixed by the project where a source is ambiguous, each stated with the rule it reads',
  },
} as const satisfies Record<string, Source>;

export type SourceId = keyof typeof SOURCES;

export function sourceCitation(id: string): string {
  return (SOURCES as Record<string, Source>)[id]?.citation ?? id;
}

export function sourceShort(id: string): string {
  return (SOURCES as Record<string, Source>)[id]?.short ?? id;
}
