/**
 * validateSgdEpoch (src/simulate/sgdValidate.ts) on linear 1-D batches g_k = a_k θ with a given
 * linear field dθ/dt = −bθ, where both sides are closed forms: the cyclic epoch is
 * Π_k (1 − η a_k) θ0, the shuffle mean is the same product (the factors commute), and the flow
 * over the epoch's time mη ends at θ0 e^{−bmη}. The local error is their distance.
 */
import { describe, expect, it } from 'vitest';
import { DivergenceError, validateSgdEpoch, type SgdBatchGradient } from '../src/simulate/index.js';

const a = [1, 3];
const grads: SgdBatchGradient[] = a.map((ak) => (t) => [ak * t[0]!]);
const THETA0 = 0.6;
const b = 2; // the mean of a: gradient flow of the mean loss
const field = (t: Float64Array) => [-b * t[0]!];
const exact = (eta: number) => Math.abs(THETA0 * Math.exp(-b * a.length * eta) - a.reduce((p, ak) => p * (1 - eta * ak), THETA0));

describe('validateSgdEpoch against closed forms', () => {
  it('local errors, their slope, the ratio to a given next term, and the labels', () => {
    const lrs = [0.04, 0.02, 0.01];
    for (const sampling of ['cyclic', 'shuffle'] as const) {
      const v = validateSgdEpoch({ gradients: grads, theta0: [THETA0], sampling }, field, -1, { lrs, nextXi: (t) => [5 * t[0]!] });
      expect([v.order, v.label, v.sampling, v.batches, v.expectedLocalSlope]).toEqual([-1, 'gradient flow', sampling, 2, 2]);
      expect(v.lrs).toEqual(lrs);
      lrs.forEach((eta, i) => {
        expect(Math.abs(v.local[i]! - exact(eta))).toBeLessThanOrEqual(1e-7 * exact(eta));
        // ratio = local / (m η^{order+3} |ξ(θ0)|) with ξ(θ0) = 5θ0
        expect(v.localRatio![i]!).toBeCloseTo(exact(eta) / (2 * eta ** 2 * 5 * THETA0), 6);
        expect(v.localIntegratorError[i]!).toBeGreaterThan(0);
        expect(v.localIntegratorError[i]!).toBeLessThan(v.local[i]! / 1000);
      });
      const xs = lrs.map(Math.log);
      const ys = lrs.map((eta) => Math.log(exact(eta)));
      const mx = xs.reduce((s, x) => s + x, 0) / 3;
      const my = ys.reduce((s, y) => s + y, 0) / 3;
      const slope = xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
      expect(v.localSlope).toBeCloseTo(slope, 5);
      expect(v.atNoiseFloor).toEqual([]);
      expect(v.passed).toBe(Math.abs(slope - 2) <= 0.3);
    }
  });

  it('EoM_k is labelled so, expects slope k + 3, has no ratio without nextXi; a label can be given', () => {
    const v = validateSgdEpoch({ gradients: grads, theta0: [THETA0], sampling: 'cyclic', order: [1, 0] }, field, 1, { lrs: [0.02, 0.01] });
    expect([v.label, v.expectedLocalSlope]).toEqual(['EoM_1', 4]);
    expect('localRatio' in v).toBe(false);
    // the slope of this field is 2, far from 4: it fails
    expect(v.passed).toBe(false);
    expect(validateSgdEpoch({ gradients: grads, theta0: [THETA0], sampling: 'cyclic' }, field, 0, { lrs: [0.02, 0.01], label: 'mine' }).label).toBe('mine');
  });

  it('defaults: the ladder 0.2 … 0.025 and a slope tolerance of 0.3', () => {
    const v = validateSgdEpoch({ gradients: grads, theta0: [THETA0], sampling: 'cyclic' }, field, -1);
    expect(v.lrs).toEqual([0.2, 0.1, 0.05, 0.025]);
    expect(v.passed).toBe(Math.abs(v.localSlope - 2) <= 0.3);
    const strict = validateSgdEpoch({ gradients: grads, theta0: [THETA0], sampling: 'cyclic' }, field, -1, { lrs: [0.02, 0.01], slopeTolerance: 1e-9 });
    expect(strict.passed).toBe(false);
  });

  it('an integrator that gives up is a divergence of the flow, named with η', () => {
    // a stiff field (rate 10^6) within 10 integrator steps cannot finish the epoch's interval
    let err: unknown;
    try {
      validateSgdEpoch({ gradients: grads, theta0: [THETA0], sampling: 'cyclic' }, (t) => [-1e6 * t[0]!], -1, { lrs: [0.02, 0.01], integrator: { maxSteps: 10 } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DivergenceError);
    expect((err as DivergenceError).trajectory).toBe('gradient flow (η = 0.02)');
  });

  it('learning rates whose error is within 10× the estimate are left out; a slope passes at exactly the tolerance', () => {
    const p = { gradients: grads, theta0: [THETA0], sampling: 'cyclic' as const };
    // at η = 10^-9 the local error (~η²) is far below floating point: at the noise floor
    const lrs = [0.02, 0.01, 1e-9];
    const v = validateSgdEpoch(p, field, -1, { lrs });
    expect(v.atNoiseFloor).toEqual(lrs.filter((_, i) => v.local[i]! <= 10 * v.localIntegratorError[i]!));
    expect(v.atNoiseFloor).toEqual([1e-9]);
    const dev = Math.abs(v.localSlope - 2);
    expect(validateSgdEpoch(p, field, -1, { lrs, slopeTolerance: dev }).passed).toBe(true);
    expect(validateSgdEpoch(p, field, -1, { lrs, slopeTolerance: dev / 2 }).passed).toBe(false);
  });

  it('a batch order with shuffle sampling is refused as such, even when it is not a permutation', () => {
    expect(() => validateSgdEpoch({ gradients: grads, theta0: [THETA0], sampling: 'shuffle', order: [0, 0] }, field, -1, { lrs: [0.02, 0.01] })).toThrow(
      new RangeError('a batch order is for cyclic sampling; shuffle averages over all orders'),
    );
  });

  it('refuses bad input, each with its message', () => {
    const p = { gradients: grads, theta0: [THETA0], sampling: 'cyclic' as const };
    expect(() => validateSgdEpoch(p, field, 0.5)).toThrow(new RangeError('order must be an integer ≥ −1, got 0.5'));
    expect(() => validateSgdEpoch(p, field, -2)).toThrow(new RangeError('order must be an integer ≥ −1, got -2'));
    for (const lrs of [[0.1], [0.1, 0.1]]) expect(() => validateSgdEpoch(p, field, -1, { lrs })).toThrow(new RangeError('give at least two different learning rates, each once, to fit a slope'));
    for (const bad of [0, -0.1, Infinity, NaN]) expect(() => validateSgdEpoch(p, field, -1, { lrs: [0.1, bad] })).toThrow(new RangeError(`learning rates must be positive numbers, got ${bad}`));
    expect(() => validateSgdEpoch({ ...p, order: [0, 0] }, field, -1)).toThrow(new RangeError('a batch order must be a permutation of 0 … 1, got [0, 0]'));
    expect(() => validateSgdEpoch({ ...p, sampling: 'shuffle', order: [0, 1] }, field, -1, { lrs: [0.02, 0.01] })).toThrow(/a batch order is for cyclic sampling/);
  });
});
