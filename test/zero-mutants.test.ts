/**
 * The zero test's driver (src/algebra/zero.ts): the term limit, the answer for each way of giving
 * up, and the reduction of cos powers modulo sin² + cos² = 1. Identities are elementary
 * (named in each case) and checked numerically at sample points; sizes are counted by hand.
 */
import { describe, expect, it } from 'vitest';
import { Poly, atoms, evaluatePoly, parseLoss, zeroTest } from '../src/loss/index.js';

const parse = (source: string): Poly => parseLoss(source).expr;

describe('the term limit', () => {
  it('gives up only when a polynomial has more terms than maxTerms', () => {
    // x + y: two terms, no inverse, nothing to reduce
    expect(zeroTest(parse('x + y'), { maxTerms: 2 })).toEqual({ zero: false, residual: parse('x + y'), reason: 'the reduced numerator is not zero' });
    expect(zeroTest(parse('x + y'), { maxTerms: 1 })).toEqual({ zero: false, reason: 'too large' });
  });

  it('is checked again after the cos reduction: cos(x)^4 becomes 1 − 2 sin² + sin⁴ (3 terms)', () => {
    const p = parse('cos(x)^4');
    expect(zeroTest(p, { maxTerms: 2 })).toEqual({ zero: false, reason: 'too large' });
    const r = zeroTest(p, { maxTerms: 3 });
    expect(r.zero).toBe(false);
    expect(r.residual!.size).toBe(3);
    // the residual is the same function: cos⁴ = (1 − sin²)²
    for (const x of [0.3, 1.1]) expect(evaluatePoly(r.residual!, atoms, { x })).toBeCloseTo(Math.cos(x) ** 4, 12);
  });

  it('a product beyond the exact-expansion limit is "too large", not an error', () => {
    // S + 1/T with S, T sums of 7 100 and 7 101 parameters: clearing 1/T multiplies S by T,
    // 7 100 × 7 101 > 5·10^7 term pairs (poly.ts MAX_PRODUCT_PAIRS)
    const vars = Array.from({ length: 7100 }, (_, i) => atoms.variable(`zm${i}`));
    const s = Poly.sum(vars);
    const p = s.add(atoms.inverse(s.add(Poly.one)));
    expect(zeroTest(p)).toEqual({ zero: false, reason: 'too large' });
  });
});

describe('cos powers modulo sin² + cos² = 1', () => {
  it.each([
    ['cos(x)^4 - (1 - sin(x)^2)^2', 'cos⁴ = (cos²)²'],
    ['cos(x)^5 - cos(x)*(1 - sin(x)^2)^2', 'cos⁵ = cos·(cos²)²'],
    ['sin(x)^4 - cos(x)^4 - sin(x)^2 + cos(x)^2', 's⁴ − c⁴ = (s² − c²)(s² + c²)'],
    ['cos(x)^6 + 3*sin(x)^2*cos(x)^2 + sin(x)^6 - 1', '(s² + c²)³ = 1'],
    ['1/cos(x)^4 - (1 + tan(x)^2)^2', 'sec⁴ = (1 + tan²)²'],
  ])('%s = 0 (%s)', (source) => {
    const p = parse(source);
    for (const x of [0.3, 0.9]) expect(Math.abs(evaluatePoly(p, atoms, { x }))).toBeLessThan(1e-12);
    expect(zeroTest(p)).toEqual({ zero: true });
  });

  it('and not cos(x)^4 − (1 − sin(x)^2)', () => {
    const p = parse('cos(x)^4 - (1 - sin(x)^2)');
    expect(Math.abs(evaluatePoly(p, atoms, { x: 0.9 }))).toBeGreaterThan(0.1);
    expect(zeroTest(p).zero).toBe(false);
  });
});

describe('giving up while rewriting', () => {
  it('a log of a negative number is "not proved", with the reason', () => {
    // log1p(−4) = log(−3)
    expect(zeroTest(parse('log1p(-4)*x'))).toEqual({ zero: false, reason: 'not proved: log(-3) is not a real number' });
  });
});
