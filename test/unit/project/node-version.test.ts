/**
 * The Node the project brings (README, "Two commands for a fresh machine"): the pinned `node`
 * dev dependency, the version the first install runs npm under (README and .ci/run), and the
 * engines field must name the same Node, and the tests must be running on it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../data';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const pinned: string = pkg.devDependencies.node;

describe('the project’s own Node', () => {
  it('is pinned exactly, and the README and CI install with that same version', () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const install = `npx -y -p node@${pinned} -- npm ci`;
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8').split(install).length - 1).toBe(2); // start + tests
    expect(readFileSync(join(ROOT, '.ci/run'), 'utf8')).toContain(`${install} && npm test`);
  });
  it('satisfies the engines field and is the Node these tests run on', () => {
    const [major, minor] = pinned.split('.').map(Number);
    const [, wantMajor, wantMinor] = /^>=(\d+)\.(\d+)$/.exec(pkg.engines.node)!.map(Number);
    expect(major > wantMajor || (major === wantMajor && minor >= wantMinor)).toBe(true);
    expect(process.version).toBe(`v${pinned}`);
  });
});
