/**
 * The exported SGD module (src/export/sgdModule.ts, `eom export pytorch --method sgd`), run by
 * Debian's python3 + torch 1.13 in one process (test/python/sgd_export_checks.py) on three
 * polynomial batch losses in two parameters, m = 1, 2, 3 (the first m of the list), both samplings:
 * - ξ_0, ξ_1, ξ_2 against eomkit's closed forms for those batches (`batchLossCounterTerms`: the
 *   concrete coloured-tree series of m batches, no m symbolic, evaluated with evaluatePoly), to
 *   1e-10 in float64;
 * - ξ_0 by hand from dense Hessians: shuffle (1/(2m)) Σ_k H_k g_k (Smith, Dherin, Barrett & De,
 *   ICLR 2021), cyclic adds (1/(2m)) Σ_{j<k} (H_j g_k − H_k g_j) (docs/design.md (3.10));
 * - eom_field = −g − η Σ η^k ξ_k with g the mean gradient; the documented refusals.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sgdPatternSeries } from '../src/derive/batchPatterns.js';
import { sgdPytorchModule, SGD_EXPORT_MAX_BATCHES } from '../src/export/index.js';
import { batchLossCounterTerms } from '../src/loss/counterTerms.js';
import { evaluatePoly } from '../src/loss/evaluate.js';
import { eom, expectUserError, repoRoot } from './helpers/cli.js';
import { requireTorch, runPythonJson } from './helpers/python.js';

/** Three non-convex polynomial batch losses in (x, y), as terms [num, den, a, b] = num/den·x^a·y^b. */
const BATCHES: [number, number, number, number][][] = [
  [[1, 1, 4, 0], [-1, 1, 2, 0], [1, 2, 1, 1], [1, 3, 0, 3]],
  [[1, 1, 0, 2], [-2, 3, 1, 0], [1, 3, 2, 1], [1, 5, 3, 1]],
  [[1, 4, 0, 4], [1, 1, 1, 1], [3, 2, 0, 1], [-1, 6, 3, 0]],
];
const lossText = (terms: (typeof BATCHES)[number]) => terms.map(([n, d, a, b]) => `(${n}/${d})*x^${a}*y^${b}`).join(' + ');
const POINTS = [[0.4, -0.6], [-0.7, 0.3], [1.1, 0.8]];
const SAMPLINGS = ['shuffle', 'cyclic'] as const;

function moduleOf(sampling: (typeof SAMPLINGS)[number], K: number): string {
  return sgdPytorchModule({ sampling, order: K, series: sgdPatternSeries(K, sampling), version: '0.0.0-test' });
}

let results: Record<string, unknown>;

beforeAll(() => {
  requireTorch();
  const dir = mkdtempSync(join(tmpdir(), 'eom-export-sgd-'));
  for (const s of SAMPLINGS) writeFileSync(join(dir, `sgd_${s}.py`), moduleOf(s, 2));
  const cases = [];
  for (const sampling of SAMPLINGS) {
    for (const m of [1, 2, 3]) {
      const r = batchLossCounterTerms(BATCHES.slice(0, m).map(lossText), { order: 2, sampling, vars: ['x', 'y'] });
      for (const [x, y] of POINTS) {
        cases.push({ sampling, m, point: [x, y], xi: r.xi.map((xik) => xik.map((p) => evaluatePoly(p, r.loss.table, { x: x!, y: y! }))) });
      }
    }
  }
  writeFileSync(join(dir, 'reference.json'), JSON.stringify({ batches: BATCHES, cases }));
  results = runPythonJson([join(repoRoot, 'test/python/sgd_export_checks.py'), dir, join(dir, 'reference.json')]);
}, 900_000);

describe('exported SGD module (torch 1.13, float64)', () => {
  it.each(SAMPLINGS)('%s: ξ_0, ξ_1, ξ_2 for m = 1, 2, 3 batches equal the closed forms to 1e-10', (sampling) => {
    for (const m of [1, 2, 3]) {
      for (let k = 0; k <= 2; k++) expect(results[`${sampling} m=${m} xi_${k}`], `m = ${m}, ξ_${k}`).toBeLessThan(1e-10);
    }
    expect(results['shapes']).toBe(true);
  });

  it('one (2,)-shaped parameter tensor gives the same terms as two scalars, shaped like it', () => {
    expect(results['vector params']).toBeLessThan(1e-14);
    expect(results['vector shapes']).toBe(true);
  });

  it.each(SAMPLINGS)('%s: ξ_0 equals the hand-derived form from dense Hessians', (sampling) => {
    expect(results[`${sampling} xi_0 by hand`]).toBeLessThan(1e-12);
  });

  it('eom_field is −g − η Σ η^k ξ_k with g the mean gradient; order −1 is the gradient flow', () => {
    expect(results['eom_field']).toBeLessThan(1e-13);
    expect(results['gradient flow']).toBeLessThan(1e-14);
  });

  it('follows float32 params and leaves the caller’s .grad alone', () => {
    expect(results['float32 dtype']).toBe(true);
    expect(results['float32 vs float64']).toBeLessThan(1e-4);
    expect(results['grad untouched']).toBe(true);
  });

  it('refuses more batches than MAX_BATCHES of the order, and malformed input, with a clear Python error', () => {
    expect(results['max batches']).toEqual(SGD_EXPORT_MAX_BATCHES);
    expect(results[`${SGD_EXPORT_MAX_BATCHES[0]} batches at order 0`]).toBeLessThan(1e-12);
    SGD_EXPORT_MAX_BATCHES.forEach((limit, k) => {
      expect(results[`refuses ${limit + 1} batches at order ${k}`]).toMatch(new RegExp(`^ValueError: ${limit + 1} batches: .* at most ${limit} batches`));
    });
    expect(results['refuses an empty list']).toMatch(/^ValueError: batch_losses is empty/);
    expect(results['refuses one function']).toMatch(/^TypeError: batch_losses must be a list of loss closures/);
    expect(results['refuses order 3']).toMatch(/^ValueError: order must be an integer from 0 to 2, got 3/);
    expect(results['refuses a vector loss']).toMatch(/^ValueError: batch_losses\[0\]\(params\) must return a scalar tensor/);
  });
});

describe('sgdPytorchModule (the generated source)', () => {
  it('states the version, the sampling and exact coefficients in m', () => {
    const py = moduleOf('shuffle', 1);
    expect(py).toContain('Generated by eomkit 0.0.0-test.\n'); // no command given: only the version
    expect(py).toContain('xi_0 = 1/(2*m) Σ_k H_k g_k');
    expect(py).toContain('LABEL_SUM = "distinct"');
    // c(m) = 1/(2m): numerator (1,), denominator 0 + 2m
    expect(py).toMatch(/^ {8}\(\d+, 1, \(1,\), \(0, 2\)\),  # Σ_k H_k g_k$/m);
    expect(py.match(/^(?:import|from) .*$/gm)).toEqual(['import itertools', 'from fractions import Fraction', 'import torch']);
    expect(moduleOf('cyclic', 0)).toContain('LABEL_SUM = "increasing"');
  });

  it('shuffle ξ_1 holds only one- and two-label patterns (the three-label coefficients vanish); cyclic ξ_1 has three', () => {
    const labels = (py: string) => {
      const block = py.slice(py.indexOf('    (  # xi_1'), py.lastIndexOf(')'));
      return new Set([...block.matchAll(/^ {8}\(\d+, (\d), /gm)].map((m) => Number(m[1])));
    };
    expect(labels(moduleOf('shuffle', 1))).toEqual(new Set([1, 2]));
    expect(labels(moduleOf('cyclic', 1))).toEqual(new Set([1, 2, 3]));
  });

  it('refuses orders above 2 and a series with m given', () => {
    expect(() => moduleOf('shuffle', 3)).toThrow(/order must be an integer from 0 to 2/);
    expect(() => sgdPytorchModule({ sampling: 'shuffle', order: 0, series: sgdPatternSeries(0, 'shuffle', 3), version: '1.0.0' })).toThrow(/m symbolic/);
    expect(() => sgdPytorchModule({ sampling: 'cyclic', order: 0, series: sgdPatternSeries(0, 'shuffle'), version: '1.0.0' })).toThrow(/shuffle sampling/);
  });
});

describe('eom export pytorch --method sgd', () => {
  it('writes the module to stdout, shuffle by default', () => {
    const r = eom('export', 'pytorch', '--method', 'sgd', '--order', '1');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Generated by eomkit \S+: eom export pytorch --order 1 --method sgd$/m); // the options given
    expect(r.stdout).toContain('SAMPLING = "shuffle"');
    expect(r.stdout).toContain('def counter_terms(batch_losses, params, order=ORDER):');
    expect(eom('export', 'pytorch', '--method', 'sgd', '--sampling', 'cyclic', '--order', '0').stdout).toContain('SAMPLING = "cyclic"');
  });

  it.each([
    [['--order', '3'], /--order must be at most 2 for --method sgd export/],
    [['--order', '1', '--batches', 'x^2; (x-1)^2'], /--batches does not go with export: the module takes the batch losses at run time/],
    [['--order', '1', '--data', 'rows.csv'], /--data does not go with export/],
    [['--order', '1', '--batch-count', '3'], /--batch-count does not go with export/],
    [['--order', '1', '--sampling', 'random'], /--sampling must be one of shuffle, cyclic; got "random"/],
    [['--order', '1', '--param', 'beta=0.9'], /--method sgd takes no --param, --tableau or --update/],
  ])('refuses %j on one line with exit 2', (args, message) => {
    expectUserError(eom('export', 'pytorch', '--method', 'sgd', ...args), message);
  });

  it('refuses --sampling without --method sgd', () => {
    expectUserError(eom('export', 'pytorch', '--order', '1', '--sampling', 'cyclic'), /--sampling goes with --method sgd/);
  });
});
