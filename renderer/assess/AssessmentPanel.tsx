import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mirelsSizeFromAxialPercent, THRESHOLDS } from '../../shared/rules';
import { SINS_COMPONENTS, SinsInputSchema, VERTEBROPLASTY_FLAGS, type SinsInput } from '../../shared/schemas/assessment';
import { SiteSchema, type MeasurementKind } from '../../shared/schemas/measurement';
import type { AssessmentDraft, SessionLesion } from '../../shared/schemas/session';
import { QUANTITIES, type UsedValue } from '../../shared/report/measuredValues';
import { addLesion, setActiveLesion, setAssessment, updateLesion, useSession } from '../state/session';
import { CalcaemiaHelper } from './CalcaemiaHelper';
import { boneAxisNotDefinedIds, lesionMeasurements, liveAssessment, parseTypedNumber } from './lesionAssessment';
import { ResultView } from './ResultView';
import { useSeriesSession } from './useSeriesSession';
import './assess.css';

/**
 * Per-lesion assessment: clinical items, Mirels items (size proposed from the measured axial %,
 * an entered size wins), the three CT values (measured — most affected of the lesion's
 * measurements — or entered, entered wins), SINS for the spine, and the live result.
 *
 * Test ids: assess-panel, assess-no-series, assess-lesion-select, assess-add-lesion, assess-bone, assess-site,
 * assess-spine-level, assess-lesion-type, assess-pain, assess-life-expectancy, assess-avulsion,
 * assess-pain-after-rt, assess-mirels-size, assess-size-proposal, assess-value-<quantity> (entered
 * input), assess-measured-<quantity> (data-value, data-origin), assess-value-error,
 * sins-<component>, sins-flag-<flag>, sins-height-measured, sins-height-expected, sins-collapse-percent,
 * sins-lengths, sins-use-measured, sins-use-expected (one per length measured on the lesion), sins-use-collapse,
 * assess-form-missing, plus the result's reco-* ids (ResultView).
 */
export function AssessmentPanel() {
  useSeriesSession();
  const { t } = useTranslation(['assess', 'rules']);
  const s = useSession();
  const session = s.session;
  if (!session) return <p className="muted" data-testid="assess-no-series">{t('assess:noLesion')}</p>;
  const lesion = session.lesions.find((l) => l.id === s.activeLesionId) ?? session.lesions[0] ?? null;
  return (
    <div className="assess-panel" data-testid="assess-panel">
      <div className="row">
        <label>
          {t('assess:lesion')}{' '}
          <select
            data-testid="assess-lesion-select"
            value={lesion?.id ?? ''}
            onChange={(e) => setActiveLesion(e.target.value || null)}
          >
            {session.lesions.map((l, i) => (
              <option key={l.id} value={l.id}>
                {[l.label || t('assess:lesionLabel', { index: i + 1 }), l.bone].filter(Boolean).join(' — ')}
              </option>
            ))}
          </select>
        </label>
        <button className="btn small" data-testid="assess-add-lesion" onClick={() => addLesion({ label: `#${session.lesions.length + 1}`, bone: '' })}>
          {t('assess:addLesion')}
        </button>
      </div>
      {!lesion ? <p className="muted">{t('assess:noLesion')}</p> : <LesionForm key={lesion.id} lesion={lesion} />}
      <details className="section" open={false}>
        <summary>{t('assess:section.calcaemia')}</summary>
        <CalcaemiaHelper />
      </details>
    </div>
  );
}

function LesionForm({ lesion }: { lesion: SessionLesion }) {
  const { t, i18n } = useTranslation(['assess', 'rules']);
  const fmt = numberFormat(i18n.resolvedLanguage ?? i18n.language);
  const s = useSession();
  const session = s.session!;
  const live = liveAssessment(session, lesion);
  const d = live.draft;
  const [valueError, setValueError] = useState<string | null>(null);

  const save = (patch: Partial<AssessmentDraft>) => {
    const next: Record<string, unknown> = { ...(session.assessments[lesion.id] ?? {}), ...patch };
    for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k];
    const e = setAssessment(lesion.id, next);
    setValueError(e ? `${e.field}: ${e.message}` : null);
  };
  const select = <T extends string>(value: T | undefined | null, options: readonly T[], label: (o: T) => string, testId: string, onChange: (v: T | undefined) => void) => (
    <select data-testid={testId} value={value ?? ''} onChange={(e) => onChange((e.target.value || undefined) as T | undefined)}>
      <option value="">{t('assess:choose')}</option>
      {options.map((o) => (
        <option key={o} value={o}>
          {label(o)}
        </option>
      ))}
    </select>
  );
  const tri = (v: boolean | null | undefined) => (v === true ? 'yes' : v === false ? 'no' : 'unknown');
  const fromTri = (v: string) => (v === 'yes' ? true : v === 'no' ? false : null);
  const site = d.site ?? lesion.site;
  const isSpine = site === 'spine';
  const isLongBone = site === 'upper-limb' || site === 'lower-limb' || site === 'peritrochanteric';
  const axial = live.eff.values.find((v) => v.quantity === 'axialPercent');
  const proposed = axial?.value != null ? mirelsSizeFromAxialPercent(axial.value) : null;

  return (
    <div className="lesion-form">
      <section className="section">
        <h3>{t('assess:section.clinical')}</h3>
        <div className="grid">
          <label>{t('assess:field.bone')}</label>
          <input data-testid="assess-bone" value={lesion.bone} placeholder={t('assess:field.bonePlaceholder')} onChange={(e) => updateLesion(lesion.id, { bone: e.target.value })} />
          <label>{t('assess:field.site')}</label>
          {select(site, SiteSchema.options, (o) => t(`assess:site.${o}`), 'assess-site', (v) => {
            if (v) updateLesion(lesion.id, { site: v });
            save({ site: v });
          })}
          {isSpine && (
            <>
              <label>{t('assess:field.spineLevel')}</label>
              <input
                data-testid="assess-spine-level"
                value={lesion.level ?? ''}
                placeholder="T12"
                onChange={(e) => updateLesion(lesion.id, { level: e.target.value || undefined })}
              />
            </>
          )}
          {/* The spine is scored by SINS (its own lesion and pain items): Mirels' pain is not asked,
              the lesion type is optional and compared with the SINS item (issue 14). */}
          <label>{isSpine ? t('assess:field.lesionTypeOptional') : t('assess:field.lesionType')}</label>
          {select(d.lesionType, ['blastic', 'mixed', 'lytic'] as const, (o) => t(`assess:lesionType.${o}`), 'assess-lesion-type', (v) => save({ lesionType: v }))}
          {!isSpine && (
            <>
              <label>{t('assess:field.pain')}</label>
              {select(d.pain, ['mild', 'moderate', 'functional'] as const, (o) => t(`assess:pain.${o}`), 'assess-pain', (v) => save({ pain: v }))}
            </>
          )}
          <label>{t('assess:field.lifeExpectancy')}</label>
          <select
            data-testid="assess-life-expectancy"
            value={tri(d.lifeExpectancyOver3Months)}
            onChange={(e) => save({ lifeExpectancyOver3Months: fromTri(e.target.value) })}
          >
            {(['unknown', 'yes', 'no'] as const).map((o) => (
              <option key={o} value={o}>
                {t(`assess:tri.${o}`)}
              </option>
            ))}
          </select>
          {!isSpine && (
            <>
              <label htmlFor={`avulsion-${lesion.id}`}>{t('assess:field.lesserTrochanterAvulsion')}</label>
              <input
                id={`avulsion-${lesion.id}`}
                type="checkbox"
                data-testid="assess-avulsion"
                checked={d.lesserTrochanterAvulsion ?? false}
                onChange={(e) => save({ lesserTrochanterAvulsion: e.target.checked })}
              />
            </>
          )}
          <label htmlFor={`prt-${lesion.id}`}>{t('assess:field.painAfterRadiotherapy')}</label>
          <input
            id={`prt-${lesion.id}`}
            type="checkbox"
            data-testid="assess-pain-after-rt"
            checked={d.painAfterRadiotherapy ?? false}
            onChange={(e) => save({ painAfterRadiotherapy: e.target.checked })}
          />
        </div>
      </section>

      <section className="section">
        <h3>{t('assess:section.measurements')}</h3>
        <table className="values">
          <thead>
            <tr>
              <th>{t('assess:value.quantity')}</th>
              <th>{t('assess:value.measured')}</th>
              <th>{t('assess:value.entered')}</th>
              <th>{t('assess:value.used')}</th>
            </tr>
          </thead>
          <tbody>
            {QUANTITIES.map((q) => (
              <ValueRow
                key={q}
                quantity={q}
                used={live.eff.values.find((v) => v.quantity === q)!}
                entered={d[q] ?? null}
                onEnter={(v) => save({ [q]: v } as Partial<AssessmentDraft>)}
                onInvalid={(msg) => setValueError(msg)}
              />
            ))}
          </tbody>
        </table>
        {valueError && (
          <div className="error" data-testid="assess-value-error">
            {valueError}
          </div>
        )}
        <p className="muted small">{t('assess:value.rule')}</p>
      </section>

      {isLongBone && (
        <section className="section">
          <h3>{t('assess:section.mirels')}</h3>
          <div className="grid">
            <label>{t('assess:field.mirelsSize')}</label>
            <select
              data-testid="assess-mirels-size"
              value={d.mirelsSize == null ? 'auto' : String(d.mirelsSize)}
              onChange={(e) => save({ mirelsSize: e.target.value === 'auto' ? null : (Number(e.target.value) as 1 | 2 | 3) })}
            >
              <option value="auto">{t('assess:mirelsSize.auto')}</option>
              {[1, 2, 3].map((n) => (
                <option key={n} value={n}>
                  {t(`assess:mirelsSize.${n}`)}
                </option>
              ))}
            </select>
          </div>
          <p className="muted small" data-testid="assess-size-proposal" data-proposed={proposed ?? ''}>
            {proposed !== null && axial?.value != null
              ? `${t('assess:mirelsSize.proposed', { value: fmt.format(axial.value), points: proposed })} (${t(`assess:origin.${axial.origin}`)})`
              : t('assess:mirelsSize.noProposal')}
          </p>
        </section>
      )}

      {isSpine && (
        <SinsForm
          sins={d.sins}
          lengthsMm={lesionMeasurements(session, lesion.id)
            .filter((m) => m.kind === 'axialLengthMm')
            .map((m) => m.value)}
          onChange={(sins) => save({ sins })}
        />
      )}

      <section className="section live-result">
        <h3>{t('assess:result.level')}</h3>
        {live.result ? (
          <ResultView result={live.result} compact />
        ) : (
          <p className="missing" data-testid="assess-form-missing" data-missing={[...live.eff.formMissing, ...live.errors.map((e) => e.field ?? e.code)].join(',')}>
            {t('assess:result.missing')}:{' '}
            {[...live.eff.formMissing.map((k) => t(`assess:field.${k}`)), ...live.errors.map((e) => e.message)].join(', ')}
          </p>
        )}
      </section>
    </div>
  );
}

function ValueRow(props: {
  quantity: MeasurementKind;
  used: UsedValue;
  entered: number | null;
  onEnter: (v: number | null) => void;
  onInvalid: (message: string) => void;
}) {
  const { t, i18n } = useTranslation('assess');
  const fmt = numberFormat(i18n.resolvedLanguage ?? i18n.language);
  const { quantity, used } = props;
  const [text, setText] = useState(props.entered === null ? '' : String(props.entered));
  // Undo / redo / restore change the stored value behind the field: show what is stored.
  useEffect(() => {
    const typed = parseTypedNumber(text);
    if (typed !== undefined && typed !== props.entered) setText(props.entered === null ? '' : String(props.entered));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.entered]);
  const max = used.unit === '%' ? 100 : Number.POSITIVE_INFINITY;
  const m = used.measurement;
  const session = useSession().session;
  // The length the engine gets was drawn before any bone axis existed: say so, as the report does.
  const axisNotDefined = used.origin === 'measured' && !!m?.lesionId && !!session && boneAxisNotDefinedIds(session, m.lesionId).has(m.id);
  return (
    <tr>
      <td>{t(`quantity.${quantity}`)}</td>
      <td data-testid={`assess-measured-${quantity}`} data-value={used.measuredValue ?? ''} data-count={used.measurementCount}>
        {used.measuredValue === null ? (
          <span className="muted">{t('value.none')}</span>
        ) : (
          <span title={m ? `${m.provenance.tool}, ${m.provenance.method}, ${m.provenance.reader}, ${m.provenance.time}` : ''}>
            {fmt.format(used.measuredValue)} {used.unit}
            {used.measurementCount > 1 ? <span className="muted small"> ({t('value.countOthers', { count: used.measurementCount })})</span> : null}
            {used.offAxisSetAside ? (
              <span className="muted small" data-testid={`assess-offaxis-set-aside-${quantity}`}>
                {' '}
                {t('value.offAxisSetAside', { count: used.offAxisSetAside })}
              </span>
            ) : null}
          </span>
        )}
      </td>
      <td>
        <input
          className="num"
          inputMode="decimal"
          data-testid={`assess-value-${quantity}`}
          placeholder={t('value.enterPlaceholder')}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            const v = parseTypedNumber(e.target.value);
            if (v === undefined || (v !== null && (v < 0 || v > max))) {
              props.onInvalid(`${t(`quantity.${quantity}`)}: ${e.target.value}`);
              return;
            }
            props.onEnter(v);
          }}
        />
      </td>
      <td data-testid={`assess-used-${quantity}`} data-value={used.value ?? ''} data-origin={used.origin} data-off-axis={used.offAxis ? 'true' : undefined}>
        {used.value === null ? '—' : `${fmt.format(used.value)} ${used.unit}`} <span className="muted small">({t(`origin.${used.origin}`)})</span>
        {used.origin === 'measured' && used.offAxis ? <div className="missing small">{t('offAxisUsed')}</div> : null}
        {used.offAxisPending ? (
          <div className="missing small" data-testid={`assess-offaxis-pending-${quantity}`} data-count={used.offAxisPending}>
            {t('offAxisPending', { count: used.offAxisPending })}
          </div>
        ) : null}
        {axisNotDefined ? (
          <div className="missing small" data-testid={`assess-axis-not-defined-${quantity}`}>
            {t('axisNotDefinedUsed')}
          </div>
        ) : null}
      </td>
    </tr>
  );
}

/** SINS collapse class proposed from the measured height loss (§5 bands; > 75 % also flags vertebroplasty). */
export function collapseClassFromPercent(lossPercent: number): 'over-50' | 'under-50' | null {
  if (lossPercent > 50) return 'over-50';
  if (lossPercent > 0) return 'under-50';
  return null; // no height loss: "none" or "none, > 50 % involved" depends on the body's involvement — the reader chooses
}

function SinsForm({ sins, lengthsMm, onChange }: { sins: SinsInput | undefined; lengthsMm: number[]; onChange: (s: SinsInput) => void }) {
  const { t, i18n } = useTranslation('assess');
  const fmt = numberFormat(i18n.resolvedLanguage ?? i18n.language);
  const current: SinsInput = sins ?? SinsInputSchema.parse({});
  const [measured, setMeasured] = useState('');
  const [expected, setExpected] = useState('');
  const options: Record<(typeof SINS_COMPONENTS)[number], readonly string[]> = {
    location: ['junctional', 'mobile', 'semi-rigid', 'rigid'],
    pain: ['mechanical', 'occasional', 'none'],
    lesion: ['lytic', 'mixed', 'blastic'],
    alignment: ['subluxation', 'deformity', 'normal'],
    collapse: ['over-50', 'under-50', 'none-over-50-involved', 'none'],
    posterolateral: ['bilateral', 'unilateral', 'none'],
  };
  const mh = parseTypedNumber(measured);
  const eh = parseTypedNumber(expected);
  // Collapse = height loss against the expected height (two Length measurements on the image).
  const collapsePercent = typeof mh === 'number' && typeof eh === 'number' && eh > 0 && mh >= 0 && mh <= eh ? (100 * (eh - mh)) / eh : null;
  return (
    <section className="section">
      <h3>{t('section.sins')}</h3>
      <div className="grid">
        {SINS_COMPONENTS.map((c) => (
          <SinsSelect key={c} component={c} value={current[c]} options={options[c]} onChange={(v) => onChange({ ...current, [c]: v })} />
        ))}
        <label>{t('sins.measuredHeight')}</label>
        <input className="num" data-testid="sins-height-measured" value={measured} onChange={(e) => setMeasured(e.target.value)} />
        <label>{t('sins.expectedHeight')}</label>
        <input className="num" data-testid="sins-height-expected" value={expected} onChange={(e) => setExpected(e.target.value)} />
      </div>
      {lengthsMm.length > 0 && (
        <p className="small muted" data-testid="sins-lengths">
          {t('sins.fromLengths')}{' '}
          {lengthsMm.map((v, i) => (
            <span key={i}>
              <button className="btn small" data-testid="sins-use-measured" onClick={() => setMeasured(String(v))}>
                {t('sins.asMeasured', { value: fmt.format(v) })}
              </button>{' '}
              <button className="btn small" data-testid="sins-use-expected" onClick={() => setExpected(String(v))}>
                {t('sins.asExpected', { value: fmt.format(v) })}
              </button>{' '}
            </span>
          ))}
        </p>
      )}
      {collapsePercent !== null && (
        <p className="small" data-testid="sins-collapse-percent" data-value={collapsePercent.toFixed(1)}>
          {t('sins.collapseHelper', { measured: fmt.format(mh as number), expected: fmt.format(eh as number), percent: fmt.format(collapsePercent) })}{' '}
          {collapseClassFromPercent(collapsePercent) && (
            <button
              className="btn small"
              data-testid="sins-use-collapse"
              onClick={() =>
                onChange({
                  ...current,
                  collapse: collapseClassFromPercent(collapsePercent)!,
                  // Seed 002: collapse > 75 % contraindicates vertebroplasty.
                  collapseOver75: current.collapseOver75 || collapsePercent > VERTEBROPLASTY_COLLAPSE_PERCENT,
                })
              }
            >
              {t('sins.useCollapse', { option: t(`sins.opt.collapse.${collapseClassFromPercent(collapsePercent)}`) })}
            </button>
          )}
        </p>
      )}
      <h4>{t('sins.flags')}</h4>
      {VERTEBROPLASTY_FLAGS.map((f) => (
        <label key={f} className="check">
          <input type="checkbox" data-testid={`sins-flag-${f}`} checked={current[f]} onChange={(e) => onChange({ ...current, [f]: e.target.checked })} />{' '}
          {String(t(`rules:vertebroplastyFlags.${f}`, { defaultValue: f }))}
        </label>
      ))}
    </section>
  );
}

function SinsSelect(props: { component: string; value: string | undefined; options: readonly string[]; onChange: (v: string | undefined) => void }) {
  const { t } = useTranslation('assess');
  return (
    <>
      <label>{t(`sins.${props.component}`)}</label>
      <select data-testid={`sins-${props.component}`} value={props.value ?? ''} onChange={(e) => props.onChange(e.target.value || undefined)}>
        <option value="">{t('choose')}</option>
        {props.options.map((o) => (
          <option key={o} value={o}>
            {t(`sins.opt.${props.component}.${o}`)}
          </option>
        ))}
      </select>
    </>
  );
}

/** Numbers as the UI language writes them (decimal comma in French), at most one decimal. */
const VERTEBROPLASTY_COLLAPSE_PERCENT = THRESHOLDS['vertebroplasty-collapse-percent'].value;

function numberFormat(language: string): Intl.NumberFormat {
  return new Intl.NumberFormat(language === 'en' ? 'en-GB' : 'fr-FR', { maximumFractionDigits: 1, useGrouping: false });
}
