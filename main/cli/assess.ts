import { readFileSync } from 'node:fs';
import type { AssessmentResult, Reason } from '../../shared/schemas/assessment';
import { assessRaw, sourceShort } from '../../shared/rules/index';
import { displayParams } from '../../shared/rules/texts';
import en from '../../renderer/i18n/locales/en/rules.json';

/**
 * `npm run -s cli -- assess FILE [--json]` (issue 2). FILE `-` reads stdin.
 * Prints the rule engine's result as JSON (--json) or a readable English summary.
 * Bad usage, unreadable file, bad JSON or invalid input: exit 2, one line per problem naming
 * the file / field, never a stack trace.
 */
const USAGE = 'usage: cli assess FILE|- [--json]';

function fail(lines: string[]): number {
  process.stderr.write(lines.map((l) => `${l}\n`).join(''));
  return 2;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

type Texts = Record<string, unknown>;

/** English text of a dotted key in rules.json, with {{param}} substitution; the key itself if absent. */
export function text(key: string, params: Record<string, unknown> = {}): string {
  let node: unknown = en as Texts;
  for (const part of key.split('.')) node = node && typeof node === 'object' ? (node as Texts)[part] : undefined;
  if (typeof node !== 'string') {
    // 'missing' keys such as 'sins.location' are nested objects in the JSON.
    return key;
  }
  return node.replace(/\{\{(\w+)\}\}/g, (_, name: string) => formatValue(params[name]));
}

function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'not measured';
  if (typeof v === 'number') return String(Math.round(v * 100) / 100);
  return String(v);
}

function reasonLine(r: Reason): string {
  return `${text(`reasons.${r.code}`, displayParams(r, (k) => text(k), ', '))} [${sourceShort(r.source)}]`;
}

export function summary(r: AssessmentResult): string {
  const out: string[] = [];
  out.push(`Recommendation: ${text(`levels.${r.level}`)}${r.level === 'first-line-consolidation' ? (r.ctConfirmed ? ' — CT-confirmed' : ' — not CT-confirmed') : ''}`);
  if (r.missing.length) out.push(`Missing: ${r.missing.map((m) => text(`missing.${m}`)).join('; ')}`);
  if (r.mirels) {
    const i = r.mirels.items;
    out.push(
      `Mirels: ${r.mirels.score} / 12 (site ${i.site}, size ${i.size} [${text(`mirels.sizeSource.${r.mirels.sizeSource}`)}], type ${i.lesionType}, pain ${i.pain})`,
    );
  }
  if (r.sins) {
    const flags = r.sins.vertebroplastyContraindications ?? [];
    out.push(`SINS: ${r.sins.score} / 18, ${text(`sinsBands.${r.sins.band}`)}`);
    if (flags.length) out.push(`Vertebroplasty contraindications: ${flags.map((f) => text(`vertebroplastyFlags.${f}`)).join(', ')}`);
  }
  if (r.criteria.length) {
    out.push('Criteria:');
    for (const c of r.criteria) {
      const value = c.value === null ? '—' : typeof c.value === 'boolean' ? (c.value ? 'yes' : 'no') : `${formatValue(c.value)} ${c.unit}`;
      const mark = c.decisive ? ' (decisive)' : c.informational ? ' (informational)' : '';
      out.push(`  [${text(`criterionStatus.${c.status}`)}] ${text(`criteria.${c.id}`)}: ${value}${mark}`);
    }
  }
  out.push('Reasons:');
  for (const reason of r.reasons) out.push(`  - ${reasonLine(reason)}`);
  if (r.postOperativeRadiotherapy) out.push(`Post-operative: ${reasonLine(r.postOperativeRadiotherapy)}`);
  if (r.radiotherapyOptions.length) {
    out.push(`${text('radiotherapy.title')}: ${r.radiotherapyOptions.map((o) => text(`radiotherapy.${o.id}`)).join('; ')}`);
  }
  out.push('Caveats:');
  for (const c of r.caveats) out.push(`  - ${text(`caveats.${c.code}`, c.params)}`);
  out.push(`Rules version ${r.rulesVersion}`);
  return out.join('\n') + '\n';
}

export async function run(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const unknownFlags = args.filter((a) => a.startsWith('--') && a !== '--json');
  const files = args.filter((a) => !a.startsWith('--'));
  if (unknownFlags.length) return fail([...unknownFlags.map((f) => `unknown option: ${f}`), USAGE]);
  if (files.length !== 1) return fail([files.length === 0 ? 'missing FILE (use - for stdin)' : `expected one FILE, got ${files.length}`, USAGE]);

  const file = files[0];
  const name = file === '-' ? 'stdin' : file;
  let textIn: string;
  try {
    textIn = file === '-' ? await readStdin() : readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail([`${name}: cannot read file${code ? ` (${code})` : ''}`]);
  }

  let raw: unknown;
  try {
    raw = JSON.parse(textIn);
  } catch (e) {
    return fail([`${name}: not valid JSON (${e instanceof Error ? e.message : String(e)})`]);
  }

  const result = assessRaw(raw, name);
  if (!result.ok) return fail(result.error.map((e) => `${name}: ${e.message}`));

  process.stdout.write(json ? `${JSON.stringify(result.value, null, 2)}\n` : summary(result.value));
  return 0;
}
