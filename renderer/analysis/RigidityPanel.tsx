/**
 * CT-based structural rigidity of the analysed bone (issue 18; clinical-rules.md §9), shown
 * under the involvement profile and marked informational: the loss of EA, EImin and GJ at the
 * weakest lesional section against the intact sections of the same bone, the criterion it is
 * read against, the calibration used, the profiles along the axis (as % of the intact
 * reference), the sources. Never an input of the recommendation.
 *
 * Test ids: rigidity-panel, rigidity-loss (data-quantity, data-value), rigidity-criterion
 * (data-exceeds), rigidity-weakest (data-position), rigidity-reference, rigidity-calibration,
 * rigidity-warning (data-code), rigidity-profile, rigidity-show-weakest, rigidity-contralateral-pick,
 * rigidity-contralateral-loss (data-quantity, data-value).
 */
import { useTranslation } from 'react-i18next';
import type { Rigidity, RigiditySection } from '../../shared/schemas/analysis';

const W = 300;
const H = 100;
const PAD = { left: 30, right: 8, top: 8, bottom: 18 };
const QUANTITIES = ['EA', 'EImin', 'GJ'] as const;
/** The chart's vertical range: % of the intact reference. */
const Y_MAX = 130;

const sci = (x: number) => {
  const [m, e] = x.toExponential(2).split('e');
  return `${m} × 10${superscript(Number(e))}`;
};
const superscript = (n: number) => String(n).replace(/[-0-9]/g, (c) => '⁻⁰¹²³⁴⁵⁶⁷⁸⁹'['-0123456789'.indexOf(c)]);

export function RigidityPanel({
  rigidity: g,
  onShowWeakest,
  onPickContralateral,
}: {
  rigidity: Rigidity;
  onShowWeakest: (positionMm: number) => void;
  /** Asks for a click in the other side's bone (absent once the result is accepted). */
  onPickContralateral?: () => void;
}) {
  const { t } = useTranslation('analysis');
  const w = g.weakestSection;
  const ref = g.intactReference;
  const unit = { EA: 'N', EImin: 'N·mm²', GJ: 'N·mm²' } as const;
  return (
    <section data-testid="rigidity-panel" className="rigidity-panel">
      <h4>
        {t('rigidity.title')} <span className="badge">{t('rigidity.informational')}</span>
      </h4>
      {w ? (
        <>
          <p data-testid="rigidity-weakest" data-position={w.positionMm} className="small">
            {t('rigidity.weakest', { position: w.positionMm.toFixed(0) })}{' '}
            <button className="btn small" data-testid="rigidity-show-weakest" onClick={() => onShowWeakest(w.positionMm)}>
              {t('rigidity.show')}
            </button>
          </p>
          <table className="analysis-numbers rigidity-numbers">
            <thead>
              <tr>
                <th />
                <th>{t('rigidity.loss')}</th>
                <th>{t('rigidity.atWeakest')}</th>
                <th>{t('rigidity.intact')}</th>
              </tr>
            </thead>
            <tbody>
              {QUANTITIES.map((q) => (
                <tr key={q}>
                  <th title={t(`rigidity.name.${q}`)}>{t(`rigidity.short.${q}`)}</th>
                  <td data-testid="rigidity-loss" data-quantity={q} data-value={g.lossPercent?.[q] ?? ''}>
                    {g.lossPercent ? `${g.lossPercent[q].toFixed(0)} %` : '—'}
                  </td>
                  <td>
                    {sci(w[q])} {unit[q]}
                  </td>
                  <td>{ref ? `${sci(ref[q])} ${unit[q]}` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {g.exceedsCriterion !== null && (
            <p data-testid="rigidity-criterion" data-exceeds={g.exceedsCriterion} className={g.exceedsCriterion ? 'warn' : 'muted'}>
              {t(g.exceedsCriterion ? 'rigidity.above' : 'rigidity.below', { percent: g.criterionPercent })}
            </p>
          )}
          {g.lossVsContralateralPercent && (
            <p className="small">
              {t('rigidity.contralateral', QUANTITIES.reduce((o, q) => ({ ...o, [q]: g.lossVsContralateralPercent![q].toFixed(0) }), {}))}
              {QUANTITIES.map((q) => (
                <span key={q} data-testid="rigidity-contralateral-loss" data-quantity={q} data-value={g.lossVsContralateralPercent![q]} hidden />
              ))}
            </p>
          )}
          {onPickContralateral && (
            <p className="small">
              <button className="btn small" data-testid="rigidity-contralateral-pick" onClick={onPickContralateral}>
                {g.contralateralReference ? t('rigidity.repickContralateral') : t('rigidity.addContralateral')}
              </button>
            </p>
          )}
        </>
      ) : null}
      <RigidityChart rigidity={g} label={{ axis: t('profileAxis'), percent: t('rigidity.percentOfIntact'), notMeasured: t('notMeasured') }} />
      {ref && (
        <p data-testid="rigidity-reference" className="muted small">
          {t('rigidity.reference', { count: ref.sections.length })}
        </p>
      )}
      {g.warnings.map((x) => (
        <p key={x.code} data-testid="rigidity-warning" data-code={x.code} className={x.code === 'rigidity-uncalibrated' ? 'muted small' : 'warn small'} title={x.message}>
          {t(`rigidity.warning.${x.code}`, { defaultValue: x.message })}
        </p>
      ))}
      <p data-testid="rigidity-calibration" className="muted small">
        {t('rigidity.relation', {
          a: g.densityRelation.modulusCoefficientMpa,
          b: g.densityRelation.modulusExponent,
          k: g.densityRelation.ashDensityPerHu,
          nu: g.densityRelation.poissonRatio,
          calibration: g.densityRelation.calibration,
        })}
      </p>
      <details className="small">
        <summary>{t('rigidity.sources')}</summary>
        <ul>
          {g.sources.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      </details>
    </section>
  );
}

/** EA, EImin and GJ along the axis as % of the intact reference (or of their largest value without one). */
function RigidityChart({ rigidity: g, label }: { rigidity: Rigidity; label: { axis: string; percent: string; notMeasured: string } }) {
  const rows = g.profile;
  if (rows.length < 2 || !rows.some((r) => r.EA !== null)) return null;
  const ref = g.intactReference ?? {
    EA: Math.max(...rows.map((r) => r.EA ?? 0)),
    EImin: Math.max(...rows.map((r) => r.EImin ?? 0)),
    GJ: Math.max(...rows.map((r) => r.GJ ?? 0)),
  };
  const x0 = rows[0].positionMm;
  const x1 = rows[rows.length - 1].positionMm;
  const sx = (x: number) => PAD.left + ((x - x0) / Math.max(1e-6, x1 - x0)) * (W - PAD.left - PAD.right);
  const sy = (y: number) => PAD.top + (1 - Math.min(Y_MAX, Math.max(0, y)) / Y_MAX) * (H - PAD.top - PAD.bottom);
  const innerH = H - PAD.top - PAD.bottom;
  const step = (x1 - x0) / Math.max(1, rows.length - 1);
  // Lines break at sections without values.
  const segments = (q: (typeof QUANTITIES)[number]) => {
    const out: string[] = [];
    let cur: string[] = [];
    for (const r of rows) {
      const v = r[q];
      if (v === null) {
        if (cur.length > 1) out.push(cur.join(' '));
        cur = [];
        continue;
      }
      cur.push(`${sx(r.positionMm).toFixed(1)},${sy((100 * v) / ref[q]).toFixed(1)}`);
    }
    if (cur.length > 1) out.push(cur.join(' '));
    return out;
  };
  const lesional = rows.filter((r) => r.lesional);
  const unmeasured = rows.filter((r: RigiditySection) => r.EA === null);
  return (
    <svg data-testid="rigidity-profile" className="analysis-profile rigidity-profile" viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={label.percent}>
      <rect x={PAD.left} y={PAD.top} width={W - PAD.left - PAD.right} height={innerH} className="frame" />
      {lesional.length > 0 && <rect className="involved" x={sx(lesional[0].positionMm - step / 2)} y={PAD.top} width={Math.max(1, sx(lesional[lesional.length - 1].positionMm + step / 2) - sx(lesional[0].positionMm - step / 2))} height={innerH} />}
      {unmeasured.map((r) => (
        <rect key={r.positionMm} className="not-measured-cell" x={sx(r.positionMm - step / 2)} y={PAD.top} width={Math.max(1, sx(r.positionMm + step / 2) - sx(r.positionMm - step / 2))} height={innerH}>
          <title>{label.notMeasured}</title>
        </rect>
      ))}
      {[0, 65, 100].map((y) => (
        <g key={y}>
          <line className={y === 65 ? 'criterion' : 'grid'} x1={PAD.left} x2={W - PAD.right} y1={sy(y)} y2={sy(y)} />
          <text className="tick" x={PAD.left - 3} y={sy(y) + 3} textAnchor="end">
            {y}
          </text>
        </g>
      ))}
      {QUANTITIES.map((q) => segments(q).map((pts, i) => <polyline key={`${q}${i}`} className={`rigidity-${q}`} points={pts} fill="none" />))}
      {g.weakestSection && <line className="best" x1={sx(g.weakestSection.positionMm)} x2={sx(g.weakestSection.positionMm)} y1={PAD.top} y2={H - PAD.bottom} />}
      <text className="tick" x={PAD.left} y={H - 5}>
        {x0.toFixed(0)}
      </text>
      <text className="tick" x={W - PAD.right} y={H - 5} textAnchor="end">
        {x1.toFixed(0)} mm
      </text>
      <text className="tick" x={(PAD.left + W - PAD.right) / 2} y={H - 5} textAnchor="middle">
        {label.axis}
      </text>
      {QUANTITIES.map((q, i) => (
        <text key={q} className={`legend rigidity-${q}-text`} x={PAD.left + 4 + i * 34} y={PAD.top + 10}>
          {q === 'EImin' ? 'EI' : q}
        </text>
      ))}
      <text className="legend" x={W - PAD.right - 4} y={PAD.top + 10} textAnchor="end">
        {label.percent}
      </text>
    </svg>
  );
}
