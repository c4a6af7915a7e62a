/**
 * Exact rationals from decimal literals: 0.5 is 1/2 and 1e-3 is 1/1000, never a float.
 *
 * @example
 *   decimalToRational('1.25e-1') // 1/8
 */
import { rational, type Rational } from './fraction.js';

/** Largest |exponent| accepted in a literal such as 1e300. */
export const MAX_DECIMAL_EXPONENT = 1000;

export function decimalToRational(text: string): Rational {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new RangeError(`not a decimal number: "${text}"`);
  const [, sign, int = '', frac = '', exp = '0'] = m;
  const e = Number(exp) - frac.length;
  if (Math.abs(Number(exp)) > MAX_DECIMAL_EXPONENT) throw new RangeError(`the exponent of ${text} is beyond ±${MAX_DECIMAL_EXPONENT}`);
  let num = BigInt(`${int}${frac}` || '0');
  if (sign === '-') num = -num;
  return e >= 0 ? rational(num * 10n ** BigInt(e)) : rational(num, 10n ** BigInt(-e));
}
