// Runs Electronegativity (Doyensec's Electron security audit):
//   node main/electron/electronegativity.mjs [output.csv]
// Input: the Electron sources (main/electron/*.ts) and the page they load (renderer/index.html,
// for its CSP meta tag), copied to a temporary folder so the audit does not wander into tests
// or the 5 MB renderer bundle. The Electron version is the one package.json pins (the tool
// cannot find it from the sources alone and would otherwise assume v0.1.0 defaults).
// Its CLI (`npx electronegativity -i …`) reads options the way commander ≤ 6 stored them;
// npm hoists commander 9 here, so the CLI only prints its usage: same runner, same options.
// The runner's own CSV writer truncates (header) and appends (rows) with two un-awaited
// writes that race, so now and then the file comes out mangled: take the issues it returns and
// write the same CSV columns here, in one write.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
// The audit runs offline: its two network lookups (updated translations, Electron's release
// list) are answered 'offline' at once. These machines have no network, and under Node 24 the
// tool's old HTTP client (got 11) throws from a retry timer after such a failure.
const gotPath = require.resolve('got', { paths: [dirname(require.resolve('@doyensec/electronegativity/dist/runner.js'))] });
const offline = () => Promise.reject(new Error('offline'));
offline.head = offline;
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offline };
const runner = require('@doyensec/electronegativity/dist/runner.js');
const run = typeof runner === 'function' ? runner : runner.default;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const output = resolve(process.argv[2] ?? join(root, 'test-results', 'electronegativity.csv'));
const electronVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies.electron.replace(/^[^\d]*/, '');

const input = mkdtempSync(join(tmpdir(), 'frw-electronegativity-'));
try {
  mkdirSync(join(input, 'main', 'electron'), { recursive: true });
  mkdirSync(join(input, 'renderer'));
  for (const f of readdirSync(join(root, 'main', 'electron')).filter((n) => n.endsWith('.ts'))) {
    copyFileSync(join(root, 'main', 'electron', f), join(input, 'main', 'electron', f));
  }
  copyFileSync(join(root, 'renderer', 'index.html'), join(input, 'renderer', 'index.html'));
  mkdirSync(dirname(output), { recursive: true });
  const { issues } = await run(
    {
      input,
      output: undefined,
      isSarif: false,
      customScan: [],
      excludeFromScan: [],
      severitySet: undefined,
      confidenceSet: undefined,
      isRelative: true,
      isVerbose: false,
      electronUpgrade: undefined,
      electronVersionOverride: electronVersion,
      parserPlugins: [],
    },
    false,
  );
  const quoted = (v) => (v == null ? 'N/A' : `"${String(v).replace(/"/g, '""')}"`);
  const rows = issues.map((i) =>
    [i.id, quoted(i.severity.name), quoted(i.confidence.name), quoted(i.file), quoted(`${i.location.line}:${i.location.column}`), quoted(i.sample), quoted(i.description), `https://github.com/doyensec/electronegativity/wiki/${i.id}`].join(','),
  );
  writeFileSync(output, ['issue, severity, confidence, filename, location, sample, description, url', ...rows, ''].join('\n'));
  process.stdout.write(`Electron ${electronVersion}; findings in ${output}\n`);
} finally {
  rmSync(input, { recursive: true, force: true });
}
