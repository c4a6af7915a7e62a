/**
 * Simulating RMSProp and Adam beside their EoM: the compiled fields
 * F_K = −g/(|g| + ε) − η Σ_{k≤K} η^k ξ_k (src/adaptive), the state on the slow manifold
 * M_η(θ), V_η(θ) (truncated after η^{K+1}), and the optimiser itself in floating point, from two starts:
 *
 * - 'manifold': the first step from θ_0 uses m = M_η(θ_0), v = V_η(θ_0) (the state on the slow
 *   manifold); the iterates then follow the EoM flow from step 0.
 * - 'rest': PyTorch's start, m = v = 0 with bias correction, the step using m/(1 − β1ⁿ⁺¹) and
 *   v/(1 − β2ⁿ⁺¹) (torch.optim.Adam, RMSprop has none: v = 0 then). Off the manifold: a transient
 *   that decays like β2ⁿ (and β1ⁿ).
 *
 * @example
 *   const p = adaptiveProblem({ loss: 'x^4/4 - x^2/2 + x*y + y^2', init: { x: 0.5, y: 1 }, maxOrder: 2, rule: adaptiveRule('adam', params) });
 *   const s = new AdaptiveStepper(p, 0.001, 'manifold'); s.step(); s.theta // θ_1
 */
import { compileField, compileVector, fieldsByOrder, type FieldFunction, type VectorFunction } from '../compile/compile.js';
import type { CodegenContext } from '../compile/codegen.js';
import { hyperparameters, solveSlowManifold } from '../adaptive/slowManifold.js';
import type { AdaptiveRule } from '../adaptive/methods.js';
import { Loss, type LossOptions } from '../loss/loss.js';
import { LossError } from '../loss/errors.js';
import { rationalToNumber } from '../series/fraction.js';
import { nameRecord } from '../loss/names.js';
import { compileHessian, spectralRadius } from './hessian.js';
import { initialPoint, requireConstantValues } from './problem.js';

export type AdaptiveStart = 'manifold' | 'rest';

export interface AdaptiveProblemSpec extends LossOptions {
  readonly loss: string;
  readonly init: Readonly<Record<string, number>>;
  /** Highest ξ_k compiled (validation of order K needs K + 1). */
  readonly maxOrder: number;
  /** Every hyperparameter exact. */
  readonly rule: AdaptiveRule;
  readonly constants?: Readonly<Record<string, number>>;
}

export interface AdaptiveProblem {
  readonly loss: Loss;
  readonly vars: readonly string[];
  readonly init: Float64Array;
  readonly maxOrder: number;
  readonly rule: AdaptiveRule;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly gradient: VectorFunction;
  /** xi[k] evaluates ξ_k. */
  readonly xi: readonly VectorFunction[];
  /** The EoM_j field for −1 ≤ j ≤ maxOrder (−1: dθ/dt = −g/(|g| + ε)). */
  fieldOfOrder(j: number): FieldFunction;
  /** m and v on the slow manifold at θ for step η (through η^{maxOrder+1}). */
  state(theta: ArrayLike<number>, lr: number): { m: Float64Array; v: Float64Array };
  /**
   * The expansion parameter at θ_0 per unit η: |λ|max(H)/((min_i |g_i| + ε)(1 − max(β1, β2))).
   * The series needs η times this ≪ 1 (warned at ≥ 0.1).
   */
  readonly expansion: number;
}

const exactNumber = (v: AdaptiveRule['beta1'], name: string): number => {
  if (typeof v === 'string') throw new LossError(`simulating needs an exact value for ${name} (e.g. --param ${name}=0.9)`);
  return rationalToNumber(v);
};

export function adaptiveProblem(spec: AdaptiveProblemSpec): AdaptiveProblem {
  const loss = Loss.parse(spec.loss, spec);
  const init = initialPoint(loss.vars, spec.init);
  const constants = nameRecord(spec.constants);
  requireConstantValues(loss, constants);
  const { rule } = spec;
  const beta1 = exactNumber(rule.beta1, 'beta1');
  const beta2 = exactNumber(rule.beta2, rule.spec.name === 'rmsprop' ? 'rho' : 'beta2');
  const eps = exactNumber(rule.eps, 'eps');
  const ctx: CodegenContext = { table: loss.table, varIds: loss.varIds, constants };
  const gradient = compileVector(ctx, loss.gradient());
  const g0 = gradient(init);
  if (!g0.every(Number.isFinite)) throw new LossError('--init: the gradient is not finite there (outside the loss\'s domain?)');
  if (eps === 0 && g0.some((x) => x === 0)) {
    throw new LossError(`--init: a component of the gradient vanishes there and eps = 0, so the update divides by zero; give eps > 0 or another point`);
  }
  const solved = solveSlowManifold(loss, hyperparameters(loss.table, rule), spec.maxOrder);
  // −F_0 = c⊙g takes the place of g in compile's field −g − η Σ η^k ξ_k.
  const lead = solved.field[0]!.map((p) => p.neg());
  const fieldOfOrder = fieldsByOrder(spec.maxOrder, (j) => compileField(ctx, lead, solved.xi.slice(0, j + 1)));
  const Ms = solved.M.map((row) => compileVector(ctx, row));
  const Vs = solved.V.map((row) => compileVector(ctx, row));
  const horner = (fs: readonly VectorFunction[], theta: ArrayLike<number>, lr: number) => {
    const out = new Float64Array(init.length);
    for (let j = fs.length - 1; j >= 0; j--) {
      const c = fs[j]!(theta);
      for (let i = 0; i < out.length; i++) out[i] = out[i]! * lr + c[i]!;
    }
    return out;
  };
  const curvature = spectralRadius(compileHessian(loss, constants), init);
  const minAbs = Math.min(...Array.from(g0, Math.abs));
  return {
    loss,
    vars: loss.vars,
    init,
    maxOrder: spec.maxOrder,
    rule,
    beta1,
    beta2,
    eps,
    gradient,
    xi: solved.xi.map((row) => compileVector(ctx, row)),
    fieldOfOrder,
    state: (theta, lr) => ({ m: horner(Ms, theta, lr), v: horner(Vs, theta, lr) }),
    expansion: curvature / ((minAbs + eps) * (1 - Math.max(beta1, beta2))),
  };
}

/**
 * The warning when η is outside the regime the EoM describes, else undefined.
 *
 * @example
 *   adaptiveRegimeWarning(problem, 0.1) // "η·|λ|max/((min|g_i| + ε)(1 − β)) = 0.937 at θ0: …"
 */
export function adaptiveRegimeWarning(problem: AdaptiveProblem, lr: number): string | undefined {
  const x = lr * problem.expansion;
  if (x < 0.1) return undefined;
  return `η·|λ|max/((min|g_i| + ε)(1 − β)) = ${x.toPrecision(3)} at θ0: the EoM is a series in this and needs it ≪ 1 (smaller η)`;
}

/**
 * RMSProp or Adam in floating point, as PyTorch steps it (ε outside the root).
 *
 * @example
 *   const s = new AdaptiveStepper(problem, 0.001, 'rest'); s.step(); s.offManifold() // the state's relative distance from M_η(θ_1), V_η(θ_1)
 */
export class AdaptiveStepper {
  theta: Float64Array;
  m: Float64Array;
  v: Float64Array;
  n = 0;
  /** The state the first step uses, when it is given rather than updated (the manifold start). */
  private first?: { m: Float64Array; v: Float64Array };

  constructor(
    readonly problem: AdaptiveProblem,
    readonly lr: number,
    readonly start: AdaptiveStart,
    theta0: ArrayLike<number> = problem.init,
  ) {
    this.theta = Float64Array.from(theta0);
    const d = this.theta.length;
    this.m = new Float64Array(d);
    this.v = new Float64Array(d);
    // On the manifold the first step from θ_0 uses m_1 = M_η(θ_0), v_1 = V_η(θ_0) as they are.
    if (start === 'manifold') this.first = problem.state(this.theta, lr);
  }

  /**
   * How far the state the next step will use is from the slow manifold: the largest relative
   * difference of m̂_{n+1}, v̂_{n+1} (bias-corrected from rest) from M_η(θ_n), V_η(θ_n). It decays
   * like max(β1, β2)ⁿ from rest; the manifold start keeps it at the truncation error.
   */
  offManifold(): number {
    const { beta1, beta2 } = this.problem;
    const g = this.problem.gradient(this.theta);
    const { m, v } = this.problem.state(this.theta, this.lr);
    const k = this.n + 1;
    const adamRest = this.start === 'rest' && this.problem.rule.spec.name === 'adam';
    let e = 0;
    for (let i = 0; i < g.length; i++) {
      const mi = this.first ? this.first.m[i]! : (beta1 * this.m[i]! + (1 - beta1) * g[i]!) / (adamRest ? 1 - beta1 ** k : 1);
      const vi = this.first ? this.first.v[i]! : (beta2 * this.v[i]! + (1 - beta2) * g[i]! * g[i]!) / (adamRest ? 1 - beta2 ** k : 1);
      e = Math.max(e, Math.abs(mi - m[i]!) / Math.abs(m[i]!), Math.abs(vi - v[i]!) / Math.abs(v[i]!));
    }
    return e;
  }

  /** θ_{n+1}. */
  step(): Float64Array {
    const { beta1, beta2, eps } = this.problem;
    const g = this.problem.gradient(this.theta);
    const k = this.n + 1;
    const c1 = this.start === 'rest' && this.problem.rule.spec.name === 'adam' ? 1 - beta1 ** k : 1;
    const c2 = this.start === 'rest' && this.problem.rule.spec.name === 'adam' ? 1 - beta2 ** k : 1;
    const next = new Float64Array(this.theta.length);
    for (let i = 0; i < next.length; i++) {
      if (this.first) {
        this.m[i] = this.first.m[i]!;
        this.v[i] = this.first.v[i]!;
      } else {
        this.m[i] = beta1 * this.m[i]! + (1 - beta1) * g[i]!;
        this.v[i] = beta2 * this.v[i]! + (1 - beta2) * g[i]! * g[i]!;
      }
      next[i] = this.theta[i]! - (this.lr * (this.m[i]! / c1)) / (Math.sqrt(this.v[i]! / c2) + eps);
    }
    this.first = undefined;
    this.theta = next;
    this.n = k;
    return next;
  }
}
