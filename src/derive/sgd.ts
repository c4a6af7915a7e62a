/**
 * Stochastic gradient descent over m mini-batches as an update rule (3.1): one update is one epoch,
 * m GD steps, one per batch,
 *
 *     Y_1 = θ_n,  Y_i = Y_{i−1} − η g_{k_{i−1}}(Y_{i−1}),  θ_{n+1} = Y_m − η g_{k_m}(Y_m),
 *
 * i.e. stages Y_i = θ_n − η Σ_{l<i} g_{k_l}(Y_l), weights b_i = 1, stage i reading batch k_i.
 * Cyclic sampling takes k_i = i every epoch; random reshuffling (shuffle) takes a fresh uniformly
 * random order, and its EoM is that of the mean epoch map: the solver averages the update over
 * all relabellings of the batches. Time is t = nη per step, so an epoch spans mη
 * (stepsPerUpdate = m) and the leading factor is c = m/m = 1 with g = (1/m) Σ_k g_k.
 *
 * @example
 *   new CounterTermSolver(sgdRule(3, 'shuffle')).xi(0) // (1/6) Σ_k H_k g_k (Smith et al., ICLR 2021)
 */
import { Rational } from '../series/fraction.js';
import { integers } from '../series/ring.js';
import type { Batches, UpdateRule } from './updateRule.js';

/** Largest batch count the abstract solver takes (coloured trees grow like m^nodes). */
export const MAX_SGD_BATCHES = 12;

export type Sampling = Batches['sampling'];

export function sgdRule(m: number, sampling: Sampling): UpdateRule {
  if (!Number.isSafeInteger(m) || m < 1) throw new RangeError(`the number of batches must be a positive integer, got ${m}`);
  if (m > MAX_SGD_BATCHES) throw new RangeError(`at most ${MAX_SGD_BATCHES} batches (coloured trees grow like m^nodes), got ${m}`);
  if (sampling !== 'cyclic' && sampling !== 'shuffle') throw new RangeError(`sampling must be cyclic or shuffle, got "${String(sampling)}"`);
  return {
    name: 'sgd',
    description:
      sampling === 'cyclic'
        ? `SGD, ${m} batches in a fixed order per epoch: θ ← θ − η∇L_k(θ), k = 1, …, ${m}`
        : `SGD with random reshuffling, ${m} batches in a fresh random order per epoch: θ ← θ − η∇L_k(θ)`,
    ring: integers,
    params: new Map(),
    history: [Rational.one],
    stages: Array.from({ length: m }, (_, i) => ({ iterates: [Rational.one], gradients: new Array(i).fill(Rational.one), batch: i })),
    weights: new Array(m).fill(Rational.one),
    batches: { count: m, sampling },
    stepsPerUpdate: m,
  };
}
