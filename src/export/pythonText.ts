/**
 * Safe pieces of Python source: every value that reaches a generated module goes through one of
 * these, so no string can end a literal or a docstring early. Names and numbers are validated
 * (refused with a RangeError otherwise); free text is escaped.
 *
 * @example
 *   pythonFraction(rational(-1, 12)) // "Fraction(-1, 12)"
 *   pythonString('gd') // '"gd"'
 *   docstringText('say "hi" \\ bye') // 'say \\"hi\\" \\\\ bye'
 *   checkedName('--param', 'beta') // 'beta'; checkedName('--param', 'a"b') throws
 */
import type { Rational } from '../series/fraction.js';

/** An exact rational as a Python `fractions.Fraction` literal (integers only, so nothing is rounded). */
export function pythonFraction(c: Rational): string {
  return c.den === 1n ? `Fraction(${c.num})` : `Fraction(${c.num}, ${c.den})`;
}

/** A Python tuple literal of items already in Python syntax (a one-element tuple needs its trailing comma). */
export function pythonTuple(items: readonly string[]): string {
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

/**
 * A Python string literal. JSON string syntax is a subset of Python's (\" \\ \n \uXXXX), and
 * JSON.stringify escapes quotes, backslashes and control characters.
 */
export function pythonString(s: string): string {
  return JSON.stringify(s);
}

/** Free text for a """docstring""" or a # comment: one line, quotes and backslashes escaped. */
export function docstringText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const METHOD = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const VERSION = /^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$/;
/** A decimal (1, -0.5, 2.5e-3) or an exact fraction (1/3). */
const NUMBER = /^[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|\d+\/\d+)$/;

/** A parameter name (a Python identifier of at most 64 characters). */
export function checkedName(what: string, name: string): string {
  if (!NAME.test(name)) throw new RangeError(`${what}: "${name}" is not a name (letters, digits and _, not starting with a digit)`);
  return name;
}

/** A method name such as "gd" or "heavy-ball". */
export function checkedMethod(method: string): string {
  if (!METHOD.test(method)) throw new RangeError(`method "${method}" is not a method name (letters, digits, - and _)`);
  return method;
}

/** A version such as "0.1.0" or "1.2.0-rc.1". */
export function checkedVersion(version: string): string {
  if (!VERSION.test(version)) throw new RangeError(`version "${version}" is not a version string`);
  return version;
}

/** A numeric value written as a decimal or a fraction. */
export function checkedNumber(what: string, value: string): string {
  if (!NUMBER.test(value)) throw new RangeError(`${what}: "${value}" is not a number (write 0.9, 9e-1 or 9/10)`);
  if (/\/0+$/.test(value)) throw new RangeError(`${what}: "${value}" divides by zero`);
  return value;
}
