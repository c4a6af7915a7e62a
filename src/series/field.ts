/**
 * What tree series need from their coefficients: a field. `Rational` (fractions over the
 * integers) is the one in use; fractions over a polynomial ring would be the next.
 */
export interface Field<C> {
  readonly zero: C;
  readonly one: C;
  fromInteger(n: bigint | number): C;
  add(a: C, b: C): C;
  sub(a: C, b: C): C;
  mul(a: C, b: C): C;
  div(a: C, b: C): C;
  neg(a: C): C;
  isZero(a: C): boolean;
  equals(a: C, b: C): boolean;
  toString(a: C): string;
}
