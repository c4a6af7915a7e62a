/**
 * Counter terms of a user's loss, end to end: parse, solve the tree series, build ξ_k(θ).
 *
 * @example
 *   const r = lossCounterTerms('(x^2 + y^2 - 1)^2', { order: 1 });
 *   r.xi[0] // [ξ_0 in x, ξ_0 in y] as exact normal forms
 */
import { CounterTermSolver } from '../derive/solver.js';
import { sgdRule, type Sampling } from '../derive/sgd.js';
import { gradientDescent, type UpdateRule } from '../derive/updateRule.js';
import { concreteCounterTerms, ExpansionBudgetExceeded } from './concrete.js';
import { sharedCounterTerms } from './sharedForms.js';
import { Loss, type LossOptions } from './loss.js';
import type { Poly } from '../algebra/poly.js';
import type { TreeSeries } from '../series/treeSeries.js';
import { coefficientPoly } from '../algebra/coefficientPoly.js';
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
  /** The rule (what outputs print of it: its name and hyperparameters), and c in dθ/dt = −c·g − η Σ η^k ξ_k as a normal form. */
  readonly rule: Pick<UpdateRule<unknown>, 'name' | 'params'>;
  readonly leading: Poly;
  /**
   * When ξ_k is a straight-line program: its references (atom id → definition). `xi` is then
   * written in references: print it with `new PolyPrinter(loss, refs)`; it is not for
   * differentiating or evaluating directly (a reference is constant in θ).
   */
  readonly refs?: ReadonlyMap<number, Poly>;
  /**
   * Element-wise methods (RMSProp, Adam: src/adaptive): c is a vector, c_i per component
   * (dθ/dt = −c⊙g − η Σ η^k ξ_k), stated as `leadingText` ("1/(sqrt(g_i^2) + eps)"), and the
   * closed forms hold where `validity` says.
   */
  readonly elementwise?: { readonly leading: readonly Poly[]; readonly leadingText: string; readonly validity: string };
  /** SGD: the batch losses L_k (L = (1/m) Σ_k L_k is `loss`) and how they are sampled. */
  readonly batches?: {
    readonly losses: readonly Loss[];
    readonly sampling: Sampling;
    /** Batches from a data table: the file as named, its rows, the rows per batch. */
    readonly data?: { readonly file: string; readonly rows: number; readonly batchSize: number };
  };
}

export interface BatchCounterTermsOptions extends LossOptions {
  readonly order?: number;
  readonly sampling?: Sampling;
  readonly onProgress?: (k: number) => void;
  /** As for lossCounterTerms: beyond it, ξ_k is a straight-line program over each batch's derivative entries. */
  readonly expansionBudget?: number;
}

/** Most batch losses given as expressions (closed forms sum over m^(k+2) labelled trees at order k). */
export const MAX_BATCH_LOSSES = 8;

/**
 * SGD's counter terms for batch losses L_1 … L_m given as expressions: the coloured-tree series of
 * `sgdRule` with every node of colour k a derivative of L_k (weight decay, if any, is added to
 * every L_k, so also to their mean L).
 *
 * @example
 *   const r = batchLossCounterTerms(['(x-1)^2', '(x+1)^2'], { order: 0, sampling: 'shuffle' });
 *   r.xi[0] // [ (1/(2m)) Σ_k H_k g_k ] = [ (1/4)(2·2(x−1) + 2·2(x+1)) ] = [2x]
 */
export function batchLossCounterTerms(sources: readonly string[], options: BatchCounterTermsOptions = {}): LossCounterTerms {
  const { mean, losses } = parseBatchLosses(sources, options);
  return sgdLossCounterTerms(mean, losses, options);
}

/** SGD's closed forms for batch losses already parsed (`mean` is L = (1/m) Σ_k L_k). */
export function sgdLossCounterTerms(
  mean: Loss,
  losses: readonly Loss[],
  options: Pick<BatchCounterTermsOptions, 'order' | 'sampling' | 'onProgress' | 'expansionBudget'> & { data?: { file: string; rows: number; batchSize: number } } = {},
): LossCounterTerms {
  const K = options.order ?? 2;
  if (!Number.isInteger(K) || K < 0) throw new RangeError(`order must be a non-negative integer, got ${K}`);
  const sampling = options.sampling ?? 'shuffle';
  const rule = sgdRule(losses.length, sampling);
  const solver = new CounterTermSolver(rule);
  const series = solver.solveThrough(K);
  const leading = coefficientPoly(mean.table, solver.field)(solver.leading);
  const batches = { losses, sampling, ...(options.data ? { data: options.data } : {}) };
  return { loss: mean, order: K, ...expandedOrShared(mean, series, options, losses), rule, leading, batches };
}

/**
 * The batch losses L_1 … L_m and their mean L = (1/m) Σ_k L_k, in one atom table with the same
 * parameters. Every batch is parsed on its own first, so an error names its batch; --vars and
 * --set are checked against the mean, and a batch need not use every parameter.
 *
 * @example
 *   parseBatchLosses(['(x-1)^2', 'y^2']).mean.vars // ['x', 'y']
 */
export function parseBatchLosses(sources: readonly string[], options: LossOptions = {}): { mean: Loss; losses: Loss[] } {
  const m = sources.length;
  if (m < 1) throw new LossError('give at least one batch loss');
  if (m > MAX_BATCH_LOSSES) throw new LossError(`at most ${MAX_BATCH_LOSSES} batch losses as expressions (closed forms grow like m^(k+2)), got ${m}`);
  const own = sources.map((src, k) => parseBatch(src, k, { ...options, partial: true }));
  const mean = Loss.parse(`(${own.map((l) => `(${l.source})`).join(' + ')}) / ${m}`, { ...options, vars: options.vars ?? unionOfVars(own) });
  const losses = sources.map((src, k) => parseBatch(src, k, { ...options, partial: true, vars: mean.vars, table: mean.table }));
  return { mean, losses };
}

function parseBatch(source: string, k: number, options: LossOptions): Loss {
  try {
    return Loss.parse(source, options);
  } catch (e) {
    if (e instanceof LossError) throw new LossError(`batch ${k + 1}: ${e.message}`);
    throw e;
  }
}

/** The batches' parameters in order of first appearance. */
function unionOfVars(losses: readonly Loss[]): string[] {
  const out: string[] = [];
  for (const l of losses) for (const v of l.vars) if (!out.includes(v)) out.push(v);
  return out;
}

/**
 * Term pairs expanded closed forms may multiply out (a fraction of a second) before ξ_k is written as a
 * program over named derivative entries and tree vectors instead (sharedForms.ts): the budget every
 * output of a loss's closed forms uses unless told to expand in full.
 */
export const EXPANSION_BUDGET = 500_000;

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
  return { loss, order: K, rule, leading, ...expandedOrShared(loss, series, options) };
}

/**
 * ξ_0 … ξ_K of `loss` expanded when that costs at most `expansionBudget` term products, else as a
 * straight-line program (`refs`, sharedForms.ts); `batches` as for ElementaryDifferentials.
 */
export function expandedOrShared<C>(
  loss: Loss,
  series: readonly TreeSeries<C>[],
  options: { readonly expansionBudget?: number; readonly onProgress?: (k: number) => void },
  batches?: readonly Loss[],
): { xi: Poly[][]; refs?: ReadonlyMap<number, Poly> } {
  let built = -1; // the orders already reported as built, which the program does not report again
  try {
    return { xi: concreteCounterTerms(loss, series, (k) => options.onProgress?.((built = k)), batches, options.expansionBudget) };
  } catch (e) {
    if (!(e instanceof ExpansionBudgetExceeded)) throw e;
  }
  const shared = sharedCounterTerms(loss, series, batches);
  series.forEach((_, k) => k > built && options.onProgress?.(k));
  return shared;
}
