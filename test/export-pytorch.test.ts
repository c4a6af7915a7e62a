/**
 * The exported PyTorch module (src/export), run by Debian's python3 + torch 1.13 in one process
 * (test/python/export_checks.py): its ξ_k against eomkit's compiled fields on three scalar losses,
 * and against a dense reference (full Hessian and third-derivative tensor) on a 217-parameter MLP.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Loss,
  Rational,
  compileTreeCounterTerms,
  extragradient,
  gradientDescent,
  rational,
  rationalToNumber,
  methodRule,
  CounterTermSolver,
  solveCounterTerms,
  type UpdateRule,
} from '../src/index.js';
import { pytorchModule } from '../src/export/index.js';
import { repoRoot } from './helpers/cli.js';
import { requireTorch, runPythonJson } from './helpers/python.js';

// The same losses as SCALAR_LOSSES in test/python/export_checks.py (there written for torch).
const LOSSES: Record<string, string> = {
  polynomial: '(x^2 + y^2 - 1)^2 + 0.5*x*y^3',
  explog: 'log(1 + exp(-x*y + z)) + 0.25*exp(0.3*z)*x^2 + 0.5*y^2',
  sintanh: 'sin(x + 0.5*z)*tanh(y) + 0.5*(x - y)^2 + 0.2*tanh(x*z)^2',
};
const POINTS: Record<string, number[][]> = {
  polynomial: [[0.8, 0.4], [-0.3, 1.1], [1.2, -0.7]],
  explog: [[0.5, -0.4, 0.2], [1.1, 0.3, -0.6], [-0.8, 0.9, 0.4]],
  sintanh: [[0.6, -0.2, 0.9], [-1.0, 0.5, 0.3], [0.2, 1.3, -0.8]],
};

function moduleOf(rule: UpdateRule, K: number): string {
  const solver = new CounterTermSolver(rule);
  return pytorchModule({ method: rule.name, description: rule.description, params: rule.params, leading: solver.leading, order: K, xi: solver.solveThrough(K), version: '0.0.0-test' });
}

/** Heavy ball at β = 1/2: c = 2 (the leading factor the module must apply). */
const heavyBall = methodRule('heavy-ball', new Map([['beta', rational(1, 2)]])) as UpdateRule;
const FIELD_LR = 0.01;

let results: Record<string, unknown>;

beforeAll(() => {
  requireTorch();
  const dir = mkdtempSync(join(tmpdir(), 'eom-export-'));
  writeFileSync(join(dir, 'eom_terms.py'), moduleOf(gradientDescent, 3));
  writeFileSync(join(dir, 'eg_terms.py'), moduleOf(extragradient, 2));
  writeFileSync(join(dir, 'hb_terms.py'), moduleOf(heavyBall, 2));
  const scalar = [];
  for (const [rule, K, names] of [
    [gradientDescent, 3, Object.keys(LOSSES)],
    [extragradient, 2, ['polynomial']],
    [heavyBall, 2, ['polynomial', 'sintanh']],
  ] as const) {
    const series = solveCounterTerms(K, rule);
    const c = rationalToNumber(new CounterTermSolver(rule).leading);
    for (const name of names) {
      // eomkit's compiled fields: symbolic derivatives of the parsed loss, contracted per tree.
      const compiled = compileTreeCounterTerms(Loss.parse(LOSSES[name]!, { vars: ['x', 'y', 'z'].slice(0, POINTS[name]![0]!.length) }), series);
      for (const point of POINTS[name]!) {
        const theta = new Float64Array(point);
        // dθ/dt = −c·g − η Σ η^k ξ_k: the compiled EoM_K field (c = 1) shifted by −(c − 1)·g.
        const g = compiled.gradient(theta);
        const field = [...compiled.field(theta, FIELD_LR)].map((v, i) => v - (c - 1) * g[i]!);
        scalar.push({ method: rule.name, loss: name, point, xi: compiled.xi.map((f) => [...f(theta)]), field, lr: FIELD_LR });
      }
    }
  }
  writeFileSync(join(dir, 'reference.json'), JSON.stringify({ scalar }));
  results = runPythonJson([join(repoRoot, 'test/python/export_checks.py'), dir, join(dir, 'reference.json')]);
}, 900_000);

describe('exported PyTorch module (torch 1.13, float64)', () => {
  it('ξ_0 … ξ_3 of GD equal the compiled fields on three scalar losses to 1e-10', () => {
    for (const name of Object.keys(LOSSES)) {
      for (let k = 0; k <= 3; k++) expect(results[`scalar gd ${name} xi_${k}`], `${name} ξ_${k}`).toBeLessThan(1e-10);
    }
  });

  it('ξ_0 … ξ_2 of extragradient equal the compiled fields', () => {
    for (let k = 0; k <= 2; k++) expect(results[`scalar extragradient polynomial xi_${k}`]).toBeLessThan(1e-10);
  });

  it('heavy ball (β = 1/2): ξ_0 … ξ_2 and the field −c·g − η Σ η^k ξ_k with c = 2 equal the compiled ones', () => {
    for (const name of ['polynomial', 'sintanh']) {
      for (let k = 0; k <= 2; k++) expect(results[`scalar heavy-ball ${name} xi_${k}`], `${name} ξ_${k}`).toBeLessThan(1e-10);
      expect(results[`scalar heavy-ball ${name} field`], `${name} field`).toBeLessThan(1e-12);
    }
  });

  it('ξ_0 … ξ_2 on a 217-parameter MLP equal the dense closed forms to 1e-9, shaped like the params', () => {
    expect(results['mlp parameters']).toBeGreaterThanOrEqual(200);
    expect(results['dense symmetry']).toBeLessThan(1e-12);
    for (let k = 0; k <= 2; k++) {
      expect(results[`mlp xi_${k}`], `ξ_${k}`).toBeLessThan(1e-9);
      expect(results[`mlp xi_${k} shapes`]).toBe(true);
    }
  });

  it('follows float32 params, and agrees with float64 to single precision', () => {
    expect(results['float32 dtype']).toBe(true);
    expect(results['float32 vs float64']).toBeLessThan(1e-4);
  });

  it('eom_field is −g − η Σ η^k ξ_k (also under no_grad; order −1 is gradient flow)', () => {
    expect(results['eom_field']).toBeLessThan(1e-13);
    expect(results['gradient flow']).toBe(0);
  });

  it('modified_loss: −c times its gradient is the EoM_0 field; counter_terms leaves .grad alone', () => {
    expect(results['modified_loss']).toBeLessThan(1e-12);
    expect(results['counter_terms leaves .grad untouched']).toBe(true);
    expect(results['has modified_loss']).toEqual([true, true]);
  });

  it('quadratic loss: ξ_k = H^(k+1) g/(k+2); a constant Hessian and an unused parameter give exact zeros', () => {
    expect(results['quadratic']).toBeLessThan(1e-14);
    expect(results['unused parameter']).toBe(0);
  });
});

describe('pytorchModule (the generated source)', () => {
  const gd = moduleOf(gradientDescent, 2);

  it('states version, method, order and the gradient term in its header, and exact coefficients', () => {
    expect(gd).toMatch(/^"""Counter terms/);
    expect(gd).toContain('Generated by eomkit 0.0.0-test.\n'); // no command given: only the version
    expect(gd).toContain('xi_1 = 1/3 H^2 g + 1/12 ∇³L[g, g]');
    expect(gd).toContain('MODIFIED_LOSS_WEIGHT = Fraction(1, 4)');
    expect(gd).toContain('(3, Fraction(1, 12)),  # ∇³L[g, g]');
    expect(gd.match(/^(?:import|from) .*$/gm)).toEqual(["from fractions import Fraction", "import torch"]);
  });

  it('refuses names, numbers and versions that are not plain data', () => {
    const base = { method: 'gd', description: 'd', params: new Map<string, string>(), leading: Rational.one, order: 0, xi: solveCounterTerms(0), version: '1.0.0' };
    expect(() => pytorchModule({ ...base, method: 'gd"; import os' })).toThrow(RangeError);
    expect(() => pytorchModule({ ...base, version: '1"' })).toThrow(RangeError);
    expect(() => pytorchModule({ ...base, params: new Map([['beta', '0.9"']]) })).toThrow(RangeError);
    expect(() => pytorchModule({ ...base, params: new Map([['be ta', '0.9']]) })).toThrow(RangeError);
    expect(() => pytorchModule({ ...base, params: new Map([['beta', '1/0']]) })).toThrow(RangeError);
    expect(() => pytorchModule({ ...base, order: 1 })).toThrow(/ξ_0 … ξ_1/);
    // Free text is escaped: it cannot close the docstring.
    expect(pytorchModule({ ...base, description: 'x """ \\ y' })).toContain('x \\"\\"\\" \\\\ y');
    expect(pytorchModule({ ...base, params: new Map([['beta', '9/10']]), leading: rational(10) })).toContain('PARAMS = {"beta": Fraction("9/10")}');
  });
});
