// Bundles the Electron main process, the preload and the scan worker with esbuild into
// dist/main/electron/ (package.json "main" → dist/main/electron/main.cjs).
// - CommonJS throughout: a sandboxed preload must be a single CommonJS file that requires
//   nothing but 'electron'; main and the worker follow suit (no ESM loader quirks in Electron).
// - 'electron' stays external (provided by the runtime); everything else (zod, dicom-parser,
//   the shared code) is bundled, so the packaged app needs no node_modules.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const ENTRIES = [
  ['main/electron/main.ts', 'main.cjs'],
  ['main/electron/preload.ts', 'preload.cjs'],
  ['main/electron/scanWorker.ts', 'scanWorker.cjs'],
];

export async function buildElectron(outdir = join(root, 'dist', 'main', 'electron')) {
  rmSync(outdir, { recursive: true, force: true });
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  };
  for (const [entry, out] of ENTRIES) {
    await build({ ...common, entryPoints: [join(root, entry)], outfile: join(outdir, out) });
  }
  return outdir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = await buildElectron();
  process.stdout.write(`built ${ENTRIES.map(([, o]) => o).join(', ')} in ${outdir}\n`);
}
