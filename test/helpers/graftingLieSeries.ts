/**
 * A second, deliberately naive algorithm for the counter terms, sharing no code with
 * src/derive: the Lie series of the EoM field is built in the *plain* normalisation
 * (Σ c(τ) F(τ), no symmetry factors) by grafting, D_{F(σ)} F(τ) = Σ_{v∈τ} F(τ ∘_v σ), with
 * reduced rationals at every step. It checks the solver's edge-cut dual, its hat normalisation and
 * its common-denominator arithmetic at once.
 *
 *   θ(η) − θ₀ = Σ_{m≥1} η^m/m! D_F^{m−1} F = Σ_τ η^{|τ|} a(τ) F(τ)   (a: the update rule),
 *   F = −g − Σ_k η^{k+1} ξ_k.
 */
import { Rational, defaultTreeStore, graftEverywhere, type RootedTree, type UpdateRule } from '../../src/index.js';

/**
 * a(τ) of a one-step rule (history (1)) from its stages, by the elementary weights of
 * Hairer, Lubich & Wanner, GNI Thm III.1.4: Ψ_i(τ) = Π_children Σ_l (−d_il) Ψ_l(child) on the field
 * −g, and a(τ) = −Σ_i b_i Ψ_i(τ)/σ(τ) (plain normalisation, elementary differentials of g).
 */
function stepCoefficient(rule: UpdateRule, tree: RootedTree): Rational {
  if (rule.history.length !== 1) throw new RangeError('one-step rules only');
  const psi = (t: RootedTree): Rational[] =>
    rule.stages.map((stage) =>
      t.children.reduce((prod, c) => {
        const child = psi(defaultTreeStore.get(c));
        const sum = stage.gradients.reduce((acc, d, l) => Rational.sub(acc, Rational.mul(d, child[l]!)), Rational.zero);
        return Rational.mul(prod, sum);
      }, Rational.one),
    );
  const w = psi(tree);
  const phi = rule.weights.reduce((acc, b, i) => Rational.add(acc, Rational.mul(b, w[i]!)), Rational.zero);
  return Rational.neg(Rational.div(phi, Rational.fromInteger(tree.symmetry)));
}

type Vec = Map<number, Rational>; // tree id → plain coefficient

function addTo(v: Vec, id: number, c: Rational) {
  const s = Rational.add(v.get(id) ?? Rational.zero, c);
  if (Rational.isZero(s)) v.delete(id);
  else v.set(id, s);
}

/** D_B A for series A, B (plain coefficients), keeping trees with at most maxNodes nodes. */
function lieDerivative(a: Vec, b: Vec, maxNodes: number): Vec {
  const out: Vec = new Map();
  for (const [ta, ca] of a) {
    const tauA = defaultTreeStore.get(ta);
    for (const [tb, cb] of b) {
      const sigma = defaultTreeStore.get(tb);
      if (tauA.order + sigma.order > maxNodes) continue;
      for (const [rho, mult] of graftEverywhere(sigma, tauA)) addTo(out, rho, Rational.mul(Rational.mul(ca, cb), Rational.fromInteger(mult)));
    }
  }
  return out;
}

/** ξ_0 … ξ_K as maps tree id → plain coefficient. */
export function counterTermsByGrafting(K: number, rule: UpdateRule): Vec[] {
  const field: Vec = new Map([[defaultTreeStore.leaf.id, Rational.fromInteger(-1)]]);
  const xi: Vec[] = [];
  for (let N = 2; N <= K + 2; N++) {
    // Coefficient of η^N on trees with N nodes from m ≥ 2 terms; the m = 1 term is F itself.
    const target: Vec = new Map();
    let power: Vec = field; // D_F^{m-1} F
    let factorial = Rational.one;
    for (let m = 2; m <= N; m++) {
      power = lieDerivative(power, field, N);
      factorial = Rational.mul(factorial, Rational.fromInteger(m));
      for (const [id, c] of power) if (defaultTreeStore.get(id).order === N) addTo(target, id, Rational.div(c, factorial));
    }
    // F_N = a_N − (higher Lie terms), and ξ_{N−2} = −F_N.
    const x: Vec = new Map();
    for (const t of defaultTreeStore.ofOrder(N)) {
      const fN = Rational.sub(stepCoefficient(rule, t), target.get(t.id) ?? Rational.zero);
      if (!Rational.isZero(fN)) {
        x.set(t.id, Rational.neg(fN));
        field.set(t.id, fN);
      }
    }
    xi.push(x);
  }
  return xi;
}
