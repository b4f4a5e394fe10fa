import { spawnSync } from 'node:child_process';

export const DCIODVFY = '/usr/bin/dciodvfy';

/** dciodvfy's report lines, split into errors and warnings (it writes them to stderr). */
export function dciodvfy(file: string): { errors: string[]; warnings: string[] } {
  const r = spawnSync(DCIODVFY, [file], { encoding: 'utf8' });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const lines = out.split('\n');
  return { errors: lines.filter((l) => /^Error/.test(l)), warnings: lines.filter((l) => /^Warning/.test(l)) };
}

