/**
 * Lesions & measurements panel: the tools, then per lesion (bone, site, level, cortical
 * threshold) its measurements with value, unit, method, plane, threshold and provenance;
 * select → jump to the image; reassign, delete, undo / redo.
 *
 * Test ids: measure-panel, measure-tool-<ToolName>, measure-undo, measure-redo, measure-reader,
 * measure-save-status (data-status), measure-restored, lesion-add, lesion-row (data-lesion-id,
 * data-active), lesion-activate, lesion-bone, lesion-site, lesion-level, lesion-threshold,
 * lesion-delete, measurement-row (data-measurement-id, data-kind, data-value, data-tool),
 * measurement-value, measurement-jump, measurement-lesion, measurement-delete,
 * measurement-accept-circ, measurement-warning (data-code NOT_ALONG_BONE), measurement-warning-axis
 * (data-code BONE_AXIS_NOT_DEFINED), lesion-summary-<kind>.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { alongAxisComponentMm, arcSideCautions, arcsOfDrawing, isPendingOffAxisLength, lesionValues, usesThreshold } from '../../shared/measure';
import type { Vec3 } from '../../shared/geometry';
import { SiteSchema, type Measurement } from '../../shared/schemas/measurement';
import type { ArcDrawing, Session, SessionLesion } from '../../shared/schemas/session';
import {
  addLesion,
  addMeasurement,
  deleteLesion,
  deleteMeasurement,
  redo,
  selectMeasurement,
  setActiveLesion,
  setReader,
  commitReader,
  undo,
  updateLesion,
  updateMeasurement,
  useSession,
} from '../state/session';
import { distance, lengthWarningCodes } from '../../shared/geometry';
import { formatNumber } from './format';
import { NotMeasurableNotice, useNotMeasurableSeries } from './NotMeasurable';
import { activateMeasureTool, GENERAL_TOOL_NAMES, jumpToMeasurement, MEASURE_TOOL_NAMES, recountLesionRings } from './layer';

/** A value with its unit in the UI language: "36,0 mm" in French, "36.0 mm" in English. */
const fmt = (v: number, unit: string, language: string) => `${formatNumber(v, language, 1)} ${unit}`;

export function MeasurePanel() {
  const { t } = useTranslation('measure');
  const s = useSession();
  const [tool, setTool] = useState<string>('WindowLevel');
  const blocked = useNotMeasurableSeries();
  useEffect(() => {
    if (blocked) setTool('WindowLevel'); // MeasureSession disarmed the tools
  }, [blocked]);

  if (s.status !== 'ready' || !s.session) {
    return (
      <div data-testid="measure-panel" className="measure-panel">
        <p className="muted">{s.status === 'loading' ? t('loading') : t('noSeries')}</p>
      </div>
    );
  }
  const session = s.session;
  const pick = (name: string) => {
    activateMeasureTool(name);
    setTool(name);
  };

  return (
    <div data-testid="measure-panel" className="measure-panel">
      <div className="measure-toolbar" role="toolbar">
        {(['WindowLevel', ...MEASURE_TOOL_NAMES] as const).map((name) => (
          <button
            key={name}
            className={`btn small${tool === name ? ' active' : ''}`}
            data-testid={`measure-tool-${name}`}
            title={t(`toolHelp.${name}`)}
            disabled={!!blocked && name !== 'WindowLevel'}
            onClick={() => pick(name)}
          >
            {t(`tool.${name}`)}
          </button>
        ))}
      </div>
      <div className="measure-toolbar" role="toolbar" aria-label={t('generalTools')}>
        <span className="muted small" title={t('generalToolsHelp')}>
          {t('generalTools')}:
        </span>
        {GENERAL_TOOL_NAMES.map((name) => (
          <button
            key={name}
            className={`btn small${tool === name ? ' active' : ''}`}
            data-testid={`measure-tool-${name}`}
            title={`${t(`toolHelp.${name}`)} — ${t('generalToolsHelp')}`}
            onClick={() => pick(name)}
          >
            {t(`tool.${name}`)}
          </button>
        ))}
      </div>
      {blocked && <NotMeasurableNotice series={blocked} />}
      <div className="measure-toolbar">
        <button className="btn small" data-testid="measure-undo" disabled={!s.canUndo} onClick={undo} title="Ctrl+Z">
          {t('undo')}
        </button>
        <button className="btn small" data-testid="measure-redo" disabled={!s.canRedo} onClick={redo} title="Ctrl+Shift+Z / Ctrl+Y">
          {t('redo')}
        </button>
        <label className="small">
          {t('reader')}{' '}
          <input data-testid="measure-reader" size={6} value={s.reader} onChange={(e) => setReader(e.currentTarget.value)} onBlur={commitReader} />
        </label>
        <span className="muted small" data-testid="measure-save-status" data-status={s.saveStatus}>
          {t(`save.${s.saveStatus}`)}
        </span>
      </div>
      {s.restored && (
        <p className="muted small" data-testid="measure-restored">
          {t('restored')}
        </p>
      )}
      <button className="btn small" data-testid="lesion-add" onClick={() => addLesion()}>
        {t('addLesion')}
      </button>
      {session.lesions.length === 0 && <p className="muted small">{t('noLesion')}</p>}
      {session.lesions.map((l) => (
        <LesionCard key={l.id} lesion={l} session={session} active={l.id === s.activeLesionId} selectedId={s.selectedMeasurementId} />
      ))}
    </div>
  );
}

function LesionCard(props: { lesion: SessionLesion; session: Session; active: boolean; selectedId: string | null }) {
  const { t } = useTranslation('measure');
  const { lesion: l, session } = props;
  const ms = session.measurements.filter((m) => m.lesionId === l.id);
  return (
    <section className={`lesion-card${props.active ? ' active' : ''}`} data-testid="lesion-row" data-lesion-id={l.id} data-active={props.active}>
      <header className="lesion-head">
        <label>
          <input type="radio" name="active-lesion" data-testid="lesion-activate" checked={props.active} onChange={() => setActiveLesion(l.id)} />{' '}
          <strong>{t('lesion', { label: l.label })}</strong>
        </label>
        <button className="btn small" data-testid="lesion-delete" onClick={() => deleteLesion(l.id)} title={t('deleteLesion')}>
          ×
        </button>
      </header>
      <div className="lesion-fields">
        <label>
          {t('bone')} <input data-testid="lesion-bone" size={8} value={l.bone} onChange={(e) => updateLesion(l.id, { bone: e.currentTarget.value })} />
        </label>
        <label>
          {t('site')}{' '}
          <select data-testid="lesion-site" value={l.site} onChange={(e) => updateLesion(l.id, { site: SiteSchema.parse(e.currentTarget.value) })}>
            {SiteSchema.options.map((o) => (
              <option key={o} value={o}>
                {t(`siteName.${o}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('level')} <input data-testid="lesion-level" size={5} value={l.level ?? ''} onChange={(e) => updateLesion(l.id, { level: e.currentTarget.value || undefined })} />
        </label>
        <label title={t('thresholdHelp')}>
          {t('threshold')}{' '}
          <input
            data-testid="lesion-threshold"
            type="number"
            step={10}
            style={{ width: '6em' }}
            value={l.thresholdHu}
            onChange={(e) => {
              const v = Number(e.currentTarget.value);
              if (!Number.isFinite(v)) return;
              const key = `threshold:${l.id}:${Date.now() >> 12}`;
              updateLesion(l.id, { thresholdHu: v }, key);
              recountLesionRings(l.id, key);
            }}
          />{' '}
          {t('hu')}
        </label>
      </div>
      <LesionSummary session={session} lesionId={l.id} />
      <table className="measure-table">
        <thead>
          <tr>
            <th>{t('col.quantity')}</th>
            <th>{t('col.value')}</th>
            <th>{t('col.method')}</th>
            <th>{t('col.plane')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {ms.map((m) => (
            <MeasurementRow key={m.id} m={m} session={session} selected={m.id === props.selectedId} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Most affected value per quantity (lengths along the bone preferred; an off-axis one flagged). */
function LesionSummary(props: { session: Session; lesionId: string }) {
  const { t, i18n } = useTranslation('measure');
  return (
    <p className="small lesion-summary">
      {lesionValues(props.session, props.lesionId).map((v) => (
        <span key={v.kind} data-testid={`lesion-summary-${v.kind}`} data-value={v.value ?? ''} data-off-axis={v.offAxis}>
          {t(`kind.${v.kind}`)}
          {t('colon')}
          {v.measurement ? fmt(v.measurement.value, v.measurement.unit, i18n.language) : t('notMeasured')}
          {v.offAxis && (
            <span className="warn" title={t('notAlongBoneHelp')}>
              {' '}
              ⚠
            </span>
          )}
          {v.pendingOffAxis > 0 && (
            <span className="warn" data-testid={`lesion-summary-pending-${v.kind}`}>
              {' '}
              {t('offAxisPending', { count: v.pendingOffAxis })}
            </span>
          )}{' '}
        </span>
      ))}
    </p>
  );
}

function MeasurementRow(props: { m: Measurement; session: Session; selected: boolean }) {
  const { t, i18n } = useTranslation('measure');
  const num = (v: number, digits: number) => formatNumber(v, i18n.language, digits);
  const { m, session } = props;
  const d = session.drawings[m.id];
  const p = m.provenance;
  const warnings = d?.tool === 'AxialLength' ? lengthWarningCodes(d) : [];
  const provenance = [
    `${t('prov.tool')}: ${p.tool}`,
    `${t('prov.method')}: ${t(`method.${p.method}`)}`,
    `${t('prov.reader')}: ${p.reader || '—'}`,
    `${t('prov.time')}: ${p.time}`,
    `${t('prov.series')}: ${p.seriesInstanceUid}`,
    p.plane ? `${t('prov.plane')}: ${t(`plane.${p.plane.kind}`)} n=(${p.plane.normal.map((x) => num(x, 3)).join(' ; ')}) o=(${p.plane.origin.map((x) => num(x, 1)).join(' ; ')})` : '',
    p.sopInstanceUids?.length ? `SOP: ${p.sopInstanceUids.join(', ')}` : '',
    usesThreshold(p.tool) ? `${t('prov.threshold')}: ${num(p.thresholdHu, 0)} ${t('hu')}` : '',
    ...warnings.map((c) => `⚠ ${t(`warning.${c}`)}`),
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <>
    <tr
      className={props.selected ? 'selected' : ''}
      data-testid="measurement-row"
      data-measurement-id={m.id}
      data-kind={m.kind}
      data-value={m.value}
      data-tool={p.tool}
      title={provenance}
      onClick={() => {
        selectMeasurement(m.id);
        jumpToMeasurement(m.id);
      }}
    >
      <td>
        {t(`kind.${m.kind}`)}
        {warnings.includes('NOT_ALONG_BONE') && (
          <span className="warn" data-testid="measurement-warning" data-code="NOT_ALONG_BONE" title={t('notAlongBoneHelp')}>
            {' '}
            ⚠
          </span>
        )}
        {warnings.includes('BONE_AXIS_NOT_DEFINED') && (
          <div className="warn small" data-testid="measurement-warning-axis" data-code="BONE_AXIS_NOT_DEFINED" title={t('boneAxisNotDefinedHelp')}>
            ⚠ {t('warning.BONE_AXIS_NOT_DEFINED')}
          </div>
        )}
      </td>
      <td data-testid="measurement-value">{fmt(m.value, m.unit, i18n.language)}</td>
      <td className="method-cell">
        {t(`method.${p.method}`)} · {t(`toolShort.${p.tool}`, { defaultValue: p.tool })}
        {m.kind === 'axialPercent' || p.tool === 'CorticalRing' ? (
          <span className="nowrap">
            {' '}· {num(p.thresholdHu, 0)} {t('hu')}
          </span>
        ) : null}
      </td>
      <td>{p.plane ? t(`plane.${p.plane.kind}`) : t('plane.stack')}</td>
      <td className="row-actions">
        {d && (
          <button className="btn small" data-testid="measurement-jump" title={t('jump')} onClick={(e) => (e.stopPropagation(), selectMeasurement(m.id), jumpToMeasurement(m.id))}>
            {t('show')}
          </button>
        )}
        {session.lesions.length > 1 && (
          <select
            data-testid="measurement-lesion"
            value={m.lesionId}
            title={t('moveToLesion')}
            onClick={(e) => e.stopPropagation()}
            onChange={(e) => updateMeasurement(m.id, { lesionId: e.currentTarget.value })}
          >
            {session.lesions.map((l) => (
              <option key={l.id} value={l.id}>
                {l.label}
              </option>
            ))}
          </select>
        )}
        {d?.tool === 'CorticalRing' && (
          <button
            className="btn small"
            data-testid="measurement-accept-circ"
            title={t('acceptCircHelp')}
            onClick={(e) => {
              e.stopPropagation();
              addMeasurement({
                lesionId: m.lesionId,
                kind: 'circumferentialPercent',
                value: d.proposedCircumferentialPercent,
                provenance: { tool: 'CorticalRing', method: 'manual', thresholdHu: p.thresholdHu, ...(p.plane ? { plane: p.plane } : {}) },
              });
            }}
          >
            {t('acceptCirc', { percent: num(d.proposedCircumferentialPercent, 1) })}
          </button>
        )}
        {/* An icon: "Supprimer" did not fit the actions column in French. */}
        <button className="btn small icon" data-testid="measurement-delete" title={t('delete')} aria-label={t('delete')} onClick={(e) => (e.stopPropagation(), deleteMeasurement(m.id))}>
          ×
        </button>
      </td>
    </tr>
    {d?.tool === 'CircumferentialArc' && <ArcSideCautionRow arcs={d.arcs} normal={d.view.viewPlaneNormal} />}
    {d?.tool === 'AxialLength' && d.notAlongBone && (
      <tr className="offaxis-choice-row">
        <td colSpan={5}>
          <OffAxisChoice m={m} drawing={d} pending={isPendingOffAxisLength(session, m)} />
        </td>
      </tr>
    )}
    </>
  );
}

/** Issue 14: an arc's two ends bound two arcs; say so when the other one would fall across 50 %. */
function ArcSideCautionRow({ arcs, normal }: { arcs: ArcDrawing[]; normal: Vec3 }) {
  const { t, i18n } = useTranslation('measure');
  const cautions = arcSideCautions(arcsOfDrawing(arcs, normal));
  if (!cautions.length) return null;
  return (
    <tr className="offaxis-choice-row">
      <td colSpan={5}>
        {cautions.map((c) => (
          <div key={c.arcIndex} className="warn small" data-testid="arc-side-caution" data-other-percent={c.otherSidePercent}>
            ⚠ {t('arcSideCaution', { arc: c.arcIndex + 1, count: arcs.length, other: formatNumber(c.otherSidePercent, i18n.language, 1), threshold: c.thresholdPercent })}
          </div>
        ))}
      </td>
    </tr>
  );
}

type LengthDrawing = Extract<Session['drawings'][string], { tool: 'AxialLength' }>;

/**
 * A length drawn off the bone axis enters nothing until the reader chooses (issue 14): its
 * along-axis component becomes the value, or the line is kept as drawn, flagged everywhere.
 * Test ids: offaxis-choice (data-choice: pending | along-axis | as-drawn), offaxis-use-component,
 * offaxis-keep.
 */
function OffAxisChoice({ m, drawing: d, pending }: { m: Measurement; drawing: LengthDrawing; pending: boolean }) {
  const { t, i18n } = useTranslation('measure');
  const component = alongAxisComponentMm(d.points, d.lineAxisAngleDeg);
  const asDrawn = distance(d.points[0], d.points[1]);
  const choose = (choice: 'along-axis' | 'as-drawn') =>
    updateMeasurement(m.id, { value: choice === 'along-axis' ? component : asDrawn, drawing: { ...d, offAxisChoice: choice } });
  const stop = (e: { stopPropagation(): void }) => e.stopPropagation();
  return (
    <div className="small offaxis-choice" data-testid="offaxis-choice" data-choice={d.offAxisChoice ?? 'pending'} onClick={stop}>
      {pending ? <div className="warn">{t('offAxis.pending', { angle: formatNumber(d.lineAxisAngleDeg, i18n.language, 0) })}</div> : <div className="muted">{t(`offAxis.${d.offAxisChoice}`)}</div>}
      <button className="btn small" data-testid="offaxis-use-component" disabled={d.offAxisChoice === 'along-axis'} onClick={() => choose('along-axis')}>
        {t('offAxis.useComponent', { value: fmt(component, 'mm', i18n.language) })}
      </button>{' '}
      <button className="btn small" data-testid="offaxis-keep" disabled={d.offAxisChoice === 'as-drawn'} onClick={() => choose('as-drawn')}>
        {t('offAxis.keep', { value: fmt(asDrawn, 'mm', i18n.language) })}
      </button>
    </div>
  );
}
