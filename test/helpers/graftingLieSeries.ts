/**
 * A second, deliberately naive algorithm for the counter terms of an explicit Runge–Kutta update
 * rule, sharing no code with src: its own trees (nested arrays with a canonical string key), its
 * own tree enumeration, grafting, symmetry factors, elementary weights and rationals
 * (test/helpers/polynomial.ts). Input: a Butcher tableau {a, b} of rationals. Output: the expected
 * ξ_k as maps from a canonical level sequence ("1,2,2") to a plain coefficient (Σ c(τ) F(τ), no
 * symmetry factors folded in), to compare with `solveCounterTerms(K, explicitRungeKuttaRule(…))`.
 *
 * 1. The one-step B-series of the method applied to θ' = f(θ) = −g(θ) (Hairer, Lubich & Wanner,
 *    Geometric Numerical Integration, Thm III.1.4):
 *      θ₁ = θ₀ + Σ_τ η^{|τ|}/σ(τ) Φ(τ) F_f(τ)(θ₀),   Φ(τ) = Σ_i b_i Ψ_i(τ),
 *      Ψ_i(•) = 1,  Ψ_i([τ1..τm]) = Π_j Σ_k a_ik Ψ_k(τ_j)  (elementary weights),
 *    and F_f(τ) = (−1)^{|τ|} F(τ) for f = −g, so the plain step coefficient is
 *      a(τ) = (−1)^{|τ|} Φ(τ)/σ(τ),  σ(τ) = Π over groups of m equal subtrees of m!·σ(subtree)^m.
 * 2. The flow of the EoM field F = −g − Σ_k η^{k+1} ξ_k for time η (Lie series, grafting):
 *      θ(η) − θ₀ = Σ_{m≥1} η^m/m! D_F^{m−1} F,   D_{F(σ)} F(τ) = Σ_{v∈τ} F(τ ∘_v σ)
 *    (σ attached as a new child of node v), matched to the step order by order: on trees with N
 *    nodes, F_N = a_N − (the m ≥ 2 terms), and ξ_{N−2} = −F_N.
 */
import { Q0, Q1, q, qadd, qdiv, qIsZero, qmul, qneg, qsub, qToString, type Q } from './polynomial.js';

/** An explicit Runge–Kutta tableau (a strictly lower triangular), rationals as [numerator, denominator]. */
export interface Tableau {
  readonly a: readonly (readonly Q[])[];
  readonly b: readonly Q[];
}

/** A rooted tree: the list of its root's subtrees, kept sorted by key (canonical). */
interface Tree {
  readonly children: readonly Tree[];
  readonly key: string;
  readonly order: number;
}

function tree(children: readonly Tree[]): Tree {
  const sorted = [...children].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return { children: sorted, key: `(${sorted.map((c) => c.key).join('')})`, order: 1 + sorted.reduce((n, c) => n + c.order, 0) };
}

const LEAF = tree([]);

/** The level sequence of the canonical drawing (root at level 1, subtrees in key order). */
export function levelSequenceOf(t: Tree, level = 1): number[] {
  return [level, ...t.children.flatMap((c) => levelSequenceOf(c, level + 1))];
}

/** The tree drawn by a level sequence (any drawing), for looking src's trees up here. */
export function treeOfLevels(seq: readonly number[]): Tree {
  const build = (start: number): [Tree, number] => {
    const level = seq[start]!;
    const kids: Tree[] = [];
    let i = start + 1;
    while (i < seq.length && seq[i]! > level) {
      const [kid, next] = build(i);
      kids.push(kid);
      i = next;
    }
    return [tree(kids), i];
  };
  return build(0)[0];
}

/** τ with σ attached as a new child of each node in turn: one tree per node (repeats kept). */
function graftAtEveryNode(tau: Tree, sigma: Tree): Tree[] {
  const out: Tree[] = [tree([...tau.children, sigma])];
  tau.children.forEach((c, i) => {
    for (const grafted of graftAtEveryNode(c, sigma)) out.push(tree(tau.children.map((d, j) => (j === i ? grafted : d))));
  });
  return out;
}

/** Every rooted tree with n nodes: each tree of n − 1 nodes with a leaf added at each node, deduplicated. */
function treesOfOrder(n: number, memo = new Map<number, Tree[]>()): Tree[] {
  if (n === 1) return [LEAF];
  const hit = memo.get(n);
  if (hit) return hit;
  const seen = new Map<string, Tree>();
  for (const t of treesOfOrder(n - 1, memo)) for (const g of graftAtEveryNode(t, LEAF)) seen.set(g.key, g);
  const out = [...seen.values()];
  memo.set(n, out);
  return out;
}

function factorial(m: number): bigint {
  let f = 1n;
  for (let i = 2n; i <= BigInt(m); i++) f *= i;
  return f;
}

/** σ(τ): the order of τ's automorphism group. */
function symmetry(t: Tree): bigint {
  const groups = new Map<string, { count: number; sub: Tree }>();
  for (const c of t.children) {
    const g = groups.get(c.key);
    if (g) g.count++;
    else groups.set(c.key, { count: 1, sub: c });
  }
  let s = 1n;
  for (const { count, sub } of groups.values()) s *= factorial(count) * symmetry(sub) ** BigInt(count);
  return s;
}

/** Ψ_i(τ) for every stage i. */
function stageWeights(t: Tree, tab: Tableau): Q[] {
  const s = tab.b.length;
  const kids = t.children.map((c) => stageWeights(c, tab));
  return Array.from({ length: s }, (_, i) =>
    kids.reduce((prod, psi) => qmul(prod, psi.reduce((sum, p, k) => qadd(sum, qmul(tab.a[i]![k]!, p)), Q0)), Q1),
  );
}

/** a(τ) = (−1)^{|τ|} Φ(τ)/σ(τ): the plain coefficient of η^{|τ|} F(τ) in θ₁ − θ₀. */
export function stepCoefficient(t: Tree, tab: Tableau): Q {
  const psi = stageWeights(t, tab);
  const phi = tab.b.reduce((sum, b, i) => qadd(sum, qmul(b, psi[i]!)), Q0);
  return qdiv(t.order % 2 === 0 ? phi : qneg(phi), q(symmetry(t)));
}

type Series = Map<string, { tree: Tree; c: Q }>;

function addTo(v: Series, t: Tree, c: Q): void {
  const prev = v.get(t.key);
  const sum = qadd(prev?.c ?? Q0, c);
  if (qIsZero(sum)) v.delete(t.key);
  else v.set(t.key, { tree: t, c: sum });
}

/** D_B A for series A, B, keeping trees with at most maxNodes nodes. */
function lieDerivative(a: Series, b: Series, maxNodes: number): Series {
  const out: Series = new Map();
  for (const { tree: ta, c: ca } of a.values()) {
    for (const { tree: tb, c: cb } of b.values()) {
      if (ta.order + tb.order > maxNodes) continue;
      for (const g of graftAtEveryNode(ta, tb)) addTo(out, g, qmul(ca, cb));
    }
  }
  return out;
}

/** The number of rooted trees with n nodes (to check the enumeration against OEIS A000081). */
export function rootedTreeCount(n: number): number {
  return treesOfOrder(n).length;
}

/** ξ_0 … ξ_K of the method with tableau `tab`: canonical level sequence "1,2,…" → plain coefficient. */
export function counterTermsByGrafting(K: number, tab: Tableau): Map<string, Q>[] {
  const field: Series = new Map([[LEAF.key, { tree: LEAF, c: q(-1) }]]);
  const xi: Map<string, Q>[] = [];
  for (let N = 2; N <= K + 2; N++) {
    const target: Series = new Map();
    let power: Series = field; // D_F^{m−1} F
    for (let m = 2; m <= N; m++) {
      power = lieDerivative(power, field, N);
      for (const { tree: t, c } of power.values()) if (t.order === N) addTo(target, t, qdiv(c, q(factorial(m))));
    }
    const x = new Map<string, Q>();
    for (const t of treesOfOrder(N)) {
      const fN = qsub(stepCoefficient(t, tab), target.get(t.key)?.c ?? Q0);
      if (!qIsZero(fN)) {
        x.set(levelSequenceOf(t).join(','), qneg(fN));
        field.set(t.key, { tree: t, c: fN });
      }
    }
    xi.push(x);
  }
  return xi;
}

/** A coefficient as "n/d" (or "n"), for messages and comparisons with src's Rational.toString. */
export const coefficientText = qToString;
