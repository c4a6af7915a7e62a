/**
 * Counter terms of a user's loss, end to end: parse, solve the tree series, build ξ_k(θ).
 *
 * @example
 *   const r = lossCounterTerms('(x^2 + y^2 - 1)^2', { order: 1 });
 *   r.xi[0] // [ξ_0 in x, ξ_0 in y] as exact normal forms
 */
import { CounterTermSolver } from '../derive/solver.js';
import { gradientDescent, type UpdateRule } from '../derive/updateRule.js';
import { concreteCounterTerms } from './concrete.js';
import { Loss, type LossOptions } from './loss.js';
import type { Poly } from './poly.js';

export interface LossCounterTermsOptions extends LossOptions {
  /** Highest k (default 2). */
  readonly order?: number;
  readonly rule?: UpdateRule;
  /** Called after each ξ_k is built. */
  readonly onProgress?: (k: number) => void;
}

export interface LossCounterTerms {
  readonly loss: Loss;
  readonly order: number;
  /** The update rule whose counter terms these are. */
  readonly rule: UpdateRule;
  /** xi[k][i]: component i of ξ_k. */
  readonly xi: Poly[][];
}

export function lossCounterTerms(source: string, options: LossCounterTermsOptions = {}): LossCounterTerms {
  const K = options.order ?? 2;
  if (!Number.isInteger(K) || K < 0) throw new RangeError(`order must be a non-negative integer, got ${K}`);
  const loss = Loss.parse(source, options);
  const rule = options.rule ?? gradientDescent;
  const series = new CounterTermSolver(rule).solveThrough(K);
  return { loss, order: K, rule, xi: concreteCounterTerms(loss, series, options.onProgress) };
}
