/**
 * An independent exact oracle for the counter terms of stochastic gradient descent over m
 * mini-batches (cyclic or random-reshuffling sampling), on polynomial batch losses. Shares no code
 * with src/: exact BigInt rationals and polynomials come from test/helpers/polynomial.ts, the
 * η-series substitution and the Lie table from test/helpers/lieSeriesOracle.ts.
 *
 * Setting. Batch losses L_1..L_m in θ ∈ R^n, g_k = ∇L_k, L = (1/m) Σ_k L_k, g = ∇L. One step on
 * batch k is θ ← θ − η g_k(θ); one epoch is m steps, in the order π (cyclic) or in a uniformly random
 * order (shuffle). Step n sits at time nη, so an epoch spans time mη.
 *
 * Route. (1) The epoch map Ψ(θ) = Σ_j η^j Ψ_j(θ) is computed exactly as an η-series whose
 * coefficients are polynomial vectors: compose the m steps, substituting the η-series iterate into
 * the polynomial g_k, truncated after η^{K+2}. For shuffle, Ψ is the exact mean over all m! orders
 * (orders sharing a prefix share its computation).
 * (2) The field F = Σ_j η^j F_j whose time-mη flow is Ψ:
 *     θ + Σ_{p≥1} (mη)^p/p! Φ_p = Ψ,   Φ_1 = F,  Φ_p = Φ_{p−1}'·F  (= (L_F)^{p−1} F),
 * and at η^N the unknown F_{N−1} enters only through p = 1, so
 *     F_{N−1} = (Ψ_N − Σ_{p=2}^{N} m^p/p! Φ_p[N−p]) / m,    N = 1 … K+2,
 * where Φ_p[j] (the η^j coefficient) reads only F_0..F_j. The EoM is dθ/dt = −g − η Σ_k η^k ξ_k,
 * so F_0 = −g and ξ_k = −F_{k+1}.
 *
 * @example
 *   // m = 1 is gradient descent: ξ_0 = ½ H g. For L = x²/2: g = x, H = 1, ξ_0 = x/2.
 *   const r = sgdEpochOracle([[{ coef: [1n, 2n], exps: [2] }]], { sampling: 'cyclic', order: 0 });
 *   r.xi[0]![0]   // Map { '1' => '1/2' }
 */
import { Poly, gradient, q, vecAdd, vecScale, vecSub, vecZero, type PolyVec } from './polynomial.js';
import { factorial, lieTable, substitute, type EtaSeries } from './lieSeriesOracle.js';

/** One term coef[0]/coef[1] · Π x_i^{exps[i]} of a batch loss. */
export interface OracleTerm {
  readonly coef: readonly [bigint, bigint];
  readonly exps: readonly number[];
}
/** A batch loss: a sum of terms, all with exps of the same length n. */
export type OraclePolynomial = readonly OracleTerm[];

export type Sampling = 'cyclic' | 'shuffle';

export interface SgdOracleOptions {
  readonly sampling: Sampling;
  /** highest counter term ξ_K, 0 ≤ K ≤ 3 */
  readonly order: number;
  /** cyclic only: the batch order of every epoch, a permutation of 0..m−1 (default 0, 1, …, m−1) */
  readonly cyclicOrder?: readonly number[];
}

/** A polynomial in canonical form: exponents joined by ',' → reduced rational "p/q" or "p" (no zeros). */
export type CanonicalPoly = Map<string, string>;

export interface SgdOracleResult {
  /** F_0 per component (equals −g) */
  readonly F0: CanonicalPoly[];
  /** xi[k][i]: component i of ξ_k, k = 0 … K */
  readonly xi: CanonicalPoly[][];
}

const MAX_ORDER = 3;
const MAX_SHUFFLE_BATCHES = 5;

/** The canonical form of an oracle polynomial (for comparing with hand-computed polynomials). */
export function canonicalPoly(p: Poly): CanonicalPoly {
  const out: CanonicalPoly = new Map();
  const terms = p.terms().sort((a, b) => (a.exps.join(',') < b.exps.join(',') ? -1 : 1));
  for (const { exps, coefficient } of terms) {
    out.set(exps.join(','), coefficient.d === 1n ? `${coefficient.n}` : `${coefficient.n}/${coefficient.d}`);
  }
  return out;
}

/** Parse a batch loss in the oracle's input format into a polynomial in n variables. */
export function oraclePolynomial(terms: OraclePolynomial, n: number): Poly {
  let p = Poly.zero(n);
  for (const t of terms) {
    if (t.exps.length !== n) throw new RangeError(`sgdEpochOracle: a term has ${t.exps.length} exponents, expected ${n}`);
    if (t.exps.some((e) => !Number.isInteger(e) || e < 0 || e > 60)) {
      throw new RangeError('sgdEpochOracle: exponents must be integers in 0..60');
    }
    p = p.add(Poly.monomial(n, q(t.coef[0], t.coef[1]), t.exps));
  }
  return p;
}

/** One step Θ − η g_k(Θ) on an η-series iterate (truncation is inherited from Θ's length). */
function gdStep(theta: readonly EtaSeries[], gk: PolyVec): EtaSeries[] {
  const grad = gk.map((gi) => substitute(gi, theta));
  // θ − η g_k(θ): shift the gradient's series up one power of η, dropping η^{order+1}.
  return theta.map((s, i) => s.map((p, j) => (j === 0 ? p : p.sub(grad[i]![j - 1]!))));
}

function identitySeries(n: number, order: number): EtaSeries[] {
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: order + 1 }, (_, j) => (j === 0 ? Poly.variable(n, i) : Poly.zero(n))),
  );
}

/**
 * The epoch map's η-coefficients Ψ_0 … Ψ_order (each a polynomial vector): one order, or the exact
 * mean over all orders of 0..m−1 (a depth-first walk, so orders with a common prefix share it).
 */
export function epochMapCoefficients(
  grads: readonly PolyVec[],
  n: number,
  order: number,
  orders: 'all' | readonly number[],
): Poly[][] {
  const m = grads.length;
  let sum: EtaSeries[] | undefined;
  let count = 0n;
  const add = (theta: EtaSeries[]): void => {
    sum = sum === undefined ? theta : sum.map((s, i) => s.map((p, j) => p.add(theta[i]![j]!)));
    count += 1n;
  };
  if (orders === 'all') {
    const used = new Array<boolean>(m).fill(false);
    const walk = (theta: EtaSeries[], depth: number): void => {
      if (depth === m) return add(theta);
      for (let k = 0; k < m; k++) {
        if (used[k]) continue;
        used[k] = true;
        walk(gdStep(theta, grads[k]!), depth + 1);
        used[k] = false;
      }
    };
    walk(identitySeries(n, order), 0);
  } else {
    add(orders.reduce((theta, k) => gdStep(theta, grads[k]!), identitySeries(n, order)));
  }
  const mean = sum!.map((s) => s.map((p) => p.scale(q(1n, count))));
  return Array.from({ length: order + 1 }, (_, j) => mean.map((s) => s[j]!));
}

/**
 * F_0 … F_{last} such that the time-mη flow of F = Σ_j η^j F_j equals Ψ (see the file comment).
 * psi[j] is the η^j coefficient vector of the epoch map; last ≤ psi.length − 2.
 */
export function epochField(psi: readonly PolyVec[], m: number, n: number, last: number): PolyVec[] {
  const F: PolyVec[] = [];
  const Phi = lieTable(F, n);
  const mq = BigInt(m);
  for (let N = 1; N <= last + 1; N++) {
    let rest: Poly[] = vecZero(n);
    for (let p = 2; p <= N; p++) rest = vecAdd(rest, vecScale(Phi(p, N - p), q(mq ** BigInt(p), factorial(p))));
    F.push(vecScale(vecSub(psi[N]!, rest), q(1n, mq)));
  }
  return F;
}

function checkPermutation(order: readonly number[], m: number): void {
  const seen = new Set(order);
  if (order.length !== m || seen.size !== m || order.some((k) => !Number.isInteger(k) || k < 0 || k >= m)) {
    throw new RangeError(`sgdEpochOracle: cyclicOrder must be a permutation of 0..${m - 1}`);
  }
}

/**
 * F_0 and ξ_0 … ξ_K of SGD over the given batch losses, exactly (see the file comment).
 *
 * @example
 *   // two batches x²/2 and (x−1)²/2 of one variable, random reshuffling, ξ_0 only
 *   const r = sgdEpochOracle(
 *     [[{ coef: [1n, 2n], exps: [2] }], [{ coef: [1n, 2n], exps: [2] }, { coef: [-1n, 1n], exps: [1] }, { coef: [1n, 2n], exps: [0] }]],
 *     { sampling: 'shuffle', order: 0 },
 *   );
 *   r.xi[0]![0]   // (1/4)(H_1 g_1 + H_2 g_2) = (x + x − 1)/4: Map { '0' => '-1/4', '1' => '1/2' }
 */
export function sgdEpochOracle(batches: readonly OraclePolynomial[], options: SgdOracleOptions): SgdOracleResult {
  const m = batches.length;
  const K = options.order;
  if (m < 1) throw new RangeError('sgdEpochOracle: at least one batch');
  if (!Number.isInteger(K) || K < 0 || K > MAX_ORDER) throw new RangeError(`sgdEpochOracle: order must be 0..${MAX_ORDER}`);
  if (options.sampling === 'shuffle' && m > MAX_SHUFFLE_BATCHES) {
    throw new RangeError(`sgdEpochOracle: shuffle averages over all m! orders; at most ${MAX_SHUFFLE_BATCHES} batches`);
  }
  const n = batches.flat()[0]?.exps.length ?? 1;
  const losses = batches.map((b) => oraclePolynomial(b, n));
  const grads = losses.map(gradient);

  let orders: 'all' | readonly number[];
  if (options.sampling === 'shuffle') orders = 'all';
  else {
    orders = options.cyclicOrder ?? Array.from({ length: m }, (_, k) => k);
    checkPermutation(orders, m);
  }
  const psi = epochMapCoefficients(grads, n, K + 2, orders);
  const F = epochField(psi, m, n, K + 1);
  return {
    F0: F[0]!.map(canonicalPoly),
    xi: F.slice(1).map((v) => v.map((p) => canonicalPoly(p.neg()))),
  };
}
