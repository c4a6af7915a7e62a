/**
 * The discrete iterates of any update rule (updateRule.ts (3.1)) in floating point:
 *
 *     θ_{n+1} = Σ_j a_j θ_{n−j} − η Σ_i b_i g(Y_i),   Y_i = Σ_j c_ij θ_{n−j} − η Σ_{l<i} d_il g(Y_l).
 *
 * Since Σ_j a_j = 1 the step is kept as an increment, θ_{n+1} = θ_n + Δ_n with
 * Δ_n = Σ_{j≥1} a_j D_j − η Σ_i b_i g(Y_i) and D_j = θ_{n−j} − θ_n carried from step to step
 * (D_1 = −Δ_{n−1}: PyTorch's velocity buffer, never recomputed by subtracting rounded iterates).
 * Gradient descent is the rule a = (1), Y = θ_n, b = (1): Δ = −η g(θ_n), bit for bit θ_n − η g(θ_n).
 * A gradient at a past iterate (Nesterov's g(θ_{n−1})) is the one computed at that step, as PyTorch does.
 *
 * @example
 *   const s = new RecurrenceStepper(problem.compiled.gradient, numericRecurrence(rule), 0.01, [theta0, thetaMinus1]);
 *   s.step(); s.step(); s.theta // θ_2
 */
import type { VectorFunction } from '../compile/compile.js';
import type { Recurrence } from '../derive/updateRule.js';
import { rationalToNumber, type Rational } from '../series/fraction.js';

/** (3.1) with floating-point coefficients. */
export interface NumericRecurrence {
  readonly history: readonly number[];
  readonly stages: readonly { readonly iterates: readonly number[]; readonly gradients: readonly number[] }[];
  readonly weights: readonly number[];
}

/** The rule's exact coefficients as numbers. */
export function numericRecurrence(r: Recurrence<Rational>): NumericRecurrence {
  const n = (xs: readonly Rational[]) => xs.map(rationalToNumber);
  return { history: n(r.history), stages: r.stages.map((s) => ({ iterates: n(s.iterates), gradients: n(s.gradients) })), weights: n(r.weights) };
}

/** How many iterates θ_n, θ_{n−1}, … one step reads (1 for one-step methods, 2 for momentum). */
export function lagsOf(r: Recurrence<unknown>): number {
  return Math.max(r.history.length, ...r.stages.map((s) => s.iterates.length));
}

/** The lag j when the stage is exactly θ_{n−j} (a unit vector, no gradient terms), else −1. */
function pureLag(stage: NumericRecurrence['stages'][number]): number {
  if (stage.gradients.some((d) => d !== 0)) return -1;
  const nonzero = stage.iterates.flatMap((c, j) => (c === 0 ? [] : [j]));
  return nonzero.length === 1 && stage.iterates[nonzero[0]!] === 1 ? nonzero[0]! : -1;
}

export class RecurrenceStepper {
  /** θ_n. */
  theta: Float64Array;
  /** n, the number of steps taken. */
  n = 0;
  /** D_j = θ_{n−j} − θ_n for j = 1 … lags − 1 (index j − 1). */
  private readonly offsets: Float64Array[];
  /** g(θ_{n−j}) when known (index j). */
  private gradients: (Float64Array | undefined)[];
  /** The exact start points θ_{−j} until they have been shifted out (for their gradients). */
  private points: (Float64Array | undefined)[];
  private readonly lags: number;

  /**
   * @param start θ_0, θ_{−1}, … (as many as the rule reads; missing ones repeat the last given)
   * @param firstStep the recurrence of step 0 when it differs (PyTorch's Nesterov from rest)
   */
  constructor(
    private readonly gradient: VectorFunction,
    private readonly rule: NumericRecurrence,
    private readonly lr: number,
    start: readonly ArrayLike<number>[],
    private readonly firstStep?: NumericRecurrence,
  ) {
    this.lags = Math.max(lagsOf(rule), firstStep ? lagsOf(firstStep) : 1);
    const at = (j: number) => Float64Array.from(start[Math.min(j, start.length - 1)]!);
    this.theta = at(0);
    this.points = Array.from({ length: this.lags }, (_, j) => at(j));
    this.offsets = Array.from({ length: this.lags - 1 }, (_, j) => this.points[j + 1]!.map((x, i) => x - this.theta[i]!));
    this.gradients = Array.from({ length: this.lags }, () => undefined);
  }

  /** g(θ_{n−j}), computed once. */
  private gradientAt(j: number): Float64Array {
    let g = this.gradients[j];
    if (!g) {
      const point = j === 0 ? this.theta : (this.points[j] ?? this.theta.map((x, i) => x + this.offsets[j - 1]![i]!));
      g = this.gradient(point, new Float64Array(this.theta.length));
      this.gradients[j] = g;
    }
    return g;
  }

  /** Takes one step and returns θ_{n+1} (a fresh array). */
  step(): Float64Array {
    const rec = this.n === 0 && this.firstStep ? this.firstStep : this.rule;
    const dim = this.theta.length;
    const stageGradients: Float64Array[] = [];
    for (const stage of rec.stages) {
      const lag = pureLag(stage);
      if (lag >= 0) {
        stageGradients.push(this.gradientAt(lag));
        continue;
      }
      const y = new Float64Array(dim);
      for (let i = 0; i < dim; i++) {
        let acc = this.theta[i]!;
        for (let j = 1; j < stage.iterates.length; j++) acc += stage.iterates[j]! * this.offsets[j - 1]![i]!;
        let s = 0;
        stage.gradients.forEach((d, l) => (s += d * stageGradients[l]![i]!));
        y[i] = acc - this.lr * s;
      }
      stageGradients.push(this.gradient(y, new Float64Array(dim)));
    }
    const delta = new Float64Array(dim);
    for (let i = 0; i < dim; i++) {
      let acc = 0;
      for (let j = 1; j < rec.history.length; j++) acc += rec.history[j]! * this.offsets[j - 1]![i]!;
      let s = 0;
      rec.weights.forEach((b, l) => (s += b * stageGradients[l]![i]!));
      delta[i] = acc - this.lr * s;
    }
    const next = this.theta.map((x, i) => x + delta[i]!);
    // Shift: D'_1 = −Δ, D'_j = D_{j−1} − Δ; the gradients and exact points move one lag back.
    for (let j = this.offsets.length - 1; j >= 0; j--) {
      const prev = j === 0 ? undefined : this.offsets[j - 1]!;
      for (let i = 0; i < dim; i++) this.offsets[j]![i] = (prev ? prev[i]! : 0) - delta[i]!;
    }
    this.gradients = [undefined, ...this.gradients.slice(0, this.lags - 1)];
    this.points = [next, this.theta, ...this.points.slice(1)].slice(0, this.lags);
    this.theta = next;
    this.n++;
    return next;
  }

  /** θ_{n−j} as carried (θ_n + D_j). */
  lagged(j: number): Float64Array {
    return j === 0 ? this.theta : this.theta.map((x, i) => x + this.offsets[j - 1]![i]!);
  }
}
