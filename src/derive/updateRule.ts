/**
 * Update rules as data (docs/design.md §3). Every optimiser eomkit derives is a recurrence in the
 * iterates θ_n with gradients taken at fixed linear combinations of past iterates and of earlier
 * stages of the same step:
 *
 *     θ_{n+1} = Σ_j a_j θ_{n−j} − η Σ_i b_i g(Y_i),                                  (3.1)
 *     Y_i     = Σ_j c_ij θ_{n−j} − η Σ_{l<i} d_il g(Y_l),
 *
 * with Σ_j a_j = 1 and Σ_j c_ij = 1 (the combinations are affine, so a constant shift of θ moves
 * every point alike). Gradient descent is a = (1), one stage Y = θ_n, b = (1); an explicit
 * Runge–Kutta method is a = (1), c_i0 = 1, d = its matrix A, b = its weights; heavy-ball momentum
 * is a = (1+β, −β), Y = θ_n, b = (1). The solver (solver.ts) takes nothing else.
 *
 * Coefficients are exact fractions over the rule's numerator ring: the integers when every
 * hyperparameter has a value, Z[β] (or Z[β][γ]…) when some are kept as symbols.
 *
 * @example
 *   gradientDescent.history  // [1]       (θ_{n+1} = θ_n − η g(θ_n))
 *   leadingFactor(gradientDescent) // 1   (F = −c·g − η Σ η^k ξ_k with c = 1)
 */
import { FractionField, Rational, rational, type Fraction } from '../series/fraction.js';
import { integers, type CoefficientRing } from '../series/ring.js';

/** One stage point Y_i of (3.1). */
export interface Stage<C> {
  /** c_ij: the coefficient of θ_{n−j} (j = 0, 1, …); they add up to 1. */
  readonly iterates: readonly C[];
  /** d_il for l < i: Y_i gets −η d_il g(Y_l). */
  readonly gradients: readonly C[];
  /**
   * For a rule over mini-batches (UpdateRule.batches): the batch k (0-based) whose gradient g_k
   * this stage takes; g = (1/m) Σ_k g_k. Absent for full-batch rules.
   */
  readonly batch?: number;
}

/**
 * Mini-batches: the loss is L = (1/m) Σ_k L_k and each stage reads one g_k = ∇L_k. The elementary
 * differentials then live on trees whose nodes carry a batch label (coloured trees, trees/store.ts).
 */
export interface Batches {
  /** m, the number of batch losses. */
  readonly count: number;
  /**
   * cyclic: the stages read the batches as labelled; shuffle: the EoM is that of the mean update
   * over all m! relabellings of the batches (a fresh uniformly random order each update).
   */
  readonly sampling: 'cyclic' | 'shuffle';
}

/** The recurrence (3.1) as data. */
export interface Recurrence<C> {
  /** a_j, the coefficient of θ_{n−j} in θ_{n+1} (j = 0, 1, …); they add up to 1. */
  readonly history: readonly C[];
  readonly stages: readonly Stage<C>[];
  /** b_i, the weight of −η g(Y_i). */
  readonly weights: readonly C[];
}

export interface UpdateRule<R = bigint> extends Recurrence<Fraction<R>> {
  /** Short identifier, e.g. "gd" or "heavy-ball" (printed in JSON as "method"). */
  readonly name: string;
  /** One line for people, e.g. "gradient descent θ ← θ − η∇L(θ)". */
  readonly description: string;
  /** The numerator ring of the coefficients (integers, or polynomials in symbols). */
  readonly ring: CoefficientRing<R>;
  /** Hyperparameters as given: name → exact value ("9/10") or, when kept symbolic, the symbol. */
  readonly params: ReadonlyMap<string, string>;
  /**
   * The first step from rest (zero velocity, PyTorch's start with an empty buffer) when it is not
   * the recurrence with θ_{−j} = θ_0; e.g. PyTorch's Nesterov takes θ_1 = θ_0 − η(1+β) g(θ_0).
   */
  readonly restFirstStep?: Recurrence<Fraction<R>>;
  /** Where the series exists, e.g. "|beta| < 1" (printed with symbolic parameters). */
  readonly condition?: string;
  /** Mini-batches read by the stages (absent: full batch). */
  readonly batches?: Batches;
  /**
   * Time one application of the rule spans, in units of η (default 1): an SGD epoch of m steps
   * spans mη, since time is t = nη per step.
   */
  readonly stepsPerUpdate?: number;
}

/** The rule itself when every hyperparameter has an exact value (rational coefficients), else undefined. */
export function exactRule(rule: UpdateRule<unknown>): UpdateRule | undefined {
  return rule.ring === (integers as CoefficientRing<unknown>) ? (rule as UpdateRule) : undefined;
}

/** The hyperparameters kept as symbols (a symbolic parameter maps to its own name). */
export function symbolicParameters(rule: UpdateRule<unknown>): string[] {
  return [...rule.params].filter(([k, v]) => k === v).map(([k]) => k);
}

/** θ_n itself as a stage: Y = θ_n. */
function currentIterate<C>(one: C): Stage<C> {
  return { iterates: [one], gradients: [] };
}

/** Gradient descent θ ← θ − η∇L(θ): the explicit Euler method on the gradient flow. */
export const gradientDescent: UpdateRule = {
  name: 'gd',
  description: 'gradient descent θ ← θ − η∇L(θ)',
  ring: integers,
  params: new Map(),
  history: [Rational.one],
  stages: [currentIterate(Rational.one)],
  weights: [Rational.one],
};

/** An explicit Runge–Kutta tableau with exact rational entries (a strictly lower triangular). */
export interface ButcherTableau {
  readonly a: readonly (readonly Rational[])[];
  readonly b: readonly Rational[];
}

/**
 * The update rule of an explicit Runge–Kutta method with step η applied to the gradient flow
 * θ' = −g(θ): stages Y_i = θ_n − η Σ_{l<i} a_il g(Y_l), θ_{n+1} = θ_n − η Σ_i b_i g(Y_i).
 *
 * @example
 *   const heun = explicitRungeKuttaRule('heun', 'Heun', {
 *     a: [[rational(0), rational(0)], [rational(1), rational(0)]], b: [rational(1, 2), rational(1, 2)] });
 */
export function explicitRungeKuttaRule(name: string, description: string, tableau: ButcherTableau): UpdateRule {
  const s = tableau.b.length;
  if (s === 0) throw new RangeError('a Runge–Kutta tableau needs at least one stage');
  if (tableau.a.length !== s || tableau.a.some((row) => row.length !== s)) {
    throw new RangeError(`tableau: a must be ${s}×${s} to match b`);
  }
  tableau.a.forEach((row, i) =>
    row.forEach((x, j) => {
      if (j >= i && !Rational.isZero(x)) throw new RangeError(`tableau: a[${i}][${j}] must be 0 for an explicit method`);
    }),
  );
  const sumB = tableau.b.reduce((acc, x) => Rational.add(acc, x), Rational.zero);
  if (!Rational.equals(sumB, Rational.one)) {
    throw new RangeError(`tableau: the weights b must add up to 1 (consistency), they add up to ${Rational.toString(sumB)}`);
  }
  return {
    name,
    description,
    ring: integers,
    params: new Map(),
    history: [Rational.one],
    stages: tableau.a.map((row, i) => ({ iterates: [Rational.one], gradients: row.slice(0, i) })),
    weights: [...tableau.b],
  };
}

/** Extragradient θ ← θ − η g(θ − η g(θ)): the tableau c = (0, 1), a₂₁ = 1, b = (0, 1). */
export const extragradient = explicitRungeKuttaRule('extragradient', 'extragradient θ ← θ − η∇L(θ − η∇L(θ))', {
  a: [
    [rational(0), rational(0)],
    [rational(1), rational(0)],
  ],
  b: [rational(0), rational(1)],
});

/** The built-in rules without hyperparameters, by name (see methods.ts for all methods). */
export const updateRules: ReadonlyMap<string, UpdateRule> = new Map([
  [gradientDescent.name, gradientDescent],
  [extragradient.name, extragradient],
]);

/**
 * ρ'(1) = 1 + Σ_j j·a_j, the derivative at 1 of the characteristic polynomial
 * ρ(ζ) = ζ^p − Σ_j a_j ζ^{p−1−j}: the factor of the unknown in each order of the solve (solver.ts
 * (4.3)). It must not vanish (1 is then a double root: heavy ball at β = 1).
 */
export function characteristicSlope<R>(rule: UpdateRule<R>): Fraction<R> {
  const F = new FractionField(rule.ring);
  return rule.history.reduce((acc, a, j) => F.add(acc, F.mul(F.fromInteger(j), a)), F.one);
}

/**
 * The leading factor c of F = −c·g − η Σ η^k ξ_k: c = Σ_i b_i / (ρ'(1)·s), s the steps per update
 * (with batches, each batch gets the weight Σ b/m, so −Σ_i b_i g_{k_i}/ρ'(1) = −(Σ b/ρ'(1))·g).
 */
export function leadingFactor<R>(rule: UpdateRule<R>): Fraction<R> {
  const F = new FractionField(rule.ring);
  const sumB = rule.weights.reduce((acc, b) => F.add(acc, b), F.zero);
  return F.div(sumB, F.mul(characteristicSlope(rule), F.fromInteger(rule.stepsPerUpdate ?? 1)));
}

/**
 * Checks the shape of (3.1): affine combinations, explicit stages, a non-vanishing ρ'(1) and Σ b ≠ 0.
 * Throws a RangeError naming what is wrong.
 */
export function validateRecurrence<R>(rule: UpdateRule<R>): void {
  const F = new FractionField(rule.ring);
  const sum = (xs: readonly Fraction<R>[]) => xs.reduce((acc, x) => F.add(acc, x), F.zero);
  const where = `update rule "${rule.name}"`;
  if (rule.history.length === 0) throw new RangeError(`${where}: θ_{n+1} must depend on θ_n`);
  if (!F.equals(sum(rule.history), F.one)) {
    throw new RangeError(`${where}: the coefficients of θ_n, θ_{n−1}, … in θ_{n+1} must add up to 1, they add up to ${F.toString(sum(rule.history))}`);
  }
  if (rule.stages.length === 0 || rule.weights.length !== rule.stages.length) {
    throw new RangeError(`${where}: one weight per gradient evaluation is needed (${rule.weights.length} weights, ${rule.stages.length} stages)`);
  }
  rule.stages.forEach((stage, i) => {
    if (!F.equals(sum(stage.iterates), F.one)) {
      throw new RangeError(`${where}: gradient evaluation ${i + 1} is taken at a combination of iterates whose coefficients add up to ${F.toString(sum(stage.iterates))}, not 1`);
    }
    if (stage.gradients.length > i) throw new RangeError(`${where}: gradient evaluation ${i + 1} may only use earlier evaluations (explicit)`);
  });
  if (F.isZero(sum(rule.weights))) throw new RangeError(`${where}: the gradient weights add up to 0, so the rule does not descend`);
  validateBatches(rule, F);
  const steps = rule.stepsPerUpdate ?? 1;
  if (!Number.isSafeInteger(steps) || steps < 1) throw new RangeError(`${where}: steps per update must be a positive integer, got ${steps}`);
  if (F.isZero(characteristicSlope(rule))) {
    throw new RangeError(`${where}: 1 is a double root of the characteristic polynomial (ρ'(1) = 0), so no equation of motion exists`);
  }
}

/**
 * With batches, every stage names a batch in range, and each batch gets the same total weight
 * (else the leading term is not a multiple of g = (1/m) Σ g_k).
 */
function validateBatches<R>(rule: UpdateRule<R>, F: FractionField<R>): void {
  const where = `update rule "${rule.name}"`;
  const m = rule.batches?.count;
  if (m === undefined) {
    if (rule.stages.some((s) => s.batch !== undefined)) throw new RangeError(`${where}: a stage names a batch, but the rule has no batches`);
    return;
  }
  if (!Number.isSafeInteger(m) || m < 1) throw new RangeError(`${where}: the number of batches must be a positive integer, got ${m}`);
  const weight = Array.from({ length: m }, () => F.zero);
  rule.stages.forEach((s, i) => {
    if (s.batch === undefined || !Number.isInteger(s.batch) || s.batch < 0 || s.batch >= m) {
      throw new RangeError(`${where}: gradient evaluation ${i + 1} must name a batch 0..${m - 1}`);
    }
    weight[s.batch] = F.add(weight[s.batch]!, rule.weights[i]!);
  });
  if (weight.some((w) => !F.equals(w, weight[0]!))) throw new RangeError(`${where}: every batch must get the same total weight`);
}
