/**
 * Counter terms of a user's loss, end to end: parse, solve the tree series, build ξ_k(θ).
 *
 * @example
 *   const r = lossCounterTerms('(x^2 + y^2 - 1)^2', { order: 1 });
 *   r.xi[0] // [ξ_0 in x, ξ_0 in y] as exact normal forms
 */
import { CounterTermSolver } from '../derive/solver.js';
import { gradientDescent, type UpdateRule } from '../derive/updateRule.js';
import { concreteCounterTerms, ExpansionBudgetExceeded } from './concrete.js';
import { sharedCounterTerms } from './sharedForms.js';
import { Loss, type LossOptions } from './loss.js';
import type { Poly } from './poly.js';
import { coefficientPoly } from './coefficientPoly.js';
import { LossError } from './errors.js';

export interface LossCounterTermsOptions extends LossOptions {
  /** Highest k (default 2). */
  readonly order?: number;
  /** The update rule (default gradient descent); symbolic hyperparameters become constants of the closed forms. */
  readonly rule?: UpdateRule<unknown>;
  /** Called after each ξ_k is built. */
  readonly onProgress?: (k: number) => void;
  /**
   * The most term pairs the expanded closed forms may multiply out (default unbounded). Beyond it
   * ξ_k is given as a straight-line program instead (`refs`: derivative entries and tree vectors
   * named once, sharedForms.ts), which is as exact and grows far more slowly.
   */
  readonly expansionBudget?: number;
}

export interface LossCounterTerms {
  readonly loss: Loss;
  readonly order: number;
  /** xi[k][i]: component i of ξ_k. */
  readonly xi: Poly[][];
  /** The rule, and c in dθ/dt = −c·g − η Σ η^k ξ_k as a normal form. */
  readonly rule: UpdateRule<unknown>;
  readonly leading: Poly;
  /**
   * When ξ_k is a straight-line program: its references (atom id → definition). `xi` is then
   * written in references: print it with `new PolyPrinter(loss, refs)`; it is not for
   * differentiating or evaluating directly (a reference is constant in θ).
   */
  readonly refs?: ReadonlyMap<number, Poly>;
}

export function lossCounterTerms(source: string, options: LossCounterTermsOptions = {}): LossCounterTerms {
  const K = options.order ?? 2;
  if (!Number.isInteger(K) || K < 0) throw new RangeError(`order must be a non-negative integer, got ${K}`);
  const rule = options.rule ?? (gradientDescent as UpdateRule<unknown>);
  const loss = Loss.parse(source, options);
  const clash = [...rule.params.keys()].filter((p) => loss.vars.includes(p) || (rule.params.get(p) === p && loss.constants.includes(p)));
  if (clash.length) throw new LossError(`"${clash[0]}" is both a name in the loss and a hyperparameter of ${rule.name}; rename one`);
  const solver = new CounterTermSolver(rule);
  const series = solver.solveThrough(K);
  const leading = coefficientPoly(loss.table, solver.field)(solver.leading);
  const base = { loss, order: K, rule, leading };
  try {
    return { ...base, xi: concreteCounterTerms(loss, series, options.onProgress, options.expansionBudget) };
  } catch (e) {
    if (!(e instanceof ExpansionBudgetExceeded)) throw e;
  }
  const shared = sharedCounterTerms(loss, series);
  series.forEach((_, k) => options.onProgress?.(k));
  return { ...base, xi: shared.xi, refs: shared.refs };
}
