/**
 * Concrete counter terms: ξ_k(θ) = Σ_τ c(τ) F(τ)(θ) for a loss, from the engine's tree series.
 *
 * F(•) = g, F([τ]) = H F(τ) = Σ_j ∂_j g · F(τ)_j, and for m ≥ 2 children
 * F([τ1..τm]) = D^m g[F(τ1), …, F(τm)], contracted directionally: the m-fold directional
 * derivative D^m g[u1..um] = ∂_{u_m} ⋯ ∂_{u_1} g is built once per m with placeholder directions
 * u_s (atoms constant in θ), then the placeholders are replaced by the children's vectors. No
 * n^m tensor is ever formed, and each tree's F(τ) is built once and shared.
 *
 * @example
 *   const xi = concreteCounterTerms(Loss.parse('x^4/4'), solveCounterTerms(0));
 *   // xi[0][0] = 1/2 · 3x² · x³ = 3/2 x⁵
 */
import { isRationalField, type Rational } from '../series/fraction.js';
import { coefficientPoly } from '../algebra/coefficientPoly.js';
import type { TreeSeries } from '../series/treeSeries.js';
import type { RootedTree } from '../trees/store.js';
import { Monomial, Poly } from '../algebra/poly.js';
import type { Loss } from './loss.js';

/** The loss a node of `colour` reads: batches[colour] (SGD's L_k; plain trees, colour 0, read batches[0]). */
export function batchLossOf(batches: readonly Loss[], colour: number): Loss {
  const loss = batches[colour];
  if (!loss) throw new RangeError(`no batch loss for colour ${colour} (${batches.length} given)`);
  return loss;
}

export class ElementaryDifferentials {
  private readonly cache = new Map<number, Poly[]>();
  /** placeholder[colour][m][i] = D^m g_i[u_1, …, u_m] of that colour's loss. */
  private readonly placeholder: Poly[][][] = [];
  private readonly dirIds = new Map<number, { slot: number; index: number }>();

  /**
   * `batches` are the losses L_k that coloured trees read, one per colour (SGD: a node of colour
   * k is a derivative of L_k); plain trees (colour 0) read `loss` itself. Every batch loss has the
   * parameters of `loss`, in the same atom table. `budget`: the most term pairs the expansions may
   * multiply out in all (default unbounded); beyond it they stop with an ExpansionBudgetExceeded,
   * before the expensive product.
   */
  constructor(
    readonly loss: Loss,
    readonly batches: readonly Loss[] = [loss],
    private budget = Infinity,
  ) {}

  private spend(pairs: number): void {
    this.budget -= pairs;
    if (this.budget < 0) throw new ExpansionBudgetExceeded('the expanded closed forms exceed the expansion budget');
  }

  /** F(τ) as one normal form per parameter. */
  of(tree: RootedTree, store: { get(id: number): RootedTree }): Poly[] {
    const hit = this.cache.get(tree.id);
    if (hit) return hit;
    const g = batchLossOf(this.batches, tree.colour).gradient();
    const kids = tree.children.map((c) => this.of(store.get(c), store));
    let out: Poly[];
    if (kids.length === 0) out = g;
    else if (kids.length === 1) out = this.hessianTimes(kids[0]!, tree.colour);
    else {
      // Products of children's entries are shared across components, and across equal children
      // (the factors are keyed by (child tree, index) and sorted, so v_j·w_k and w_k·v_j coincide).
      out = this.contract(kids, tree.children.map(String), tree.colour);
    }
    this.cache.set(tree.id, out);
    return out;
  }

  /**
   * H·v = Σ_j ∂_j g · v_j for a vector of normal forms (held fixed: v is not differentiated), with
   * the Hessian of the batch loss of `colour`.
   *
   * @example
   *   new ElementaryDifferentials(Loss.parse('x^2*y')).hessianTimes([Poly.one, Poly.zero]) // [2y, 2x]
   */
  hessianTimes(v: readonly Poly[], colour = 0): Poly[] {
    const loss = batchLossOf(this.batches, colour);
    const h = loss.gradient().map((gi) => loss.varIds.map((vj) => loss.diff.partial(gi, vj)));
    if (this.budget !== Infinity) this.spend(h.reduce((s, row) => s + row.reduce((t, hij, j) => t + hij.size * v[j]!.size, 0), 0));
    return h.map((row) => Poly.sum(row.map((hij, j) => hij.mul(v[j]!))));
  }

  /**
   * D^m g[v_1, …, v_m] for m ≥ 2 vectors of normal forms: the placeholder contraction with u_s
   * replaced by v_s. `keys` name the vectors so that equal ones share their products (default:
   * their positions).
   */
  contract(vectors: readonly Poly[][], keys: readonly string[] = vectors.map((_, s) => `#${s}`), colour = 0): Poly[] {
    const products = new Map<string, Poly>();
    return this.contraction(vectors.length, colour).map((t) => this.substitute(t, vectors, keys, products));
  }

  /**
   * D^m g_i[u_1, …, u_m] for each component i, with placeholder directions u_s (dir atoms with
   * slot s and index j): the contraction every tree with m root children uses.
   */
  contraction(m: number, colour = 0): Poly[] {
    const loss = batchLossOf(this.batches, colour);
    const cached = (this.placeholder[colour] ??= []);
    if (cached[m]) return cached[m]!;
    const prev = m === 1 ? loss.gradient() : this.contraction(m - 1, colour);
    const dirs = loss.varIds.map((_, j) => {
      const p = loss.table.direction(m, j);
      this.dirIds.set([...p.atomIds()][0]!, { slot: m, index: j });
      return p;
    });
    cached[m] = prev.map((t) => Poly.sum(loss.varIds.map((vj, j) => loss.diff.partial(t, vj).mul(dirs[j]!))));
    return cached[m]!;
  }

  /** Replace u_s (slot s = 1..m) by the vector vectors[s−1]. */
  private substitute(t: Poly, vectors: readonly Poly[][], keys: readonly string[], products: Map<string, Poly>): Poly {
    const parts: Poly[] = [];
    for (const term of t.terms()) {
      const rest: [number, number][] = [];
      const factors: { key: string; v: Poly }[] = [];
      term.mono.atoms.forEach((a, i) => {
        const d = this.dirIds.get(a);
        if (!d) return void rest.push([a, term.mono.exps[i]!]);
        factors.push({ key: `${keys[d.slot - 1]}:${d.index}`, v: vectors[d.slot - 1]![d.index]! });
      });
      if (factors.length === 0) continue;
      factors.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
      const key = factors.map((f) => f.key).join('|');
      let product = products.get(key);
      if (!product) {
        product = factors.reduce((acc, f) => (this.spend(acc.size * f.v.size), acc.mul(f.v)), Poly.one);
        products.set(key, product);
      }
      this.spend(product.size);
      parts.push(product.mulMonomial(Monomial.fromPairs(rest), term.coef));
    }
    return Poly.sum(parts);
  }
}

/** Thrown when expanded closed forms would cost more than the budget they were given. */
export class ExpansionBudgetExceeded extends RangeError {
  override readonly name = 'ExpansionBudgetExceeded';
}

/**
 * ξ_k(θ) for each k: result[k][i] is the i-th component. `batches`: as for ElementaryDifferentials;
 * `budget`: the most term pairs the expansions may multiply out (ExpansionBudgetExceeded beyond
 * it; default unbounded).
 */
export function concreteCounterTerms<C = Rational>(loss: Loss, xi: readonly TreeSeries<C>[], onProgress?: (k: number) => void, batches?: readonly Loss[], budget = Infinity): Poly[][] {
  const F = new ElementaryDifferentials(loss, batches, budget);
  return xi.map((series, k) => {
    const out = concreteSeries(F, series);
    onProgress?.(k);
    return out;
  });
}

/**
 * Σ c(τ) F(τ) for one series, one normal form per parameter, with F's trees shared across calls.
 * Coefficients are rationals, or rational functions of symbolic hyperparameters (coefficientPoly.ts).
 */
export function concreteSeries<C = Rational>(F: ElementaryDifferentials, series: TreeSeries<C>): Poly[] {
  const parts: Poly[][] = F.loss.vars.map(() => []);
  const toPoly = isRationalField(series.field) ? undefined : coefficientPoly(F.loss.table, series.field);
  for (const { tree, coefficient } of series.terms()) {
    F.of(tree, series.store).forEach((c, i) => parts[i]!.push(toPoly ? c.mul(toPoly(coefficient)) : c.scale(coefficient as unknown as Rational)));
  }
  return parts.map((p) => Poly.sum(p));
}
