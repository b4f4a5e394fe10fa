import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// shared/ runs in main, renderer, CLI and tests: it must use neither Node APIs nor the DOM.
const root = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(name) ? [p] : [];
  });
}

const NODE_IMPORT = /from\s+['"](node:[^'"]+|fs|path|os|child_process|worker_threads|crypto|url|electron)['"]/;
const DOM_USE = /(?<![\w.])(document|window|localStorage|indexedDB|navigator)\.|\bHTML\w*Element\b/;

/** Code only: comments and string literals removed, so prose like "the window." is not a DOM use. */
function codeOf(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1')
    .replace(/`(?:\\.|[^`\\])*`|'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"/g, "''");
}

describe('layering', () => {
  const files = sources(join(root, 'shared'));
  it('finds the shared sources', () => expect(files.length).toBeGreaterThan(0));
  it.each(files.map((f) => relative(root, f)))('%s uses no Node API and no DOM', (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    expect(text).not.toMatch(NODE_IMPORT);
    expect(codeOf(text)).not.toMatch(DOM_USE);
  });
  it('renderer never imports from main/', () => {
    for (const f of sources(join(root, 'renderer'))) {
      expect(readFileSync(f, 'utf8'), relative(root, f)).not.toMatch(/from\s+['"][./]*\/main\//);
    }
  });
});
