/**
 * Heavy ball on the quadratic loss L = ½ a θ², in closed form, independently of any tree code.
 *
 * The iterates θ_{n+1} = (1 + β − ηa) θ_n − β θ_{n−1} are θ_n = ζ^n θ_0 on the slow manifold, ζ the
 * principal root (ζ → 1 as η → 0) of ζ² − (1 + β − x) ζ + β = 0, x = ηa. So the exact EoM is
 * dθ/dt = (log ζ / η) θ = Σ_{m≥1} ℓ_m a^m η^{m−1} θ with log ζ(x) = Σ_m ℓ_m x^m. Matching
 * F = −c g − Σ_k η^{k+1} ξ_k with g = aθ and ξ_k = κ_k a^{k+2} θ (only the chain tree H^{k+1} g
 * survives on a quadratic) gives c = −ℓ_1 and κ_k = −ℓ_{k+2}.
 *
 * ζ = 1 + u: (1 − β) u + u² + x + x u = 0, so u = −(x + x u + u²)/(1 − β), solved by fixed-point
 * iteration on power series in x (each pass fixes one more power), then log(1 + u) = Σ_j (−1)^{j+1} u^j/j.
 * The coefficients live in any field that can divide by 1 − β: Q at a fixed β, or the rational
 * functions p(β)/(1 − β)^e (p ∈ Q[β]) kept symbolic.
 *
 * @example
 *   heavyBallQuadraticLog(fixedBeta(q(1, 2)), 2)  // [0, −2, −6, …]: c = 2 = 1/(1 − β), κ_0 = 6
 */
import { Q0, Q1, q, qadd, qdiv, qEquals, qmul, qneg, qsub, type Q } from './polynomial.js';

/** The arithmetic needed: a field containing Q in which 1 − β is invertible. */
export interface BetaField<C> {
  readonly zero: C;
  fromQ(x: Q): C;
  add(a: C, b: C): C;
  mul(a: C, b: C): C;
  /** a / (1 − β) */
  divOneMinusBeta(a: C): C;
}

/** Q at a fixed exact β ≠ 1. */
export function fixedBeta(beta: Q): BetaField<Q> {
  const inv = qdiv(Q1, qsub(Q1, beta));
  return { zero: Q0, fromQ: (x) => x, add: qadd, mul: qmul, divOneMinusBeta: (a) => qmul(a, inv) };
}

/** p(β)/(1 − β)^e, p a dense Q-polynomial in β (lowest degree first). */
export interface BetaFraction {
  readonly p: readonly Q[];
  readonly e: number;
}

function polyAdd(a: readonly Q[], b: readonly Q[]): Q[] {
  return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => qadd(a[i] ?? Q0, b[i] ?? Q0));
}

export function polyMul(a: readonly Q[], b: readonly Q[]): Q[] {
  if (a.length === 0 || b.length === 0) return [];
  const out: Q[] = new Array<Q>(a.length + b.length - 1).fill(Q0);
  a.forEach((x, i) => b.forEach((y, j) => (out[i + j] = qadd(out[i + j]!, qmul(x, y)))));
  return out;
}

/** (1 − β)^k as a Q-polynomial. */
export function oneMinusBetaPower(k: number): Q[] {
  let out: Q[] = [Q1];
  for (let i = 0; i < k; i++) out = polyMul(out, [Q1, qneg(Q1)]);
  return out;
}

export function polyEquals(a: readonly Q[], b: readonly Q[]): boolean {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (!qEquals(a[i] ?? Q0, b[i] ?? Q0)) return false;
  return true;
}

/**
 * Lowest terms: cancel factors 1 − β while p(1) = 0 (synthetic division by β − 1), drop trailing
 * zeros. Without it the exponents would double with every product.
 */
function normalise(x: BetaFraction): BetaFraction {
  let p = [...x.p];
  while (p.length > 0 && qEquals(p[p.length - 1]!, Q0)) p.pop();
  if (p.length === 0) return { p: [], e: 0 };
  let e = x.e;
  while (e > 0 && qEquals(p.reduce((s, c) => qadd(s, c), Q0), Q0)) {
    // p = (β − 1)·r, r from the top: r_{k−1} = p_k + r_k; then p/(1 − β) = −r.
    const r: Q[] = new Array<Q>(p.length - 1).fill(Q0);
    let carry = Q0;
    for (let k = p.length - 1; k >= 1; k--) {
      carry = qadd(p[k]!, carry);
      r[k - 1] = carry;
    }
    p = r.map(qneg);
    e--;
  }
  return { p, e };
}

/** Rational functions of β whose denominators are powers of 1 − β (all that heavy ball needs here). */
export const symbolicBeta: BetaField<BetaFraction> = {
  zero: { p: [], e: 0 },
  fromQ: (x) => normalise({ p: [x], e: 0 }),
  add: (a, b) => {
    const e = Math.max(a.e, b.e);
    return normalise({ p: polyAdd(polyMul(a.p, oneMinusBetaPower(e - a.e)), polyMul(b.p, oneMinusBetaPower(e - b.e))), e });
  },
  mul: (a, b) => normalise({ p: polyMul(a.p, b.p), e: a.e + b.e }),
  divOneMinusBeta: (a) => normalise({ p: a.p, e: a.e + 1 }),
};

/** ℓ_0 … ℓ_M of log ζ(x) = Σ ℓ_m x^m (ℓ_0 = 0). */
export function heavyBallQuadraticLog<C>(F: BetaField<C>, M: number): C[] {
  const mul = (a: readonly C[], b: readonly C[]): C[] => {
    const out: C[] = new Array<C>(M + 1).fill(F.zero);
    a.forEach((x, i) => b.forEach((y, j) => {
      if (i + j <= M) out[i + j] = F.add(out[i + j]!, F.mul(x, y));
    }));
    return out;
  };
  const x: C[] = new Array<C>(M + 1).fill(F.zero);
  if (M >= 1) x[1] = F.fromQ(Q1);
  let u: C[] = new Array<C>(M + 1).fill(F.zero);
  for (let pass = 0; pass < M; pass++) {
    const xu = mul(x, u);
    const uu = mul(u, u);
    u = u.map((_, i) => F.divOneMinusBeta(F.mul(F.fromQ(qneg(Q1)), F.add(F.add(x[i]!, xu[i]!), uu[i]!))));
  }
  const log: C[] = new Array<C>(M + 1).fill(F.zero);
  let power: C[] = new Array<C>(M + 1).fill(F.zero);
  power[0] = F.fromQ(Q1);
  for (let j = 1; j <= M; j++) {
    power = mul(power, u);
    const c = F.fromQ(q(j % 2 === 1 ? 1 : -1, j));
    power.forEach((p, i) => (log[i] = F.add(log[i]!, F.mul(c, p))));
  }
  return log;
}
