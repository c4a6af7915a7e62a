/**
 * Closed forms too large to expand, written as a straight-line program instead: the derivative
 * entries ∂_{i j1…jm} L (each one expanded normal form, named once), the entries of every tree's
 * F(τ) as short sums over those names, and ξ_k = Σ_τ c(τ) F(τ) over the tree names:
 *
 *   F(•)_i = g_i,   F([τ1..τm])_i = Σ_{j1..jm} ∂_{i j1…jm} L · F(τ1)_{j1} ⋯ F(τm)_{jm}.
 *
 * With batch losses (SGD's coloured trees, §3.4 of docs/design.md), a node of colour c reads the
 * derivatives of L_c instead of L, as in concrete.ts: the entries are named per batch.
 *
 * Each name is a *reference*: an atom constant in θ (a `dir` atom with slot ≤ 0, never
 * differentiated or compiled) whose definition is a normal form in the loss's atoms and earlier
 * references. PolyPrinter names references like any other shared subexpression (`where`), and
 * writes their definitions out in the inline forms. Substituting the definitions back gives the
 * expanded closed form exactly; the program's size grows with the number of distinct derivative
 * entries and trees, not with the expanded monomials (which multiply at every order).
 *
 * @example
 *   const shared = sharedCounterTerms(Loss.parse('x^4*y'), solveCounterTerms(1));
 *   shared.xi[0][0]      // 1/2·r_k (r_k: the reference to (H g)_x)
 *   shared.refs.get(id)  // its definition, in the references of H and g
 */
import { isRationalField, Rational, rational } from '../series/fraction.js';
import type { TreeSeries } from '../series/treeSeries.js';
import type { RootedTree } from '../trees/store.js';
import { coefficientPoly } from '../algebra/coefficientPoly.js';
import type { Loss } from './loss.js';
import { batchLossOf } from './concrete.js';
import { Poly } from '../algebra/poly.js';

export interface SharedCounterTerms {
  /** xi[k][i]: component i of ξ_k, in references. */
  readonly xi: Poly[][];
  /** Reference atom id → its definition (in the loss's atoms and earlier references). */
  readonly refs: ReadonlyMap<number, Poly>;
}

/**
 * ξ_0 … ξ_K of `loss` as a straight-line program over named derivative entries and tree vectors.
 * `batches`: the losses coloured trees read, one per colour (as for ElementaryDifferentials).
 */
export function sharedCounterTerms<C>(loss: Loss, xi: readonly TreeSeries<C>[], batches: readonly Loss[] = [loss]): SharedCounterTerms {
  const program = new SharedProgram(loss, batches);
  const out = xi.map((series) => {
    const parts: Poly[][] = loss.vars.map(() => []);
    const toPoly = isRationalField(series.field) ? undefined : coefficientPoly(loss.table, series.field);
    for (const { tree, coefficient } of series.terms()) {
      program.vector(tree, series.store).forEach((c, i) => parts[i]!.push(toPoly ? c.mul(toPoly(coefficient)) : c.scale(coefficient as unknown as Rational)));
    }
    return parts.map((p) => Poly.sum(p));
  });
  return { xi: out, refs: program.refs };
}

class SharedProgram {
  readonly refs = new Map<number, Poly>();
  private slot = 0;
  /** Derivative entries by colour and sorted index tuple: expanded, and as written (a reference or a constant). */
  private readonly entries = new Map<string, { full: Poly; written: Poly }>();
  private readonly vectors = new Map<number, Poly[]>();

  constructor(
    private readonly loss: Loss,
    private readonly batches: readonly Loss[],
  ) {}


  /** A reference to `def` (or `def` itself when it is a constant or already one reference). */
  private name(def: Poly): Poly {
    if (def.constantValue() !== undefined) return def;
    const t = def.singleTerm();
    if (t && t.mono.atoms.length === 1 && t.mono.exps[0] === 1 && this.refs.has(t.mono.atoms[0]!)) return def;
    const ref = this.loss.table.direction(--this.slot, 0);
    this.refs.set([...ref.atomIds()][0]!, def);
    return ref;
  }

  /** ∂_{t_0} ⋯ ∂_{t_m} L_colour for a sorted tuple of parameter positions. */
  private entry(colour: number, tuple: readonly number[]): { full: Poly; written: Poly } {
    const key = `${colour}:${tuple.join(',')}`;
    const hit = this.entries.get(key);
    if (hit) return hit;
    const loss = batchLossOf(this.batches, colour);
    const full = tuple.length === 1 ? loss.gradient()[tuple[0]!]! : loss.diff.partial(this.entry(colour, tuple.slice(0, -1)).full, loss.varIds[tuple[tuple.length - 1]!]!);
    const e = { full, written: this.name(full) };
    this.entries.set(key, e);
    return e;
  }

  /** F(τ), one reference (or constant) per parameter. */
  vector(tree: RootedTree, store: { get(id: number): RootedTree }): Poly[] {
    const hit = this.vectors.get(tree.id);
    if (hit) return hit;
    const n = this.loss.vars.length;
    const colour = tree.colour;
    let out: Poly[];
    if (tree.children.length === 0) out = Array.from({ length: n }, (_, i) => this.entry(colour, [i]).written);
    else {
      // Equal children contribute symmetric products: sum over multisets of indices with multinomial weights.
      const groups = new Map<number, number>();
      for (const c of tree.children) groups.set(c, (groups.get(c) ?? 0) + 1);
      const factors = [...groups].map(([id, r]) => ({ v: this.vector(store.get(id), store), choices: multisets(n, r) }));
      out = Array.from({ length: n }, (_, i) => {
        const parts: Poly[] = [];
        const walk = (g: number, indices: number[], product: Poly, weight: Rational) => {
          if (g === factors.length) {
            const d = this.entry(colour, [i, ...indices].sort((a, b) => a - b)).written;
            parts.push(d.mul(product).scale(weight));
            return;
          }
          const { v, choices } = factors[g]!;
          for (const { indices: js, weight: w } of choices) {
            const p = js.reduce((acc, j) => acc.mul(v[j]!), product);
            if (!p.isZero()) walk(g + 1, [...indices, ...js], p, Rational.mul(weight, w));
          }
        };
        walk(0, [], Poly.one, Rational.one);
        return this.name(Poly.sum(parts));
      });
    }
    this.vectors.set(tree.id, out);
    return out;
  }
}

/** Multisets of size r from {0..n−1}, each with its multinomial count r!/Π c_j!. */
function multisets(n: number, r: number): { indices: number[]; weight: Rational }[] {
  const out: { indices: number[]; weight: Rational }[] = [];
  const fact = (k: number): bigint => (k <= 1 ? 1n : BigInt(k) * fact(k - 1));
  const rec = (start: number, acc: number[]) => {
    if (acc.length === r) {
      const counts = new Map<number, number>();
      for (const j of acc) counts.set(j, (counts.get(j) ?? 0) + 1);
      let den = 1n;
      for (const c of counts.values()) den *= fact(c);
      out.push({ indices: [...acc], weight: rational(fact(r), den) });
      return;
    }
    for (let j = start; j < n; j++) rec(j, [...acc, j]);
  };
  rec(0, []);
  return out;
}
