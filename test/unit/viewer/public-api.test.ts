import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The viewer's imperative controller (renderer/viewer/controller.ts) is private to the viewer:
 * other parts of the UI go through renderer/viewer/index.ts, whose functions stay valid when the
 * viewer is unmounted or replaced (they look up the current controller each call).
 */
const root = join(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(name) ? [p] : [];
  });
}

describe('viewer public API', () => {
  it('no renderer code outside renderer/viewer imports the viewer controller', () => {
    const outside = sources(join(root, 'renderer')).filter((f) => !relative(root, f).startsWith(join('renderer', 'viewer')));
    expect(outside.length).toBeGreaterThan(10);
    const offenders = outside.filter((f) => /from\s+['"][./]*viewer\/controller['"]/.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
    expect(offenders).toEqual([]);
  });

  it('index.ts exports defineBoneAxis(p1Mm, p2Mm) resolving to the axis (or null without a viewer)', () => {
    const index = readFileSync(join(root, 'renderer', 'viewer', 'index.ts'), 'utf8');
    expect(index).toMatch(/export async function defineBoneAxis\(p1Mm: Vec3, p2Mm: Vec3[^)]*\): Promise<BoneAxis \| null>/);
  });

  it('the analysis panel aligns the views through the public defineBoneAxis', () => {
    const panel = readFileSync(join(root, 'renderer', 'analysis', 'AnalysisPanel.tsx'), 'utf8');
    expect(panel).toMatch(/import \{[^}]*\bdefineBoneAxis\b[^}]*\} from '\.\.\/viewer';/);
  });
});
