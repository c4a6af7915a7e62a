/**
 * Exact series coefficients as normal forms of the loss layer: a rational stays a rational; a
 * rational function of symbolic hyperparameters (series/symbols.ts) becomes a polynomial in their
 * constant symbols times powers of the inverses of its denominator's square-free factors, e.g.
 * (1 + β)/(2(1 − β)³) ↦ ½ (1 + β)·[1/(1 − β)]³, so closed forms name 1/(1 − β) once.
 *
 * @example
 *   const toPoly = coefficientPoly(loss.table);
 *   toPoly(rational(1, 2))            // the constant 1/2
 *   toPoly(xi0.coefficient(tree), R)  // (1 + beta)/(2*(1 - beta)^3) as a Poly
 */
import { FractionField, Rational, isRationalField, type Fraction } from '../series/fraction.js';
import type { Field } from '../series/field.js';
import { squareFree } from '../series/factor.js';
import type { CoefficientRing } from '../series/ring.js';
import { monomials } from '../series/symbols.js';
import type { AtomTable } from './atoms.js';
import { Poly } from './poly.js';

/** A converter from the coefficients of `field` to normal forms in `table`. */
export function coefficientPoly<C>(table: AtomTable, field: Field<C>): (c: C) => Poly {
  if (isRationalField(field) || !(field instanceof FractionField)) return (c) => Poly.constant(c as unknown as Rational);
  const ring = field.ring as CoefficientRing<unknown>;
  const cache = new Map<string, Poly>();
  const polynomial = (a: unknown): Poly =>
    Poly.sum(
      monomials(ring, a).map((m) =>
        [...m.exponents].reduce((acc, [s, e]) => acc.mul(table.constantSymbol(s).powInt(e)), Poly.constant(Rational.fromInteger(m.coefficient))),
      ),
    );
  return (c) => {
    const f = c as unknown as Fraction<unknown>;
    const key = `${ring.toString(f.num)}|${ring.toString(f.den)}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const den = squareFree(ring, f.den);
    let out = polynomial(f.num).scale(Rational.make(1n, den.unit));
    for (const { factor, multiplicity } of den.factors) out = out.mul(table.inverse(polynomial(factor)).powInt(multiplicity));
    cache.set(key, out);
    return out;
  };
}
