import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AssessmentResultSchema } from '../../../shared/schemas/assessment';

/** `assess` run as a child process, exactly as a user runs it (npx tsx main/cli/index.ts assess …). */
const root = join(__dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'assess-'));

function cli(args: string[], stdin?: string) {
  const r = spawnSync('npx', ['tsx', 'main/cli/index.ts', 'assess', ...args], { cwd: root, input: stdin, encoding: 'utf8', timeout: 60_000 });
  // npm may print its own config warnings on stderr; keep only the command's lines.
  const stderr = r.stderr.split('\n').filter((l) => l && !l.startsWith('npm warn'));
  return { code: r.status, stdout: r.stdout, stderr };
}

function file(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const case3 = { site: 'peritrochanteric', lesionType: 'lytic', pain: 'moderate', axialPercent: 45, circumferentialPercent: 60, axialLengthMm: 35, lifeExpectancyOver3Months: true };

describe('cli assess', () => {
  it('prints the result as JSON for a valid file (§8 case 3)', () => {
    const r = cli([file('case3.json', JSON.stringify(case3)), '--json']);
    expect(r.stderr).toEqual([]);
    expect(r.code).toBe(0);
    const out = AssessmentResultSchema.parse(JSON.parse(r.stdout));
    expect(out).toMatchObject({ level: 'first-line-consolidation', ctConfirmed: true, mirels: { score: 10 }, sins: null, missing: [] });
    expect(out.reasons.map((x) => x.code)).toContain('ct-confirmed');
    for (const reason of out.reasons) expect(reason.source).toBeTruthy();
  });

  it('reads stdin with FILE "-" (§8 case 5) and prints a readable summary without --json', () => {
    const input = { site: 'upper-limb', lesionType: 'mixed', pain: 'mild', axialPercent: 25, circumferentialPercent: 55, axialLengthMm: 32, lifeExpectancyOver3Months: true };
    const json = cli(['-', '--json'], JSON.stringify(input));
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ level: 'multidisciplinary-discussion', mirels: { score: 5 } });
    const text = cli(['-'], JSON.stringify(input));
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Recommendation: Multidisciplinary discussion/);
    expect(text.stdout).toContain('Mirels: 5 / 12');
    expect(text.stdout).toContain('Discordance');
    expect(text.stdout).not.toMatch(/\{\{|reasons\.|criteria\./); // every text found, every parameter filled
  });

  it('issue 14: a spine lesion needs no Mirels lesion type or pain (SINS scores it); other sites still do', () => {
    const spine = { site: 'spine', sins: { location: 'junctional', pain: 'mechanical', lesion: 'lytic', alignment: 'normal', collapse: 'none', posterolateral: 'none' } };
    const r = cli(['-', '--json'], JSON.stringify(spine));
    expect(r.stderr).toEqual([]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ level: 'surgical-opinion', sins: { score: 8 }, mirels: null });
    const femur = cli(['-', '--json'], JSON.stringify({ site: 'lower-limb', axialPercent: 40 }));
    expect(femur.code).toBe(2);
    expect(femur.stderr.sort()).toEqual([expect.stringMatching(/^stdin: lesionType: required field is missing/), expect.stringMatching(/^stdin: pain: required field is missing/)]);
  });

  it('invalid input: exit 2, one line per problem naming the field, no stack trace', () => {
    const bad = { site: 'femur', lesionType: 'lytic', axialPercent: 130, circumferentialPercent: -5, axialLengthMm: -2, sins: { location: 'cervical' }, axialPercnt: 20 };
    const r = cli(['-', '--json'], JSON.stringify(bad));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const fields = ['site', 'pain', 'axialPercent', 'circumferentialPercent', 'axialLengthMm', 'sins.location', 'axialPercnt'];
    expect(r.stderr).toHaveLength(fields.length);
    for (const f of fields) expect(r.stderr.some((l) => l.startsWith(`stdin: ${f}: `)), f).toBe(true);
    expect(r.stderr.find((l) => l.includes('pain:'))).toContain('missing');
    expect(r.stderr.join('\n')).not.toMatch(/\bat .*\.ts:\d+|Error:/);
  });

  it('bad JSON and unreadable files: exit 2 naming the file', () => {
    const broken = file('broken.json', '{"site": "spine",');
    const r = cli([broken]);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([expect.stringMatching(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON`))]);
    const missing = join(dir, 'nope.json');
    const m = cli([missing, '--json']);
    expect(m.code).toBe(2);
    expect(m.stderr).toEqual([`${missing}: cannot read file (ENOENT)`]);
  });

  it('usage errors exit 2', () => {
    expect(cli([]).code).toBe(2);
    expect(cli([file('ok.json', JSON.stringify(case3)), '--yaml']).code).toBe(2);
  });
});
