import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * Electronegativity on the Electron sources + index.html (main/electron/electronegativity.mjs).
 * Every finding must be one the README's "Electron security" section justifies; a new finding
 * fails here until it is fixed or justified there.
 */
const JUSTIFIED = new Set(['CSP_GLOBAL_CHECK@renderer/index.html']);

describe('Electronegativity audit', () => {
  it('finds nothing but the justified findings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frw-en-'));
    try {
      const csv = join(dir, 'electronegativity.csv');
      await promisify(execFile)(process.execPath, [join(__dirname, '../../../main/electron/electronegativity.mjs'), csv], { timeout: 90_000 });
      const rows = readFileSync(csv, 'utf8').trim().split('\n').slice(1);
      const findings = rows.map((r) => {
        const [id, , , file] = r.split(',');
        return `${id}@${file.replace(/"/g, '')}`;
      });
      expect(findings.filter((f) => !JUSTIFIED.has(f))).toEqual([]);
      const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
      for (const f of findings) expect(readme, `README justifies ${f}`).toContain(f.split('@')[0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
