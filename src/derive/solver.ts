/**
 * The counter-term solver: the equation of motion of an update rule given as data (updateRule.ts,
 * (3.1)), solved with the power-series ansatz order by order (docs/design.md §2 and §4).
 *
 * The iterates of (3.1) follow the flow φ_t of one field F when the start lies on the slow manifold:
 * θ_{n−j} = φ_{−jη}(θ_n). So F solves
 *
 *     φ_η(θ) = Σ_j a_j φ_{−jη}(θ) − η Σ_i b_i g(Y_i(θ)),                                      (4.1)
 *
 * with Y_i(θ) = Σ_j c_ij φ_{−jη}(θ) − η Σ_{l<i} d_il g(Y_l(θ)). For gradient descent this is the
 * functional integral equation ∫_0^η F(θ(s)) ds = −η g(θ(0)).
 *
 * Tree coordinates ("hat" normalisation: a series is Σ â(τ)/σ(τ) F(τ)): the field is
 * F = Σ_τ η^{|τ|−1} F̂(τ)/σ(τ) F(τ). Its Lie series gives the flow at time t = sη,
 *
 *     φ_{sη}(θ) − θ = Σ_τ η^{|τ|} B_s(τ)/σ(τ) F(τ),   B_s(ρ) = Σ_{m=1}^{N} s^m P_m(ρ)/m!,      (4.2)
 *
 * with P_1 = F̂ and P_m = ∂_F P_{m−1}, where the Lie derivative is a sum over single-edge cuts,
 * (∂_F P)(ρ) = Σ_e P(trunk_e) F̂(branch_e) (trees/edgeCuts.ts); N = |ρ|. A gradient at a point
 * Y = θ + Σ η^{|τ|} ŷ(τ)/σ(τ) F(τ) is the composed B-series η g(Y) with coefficients
 * G(•) = 1, G([τ1, …, τm]) = ŷ(τ1)⋯ŷ(τm) (Hairer, Lubich & Wanner, GNI Lemma III.1.9). Collecting
 * η^N at a tree ρ with N nodes in (4.1), the unknown F̂(ρ) enters only through the m = 1 terms:
 *
 *     ρ'(1) F̂(ρ) = −Σ_i b_i G_i(ρ) − Σ_{m=2}^{N} (1 − Σ_j a_j (−j)^m) P_m(ρ)/m!,              (4.3)
 *
 * ρ'(1) = 1 + Σ_j j a_j, and every term on the right involves F̂ on trees with fewer than N
 * nodes only (G_i(ρ) reads ŷ_i on the subtrees of ρ): each order is solved once, from the ones
 * below. Then ŷ_i(ρ) = Σ_j c_ij B_{−j}(ρ) − Σ_{l<i} d_il G_l(ρ) for the orders above. Finally the
 * leading factor is c = −F̂(•) and ξ_{N−2}(ρ) = −F̂(ρ)/σ(ρ) (plain normalisation).
 *
 * Mini-batches (docs/design.md §3.4): with `rule.batches` the trees are coloured, one colour per
 * batch, and G_i vanishes on trees whose root does not have stage i's batch; shuffle sampling
 * replaces the increment −Σ_i b_i G_i by its mean over the orbits of the colour permutations
 * (3.8); an update spanning s steps (an epoch, s = m) divides the field by s.
 *
 * Arithmetic: every slice (one quantity on the trees with N nodes) is kept as ring numerators over
 * one shared denominator. The inner loops only multiply and add in the ring; a gcd is taken once
 * per slice to keep the numbers small. Slices that vanish identically (e.g. ŷ = 0 for a stage at
 * θ_n, as in gradient descent and heavy ball) are skipped.
 *
 * @example
 *   const solver = new CounterTermSolver(gradientDescent);
 *   solver.xi(1).toString() // "1/3·F[1,2,3] + 1/12·F[1,2,2]"  (ξ_1 = 1/3 H²g + 1/12 ∇³L[g,g])
 */
import { FractionField, type Fraction } from '../series/fraction.js';
import type { CoefficientRing } from '../series/ring.js';
import { TreeSeries } from '../series/treeSeries.js';
import { colourOrbits } from '../trees/colourOrbits.js';
import { EdgeCuts } from '../trees/edgeCuts.js';
import { defaultTreeStore, TreeStore } from '../trees/store.js';
import { characteristicSlope, gradientDescent, validateRecurrence, type UpdateRule } from './updateRule.js';

/** One slice of values: numerators indexed by (tree id − first id of the order), over `den`. */
interface Slice<R> {
  readonly nums: R[];
  readonly den: R;
  /** Every numerator is zero. */
  readonly zero: boolean;
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

export interface SolverOptions {
  /** Default: the shared plain store, or a store with one colour per batch for a rule with batches. */
  readonly store?: TreeStore;
}

export class CounterTermSolver<R = bigint> {
  readonly ring: CoefficientRing<R>;
  readonly field: FractionField<R>;
  readonly store: TreeStore;
  /** c in F = −c·g − η Σ η^k ξ_k. */
  readonly leading: Fraction<R>;
  private readonly cuts: EdgeCuts;
  /** fhat[n]: F̂ on trees with n nodes. */
  private readonly fhat: Slice<R>[] = [];
  /** p[m][n]: P_m on trees with n nodes (m ≥ 2, n ≥ m). */
  private readonly p: Slice<R>[][] = [];
  /** lagFlow[j][n]: B_{−j} of (4.2) on trees with n nodes, for the lags j ≥ 1 a stage reads. */
  private readonly lagFlow = new Map<number, Slice<R>[]>();
  /** stagePoint[i][n]: ŷ_i; stageGradient[i][n]: G_i. */
  private readonly stagePoint: Slice<R>[][];
  private readonly stageGradient: Slice<R>[][];
  private readonly slope: Fraction<R>;
  private readonly solved: TreeSeries<Fraction<R>>[] = [];
  /** Time of one update in units of η (an SGD epoch: m). */
  private readonly steps: number;

  constructor(
    readonly rule: UpdateRule<R>,
    options: SolverOptions = {},
  ) {
    validateRecurrence(rule);
    this.ring = rule.ring;
    this.field = new FractionField(this.ring);
    const colours = rule.batches?.count ?? 1;
    this.store = options.store ?? (colours === 1 ? defaultTreeStore : new TreeStore({ colours }));
    if (this.store.colours !== colours) throw new RangeError(`the tree store has ${this.store.colours} colours, the rule ${colours} batches`);
    this.steps = rule.stepsPerUpdate ?? 1;
    this.cuts = new EdgeCuts(this.store);
    this.slope = characteristicSlope(rule);
    this.stagePoint = rule.stages.map(() => []);
    this.stageGradient = rule.stages.map(() => []);
    for (const stage of rule.stages) {
      stage.iterates.forEach((c, j) => {
        if (j >= 1 && !this.field.isZero(c) && !this.lagFlow.has(j)) this.lagFlow.set(j, []);
      });
    }
    this.solveNodes(1);
    // F = Σ_k F̂(•_k) g_k / s and every batch has the same weight, so c·g = −(m F̂(•_0)/s)·(1/m) Σ_k g_k.
    const f = this.fhat[1]!;
    this.leading = this.field.make(this.ring.mul(this.ring.neg(f.nums[0]!), this.ring.fromInteger(colours)), this.ring.mul(f.den, this.ring.fromInteger(this.steps)));
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

  /** Solve F̂ on trees with N nodes by (4.3), then the flows and stage points of that order. */
  private solveNodes(N: number): void {
    const { field, rule } = this;
    const [start, end] = this.store.idRange(N);
    for (let m = 2; m <= N; m++) (this.p[m] ??= [])[N] = this.lieDerivativeSlice(m, N, start, end);
    rule.stages.forEach((_, i) => {
      this.stageGradient[i]![N] = this.gradientSlice(i, N, start, end);
    });

    // (4.3): F̂ = [−Σ_i b_i G_i − Σ_m (1 − Σ_j a_j (−j)^m)/m! P_m] / ρ'(1).
    const inverseSlope = field.div(field.one, this.slope);
    let terms: [Fraction<R>, Slice<R>][] = rule.weights.map((b, i) => [field.neg(field.mul(b, inverseSlope)), this.stageGradient[i]![N]!]);
    // Shuffle: the increment −Σ_i b_i G_i/ρ'(1) is averaged over the colour orbits (3.8) before the rest is added.
    if (rule.batches?.sampling === 'shuffle') terms = [[field.one, this.orbitMean(this.combine(terms, end - start), N, start)]];
    let factorial = field.one;
    for (let m = 2; m <= N; m++) {
      factorial = field.mul(factorial, field.fromInteger(m));
      let weight = field.one;
      rule.history.forEach((a, j) => {
        if (j > 0) weight = field.sub(weight, field.mul(a, field.fromInteger(BigInt(-j) ** BigInt(m))));
      });
      terms.push([field.neg(field.div(field.mul(weight, inverseSlope), factorial)), this.p[m]![N]!]);
    }
    this.fhat[N] = this.combine(terms, end - start);

    // B_{−j} = Σ_{m=1}^{N} (−j)^m P_m/m! (4.2), then the stage points ŷ_i.
    for (const [j, slices] of this.lagFlow) {
      const flowTerms: [Fraction<R>, Slice<R>][] = [];
      let coefficient = field.one;
      for (let m = 1; m <= N; m++) {
        coefficient = field.div(field.mul(coefficient, field.fromInteger(-j)), field.fromInteger(m));
        flowTerms.push([coefficient, m === 1 ? this.fhat[N]! : this.p[m]![N]!]);
      }
      slices[N] = this.combine(flowTerms, end - start);
    }
    rule.stages.forEach((stage, i) => {
      const pointTerms: [Fraction<R>, Slice<R>][] = [];
      stage.iterates.forEach((c, j) => {
        if (j >= 1 && !field.isZero(c)) pointTerms.push([c, this.lagFlow.get(j)![N]!]);
      });
      stage.gradients.forEach((d, l) => {
        if (!field.isZero(d)) pointTerms.push([field.neg(d), this.stageGradient[l]![N]!]);
      });
      this.stagePoint[i]![N] = this.combine(pointTerms, end - start);
    });
  }

  /**
   * The mean over all relabellings of the batches (shuffle sampling): the mean over each orbit of
   * the colour permutations (trees/colourOrbits.ts).
   */
  private orbitMean(slice: Slice<R>, N: number, start: number): Slice<R> {
    const { ring } = this;
    if (slice.zero) return slice;
    const nums = [...slice.nums];
    let den = slice.den;
    const orbits = colourOrbits(this.store, N);
    // One common denominator: den · lcm of the orbit sizes.
    const sizes = [...new Set(orbits.map((o) => o.length))];
    let scale = ring.one;
    for (const k of sizes) scale = lcm(ring, scale, ring.fromInteger(k));
    den = ring.mul(den, scale);
    for (const orbit of orbits) {
      let sum = ring.zero;
      for (const id of orbit) sum = ring.add(sum, slice.nums[id - start]!);
      const mean = ring.mul(sum, ring.divExact(scale, ring.fromInteger(orbit.length)));
      for (const id of orbit) nums[id - start] = mean;
    }
    return reduce(ring, nums, den);
  }

  /** G_i on the trees with N nodes: 1 on •, Π ŷ_i(child) otherwise (0 unless the root has the stage's batch). */
  private gradientSlice(i: number, N: number, start: number, end: number): Slice<R> {
    const { ring, store } = this;
    const batch = this.rule.stages[i]!.batch ?? 0;
    if (N === 1) {
      const nums = Array.from({ length: end - start }, (_, k) => (k === batch ? ring.one : ring.zero));
      return { nums, den: ring.one, zero: false };
    }
    const points = this.stagePoint[i]!;
    const nums: R[] = [];
    const dens: R[] = [];
    let zero = true;
    for (let id = start; id < end; id++) {
      let num = ring.one;
      let den = ring.one;
      if (store.get(id).colour !== batch) {
        nums.push(ring.zero);
        dens.push(ring.one);
        continue;
      }
      for (const c of store.get(id).children) {
        const child = store.get(c);
        const slice = points[child.order]!;
        if (slice.zero) {
          num = ring.zero;
          break;
        }
        num = ring.mul(num, slice.nums[c - store.idRange(child.order)[0]]!);
        if (ring.isZero(num)) break;
        den = ring.mul(den, slice.den);
      }
      if (!ring.isZero(num)) zero = false;
      nums.push(num);
      dens.push(den);
    }
    if (zero) return this.zeroSlice(end - start);
    let common = ring.one;
    for (const d of dens) if (!ring.equals(d, common)) common = lcm(ring, common, d);
    return reduce(ring, nums.map((x, k) => (ring.isZero(x) ? x : ring.mul(x, ring.divExact(common, dens[k]!)))), common);
  }

  /** Σ coefficient · slice over one common denominator (zero slices and coefficients skipped). */
  private combine(terms: readonly [Fraction<R>, Slice<R>][], count: number): Slice<R> {
    const { ring } = this;
    const live = terms.filter(([c, s]) => !s.zero && !ring.isZero(c.num));
    if (live.length === 0) return this.zeroSlice(count);
    let den = ring.one;
    for (const [c, s] of live) den = lcm(ring, den, ring.mul(c.den, s.den));
    const nums: R[] = new Array<R>(count).fill(ring.zero);
    for (const [c, s] of live) {
      const scale = ring.mul(c.num, ring.divExact(den, ring.mul(c.den, s.den)));
      for (let k = 0; k < count; k++) if (!ring.isZero(s.nums[k]!)) nums[k] = ring.add(nums[k]!, ring.mul(s.nums[k]!, scale));
    }
    return reduce(ring, nums, den);
  }

  private zeroSlice(count: number): Slice<R> {
    return { nums: new Array<R>(count).fill(this.ring.zero), den: this.ring.one, zero: true };
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
      // The cuts as (trunk, branch, count) triples, read in place (trees/edgeCuts.ts).
      const { pool, start: first, end: last } = this.cuts.triples(id);
      for (let c = first; c < last; c += 3) {
        const trunk = store.get(pool[c]!);
        if (trunk.order < m - 1) continue;
        const branch = store.get(pool[c + 1]!);
        const pv = prev(trunk.order)!.nums[trunk.id - store.idRange(trunk.order)[0]]!;
        const fv = scaledF[branch.order]![branch.id - store.idRange(branch.order)[0]]!;
        let term = ring.mul(pv, fv);
        if (pool[c + 2] !== 1) term = ring.mul(term, ring.fromInteger(pool[c + 2]!));
        acc = ring.add(acc, term);
      }
      nums[id - start] = acc;
    }
    return reduce(ring, nums, den);
  }

  /** ξ_{N−2}(ρ) = −F̂(ρ)/(s σ(ρ)), s the steps per update. */
  private extractXi(N: number): TreeSeries<Fraction<R>> {
    const slice = this.fhat[N]!;
    const trees = this.store.ofOrder(N);
    const den = this.steps === 1 ? slice.den : this.ring.mul(slice.den, this.ring.fromInteger(this.steps));
    return TreeSeries.fromEntries(
      this.field,
      trees.map((t, i) => [t, this.field.make(this.ring.neg(slice.nums[i]!), this.ring.mul(den, this.ring.fromInteger(t.symmetry)))] as const),
      this.store,
    );
  }
}

function lcm<R>(ring: CoefficientRing<R>, a: R, b: R): R {
  if (ring.equals(a, b)) return a;
  const g = ring.gcd(a, b);
  return ring.mul(ring.divExact(a, g), b);
}

/** Divide numerators and denominator by their common gcd. */
function reduce<R>(ring: CoefficientRing<R>, nums: R[], den: R): Slice<R> {
  let g = den;
  let zero = true;
  for (const x of nums) {
    if (ring.isZero(x)) continue;
    zero = false;
    if (!ring.isUnit(g)) g = ring.gcd(g, x);
  }
  if (zero) return { nums, den: ring.one, zero: true };
  if (ring.isUnit(g)) return { nums, den, zero: false };
  return { nums: nums.map((x) => ring.divExact(x, g)), den: ring.divExact(den, g), zero: false };
}

/**
 * ξ_0 … ξ_K for an update rule (default gradient descent), as exact tree series.
 *
 * @example
 *   const [xi0] = solveCounterTerms(0); // ξ_0 = 1/2 H g
 */
export function solveCounterTerms(
  K: number,
  rule: UpdateRule = gradientDescent,
  onProgress?: (p: SolverProgress) => void,
): TreeSeries<Fraction<bigint>>[] {
  return new CounterTermSolver(rule).solveThrough(K, onProgress);
}
