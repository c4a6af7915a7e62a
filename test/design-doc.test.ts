/**
 * docs/design.md is the project's design document: every citation of it in the code, the tests,
 * the docs and the derivation files ("docs/design.md (2.17)", "(17)–(18)", "§2.7") names an equation
 * or section that exists, and nothing points to a design file outside the repository.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/cli.js';

const design = readFileSync(join(repoRoot, 'docs', 'design.md'), 'utf8');
/** Equation labels "(s.n)", numbered within section s, at the end of a line of an indented display. */
const labels = [...design.matchAll(/^ {4,}.*\((\d+\.\d+)\)\s*$/gm)].map((m) => m[1]!);
const equations = new Set(labels);
/** Section numbers: "## 2." and "### 2.7". */
const sections = new Set([...design.matchAll(/^#{2,3} (\d+(?:\.\d+)?)\.? /gm)].map((m) => m[1]!));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'node_modules' || f === 'examples' ? [] : files(p);
    return /\.(ts|md|json)$/.test(f) ? [p] : [];
  });
}
const sources = [...['src', 'test', 'docs', 'bench', 'derivations'].flatMap((d) => files(join(repoRoot, d))), join(repoRoot, 'README.md')];

describe('docs/design.md', () => {
  it('numbers its equations (s.1), (s.2), … in order within each section, each once', () => {
    expect(labels.length).toBeGreaterThan(30);
    expect(new Set(labels).size).toBe(labels.length);
    const bySection = new Map<string, number[]>();
    for (const l of labels) {
      const [sec, n] = l.split('.');
      bySection.set(sec!, [...(bySection.get(sec!) ?? []), Number(n)]);
    }
    for (const [sec, ns] of bySection) expect(ns, `section ${sec}`).toEqual(Array.from({ length: ns.length }, (_, i) => i + 1));
    // The code states (3.1) and (4.1)–(4.3) in its own docstrings with the same numbers.
    for (const l of ['3.1', '4.1', '4.2', '4.3']) expect(equations.has(l)).toBe(true);
  });

  it('is what the repository cites, never a design file elsewhere', () => {
    // Spelled in pieces so that this file does not match itself.
    const elsewhere = new RegExp(['DES' + 'IGN\\.md', 'DES' + 'IGN §', '\\.\\./sha' + 'red'].join('|'));
    const outside = sources.filter((f) => elsewhere.test(readFileSync(f, 'utf8')));
    expect(outside.map((f) => relative(repoRoot, f))).toEqual([]);
  });

  it('has every equation and section the repository cites', () => {
    const missing: string[] = [];
    let cited = 0;
    for (const f of sources) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/design\.md\)? ((?:\(\d+\.\d+\)(?:–\(\d+\.\d+\))?(?:, )?)+|§\d+(?:\.\d+)?)/g)) {
        cited++;
        const ref = m[1]!;
        for (const n of ref.matchAll(/\((\d+\.\d+)\)/g)) if (!equations.has(n[1]!)) missing.push(`${relative(repoRoot, f)}: (${n[1]})`);
        const s = /^§(\d+(?:\.\d+)?)/.exec(ref);
        if (s && !sections.has(s[1]!)) missing.push(`${relative(repoRoot, f)}: §${s[1]}`);
      }
    }
    expect(cited).toBeGreaterThan(40);
    expect(missing).toEqual([]);
  });
});
