/**
 * SGD epochs (src/simulate/sgdEpochs.ts): single steps, batch orders, divergence and refusals,
 * with every value worked out by hand (steps θ − ηg with small integers and halves; the
 * blow-up limit 10^8·(1 + max|θ0_i|) of simulate/divergence.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  DivergenceError,
  sgdBatchOrder,
  sgdCyclicEpoch,
  sgdEpoch,
  sgdEpochMap,
  sgdMeanEpochExact,
  sgdStep,
  type SgdBatchGradient,
} from '../src/simulate/index.js';

function divergence(run: () => unknown): DivergenceError {
  try {
    run();
  } catch (e) {
    if (e instanceof DivergenceError) return e;
    throw e;
  }
  throw new Error('did not diverge');
}

describe('sgdStep', () => {
  it('θ − η g(θ), coordinate by coordinate', () => {
    // (1, 2) − ½·(2, −4) = (0, 4)
    expect(Array.from(sgdStep(() => [2, -4], Float64Array.of(1, 2), 0.5))).toEqual([0, 4]);
  });

  it('a NaN is divergence at the given step (default 0); without a limit, any finite size is fine', () => {
    const d = divergence(() => sgdStep(() => [NaN], Float64Array.of(1), 0.1));
    expect([d.trajectory, d.step, d.message]).toEqual(['SGD', 0, 'SGD diverged at step 0: a coordinate became NaN']);
    expect(divergence(() => sgdStep(() => [NaN], Float64Array.of(1), 0.1, 7)).step).toBe(7);
    expect(Array.from(sgdStep(() => [-1e300], Float64Array.of(0), 1))).toEqual([1e300]);
    // with a limit of 10: |θ| = 11 is a blow-up
    expect(divergence(() => sgdStep(() => [-10], Float64Array.of(1), 1, 3, 10)).message).toBe('SGD diverged at step 3: |θ| reached 1.10e+1 (blow-up)');
  });

  it('a gradient of the wrong length is refused, naming both lengths', () => {
    expect(() => sgdStep(() => [1], Float64Array.of(1, 2), 0.1)).toThrow(new RangeError('a batch gradient returned 1 components for 2 parameters'));
    expect(() => sgdStep(() => [1, 2, 3], Float64Array.of(1, 2), 0.1)).toThrow(new RangeError('a batch gradient returned 3 components for 2 parameters'));
  });
});

describe('batch orders', () => {
  it('default 0 … m−1; a permutation is returned as given', () => {
    expect(sgdBatchOrder(undefined, 3)).toEqual([0, 1, 2]);
    expect(sgdBatchOrder(undefined, 1)).toEqual([0]);
    expect(sgdBatchOrder([2, 0, 1], 3)).toEqual([2, 0, 1]);
    expect(sgdBatchOrder([0], 1)).toEqual([0]);
  });

  it('refuses anything else, showing it', () => {
    // [0, 1, 2, 2] has the right values, m of them distinct, but one too many
    for (const bad of [[0, 1], [0, 1, 2, 3], [0, 1, 2, 2], [0, 0, 1], [0, 1, 3], [-1, 0, 1], [0, 1.5, 2], [1, 2, 3]]) {
      expect(() => sgdBatchOrder(bad, 3), bad.join()).toThrow(new RangeError(`a batch order must be a permutation of 0 … 2, got [${bad.join(', ')}]`));
    }
  });
});

describe('epochs', () => {
  // 1-D batches: g0 = x (x²/2), g1 = 2(x − 1) ((x − 1)²); from x = 1 at η = 1/4:
  // order 0,1: 1 → 3/4 → 3/4 − ½(−1/4) = 7/8; order 1,0: 1 → 1 → 3/4; mean 13/16.
  const grads: SgdBatchGradient[] = [(t) => [t[0]!], (t) => [2 * (t[0]! - 1)]];

  it('the epoch map of each sampling', () => {
    expect(Array.from(sgdEpochMap(grads, [1], 0.25, 'cyclic'))).toEqual([7 / 8]);
    expect(Array.from(sgdEpochMap(grads, [1], 0.25, 'cyclic', [1, 0]))).toEqual([3 / 4]);
    expect(Array.from(sgdEpochMap(grads, [1], 0.25, 'shuffle'))).toEqual([13 / 16]);
    expect(Array.from(sgdCyclicEpoch(grads, [1], 0.25))).toEqual([7 / 8]);
    expect(() => sgdEpochMap(grads, [1], 0.25, 'shuffle', [0, 1])).toThrow(
      new RangeError('a batch order is for cyclic sampling; shuffle averages over all orders'),
    );
  });

  it('one batch: the epoch is one step, and the mean over its single order too', () => {
    // 1 − ¼·1 = 3/4
    expect(Array.from(sgdEpoch([grads[0]!], [1], 0.25))).toEqual([3 / 4]);
    expect(Array.from(sgdMeanEpochExact([grads[0]!], [1], 0.25))).toEqual([3 / 4]);
  });

  it('no batches is refused', () => {
    for (const run of [() => sgdEpoch([], [1], 0.1), () => sgdMeanEpochExact([], [1], 0.1), () => sgdCyclicEpoch([], [1], 0.1)]) {
      expect(run).toThrow(new RangeError('SGD needs at least one batch gradient'));
    }
  });

  it('the exact mean is limited to 6 batches, with the reason', () => {
    const seven = Array.from({ length: 7 }, () => grads[0]!);
    expect(() => sgdMeanEpochExact(seven, [1], 0.1)).toThrow(
      new RangeError('the exact mean over all orders enumerates m! orders and is limited to 6 batches (got 7); use the Monte-Carlo mean for more'),
    );
  });

  it('divergence names the step within the epoch, against the limit 10^8·(1 + max|θ0|)', () => {
    // from θ0 = (1, −3): the limit is 4·10^8. A batch pushing by +5·10^8 blows up where it runs.
    const push: SgdBatchGradient = () => [-5e8, 0];
    const stay: SgdBatchGradient = () => [0, 0];
    expect(divergence(() => sgdEpoch([stay, push], [1, -3], 1)).step).toBe(2);
    expect(divergence(() => sgdEpoch([stay, push], [1, -3], 1, [1, 0])).step).toBe(1);
    expect(divergence(() => sgdEpoch([stay, push], [1, -3], 1)).message).toBe('SGD diverged at step 2: |θ| reached 5.00e+8 (blow-up)');
    // 3·10^8 stays under the limit 4·10^8 (it would exceed 10^8·(1 + 1) = 2·10^8)
    expect(Array.from(sgdEpoch([stay, () => [-3e8, 0]], [1, -3], 1))).toEqual([300000001, -3]);
    // the exact mean: the first order (0, 1) blows up at its second step
    expect(divergence(() => sgdMeanEpochExact([stay, push], [1, -3], 1)).step).toBe(2);
    expect(divergence(() => sgdMeanEpochExact([push, stay], [1, -3], 1)).step).toBe(1);
    expect(Array.from(sgdMeanEpochExact([stay, () => [-3e8, 0]], [1, -3], 1))).toEqual([300000001, -3]);
  });

  it('the m! end points are summed with compensation: no unit lost next to 2^53', () => {
    // Batches (η = 1): P adds 2^53, N negates, O adds 1; from 2^27 (blow-up limit ≈ 1.3·10^16).
    // End points by hand, in the walk's order (P, N, O = 0, 1, 2; doubles above 2^53 are even):
    //   PNO −(2^53 + 2^27)   PON −(2^53 + 2^27)   NPO 2^53 − 2^27 + 1
    //   NOP 2^53 − 2^27 + 1  OPN −(2^53 + 2^27)   ONP 2^53 − 2^27 − 1
    // Their exact sum is −6·2^27 + 1, mean −2^27 + 1/6; summed left to right in doubles two units are
    // lost (−6·2^27 − 1, mean −2^27 − 1/6).
    const P: SgdBatchGradient = () => [-(2 ** 53)];
    const N: SgdBatchGradient = (t) => [2 * t[0]!];
    const O: SgdBatchGradient = () => [-1];
    const mean = sgdMeanEpochExact([P, N, O], [2 ** 27], 1);
    expect(Math.abs(mean[0]! - (-(2 ** 27) + 1 / 6))).toBeLessThan(1e-6);
  });
});
