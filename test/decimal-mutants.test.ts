/**
 * Decimal literals to exact rationals (src/series/decimal.ts). Every expected value is worked out
 * by hand from the literal (shift the point, cancel the common factor), cited in the table.
 */
import { describe, expect, it } from 'vitest';
import { MAX_DECIMAL_EXPONENT, decimalToRational } from '../src/series/decimal.js';

const frac = (text: string): [bigint, bigint] => {
  const r = decimalToRational(text);
  return [r.num, r.den];
};

describe('decimalToRational', () => {
  it('reads integers, fractions, signs and exponents exactly', () => {
    const cases: [string, bigint, bigint][] = [
      ['0', 0n, 1n],
      ['7', 7n, 1n],
      ['+3', 3n, 1n], // an explicit plus sign
      ['-12', -12n, 1n],
      ['0.5', 1n, 2n], // 5/10
      ['.5', 1n, 2n], // no integer part
      ['5.', 5n, 1n], // no fraction digits
      ['-2.5', -5n, 2n], // −25/10
      ['123.456', 15432n, 125n], // 123456/1000 = 15432/125
      ['1e-3', 1n, 1000n],
      ['1.25e-1', 1n, 8n], // 125/1000
      ['1E2', 100n, 1n], // capital E
      ['12e+1', 120n, 1n], // explicit + in the exponent
      ['2.5e1', 25n, 1n], // 25·10^(1−1)
      ['2.50e2', 250n, 1n], // 250·10^(2−2)
      ['-0.0', 0n, 1n],
      ['0.0625', 1n, 16n], // 625/10000
      ['  7.5  ', 15n, 2n], // surrounding blanks are trimmed
      ['007', 7n, 1n],
    ];
    for (const [text, num, den] of cases) expect(frac(text), text).toEqual([num, den]);
  });

  it('accepts exponents up to ±1000 (the written exponent, not the shifted one) and refuses beyond', () => {
    expect(MAX_DECIMAL_EXPONENT).toBe(1000);
    expect(frac('1e1000')).toEqual([10n ** 1000n, 1n]);
    expect(frac('1e-1000')).toEqual([1n, 10n ** 1000n]);
    // 1.5e-1000 = 15/10^1001: the shifted exponent −1001 is fine, only the written one is limited
    expect(frac('1.5e-1000')).toEqual([3n, 2n * 10n ** 1000n]);
    // 0.01e1000 = 10^998
    expect(frac('0.01e1000')).toEqual([10n ** 998n, 1n]);
    expect(() => decimalToRational('1e1001')).toThrow(new RangeError('the exponent of 1e1001 is beyond ±1000'));
    expect(() => decimalToRational('1e-1001')).toThrow(new RangeError('the exponent of 1e-1001 is beyond ±1000'));
    expect(() => decimalToRational('0.001e1001')).toThrow(RangeError);
  });

  it('refuses anything that is not one decimal literal, naming it', () => {
    for (const bad of ['', ' ', '.', '-', '+', 'e5', '.e5', '-.e1', 'abc', '1.2.3', '1e', '1e+', '1e1.5', 'x1', '1x', '--1', '+-1', '1 2', '1,5', '0x10', 'Infinity', 'NaN'])
      expect(() => decimalToRational(bad), bad).toThrow(new RangeError(`not a decimal number: "${bad}"`));
  });

  it('returns RangeError instances (callers catch them as input errors)', () => {
    let caught: unknown;
    try {
      decimalToRational('q');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RangeError);
  });
});
