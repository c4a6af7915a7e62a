/**
 * SGD's counter terms for any number of batches m: sums over batch labels of labelled elementary
 * differentials, with coefficients exact in m (docs/design.md §3.4).
 *
 * A coefficient of the SGD series on a coloured tree depends only on how its colours compare:
 * which nodes share a batch, and (cyclic) in which order the batches come in the epoch; batches
 * that label no node act as the identity on that tree's terms. So the solver is run once with
 * P = K + 2 colours (enough for every tree of ξ_0 … ξ_K) and its value on a tree coloured exactly
 * by 0 … p−1 (a pattern) holds for every assignment of p distinct labels in the same order:
 *
 *     ξ_k = Σ_patterns c(τ) Σ_{j_0 < … < j_{p−1}} F(τ[0→j_0, …]),   c(τ) = ξ^{(P)}(τ)·P/m,       (3.9)
 *
 * (the solver's ξ^{(P)} is per epoch of P steps; an epoch of m steps spans mη). With shuffle the
 * coefficient is also invariant under permuting the labels, so one pattern stands for its orbit
 * under the p! permutations and the sum runs over distinct labels, Σ_{j_0, …, j_{p−1} distinct},
 * with coefficient c(τ)·|orbit|/p!.
 *
 * @example
 *   const s = sgdPatternSeries(0, 'shuffle');
 *   s.xi[0] // 1/(2*m) on the pattern H_k g_k: ξ_0 = 1/(2m) Σ_k H_k g_k (Smith et al., ICLR 2021)
 */
import { FractionField, type Fraction } from '../series/fraction.js';
import { symbolRing, symbolValue } from '../series/symbols.js';
import { integers, type CoefficientRing } from '../series/ring.js';
import { TreeSeries } from '../series/treeSeries.js';
import { recolour } from '../trees/colourOrbits.js';
import type { TreeStore } from '../trees/store.js';
import { sgdRule, type Sampling } from './sgd.js';
import { CounterTermSolver, type SolverProgress } from './solver.js';

/** Highest order of the abstract SGD series (ξ_3: 5-coloured trees with 5 nodes). */
export const MAX_SGD_PATTERN_ORDER = 3;

/** How the labels of a pattern are summed. */
export type LabelSum = 'increasing' | 'distinct';

export interface SgdPatternSeries {
  readonly sampling: Sampling;
  /** m when given, undefined when it is kept as the symbol m. */
  readonly batchCount: number | undefined;
  /** Q(m) (m symbolic) or Q (m given). */
  readonly field: FractionField<unknown>;
  /** ξ_k as pattern series on the store of P colours; each term's labels are summed as `labelSum`. */
  readonly xi: TreeSeries<Fraction<unknown>>[];
  readonly labelSum: LabelSum;
  /** c = 1: dθ/dt = −g − η Σ η^k ξ_k with g = (1/m) Σ_k g_k. */
  readonly leading: Fraction<unknown>;
  readonly store: TreeStore;
}

/**
 * ξ_0 … ξ_K of SGD with m batches (m a positive integer, or undefined for the symbol m).
 *
 * @example
 *   sgdPatternSeries(1, 'cyclic', 3).xi[1].size // number of labelled patterns of ξ_1
 */
export function sgdPatternSeries(
  K: number,
  sampling: Sampling,
  m?: number,
  onProgress?: (p: SolverProgress) => void,
): SgdPatternSeries {
  if (!Number.isInteger(K) || K < 0) throw new RangeError(`order must be a non-negative integer, got ${K}`);
  if (K > MAX_SGD_PATTERN_ORDER) throw new RangeError(`the abstract SGD series goes to order ${MAX_SGD_PATTERN_ORDER} (coloured trees grow like (K+2)^(K+2)), got ${K}`);
  if (m !== undefined && (!Number.isSafeInteger(m) || m < 1)) throw new RangeError(`the number of batches must be a positive integer, got ${m}`);
  const P = K + 2;
  const solver = new CounterTermSolver(sgdRule(P, sampling));
  const raw = solver.solveThrough(K, onProgress);
  const ring: CoefficientRing<unknown> = m === undefined ? symbolRing(['m']) : (integers as CoefficientRing<unknown>);
  const field = new FractionField(ring);
  const mValue = m === undefined ? symbolValue(ring, 'm') : ring.fromInteger(m);
  const store = solver.store;
  // c(τ) = ξ^{(P)}(τ)·P/m (3.9)
  const lift = (c: Fraction<bigint>): Fraction<unknown> => field.make(ring.fromInteger(c.num * BigInt(P)), ring.mul(ring.fromInteger(c.den), mValue));
  const xi = raw.map((series) => {
    const entries: [number, Fraction<unknown>][] = [];
    const seen = new Set<number>();
    for (const { tree, coefficient } of series.terms()) {
      const colours = new Set(tree.colourSequence);
      const p = colours.size;
      if (Math.max(...colours) !== p - 1) continue; // not a pattern: some label below p − 1 unused
      if (m !== undefined && p > m) continue; // no p distinct labels among m batches
      if (sampling === 'cyclic') {
        entries.push([tree.id, lift(coefficient)]);
        continue;
      }
      if (seen.has(tree.id)) continue;
      const orbit = patternOrbit(store, tree.id, p);
      for (const id of orbit) seen.add(id);
      const weight = field.div(field.fromInteger(orbit.length), field.fromInteger(factorial(p)));
      entries.push([orbit[0]!, field.mul(lift(coefficient), weight)]);
    }
    return TreeSeries.fromEntries(field, entries, store);
  });
  return { sampling, batchCount: m, field, xi, labelSum: sampling === 'cyclic' ? 'increasing' : 'distinct', leading: field.one, store };
}

/**
 * The distinct trees obtained by permuting the labels 0 … p−1 of a pattern, the pattern itself
 * first (the identity is the first permutation tried; patterns are visited by increasing id, so it
 * is the orbit's smallest).
 */
function patternOrbit(store: TreeStore, id: number, p: number): number[] {
  const out = new Set<number>();
  const perm = Array.from({ length: store.colours }, (_, c) => c);
  const permute = (k: number): void => {
    if (k === p) {
      out.add(recolour(store, id, perm));
      return;
    }
    for (let i = k; i < p; i++) {
      [perm[k], perm[i]] = [perm[i]!, perm[k]!];
      permute(k + 1);
      [perm[k], perm[i]] = [perm[i]!, perm[k]!];
    }
  };
  permute(0);
  return [...out];
}

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}
