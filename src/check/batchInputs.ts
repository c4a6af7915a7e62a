/**
 * SGD inputs of a derivation file ("batches": L_1 … L_m, "sampling"): the update rule of one epoch
 * (derive/sgd.ts) and the concrete semantics in which ξ_k's coloured trees read the batch losses
 * and g, H, L are those of the mean L = (1/m) Σ_k L_k (loss/counterTerms.ts).
 *
 * @example
 *   const inputs = { batches: ['(x-1)^2', '(x+1)^2'], sampling: 'shuffle' } as const;
 *   const sem = batchSemantics(inputs, new CounterTermSource(batchRule(inputs)));
 *   // "xi(0) - 1/(2*m)*(Hb(1)*gb(1) + Hb(2)*gb(2))" is zero in sem (Smith et al., ICLR 2021)
 */
import { sgdRule } from '../derive/sgd.js';
import type { UpdateRule } from '../derive/updateRule.js';
import { parseBatchLosses } from '../loss/counterTerms.js';
import type { Poly } from '../algebra/poly.js';
import { concreteSemantics } from './concreteSemantics.js';
import type { CounterTermSource } from './counterTermSource.js';
import type { BatchInputs } from './derivationFile.js';
import type { Semantics } from './values.js';

/**
 * Highest ξ_k an SGD claim may ask for: the closed forms sum over m^(k+2) coloured trees (as
 * `eom derive --batches` allows).
 */
export const MAX_SGD_CLAIM_ORDER = 4;

/** One epoch of SGD over the file's batches. */
export function batchRule(inputs: BatchInputs): UpdateRule<unknown> {
  return sgdRule(inputs.batches.length, inputs.sampling) as UpdateRule<unknown>;
}

/** The claims' semantics; a batch loss that does not parse throws a LossError naming its batch. */
export function batchSemantics(inputs: BatchInputs, source: CounterTermSource): Semantics<Poly, Poly[]> {
  const { vars, values, weightDecay } = inputs;
  const { mean, losses } = parseBatchLosses(inputs.batches, {
    ...(vars ? { vars } : {}),
    ...(values ? { values } : {}),
    ...(weightDecay !== undefined ? { weightDecay } : {}),
  });
  return concreteSemantics({ loss: mean, lossWithoutDecay: mean.withoutWeightDecay(), source, batches: losses });
}
