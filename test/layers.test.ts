/**
 * The layering of docs/design.md §5, enforced: every import in src/ (static `from '…'` and dynamic
 * `import('…')`) goes to its own folder, to a layer below it, or to src/version.ts. Data flows one
 * way: trees → series → derive → notation, and series → algebra → loss → adaptive → compile →
 * simulate → report, with check, symmetry and testing on top and cli over everything.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/cli.js';

/** What each layer may import besides itself (design §5). */
const ALLOWED: ReadonlyMap<string, readonly string[]> = new Map([
  ['syntax', []],
  ['trees', []],
  ['types', []],
  ['series', ['trees']],
  ['algebra', ['series']],
  ['derive', ['trees', 'series', 'syntax']],
  ['notation', ['trees', 'series', 'derive']],
  ['export', ['trees', 'series', 'derive', 'notation']],
  ['loss', ['trees', 'series', 'syntax', 'algebra', 'derive', 'notation']],
  ['adaptive', ['series', 'algebra', 'loss']],
  ['compile', ['trees', 'series', 'algebra', 'derive', 'loss']],
  ['simulate', ['trees', 'series', 'algebra', 'derive', 'loss', 'adaptive', 'compile']],
  ['report', ['trees', 'series', 'algebra', 'derive', 'notation', 'loss', 'adaptive', 'compile', 'simulate']],
  ['symmetry', ['trees', 'series', 'algebra', 'derive', 'notation', 'loss', 'compile', 'simulate']],
  ['check', ['trees', 'series', 'syntax', 'algebra', 'derive', 'notation', 'loss', 'adaptive', 'compile', 'simulate', 'symmetry']],
  ['testing', ['trees', 'series', 'algebra', 'derive', 'notation', 'loss', 'compile', 'simulate', 'check']],
]);

const src = join(repoRoot, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.c?ts$/.test(p) ? [p] : [];
  });
}

/** The relative import specifiers of a source file. */
function imports(text: string): string[] {
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*)'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
}

/** The layer a path under src/ belongs to: its first folder, or '' for src/*.ts. */
function layerOf(path: string): string {
  const parts = relative(src, path).split(/[\\/]/);
  return parts.length > 1 ? parts[0]! : '';
}

describe('layers (docs/design.md §5)', () => {
  const folders = readdirSync(src).filter((f) => statSync(join(src, f)).isDirectory());

  it('every folder under src/ is a layer the table knows (cli sits over everything)', () => {
    for (const f of folders) expect(f === 'cli' || ALLOWED.has(f), `src/${f}`).toBe(true);
  });

  it('nothing imports upward', () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const file of files(src)) {
      const own = layerOf(file);
      if (own === '' || own === 'cli') continue; // src/index.ts re-exports the library; cli is on top
      for (const spec of imports(readFileSync(file, 'utf8'))) {
        const target = resolve(dirname(file), spec);
        expect(target.startsWith(src), `${relative(repoRoot, file)} imports ${spec} outside src/`).toBe(true);
        const layer = layerOf(target);
        checked++;
        if (layer === own || (layer === '' && target.endsWith('version.js'))) continue;
        if (!ALLOWED.get(own)!.includes(layer)) wrong.push(`${relative(repoRoot, file)} → ${spec}`);
      }
    }
    expect(checked).toBeGreaterThan(500);
    expect(wrong).toEqual([]);
  });

  it('the check itself catches an upward import (positive control)', () => {
    // algebra may not read a user's loss: an import of ../loss/loss.js from src/algebra is wrong.
    const spec = imports("import { Loss } from '../loss/loss.js';")[0]!;
    const layer = layerOf(resolve(join(src, 'algebra'), spec));
    expect(layer).toBe('loss');
    expect(ALLOWED.get('algebra')!.includes(layer)).toBe(false);
  });
});
