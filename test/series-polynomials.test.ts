/**
 * Polynomials over the integers and over Z[β] (src/series/polynomial.ts), square-free
 * factorisation (factor.ts) and symbol rings (symbols.ts), checked against routes that share no
 * code with them: evaluation at integer points by Horner in BigInt, products of factors chosen by
 * the test (so the gcd and the square-free factorisation are known before anything is computed),
 * exact rational evaluation with plain BigInt numerators and denominators, and hand-expanded values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { squareFree, lowestSign } from '../src/series/factor.js';
import { Rational, rational } from '../src/series/fraction.js';
import { PolynomialRing, type Polynomial } from '../src/series/polynomial.js';
import { integers, type CoefficientRing } from '../src/series/ring.js';
import { constantValue, evaluateSymbols, integerValue, monomials, ringSymbols, symbolRing, symbolValue } from '../src/series/symbols.js';

type P = Polynomial<bigint>;
type P2 = Polynomial<P>;
const Zb = new PolynomialRing(integers, 'beta');
const Zbg = new PolynomialRing(Zb, 'gamma');

/** p(x) by Horner in BigInt. */
const at = (p: readonly bigint[], x: bigint) => p.reduceRight((acc, c) => acc * x + c, 0n);
/** p(β, γ) for p in Z[β][γ] (coefficients in γ are polynomials in β). */
const at2 = (p: readonly (readonly bigint[])[], b: bigint, g: bigint) => p.reduceRight((acc, c) => acc * g + at(c, b), 0n);
/** The derivative by the power rule, evaluated: Σ i c_i x^(i−1). */
const derivativeAt = (p: readonly bigint[], x: bigint) => p.reduce((acc, c, i) => (i === 0 ? acc : acc + BigInt(i) * c * x ** BigInt(i - 1)), 0n);
/** Schoolbook product of coefficient arrays (the test's own). */
function times(a: readonly bigint[], b: readonly bigint[]): bigint[] {
  if (a.length === 0 || b.length === 0) return [];
  const out = new Array<bigint>(a.length + b.length - 1).fill(0n);
  a.forEach((x, i) => b.forEach((y, j) => (out[i + j]! += x * y)));
  return out;
}
const power = (a: readonly bigint[], e: number) => Array.from({ length: e }, () => a).reduce<bigint[]>((acc, f) => times(acc, f), [1n]);
const gcdInt = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcdInt(b, a % b));
const trimmed = (p: readonly unknown[]) => p.length === 0 || !isZeroDeep(p[p.length - 1]);
const isZeroDeep = (c: unknown): boolean => (Array.isArray(c) ? c.length === 0 : c === 0n);

const POINTS = [-3n, -2n, -1n, 0n, 1n, 2n, 3n, 4n, 5n];
const coefficients = fc.array(fc.bigInt({ min: -6n, max: 6n }), { maxLength: 5 });
const polyArb = coefficients.map((cs) => Zb.fromCoefficients(cs));
const poly2Arb = fc.array(fc.array(fc.bigInt({ min: -4n, max: 4n }), { maxLength: 3 }), { maxLength: 3 }).map((cs) => Zbg.fromCoefficients(cs.map((c) => Zb.fromCoefficients(c))));

describe('Z[β]: arithmetic against evaluation at nine integers (which determines every result here)', () => {
  it('add, sub, neg, mul, scale and the derivative, each result without trailing zeros', () => {
    fc.assert(
      fc.property(polyArb, polyArb, fc.bigInt({ min: -5n, max: 5n }), (a, b, c) => {
        const results = { add: Zb.add(a, b), sub: Zb.sub(a, b), neg: Zb.neg(a), mul: Zb.mul(a, b), scale: Zb.scale(a, c), d: Zb.derivative(a) };
        for (const x of POINTS) {
          expect(at(results.add, x)).toBe(at(a, x) + at(b, x));
          expect(at(results.sub, x)).toBe(at(a, x) - at(b, x));
          expect(at(results.neg, x)).toBe(-at(a, x));
          expect(at(results.mul, x)).toBe(at(a, x) * at(b, x));
          expect(at(results.scale, x)).toBe(c * at(a, x));
          expect(at(results.d, x)).toBe(derivativeAt(a, x));
        }
        for (const r of Object.values(results)) expect(trimmed(r)).toBe(true);
        expect(Zb.degree(results.mul)).toBe(a.length && b.length ? Zb.degree(a) + Zb.degree(b) : -1);
      }),
      { numRuns: 300 },
    );
  });

  it('products with a constant or the zero polynomial, and sums that cancel', () => {
    expect(Zb.mul([3n], [1n, 2n, 5n])).toEqual([3n, 6n, 15n]);
    expect(Zb.mul([1n, 2n, 5n], [3n])).toEqual([3n, 6n, 15n]);
    expect(Zb.mul([2n], [3n])).toEqual([6n]);
    expect(Zb.mul([], [1n, 1n])).toEqual([]);
    expect(Zb.mul([1n, 1n], [])).toEqual([]);
    expect(Zb.add([], [1n, 2n])).toEqual([1n, 2n]);
    expect(Zb.add([1n, 2n], [])).toEqual([1n, 2n]);
    expect(Zb.add([1n, 2n, 3n], [4n])).toEqual([5n, 2n, 3n]);
    expect(Zb.add([4n], [1n, 2n, 3n])).toEqual([5n, 2n, 3n]);
    expect(Zb.add([1n, 2n, 3n], [-1n, -2n, -3n])).toEqual([]);
    expect(Zb.add([1n, 2n, 3n], [0n, 0n, -3n])).toEqual([1n, 2n]);
    expect(Zb.scale([1n, 2n], 0n)).toEqual([]);
    expect(Zb.derivative([7n])).toEqual([]);
    expect(Zb.derivative([1n, 2n, 3n, 4n])).toEqual([2n, 6n, 12n]);
  });

  it('constructors, degree, leading coefficient, equality, units', () => {
    // built here, inside the test, so that the name is computed while the test runs
    expect(new PolynomialRing(integers, 'beta').name).toBe('integers[beta]');
    expect(new PolynomialRing(new PolynomialRing(integers, 'b'), 'g').name).toBe('integers[b][g]');
    expect(Zb.zero).toEqual([]);
    expect(Zb.one).toEqual([1n]);
    expect(Zb.x).toEqual([0n, 1n]);
    expect(Zb.fromCoefficients([1n, 0n, 0n])).toEqual([1n]);
    expect(Zb.fromCoefficients([0n, 0n])).toEqual([]);
    expect(Zb.fromCoefficients([0n, 2n])).toEqual([0n, 2n]);
    expect(Zb.constant(0n)).toEqual([]);
    expect(Zb.constant(-4n)).toEqual([-4n]);
    expect(Zb.fromInteger(0)).toEqual([]);
    expect(Zb.fromInteger(9)).toEqual([9n]);
    expect(Zb.degree([])).toBe(-1);
    expect(Zb.degree([5n, 0n, 1n])).toBe(2);
    expect(Zb.leading([])).toBe(0n);
    expect(Zb.leading([5n, 0n, -1n])).toBe(-1n);
    expect(Zb.isZero([])).toBe(true);
    expect(Zb.isZero([0n, 1n])).toBe(false);
    expect(Zb.equals([1n, 2n], [1n, 2n])).toBe(true);
    expect(Zb.equals([1n], [1n, 2n])).toBe(false);
    expect(Zb.equals([1n, 2n], [1n])).toBe(false);
    expect(Zb.equals([1n, 2n], [1n, 3n])).toBe(false);
    expect([[1n], [-1n], [2n], [1n, 1n], []].map((p) => Zb.isUnit(p))).toEqual([true, true, false, false, false]);
    expect(Zb.unitPart([])).toEqual([1n]);
    expect(Zb.unitPart([3n, -2n])).toEqual([-1n]);
    expect(Zb.unitPart([-3n, 2n])).toEqual([1n]);
  });

  it('prints every non-zero term with its power, readably: signs folded, unit coefficients and ^1 left out, sums grouped', () => {
    expect(Zb.toString([])).toBe('0');
    expect(Zb.toString([1n, -1n])).toBe('1 - beta');
    expect(Zb.toString([0n, 0n, 3n])).toBe('3*beta^2');
    expect(Zb.toString([2n, 0n, 3n])).toBe('2 + 3*beta^2');
    expect(Zb.toString([-2n, 1n, -1n, -5n])).toBe('-2 + beta - beta^2 - 5*beta^3');
    expect(Zb.toString([0n, -7n])).toBe('-7*beta');
    expect(Zbg.toString([[], [1n, 1n]])).toBe('(1 + beta)*gamma');
    expect(Zbg.toString([[0n, 1n], [], [-1n]])).toBe('beta - gamma^2');
    expect(Zbg.toString([[], [0n, -1n]])).toBe('-beta*gamma');
  });

  it('content and primitive part: the gcd of the coefficients, and the quotient with a positive leading coefficient', () => {
    expect(Zb.content([])).toBe(0n);
    expect(Zb.content([6n, -4n, 10n])).toBe(2n);
    expect(Zb.content([-6n])).toBe(6n);
    expect(Zb.content([6n, 3n, 1n, 4n])).toBe(1n);
    expect(Zb.primitivePart([])).toEqual([]);
    expect(Zb.primitivePart([6n, -4n])).toEqual([-3n, 2n]);
    expect(Zb.primitivePart([-6n, 4n])).toEqual([-3n, 2n]);
    expect(Zb.primitivePart([-5n])).toEqual([1n]);
    fc.assert(
      fc.property(polyArb, (a) => {
        const c = Zb.content(a);
        const p = Zb.primitivePart(a);
        if (a.length === 0) return;
        expect(c).toBe(a.reduce(gcdInt, 0n));
        expect(p.reduce(gcdInt, 0n)).toBe(1n);
        expect(p[p.length - 1]! > 0n).toBe(true);
        for (const x of POINTS) expect(at(p, x) * c * (a[a.length - 1]! > 0n ? 1n : -1n)).toBe(at(a, x));
      }),
    );
  });

  it('pseudo-remainder by a linear b = c0 + c1 x: c1^k · a(−c0/c1) for some 0 ≤ k ≤ deg a', () => {
    fc.assert(
      fc.property(polyArb, fc.bigInt({ min: -4n, max: 4n }), fc.bigInt({ min: -4n, max: 4n }).filter((x) => x !== 0n), (a, c0, c1) => {
        const r = Zb.pseudoRemainder(a, [c0, c1]);
        expect(r.length).toBeLessThanOrEqual(1);
        const value = r.length ? r[0]! : 0n;
        // c1^d · a(−c0/c1) as an integer: Σ a_i (−c0)^i c1^(d−i), d = deg a
        const d = Math.max(0, a.length - 1);
        const full = a.reduce((s, ai, i) => s + ai * (-c0) ** BigInt(i) * c1 ** BigInt(d - i), 0n);
        const ks = Array.from({ length: d + 1 }, (_, k) => k).filter((k) => value * c1 ** BigInt(d - k) === full);
        expect(ks.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('pseudo-remainder by hand: (x² + 1) by 2x + 1 is 5 (= 4 · a(−1/2)); by x² − 1 is 2; of a lower degree, a itself', () => {
    expect(Zb.pseudoRemainder([1n, 0n, 1n], [1n, 2n])).toEqual([5n]);
    expect(Zb.pseudoRemainder([1n, 0n, 1n], [-1n, 0n, 1n])).toEqual([2n]);
    expect(Zb.pseudoRemainder([1n, 3n, 0n, 1n], [-1n, 0n, 1n])).toEqual([1n, 4n]); // x³ + 3x + 1 = x(x² − 1) + 4x + 1
    expect(Zb.pseudoRemainder([1n, 3n], [-1n, 0n, 1n])).toEqual([1n, 3n]);
    expect(Zb.pseudoRemainder([], [-1n, 0n, 1n])).toEqual([]);
  });

  it('divExact recovers the cofactor, and refuses a remainder or a zero divisor', () => {
    fc.assert(
      fc.property(polyArb, polyArb, (a, b) => {
        if (b.length === 0) return;
        const q = Zb.divExact(Zb.fromCoefficients(times(a, b)), b);
        expect(q).toEqual(a);
      }),
      { numRuns: 300 },
    );
    expect(Zb.divExact([6n, 4n], [2n])).toEqual([3n, 2n]);
    expect(Zb.divExact([], [1n, 1n])).toEqual([]);
    expect(Zb.divExact([0n, 0n, 1n], [0n, 1n])).toEqual([0n, 1n]);
    expect(() => Zb.divExact([3n], [2n])).toThrow(new RangeError('2 does not divide 3'));
    expect(() => Zb.divExact([1n, 1n], [])).toThrow(new RangeError('polynomial division by zero'));
    expect(() => Zb.divExact([1n], [1n, 1n])).toThrow(new RangeError('1 + beta does not divide 1'));
    expect(() => Zb.divExact([1n, 0n, 1n], [1n, 1n])).toThrow(new RangeError('1 + beta does not divide 1 + beta^2'));
    expect(() => Zb.divExact([1n, 0n, 1n], [1n, 2n])).toThrow(RangeError); // (x² + 1)/(2x + 1): not even over Q
  });
});

describe('gcd of products of known factors', () => {
  // Irreducible, primitive, with a positive leading coefficient, pairwise distinct.
  const POOL: bigint[][] = [[0n, 1n], [-1n, 1n], [2n, 1n], [-1n, 2n], [2n, 3n], [1n, 0n, 1n], [1n, 1n, 1n], [-3n, 0n, 2n]];
  const exponents = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: POOL.length, maxLength: POOL.length });
  const build = (k: bigint, es: number[]) => es.reduce((acc, e, i) => times(acc, power(POOL[i]!, e)), [k]);
  const degreeCap = (es: number[]) => es.reduce((s, e, i) => s + e * (POOL[i]!.length - 1), 0) <= 7;
  const content = fc.bigInt({ min: -12n, max: 12n }).filter((k) => k !== 0n);

  it('gcd(ka Π f^ea, kb Π f^eb) = gcd(ka, kb) Π f^min(ea, eb), leading coefficient positive', () => {
    fc.assert(
      fc.property(content, exponents.filter(degreeCap), content, exponents.filter(degreeCap), (ka, ea, kb, eb) => {
        const a = build(ka, ea);
        const b = build(kb, eb);
        const expected = build(gcdInt(ka, kb), ea.map((e, i) => Math.min(e, eb[i]!)));
        expect(Zb.gcd(a, b)).toEqual(expected);
        expect(Zb.gcd(b, a)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('gcd with zero is the other argument normalised; of coprime polynomials, the gcd of the contents', () => {
    expect(Zb.gcd([], [-2n, -4n])).toEqual([2n, 4n]);
    expect(Zb.gcd([-2n, -4n], [])).toEqual([2n, 4n]);
    expect(Zb.gcd([], [])).toEqual([]);
    expect(Zb.gcd([6n, 6n], [4n, 0n, 4n])).toEqual([2n]); // 6(1 + x), 4(1 + x²)
    expect(Zb.gcd([6n], [-4n, 8n])).toEqual([2n]);
    expect(Zb.gcd([-1n, 1n], [1n, -1n])).toEqual([-1n, 1n]);
    expect(Zb.gcd([1n, 2n, 1n], [-1n, 0n, 1n])).toEqual([1n, 1n]); // (1 + x)², (x − 1)(x + 1)
    expect(Zb.gcd([-1n, 0n, 1n], [1n, 2n, 1n])).toEqual([1n, 1n]);
  });

  it('Z[β][γ]: gcd((β + γ)²(1 − β), 2(β + γ)(γ − 2)) = β + γ, and with a common content in Z[β]', () => {
    const b = Zbg.constant([0n, 1n]);
    const g = Zbg.x;
    const sum = Zbg.add(b, g);
    const p = Zbg.mul(Zbg.mul(sum, sum), Zbg.sub(Zbg.one, b));
    const q = Zbg.mul(Zbg.mul(Zbg.fromInteger(2), sum), Zbg.sub(g, Zbg.fromInteger(2)));
    expect(Zbg.gcd(p, q)).toEqual([[0n, 1n], [1n]]);
    // (1 − β)(β + γ) and (1 − β)(γ − 3): the common factor 1 − β is content, normalised to β − 1
    const oneMinusB = Zbg.sub(Zbg.one, b);
    expect(Zbg.gcd(Zbg.mul(oneMinusB, sum), Zbg.mul(oneMinusB, Zbg.sub(g, Zbg.fromInteger(3))))).toEqual([[-1n, 1n]]);
    expect(Zbg.content([[2n, -2n], [0n, 4n, -4n]])).toEqual([-2n, 2n]);
    // (2 − 2β) + (4β − 4β²)γ = 2(1 − β)(1 + 2βγ); the leading 2β is made positive: 1 + 2βγ
    expect(Zbg.primitivePart([[2n, -2n], [0n, 4n, -4n]])).toEqual([[1n], [0n, 2n]]);
  });
});

describe('Z[β][γ]: arithmetic against evaluation at integer points', () => {
  it('add, sub, mul and divExact agree with evaluation; results trimmed at both levels', () => {
    fc.assert(
      fc.property(poly2Arb, poly2Arb, (a, b) => {
        const sum = Zbg.add(a, b);
        const prod = Zbg.mul(a, b);
        const diff = Zbg.sub(a, b);
        for (const x of [-2n, 0n, 1n, 3n])
          for (const y of [-1n, 0n, 2n, 5n]) {
            expect(at2(sum, x, y)).toBe(at2(a, x, y) + at2(b, x, y));
            expect(at2(diff, x, y)).toBe(at2(a, x, y) - at2(b, x, y));
            expect(at2(prod, x, y)).toBe(at2(a, x, y) * at2(b, x, y));
          }
        for (const r of [sum, prod, diff]) {
          expect(trimmed(r)).toBe(true);
          r.forEach((c) => expect(trimmed(c)).toBe(true));
        }
        if (b.length) expect(Zbg.divExact(prod, b)).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });

  it('drops zero coefficients that are themselves (zero) polynomials', () => {
    expect(Zbg.fromCoefficients([[], []])).toEqual([]);
    expect(Zbg.fromCoefficients([[1n], []])).toEqual([[1n]]);
    expect(Zbg.derivative([[1n], [2n, 1n], [0n, 3n]])).toEqual([[2n, 1n], [0n, 6n]]);
  });
});

describe('square-free factorisation of products of known factors', () => {
  // Z[β] as symbolRing(['beta']) builds it (checked below); rings are built outside symbolRing here so that
  // a mutant of symbolRing fails a test rather than the loading of this file.
  const R = Zb as CoefficientRing<unknown>;
  // Irreducible and pairwise distinct, some with a negative lowest coefficient (x − 1, 2x − 1, x² − 2).
  const POOL: bigint[][] = [[0n, 1n], [-1n, 1n], [3n, 1n], [-1n, 2n], [1n, 0n, 1n], [-2n, 0n, 1n]];
  const sign = (x: bigint) => (x < 0n ? -1n : 1n);
  const lowest = (p: bigint[]) => p.find((c) => c !== 0n)!;

  it('unit · Π F_m^m with F_m the product of the factors of multiplicity m, lowest coefficient positive', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -9n, max: 9n }).filter((k) => k !== 0n),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: POOL.length, maxLength: POOL.length }).filter((es) => es.reduce((s, e, i) => s + e * (POOL[i]!.length - 1), 0) <= 9),
        (k, es) => {
          const p = es.reduce((acc, e, i) => times(acc, power(POOL[i]!, e)), [k]);
          let unit = k;
          const expected: { factor: bigint[]; multiplicity: number }[] = [];
          for (let m = 1; m <= 4; m++) {
            let f: bigint[] = [1n];
            es.forEach((e, i) => {
              if (e === m) f = times(f, POOL[i]!);
            });
            if (f.length === 1) continue;
            const s = sign(lowest(f));
            if (s < 0n) f = f.map((c) => -c);
            unit *= s ** BigInt(m);
            expected.push({ factor: f, multiplicity: m });
          }
          expect(squareFree(R, p)).toEqual({ unit, factors: expected });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('by hand: 2(β − 1)³ = −2(1 − β)³; −(β − 1)²; zero; an integer; a constant polynomial', () => {
    expect(squareFree(R, power([-1n, 1n], 3).map((c) => 2n * c))).toEqual({ unit: -2n, factors: [{ factor: [1n, -1n], multiplicity: 3 }] });
    expect(squareFree(R, power([-1n, 1n], 2).map((c) => -c))).toEqual({ unit: -1n, factors: [{ factor: [1n, -1n], multiplicity: 2 }] });
    expect(squareFree(R, [])).toEqual({ unit: 0n, factors: [] });
    expect(squareFree(integers, -6n)).toEqual({ unit: -6n, factors: [] });
    expect(squareFree(R, [-6n])).toEqual({ unit: -6n, factors: [] });
    expect(squareFree(R, [0n, 1n])).toEqual({ unit: 1n, factors: [{ factor: [0n, 1n], multiplicity: 1 }] });
  });

  it('Z[β][γ]: 6(1 − β)²(γ − β)³(γ + 1) = −6 · (1 − β)² (1 + γ) (β − γ)³', () => {
    const R2 = symbolRing(['beta', 'gamma']);
    const oneMinusB: P2 = [[1n, -1n]];
    const gMinusB: P2 = [[0n, -1n], [1n]];
    const gPlus1: P2 = [[1n], [1n]];
    let p: P2 = Zbg.mul(Zbg.fromInteger(6), Zbg.mul(oneMinusB, oneMinusB));
    p = Zbg.mul(p, Zbg.mul(gMinusB, Zbg.mul(gMinusB, gMinusB)));
    p = Zbg.mul(p, gPlus1);
    expect(squareFree(R2, p)).toEqual({
      unit: -6n,
      factors: [
        { factor: [[1n, -1n]], multiplicity: 2 },
        { factor: [[1n], [1n]], multiplicity: 1 },
        { factor: [[0n, 1n], [-1n]], multiplicity: 3 },
      ],
    });
    // the same with the sign of the leading coefficient flipped
    expect(squareFree(R2, Zbg.neg(p)).unit).toBe(6n);
  });

  it('lowestSign: the sign of the lowest-degree coefficient, innermost variable first', () => {
    expect([5n, -5n, 0n].map((x) => lowestSign(integers, x))).toEqual([1, -1, 0]);
    expect(lowestSign(R, [])).toBe(0);
    expect(lowestSign(R, [0n, -2n, 3n])).toBe(-1);
    expect(lowestSign(R, [0n, 2n, -3n])).toBe(1);
    const R2 = symbolRing(['beta', 'gamma']);
    expect(lowestSign(R2, [[], [0n, -1n, 1n], [5n]])).toBe(-1);
    expect(lowestSign(R2, [[0n, 0n, 1n], [-1n]])).toBe(1);
    expect(lowestSign(R2, [])).toBe(0);
  });
});

describe('symbol rings', () => {
  const R2 = Zbg as CoefficientRing<unknown>;

  it('builds Z[s1]…[sn], innermost first, and refuses a repeated symbol', () => {
    expect(symbolRing([])).toBe(integers);
    const built = symbolRing(['beta', 'gamma']);
    expect(built).toEqual(Zbg);
    expect(built.name).toBe('integers[beta][gamma]');
    expect(ringSymbols(built)).toEqual(['beta', 'gamma']);
    expect(ringSymbols(integers)).toEqual([]);
    expect(() => symbolRing(['beta', 'gamma', 'beta'])).toThrow(new RangeError('repeated symbol in beta, gamma, beta'));
  });

  it('symbols, integers and constants as elements', () => {
    expect(symbolValue(R2, 'gamma')).toEqual([[], [1n]]);
    expect(symbolValue(R2, 'beta')).toEqual([[0n, 1n]]);
    expect(() => symbolValue(R2, 'delta')).toThrow(new RangeError('"delta" is not a symbol of the coefficient ring'));
    expect(() => symbolValue(integers, 'beta')).toThrow(new RangeError('"beta" is not a symbol of the coefficient ring'));
    expect(integerValue(R2, 3n)).toEqual([[3n]]);
    expect(integerValue(R2, 0n)).toEqual([]);
    expect(constantValue(integers, -4n)).toBe(-4n);
    expect(constantValue(R2, [])).toBe(0n);
    expect(constantValue(R2, [[5n]])).toBe(5n);
    expect(constantValue(R2, [[0n, 1n]])).toBeUndefined();
    expect(constantValue(R2, [[1n], [1n]])).toBeUndefined();
  });

  it('monomials by total degree, then by the innermost exponent, largest first', () => {
    // 3 − 2β + 4γ − β² + βγ + 5γ², written as a polynomial in γ with coefficients in β
    const p: P2 = [[3n, -2n, -1n], [4n, 1n], [5n]];
    const shown = monomials(R2, p).map((m) => [m.coefficient, Object.fromEntries([...m.exponents].sort())]);
    expect(shown).toEqual([
      [3n, {}],
      [-2n, { beta: 1 }],
      [4n, { gamma: 1 }],
      [-1n, { beta: 2 }],
      [1n, { beta: 1, gamma: 1 }],
      [5n, { gamma: 2 }],
    ]);
    expect(monomials(R2, [])).toEqual([]);
    // Three symbols: among equal total degrees the β exponent decides first, then γ (so βδ comes before γ²,
    // although γ² is met first when the nested coefficients are walked).
    const R3 = symbolRing(['beta', 'gamma', 'delta']);
    const [b, g, d] = ['beta', 'gamma', 'delta'].map((s) => symbolValue(R3, s));
    const terms: [bigint, unknown][] = [[1n, R3.mul(b, b)], [2n, R3.mul(b, g)], [3n, R3.mul(g, g)], [4n, R3.mul(b, d)], [5n, R3.mul(g, d)], [6n, R3.mul(d, d)]];
    const q = terms.reduceRight((acc: unknown, [c, m]) => R3.add(acc, R3.mul(R3.fromInteger(c), m)), R3.zero);
    expect(monomials(R3, q).map((m) => [m.coefficient, Object.fromEntries([...m.exponents].sort())])).toEqual([
      [1n, { beta: 2 }],
      [2n, { beta: 1, gamma: 1 }],
      [4n, { beta: 1, delta: 1 }],
      [3n, { gamma: 2 }],
      [5n, { delta: 1, gamma: 1 }],
      [6n, { delta: 2 }],
    ]);
    // Four symbols: γε before δ² (equal in β, and γ decides), although δ² is met first in the walk.
    const R4 = symbolRing(['beta', 'gamma', 'delta', 'epsilon']);
    const [, g4, d4, e4] = ['beta', 'gamma', 'delta', 'epsilon'].map((s) => symbolValue(R4, s));
    const r = R4.add(R4.mul(R4.fromInteger(7), R4.mul(d4, d4)), R4.mul(R4.fromInteger(8), R4.mul(g4, e4)));
    expect(monomials(R4, r).map((m) => [m.coefficient, Object.fromEntries([...m.exponents].sort())])).toEqual([
      [8n, { epsilon: 1, gamma: 1 }],
      [7n, { delta: 2 }],
    ]);
    expect(monomials(integers, 0n)).toEqual([]);
    expect(monomials(integers, -7n)).toEqual([{ coefficient: -7n, exponents: new Map() }]);
    // zero coefficients inside are skipped: γ² only
    expect(monomials(R2, [[], [], [1n]]).map((m) => [...m.exponents])).toEqual([[['gamma', 2]]]);
  });

  it('evaluates exactly at rational points, against Σ c_ij p^i q^(D−i) r^j s^(E−j) / (q^D s^E)', () => {
    fc.assert(
      fc.property(poly2Arb, fc.bigInt({ min: -5n, max: 5n }), fc.bigInt({ min: 1n, max: 5n }), fc.bigInt({ min: -5n, max: 5n }), fc.bigInt({ min: 1n, max: 5n }), (a, p, q, r, s) => {
        const D = 3n;
        const E = 3n;
        let num = 0n;
        a.forEach((cj, j) => cj.forEach((c, i) => (num += c * p ** BigInt(i) * q ** (D - BigInt(i)) * r ** BigInt(j) * s ** (E - BigInt(j)))));
        const den = q ** D * s ** E;
        const v = evaluateSymbols(R2, a, new Map([['beta', rational(p, q)], ['gamma', rational(r, s)]]));
        expect(v.num * den).toBe(num * v.den);
      }),
      { numRuns: 300 },
    );
    expect(evaluateSymbols(integers, 7n, new Map())).toEqual(rational(7));
  });

  it('names the symbol that has no value', () => {
    const p: P2 = [[1n, 1n], [1n]];
    expect(() => evaluateSymbols(R2, p, new Map([['beta', Rational.one]]))).toThrow(new RangeError('no value for the symbol "gamma"'));
    expect(() => evaluateSymbols(R2, p, new Map([['gamma', Rational.one]]))).toThrow(new RangeError('no value for the symbol "beta"'));
  });
});
