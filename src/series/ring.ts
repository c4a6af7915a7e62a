/**
 * The coefficient ring behind every exact computation. Derivations never touch a number type
 * directly: they go through a `CoefficientRing`, so that coefficients which are rational functions
 * of hyperparameters (momentum β, Adam's β1, β2) can later be a new ring, not a new solver.
 *
 * The ring is an integral domain with a gcd (integers now; polynomials over Q later). Exact
 * fractions are pairs over it (`fraction.ts`), and the solver's inner loop works on integer
 * numerators over one shared denominator, so it only adds and multiplies.
 *
 * @example
 *   integers.mul(integers.fromInteger(6), integers.fromInteger(7)) // 42n
 */
export interface CoefficientRing<R> {
  readonly name: string;
  readonly zero: R;
  readonly one: R;
  fromInteger(n: bigint | number): R;
  add(a: R, b: R): R;
  sub(a: R, b: R): R;
  mul(a: R, b: R): R;
  neg(a: R): R;
  isZero(a: R): boolean;
  equals(a: R, b: R): boolean;
  /** A greatest common divisor, normalised (for integers: non-negative; gcd(0, 0) = 0). */
  gcd(a: R, b: R): R;
  /** a / b when b divides a exactly (throws otherwise). */
  divExact(a: R, b: R): R;
  /** Whether a is a unit (±1 for the integers). */
  isUnit(a: R): boolean;
  /** The unit u with a/u normalised (for integers: the sign), used to normalise denominators. */
  unitPart(a: R): R;
  /** Plain text, one string per element (a canonical form: equal elements print alike), e.g. "1 - beta". */
  toString(a: R): string;
}

/**
 * A printed ring element ready to be a factor: in parentheses when it is a sum ("1 - beta" →
 * "(1 - beta)"; sums are the only printed forms with a space). As a divisor (`divisor`), anything
 * but a plain number or name is parenthesised ("2*beta" → "(2*beta)").
 *
 * @example
 *   grouped('1 - beta')      // "(1 - beta)"
 *   grouped('-1/2')          // "-1/2"
 *   grouped('2*beta', true)  // "(2*beta)"
 */
export function grouped(text: string, divisor = false): string {
  return (divisor ? /^-?[\w.]+$/ : /^\S+$/).test(text) ? text : `(${text})`;
}

/** The integers, as BigInt. */
export const integers: CoefficientRing<bigint> = {
  name: 'integers',
  zero: 0n,
  one: 1n,
  fromInteger: (n) => BigInt(n),
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  neg: (a) => -a,
  isZero: (a) => a === 0n,
  equals: (a, b) => a === b,
  gcd: bigintGcd,
  divExact(a, b) {
    if (b === 0n || a % b !== 0n) throw new RangeError(`${b} does not divide ${a}`);
    return a / b;
  },
  isUnit: (a) => a === 1n || a === -1n,
  unitPart: (a) => (a < 0n ? -1n : 1n),
  toString: (a) => a.toString(),
};

/** Euclid's algorithm on BigInt; the result is non-negative. */
export function bigintGcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}
