import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { counterTermsMarkdown, gradientDescent, solveCounterTerms } from '../src/index.js';
import { eom, repoRoot } from './helpers/cli.js';

describe('eom derive', () => {
  it('defaults to K = 2 as text', () => {
    const r = eom('derive');
    expect(r.status).toBe(0);
    // Source: docs/design.md (2.13)–(2.14) for ξ_0, ξ_1; ξ_2 as checked in test/solver.test.ts.
    expect(r.stdout).toBe(
      'ξ_0 = 1/2 H g\nξ_1 = 1/3 H^2 g + 1/12 ∇³L[g, g]\nξ_2 = 1/4 H^3 g + 1/12 H ∇³L[g, g] + 1/12 ∇³L[H g, g]\n',
    );
    expect(r.stderr).toBe('');
  });

  it('prints the JSON contract', () => {
    const r = eom('derive', '--order', '3', '--format', 'json');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.method).toBe('gd');
    expect(json.order).toBe(3);
    expect(json.xi.map((x: { terms: unknown[] }) => x.terms.length)).toEqual([1, 2, 3, 9]);
  });

  it('offers every format and the extragradient rule', () => {
    // Source: ξ_0 = ½Hg, ξ_1 = ⅓H²g + 1/12 ∇³L[g, g] (Miyagawa, NeurIPS 2022), in each notation.
    const out = (f: string) => {
      const r = eom('derive', '-k', '1', '-f', f);
      expect(r.status, f).toBe(0);
      expect(r.stderr, f).toBe('');
      return r.stdout;
    };
    expect(out('text')).toBe('ξ_0 = 1/2 H g\nξ_1 = 1/3 H^2 g + 1/12 ∇³L[g, g]\n');
    expect(out('latex')).toBe(
      '\\begin{align*}\n\\xi_{0} &= \\frac{1}{2} H g \\\\\n\\xi_{1} &= \\frac{1}{3} H^{2} g + \\frac{1}{12} \\nabla^{3} L[g, g]\n\\end{align*}\n',
    );
    // Index notation: (Hg)_i = L_ij L_j; (∇³L[g, g])_i = L_ijk L_j L_k.
    expect(out('index').split('\n').slice(1)).toEqual([
      '(ξ_0)_i = 1/2 L_{ij} L_{j}',
      '(ξ_1)_i = 1/3 L_{ij} L_{jk} L_{k} + 1/12 L_{ijk} L_{j} L_{k}',
      '',
    ]);
    const md = out('markdown');
    expect(md).toContain('| [1,2] | 1 | 1/2 | H g | $H g$ |');
    expect(md).toContain('| [1,2,3] | 1 | 1/3 | H^2 g | $H^{2} g$ |');
    expect(md).toContain('| [1,2,2] | 2 | 1/12 | ∇³L[g, g] | $\\nabla^{3} L[g, g]$ |');
    const json = JSON.parse(out('json'));
    expect(json.xi.map((x: { terms: { tree: number[]; coefficient: string }[] }) => x.terms.map((t) => [t.tree, t.coefficient]))).toEqual([
      [[[1, 2], '1/2']],
      [
        [[1, 2, 3], '1/3'],
        [[1, 2, 2], '1/12'],
      ],
    ]);
    const eg = eom('derive', '--method', 'extragradient', '--order', '0');
    // Source: θ − ηg(θ − ηg) = θ − ηg + η²Hg + …, so the Lie series gives ξ_0 = −½Hg (test/solver.test.ts checks it two more ways).
    expect(eg.stdout).toBe('# extragradient: θ ← θ − η∇L(θ − η∇L(θ))\nξ_0 = -1/2 H g\n');
  });

  it('has --help on every command', () => {
    for (const args of [['--help'], ['derive', '--help'], ['help', 'derive']]) {
      const r = eom(...args);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/Usage: eom/);
    }
  });

  it.each([
    [['derive', '--order', '-1'], /--order must be a non-negative integer, got "-1"/],
    [['derive', '--order', 'abc'], /--order must be a non-negative integer, got "abc"/],
    [['derive', '--order', '2.5'], /--order must be a non-negative integer/],
    [['derive', '--format', 'pdf'], /--format must be one of text, latex, index, markdown, json; got "pdf"/],
    [['derive', '--method', 'adamw'], /--method must be one of gd, heavy-ball, nesterov, nesterov-lookahead, extragradient, midpoint, heun, rk4, rmsprop, adam; got "adamw"/],
    [['derive', '--method', 'adam'], /adam acts element-wise \(not a B-series\): its EoM needs a loss: eom derive --loss, eom simulate, eom validate and eom report take it/],
    [['derive', '--order', '16'], /--order 16 is too large: the largest order that fits in this process's memory is \d+/],
    [['derive', '--order', '100000000'], /--order 100000000 is too large: the largest order that fits in this process's memory is \d+ \(each order/],
    [['derive', '--order'], /argument missing/],
    [['derive', '--frobnicate'], /unknown option '--frobnicate'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('rejects %j with one line and exit 2', (args, message) => {
    const r = eom(...args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('docs/counter-terms.md', () => {
  it('is what the engine produces now (regenerate with npm run docs:counter-terms)', () => {
    const committed = readFileSync(join(repoRoot, 'docs', 'counter-terms.md'), 'utf8');
    expect(committed).toBe(counterTermsMarkdown(gradientDescent.description, solveCounterTerms(4), undefined, undefined, 'eom derive --order 4 --format markdown'));
    expect(committed).toBe(eom('derive', '--order', '4', '--format', 'markdown').stdout);
  });
});
