/**
 * src/simulate/adaptiveValidate.ts after a run stops: adaptiveValidateUntilDivergence keeps the
 * orders finished before an integrator stop, adaptiveValidate throws it, and a transient as JSON.
 * The stop, by hand: on L = x²/2 + y²/2 with ε = 0, β1 = 3/5 > β2 = 1/2, EoM_0 is
 * dx/dt = −1 − η/(2x) (test/adaptive-validate-mutants.test.ts), infinite at x = 0, which it reaches
 * from x = 1 at t = ∫_0^1 x/(x + η/2) dx = 1 − (η/2) ln((1 + η/2)/(η/2)) = 0.848 for η = 0.1,
 * while GF (dx/dt = −1) stays at x ≥ 0.1 up to t = 0.9: GF is measured, EoM_0 stops.
 */
import { describe, expect, it } from 'vitest';
import { adaptiveRule } from '../src/adaptive/methods.js';
import { rational } from '../src/series/fraction.js';
import { adaptiveProblem } from '../src/simulate/adaptiveProblem.js';
import { adaptiveValidate, adaptiveValidateUntilDivergence, TOO_FEW_STEPS, transientJson } from '../src/simulate/adaptiveValidate.js';
import { DivergenceError } from '../src/simulate/divergence.js';

const adam = (b1: [number, number], b2: [number, number]) =>
  adaptiveRule('adam', new Map([['beta1', rational(...b1)], ['beta2', rational(...b2)], ['eps', rational(0)]]));

describe('a validation that stops', () => {
  it('keeps GF, stops at EoM_0 (η = 0.1), passed false; adaptiveValidate throws the same stop', () => {
    const q = adaptiveProblem({ loss: 'x^2/2 + y^2/2', init: { x: 1, y: 2 }, maxOrder: 1, rule: adam([3, 5], [1, 2]) });
    // 1 − 0.05 ln(21) < 0.9 < 1: the singular time lies inside the horizon, GF's zero beyond it.
    expect(1 - 0.05 * Math.log(21)).toBeLessThan(0.9);
    const options = { order: 0, lrs: [0.1, 0.05], horizon: 0.9 };
    const v = adaptiveValidateUntilDivergence(q, options);
    expect(v.results.map((r) => r.order)).toEqual([-1]);
    expect(v.divergence).toBeInstanceOf(DivergenceError);
    expect(v.divergence!.message).toMatch(/^EoM_0 of adam \(η = 0\.1\): the integrator stopped at step \d+ /);
    expect(v.passed).toBe(false);
    expect(() => adaptiveValidate(q, options)).toThrow(/^EoM_0 of adam \(η = 0\.1\): the integrator stopped at step \d+ /);
  });

  it('a run that does not stop has no divergence key at all', () => {
    // GF of x² + y² with ε = 0 is θ0 − t(1, 1): nothing singular before x = 0 at t = 1.
    const p = adaptiveProblem({ loss: 'x^2 + y^2', init: { x: 1, y: 2 }, maxOrder: 1, rule: adam([1, 2], [3, 5]) });
    const v = adaptiveValidateUntilDivergence(p, { order: -1, lrs: [0.02, 0.01], horizon: 0.1 });
    expect('divergence' in v).toBe(false);
    expect(v.results.map((r) => r.order)).toEqual([-1]);
  });
});

describe('transientJson and TOO_FEW_STEPS', () => {
  it('a fitted rate is kept with its settled step; a NaN rate gives null for both', () => {
    expect(transientJson({ lr: 0.1, offManifold: [1, 0.5, 0.25], rate: 0.5, settled: 2 })).toEqual({ lr: 0.1, rate: 0.5, settled: 2 });
    expect(transientJson({ lr: 0.01, offManifold: [1, 0.5], rate: NaN, settled: 1 })).toEqual({ lr: 0.01, rate: null, settled: null });
    expect(transientJson({ lr: 0.01, offManifold: [0], rate: Infinity, settled: 0 })).toEqual({ lr: 0.01, rate: null, settled: null });
  });

  it('the sentence said when no rate was fitted', () => {
    expect(TOO_FEW_STEPS).toBe('too few steps to measure the relaxation rate');
  });
});
