/**
 * The Monte-Carlo mean of SGD over seeded runs: R independent runs of E epochs from the same θ0,
 * each epoch in a fresh uniformly random batch order (shuffle) or in the fixed order (cyclic, where
 * every run is the same and the standard error is 0). Per epoch e = 0 … E it reports the sample
 * mean of θ_e over the runs, the spread s (the sample standard deviation, divisor R − 1) and the
 * standard error of the mean s/√R, per coordinate, accumulated with Welford's update. The spread is
 * what separates the mean iterate from the iterate of one run: it grows over the epochs.
 *
 * Reproducibility: one mulberry32 stream (seededRandom.ts) seeded with `seed` drives all runs in
 * turn, run 1's epochs first; each shuffled epoch draws one Fisher–Yates permutation (m − 1 draws).
 * The same seed, runs, epochs and batch count give the same orders on every machine.
 *
 * @example
 *   const mc = sgdMonteCarlo(grads, [1, 0], 0.05, { sampling: 'shuffle', runs: 200, epochs: 10, seed: 1 });
 *   mc.trajectory[10].mean            // E[θ after 10 epochs], estimated
 *   mc.trajectory[10].standardError   // its standard error, per coordinate
 */
import { blowUpLimit } from './divergence.js';
import { mulberry32, randomPermutation } from './seededRandom.js';
import { sgdBatchOrder, sgdStep, type SgdBatchGradient, type SgdSampling } from './sgdEpochs.js';

export interface SgdMonteCarloOptions {
  readonly sampling: SgdSampling;
  /** Number of independent runs R ≥ 2. */
  readonly runs: number;
  /** Number of epochs E ≥ 1 per run. */
  readonly epochs: number;
  /** Seed of the mulberry32 stream (default 0). */
  readonly seed?: number;
  /** Cyclic only: the batch order of every epoch (default 0 … m−1). */
  readonly order?: readonly number[];
}

/** The statistics of θ after one epoch count, over the runs. */
export interface SgdEpochStatistics {
  readonly epoch: number;
  readonly mean: Float64Array;
  /** s/√R per coordinate: the uncertainty of the mean. */
  readonly standardError: Float64Array;
  /** s per coordinate: the spread of the iterates themselves over the runs. */
  readonly spread: Float64Array;
}

export interface SgdMonteCarloResult {
  readonly sampling: SgdSampling;
  readonly runs: number;
  readonly epochs: number;
  readonly seed: number;
  /** trajectory[e] for e = 0 … E (trajectory[0] is θ0 with standard error 0). */
  readonly trajectory: SgdEpochStatistics[];
}

function checkPositiveInteger(name: string, x: number, min: number): void {
  if (!Number.isInteger(x) || x < min) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${x}`);
}

/**
 * Mean and standard error of SGD iterates per epoch over seeded runs (see the file comment).
 *
 * @example
 *   sgdMonteCarlo(grads, [1], 0.1, { sampling: 'shuffle', runs: 100, epochs: 5, seed: 7 }).trajectory[5]
 */
export function sgdMonteCarlo(
  grads: readonly SgdBatchGradient[],
  theta0: ArrayLike<number>,
  eta: number,
  options: SgdMonteCarloOptions,
): SgdMonteCarloResult {
  const { sampling, runs, epochs } = options;
  const seed = options.seed ?? 0;
  const m = grads.length;
  if (m < 1) throw new RangeError('SGD needs at least one batch gradient');
  checkPositiveInteger('the number of runs', runs, 2);
  checkPositiveInteger('the number of epochs', epochs, 1);
  if (!Number.isFinite(seed)) throw new RangeError(`the seed must be a finite number, got ${seed}`);
  if (sampling === 'shuffle' && options.order !== undefined) throw new RangeError('a batch order is for cyclic sampling');
  const fixed = sgdBatchOrder(options.order, m);
  const n = theta0.length;
  const limit = blowUpLimit(theta0);
  const rand = mulberry32(seed);
  // Welford accumulators per epoch: running mean and sum of squared deviations.
  const mean = Array.from({ length: epochs + 1 }, () => new Float64Array(n));
  const m2 = Array.from({ length: epochs + 1 }, () => new Float64Array(n));
  for (let r = 1; r <= runs; r++) {
    let theta: Float64Array = Float64Array.from(theta0);
    let step = 0;
    for (let e = 0; e <= epochs; e++) {
      if (e > 0) {
        const order = sampling === 'shuffle' ? randomPermutation(m, rand) : fixed;
        for (const k of order) theta = sgdStep(grads[k]!, theta, eta, ++step, limit);
      }
      const mu = mean[e]!;
      const s2 = m2[e]!;
      for (let i = 0; i < n; i++) {
        const d = theta[i]! - mu[i]!;
        mu[i]! += d / r;
        s2[i]! += d * (theta[i]! - mu[i]!);
      }
    }
  }
  const trajectory = mean.map((mu, e) => {
    const spread = m2[e]!.map((s) => Math.sqrt(Math.max(s, 0) / (runs - 1)));
    return { epoch: e, mean: mu, standardError: spread.map((s) => s / Math.sqrt(runs)), spread };
  });
  return { sampling, runs, epochs, seed, trajectory };
}
