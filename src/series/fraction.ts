/**
 * Exact fractions over a coefficient ring, in lowest terms with a normalised denominator.
 * `Rational` is the instance over the integers and is what derivations print: "p/q" or "n".
 *
 * @example
 *   const r = rational(1n, 3n);
 *   Rational.add(r, rational(1n, 6n)).toString() // "1/2"
 */
import { bigintGcd, grouped, integers, type CoefficientRing } from './ring.js';

export interface Fraction<R> {
  readonly num: R;
  readonly den: R;
}

/** Field operations on fractions over the ring `ring`. */
export class FractionField<R> {
  constructor(readonly ring: CoefficientRing<R>) {}

  get zero(): Fraction<R> {
    return { num: this.ring.zero, den: this.ring.one };
  }

  get one(): Fraction<R> {
    return { num: this.ring.one, den: this.ring.one };
  }

  fromInteger(n: bigint | number): Fraction<R> {
    return { num: this.ring.fromInteger(n), den: this.ring.one };
  }

  make(num: R, den: R): Fraction<R> {
    const r = this.ring;
    if (r.isZero(den)) throw new RangeError('division by zero');
    if (r.isZero(num)) return this.zero;
    const g = r.gcd(num, den);
    let n = r.divExact(num, g);
    let d = r.divExact(den, g);
    const u = r.unitPart(d);
    if (!r.equals(u, r.one)) {
      n = r.divExact(n, u);
      d = r.divExact(d, u);
    }
    return { num: n, den: d };
  }

  add(a: Fraction<R>, b: Fraction<R>): Fraction<R> {
    const r = this.ring;
    return this.make(r.add(r.mul(a.num, b.den), r.mul(b.num, a.den)), r.mul(a.den, b.den));
  }

  sub(a: Fraction<R>, b: Fraction<R>): Fraction<R> {
    return this.add(a, this.neg(b));
  }

  mul(a: Fraction<R>, b: Fraction<R>): Fraction<R> {
    return this.make(this.ring.mul(a.num, b.num), this.ring.mul(a.den, b.den));
  }

  div(a: Fraction<R>, b: Fraction<R>): Fraction<R> {
    if (this.ring.isZero(b.num)) throw new RangeError('division by zero');
    return this.make(this.ring.mul(a.num, b.den), this.ring.mul(a.den, b.num));
  }

  neg(a: Fraction<R>): Fraction<R> {
    return { num: this.ring.neg(a.num), den: a.den };
  }

  isZero(a: Fraction<R>): boolean {
    return this.ring.isZero(a.num);
  }

  equals(a: Fraction<R>, b: Fraction<R>): boolean {
    return this.ring.equals(a.num, b.num) && this.ring.equals(a.den, b.den);
  }

  toString(a: Fraction<R>): string {
    const r = this.ring;
    return r.equals(a.den, r.one) ? r.toString(a.num) : `${grouped(r.toString(a.num))}/${grouped(r.toString(a.den), true)}`;
  }
}

/**
 * The rationals, with fast paths for integers (no gcd when both denominators are 1), which is
 * most of the arithmetic in expanded polynomials.
 */
class RationalField extends FractionField<bigint> {
  override add(a: Fraction<bigint>, b: Fraction<bigint>): Fraction<bigint> {
    if (a.den === 1n && b.den === 1n) return { num: a.num + b.num, den: 1n };
    return super.add(a, b);
  }

  override mul(a: Fraction<bigint>, b: Fraction<bigint>): Fraction<bigint> {
    if (a.den === 1n && b.den === 1n) return { num: a.num * b.num, den: 1n };
    return super.mul(a, b);
  }
}

/**
 * Whether a coefficient field is the rationals (fractions over the integers), as opposed to
 * rational functions of symbolic hyperparameters.
 *
 * @example
 *   isRationalField(Rational) // true
 */
export function isRationalField(field: unknown): field is FractionField<bigint> {
  return field instanceof FractionField && field.ring === (integers as CoefficientRing<unknown>);
}

/** Exact rationals p/q with BigInt p, q, q > 0, gcd(p, q) = 1. */
export type Rational = Fraction<bigint>;
export const Rational: FractionField<bigint> = new RationalField(integers);

export function rational(num: bigint | number, den: bigint | number = 1n): Rational {
  return Rational.make(BigInt(num), BigInt(den));
}

/**
 * Parse "p/q", "-p/q" or "n" (as printed by `Rational.toString`).
 *
 * @example
 *   parseRational("-1/12") // { num: -1n, den: 12n }
 */
export function parseRational(text: string): Rational {
  const m = /^\s*(-?\d+)(?:\s*\/\s*(\d+))?\s*$/.exec(text);
  if (!m) throw new SyntaxError(`not a rational number: "${text}"`);
  return rational(BigInt(m[1]!), BigInt(m[2] ?? '1'));
}

/** The value as a floating-point number (for display and numerics only, never for derivations). */
export function rationalToNumber(a: Rational): number {
  if (bitLength(a.num) <= 1000 && bitLength(a.den) <= 1000) return Number(a.num) / Number(a.den);
  // Keep ~64 significant bits of each part, divide, then restore the binary exponents.
  const negative = a.num < 0n;
  const n = negative ? -a.num : a.num;
  const sn = Math.max(0, bitLength(n) - 64);
  const sd = Math.max(0, bitLength(a.den) - 64);
  const ratio = Number(n >> BigInt(sn)) / Number(a.den >> BigInt(sd)); // within a factor 2 of 1
  const e = sn - sd;
  const half = Math.trunc(e / 2); // 2^e in two factors, so neither overflows while the product is finite
  const value = ratio * 2 ** half * 2 ** (e - half);
  return negative ? -value : value;
}

function bitLength(x: bigint): number {
  return (x < 0n ? -x : x).toString(2).length;
}

export { bigintGcd };
