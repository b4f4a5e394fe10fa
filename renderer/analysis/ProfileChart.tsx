import type { LesionAnalysis, ProfilePoint } from '../../shared/schemas/analysis';

const W = 300;
const H = 110;
const PAD = { left: 30, right: 8, top: 8, bottom: 20 };

export interface ProfileLabels {
  circ: string;
  axial: string;
  position: string;
  axis?: string;
  /** Legend of the hatched sections, and their tooltip per reason. */
  notMeasured: string;
  reasons: Record<NonNullable<ProfilePoint['notMeasuredReason']>, string>;
  click: string;
}

/** Contiguous runs of profile points for which `test` holds, as [first, last] indices. */
function runsOf(points: readonly ProfilePoint[], test: (p: ProfilePoint) => boolean): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  points.forEach((p, i) => {
    if (!test(p)) return;
    const last = runs[runs.length - 1];
    if (last && last[1] === i - 1) last[1] = i;
    else runs.push([i, i]);
  });
  return runs;
}

/**
 * Circumferential % and axial % along the bone axis (mm from the seed), the involved range
 * shaded, the most affected section and the clicked level marked. Sections that were not
 * measured (outside the volume, no intact reference, not analysed) are hatched and break the
 * lines: they are neither intact nor involved (issue 13). Plain SVG, no chart library.
 */
export function ProfileChart({ analysis, labels }: { analysis: LesionAnalysis; labels: ProfileLabels }) {
  const all = analysis.profile;
  if (all.length < 2 || !all.some((p) => p.measured)) return null;
  const x0 = all[0].positionMm;
  const x1 = all[all.length - 1].positionMm;
  const step = all.length > 1 ? (x1 - x0) / (all.length - 1) : 1;
  const sx = (x: number) => PAD.left + ((x - x0) / Math.max(1e-6, x1 - x0)) * (W - PAD.left - PAD.right);
  const sy = (y: number) => PAD.top + (1 - y / 100) * (H - PAD.top - PAD.bottom);
  const measuredRuns = runsOf(all, (p) => p.measured);
  const gaps = runsOf(all, (p) => !p.measured);
  const line = (run: [number, number], key: 'circumferentialPercent' | 'axialPercent') =>
    all
      .slice(run[0], run[1] + 1)
      .map((p) => `${sx(p.positionMm).toFixed(1)},${sy(p[key]).toFixed(1)}`)
      .join(' ');
  const range = analysis.involvedRangeMm;
  const best = analysis.mostAffectedSection;
  const near = analysis.nearestInvolvement;
  const innerH = H - PAD.top - PAD.bottom;
  return (
    <svg data-testid="analysis-profile" className="analysis-profile" viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={`${labels.circ}, ${labels.axial}`}>
      <defs>
        <pattern id="frw-not-measured" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <line x1="0" y1="0" x2="0" y2="5" className="hatch" />
        </pattern>
      </defs>
      <rect x={PAD.left} y={PAD.top} width={W - PAD.left - PAD.right} height={innerH} className="frame" />
      {gaps.map(([a, b]) => {
        const reason = all[a].notMeasuredReason ?? 'not-analysed';
        const left = sx(all[a].positionMm - step / 2);
        const right = sx(all[b].positionMm + step / 2);
        return (
          <rect
            key={`g${a}`}
            data-testid="profile-not-measured"
            data-reason={reason}
            data-from={all[a].positionMm}
            data-to={all[b].positionMm}
            className="not-measured"
            x={Math.max(PAD.left, left)}
            y={PAD.top}
            width={Math.max(1, Math.min(W - PAD.right, right) - Math.max(PAD.left, left))}
            height={innerH}
            fill="url(#frw-not-measured)"
          >
            <title>{`${labels.notMeasured}: ${labels.reasons[reason]}`}</title>
          </rect>
        );
      })}
      {range && <rect className="involved" x={sx(range.startMm)} y={PAD.top} width={Math.max(1, sx(range.endMm) - sx(range.startMm))} height={innerH} />}
      {near && <rect data-testid="profile-nearest" className="nearest" x={sx(near.startMm)} y={PAD.top} width={Math.max(1, sx(near.endMm) - sx(near.startMm))} height={innerH} />}
      {[0, 50, 100].map((y) => (
        <g key={y}>
          <line className="grid" x1={PAD.left} x2={W - PAD.right} y1={sy(y)} y2={sy(y)} />
          <text className="tick" x={PAD.left - 3} y={sy(y) + 3} textAnchor="end">
            {y}
          </text>
        </g>
      ))}
      {measuredRuns.map((r) => (
        <g key={`m${r[0]}`}>
          {r[0] === r[1] ? null : <polyline className="circ" points={line(r, 'circumferentialPercent')} fill="none" />}
          {r[0] === r[1] ? null : <polyline className="axial" points={line(r, 'axialPercent')} fill="none" />}
        </g>
      ))}
      {best && <line className="best" x1={sx(best.positionMm)} x2={sx(best.positionMm)} y1={PAD.top} y2={H - PAD.bottom} />}
      <line data-testid="profile-click" className="click" x1={sx(0)} x2={sx(0)} y1={PAD.top} y2={H - PAD.bottom}>
        <title>{labels.click}</title>
      </line>
      <text className="tick" x={PAD.left} y={H - 5}>
        {x0.toFixed(0)}
      </text>
      <text className="tick" x={W - PAD.right} y={H - 5} textAnchor="end">
        {x1.toFixed(0)} {labels.position}
      </text>
      {/* What the x axis is: without it "-78 … 68 mm" reads as anything. */}
      {labels.axis && (
        <text className="tick" x={(PAD.left + W - PAD.right) / 2} y={H - 5} textAnchor="middle">
          {labels.axis}
        </text>
      )}
      <text className="legend circ-text" x={PAD.left + 4} y={PAD.top + 10}>
        {labels.circ}
      </text>
      <text className="legend axial-text" x={PAD.left + 4} y={PAD.top + 21}>
        {labels.axial}
      </text>
      {gaps.length > 0 && (
        <text className="legend not-measured-text" x={W - PAD.right - 4} y={PAD.top + 10} textAnchor="end">
          {labels.notMeasured}
        </text>
      )}
    </svg>
  );
}
