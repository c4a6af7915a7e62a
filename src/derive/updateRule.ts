/**
 * Update rules as data. A one-step optimiser θ₁ = Ψ_η(θ₀) built from the gradient g is, like a
 * Runge–Kutta method, a B-series in η:
 *
 *     θ₁ = θ₀ + Σ_τ η^{|τ|} a(τ) F(τ)(θ₀),     F(•) = g, F([τ1..τm]) = D^m g[F(τ1), …, F(τm)],
 *
 * and the solver needs nothing else from it than the coefficient a(τ) of each tree (no symmetry
 * factor folded in, the same convention as the counter terms). Gradient descent is a(•) = −1 and
 * a(τ) = 0 otherwise. Any explicit Runge–Kutta-like rule comes from its tableau.
 *
 * @example
 *   gradientDescent.stepCoefficient(treeOfLevelSequence([1])) // -1
 *   extragradient.stepCoefficient(treeOfLevelSequence([1, 2, 2])) // -1/2  (θ − η g(θ − η g(θ)))
 */
import { Rational, rational } from '../series/fraction.js';
import type { RootedTree } from '../trees/store.js';
import { defaultTreeStore, type TreeStore } from '../trees/store.js';

export interface UpdateRule<C = Rational> {
  /** Short identifier, e.g. "gd" (printed in JSON as "method"). */
  readonly name: string;
  /** One line for people, e.g. "gradient descent θ ← θ − η∇L(θ)". */
  readonly description: string;
  /** a(τ): coefficient of η^{|τ|} F(τ)(θ₀) in θ₁ − θ₀. Must be −1 for the single node •. */
  stepCoefficient(tree: RootedTree): C;
}

/** Gradient descent θ ← θ − η∇L(θ): the explicit Euler method on the gradient flow. */
export const gradientDescent: UpdateRule = {
  name: 'gd',
  description: 'gradient descent θ ← θ − η∇L(θ)',
  stepCoefficient: (tree) => (tree.order === 1 ? rational(-1) : Rational.zero),
};

/** An explicit Runge–Kutta tableau with exact rational entries (a strictly lower triangular). */
export interface ButcherTableau {
  readonly a: readonly (readonly Rational[])[];
  readonly b: readonly Rational[];
}

/**
 * The update rule of an explicit Runge–Kutta method with step η applied to the gradient flow
 * θ' = −g(θ). Its B-series is y₁ = y₀ + Σ η^{|τ|}/σ(τ) Φ(τ) F_f(τ) with elementary weights
 * Φ(τ) = Σ_i b_i Ψ_i(τ), Ψ_i([τ1..τm]) = Π_j Σ_k a_ik Ψ_k(τ_j) (Hairer, Lubich & Wanner, GNI
 * Thm III.1.4), and F_f(τ) = (−1)^{|τ|} F(τ) for f = −g; hence a(τ) = (−1)^{|τ|} Φ(τ)/σ(τ).
 *
 * @example
 *   const heun = explicitRungeKuttaRule('heun', 'Heun', {
 *     a: [[rational(0), rational(0)], [rational(1), rational(0)]], b: [rational(1, 2), rational(1, 2)] });
 */
export function explicitRungeKuttaRule(
  name: string,
  description: string,
  tableau: ButcherTableau,
  store: TreeStore = defaultTreeStore,
): UpdateRule {
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
  const stageWeights = new Map<number, Rational[]>(); // Ψ(τ) per stage
  const psi = (tree: RootedTree): Rational[] => {
    const hit = stageWeights.get(tree.id);
    if (hit) return hit;
    const out: Rational[] = [];
    for (let i = 0; i < s; i++) {
      let prod = Rational.one;
      for (const c of tree.children) {
        const child = psi(store.get(c));
        let sum = Rational.zero;
        for (let k = 0; k < s; k++) sum = Rational.add(sum, Rational.mul(tableau.a[i]![k]!, child[k]!));
        prod = Rational.mul(prod, sum);
      }
      out.push(prod);
    }
    stageWeights.set(tree.id, out);
    return out;
  };
  return {
    name,
    description,
    stepCoefficient(tree) {
      const w = psi(tree);
      let phi = Rational.zero;
      for (let i = 0; i < s; i++) phi = Rational.add(phi, Rational.mul(tableau.b[i]!, w[i]!));
      const sign = tree.order % 2 === 0 ? 1n : -1n;
      return Rational.mul(phi, rational(sign, tree.symmetry));
    },
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

/** The built-in rules by name (what `eom derive --method` accepts). */
export const updateRules: ReadonlyMap<string, UpdateRule> = new Map([
  [gradientDescent.name, gradientDescent],
  [extragradient.name, extragradient],
]);
