import { displayPersonName } from '../study/select';
import { usesThreshold } from '../../shared/measure/derived';
import type { Report, ReportLesion, UsedValueJson } from '../../shared/schemas/report';
import { PdfFlow } from './pdfLayout';
import { comparatorText, type ReportTexts } from './texts';
import { quantityKey, unitKey } from '../assess/definitionKeys';
import { coverageText } from '../rt/coverageText';

/**
 * The printable report: one generator (pdf-lib) for both hosts, drawn only from the report
 * model, so a report re-imported from its JSON gives the same PDF. Sections: identification,
 * summary, per lesion (recommendation and reasons, values with provenance, clinical items,
 * scores, criteria, caveats, radiotherapy options, key images), calcaemia, definitions and
 * sources; footer with the patient ID, date and page number on every page.
 */
export async function renderReportPdf(report: Report, x: ReportTexts): Promise<Uint8Array> {
  const { t } = x;
  const f = await PdfFlow.create();
  const date = report.generatedAt;
  f.doc.setTitle(t('report:title'));
  f.doc.setSubject(`${report.patient.id} ${report.study.date}`.trim());
  f.doc.setCreator(`${report.app.name} ${report.app.version}`);
  f.doc.setProducer(`${report.app.name} ${report.app.version} (pdf-lib)`);
  f.doc.setAuthor(report.reader);
  f.doc.setLanguage(report.language === 'fr' ? 'fr-FR' : 'en-GB');
  // Dates from the model, not the clock: the same model gives the same PDF.
  f.doc.setCreationDate(new Date(date));
  f.doc.setModificationDate(new Date(date));

  f.heading(t('report:title'), 1);
  f.text(t('report:subtitle'), { size: 8.5, color: 'muted' });
  f.space(4);

  // Identification
  f.heading(t('report:section.identification'));
  const s = report.series;
  f.keyValues([
    [t('report:field.patientName'), displayPersonName(report.patient.name) || '—'],
    [t('report:field.patientId'), report.patient.id || '—'],
    [t('report:field.studyDate'), formatDicomDate(report.study.date) || '—'],
    [t('report:field.studyDescription'), report.study.description || '—'],
    [t('report:field.studyUid'), report.study.studyInstanceUid || '—'],
    ...(s
      ? ([
          [t('report:field.series'), `${s.description || '—'} (${s.modality})`],
          [t('report:field.seriesUid'), s.seriesInstanceUid],
          [t('report:field.seriesKind'), t(`report:seriesKind.${s.kind}`)],
          [
            t('report:field.geometry'),
            `${s.instanceCount} / ${s.sliceThicknessMm === null ? '—' : `${x.number(s.sliceThicknessMm, 2)} mm`} / ${
              s.pixelSpacingMm ? `${x.number(s.pixelSpacingMm[0], 3)} × ${x.number(s.pixelSpacingMm[1], 3)} mm` : '—'
            }`,
          ],
          [t('report:field.kernel'), s.convolutionKernel ?? '—'],
        ] as Array<[string, string]>)
      : []),
    [t('report:field.reader'), report.reader || '—'],
    [t('report:field.generatedAt'), formatTimestamp(date)],
    [t('report:field.app'), `${report.app.name} ${report.app.version}`],
    [t('report:field.rulesVersion'), report.rulesVersion],
    [t('report:field.schemaVersion'), `${report.format} v${report.schemaVersion}`],
  ]);

  // Summary
  f.heading(t('report:section.summary'));
  if (report.lesions.length === 0) f.text(t('report:noLesion'));
  else
    f.table(
      [
        { header: t('report:table.lesion'), width: 0.34 },
        { header: t('report:table.site'), width: 0.2 },
        { header: t('report:table.score'), width: 0.14 },
        { header: t('report:table.level'), width: 0.32 },
      ],
      report.lesions.map((l, i) => [
        `${i + 1}. ${l.lesion.label || l.lesion.bone}`,
        siteText(l, x),
        scoreText(l),
        l.result ? x.level(l.result.level) : t('report:notRun', { items: l.formMissing.map(x.missingItem).join(', ') }),
      ]),
    );

  for (const [i, l] of report.lesions.entries()) await lesionSection(f, report, l, i, x);

  if (report.calcaemia) {
    f.heading(t('report:section.calcaemia'));
    const c = report.calcaemia;
    f.text(
      t('report:calcaemiaLine', {
        measured: x.number(c.input.measuredCalcaemiaMmolL, 2),
        albumin: x.number(c.input.albuminGL, 1),
        corrected: x.number(c.result.correctedCalcaemiaMmolL, 2),
      }),
    );
    if (c.result.hypercalcaemicCrisis) f.text(t('report:calcaemiaCrisis'), { bold: true });
    f.text(x.sourceShort(c.result.source, report), { size: 7.5, color: 'muted' });
  }

  definitionsSection(f, report, x);

  f.footer(
    t('report:footer', { patientId: report.patient.id || '—', date: formatTimestamp(date) }),
    (index, count) => t('report:page', { index, count }),
  );
  return f.doc.save({ useObjectStreams: false });
}

async function lesionSection(f: PdfFlow, report: Report, l: ReportLesion, index: number, x: ReportTexts): Promise<void> {
  const { t } = x;
  f.newPage();
  f.heading(t('report:section.lesion', { index: index + 1, label: l.lesion.label || l.lesion.bone }));
  f.keyValues([
    [t('report:field.bone'), l.lesion.bone || '—'],
    [t('report:field.site'), siteText(l, x)],
    ...(l.lesion.level ? ([[t('report:field.spineLevel'), l.lesion.level]] as Array<[string, string]>) : []),
  ]);

  f.heading(t('report:section.recommendation'), 3);
  const r = l.result;
  if (!r) {
    f.text(t('report:notRun', { items: l.formMissing.map(x.missingItem).join(', ') }), { bold: true });
  } else {
    f.text(x.level(r.level), { size: 13, bold: true, color: 'accent' });
    if (r.mirels) f.text(r.ctConfirmed ? t('report:ctConfirmed') : t('report:notCtConfirmed'));
    if (r.missing.length > 0) f.text(t('report:missing', { items: r.missing.map(x.missingItem).join(', ') }), { bold: true });
    f.heading(t('report:section.reasons'), 3);
    for (const reason of r.reasons) {
      f.bullet(x.reason(reason));
      f.text(x.sourceShort(reason.source, report), { indent: 12, size: 7.5, color: 'muted' });
    }
  }

  f.heading(t('report:section.values'), 3);
  f.table(
    [
      { header: t('report:table.quantity'), width: 0.27 },
      { header: t('report:table.value'), width: 0.12 },
      { header: t('report:table.origin'), width: 0.12 },
      { header: t('report:table.provenance'), width: 0.49 },
    ],
    l.values.map((v) => [
      t(`assess:quantity.${v.quantity}`),
      v.value === null ? '—' : `${x.number(v.value)} ${v.unit}`,
      t(`report:origin.${v.origin}`),
      provenanceText(v, x),
    ]),
  );

  if (l.rigidity) rigiditySection(f, l.rigidity, x);
  // Planning structures and the lesion (issue 17), in the report's language.
  if (l.structureCoverage?.length) {
    f.heading(x.t('rt:reportTitle'), 3);
    for (const c of l.structureCoverage) f.text(coverageText(c, x.t));
  }

  if (r) {
    f.heading(t('report:section.clinical'), 3);
    const inp = r.input;
    const tri = (b: boolean | null) => t(b === null ? 'report:unknown' : b ? 'report:yes' : 'report:no');
    // The spine is scored by SINS: Mirels' items and the femoral avulsion appear only where they count.
    const spine = inp.site === 'spine';
    f.keyValues([
      [t('assess:field.site'), t(`assess:site.${inp.site}`)],
      ...(inp.lesionType ? [[t('assess:field.lesionType'), t(`assess:lesionType.${inp.lesionType}`)] as [string, string]] : []),
      ...(inp.pain ? [[t('assess:field.pain'), t(`assess:pain.${inp.pain}`)] as [string, string]] : []),
      [t('assess:field.lifeExpectancy'), tri(inp.lifeExpectancyOver3Months)],
      ...(spine ? [] : [[t('assess:field.lesserTrochanterAvulsion'), tri(inp.lesserTrochanterAvulsion)] as [string, string]]),
      [t('assess:field.painAfterRadiotherapy'), tri(inp.painAfterRadiotherapy)],
    ]);

    if (r.mirels || r.sins) f.heading(t('report:section.scores'), 3);
    if (r.mirels) {
      const m = r.mirels;
      const axial = l.values.find((v) => v.quantity === 'axialPercent');
      const sizeNote =
        m.sizeSource === 'entered'
          ? t('report:mirels.sizeEntered')
          : t('report:mirels.sizeMeasured', { origin: t(`report:origin.${axial?.origin ?? 'measured'}`) });
      f.table(
        [
          { header: t('report:table.item'), width: 0.3 },
          { header: t('report:table.value'), width: 0.5 },
          { header: t('report:table.points'), width: 0.2 },
        ],
        [
          [t('report:mirels.site'), t(`assess:site.${inp.site}`), String(m.items.site)],
          [t('report:mirels.size'), sizeNote, String(m.items.size)],
          [t('report:mirels.lesionType'), t(`assess:lesionType.${inp.lesionType}`), String(m.items.lesionType)],
          [t('report:mirels.pain'), t(`assess:pain.${inp.pain}`), String(m.items.pain)],
          [t('report:mirels.total'), '', String(m.score)],
        ],
      );
    }
    if (r.sins) {
      const sins = r.sins;
      f.table(
        [
          { header: t('report:table.item'), width: 0.3 },
          { header: t('report:table.value'), width: 0.5 },
          { header: t('report:table.points'), width: 0.2 },
        ],
        [
          ...Object.entries(sins.components).map(([k, pts]) => {
            const chosen = (inp.sins as Record<string, unknown> | undefined)?.[k];
            return [t(`assess:sins.${k}`), typeof chosen === 'string' ? t(`assess:sins.opt.${k}.${chosen}`) : '—', String(pts)];
          }),
          [t('report:sins.total'), x.sinsBand(sins.band), String(sins.score)],
        ],
      );
      if (sins.vertebroplastyContraindications && sins.vertebroplastyContraindications.length > 0) {
        f.text(
          t('assess:result.contraindicationsList', {
            list: sins.vertebroplastyContraindications.map((c) => t(`rules:vertebroplastyFlags.${c}`, { defaultValue: c })).join(', '),
          }),
          { bold: true },
        );
      }
    }

    if (r.criteria.length > 0) {
      f.heading(t('report:section.criteria'), 3);
      f.table(
        [
          { header: t('report:table.criterion'), width: 0.34 },
          { header: t('report:table.status'), width: 0.12 },
          { header: t('report:table.valueVsThreshold'), width: 0.2 },
          { header: t('report:table.role'), width: 0.12 },
          { header: t('report:table.source'), width: 0.22 },
        ],
        r.criteria.map((c) => [
          x.criterion(c.id),
          x.status(c.status),
          x.criterionValue(c),
          c.informational ? t('report:informational') : c.decisive ? t('report:decisive') : t('report:shown'),
          x.sourceShort(c.source, report),
        ]),
      );
    }

    if (r.caveats.length > 0) {
      f.heading(t('report:section.caveats'), 3);
      for (const c of r.caveats) f.bullet(`${x.caveat(c)} [${x.sourceShort(c.source, report)}]`, { size: 8.5 });
    }
    if (r.radiotherapyOptions.length > 0) {
      f.heading(t('report:section.radiotherapy'), 3);
      for (const o of r.radiotherapyOptions) f.bullet(`${x.radiotherapy(o)} [${x.sourceShort(o.source, report)}]`, { size: 8.5 });
    }
    if (r.postOperativeRadiotherapy) {
      f.heading(t('report:section.postOp'), 3);
      f.text(`${x.reason(r.postOperativeRadiotherapy)} [${x.sourceShort(r.postOperativeRadiotherapy.source, report)}]`);
    }
  }

  // Keep the heading with its first image (no orphan heading at a page foot).
  if (l.keyImages.length > 0) f.ensure(250);
  f.heading(t('report:section.keyImages'), 3);
  if (l.keyImages.length === 0) f.text(t('report:noKeyImage'), { color: 'muted' });
  // Two to a row, three rows a page at most; each captioned with its view in the report's language.
  await f.imageGrid(
    l.keyImages.map((img) => ({
      png: img.pngDataUrl,
      caption: `${t(`report:view.${img.viewportId}`, { defaultValue: img.viewportId })} — ${img.caption}, ${formatTimestamp(img.capturedAt)}`,
    })),
    2,
    230,
  );
}

/** CT-based structural rigidity (issue 18): informational, with the calibration it used. */
function rigiditySection(f: PdfFlow, g: NonNullable<ReportLesion['rigidity']>, x: ReportTexts): void {
  const { t } = x;
  f.heading(`${t('analysis:rigidity.title')} (${t('analysis:rigidity.informational')})`, 3);
  const w = g.weakestSection;
  if (!w) {
    for (const warning of g.warnings) f.text(t(`analysis:rigidity.warning.${warning.code}`, { defaultValue: warning.message }), { color: 'muted' });
    return;
  }
  const sci = (v: number) => v.toExponential(2);
  const unit = { EA: 'N', EImin: 'N·mm²', GJ: 'N·mm²' } as const;
  f.text(t('analysis:rigidity.weakest', { position: x.number(w.positionMm) }));
  f.table(
    [
      { header: t('report:table.quantity'), width: 0.28 },
      { header: t('analysis:rigidity.loss'), width: 0.14 },
      { header: t('analysis:rigidity.atWeakest'), width: 0.29 },
      { header: t('analysis:rigidity.intact'), width: 0.29 },
    ],
    (['EA', 'EImin', 'GJ'] as const).map((q) => [
      t(`analysis:rigidity.short.${q}`),
      g.lossPercent ? `${x.number(g.lossPercent[q])} %` : '—',
      `${sci(w[q])} ${unit[q]}`,
      g.intactReference ? `${sci(g.intactReference[q])} ${unit[q]}` : '—',
    ]),
  );
  if (g.exceedsCriterion !== null) f.text(t(g.exceedsCriterion ? 'analysis:rigidity.above' : 'analysis:rigidity.below', { percent: g.criterionPercent }), { bold: g.exceedsCriterion });
  if (g.intactReference) f.text(t('analysis:rigidity.reference', { count: g.intactReference.sections.length }), { size: 8, color: 'muted' });
  const d = g.densityRelation;
  f.text(t('analysis:rigidity.relation', { a: d.modulusCoefficientMpa, b: d.modulusExponent, k: d.ashDensityPerHu, nu: d.poissonRatio, calibration: d.calibration }), { size: 8, color: 'muted' });
  for (const warning of g.warnings) f.text(t(`analysis:rigidity.warning.${warning.code}`, { defaultValue: warning.message }), { size: 8, color: 'muted' });
  for (const s of g.sources) f.text(s, { indent: 12, size: 7.5, color: 'muted' });
}

function definitionsSection(f: PdfFlow, report: Report, x: ReportTexts): void {
  const { t } = x;
  f.newPage();
  f.heading(t('report:section.definitions'));
  f.heading(t('report:section.measurementDefinitions'), 3);
  for (const kind of ['axialLengthMm', 'circumferentialPercent', 'axialPercent']) {
    // French typography puts a space before the colon.
    f.bullet(`${t(`rules:measurements.${kind}.name`)}${report.language === 'fr' ? ' : ' : ': '}${t(`rules:measurements.${kind}.definition`)} ${t(`rules:measurements.${kind}.howTo`)}`, {
      size: 8.5,
    });
  }
  for (const key of ['crossSection', 'involvement']) f.bullet(t(`rules:measurements.${key}`), { size: 8.5 });
  if (report.definitions.caveats.length > 0) {
    f.heading(t('report:section.caveats'), 3);
    for (const c of report.definitions.caveats) f.bullet(`${x.caveat(c)} [${x.sourceShort(c.source, report)}]`, { size: 8.5 });
  }
  f.heading(t('report:section.thresholds'), 3);
  f.table(
    [
      { header: t('report:table.threshold'), width: 0.2 },
      { header: t('report:table.meaning'), width: 0.55 },
      { header: t('report:table.source'), width: 0.25 },
    ],
    report.definitions.thresholds.map((th) => [
      // Named and unitised in the report's language, as in the Definitions tab (issue 14 defect 7).
      `${x.t(`rules:${quantityKey(th.quantity)}`, { defaultValue: th.quantity })} ${comparatorText(th.comparator)} ${x.number(th.value, 1)} ${x.t(`rules:${unitKey(th.unit)}`, { defaultValue: th.unit })}`
        .replace(/\s+/g, ' ')
        .trim(),
      x.threshold(th.id, th.note),
      [th.source, ...(th.alsoCited ?? [])].map((id) => x.sourceShort(id, report)).join('; '),
    ]),
    { size: 7.5 },
  );
  f.heading(t('report:section.sources'), 3);
  for (const src of report.definitions.sources) {
    f.text(`[${x.sourceShort(src.id, report)}] ${src.citation}`, { size: 7.5 });
  }
}

export function siteText(l: ReportLesion, x: ReportTexts): string {
  const site = l.result?.input.site ?? l.lesion.site;
  return `${x.t(`assess:site.${site}`)}${l.lesion.level ? ` ${l.lesion.level}` : ''}`;
}

export function scoreText(l: ReportLesion): string {
  if (l.result?.mirels) return `Mirels ${l.result.mirels.score}`;
  if (l.result?.sins) return `SINS ${l.result.sins.score}`;
  return '—';
}

export function provenanceText(v: UsedValueJson, x: ReportTexts): string {
  const { t } = x;
  if (v.origin === 'entered') {
    return v.measuredValue === null
      ? t('report:provenance.enteredOnly')
      : t('report:provenance.overrides', { value: `${x.number(v.measuredValue)} ${v.unit}` });
  }
  const m = v.measurement;
  const pending = v.offAxisPending ? t('report:provenance.offAxisPending', { count: v.offAxisPending }) : null;
  if (!m) return [t('report:provenance.none'), pending].filter(Boolean).join(', ');
  const p = m.provenance;
  const parts = [
    t('report:provenance.tool', { tool: t(`report:tool.${p.tool}`, { defaultValue: p.tool }) }),
    t('report:provenance.method', { method: t(`report:method.${p.method}`) }),
    // Only the tools that count density use a threshold: a ruler or an arc has none (issue 14).
    usesThreshold(p.tool) ? t('report:provenance.thresholdHu', { value: x.number(p.thresholdHu, 0) }) : null,
    // Where the plane is, not only its kind: a reader must be able to find the section again.
    p.plane ? t('report:provenance.plane', { kind: t(`report:planeKind.${p.plane.kind}`, { defaultValue: p.plane.kind }), origin: p.plane.origin.map((c) => x.number(c)).join(' ; ') }) : null,
    p.sopInstanceUids && p.sopInstanceUids.length > 0
      ? t('report:provenance.instances', { count: p.sopInstanceUids.length, first: p.sopInstanceUids[0] })
      : null,
    `${t('report:field.series')} ${p.seriesInstanceUid}`,
    p.reader ? t('report:provenance.reader', { reader: p.reader }) : null,
    formatTimestamp(p.time),
    t('report:provenance.choice', { count: v.measurementCount }),
    v.offAxis ? t('report:provenance.offAxis') : null,
    v.offAxisSetAside ? t('report:provenance.offAxisSetAside', { count: v.offAxisSetAside }) : null,
    v.boneAxisNotDefined ? t('report:provenance.boneAxisNotDefined') : null,
    pending,
  ];
  return parts.filter((s): s is string => !!s).join(', ');
}

/** DICOM DA (YYYYMMDD) → YYYY-MM-DD; anything else unchanged. */
export function formatDicomDate(da: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(da.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : da;
}

/** ISO timestamp → "YYYY-MM-DD HH:MM UTC" (unambiguous in both languages). */
export function formatTimestamp(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}
