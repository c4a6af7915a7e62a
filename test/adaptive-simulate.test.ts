/**
 * RMSProp and Adam against their EoM, numerically (issue 12's bars): from the manifold start the
 * measured error orders are those of docs/design.md (2.17)–(2.18) at orders −1, 0, 1 on a
 * non-convex loss (H_xx = 3x² − 1 < 0 at the start); from PyTorch's start (m = v = 0, bias
 * correction on) the transient decays and, after it, the iterates are within 2× the manifold
 * start's distance of the EoM_1 flow. The stepper is checked against torch.optim.Adam's formula
 * written out by hand for two steps, and against torch.optim.Adam and torch.optim.RMSprop
 * themselves (float64, Debian's torch 1.13) for 30 steps from rest.
 */
import { describe, expect, it } from 'vitest';
import { adaptiveRule } from '../src/adaptive/methods.js';
import { adaptiveProblem, adaptiveRegimeWarning, AdaptiveStepper } from '../src/simulate/adaptiveProblem.js';
import { adaptiveValidate, restAgainstManifold } from '../src/simulate/adaptiveValidate.js';
import { rational } from '../src/series/fraction.js';
import { requireTorch, runPythonJson } from './helpers/python.js';

const LOSS = 'x^4/4 - x^2/2 + x*y + y^2';
const INIT = { x: 0.5, y: 1 };
const LRS = [0.002, 0.001, 0.0005, 0.00025];
const rules = {
  adam: adaptiveRule('adam', new Map([['beta1', rational(1, 2)], ['beta2', rational(3, 5)], ['eps', rational(1, 100)]])),
  rmsprop: adaptiveRule('rmsprop', new Map([['alpha', rational(3, 5)], ['eps', rational(1, 100)]])),
};

describe.each(['adam', 'rmsprop'] as const)('%s: EoM against the optimiser', (name) => {
  const problem = adaptiveProblem({ loss: LOSS, init: INIT, maxOrder: 2, rule: rules[name] });

  it('validates at orders −1, 0 and 1 from the manifold start (local slopes 2, 3, 4; global 1, 2, 3)', () => {
    const v = adaptiveValidate(problem, { order: 1, lrs: LRS, horizon: 0.2, start: 'manifold' });
    expect(v.results.map((r) => [r.order, r.passed])).toEqual([[-1, true], [0, true], [1, true]]);
    expect(v.warnings).toEqual([]);
  }, 60_000);

  it("from PyTorch's start: a transient decaying like max(β1, β2)ⁿ, then within 2× the manifold start's distance to EoM_1", () => {
    for (const lr of [0.002, 0.001]) {
      const r = restAgainstManifold(problem, lr, 1, Math.round(0.2 / lr));
      expect(r.transient.settled).toBeGreaterThan(5);
      expect(r.transient.rate).toBeGreaterThan(0.5);
      expect(r.transient.rate).toBeLessThan(0.75);
      expect(r.rest).toBeLessThan(2 * r.manifold);
    }
  }, 60_000);

  it('warns when η is outside the regime η·|λ|max/((min|g_i| + ε)(1 − β)) ≪ 1', () => {
    expect(adaptiveRegimeWarning(problem, 0.001)).toBeUndefined();
    expect(adaptiveRegimeWarning(problem, 0.1)).toMatch(/needs it ≪ 1/);
  });
});

describe('the stepper is PyTorch\'s update', () => {
  it('Adam from rest: two steps of torch.optim.Adam written out (bias correction on)', () => {
    const problem = adaptiveProblem({ loss: LOSS, init: INIT, maxOrder: 0, rule: rules.adam });
    const s = new AdaptiveStepper(problem, 0.1, 'rest');
    const g = (x: number, y: number) => [x ** 3 - x + y, x + 2 * y];
    let th = [0.5, 1];
    let m = [0, 0];
    let v = [0, 0];
    for (let k = 1; k <= 2; k++) {
      const gk = g(th[0]!, th[1]!);
      m = m.map((mi, i) => 0.5 * mi + 0.5 * gk[i]!);
      v = v.map((vi, i) => 0.6 * vi + 0.4 * gk[i]! ** 2);
      th = th.map((t, i) => t - (0.1 / (1 - 0.5 ** k)) * m[i]! / (Math.sqrt(v[i]!) / Math.sqrt(1 - 0.6 ** k) + 0.01));
      const got = s.step();
      expect(got[0]).toBeCloseTo(th[0]!, 14);
      expect(got[1]).toBeCloseTo(th[1]!, 14);
    }
  });

  it('Adam and RMSprop from rest: 30 steps of torch.optim (float64) agree to 1e-12', () => {
    requireTorch();
    const script = [
      'import json, torch',
      'out = {}',
      'for name in ["adam", "rmsprop"]:',
      '    p = torch.tensor([0.5, 1.0], dtype=torch.float64, requires_grad=True)',
      '    opt = torch.optim.Adam([p], lr=0.05, betas=(0.5, 0.6), eps=0.01) if name == "adam" else torch.optim.RMSprop([p], lr=0.05, alpha=0.6, eps=0.01)',
      '    xs = []',
      '    for _ in range(30):',
      '        opt.zero_grad()',
      '        x, y = p[0], p[1]',
      '        (x**4/4 - x**2/2 + x*y + y**2).backward()',
      '        opt.step()',
      '        xs.append(p.detach().tolist())',
      '    out[name] = xs',
      'print(json.dumps(out))',
    ].join('\n');
    const torch = runPythonJson(['-c', script]) as Record<'adam' | 'rmsprop', number[][]>;
    for (const name of ['adam', 'rmsprop'] as const) {
      const s = new AdaptiveStepper(adaptiveProblem({ loss: LOSS, init: INIT, maxOrder: 0, rule: rules[name] }), 0.05, 'rest');
      for (const expected of torch[name]) {
        const got = s.step();
        expect(Math.abs(got[0]! - expected[0]!) + Math.abs(got[1]! - expected[1]!)).toBeLessThan(1e-12);
      }
    }
  }, 120_000);

  it('refuses ε = 0 where a component of the gradient vanishes', () => {
    const rule = adaptiveRule('adam', new Map([['beta1', rational(1, 2)], ['beta2', rational(3, 5)], ['eps', rational(0)]]));
    expect(() => adaptiveProblem({ loss: LOSS, init: { x: 0, y: 0 }, maxOrder: 0, rule })).toThrow(/eps = 0/);
  });
});
