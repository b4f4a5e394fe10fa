import { existsSync } from 'node:fs';
import { ScanResultSchema, type ScanResult, type Series } from '../../shared/schemas/scan';
import { scanPaths } from '../scan/index';

/**
 * `npm run -s cli -- scan PATH... [--json] [--workers N]` (issue 3).
 * --json prints the ScanResult contract ({studies: [{…, series, otherObjects}], errors, skipped});
 * without it, a readable tree. --workers N is still accepted and changes nothing (one read path
 * since issue 15). Nonexistent path or bad usage: exit 2 naming it. Ctrl-C cancels.
 */
const USAGE = 'usage: cli scan PATH... [--json] [--workers N]';

function fail(lines: string[]): number {
  process.stderr.write(lines.map((l) => `${l}\n`).join(''));
  return 2;
}

const mm = (n: number | null, d = 2) => (n === null ? '?' : `${Math.round(n * 10 ** d) / 10 ** d}`);

function seriesLine(s: Series): string {
  const size = s.rows !== null && s.columns !== null ? `${s.rows}×${s.columns}` : '?×?';
  const px = s.pixelSpacingMm ? `${mm(s.pixelSpacingMm[0], 3)}×${mm(s.pixelSpacingMm[1], 3)} mm px` : 'no pixel spacing';
  const status = s.measurable ? 'measurable' : 'NOT measurable';
  return (
    `  Series ${s.seriesNumber ?? '-'} ${s.modality || '?'} "${s.description}" — ${s.instanceCount} instance(s), ${size}, ${px}, ` +
    `thickness ${mm(s.sliceThicknessMm)} mm, spacing ${mm(s.sliceSpacingMm)} mm, ${s.transferSyntaxName ?? s.transferSyntaxUid ?? '?'}; ` +
    `${s.kind}; ${status}`
  );
}

export function tree(r: ScanResult): string {
  const out: string[] = [];
  for (const st of r.studies) {
    out.push(`Patient ${st.patientId || '(no ID)'} ${st.patientName ? `"${st.patientName}"` : ''} — study ${st.studyDate || '(no date)'} "${st.studyDescription}" (${st.studyInstanceUid || 'no UID'})`);
    for (const s of st.series) {
      out.push(seriesLine(s));
      for (const w of s.warnings) out.push(`    ${s.notMeasurableReasons.some((r) => r.code === w.code && r.message === w.message) ? '✗' : '!'} ${w.code}: ${w.message}`);
    }
    for (const o of st.otherObjects) {
      const links = o.referencedSeriesInstanceUids.length ? ` → series ${o.referencedSeriesInstanceUids.join(', ')}` : '';
      out.push(`  ${o.modality || 'object'} ${o.file}${links}`);
      for (const w of o.warnings) out.push(`    ! ${w.code}: ${w.message}`);
    }
  }
  const series = r.studies.reduce((n, s) => n + s.series.length, 0);
  const measurable = r.studies.reduce((n, s) => n + s.series.filter((x) => x.measurable).length, 0);
  out.push(`${r.studies.length} study(ies), ${series} series (${measurable} measurable), ${r.errors.length} error(s), ${r.skipped.length} skipped`);
  if (r.errors.length) {
    out.push('Errors:');
    for (const e of r.errors) out.push(`  ${e.code}: ${e.message}`);
  }
  if (r.skipped.length) {
    const byReason = new Map<string, number>();
    for (const s of r.skipped) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
    out.push('Skipped:');
    for (const [reason, n] of byReason) out.push(`  ${n} file(s): ${reason}`);
  }
  return out.join('\n') + '\n';
}

export async function run(args: string[]): Promise<number> {
  let json = false;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') json = true;
    else if (a === '--workers') {
      const v = args[++i];
      if (v === undefined || !/^\d+$/.test(v)) return fail([`scan: --workers needs a whole number`, USAGE]);
      // Kept for the contract (issue 3); headers are read on one thread now, which measured
      // faster than any worker count (README, `npm run bench scan`).
    } else if (a.startsWith('--')) return fail([`scan: unknown option ${a}`, USAGE]);
    else paths.push(a);
  }
  if (paths.length === 0) return fail(['scan: no PATH given', USAGE]);
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length) return fail(missing.map((p) => `scan: no such file or folder: ${p}`));

  // `scan … | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const tty = process.stderr.isTTY && !json;
  try {
    const result = await scanPaths(paths, {
      signal: controller.signal,
      onProgress: tty ? (p) => process.stderr.write(`\r${p.phase} ${p.filesParsed}/${p.filesFound}   `) : undefined,
    });
    if (tty) process.stderr.write('\r\x1b[K');
    // The JSON is a contract: validate it at the boundary, as every CLI output is.
    const checked = ScanResultSchema.parse(result);
    process.stdout.write(json ? `${JSON.stringify(checked, null, 2)}\n` : tree(checked));
    return 0;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'SCAN_CANCELLED') {
      process.stderr.write('scan: cancelled\n');
      return 130;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
