/**
 * An independent oracle for the counter terms ξ_k of the Equation of Motion of a one-step
 * optimiser, computed on concrete polynomial losses. Shares no code with src/ (it uses only
 * test/helpers/polynomial.ts); trees appear only in `evaluateTreeSeries`, which reads the solver's
 * output.
 *
 * Setting. θ ∈ R^n, loss L polynomial, g = ∇L. The EoM vector field is
 *     F(θ) = −g(θ) − Σ_{k≥0} η^{k+1} ξ_k(θ),
 * and ξ is fixed by requiring that its flow over time η from θ₀ lands on the update Ψ_η(θ₀):
 *     θ₀ + Σ_{m≥1} η^m/m! Φ_m = Ψ_η(θ₀),     Φ_1 = F,  Φ_m = D_F Φ_{m−1} = Φ_{m−1}'·F.
 * Everything is a power series in η whose coefficients are polynomial vectors in θ. Writing X[j]
 * for the coefficient of η^j: F[0] = −g, F[j] = −ξ_{j−1} (j ≥ 1), and since D_F is linear in F,
 *     Φ_m[j] = Σ_{a=0}^{j} D_{F[a]} Φ_{m−1}[j−a].
 * The coefficient of η^N (N ≥ 2) of the left side is F[N−1] + Σ_{m=2}^{N} Φ_m[N−m]/m!, and
 * Φ_m[N−m] (m ≥ 2) only involves F[0..N−2], i.e. ξ_0..ξ_{N−3}. Hence
 *     ξ_{N−2} = Σ_{m=2}^{N} Φ_m[N−m]/m! − Ψ[N].
 * Ψ is obtained by literally substituting η-series into the polynomial g (exact, finite).
 */
import {
  Poly,
  Q1,
  gradient,
  q,
  vecAdd,
  vecDirectional,
  vecScale,
  vecSub,
  vecZero,
  type PolyVec,
  type Q,
} from './polynomial.js';

// ---------------------------------------------------------------- truncated η-series

/** A power series in η truncated after η^order: s[j] = coefficient of η^j (a polynomial in θ). */
export type EtaSeries = Poly[];

function seriesOfLength(nvars: number, order: number): Poly[] {
  return Array.from({ length: order + 1 }, () => Poly.zero(nvars));
}

function seriesAdd(a: EtaSeries, b: EtaSeries): EtaSeries {
  return a.map((p, j) => p.add(b[j]!));
}

function seriesMul(a: EtaSeries, b: EtaSeries): EtaSeries {
  const order = a.length - 1;
  const out = seriesOfLength(a[0]!.nvars, order);
  for (let i = 0; i <= order; i++) {
    if (a[i]!.isZero()) continue;
    for (let j = 0; i + j <= order; j++) {
      if (!b[j]!.isZero()) out[i + j] = out[i + j]!.add(a[i]!.mul(b[j]!));
    }
  }
  return out;
}

/** p(Θ): substitute x_i ↦ Θ_i(η) in the polynomial p (Θ_i a truncated η-series). */
export function substitute(p: Poly, theta: readonly EtaSeries[]): EtaSeries {
  const nvars = p.nvars;
  const order = theta[0]!.length - 1;
  const powers: EtaSeries[][] = theta.map((t) => {
    const one = seriesOfLength(nvars, order);
    one[0] = Poly.constant(nvars, Q1);
    return [one, t];
  });
  const power = (i: number, e: number): EtaSeries => {
    const list = powers[i]!;
    while (list.length <= e) list.push(seriesMul(list[list.length - 1]!, theta[i]!));
    return list[e]!;
  };
  let out = seriesOfLength(nvars, order);
  for (const { exps, coefficient } of p.terms()) {
    let term = seriesOfLength(nvars, order);
    term[0] = Poly.constant(nvars, coefficient);
    exps.forEach((e, i) => {
      if (e > 0) term = seriesMul(term, power(i, e));
    });
    out = seriesAdd(out, term);
  }
  return out;
}

/** What an update rule may use: the identity θ as an η-series vector, g on η-series vectors, η·(·). */
export interface SeriesContext {
  readonly order: number;
  /** Θ_i = x_i (constant in η). */
  readonly theta: readonly EtaSeries[];
  /** g(Θ) by exact substitution into the polynomial gradient. */
  grad(at: readonly EtaSeries[]): EtaSeries[];
  /** η · v (shift up by one power, truncated). */
  etaTimes(v: readonly EtaSeries[]): EtaSeries[];
  sub(a: readonly EtaSeries[], b: readonly EtaSeries[]): EtaSeries[];
}

/** Ψ_η(θ) written with the operations of SeriesContext; returns one η-series per coordinate. */
export type UpdateMap = (ctx: SeriesContext) => EtaSeries[];

/** Gradient descent θ − η g(θ). */
export const gdMap: UpdateMap = (c) => c.sub(c.theta, c.etaTimes(c.grad(c.theta)));

/** Extragradient θ − η g(θ − η g(θ)). */
export const extragradientMap: UpdateMap = (c) =>
  c.sub(c.theta, c.etaTimes(c.grad(c.sub(c.theta, c.etaTimes(c.grad(c.theta))))));

/** Ψ as coefficient vectors: result[j] = coefficient vector of η^j, j = 0..order. */
export function updateCoefficients(L: Poly, map: UpdateMap, order: number): Poly[][] {
  const n = L.nvars;
  const g = gradient(L);
  const theta = Array.from({ length: n }, (_, i) => {
    const s = seriesOfLength(n, order);
    s[0] = Poly.variable(n, i);
    return s;
  });
  const ctx: SeriesContext = {
    order,
    theta,
    grad: (at) => g.map((gi) => substitute(gi, at)),
    etaTimes: (v) => v.map((s) => [Poly.zero(n), ...s.slice(0, order)]),
    sub: (a, b) => a.map((s, i) => s.map((p, j) => p.sub(b[i]![j]!))),
  };
  const psi = map(ctx);
  return Array.from({ length: order + 1 }, (_, j) => psi.map((s) => s[j]!));
}

export function factorial(m: number): bigint {
  let f = 1n;
  for (let i = 2; i <= m; i++) f *= BigInt(i);
  return f;
}

/**
 * Φ_m[j] (the η^j coefficient of (D_F)^{m−1} F for F = Σ_a η^a F[a]), memoised: Φ_1[j] = F[j],
 * Φ_m[j] = Σ_{a=0}^{j} D_{F[a]} Φ_{m−1}[j−a], so Φ_m[j] reads F[0..j] only. `F` may grow between calls.
 */
export function lieTable(F: readonly PolyVec[], n: number): (m: number, j: number) => PolyVec {
  const memo = new Map<string, PolyVec>(); // `${m},${j}` → Φ_m[j]
  const Phi = (m: number, j: number): PolyVec => {
    if (m === 1) {
      const f = F[j];
      if (f === undefined) throw new Error(`oracle bug: F[${j}] used before it is known`);
      return f;
    }
    const key = `${m},${j}`;
    const hit = memo.get(key);
    if (hit) return hit;
    let s: Poly[] = vecZero(n);
    for (let a = 0; a <= j; a++) s = vecAdd(s, vecDirectional(Phi(m - 1, j - a), F[a]!));
    memo.set(key, s);
    return s;
  };
  return Phi;
}

/**
 * ξ_0 … ξ_K (each a polynomial vector) for the loss L and the update map, by solving the
 * Lie-series equation order by order (see the file comment).
 */
export function lieSeriesCounterTerms(L: Poly, map: UpdateMap, K: number): Poly[][] {
  const n = L.nvars;
  const g = gradient(L);
  const psi = updateCoefficients(L, map, K + 2);
  // The rule must be a step of −η g to first order, and Ψ[0] = θ.
  if (!psi[1]!.every((p, i) => p.equals(g[i]!.neg()))) throw new Error('update map: η-coefficient is not −g');

  const F: PolyVec[] = [g.map((p) => p.neg())];
  const Phi = lieTable(F, n);

  const xi: Poly[][] = [];
  for (let N = 2; N <= K + 2; N++) {
    let lie: Poly[] = vecZero(n);
    for (let m = 2; m <= N; m++) lie = vecAdd(lie, vecScale(Phi(m, N - m), q(1n, factorial(m))));
    const xiN = vecSub(lie, psi[N]!);
    xi.push(xiN);
    F.push(xiN.map((p) => p.neg())); // F[N−1] = −ξ_{N−2}
  }
  return xi;
}

/**
 * Brute-force re-check of an answer: with F = −g − Σ_{k≤K} η^{k+1} ξ_k, recompute the whole
 * truncated Lie series θ₀ + Σ_m η^m/m! (D_F)^{m−1} F up to η^{K+2} on η-series (no
 * order-by-order bookkeeping) and return its coefficient vectors minus those of Ψ (all zero iff
 * ξ_0..ξ_K is right).
 */
export function lieSeriesResidual(L: Poly, map: UpdateMap, xi: readonly PolyVec[]): Poly[][] {
  const n = L.nvars;
  const order = xi.length + 1;
  const g = gradient(L);
  // Fs[i] = η-series of the i-th component of F, truncated at η^order.
  const Fs: EtaSeries[] = Array.from({ length: n }, (_, i) => {
    const s = seriesOfLength(n, order);
    s[0] = g[i]!.neg();
    xi.forEach((x, k) => {
      if (k + 1 <= order) s[k + 1] = x[i]!.neg();
    });
    return s;
  });
  const dF = (phiS: EtaSeries[]): EtaSeries[] =>
    phiS.map((comp) => {
      let out = seriesOfLength(n, order);
      for (let i = 0; i < n; i++) {
        const dcomp = comp.map((p) => p.diff(i));
        out = seriesAdd(out, seriesMul(dcomp, Fs[i]!));
      }
      return out;
    });
  let total: EtaSeries[] = Array.from({ length: n }, (_, i) => {
    const s = seriesOfLength(n, order);
    s[0] = Poly.variable(n, i);
    return s;
  });
  let term = Fs; // (D_F)^{m−1} F
  for (let m = 1; m <= order; m++) {
    const c = q(1n, factorial(m));
    total = total.map((s, i) => {
      const shifted = seriesOfLength(n, order);
      for (let j = 0; j + m <= order; j++) shifted[j + m] = term[i]![j]!.scale(c);
      return seriesAdd(s, shifted);
    });
    if (m < order) term = dF(term);
  }
  const psi = updateCoefficients(L, map, order);
  return Array.from({ length: order + 1 }, (_, j) => total.map((s, i) => s[j]!.sub(psi[j]![i]!)));
}

// ---------------------------------------------------------------- reading the solver's output

/** The shape of a tree that this oracle needs: the ids of the root's subtrees (with repeats). */
export interface TreeShape {
  readonly id: number;
  readonly children: readonly number[];
}

/**
 * D^m g[v_1, …, v_m] for polynomial fields v_j: iterated directional derivatives acting on g only
 * (the directions are held fixed), Σ_{i_1} v_1[i_1] ∂_{i_1}( Σ_{i_2} v_2[i_2] ∂_{i_2}( … g ) ).
 * Implemented by differentiating g first and multiplying by the direction components afterwards,
 * so the directions are never differentiated.
 */
export function frozenDirectional(g: PolyVec, dirs: readonly PolyVec[]): Poly[] {
  const n = g.length;
  const walk = (p: Poly, d: number): Poly => {
    if (p.isZero() || d === dirs.length) return p;
    let s = Poly.zero(p.nvars);
    for (let i = 0; i < n; i++) {
      const inner = walk(p.diff(i), d + 1);
      if (!inner.isZero()) s = s.add(inner.mul(dirs[d]![i]!));
    }
    return s;
  };
  return g.map((gc) => walk(gc, 0));
}

/** Elementary differential F(τ) on the polynomial gradient g: F(•) = g, F([τ1..τm]) = D^m g[F(τ1)..F(τm)]. */
export function elementaryDifferential(
  g: PolyVec,
  tree: TreeShape,
  lookup: (id: number) => TreeShape,
  cache: Map<number, PolyVec> = new Map(),
): PolyVec {
  const hit = cache.get(tree.id);
  if (hit) return hit;
  const dirs = tree.children.map((c) => elementaryDifferential(g, lookup(c), lookup, cache));
  const out = frozenDirectional(g, dirs);
  cache.set(tree.id, out);
  return out;
}

/** Σ c(τ) F(τ) for a tree series given as (tree, coefficient num/den) terms. */
export function evaluateTreeSeries(
  g: PolyVec,
  terms: Iterable<{ readonly tree: TreeShape; readonly coefficient: { readonly num: bigint; readonly den: bigint } }>,
  lookup: (id: number) => TreeShape,
  cache: Map<number, PolyVec> = new Map(),
): Poly[] {
  let s: Poly[] = vecZero(g[0]!.nvars, g.length);
  for (const { tree, coefficient } of terms) {
    const c: Q = q(coefficient.num, coefficient.den);
    s = vecAdd(s, vecScale(elementaryDifferential(g, tree, lookup, cache), c));
  }
  return s;
}

