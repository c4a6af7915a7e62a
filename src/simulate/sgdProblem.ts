/**
 * An SGD simulation problem: batch losses, their compiled gradients, the compiled EoM fields of
 * the coloured-tree series (every node reads its batch's loss), and a starting point.
 *
 * @example
 *   const p = sgdProblem({ batches: ['(x-1)^2 + y^2', '(x+1)^2 + x*y'], sampling: 'shuffle', init: { x: 1, y: 0.5 }, maxOrder: 2 });
 *   p.compiled.fieldOfOrder(0)(p.init, 0.01)   // −g − η (1/(2m)) Σ_k H_k g_k at θ0
 */
import { compileVector, type CompiledCounterTerms, type FieldFunction, type VectorFunction } from '../compile/compile.js';
import { compileTreeCounterTerms } from '../compile/structured.js';
import { sgdRule, type Sampling } from '../derive/sgd.js';
import { CounterTermSolver } from '../derive/solver.js';
import { parseBatchLosses } from '../loss/counterTerms.js';
import { LossError } from '../loss/errors.js';
import type { Loss, LossOptions } from '../loss/loss.js';
import { nameRecord } from '../loss/names.js';
import { compileHessian, spectralRadius } from './hessian.js';
import { initialPoint, MAX_PROBLEM_ORDER, requireConstantValues } from './problem.js';

export interface SgdProblemSpec extends LossOptions {
  /** The batch losses L_1 … L_m (mathjs syntax); L is their mean. */
  readonly batches: readonly string[];
  readonly sampling: Sampling;
  readonly init: Readonly<Record<string, number>>;
  /** Highest counter-term order compiled (validation needs K + 1). */
  readonly maxOrder: number;
  readonly constants?: Readonly<Record<string, number>>;
}

/** What the SGD commands need of a problem, from batch expressions or from a data file. */
export interface SgdNumericProblem {
  readonly vars: readonly string[];
  readonly init: Float64Array;
  /** m */
  readonly batchCount: number;
  readonly sampling: Sampling;
  /** ∇L_k per batch. */
  readonly gradients: readonly VectorFunction[];
  /** g = ∇L. */
  readonly gradient: VectorFunction;
  /** ξ_0 … ξ_K. */
  readonly xi: readonly VectorFunction[];
  /** The EoM_j field −g − Σ_{k≤j} η^{k+1} ξ_k (j = −1: gradient flow). */
  fieldOfOrder(j: number): FieldFunction;
  /** max over batches of the spectral radius of H_k(θ0), for the η·|λ|max warning. */
  readonly curvature: number;
  /** One line saying where the batches come from. */
  readonly describe: string;
}

export interface SgdProblem extends SgdNumericProblem {
  readonly loss: Loss;
  readonly batches: readonly Loss[];
  readonly sampling: Sampling;
  /** g = ∇L, ξ_k and the EoM fields −g − η Σ η^k ξ_k of the epoch (time t = nη per step). */
  readonly compiled: CompiledCounterTerms;
}

/** Highest order compiled for SGD (m^(k+2) coloured trees at order k). */
export const MAX_SGD_NUMERIC_ORDER = 4;

export function sgdProblem(spec: SgdProblemSpec): SgdProblem {
  if (!Number.isInteger(spec.maxOrder) || spec.maxOrder < 0 || spec.maxOrder > Math.min(MAX_PROBLEM_ORDER, MAX_SGD_NUMERIC_ORDER)) {
    throw new RangeError(`maxOrder must be an integer from 0 to ${MAX_SGD_NUMERIC_ORDER} for SGD, got ${spec.maxOrder}`);
  }
  const { mean, losses } = parseBatchLosses(spec.batches, spec);
  const constants = nameRecord(spec.constants);
  requireConstantValues(mean, constants);
  const init = initialPoint(mean.vars, spec.init);
  const series = new CounterTermSolver(sgdRule(losses.length, spec.sampling)).solveThrough(spec.maxOrder);
  const compiled = compileTreeCounterTerms(mean, series, constants, { batches: losses });
  const ctx = { table: mean.table, varIds: mean.varIds, constants };
  const gradients = losses.map((l) => compileVector(ctx, l.gradient()));
  for (const [k, g] of gradients.entries()) {
    if (!Array.from(g(init)).every(Number.isFinite)) throw new LossError(`--init: the gradient of batch ${k + 1} is not finite at the starting point`);
  }
  const curvature = Math.max(...losses.map((l) => spectralRadius(compileHessian(l, constants), init)));
  return {
    loss: mean,
    batches: losses,
    batchCount: losses.length,
    sampling: spec.sampling,
    vars: mean.vars,
    init,
    gradients,
    gradient: compiled.gradient,
    xi: compiled.xi,
    fieldOfOrder: compiled.fieldOfOrder,
    compiled,
    curvature,
    describe: `batches: ${spec.batches.join('; ')}`,
  };
}
