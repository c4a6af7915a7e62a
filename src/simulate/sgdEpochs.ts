/**
 * Stochastic gradient descent over m mini-batches, numerically: one epoch is m steps
 * θ ← θ − η g_k(θ), one per batch, g_k = ∇L_k. With cyclic sampling the batches come in a fixed
 * order every epoch; with random reshuffling ("shuffle") in a fresh uniformly random order, and the
 * deterministic object is the mean epoch map, here the exact mean over all m! orders (m ≤ 6).
 * Orders that share a prefix share its steps (a depth-first walk: Σ_{j≤m} m!/(m−j)! steps, 1 956
 * for m = 6, instead of m·m!), and the m! end points are summed with Neumaier's compensation.
 *
 * @example
 *   const grads = [(t: Float64Array) => Float64Array.of(t[0]! - 1), (t: Float64Array) => Float64Array.of(2 * t[0]!)];
 *   sgdCyclicEpoch(grads, [1], 0.1)       // θ ← θ − 0.1 (θ − 1), then θ ← θ − 0.2 θ: Float64Array [0.8]
 *   sgdMeanEpochExact(grads, [1], 0.1)    // ½ (0.8 + 0.82) = Float64Array [0.81]
 */
import { badState, blowUpLimit, DivergenceError } from './divergence.js';

/** ∇L_k: θ ↦ the gradient of one batch loss (the result is read before the next call). */
export type SgdBatchGradient = (theta: Float64Array) => ArrayLike<number>;

export type SgdSampling = 'cyclic' | 'shuffle';

/** The exact mean over all orders enumerates m! of them: at most this many batches. */
export const MAX_EXACT_MEAN_BATCHES = 6;

/** One SGD step θ − η g_k(θ), checked for divergence (`step` numbers it in the message). */
export function sgdStep(grad: SgdBatchGradient, theta: Float64Array, eta: number, step = 0, limit = Infinity): Float64Array {
  const g = grad(theta);
  if (g.length !== theta.length) throw new RangeError(`a batch gradient returned ${g.length} components for ${theta.length} parameters`);
  const out = new Float64Array(theta.length);
  for (let i = 0; i < theta.length; i++) out[i] = theta[i]! - eta * g[i]!;
  const bad = badState(out, limit);
  if (bad !== undefined) throw new DivergenceError('SGD', step, bad);
  return out;
}

function checkBatches(grads: readonly SgdBatchGradient[]): void {
  if (grads.length < 1) throw new RangeError('SGD needs at least one batch gradient');
}

/**
 * The batch order of a cyclic epoch: `order` checked to be a permutation of 0 … m−1, or 0, 1, … m−1.
 *
 * @example
 *   sgdBatchOrder(undefined, 3) // [0, 1, 2]
 */
export function sgdBatchOrder(order: readonly number[] | undefined, m: number): readonly number[] {
  if (order === undefined) return Array.from({ length: m }, (_, k) => k);
  if (order.length !== m || new Set(order).size !== m || order.some((k) => !Number.isInteger(k) || k < 0 || k >= m)) {
    throw new RangeError(`a batch order must be a permutation of 0 … ${m - 1}, got [${order.join(', ')}]`);
  }
  return order;
}

/**
 * One epoch from θ0 visiting the batches in `order` (a permutation of 0 … m−1; default 0, 1, …).
 *
 * @example
 *   sgdEpoch(grads, [1], 0.1, [1, 0])   // batch 1 first, then batch 0
 */
export function sgdEpoch(grads: readonly SgdBatchGradient[], theta0: ArrayLike<number>, eta: number, order?: readonly number[]): Float64Array {
  checkBatches(grads);
  const limit = blowUpLimit(theta0);
  let theta: Float64Array = Float64Array.from(theta0);
  sgdBatchOrder(order, grads.length).forEach((k, i) => (theta = sgdStep(grads[k]!, theta, eta, i + 1, limit)));
  return theta;
}

/**
 * One cyclic epoch: the batches in the order 0, 1, …, m−1.
 *
 * @example
 *   sgdCyclicEpoch(grads, [1], 0.1) // Float64Array [0.8] for the grads of the file example
 */
export function sgdCyclicEpoch(grads: readonly SgdBatchGradient[], theta0: ArrayLike<number>, eta: number): Float64Array {
  return sgdEpoch(grads, theta0, eta);
}

/**
 * The mean of one epoch from θ0 over all m! batch orders (the expectation of a random-reshuffling
 * epoch), exact up to floating point; m ≤ 6.
 *
 * @example
 *   sgdMeanEpochExact(grads, [1], 0.1) // Float64Array [0.81] for the grads of the file example
 */
export function sgdMeanEpochExact(grads: readonly SgdBatchGradient[], theta0: ArrayLike<number>, eta: number): Float64Array {
  checkBatches(grads);
  const m = grads.length;
  if (m > MAX_EXACT_MEAN_BATCHES) {
    throw new RangeError(
      `the exact mean over all orders enumerates m! orders and is limited to ${MAX_EXACT_MEAN_BATCHES} batches (got ${m}); use the Monte-Carlo mean for more`,
    );
  }
  const n = theta0.length;
  const limit = blowUpLimit(theta0);
  const sum = new Float64Array(n);
  const carry = new Float64Array(n); // Neumaier compensation
  let count = 0;
  const used = new Array<boolean>(m).fill(false);
  const walk = (theta: Float64Array, depth: number): void => {
    if (depth === m) {
      for (let i = 0; i < n; i++) {
        const s = sum[i]! + theta[i]!;
        carry[i]! += Math.abs(sum[i]!) >= Math.abs(theta[i]!) ? sum[i]! - s + theta[i]! : theta[i]! - s + sum[i]!;
        sum[i] = s;
      }
      count++;
      return;
    }
    for (let k = 0; k < m; k++) {
      if (used[k]) continue;
      used[k] = true;
      walk(sgdStep(grads[k]!, theta, eta, depth + 1, limit), depth + 1);
      used[k] = false;
    }
  };
  walk(Float64Array.from(theta0), 0);
  return sum.map((s, i) => (s + carry[i]!) / count);
}

/**
 * The deterministic epoch map of a sampling: the cyclic epoch (in `order`, default 0 … m−1) or the
 * exact mean over all orders for shuffle.
 *
 * @example
 *   sgdEpochMap(grads, [1], 0.1, 'shuffle') // = sgdMeanEpochExact(grads, [1], 0.1)
 */
export function sgdEpochMap(
  grads: readonly SgdBatchGradient[],
  theta0: ArrayLike<number>,
  eta: number,
  sampling: SgdSampling,
  order?: readonly number[],
): Float64Array {
  if (sampling === 'shuffle') {
    if (order !== undefined) throw new RangeError('a batch order is for cyclic sampling; shuffle averages over all orders');
    return sgdMeanEpochExact(grads, theta0, eta);
  }
  return sgdEpoch(grads, theta0, eta, order);
}
