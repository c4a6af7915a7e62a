/**
 * Truncated power series in η whose coefficients are normal forms of the loss layer: a scalar
 * series is `Poly[]` (index = power of η), a vector series `Poly[][]` (power of η, then component).
 * Only what the slow-manifold solve needs: Cauchy products, composition with a known scalar power
 * series f(x) = Σ a_n xⁿ when x has no constant term, and a `simplify` hook applied to every
 * coefficient built (the solver's |g_i| rules).
 *
 * @example
 *   const s = new EtaSeries(2, (p) => p);
 *   s.mul([Poly.one, Poly.one], [Poly.one, Poly.one]) // [1, 2, 1]: (1 + η)²
 */
import { Rational, rational } from '../series/fraction.js';
import { Poly } from '../algebra/poly.js';

export class EtaSeries {
  /** `order`: the highest power of η kept. */
  constructor(
    readonly order: number,
    readonly simplify: (p: Poly) => Poly,
  ) {}

  /** a·b truncated at η^order (missing coefficients are zero). */
  mul(a: readonly Poly[], b: readonly Poly[]): Poly[] {
    const out: Poly[] = [];
    for (let k = 0; k <= this.order; k++) {
      const parts: Poly[] = [];
      for (let i = 0; i <= k; i++) {
        const x = a[i];
        const y = b[k - i];
        if (x && y && !x.isZero() && !y.isZero()) parts.push(x.mul(y));
      }
      out.push(this.simplify(Poly.sum(parts)));
    }
    return out;
  }

  /** Σ_n coefficients[n]·xⁿ for x without constant term (x[0] ignored), truncated at η^order. */
  compose(coefficients: (n: number) => Rational, x: readonly Poly[]): Poly[] {
    const shifted = [Poly.zero, ...x.slice(1)];
    let power: Poly[] = [Poly.one];
    let out: Poly[] = [Poly.constant(coefficients(0))];
    for (let n = 1; n <= this.order; n++) {
      power = this.mul(power, shifted);
      const c = coefficients(n);
      out = out.map((p, k) => p.add((power[k] ?? Poly.zero).scale(c)));
      for (let k = out.length; k < power.length; k++) out.push((power[k] ?? Poly.zero).scale(c));
    }
    return out.map((p) => this.simplify(p));
  }
}

/**
 * The coefficients binom(1/2, n) of √(1 + x) = Σ binom(1/2, n) xⁿ.
 *
 * @example
 *   sqrtOnePlus(2) // −1/8
 */
export function sqrtOnePlus(n: number): Rational {
  let c = Rational.one;
  for (let k = 0; k < n; k++) c = Rational.div(Rational.mul(c, Rational.sub(rational(1, 2), rational(k))), rational(k + 1));
  return c;
}

/**
 * The coefficients (−1)ⁿ of 1/(1 + x).
 *
 * @example
 *   reciprocalOnePlus(3) // −1
 */
export function reciprocalOnePlus(n: number): Rational {
  return rational(n % 2 === 0 ? 1 : -1);
}

/**
 * 1/m! as a rational.
 *
 * @example
 *   inverseFactorial(3) // 1/6
 */
export function inverseFactorial(m: number): Rational {
  let f = 1n;
  for (let k = 2; k <= m; k++) f *= BigInt(k);
  return rational(1n, f);
}
