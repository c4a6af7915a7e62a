/**
 * Where a multistep recurrence has an equation of motion that its iterates approach: the roots of
 * the characteristic polynomial ρ(ζ) = ζ^p − Σ_j a_j ζ^{p−1−j} other than ζ = 1 (the parasitic
 * roots) must lie strictly inside the unit circle (Hairer, Lubich & Wanner, GNI §XV.2: the
 * underlying one-step method attracts the iterates exactly then). Heavy ball: ρ(ζ) = (ζ − 1)(ζ − β),
 * so |β| < 1. Decided exactly, with rationals, by the Schur–Cohn test.
 *
 * @example
 *   parasiticRootsInside([rational(19, 10), rational(-9, 10)]) // true  (heavy ball, β = 9/10)
 *   parasiticRootsInside([rational(3), rational(-2)])          // false (β = 2)
 */
import { Rational } from '../series/fraction.js';

/** ρ(ζ)/(ζ − 1) for history a_0 … a_{p−1} with Σ a_j = 1; coefficients lowest degree first. */
export function parasiticPolynomial(history: readonly Rational[]): Rational[] {
  // ρ lowest degree first: ρ_k = −a_{p−1−k} for k < p, ρ_p = 1.
  const p = history.length;
  const rho: Rational[] = [...history.map((_, k) => Rational.neg(history[p - 1 - k]!)), Rational.one];
  // Synthetic division by (ζ − 1), from the top: q_{k−1} = ρ_k + q_k.
  const q: Rational[] = new Array<Rational>(p).fill(Rational.zero);
  let carry = Rational.zero;
  for (let k = p; k >= 1; k--) {
    carry = Rational.add(rho[k]!, carry);
    q[k - 1] = carry;
  }
  if (!Rational.isZero(Rational.add(rho[0]!, carry))) throw new RangeError('ρ(1) ≠ 0: the history coefficients do not add up to 1');
  return q;
}

/** Schur–Cohn: every root of q (lowest degree first, q ≠ 0) lies strictly inside |ζ| < 1. */
export function rootsInsideUnitCircle(q: readonly Rational[]): boolean {
  let poly = trim([...q]);
  while (poly.length > 1) {
    const d = poly.length - 1;
    const low = poly[0]!;
    const high = poly[d]!;
    if (!lessInMagnitude(low, high)) return false;
    // T q = (q_d q − q_0 q*)/ζ, q*(ζ) = ζ^d q(1/ζ): degree d − 1, same count of roots inside.
    const next: Rational[] = [];
    for (let k = 1; k <= d; k++) next.push(Rational.sub(Rational.mul(high, poly[k]!), Rational.mul(low, poly[d - k]!)));
    poly = trim(next);
    if (poly.length === 0) return false; // q was self-inversive: roots on the circle
  }
  return true;
}

/** Whether the parasitic roots of a numeric history lie strictly inside the unit circle. */
export function parasiticRootsInside(history: readonly Rational[]): boolean {
  return rootsInsideUnitCircle(parasiticPolynomial(history));
}

function lessInMagnitude(a: Rational, b: Rational): boolean {
  const abs = (x: Rational) => (x.num < 0n ? Rational.neg(x) : x);
  const diff = Rational.sub(abs(b), abs(a));
  return diff.num > 0n;
}

function trim(xs: Rational[]): Rational[] {
  while (xs.length && Rational.isZero(xs[xs.length - 1]!)) xs.pop();
  return xs;
}
