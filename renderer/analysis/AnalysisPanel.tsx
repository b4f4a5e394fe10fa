/**
 * "Analyse lesion" (issue 6): click inside the medullary canal on any view → the assisted
 * analysis runs in a Web Worker with progress → the numbers, warnings and the profile chart;
 * the viewer's obliques are aligned on the found axis and the involved sectors are drawn on the
 * cross-section → Accept (the three numbers join the active lesion as assisted measurements
 * with provenance), change the threshold and re-run, or Discard.
 *
 * Test ids: analysis-panel, analysis-start, analysis-cancel, analysis-picking, analysis-seed,
 * analysis-progress (data-value), analysis-result, analysis-length / analysis-circ /
 * analysis-axial (data-value, '' when not measured), analysis-warning (data-code),
 * analysis-threshold, analysis-rerun, analysis-accept, analysis-discard, analysis-accepted,
 * analysis-error (data-code), analysis-profile, analysis-overlay (data-sectors).
 * Test hook (with ?test=1 only): window.frwAnalysis = { run(seed, thresholdHu?), last() }.
 */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { ANALYSIS_PARAMETERS } from '../../shared/analysis/parameters';
import type { AppError } from '../../shared/errors';
import type { LesionAnalysis } from '../../shared/schemas/analysis';
import type { Vec3 } from '../../shared/schemas/common';
import { addMeasurement, ensureActiveLesion, updateLesion, useSession } from '../state/session';
import { getBoneAxis, getLoadedVolume, getViewport, jumpToWorld, onViewerEvent, type ViewportId } from '../viewer';
import { defineBoneAxis } from '../viewer';
import { ProfileChart } from './ProfileChart';
import { pointOnAxis } from '../../shared/analysis/sections';
import { RigidityPanel } from './RigidityPanel';
import { runAnalysisInWorker, type AnalysisRun } from './runAnalysis';
import { SectorOverlay } from './SectorOverlay';
import { RtOverlays } from '../rt/RtOverlay';
import { structureCoverageNow } from '../rt/coverageNow';
import { NotMeasurableNotice, useNotMeasurableSeries } from '../measure/NotMeasurable';

type Phase =
  | { kind: 'idle' }
  /** The next click is the seed, or (contralateralFor) the other side's bone for the rigidity reference. */
  | { kind: 'picking'; contralateralFor?: { seed: Vec3; analysis: LesionAnalysis } }
  | { kind: 'running'; seed: Vec3; fraction: number }
  | {
      kind: 'done';
      seed: Vec3;
      analysis: LesionAnalysis;
      accepted: boolean;
      /** The reader's own bone axis the analysis replaced on the views (issue 14: said, and restorable). */
      replacedAxis?: { p1Mm: Vec3; p2Mm: Vec3; drawnOnNormal: Vec3; lengthMm: number; angleDeg: number } | null;
    }
  | { kind: 'error'; error: AppError };

/** Half-length of the bone axis handed to the viewer (mm either side of the seed). */
const AXIS_HALF_LENGTH_MM = 30;

let lastAnalysis: LesionAnalysis | null = null;

// The panel's state lives outside React so it survives switching side-panel tabs (the panel
// unmounts) and a running analysis keeps reporting into it.
let phaseState: Phase = { kind: 'idle' };
let thresholdState = String(ANALYSIS_PARAMETERS.defaultThresholdHu);
const phaseListeners = new Set<() => void>();
const currentRun: { current: AnalysisRun | null } = { current: null };
function setPhaseState(next: Phase | ((p: Phase) => Phase)): void {
  phaseState = typeof next === 'function' ? next(phaseState) : next;
  for (const l of [...phaseListeners]) l();
}
function subscribePhase(l: () => void): () => void {
  phaseListeners.add(l);
  return () => phaseListeners.delete(l);
}
/** The analysis shown now (null without a result), for other panels: the RT structures' coverage (issue 17). */
export function useShownAnalysis(): LesionAnalysis | null {
  const phase = useSyncExternalStore(subscribePhase, () => phaseState);
  return phase.kind === 'done' ? phase.analysis : null;
}
onViewerEvent((e) => {
  if (e.type === 'volume-unloaded') {
    currentRun.current?.cancel();
    currentRun.current = null;
    setPhaseState({ kind: 'idle' });
  }
});

export function AnalysisPanel() {
  const { t } = useTranslation('analysis');
  const session = useSession();
  const phase = useSyncExternalStore(subscribePhase, () => phaseState);
  const setPhase = setPhaseState;
  const [threshold, setThresholdLocal] = useState<string>(thresholdState);
  const setThreshold = (v: string) => {
    thresholdState = v;
    setThresholdLocal(v);
  };
  const [hasVolume, setHasVolume] = useState(() => getLoadedVolume() !== null);
  const blocked = useNotMeasurableSeries();
  const runRef = currentRun;

  useEffect(
    () =>
      onViewerEvent((e) => {
        if (e.type === 'volume-loaded') setHasVolume(true);
        if (e.type === 'volume-unloaded') setHasVolume(false);
      }),
    [],
  );

  const thresholdHu = Number(threshold);
  const thresholdValid = threshold.trim() !== '' && Number.isFinite(thresholdHu) && thresholdHu >= -1000 && thresholdHu <= 3000;

  const run = useCallback(
    async (seed: Vec3, hu: number, contralateralSeed?: Vec3) => {
      const volume = getLoadedVolume();
      if (!volume) return setPhase({ kind: 'error', error: { code: 'analysis.no-volume', message: t('noVolume') } });
      runRef.current?.cancel();
      setPhase({ kind: 'running', seed, fraction: 0 });
      const r = runAnalysisInWorker(volume, seed, hu, (fraction) => setPhase((p) => (p.kind === 'running' ? { ...p, fraction } : p)), contralateralSeed);
      runRef.current = r;
      const result = await r.promise;
      if (runRef.current !== r) return; // superseded
      runRef.current = null;
      if (!result.ok) {
        if (result.error.code !== 'analysis.cancelled') setPhase({ kind: 'error', error: result.error });
        return;
      }
      lastAnalysis = result.value;
      // The views follow the analysis axis: the reader's own axis, when different, is named and kept to restore.
      const before = getBoneAxis();
      const replaced = before && result.value.axis && showsOnViews(result.value) ? describeReplaced(before, result.value.axis.direction) : null;
      setPhase({ kind: 'done', seed, analysis: result.value, accepted: false, replacedAxis: replaced });
      showOnViews(result.value);
    },
    [t],
  );

  // Test hook (e2e, only with ?test=1 like the shell's __frwTest): run from a known seed.
  useEffect(() => {
    if (new URLSearchParams(window.location.search).get('test') !== '1') return;
    const w = window as unknown as { frwAnalysis?: unknown };
    w.frwAnalysis = { run: (seed: Vec3, hu?: number) => run(seed, hu ?? ANALYSIS_PARAMETERS.defaultThresholdHu), last: () => lastAnalysis };
    return () => {
      delete w.frwAnalysis;
    };
  }, [run]);

  // Picking: the next click on a viewport is the seed (captured before the viewer's tools see it).
  useEffect(() => {
    if (phase.kind !== 'picking') return;
    const els = [...document.querySelectorAll<HTMLElement>('[data-testid^="viewport-"]')];
    const onDown = (e: PointerEvent) => {
      const el = e.currentTarget as HTMLElement;
      const id = el.getAttribute('data-testid')!.slice('viewport-'.length) as ViewportId;
      const vp = getViewport(id);
      if (!vp) return;
      e.stopPropagation();
      e.preventDefault();
      const rect = el.getBoundingClientRect();
      const w = vp.canvasToWorld([e.clientX - rect.left, e.clientY - rect.top] as never);
      const clicked: Vec3 = [w[0], w[1], w[2]];
      const target = phaseState.kind === 'picking' ? phaseState.contralateralFor : undefined;
      if (target) void run(target.seed, target.analysis.thresholdHu, clicked);
      else void run(clicked, thresholdValid ? thresholdHu : ANALYSIS_PARAMETERS.defaultThresholdHu);
    };
    for (const el of els) {
      el.addEventListener('pointerdown', onDown, true);
      el.classList.add('analysis-picking');
    }
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      // Esc while picking the other side's bone goes back to the result it was for.
      const back = phaseState.kind === 'picking' ? phaseState.contralateralFor : undefined;
      setPhase(back ? { kind: 'done', seed: back.seed, analysis: back.analysis, accepted: false } : { kind: 'idle' });
    };
    window.addEventListener('keydown', onKey);
    return () => {
      for (const el of els) {
        el.removeEventListener('pointerdown', onDown, true);
        el.classList.remove('analysis-picking');
      }
      window.removeEventListener('keydown', onKey);
    };
  }, [phase.kind, run, thresholdHu, thresholdValid]);

  const accept = () => {
    if (phase.kind !== 'done') return;
    const a = phase.analysis;
    const s = a.mostAffectedSection;
    if (!s) return;
    const provenance = {
      tool: 'assisted-analysis',
      method: 'assisted' as const,
      thresholdHu: a.thresholdHu,
      plane: { kind: 'oblique' as const, origin: s.origin, normal: s.normal },
    };
    for (const kind of ['axialLengthMm', 'circumferentialPercent', 'axialPercent'] as const) {
      const value = a[kind];
      if (value !== null) addMeasurement({ kind, value, provenance });
    }
    // The rigidity goes with the lesion (report, informational), without its per-section profile.
    const lesion = ensureActiveLesion();
    if (lesion && a.rigidity) {
      const { profile: _profile, ...summary } = a.rigidity;
      updateLesion(lesion.id, { rigidity: { ...summary, thresholdHu: a.thresholdHu, methodVersion: a.method.version } });
    }
    // Which planning structures cover it (issue 17) goes with the lesion too, for the report.
    const coverage = lesion ? structureCoverageNow(a) : [];
    if (lesion && coverage.length) updateLesion(lesion.id, { structureCoverage: coverage });
    setPhase({ ...phase, accepted: true });
  };

  if (!hasVolume || session.status !== 'ready') {
    return (
      <div data-testid="analysis-panel" className="analysis-panel">
        <p className="muted">{t('noVolume')}</p>
      </div>
    );
  }

  const f = (v: number | null, unit: string) => (v === null ? t('notMeasured') : `${v.toFixed(1)} ${unit}`);
  return (
    <div data-testid="analysis-panel" className="analysis-panel">
      <p className="muted">{t('intro')}</p>
      {blocked && <NotMeasurableNotice series={blocked} />}
      <div className="analysis-actions">
        <button className="btn" data-testid="analysis-start" disabled={!!blocked || phase.kind === 'running' || phase.kind === 'picking'} onClick={() => setPhase({ kind: 'picking' })}>
          {t('start')}
        </button>
        <label>
          {t('threshold')}{' '}
          <input data-testid="analysis-threshold" type="number" step={10} value={threshold} aria-invalid={!thresholdValid} onChange={(e) => setThreshold(e.target.value)} /> {t('hu')}
        </label>
      </div>
      {!thresholdValid && <p className="warn">{t('thresholdInvalid')}</p>}
      {phase.kind === 'picking' && (
        <p data-testid="analysis-picking" className="notice">
          {phase.contralateralFor ? t('rigidity.pickContralateral') : t('pick')}{' '}
          <button
            className="btn small"
            onClick={() => {
              const back = phase.contralateralFor;
              setPhase(back ? { kind: 'done', seed: back.seed, analysis: back.analysis, accepted: false } : { kind: 'idle' });
            }}
          >
            {t('cancel')}
          </button>
        </p>
      )}
      {phase.kind === 'running' && (
        <div>
          <progress data-testid="analysis-progress" data-value={phase.fraction} max={1} value={phase.fraction} />{' '}
          <button className="btn small" data-testid="analysis-cancel" onClick={() => runRef.current?.cancel()}>
            {t('cancel')}
          </button>
          <Seed seed={phase.seed} label={t('seed')} />
        </div>
      )}
      {phase.kind === 'error' && (
        <p data-testid="analysis-error" data-code={phase.error.code} className="warn">
          {phase.error.message}
        </p>
      )}
      {phase.kind === 'done' && (
        <div data-testid="analysis-result" className="analysis-result">
          <Seed seed={phase.seed} label={t('seed')} />
          <Verdict analysis={phase.analysis} />
          {phase.replacedAxis && (
            <p data-testid="analysis-axis-replaced" className="notice small" data-angle={phase.replacedAxis.angleDeg}>
              {t('axisReplaced', { length: phase.replacedAxis.lengthMm.toFixed(0), angle: phase.replacedAxis.angleDeg.toFixed(0) })}{' '}
              <button
                className="btn small"
                data-testid="analysis-axis-restore"
                onClick={() => {
                  const r = phase.replacedAxis!;
                  void defineBoneAxis(r.p1Mm, r.p2Mm, r.drawnOnNormal);
                  setPhase({ ...phase, replacedAxis: null });
                }}
              >
                {t('axisRestore')}
              </button>
            </p>
          )}
          <table className="analysis-numbers">
            <tbody>
              <tr>
                <th>{t('axialLength')}</th>
                <td data-testid="analysis-length" data-value={phase.analysis.axialLengthMm ?? ''}>
                  {f(phase.analysis.axialLengthMm, 'mm')}
                </td>
              </tr>
              <tr>
                <th>{t('circumferential')}</th>
                <td data-testid="analysis-circ" data-value={phase.analysis.circumferentialPercent ?? ''}>
                  {f(phase.analysis.circumferentialPercent, '%')}
                </td>
              </tr>
              <tr>
                <th>{t('axialPercent')}</th>
                <td data-testid="analysis-axial" data-value={phase.analysis.axialPercent ?? ''}>
                  {f(phase.analysis.axialPercent, '%')}
                </td>
              </tr>
              <tr>
                <th>{t('thresholdUsed')}</th>
                <td>
                  {phase.analysis.thresholdHu} {t('hu')}
                </td>
              </tr>
            </tbody>
          </table>
          {phase.analysis.warnings.length > 0 && (
            <ul className="analysis-warnings">
              {phase.analysis.warnings.map((w) => (
                <li key={w.code} data-testid="analysis-warning" data-code={w.code} className="warn" title={w.message}>
                  {t(`warning.${w.code}`, { defaultValue: w.message, distance: phase.analysis.nearestInvolvement?.distanceMm })}
                </li>
              ))}
            </ul>
          )}
          <ProfileChart
            analysis={phase.analysis}
            labels={{
              circ: t('circumferential'),
              axial: t('axialPercent'),
              position: 'mm',
              axis: t('profileAxis'),
              notMeasured: t('notMeasured'),
              reasons: { 'outside-volume': t('reason.outside-volume'), 'no-reference': t('reason.no-reference'), 'not-analysed': t('reason.not-analysed') },
              click: t('clickedLevel'),
            }}
          />
          {phase.analysis.rigidity && (
            <RigidityPanel
              rigidity={phase.analysis.rigidity}
              onShowWeakest={(tMm) => phase.analysis.axis && jumpToWorld('oblique', pointOnAxis(phase.analysis.axis, tMm))}
              onPickContralateral={phase.accepted ? undefined : () => setPhase({ kind: 'picking', contralateralFor: { seed: phase.seed, analysis: phase.analysis } })}
            />
          )}
          <p className="muted small">{t('provenanceNote', { version: phase.analysis.method.version })}</p>
          <div className="analysis-actions">
            <button className="btn primary" data-testid="analysis-accept" disabled={phase.accepted || !acceptable(phase.analysis)} onClick={accept}>
              {t('accept')}
            </button>
            <button className="btn" data-testid="analysis-rerun" disabled={!thresholdValid} onClick={() => void run(phase.seed, thresholdHu)}>
              {t('rerun')}
            </button>
            <button className="btn" data-testid="analysis-discard" onClick={() => setPhase({ kind: 'idle' })}>
              {t('discard')}
            </button>
          </div>
          {phase.accepted && (
            <p data-testid="analysis-accepted" className="notice">
              {t('accepted')}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

/**
 * The result drawn on the viewer's obliques (sectors on the cross-section, involved length along
 * the bone) while a result is shown, whichever side-panel tab is open — mounted by the App beside
 * the side panel, so a key image captured from the report tab includes it.
 */
export function AnalysisOverlays() {
  const phase = useSyncExternalStore(subscribePhase, () => phaseState);
  return (
    <>
      {phase.kind === 'done' ? <SectorOverlay analysis={phase.analysis} /> : null}
      {/* The planning structures' contours on every view (issue 17), mounted with the other overlays. */}
      <RtOverlays />
    </>
  );
}

/**
 * Whether a result may be accepted into the lesion: numbers were measured, and any involvement
 * measured lies at the clicked level (issue 13: a run away from the click is never accepted,
 * whatever produced it).
 */
export function acceptable(a: LesionAnalysis): boolean {
  if (a.axialLengthMm === null || a.circumferentialPercent === null || a.axialPercent === null) return false;
  const r = a.involvedRangeMm;
  const tolerance = ANALYSIS_PARAMETERS.seedRunToleranceMm;
  return !r || (r.startMm <= tolerance && r.endMm >= -tolerance);
}

/** One line saying what the numbers mean: involvement at the click, none, none here but elsewhere, or no measurement. */
function Verdict({ analysis: a }: { analysis: LesionAnalysis }) {
  const { t } = useTranslation('analysis');
  const kind = a.involvedRangeMm ? 'measured' : a.circumferentialPercent === 0 ? 'intact' : a.nearestInvolvement ? 'elsewhere' : 'refused';
  const text =
    kind === 'measured'
      ? t('verdict.measured', { length: a.axialLengthMm?.toFixed(1), circ: a.circumferentialPercent?.toFixed(0) })
      : kind === 'intact'
        ? t('verdict.intact')
        : kind === 'elsewhere'
          ? t('verdict.elsewhere', { distance: a.nearestInvolvement!.distanceMm.toFixed(0) })
          : t('verdict.refused');
  return (
    <p data-testid="analysis-verdict" data-verdict={kind} className={`analysis-verdict ${kind}`}>
      {text}
    </p>
  );
}

function Seed({ seed, label }: { seed: Vec3; label: string }) {
  return (
    <p className="muted small" data-testid="analysis-seed">
      {label}: ({seed.map((c) => c.toFixed(1)).join(', ')}) mm
    </p>
  );
}

/**
 * Align the viewer's obliques on the found axis and bring the cross-section to the most affected
 * level (the viewer's bone axis becomes the analysis axis; the user can redefine it).
 */
function showsOnViews(a: LesionAnalysis): boolean {
  return !!a.axis && a.profile.some((p) => p.measured);
}

/** The reader's axis as it was: its clicks, length and angle to the analysis axis. */
function describeReplaced(b: { p1Mm: Vec3; p2Mm: Vec3; drawnOnNormal: Vec3; direction: Vec3 }, d: Vec3) {
  const cos = Math.abs(b.direction[0] * d[0] + b.direction[1] * d[1] + b.direction[2] * d[2]);
  return {
    p1Mm: b.p1Mm,
    p2Mm: b.p2Mm,
    drawnOnNormal: b.drawnOnNormal,
    lengthMm: Math.hypot(b.p2Mm[0] - b.p1Mm[0], b.p2Mm[1] - b.p1Mm[1], b.p2Mm[2] - b.p1Mm[2]),
    angleDeg: (Math.acos(Math.min(1, cos)) * 180) / Math.PI,
  };
}

function showOnViews(a: LesionAnalysis): void {
  if (!showsOnViews(a) || !a.axis) return;
  const { point, direction: d } = a.axis;
  const p1: Vec3 = [point[0] - AXIS_HALF_LENGTH_MM * d[0], point[1] - AXIS_HALF_LENGTH_MM * d[1], point[2] - AXIS_HALF_LENGTH_MM * d[2]];
  const p2: Vec3 = [point[0] + AXIS_HALF_LENGTH_MM * d[0], point[1] + AXIS_HALF_LENGTH_MM * d[1], point[2] + AXIS_HALF_LENGTH_MM * d[2]];
  // The most affected section, or the clicked level (the seed's projection on the axis) when
  // nothing is measured there: never leave the cross-section on an earlier result's lesion.
  const section = a.mostAffectedSection?.origin ?? point;
  void defineBoneAxis(p1, p2, [0, -1, 0]).then(() => jumpToWorld('oblique', section));
}
