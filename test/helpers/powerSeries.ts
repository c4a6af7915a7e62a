/**
 * Exact truncated power series with rational coefficients: just enough to expand
 * log R(z) for a Runge–Kutta stability function R, independently of any tree code.
 */
import { Rational } from '../../src/index.js';

export type Series = Rational[]; // coefficient of z^i at index i

/** log(1 + u(z)) for u(0) = 0, truncated after z^n: Σ_{j≥1} (−1)^{j+1} u^j / j. */
export function log1p(u: Series, n: number): Series {
  const out: Series = Array.from({ length: n + 1 }, () => Rational.zero);
  let power: Series = [Rational.one];
  for (let j = 1; j <= n; j++) {
    power = multiply(power, u, n);
    const c = Rational.div(Rational.fromInteger(j % 2 === 1 ? 1 : -1), Rational.fromInteger(j));
    for (let i = 0; i <= n; i++) out[i] = Rational.add(out[i]!, Rational.mul(c, power[i] ?? Rational.zero));
  }
  return out;
}

export function multiply(a: Series, b: Series, n: number): Series {
  const out: Series = Array.from({ length: n + 1 }, () => Rational.zero);
  a.forEach((x, i) =>
    b.forEach((y, j) => {
      if (i + j <= n) out[i + j] = Rational.add(out[i + j]!, Rational.mul(x, y));
    }),
  );
  return out;
}
