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
import { characteristicSlope, exactRule, gradientDescent, leadingFactor, symbolicParameters, type UpdateRule } from '../derive/updateRule.js';
import { Loss, type LossOptions } from '../loss/loss.js';
import { LossError } from '../loss/errors.js';
import { parseRational, Rational, rationalToNumber } from '../series/fraction.js';
import type { TreeSeries } from '../series/treeSeries.js';
import { compileHessian, spectralRadius } from './hessian.js';
import { lagsOf } from './recurrenceStepper.js';
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
  /** The update rule whose EoM is simulated (default gradient descent); every hyperparameter exact. */
  readonly rule?: UpdateRule<unknown>;
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
  /** The leading factor c of F = −c·g − η Σ η^k ξ_k, exact and as a number. */
  readonly leadingExact: Rational;
  readonly leading: number;
  /**
   * |c/ρ'(1)|: the series is one in η·λ·|c/ρ'(1)| (1 for one-step methods, 1/(1−β)² for momentum),
   * and `expansionName` names that product for warnings ("η·|λ|max/(1−β)²").
   */
  readonly expansion: number;
  readonly expansionName: string;
  /** The values behind it ("β = 9/10"), if any. */
  readonly expansionNote?: string;
  /** How many iterates θ_n, θ_{n−1}, … one step reads (1: a one-step method, no start to choose). */
  readonly lags: number;
  /** vanishing[k]: the rule's ξ_k is identically zero as a tree series (Runge–Kutta order conditions); all false for a given `series`. */
  readonly vanishing: readonly boolean[];
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
  requireConstantValues(loss, constants);
  const rule = numericRule(spec.rule ?? gradientDescent);
  const series = spec.series ? spec.series.slice(0, spec.maxOrder + 1) : new CounterTermSolver(rule).solveThrough(Math.max(0, spec.maxOrder));
  if (series.length < spec.maxOrder + 1) throw new RangeError(`the given series stops at ξ_${series.length - 1}; maxOrder is ${spec.maxOrder}`);
  const lead = leadingOf(rule);
  // The compiled fields carry the rule's leading factor: −c·g − η Σ η^k ξ_k (compile's FieldOptions).
  const compiled = compileTreeCounterTerms(loss, series, constants, { leading: lead.leading });
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
    ...lead,
    lags: Math.max(lagsOf(rule), rule.restFirstStep ? lagsOf(rule.restFirstStep) : 1),
    // From the rule's own solve only: a given series may be a perturbed one (negative controls).
    vanishing: series.map((s) => !spec.series && s.isZero()),
  };
}

/** The rule when its coefficients are exact numbers (integers as numerator ring); a RangeError naming the symbols otherwise. */
function numericRule(rule: UpdateRule<unknown>): UpdateRule {
  const exact = exactRule(rule);
  if (exact) return exact;
  throw new RangeError(`simulating "${rule.name}" needs exact values for ${symbolicParameters(rule).join(', ') || 'its parameters'}`);
}

/** The leading factor c and the expansion factor |c/ρ'(1)| of a numeric rule, with the latter's name. */
function leadingOf(rule: UpdateRule): Pick<SimulationProblem, 'leadingExact' | 'leading' | 'expansion' | 'expansionName' | 'expansionNote'> {
  const leadingExact = leadingFactor(rule);
  const ratio = Rational.div(leadingExact, characteristicSlope(rule));
  const factor = ratio.num < 0n ? Rational.neg(ratio) : ratio;
  const numbers = { leadingExact, leading: rationalToNumber(leadingExact), expansion: rationalToNumber(factor) };
  if (Rational.equals(factor, Rational.one)) return { ...numbers, expansionName: 'η·|λ|max(H(θ0))' };
  // Momentum's factor is 1/(1−β)² (heavy ball and both Nesterov forms); say so when it is that.
  const beta = rule.params.get('beta');
  const b = beta !== undefined && /^-?\d+(\/\d+)?$/.test(beta) ? parseRational(beta) : undefined;
  const oneMinus = b && Rational.sub(Rational.one, b);
  const momentum = oneMinus && !Rational.isZero(oneMinus) && Rational.equals(factor, Rational.div(Rational.one, Rational.mul(oneMinus, oneMinus)));
  return momentum
    ? { ...numbers, expansionName: 'η·|λ|max/(1−β)²', expansionNote: `β = ${beta}` }
    : { ...numbers, expansionName: `η·|λ|max·|c/ρ'(1)|`, expansionNote: `|c/ρ'(1)| = ${Rational.toString(factor)}` };
}

/**
 * Every symbolic constant left in the loss needs a number to simulate; a LossError names them.
 *
 * @example
 *   requireConstantValues(Loss.parse('a*x^2', { vars: ['x'] }), {}) // throws: the constant a needs a value …
 */
export function requireConstantValues(loss: Loss, constants: Readonly<Record<string, number>>): void {
  const missing = loss.constants.filter((c) => constants[c] === undefined);
  if (missing.length) {
    throw new LossError(`the constant${missing.length > 1 ? 's' : ''} ${missing.join(', ')} need${missing.length > 1 ? '' : 's'} a value to simulate (--set ${missing[0]}=…)`);
  }
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
