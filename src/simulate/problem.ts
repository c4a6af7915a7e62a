/**
 * A simulation problem: a loss, its compiled numeric functions up to some order, and a starting
 * point. The loss, the update rule, the integrator settings and the outputs are separate values
 * (diffrax's composition), so each can change without touching the others.
 *
 * @example
 *   const p = simulationProblem({ loss: '(x^2 + y^2 - 1)^2', init: { x: 1, y: 0.5 }, maxOrder: 3 });
 *   p.compiled.field(p.init, 0.1)
 */
import { compileTreeCounterTerms } from '../compile/structured.js';
import type { CompiledCounterTerms } from '../compile/compile.js';
import { CounterTermSolver } from '../derive/solver.js';
import { gradientDescent, type UpdateRule } from '../derive/updateRule.js';
import { Loss, type LossOptions } from '../loss/loss.js';
import { LossError } from '../loss/errors.js';
import type { Rational } from '../series/fraction.js';
import type { TreeSeries } from '../series/treeSeries.js';
import { compileHessian, spectralRadius } from './hessian.js';
import { nameRecord } from '../loss/names.js';

export interface ProblemSpec extends LossOptions {
  /** The loss expression (mathjs syntax). */
  readonly loss: string;
  /** Starting point, one value per parameter. */
  readonly init: Readonly<Record<string, number>>;
  /** Highest counter-term order the problem must provide (validation needs K+1). */
  readonly maxOrder: number;
  /** Numeric values of symbolic constants that remain after --set. */
  readonly constants?: Readonly<Record<string, number>>;
  /** The update rule whose EoM is simulated (default gradient descent). */
  readonly rule?: UpdateRule;
  /** The tree series ξ_0 … ξ_maxOrder to compile instead of solving them (checks perturb them). */
  readonly series?: readonly TreeSeries<Rational>[];
}

export interface SimulationProblem {
  readonly loss: Loss;
  readonly vars: readonly string[];
  readonly init: Float64Array;
  readonly initRecord: Readonly<Record<string, number>>;
  readonly maxOrder: number;
  readonly compiled: CompiledCounterTerms;
  readonly rule: UpdateRule;
  /** Values of the symbolic constants. */
  readonly constants: Readonly<Record<string, number>>;
  /** max |λ| of the Hessian at θ0 (for the η·|λ|max ≥ 1 warning). */
  readonly curvature: number;
}

/**
 * Highest order a problem compiles: the tree-shaped code for ξ_k holds every tree with k + 2
 * nodes, and beyond ξ_12 (32 973 trees) one generated function no longer fits V8's stack.
 */
export const MAX_PROBLEM_ORDER = 12;

export function simulationProblem(spec: ProblemSpec): SimulationProblem {
  if (!Number.isInteger(spec.maxOrder) || spec.maxOrder < 0 || spec.maxOrder > MAX_PROBLEM_ORDER) {
    throw new RangeError(`maxOrder must be an integer from 0 to ${MAX_PROBLEM_ORDER} (compiled counter terms), got ${spec.maxOrder}`);
  }
  const loss = Loss.parse(spec.loss, spec);
  const init = initialPoint(loss.vars, spec.init);
  const constants = nameRecord(spec.constants);
  const missing = loss.constants.filter((c) => constants[c] === undefined);
  if (missing.length) {
    throw new LossError(`the constant${missing.length > 1 ? 's' : ''} ${missing.join(', ')} need${missing.length > 1 ? '' : 's'} a value to simulate (--set ${missing[0]}=…)`);
  }
  const rule = spec.rule ?? gradientDescent;
  if (rule.name !== gradientDescent.name) {
    // The discrete steps simulated here are gradient descent's; another rule needs its own stepper.
    throw new RangeError(`simulation supports gradient descent only, not "${rule.name}"`);
  }
  const series = spec.series ? spec.series.slice(0, spec.maxOrder + 1) : new CounterTermSolver(rule).solveThrough(Math.max(0, spec.maxOrder));
  if (series.length < spec.maxOrder + 1) throw new RangeError(`the given series stops at ξ_${series.length - 1}; maxOrder is ${spec.maxOrder}`);
  const compiled = compileTreeCounterTerms(loss, series, constants);
  const at0 = [compiled.loss(init), ...compiled.gradient(init)];
  if (!at0.every(Number.isFinite)) {
    throw new LossError(`--init: the loss or its gradient is not finite at ${loss.vars.map((v, i) => `${v}=${init[i]}`).join(',')} (outside the loss's domain?)`);
  }
  return {
    loss,
    vars: loss.vars,
    init,
    initRecord: nameRecord(spec.init),
    maxOrder: spec.maxOrder,
    compiled,
    rule,
    constants,
    curvature: spectralRadius(compileHessian(loss, constants), init),
  };
}

/** The starting point in parameter order; a missing or extra coordinate is an error naming it. */
export function initialPoint(vars: readonly string[], given: Readonly<Record<string, number>>): Float64Array {
  const init = nameRecord(given);
  const extra = Object.keys(init).filter((k) => !vars.includes(k));
  if (extra.length) throw new LossError(`--init: ${extra.map((e) => `"${e}"`).join(', ')} ${extra.length > 1 ? 'are not parameters' : 'is not a parameter'} of the loss (parameters: ${vars.join(', ')})`);
  const missing = vars.filter((v) => init[v] === undefined);
  if (missing.length) throw new LossError(`--init: no value for ${missing.map((m) => `"${m}"`).join(', ')} (give every parameter: ${vars.map((v) => `${v}=…`).join(',')})`);
  return Float64Array.from(vars, (v) => {
    const x = init[v]!;
    if (!Number.isFinite(x)) throw new LossError(`--init: ${v} must be a finite number, got ${x}`);
    return x;
  });
}
