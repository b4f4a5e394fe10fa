import type { LesionAnalysis } from '../../shared/schemas/analysis';

const W = 300;
const H = 110;
const PAD = { left: 30, right: 8, top: 8, bottom: 20 };

/**
 * Circumferential % and axial % along the bone axis (mm from the seed), the involved range
 * shaded and the most affected section marked. Plain SVG, no chart library.
 */
export function ProfileChart({ analysis, labels }: { analysis: LesionAnalysis; labels: { circ: string; axial: string; position: string; axis?: string } }) {
  const pts = analysis.profile.filter((p) => p.measured);
  if (pts.length < 2) return null;
  const x0 = pts[0].positionMm;
  const x1 = pts[pts.length - 1].positionMm;
  const sx = (x: number) => PAD.left + ((x - x0) / Math.max(1e-6, x1 - x0)) * (W - PAD.left - PAD.right);
  const sy = (y: number) => PAD.top + (1 - y / 100) * (H - PAD.top - PAD.bottom);
  const line = (key: 'circumferentialPercent' | 'axialPercent') => pts.map((p) => `${sx(p.positionMm).toFixed(1)},${sy(p[key]).toFixed(1)}`).join(' ');
  const range = analysis.involvedRangeMm;
  const best = analysis.mostAffectedSection;
  return (
    <svg data-testid="analysis-profile" className="analysis-profile" viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={`${labels.circ}, ${labels.axial}`}>
      <rect x={PAD.left} y={PAD.top} width={W - PAD.left - PAD.right} height={H - PAD.top - PAD.bottom} className="frame" />
      {range && <rect className="involved" x={sx(range.startMm)} y={PAD.top} width={Math.max(1, sx(range.endMm) - sx(range.startMm))} height={H - PAD.top - PAD.bottom} />}
      {[0, 50, 100].map((y) => (
        <g key={y}>
          <line className="grid" x1={PAD.left} x2={W - PAD.right} y1={sy(y)} y2={sy(y)} />
          <text className="tick" x={PAD.left - 3} y={sy(y) + 3} textAnchor="end">
            {y}
          </text>
        </g>
      ))}
      <polyline className="circ" points={line('circumferentialPercent')} fill="none" />
      <polyline className="axial" points={line('axialPercent')} fill="none" />
      {best && <line className="best" x1={sx(best.positionMm)} x2={sx(best.positionMm)} y1={PAD.top} y2={H - PAD.bottom} />}
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
    </svg>
  );
}
