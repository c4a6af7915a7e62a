/**
 * The integers and the rationals every derivation prints (src/series/ring.ts, fraction.ts), checked
 * against arithmetic written here from scratch: a recursive Euclid, fractions as plain BigInt pairs
 * reduced by hand, divisors found by trial division, and floating-point values from logarithms.
 * Nothing in this file computes an expected value with the code under test.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FractionField, Rational, isRationalField, parseRational, rational, rationalToNumber } from '../src/series/fraction.js';
import { PolynomialRing } from '../src/series/polynomial.js';
import { bigintGcd, integers } from '../src/series/ring.js';

const abs = (x: bigint) => (x < 0n ? -x : x);
/** Euclid, recursively (the code under test loops). */
const euclid = (a: bigint, b: bigint): bigint => (b === 0n ? abs(a) : euclid(b, a % b));
/** p/q in lowest terms with q > 0, as a plain pair. */
function reduced(p: bigint, q: bigint): [bigint, bigint] {
  if (p === 0n) return [0n, 1n];
  const g = euclid(p, q);
  const s = q < 0n ? -1n : 1n;
  return [(s * p) / g, (s * q) / g];
}
const pair = (r: { num: bigint; den: bigint }) => [r.num, r.den];

const small = fc.bigInt({ min: -60n, max: 60n });
const nonZero = small.filter((x) => x !== 0n);
const fractionArb = fc.tuple(small, nonZero);

describe('the integers as a coefficient ring', () => {
  it('gcd is the largest common divisor found by trial division, non-negative, gcd(0, 0) = 0', () => {
    fc.assert(
      fc.property(small, small, (a, b) => {
        let largest = 0n;
        for (let d = 1n; d <= 60n; d++) if (a % d === 0n && b % d === 0n) largest = d;
        expect(bigintGcd(a, b)).toBe(a === 0n && b === 0n ? 0n : largest);
        expect(integers.gcd(a, b)).toBe(bigintGcd(a, b));
      }),
      { numRuns: 300 },
    );
    expect(bigintGcd(-12n, 18n)).toBe(6n);
    expect(bigintGcd(12n, -18n)).toBe(6n);
    expect(bigintGcd(-12n, -18n)).toBe(6n);
    expect(bigintGcd(0n, -5n)).toBe(5n);
    expect(bigintGcd(-5n, 0n)).toBe(5n);
    expect(bigintGcd(0n, 0n)).toBe(0n);
  });

  it('ring operations, units and the normalising unit (the sign; 1 for zero)', () => {
    expect(integers.name).toBe('integers');
    expect(integers.zero).toBe(0n);
    expect(integers.one).toBe(1n);
    expect(integers.fromInteger(7)).toBe(7n);
    expect(integers.fromInteger(-7n)).toBe(-7n);
    expect(integers.add(6n, -9n)).toBe(-3n);
    expect(integers.sub(6n, -9n)).toBe(15n);
    expect(integers.mul(6n, -9n)).toBe(-54n);
    expect(integers.neg(6n)).toBe(-6n);
    expect(integers.isZero(0n)).toBe(true);
    expect(integers.isZero(1n)).toBe(false);
    expect(integers.equals(3n, 3n)).toBe(true);
    expect(integers.equals(3n, -3n)).toBe(false);
    expect([1n, -1n, 0n, 2n, -2n].map(integers.isUnit)).toEqual([true, true, false, false, false]);
    expect([5n, -5n, 0n].map(integers.unitPart)).toEqual([1n, -1n, 1n]);
    expect(integers.toString(-42n)).toBe('-42');
  });

  it('divExact divides exactly and refuses a remainder or a zero divisor, naming both numbers', () => {
    expect(integers.divExact(-54n, 9n)).toBe(-6n);
    expect(integers.divExact(0n, 9n)).toBe(0n);
    expect(() => integers.divExact(7n, 2n)).toThrow(new RangeError('2 does not divide 7'));
    expect(() => integers.divExact(7n, 0n)).toThrow(new RangeError('0 does not divide 7'));
    expect(() => integers.divExact(0n, 0n)).toThrow(RangeError);
  });
});

describe('the rationals: field operations against BigInt pairs reduced by hand', () => {
  it('add, sub, mul, div give the reduced pair with a positive denominator', () => {
    fc.assert(
      fc.property(fractionArb, fractionArb, ([p, q], [r, s]) => {
        const a = rational(p, q);
        const b = rational(r, s);
        expect(pair(a)).toEqual(reduced(p, q));
        expect(pair(Rational.add(a, b))).toEqual(reduced(p * s + r * q, q * s));
        expect(pair(Rational.sub(a, b))).toEqual(reduced(p * s - r * q, q * s));
        expect(pair(Rational.mul(a, b))).toEqual(reduced(p * r, q * s));
        if (r !== 0n) expect(pair(Rational.div(a, b))).toEqual(reduced(p * s, q * r));
        expect(pair(Rational.neg(a))).toEqual(reduced(-p, q));
        expect(Rational.isZero(a)).toBe(p === 0n);
        expect(Rational.equals(a, b)).toBe(p * s === r * q);
      }),
      { numRuns: 400 },
    );
  });

  it('mixes integers and fractions (the integer fast paths apply only when both are integers)', () => {
    expect(pair(Rational.add(rational(1, 2), rational(3)))).toEqual([7n, 2n]);
    expect(pair(Rational.add(rational(3), rational(1, 2)))).toEqual([7n, 2n]);
    expect(pair(Rational.add(rational(3), rational(-5)))).toEqual([-2n, 1n]);
    expect(pair(Rational.mul(rational(1, 2), rational(3)))).toEqual([3n, 2n]);
    expect(pair(Rational.mul(rational(3), rational(1, 2)))).toEqual([3n, 2n]);
    expect(pair(Rational.mul(rational(3), rational(-5)))).toEqual([-15n, 1n]);
    expect(pair(Rational.sub(rational(1, 6), rational(1, 6)))).toEqual([0n, 1n]);
  });

  it('normalises sign and common factors on construction, and refuses a zero denominator', () => {
    expect(pair(rational(1, -2))).toEqual([-1n, 2n]);
    expect(pair(rational(-4, -6))).toEqual([2n, 3n]);
    expect(pair(rational(0, -7))).toEqual([0n, 1n]);
    expect(pair(rational(5))).toEqual([5n, 1n]);
    expect(pair(Rational.fromInteger(-3))).toEqual([-3n, 1n]);
    expect(pair(Rational.zero)).toEqual([0n, 1n]);
    expect(pair(Rational.one)).toEqual([1n, 1n]);
    expect(() => rational(1, 0)).toThrow(new RangeError('division by zero'));
    expect(() => Rational.div(rational(1), rational(0))).toThrow(new RangeError('division by zero'));
    expect(() => Rational.div(rational(0), rational(0, 5))).toThrow(new RangeError('division by zero'));
  });

  it('equality needs both numerator and denominator to agree', () => {
    expect(Rational.equals(rational(1, 2), rational(1, 3))).toBe(false);
    expect(Rational.equals(rational(1, 2), rational(3, 2))).toBe(false);
    expect(Rational.equals(rational(2, 4), rational(1, 2))).toBe(true);
  });

  it('prints "p/q", or "n" for an integer, and parses what it prints', () => {
    expect(Rational.toString(rational(-1, 12))).toBe('-1/12');
    expect(Rational.toString(rational(4, 2))).toBe('2');
    expect(Rational.toString(rational(0, 3))).toBe('0');
    fc.assert(
      fc.property(fractionArb, ([p, q]) => {
        const a = rational(p, q);
        expect(Rational.equals(parseRational(Rational.toString(a)), a)).toBe(true);
      }),
    );
  });
});

describe('parseRational', () => {
  it.each([
    ['3', [3n, 1n]],
    ['-3', [-3n, 1n]],
    ['120/36', [10n, 3n]],
    ['-1/12', [-1n, 12n]],
    ['  7 / 21  ', [1n, 3n]],
    ['\t-10/4\n', [-5n, 2n]],
    ['0/5', [0n, 1n]],
    ['007', [7n, 1n]],
  ])('reads %j', (text, expected) => {
    expect(pair(parseRational(text))).toEqual(expected);
  });

  it.each(['', ' ', '1/', '/2', '1/-2', '+1', '1.5', '1e3', 'x1', '1x', '1/2x', 'x1/2', '--1', '1//2', '1 2', '1/2/3', '- 1'])(
    'refuses %j, quoting it',
    (text) => {
      expect(() => parseRational(text)).toThrow(new SyntaxError(`not a rational number: "${text}"`));
    },
  );

  it('refuses a zero denominator as a division by zero', () => {
    expect(() => parseRational('1/0')).toThrow(new RangeError('division by zero'));
  });
});

describe('rationalToNumber beyond the range of Number(bigint)', () => {
  /** Relative to the expectation within 1e-12 (logarithms of ~1000-bit numbers lose ~1e-13; a wrong shift is off by 2^k). */
  const close = (got: number, expected: number) => {
    expect(Number.isFinite(got)).toBe(true);
    expect(Math.abs(got / expected - 1)).toBeLessThan(1e-12);
  };

  it('an integer of 1000 bits is correctly rounded (2^999 + 2^946 + 1 lies just above a tie: rounds up)', () => {
    // Its top 54 bits are 1 0…0 1, a tie between two doubles; the final + 1 breaks it upwards.
    expect(rationalToNumber(rational(2n ** 999n + 2n ** 946n + 1n))).toBe(2 ** 999 + 2 ** 947);
    expect(rationalToNumber(rational(-(2n ** 999n + 2n ** 946n + 1n)))).toBe(-(2 ** 999 + 2 ** 947));
  });

  it('small parts: the plain quotient', () => {
    expect(rationalToNumber(rational(-1, 12))).toBe(-1 / 12);
    expect(rationalToNumber(rational(7))).toBe(7);
    expect(rationalToNumber(rational(0))).toBe(0);
  });

  it('3^700 / 2^1200 and its negative (both parts past 1000 bits), against logarithms', () => {
    const expected = Math.exp(700 * Math.log(3) - 1200 * Math.log(2));
    close(rationalToNumber(rational(3n ** 700n, 2n ** 1200n)), expected);
    close(rationalToNumber(rational(-(3n ** 700n), 2n ** 1200n)), -expected);
  });

  it('a huge numerator over a small denominator, and a small numerator over a huge denominator', () => {
    // (2^1100 + 1)/(2^1101 − 1) ≈ 1/2 (both parts past 1000 bits, shifted by the same amount).
    close(rationalToNumber(rational(2n ** 1100n + 1n, 2n ** 1101n - 1n)), 0.5);
    // A 1000-bit numerator over a 1030-bit denominator: ≈ 2^-30 (Number() of the denominator alone is Infinity).
    close(rationalToNumber(rational(2n ** 999n + 1n, 2n ** 1029n)), 2 ** -30);
    close(rationalToNumber(rational(-(2n ** 999n + 1n), 2n ** 1029n)), -(2 ** -30));
    // 5 · 2^-1070, a subnormal number, exactly.
    expect(rationalToNumber(rational(5n, 2n ** 1070n))).toBe(5 * 2 ** -1070);
    expect(rationalToNumber(rational(-5n, 2n ** 1070n))).toBe(-5 * 2 ** -1070);
    // 3^1000 / 5^300 ≈ 2^888.
    close(rationalToNumber(rational(3n ** 1000n, 5n ** 300n)), Math.exp(1000 * Math.log(3) - 300 * Math.log(5)));
  });

  it('a value just below the largest double whose binary exponent alone overflows (2^1024)', () => {
    // (3·2^1098 + 1)/(2^76 − 1) ≈ 1.5 · 2^1023: finite, though 2^(1100 − 76) = 2^1024 is not.
    close(rationalToNumber(rational(3n * 2n ** 1098n + 1n, 2n ** 76n - 1n)), 1.5 * 2 ** 1023);
    // and the reciprocal, whose exponent −1024 is fine either way but whose sign path is checked
    close(rationalToNumber(rational(-(2n ** 76n - 1n), 3n * 2n ** 1098n + 1n)), -1 / (1.5 * 2 ** 1023));
  });
});

describe('isRationalField', () => {
  it('is true for fractions over the integers only', () => {
    expect(isRationalField(Rational)).toBe(true);
    expect(isRationalField(new FractionField(integers))).toBe(true);
    expect(isRationalField(new FractionField(new PolynomialRing(integers, 'beta')))).toBe(false);
    expect(isRationalField({ ring: integers })).toBe(false);
    expect(isRationalField(undefined)).toBe(false);
  });
});

describe('fractions over another ring: Q(β) as fractions over Z[β]', () => {
  const Zb = new PolynomialRing(integers, 'beta');
  const F = new FractionField(Zb);
  const poly = (...cs: bigint[]) => Zb.fromCoefficients(cs);

  it('cancels the common factor and makes the denominator\'s leading coefficient positive', () => {
    // (β² − 1)/(2 − 2β) = (β − 1)(β + 1)/(−2(β − 1)) = −(β + 1)/2
    const f = F.make(poly(-1n, 0n, 1n), poly(2n, -2n));
    expect(f.num).toEqual([-1n, -1n]);
    expect(f.den).toEqual([2n]);
    expect(F.toString(f)).toBe('(-1 - beta)/2');
    expect(F.toString(F.make(poly(1n, 1n), poly(1n)))).toBe('1 + beta');
    expect(F.toString(F.make(poly(1n), poly(0n, 2n)))).toBe('1/(2*beta)');
    expect(F.toString(F.make(poly(0n, 3n), poly(1n, -1n)))).toBe('-3*beta/(-1 + beta)');
    expect(F.zero).toEqual({ num: [], den: [1n] });
    expect(F.one).toEqual({ num: [1n], den: [1n] });
    expect(F.fromInteger(3)).toEqual({ num: [3n], den: [1n] });
    expect(F.make([], poly(0n, -3n))).toEqual({ num: [], den: [1n] });
    expect(() => F.make(poly(1n), [])).toThrow(new RangeError('division by zero'));
  });

  it('1/(1 − β) + β/(1 − β) = (1 + β)/(1 − β); its product with (1 − β)/(1 + β) is 1', () => {
    const a = F.make(poly(1n), poly(1n, -1n));
    const b = F.make(poly(0n, 1n), poly(1n, -1n));
    const sum = F.add(a, b);
    expect(sum).toEqual({ num: [-1n, -1n], den: [-1n, 1n] });
    expect(F.equals(F.mul(sum, F.make(poly(1n, -1n), poly(1n, 1n))), F.one)).toBe(true);
    expect(F.equals(F.div(sum, sum), F.one)).toBe(true);
    expect(F.isZero(F.sub(sum, sum))).toBe(true);
    expect(F.equals(F.neg(F.neg(sum)), sum)).toBe(true);
  });
});
