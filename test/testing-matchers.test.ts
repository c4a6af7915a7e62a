/**
 * eomkit/testing as a user imports it (the package's self-reference: dist/ must be built) —
 * counterTerms and the matchers toSatisfyIdentity, toHaveConvergenceOrders, toHoldAllClaims.
 *
 * Independent truths: ξ_0 = ½Hg and ξ_1 = ⅓H²g + 1/12 ∇³L[g, g] (Miyagawa, NeurIPS 2022);
 * ξ_0 = ¼∇‖g‖² (Barrett & Dherin, ICLR 2021); ξ_k = H^{k+1}g/(k+2) for quadratics (docs/design.md (2.15));
 * extragradient's ξ_0 = −½Hg (θ − ηg(θ − ηg) = θ − ηg + η²Hg + …); the error slopes j + 3 and
 * j + 2 of docs/design.md (2.17)–(2.18), measured by validate().
 */
import { describe, expect, test } from 'vitest';
import { counterTerms, eomMatchers, parseDerivation, runDerivation, type EomMatchers } from 'eomkit/testing';
import { simulationProblem } from '../src/simulate/problem.js';
import { validate, type ValidationResult } from '../src/simulate/validate.js';

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any
  interface Assertion<T = any> extends EomMatchers<T> {}
}

expect.extend(eomMatchers);

describe('counterTerms', () => {
  test('checks claims and reports residuals without a matcher', () => {
    expect(counterTerms('x^4 + x*y^2', 1).check('xi0 - 1/4*grad(norm2(g))')).toEqual({ zero: true });
    const v = counterTerms('x^4 + x*y^2', 1).check('xi0 - 1/3*H*g');
    expect(v.zero).toBe(false);
    // Source: by hand, ⅙(Hg)_x = ⅙(48x⁵ + 12x²y² + 4xy²).
    expect(v.residual).toMatch(/^component x: 8\*x\^5/);
    expect(counterTerms('x^2', 0).order).toBe(0);
  });

  test('refuses a bad order or an unknown rule', () => {
    expect(() => counterTerms('x^2', -1)).toThrow(/order must be a non-negative integer/);
    expect(() => counterTerms('x^2', 1.5)).toThrow(/order must be a non-negative integer/);
    expect(() => counterTerms('x^2', 1, { rule: 'adam' })).toThrow(/unknown update rule "adam"/);
  });
});

describe('toSatisfyIdentity', () => {
  test('passes on true identities, abstract and concrete', () => {
    expect(counterTerms('abstract', 1)).toSatisfyIdentity('xi1 - (1/3*H^2*g + 1/12*D(g, g))');
    expect(counterTerms('log(1 + exp(-x*y))', 0)).toSatisfyIdentity('xi0 - 1/4*grad(norm2(g))');
    expect(counterTerms('abstract', 0, { rule: 'extragradient' })).toSatisfyIdentity('xi0 + 1/2*H*g');
  });

  test('with `for`, every k of the range must hold', () => {
    expect(counterTerms('a*x^2/2 + b*x*y + y^2', 3, { vars: ['x', 'y'], weightDecay: 'lambda' })).toSatisfyIdentity('xi(k) - H^(k+1)*g/(k+2)', { for: { k: [0, 3] } });
    // ξ_1 of a non-quadratic loss has ∇³L[g, g]: k = 1 is the first to fail, and the message says so
    expect(() => expect(counterTerms('x^4', 2)).toSatisfyIdentity('xi(k) - H^(k+1)*g/(k+2)', { for: { k: [0, 2] } })).toThrow(
      /expected xi\(k\) - H\^\(k\+1\)\*g\/\(k\+2\) = 0 for x\^4 at k = 1; it is not: component x: /,
    );
  });

  test('a reversed or fractional range is refused, not passed vacuously', () => {
    // ξ_k − ⅓Hg is never zero (ξ_0 = ½Hg, Miyagawa 2022), so an empty loop must not count as a pass.
    expect(() => expect(counterTerms('abstract', 3)).toSatisfyIdentity('xi(k) - 1/3*H*g', { for: { k: [3, 0] } })).toThrow(/for\.k must be \[from, to\] with integers from ≤ to, got \[3, 0\]/);
    expect(() => expect(counterTerms('abstract', 3)).not.toSatisfyIdentity('xi(k) - 1/3*H*g', { for: { k: [3, 0] } })).toThrow(RangeError);
    expect(() => expect(counterTerms('abstract', 3)).toSatisfyIdentity('xi(k) - 1/2*H*g', { for: { k: [0, 1.5] } })).toThrow(/got \[0, 1\.5\]/);
  });

  test('fails with the residual on a false identity', () => {
    expect(() => expect(counterTerms('x^4 + x*y^2', 0)).toSatisfyIdentity('xi0 - 1/3*H*g')).toThrow(
      /expected xi0 - 1\/3\*H\*g = 0 for x\^4 \+ x\*y\^2; it is not: component x: 8\*x\^5/,
    );
    expect(() => expect(counterTerms('abstract', 0)).toSatisfyIdentity('xi0 - 1/3*H*g')).toThrow(/for abstract; it is not: .*1\/6/);
  });

  test('.not passes on false identities and fails on true ones', () => {
    expect(counterTerms('x^4 + x*y^2', 0)).not.toSatisfyIdentity('xi0 - 1/3*H*g');
    expect(() => expect(counterTerms('abstract', 0)).not.toSatisfyIdentity('xi0 - 1/2*H*g')).toThrow(/expected xi0 - 1\/2\*H\*g not to vanish for abstract, but it is exactly zero/);
  });

  test('a subject that is not counterTerms(…) fails, and a bad expression throws its ClaimError', () => {
    expect(() => expect({ loss: 'x^2' }).toSatisfyIdentity('xi0')).toThrow(/toSatisfyIdentity expects counterTerms\(loss, order\) from eomkit\/testing/);
    expect(() => expect(counterTerms('abstract', 0)).toSatisfyIdentity('g*g')).toThrow(/use dot\(u, v\)/);
  });
});

describe('toHaveConvergenceOrders', () => {
  const problem = simulationProblem({ loss: '(x^2 + y^2 - 1)^2', init: { x: 1, y: 0.5 }, maxOrder: 2 });
  // η ≤ 0.02 keeps ηλ_max small at θ0 (at η = 0.08 the slopes are still pre-asymptotic: GF's global slope is 1.34)
  const result = validate(problem, { order: 1, lrs: [0.02, 0.01, 0.005], horizon: 1 });

  test('passes on a real validate() result', () => {
    // Source: docs/design.md (2.17)–(2.18): local slopes j + 3, global j + 2 for GF (j = −1), EoM_0, EoM_1.
    expect(result.results.map((r) => [r.expectedLocalSlope, r.expectedGlobalSlope])).toEqual([[2, 1], [3, 2], [4, 3]]);
    expect(result).toHaveConvergenceOrders();
  });

  test('fails on a doctored result, naming the slope that is off', () => {
    const doctored: ValidationResult = {
      ...result,
      passed: false,
      results: result.results.map((r, i) => (i === 2 ? { ...r, localSlope: 2.5, passed: false } : r)),
    };
    expect(() => expect(doctored).toHaveConvergenceOrders()).toThrow(/fitted slopes miss the predicted orders:[\s\S]*EoM_1: local slope 2\.50 \(predicted 4\).*← off/);
    expect(doctored).not.toHaveConvergenceOrders();
    expect(() => expect(result).not.toHaveConvergenceOrders()).toThrow(/expected some slope to miss its prediction, but all match/);
    expect(() => expect({}).toHaveConvergenceOrders()).toThrow(/expects the result of validate/);
  });
});

describe('toHoldAllClaims', () => {
  const derivation = (expression: string) =>
    parseDerivation(
      { name: 'xi-zero', source: 'Miyagawa, NeurIPS 2022', inputs: { loss: 'x^4 + x*y^2' }, claims: [{ kind: 'symbolic', name: 'ξ_0 = ½Hg', expression }] },
      'inline.json',
    );

  test('passes when every claim holds, fails listing the failed claims', () => {
    expect(runDerivation(derivation('xi(0) - 1/2*H*g'))).toHoldAllClaims();
    const failed = runDerivation(derivation('xi(0) - 1/3*H*g'));
    expect(() => expect(failed).toHoldAllClaims()).toThrow(/1 claim\(s\) of xi-zero failed:\nξ_0 = ½Hg: xi\(0\) - 1\/3\*H\*g ≠ 0; residual component x: /);
    expect(failed).not.toHoldAllClaims();
    expect(() => expect(runDerivation(derivation('xi(0) - 1/2*H*g'))).not.toHoldAllClaims()).toThrow(/expected a claim of xi-zero to fail, but all hold/);
    expect(() => expect(42).toHoldAllClaims()).toThrow(/expects the result of runDerivation/);
  });
});
