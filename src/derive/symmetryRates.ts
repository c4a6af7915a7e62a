/**
 * What a layer symmetry makes of the truncated EoM with weight decay, exactly, for any update rule.
 *
 * EoM_K with weight decay λ: dθ/dt = −g_λ − Σ_{k≤K} η^{k+1} ξ_k[g_λ], g_λ = g + λθ, where the
 * elementary differentials of ξ_k are built from g_λ: D g_λ = H + λI and D^m g_λ = D^m g (m ≥ 2).
 * So each node of a tree τ is, term by term: a leaf → g or λθ; a node with one child → H or λI; a
 * node with m ≥ 2 children → D^m g. Expanding F_λ(τ) is a sum over "λ-markings" of the nodes with
 * at most one child.
 *
 * Scale invariance (L(aθ) = L(θ) for all a > 0, all parameters): differentiating Euler's
 * θ·∇L = 0 m times gives ∇^{m+1}L[θ, v1..vm] = −m ∇^m L[v1..vm] (m = 0: θ·g = 0; m = 1: Hθ = −g).
 * d‖θ‖²/dt = 2θ·dθ/dt. Contracting θ into the root of a marked tree gives a tensor network: a free
 * tree whose vertices are θ's (degree 1) and tensors ∇^{deg v}L (λI nodes are contracted away).
 * Each θ hanging from a tensor of degree d is removed, turning it into −(d−1) ∇^{d−1}L; two θ's
 * joined give ‖θ‖². What is left is λ^a ‖θ‖² or λ^a times a scalar invariant (a free tree of ∇L
 * tensors, see freeTrees.ts). Only the fully marked chain gives ‖θ‖².
 *
 * Translation invariance over a group A (L(θ + a·1_A) = L(θ)): 1_A·∇^{m+1}L[…] = 0, so 1_A·F_λ(τ)
 * is λ^n (1_A·θ) for the chain (tall) tree with n nodes and 0 otherwise:
 * d(1_A·θ)/dt = −(λ + Σ_k c_k λ^{k+2} η^{k+1}) (1_A·θ), c_k the chain coefficient of ξ_k.
 *
 * @example
 *   const rate = scaleNormRate(solveCounterTerms(0), 0);
 *   // terms: −2 λ‖θ‖², −1 ηλ²‖θ‖², +1 η‖g‖²  i.e. d‖θ‖²/dt = −(2λ + ηλ²)‖θ‖² + η‖g‖² (docs/design.md (2.22))
 */
import { Rational } from '../series/fraction.js';
import type { Field } from '../series/field.js';
import type { TreeSeries } from '../series/treeSeries.js';
import { defaultTreeStore, type RootedTree, type TreeStore } from '../trees/store.js';
import { canonicalFreeTree, type FreeTreeInvariant } from './freeTrees.js';

/** One term coefficient · η^etaPower · λ^lambdaPower · factor of a closed form. */
export interface SymmetryRateTerm<C = Rational> {
  readonly etaPower: number;
  readonly lambdaPower: number;
  readonly coefficient: C;
  /** ‖θ‖², or a scalar invariant of L (⟨F(left), F(right)⟩). */
  readonly factor: 'normSquared' | FreeTreeInvariant;
}

/** The closed form of d‖θ‖²/dt for EoM_K; invariants refer to trees of `store`. */
export interface ScaleNormRate<C = Rational> {
  /** K of EoM_K (−1: gradient flow). */
  readonly order: number;
  /** Merged terms, sorted by η power, then ‖θ‖² before invariants, then λ power, then invariant size and key. */
  readonly terms: readonly SymmetryRateTerm<C>[];
  readonly field: Field<C>;
  readonly store: TreeStore;
}

/** A term of the translation rate: coefficient · η^etaPower · λ^lambdaPower. */
export interface RateTerm<C = Rational> {
  readonly etaPower: number;
  readonly lambdaPower: number;
  readonly coefficient: C;
}

/** θ·(one λ-marking of F_λ(τ)) = multiplier · λ^lambdaPower · factor. */
export interface ThetaContraction {
  readonly lambdaPower: number;
  readonly multiplier: number;
  readonly factor: 'normSquared' | FreeTreeInvariant;
}

/**
 * The exact d‖θ‖²/dt of EoM_K with weight decay λ for a scale-invariant loss (all parameters),
 * from the counter terms ξ_0..ξ_K of any update rule (coefficients in any field, from the series).
 * Cost: every λ-marking of every tree is contracted, 2^(nodes with ≤ 1 child) per tree; K = 8
 * takes about 2 s here, and each further order about four times as long.
 *
 * @example
 *   scaleNormRate(solveCounterTerms(1), 1).terms.map((t) => [t.etaPower, t.lambdaPower, t.coefficient.toString()])
 *   // η² terms: −2/3 λ³‖θ‖², +1 ⟨g, H g⟩  (GD: θ·ξ_1 = −½⟨g, Hg⟩ + ⅓λ³‖θ‖²)
 */
export function scaleNormRate<C = Rational>(
  xi: readonly TreeSeries<C>[],
  K: number,
  store: TreeStore = xi[0]?.store ?? defaultTreeStore,
): ScaleNormRate<C> {
  checkOrder(xi, K);
  const field = (xi[0]?.field ?? Rational) as Field<C>;
  const merged = new Map<string, { etaPower: number; lambdaPower: number; coefficient: C; factor: SymmetryRateTerm<C>['factor'] }>();
  const add = (etaPower: number, lambdaPower: number, c: C, factor: SymmetryRateTerm<C>['factor']) => {
    const key = `${etaPower}/${lambdaPower}/${factor === 'normSquared' ? 'θ' : factor.key}`;
    const hit = merged.get(key);
    if (hit) hit.coefficient = field.add(hit.coefficient, c);
    else merged.set(key, { etaPower, lambdaPower, coefficient: c, factor });
  };
  // −2θ·g_λ = −2λ‖θ‖² (θ·g = 0).
  add(0, 1, field.fromInteger(-2), 'normSquared');
  const cache = new Map<number, ThetaContraction[]>();
  for (let k = 0; k <= K; k++) {
    const series = xi[k]!;
    for (const { tree, coefficient } of series.terms()) {
      let parts = cache.get(tree.id);
      if (!parts) {
        parts = thetaContractions(tree, series.store, store);
        cache.set(tree.id, parts);
      }
      const scaled = field.mul(field.fromInteger(-2), coefficient); // −2 η^{k+1} θ·ξ_k
      for (const p of parts) add(k + 1, p.lambdaPower, field.mul(scaled, field.fromInteger(p.multiplier)), p.factor);
    }
  }
  const terms = [...merged.values()].filter((t) => !field.isZero(t.coefficient)).sort(compareTerms);
  return { order: K, terms, field, store };
}

/**
 * Coefficients of the translation rate r(η, λ) with d(1_A·θ)/dt = r (1_A·θ) for EoM_K:
 * r = −λ − Σ_{k≤K} c_k λ^{k+2} η^{k+1}, c_k the coefficient of the chain tree in ξ_k. One term per
 * power of η (0..K+1), zeros included.
 *
 * @example
 *   translationRate(solveCounterTerms(1), 1).map((t) => t.coefficient.toString()) // ["-1", "-1/2", "-1/3"]
 */
export function translationRate<C = Rational>(xi: readonly TreeSeries<C>[], K: number): RateTerm<C>[] {
  checkOrder(xi, K);
  const field = (xi[0]?.field ?? Rational) as Field<C>;
  const out: RateTerm<C>[] = [{ etaPower: 0, lambdaPower: 1, coefficient: field.fromInteger(-1) }];
  for (let k = 0; k <= K; k++) {
    const series = xi[k]!;
    const chain = series.store.ofOrder(k + 2)[0]!; // the tall tree comes first in canonical order
    out.push({ etaPower: k + 1, lambdaPower: k + 2, coefficient: field.neg(series.coefficient(chain)) });
  }
  return out;
}

/**
 * Gradient descent's exact translation rate log(1 − ηλ)/η = −Σ_{j≥1} λ^j η^{j−1}/j, to η^{K+1}
 * (GD gives 1·θ_k = (1 − ηλ)^k 1·θ_0, docs/design.md (2.23)), for comparison with `translationRate`.
 *
 * @example
 *   gradientDescentTranslationRate(1).map((t) => t.coefficient.toString()) // ["-1", "-1/2", "-1/3"]
 */
export function gradientDescentTranslationRate(K: number): RateTerm<Rational>[] {
  if (!Number.isInteger(K) || K < -1) throw new RangeError(`order K must be an integer ≥ −1, got ${K}`);
  return Array.from({ length: K + 2 }, (_, j) => ({
    etaPower: j,
    lambdaPower: j + 1,
    coefficient: Rational.make(-1n, BigInt(j + 1)),
  }));
}

/**
 * θ·F_λ(τ) for a scale-invariant L, as a list of λ^a · integer · (‖θ‖² or invariant) — one entry
 * per λ-marking that survives, unmerged. `treeStore` holds τ; invariants are named in `store`.
 *
 * @example
 *   thetaContractions(treeOfLevelSequence([1, 2]), defaultTreeStore)
 *   // θ·(H + λI)(g + λθ) = −‖g‖² + λ²‖θ‖²:
 *   // [{ lambdaPower: 0, multiplier: -1, factor: ‖g‖² }, { lambdaPower: 2, multiplier: 1, factor: 'normSquared' }]
 */
export function thetaContractions(tree: RootedTree, treeStore: TreeStore, store: TreeStore = treeStore): ThetaContraction[] {
  // Nodes of τ in preorder; markable ones have at most one child.
  const children: number[][] = [];
  const walk = (id: number): number => {
    const i = children.length;
    children.push([]);
    for (const c of treeStore.get(id).children) children[i]!.push(walk(c));
    return i;
  };
  walk(tree.id);
  const markable = children.map((c, i) => (c.length <= 1 ? i : -1)).filter((i) => i >= 0);
  const out: ThetaContraction[] = [];
  for (let mask = 0; mask < 1 << markable.length; mask++) {
    const marked = new Set(markable.filter((_, b) => (mask >> b) & 1));
    const r = contractMarked(children, marked, store);
    if (r) out.push(r);
  }
  return out;
}

/** Build the tensor network of one marking, contract θ into its root and eliminate every θ. */
function contractMarked(children: readonly number[][], marked: ReadonlySet<number>, store: TreeStore): ThetaContraction | undefined {
  const isTheta: boolean[] = [];
  const adj: number[][] = [];
  const vertex = (theta: boolean) => {
    isTheta.push(theta);
    adj.push([]);
    return adj.length - 1;
  };
  const link = (a: number, b: number) => {
    adj[a]!.push(b);
    adj[b]!.push(a);
  };
  /** The vertex that carries node i's output slot. */
  const build = (i: number): number => {
    const kids = children[i]!;
    if (marked.has(i)) return kids.length === 0 ? vertex(true) : build(kids[0]!); // λθ, or λI passes through
    const v = vertex(false); // ∇^{m+1}L with m children and one output slot
    for (const c of kids) link(v, build(c));
    return v;
  };
  link(vertex(true), build(0)); // θ· at the root
  const thetas = isTheta.map((t, i) => (t ? i : -1)).filter((i) => i >= 0);
  if (thetas.length === 2 && adj.length === 2) return { lambdaPower: marked.size, multiplier: 1, factor: 'normSquared' };
  const alive = new Array<boolean>(adj.length).fill(true);
  const degree = adj.map((n) => n.length);
  let multiplier = 1;
  for (const t of thetas) {
    const v = adj[t]![0]!; // θ is a leaf; its neighbour is a tensor (θ–θ was handled above)
    multiplier *= -(degree[v]! - 1); // ∇^d L[θ, …] = −(d−1) ∇^{d−1}L[…]
    if (multiplier === 0) return undefined;
    degree[v]!--;
    alive[t] = false;
  }
  // The remaining tensors form a free tree (at least 2 vertices, else a factor 0 occurred).
  const index = new Map<number, number>();
  adj.forEach((_, v) => alive[v] && index.set(v, index.size));
  const adjacency = [...index.keys()].map((v) => adj[v]!.filter((w) => alive[w]).map((w) => index.get(w)!));
  return { lambdaPower: marked.size, multiplier, factor: canonicalFreeTree({ adjacency }, store) };
}

function checkOrder(xi: readonly unknown[], K: number): void {
  if (!Number.isInteger(K) || K < -1) throw new RangeError(`order K must be an integer ≥ −1 (−1 is gradient flow), got ${K}`);
  if (xi.length < K + 1) throw new RangeError(`EoM_${K} needs ξ_0..ξ_${K}, got ${xi.length} counter terms`);
}

function compareTerms<C>(a: SymmetryRateTerm<C>, b: SymmetryRateTerm<C>): number {
  const rank = (t: SymmetryRateTerm<C>) =>
    t.factor === 'normSquared'
      ? [t.etaPower, 0, t.lambdaPower, 0, 0, 0]
      : [t.etaPower, 1, t.lambdaPower, t.factor.vertices, t.factor.left.id, t.factor.right.id];
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
  return 0;
}
