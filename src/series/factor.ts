/**
 * Square-free factorisation of elements of Z[s1]…[sn] (series/symbols.ts), for printing
 * denominators the way people write them: 2(1 − β)³ rather than 2β³ − 6β² + 6β − 2.
 *
 * Yun's algorithm over a gcd domain of characteristic 0 (Yun 1976; von zur Gathen & Gerhard,
 * "Modern Computer Algebra", Alg. 14.21): for primitive a, with c = gcd(a, a′), w = a/c, repeat
 * y = gcd(w, c), output w/y with the current multiplicity, w ← y, c ← c/y. Contents (elements of
 * the inner ring) are factored recursively; the integer content is kept as one number.
 *
 * @example
 *   const R = symbolRing(['beta']);
 *   squareFree(R, R.mul(R.fromInteger(2), cube(oneMinusBeta)))
 *   // { unit: 2n, factors: [{ factor: 1 − β, multiplicity: 3 }] } (1 − β with a positive constant term)
 */
import { PolynomialRing, type Polynomial } from './polynomial.js';
import type { CoefficientRing } from './ring.js';

export interface SquareFreeFactor {
  readonly factor: unknown;
  readonly multiplicity: number;
}

export interface SquareFreeFactorisation {
  /** An integer (sign included) times the product of the factors. */
  readonly unit: bigint;
  /** Non-constant factors, each with a positive lowest-degree coefficient (1 − β, not β − 1). */
  readonly factors: readonly SquareFreeFactor[];
}

export function squareFree(ring: CoefficientRing<unknown>, a: unknown): SquareFreeFactorisation {
  if (!(ring instanceof PolynomialRing)) return { unit: a as bigint, factors: [] };
  const R = ring as PolynomialRing<unknown>;
  const p = a as Polynomial<unknown>;
  if (p.length === 0) return { unit: 0n, factors: [] };
  const inner = squareFree(R.base, R.content(p));
  let sign = R.base.equals(R.base.unitPart(R.leading(p)), R.base.one) ? 1n : -1n;
  const factors: SquareFreeFactor[] = inner.factors.map((f) => ({ factor: R.constant(f.factor), multiplicity: f.multiplicity }));
  let primitive: Polynomial<unknown> = R.primitivePart(p);
  if (primitive.length > 1) {
    let c = R.gcd(primitive, R.derivative(primitive));
    let w = R.divExact(primitive, c);
    let multiplicity = 1;
    while (w.length > 1) {
      const y = R.gcd(w, c);
      const z = R.divExact(w, y);
      if (z.length > 1) factors.push({ factor: z, multiplicity });
      w = y;
      c = R.divExact(c, y);
      multiplicity++;
    }
    primitive = R.one;
  }
  // Normalise each factor to a positive lowest-degree coefficient, moving signs into the unit.
  const normalised = factors.map((f) => {
    if (lowestSign(ring, f.factor) > 0) return f;
    if (f.multiplicity % 2 === 1) sign = -sign;
    return { factor: R.neg(f.factor as Polynomial<unknown>), multiplicity: f.multiplicity };
  });
  return { unit: sign * inner.unit, factors: normalised };
}

/** The sign of the coefficient of the lowest-degree monomial (innermost variable first). */
export function lowestSign(ring: CoefficientRing<unknown>, a: unknown): number {
  if (!(ring instanceof PolynomialRing)) {
    const x = a as bigint;
    return x > 0n ? 1 : x < 0n ? -1 : 0;
  }
  const p = a as Polynomial<unknown>;
  const first = p.find((c) => !ring.base.isZero(c));
  return first === undefined ? 0 : lowestSign(ring.base, first);
}
