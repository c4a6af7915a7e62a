/**
 * The counter-term solver: the functional integral equation of the EoM (docs/design.md (5), §2.3–2.5),
 *
 *     ∫_0^η F(θ(s)) ds = Ψ_η(θ(0)) − θ(0),   θ' = F(θ) = −g(θ) − η Σ_k η^k ξ_k(θ),
 *
 * solved with the power-series ansatz, order by order. Ψ_η is the update rule (gradient descent:
 * Ψ_η(θ) − θ = −η g(θ)).
 *
 * In tree coordinates (series written Σ â(τ)/σ(τ) F(τ), "hat" normalisation) the field F is
 * homogeneous: a tree with n nodes carries η^{n−1}. The left side is the Lie series
 * Σ_{m≥1} η^m/m! D_F^{m−1} F; put P_1 = F̂ and P_m = ∂_F P_{m−1}, where the Lie derivative is a
 * sum over single-edge cuts, (∂_F P)(ρ) = Σ_e P(trunk_e) F̂(branch_e) (see trees/edgeCuts.ts).
 * A tree ρ with N nodes collects η^N, and P_m(ρ) = 0 for m > N, so the coefficient of η^N gives
 *
 *     F̂(ρ) = â(ρ) − Σ_{m=2}^{N} P_m(ρ)/m!,
 *
 * where the right side only involves F̂ on trees with fewer than N nodes: each order is solved
 * once, from the ones below. Finally ξ_{N−2}(ρ) = −F̂(ρ)/σ(ρ) (plain normalisation).
 *
 * Arithmetic: every (m, N) slice of P and every order of F̂ is kept as ring numerators over one
 * shared denominator. The inner loop then only multiplies and adds in the ring; a gcd is taken once
 * per slice to keep the numbers small.
 *
 * @example
 *   const solver = new CounterTermSolver(gradientDescent);
 *   solver.xi(1).toString() // "1/3·F[1,2,3] + 1/12·F[1,2,2]"  (ξ_1 = 1/3 H²g + 1/12 ∇³L[g,g])
 */
import { FractionField, type Fraction } from '../series/fraction.js';
import { integers, type CoefficientRing } from '../series/ring.js';
import { TreeSeries } from '../series/treeSeries.js';
import { EdgeCuts } from '../trees/edgeCuts.js';
import { defaultTreeStore, type TreeStore } from '../trees/store.js';
import { gradientDescent, type UpdateRule } from './updateRule.js';

/** One slice of values: numerators indexed by (tree id − first id of the order), over `den`. */
interface Slice<R> {
  readonly nums: R[];
  readonly den: R;
}

/** Reported after each order is solved. */
export interface SolverProgress {
  /** k of the ξ_k just solved. */
  readonly k: number;
  /** Number of trees with k + 2 nodes. */
  readonly trees: number;
  /** Time spent on this order, in milliseconds. */
  readonly milliseconds: number;
}

export interface SolverOptions<R> {
  /** Numerator ring of the coefficients (default: the integers, giving rational coefficients). */
  readonly ring?: CoefficientRing<R>;
  readonly store?: TreeStore;
}

export class CounterTermSolver<R = bigint> {
  readonly ring: CoefficientRing<R>;
  readonly field: FractionField<R>;
  readonly store: TreeStore;
  private readonly cuts: EdgeCuts;
  /** fhat[n]: F̂ on trees with n nodes. */
  private readonly fhat: Slice<R>[] = [];
  /** p[m][n]: P_m on trees with n nodes (m ≥ 2, n ≥ m). */
  private readonly p: Slice<R>[][] = [];
  private readonly solved: TreeSeries<Fraction<R>>[] = [];

  constructor(
    readonly rule: UpdateRule<Fraction<R>>,
    options: SolverOptions<R> = {},
  ) {
    this.ring = options.ring ?? (integers as unknown as CoefficientRing<R>);
    this.field = new FractionField(this.ring);
    this.store = options.store ?? defaultTreeStore;
    this.cuts = new EdgeCuts(this.store);
    const lead = rule.stepCoefficient(this.store.leaf);
    if (!this.field.equals(lead, this.field.fromInteger(-1))) {
      throw new RangeError(
        `update rule "${rule.name}": the coefficient of η·g must be −1 (a step of −η∇L to first order), got ${this.field.toString(lead)}`,
      );
    }
    this.fhat[1] = { nums: [this.ring.fromInteger(-1)], den: this.ring.one };
  }

  /** Highest k with ξ_k already solved (−1 before any). */
  get solvedThrough(): number {
    return this.solved.length - 1;
  }

  /** ξ_k as an exact tree series, solving orders ≤ k that are not solved yet. */
  xi(k: number): TreeSeries<Fraction<R>> {
    this.solveThrough(k);
    return this.solved[k]!;
  }

  /** ξ_0 … ξ_K, each solved once from the lower ones. */
  solveThrough(K: number, onProgress?: (p: SolverProgress) => void): TreeSeries<Fraction<R>>[] {
    if (!Number.isInteger(K) || K < 0) throw new RangeError(`order must be a non-negative integer, got ${K}`);
    while (this.solved.length <= K) {
      const started = performance.now();
      const k = this.solved.length;
      this.solveNodes(k + 2);
      this.solved.push(this.extractXi(k + 2));
      onProgress?.({ k, trees: this.store.ofOrder(k + 2).length, milliseconds: performance.now() - started });
    }
    return this.solved.slice(0, K + 1);
  }

  /** Solve F̂ on trees with N ≥ 2 nodes. */
  private solveNodes(N: number): void {
    const { ring, store } = this;
    const [start, end] = store.idRange(N);
    const count = end - start;
    for (let m = 2; m <= N; m++) (this.p[m] ??= [])[N] = this.lieDerivativeSlice(m, N, start, end);

    // F̂(ρ) = â(ρ) − Σ_m P_m(ρ)/m!, all over one common denominator.
    const stepCoefficients = store.ofOrder(N).map((t) => this.field.mul(this.rule.stepCoefficient(t), this.field.fromInteger(t.symmetry)));
    let den = stepCoefficients.reduce((d, a) => lcm(ring, d, a.den), ring.one);
    let factorial = ring.one;
    const factorials: R[] = [];
    for (let m = 2; m <= N; m++) {
      factorial = ring.mul(factorial, ring.fromInteger(m));
      factorials[m] = factorial;
      den = lcm(ring, den, ring.mul(this.p[m]![N]!.den, factorial));
    }
    const nums: R[] = stepCoefficients.map((a) => ring.mul(a.num, ring.divExact(den, a.den)));
    for (let m = 2; m <= N; m++) {
      const slice = this.p[m]![N]!;
      const scale = ring.divExact(den, ring.mul(slice.den, factorials[m]!));
      for (let i = 0; i < count; i++) nums[i] = ring.sub(nums[i]!, ring.mul(slice.nums[i]!, scale));
    }
    this.fhat[N] = reduce(ring, nums, den);
  }

  /** P_m on the trees with N nodes: Σ over cuts of P_{m−1}(trunk) F̂(branch) (m ≥ 2). */
  private lieDerivativeSlice(m: number, N: number, start: number, end: number): Slice<R> {
    const { ring, store } = this;
    const prev = (n: number): Slice<R> | undefined => (m - 1 === 1 ? this.fhat[n] : this.p[m - 1]![n]);
    // A cut with a branch of s nodes leaves a trunk of N − s ≥ m − 1 nodes (P_{m−1} vanishes below).
    let den = ring.one;
    for (let s = 1; s <= N - (m - 1); s++) den = lcm(ring, den, ring.mul(prev(N - s)!.den, this.fhat[s]!.den));
    // Branch values pre-scaled to the common denominator: scaledF[s][j] = F̂ num · den / (den_P den_F).
    const scaledF: R[][] = [];
    for (let s = 1; s <= N - (m - 1); s++) {
      const scale = ring.divExact(den, ring.mul(prev(N - s)!.den, this.fhat[s]!.den));
      scaledF[s] = this.fhat[s]!.nums.map((x) => ring.mul(x, scale));
    }
    const nums: R[] = new Array<R>(end - start);
    for (let id = start; id < end; id++) {
      let acc = ring.zero;
      for (const cut of this.cuts.ofId(id)) {
        const trunk = store.get(cut.trunk);
        if (trunk.order < m - 1) continue;
        const branch = store.get(cut.branch);
        const pv = prev(trunk.order)!.nums[cut.trunk - store.idRange(trunk.order)[0]]!;
        const fv = scaledF[branch.order]![cut.branch - store.idRange(branch.order)[0]]!;
        let term = ring.mul(pv, fv);
        if (cut.count !== 1) term = ring.mul(term, ring.fromInteger(cut.count));
        acc = ring.add(acc, term);
      }
      nums[id - start] = acc;
    }
    return reduce(ring, nums, den);
  }

  /** ξ_{N−2}(ρ) = −F̂(ρ)/σ(ρ). */
  private extractXi(N: number): TreeSeries<Fraction<R>> {
    const slice = this.fhat[N]!;
    const trees = this.store.ofOrder(N);
    return TreeSeries.fromEntries(
      this.field,
      trees.map((t, i) => [t, this.field.make(this.ring.neg(slice.nums[i]!), this.ring.mul(slice.den, this.ring.fromInteger(t.symmetry)))] as const),
      this.store,
    );
  }
}

function lcm<R>(ring: CoefficientRing<R>, a: R, b: R): R {
  const g = ring.gcd(a, b);
  return ring.mul(ring.divExact(a, g), b);
}

/** Divide numerators and denominator by their common gcd. */
function reduce<R>(ring: CoefficientRing<R>, nums: R[], den: R): Slice<R> {
  let g = den;
  for (const x of nums) {
    if (ring.isUnit(g)) break;
    if (!ring.isZero(x)) g = ring.gcd(g, x);
  }
  if (ring.isUnit(g)) return { nums, den };
  return { nums: nums.map((x) => ring.divExact(x, g)), den: ring.divExact(den, g) };
}

/**
 * ξ_0 … ξ_K for an update rule (default gradient descent), as exact tree series.
 *
 * @example
 *   const [xi0] = solveCounterTerms(0); // ξ_0 = 1/2 H g
 */
export function solveCounterTerms(
  K: number,
  rule?: UpdateRule,
  onProgress?: (p: SolverProgress) => void,
): TreeSeries<Fraction<bigint>>[] {
  return new CounterTermSolver(rule ?? gradientDescent).solveThrough(K, onProgress);
}
