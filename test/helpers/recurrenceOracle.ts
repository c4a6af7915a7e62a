/**
 * An independent oracle for the equation of motion of a multistep / multistage recurrence on a
 * concrete polynomial loss: the leading factor c and the counter terms ξ_0 … ξ_K as exact polynomial
 * vectors in θ. Shares no code with src/ (only test/helpers/polynomial.ts and the η-series
 * substitution of test/helpers/lieSeriesOracle.ts); no trees.
 *
 * The recurrence (rational coefficients, given as literal tables):
 *     θ_{n+1} = Σ_j a_j θ_{n−j} − η Σ_i b_i g(Y_i),   Y_i = Σ_j c_ij θ_{n−j} − η Σ_{l<i} d_il g(Y_l).
 *
 * Derivation (done here, not taken from the solver). Let F be the EoM field and φ_t its flow. On the
 * slow manifold θ_{n−j} = φ_{−jη}(θ_n), so with θ = θ_n the recurrence is the identity in θ and η
 *     E(θ; η) := φ_η(θ) − Σ_j a_j φ_{−jη}(θ) + η Σ_i b_i g(Y_i(θ; η)) = 0,                    (R)
 *     Y_i(θ; η) = Σ_j c_ij φ_{−jη}(θ) − η Σ_{l<i} d_il g(Y_l(θ; η)).
 * Write F = Σ_{k≥0} η^k F_k (F_0 = −c g, F_{k+1} = −ξ_k) and X[N] for the coefficient of η^N of any
 * η-series X. The Lie series of F gives the flow at time sη (s = 1, −1, −2, …):
 *     φ_{sη}(θ) = θ + Σ_{m≥1} (sη)^m/m! Φ_m(θ),   Φ_1 = F,  Φ_m = Φ_{m−1}'·F,
 * and since Φ_m is m-linear in F, Φ_m[j] = Σ_{a=0}^{j} Φ_{m−1}[j−a]'·F_a involves F_0 … F_j only.
 * So φ_{sη}[N] = s F_{N−1} + Σ_{m=2}^{N} s^m/m! Φ_m[N−m], where the sum uses F_0 … F_{N−2}.
 * g(Y_i) is computed by literally substituting the η-series Y_i into the polynomial g; its η^{N−1}
 * coefficient needs Y_i[0 … N−1], i.e. flows through η^{N−1} (F_0 … F_{N−2}) and g(Y_l)[≤ N−2].
 * Hence in E[N] the newest unknown F_{N−1} appears only through the flows, linearly:
 *     E[N] = (1 − Σ_j a_j·(−j)) F_{N−1} + E°[N],   ρ'(1) := 1 + Σ_j j a_j,
 * where E°[N] is E[N] evaluated with F_{N−1} = 0 (all its ingredients are known). So, for
 * N = 1, 2, …, K + 2 in turn,
 *     F_{N−1} = −E°[N] / ρ'(1),
 * and E[0] = (1 − Σ_j a_j) θ = 0 is the consistency condition. N = 1 gives F_0 = −(Σ_i b_i/ρ'(1)) g,
 * i.e. c = Σ_i b_i / ρ'(1). `recurrenceResidual` re-checks an answer by evaluating (R) from scratch
 * (whole truncated Lie series, no order-by-order bookkeeping).
 *
 * @example
 *   // heavy ball at β = 1/2: a = (3/2, −1/2), one stage at θ_n, b = (1)
 *   const hb = { history: [q(3, 2), q(-1, 2)], stages: [{ iterates: [q(1)], gradients: [] }], weights: [q(1)] };
 *   recurrenceCounterTerms(L, hb, 2).c  // 2 = 1/(1 − β)
 */
import { factorial, lieTable, substitute, type EtaSeries } from './lieSeriesOracle.js';
import {
  Poly,
  Q0,
  Q1,
  gradient,
  q,
  qadd,
  qdiv,
  qIsZero,
  qmul,
  qneg,
  vecAdd,
  vecDirectional,
  vecEquals,
  vecScale,
  vecZero,
  type PolyVec,
  type Q,
} from './polynomial.js';

/** One stage point Y_i: c_ij (coefficient of θ_{n−j}) and d_il (Y_i gets −η d_il g(Y_l)). */
export interface RationalStage {
  readonly iterates: readonly Q[];
  readonly gradients: readonly Q[];
}

/** The recurrence as literal rational tables. */
export interface RationalRecurrence {
  /** a_j: coefficient of θ_{n−j} in θ_{n+1}. */
  readonly history: readonly Q[];
  readonly stages: readonly RationalStage[];
  /** b_i: weight of −η g(Y_i). */
  readonly weights: readonly Q[];
}

export interface RecurrenceOracleResult {
  /** c in F = −c g − Σ η^{k+1} ξ_k. */
  readonly c: Q;
  /** F_0 = −c g, as computed (not assumed). */
  readonly leadingField: Poly[];
  /** ξ_0 … ξ_K. */
  readonly xi: Poly[][];
}

function qpow(x: Q, m: number): Q {
  let r = Q1;
  for (let i = 0; i < m; i++) r = qmul(r, x);
  return r;
}

function qsum(xs: readonly Q[]): Q {
  return xs.reduce((s, x) => qadd(s, x), Q0);
}

/** θ as a vector of polynomials. */
function identity(n: number): Poly[] {
  return Array.from({ length: n }, (_, i) => Poly.variable(n, i));
}

/** g(Y) truncated after η^order, Y given by its coefficient vectors Y[0..order]. */
function gradientAt(g: PolyVec, Y: readonly PolyVec[], order: number): Poly[][] {
  const n = g.length;
  const series: EtaSeries[] = Array.from({ length: n }, (_, i) => Array.from({ length: order + 1 }, (_, j) => Y[j]![i]!));
  const out = g.map((gi) => substitute(gi, series));
  return Array.from({ length: order + 1 }, (_, j) => out.map((s) => s[j]!));
}

/** c and ξ_0 … ξ_K of the recurrence on the loss L, order by order (see the file comment). */
export function recurrenceCounterTerms(L: Poly, rec: RationalRecurrence, K: number): RecurrenceOracleResult {
  const n = L.nvars;
  const g = gradient(L);
  const theta = identity(n);
  if (!qIsZero(qadd(qsum(rec.history), qneg(Q1)))) throw new Error('E[0] ≠ 0: the a_j must add up to 1');
  for (const s of rec.stages) if (!qIsZero(qadd(qsum(s.iterates), qneg(Q1)))) throw new Error('a stage is not an affine combination');
  const slope = rec.history.reduce((s, a, j) => qadd(s, qmul(q(j), a)), Q1); // ρ'(1)
  if (qIsZero(slope)) throw new Error('ρ\'(1) = 0');

  const F: Poly[][] = [];
  const Phi = lieTable(F, n); // Φ_m[j], memoised
  /** φ_{sη}[N] without its F_{N−1} term (N ≥ 1): Σ_{m=2}^{N} s^m/m! Φ_m[N−m]. */
  const flowWithoutNewest = (s: number, N: number): Poly[] => {
    let out: Poly[] = vecZero(n);
    for (let m = 2; m <= N; m++) out = vecAdd(out, vecScale(Phi(m, N - m), qdiv(qpow(q(s), m), q(factorial(m)))));
    return out;
  };
  /** φ_{sη}[N] in full (F_0 … F_{N−1} known). */
  const flow = (s: number, N: number): Poly[] =>
    N === 0 ? theta : vecAdd(flowWithoutNewest(s, N), vecScale(F[N - 1]!, q(s)));

  // Y[i][k] and G[i][k] = g(Y_i)[k], filled as the orders come.
  const Y: Poly[][][] = rec.stages.map(() => []);
  const G: Poly[][][] = rec.stages.map(() => []);

  for (let N = 1; N <= K + 2; N++) {
    // Stage points through η^{N−1}, then g(Y_i)[N−1] by substitution.
    rec.stages.forEach((stage, i) => {
      const k = N - 1;
      let y: Poly[] = vecZero(n);
      stage.iterates.forEach((c, j) => {
        if (!qIsZero(c)) y = vecAdd(y, vecScale(flow(-j, k), c));
      });
      if (k >= 1) {
        stage.gradients.forEach((d, l) => {
          if (!qIsZero(d)) y = vecAdd(y, vecScale(G[l]![k - 1]!, qneg(d)));
        });
      }
      Y[i]![k] = y;
      G[i]![k] = gradientAt(g, Y[i]!, k)[k]!;
    });
    // E°[N] = φ_η[N] − Σ_j a_j φ_{−jη}[N] + Σ_i b_i g(Y_i)[N−1], all with F_{N−1} = 0.
    let residual: Poly[] = flowWithoutNewest(1, N);
    rec.history.forEach((a, j) => {
      if (!qIsZero(a)) residual = vecAdd(residual, vecScale(flowWithoutNewest(-j, N), qneg(a)));
    });
    rec.weights.forEach((b, i) => {
      if (!qIsZero(b)) residual = vecAdd(residual, vecScale(G[i]![N - 1]!, b));
    });
    F.push(vecScale(residual, qneg(qdiv(Q1, slope))));
  }

  // F_0 = −c g: read c off one non-zero component and check the whole vector.
  const leadingField = F[0]!;
  const c = qdiv(qsum(rec.weights), slope);
  if (!vecEquals(leadingField, vecScale(g, qneg(c)))) throw new Error('oracle bug: F_0 is not −(Σb/ρ\'(1)) g');
  return { c, leadingField, xi: F.slice(1).map((f) => f.map((p) => p.neg())) };
}

/**
 * Brute-force check of an answer: with F = −c g − Σ_{k≤K} η^{k+1} ξ_k, evaluate the coefficient
 * vectors of E(θ; η) in (R) through η^{K+2} from scratch — every flow φ_{sη} as the full truncated
 * Lie series θ + Σ_m (sη)^m/m! (D_F)^{m−1} F on η-series, every g(Y_i) by substitution — and return
 * them (all zero iff c, ξ_0 … ξ_K are right).
 */
export function recurrenceResidual(L: Poly, rec: RationalRecurrence, c: Q, xi: readonly PolyVec[]): Poly[][] {
  const n = L.nvars;
  const order = xi.length + 1; // E[0 … K+2]
  const g = gradient(L);
  const zero = (): Poly[] => vecZero(n);
  type VecSeries = Poly[][]; // [η power][component]
  const seriesZero = (): VecSeries => Array.from({ length: order + 1 }, zero);
  const Fs: VecSeries = seriesZero();
  Fs[0] = vecScale(g, qneg(c));
  xi.forEach((x, k) => {
    if (k + 1 <= order) Fs[k + 1] = x.map((p) => p.neg());
  });
  // D_F on a vector η-series: (X'·F)[j] = Σ_a X[j−a]'·F[a].
  const dF = (X: VecSeries): VecSeries =>
    X.map((_, j) => {
      let s = zero();
      for (let a = 0; a <= j; a++) s = vecAdd(s, vecDirectional(X[j - a]!, Fs[a]!));
      return s;
    });
  const lie: VecSeries[] = [Fs]; // lie[m−1] = (D_F)^{m−1} F
  for (let m = 2; m <= order; m++) lie.push(dF(lie[m - 2]!));
  const flowSeries = (s: number): VecSeries => {
    const out = seriesZero();
    out[0] = identity(n);
    for (let m = 1; m <= order; m++) {
      const scale = qdiv(qpow(q(s), m), q(factorial(m)));
      for (let j = 0; j + m <= order; j++) out[j + m] = vecAdd(out[j + m]!, vecScale(lie[m - 1]![j]!, scale));
    }
    return out;
  };
  const add = (a: VecSeries, b: VecSeries, c2: Q): VecSeries => a.map((v, j) => vecAdd(v, vecScale(b[j]!, c2)));
  const etaTimes = (a: VecSeries): VecSeries => [zero(), ...a.slice(0, order)];
  const grads: VecSeries[] = [];
  rec.stages.forEach((stage) => {
    let y = seriesZero();
    stage.iterates.forEach((cij, j) => {
      if (!qIsZero(cij)) y = add(y, flowSeries(-j), cij);
    });
    stage.gradients.forEach((d, l) => {
      if (!qIsZero(d)) y = add(y, etaTimes(grads[l]!), qneg(d));
    });
    grads.push(gradientAt(g, y, order));
  });
  let E = flowSeries(1);
  rec.history.forEach((a, j) => {
    if (!qIsZero(a)) E = add(E, flowSeries(-j), qneg(a));
  });
  rec.weights.forEach((b, i) => {
    if (!qIsZero(b)) E = add(E, etaTimes(grads[i]!), b);
  });
  return E;
}
