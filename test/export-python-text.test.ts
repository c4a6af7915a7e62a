/**
 * The safe pieces of Python source (src/export/pythonText.ts): literals written by hand, and the
 * name, method, version and number checks at the edges of what they accept (first and last
 * characters of each class, the 64-character limit, the anchors), each refusal with its message.
 */
import { describe, expect, it } from 'vitest';
import { checkedMethod, checkedName, checkedNumber, checkedVersion, docstringText, pythonFraction, pythonString, pythonTuple } from '../src/export/pythonText.js';
import { rational } from '../src/series/fraction.js';

describe('Python literals', () => {
  it('pythonFraction: Fraction(p, q), Fraction(n) for integers', () => {
    expect(pythonFraction(rational(-1, 12))).toBe('Fraction(-1, 12)');
    expect(pythonFraction(rational(6))).toBe('Fraction(6)');
    expect(pythonFraction(rational(0))).toBe('Fraction(0)');
  });

  it('pythonTuple: (), (a,) with its comma, (a, b)', () => {
    expect(pythonTuple([])).toBe('()');
    expect(pythonTuple(['1'])).toBe('(1,)');
    expect(pythonTuple(['1', '2', '3'])).toBe('(1, 2, 3)');
  });

  it('pythonString escapes quotes, backslashes and control characters', () => {
    expect(pythonString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
  });

  it('docstringText escapes \\ and ", and blanks C0, DEL, C1 and the Unicode line separators only', () => {
    expect(docstringText('say "hi" \\ bye')).toBe('say \\"hi\\" \\\\ bye');
    expect(docstringText('a\\\\b""c')).toBe('a\\\\\\\\b\\"\\"c');
    expect(docstringText('\u0000\u0009\n\u001f\u007f\u0080\u009f\u2028\u2029')).toBe('         ');
    const kept = ' !~\u00a0é∇³\u2027\u202a';
    expect(docstringText(kept)).toBe(kept);
  });
});

describe('checked names, methods, versions and numbers', () => {
  it('checkedName: a Python identifier of at most 64 characters', () => {
    for (const name of ['a', 'A', 'z', 'Z', '_', 'beta', 'a0', 'a9', 'b_Z', 'x'.repeat(64)]) expect(checkedName('--param', name)).toBe(name);
    for (const name of ['', '0a', '9', 'a-b', 'a b', ' a', 'a ', 'a"', 'é', 'x'.repeat(65), 'a\n']) {
      expect(() => checkedName('--param', name), JSON.stringify(name)).toThrow(RangeError);
    }
    expect(() => checkedName('--param', '0a')).toThrow('--param: "0a" is not a name (letters, digits and _, not starting with a digit)');
  });

  it('checkedMethod: a letter, then letters, digits, - and _ (64 at most)', () => {
    for (const m of ['gd', 'G', 'z', 'Z', 'heavy-ball', 'rk4_3', 'a9', 'a'.repeat(64)]) expect(checkedMethod(m)).toBe(m);
    for (const m of ['', '_gd', '-gd', '4th', 'gd ', ' gd', 'g.d', 'a'.repeat(65)]) expect(() => checkedMethod(m), JSON.stringify(m)).toThrow(RangeError);
    expect(() => checkedMethod('-gd')).toThrow('method "-gd" is not a method name (letters, digits, - and _)');
  });

  it('checkedVersion: a letter or digit, then letters, digits, ., + and - (64 at most)', () => {
    for (const v of ['0.1.0', '1.2.0-rc.1', '1+build.5', 'v', 'Z', 'z', '9', 'A', '1'.repeat(64)]) expect(checkedVersion(v)).toBe(v);
    for (const v of ['', '.1', '-1', '+1', '1_0', '1 ', ' 1', '1"', '1'.repeat(65)]) expect(() => checkedVersion(v), JSON.stringify(v)).toThrow(RangeError);
    expect(() => checkedVersion('1"')).toThrow('version "1"" is not a version string');
  });

  it('checkedNumber: decimals with sign, point and exponent, or p/q; not division by zero', () => {
    for (const n of ['1', '+2', '-0.5', '0.9', '1.', '.5', '.25', '-.125e2', '2.5e-3', '1E+3', '7e2', '12.75E10', '9/10', '-1/3', '10/01', '0/5', '123']) {
      expect(checkedNumber('--param beta', n)).toBe(n);
    }
    for (const n of ['', '.', '-', 'e3', '1e', '1e+', '1/', '/2', '1.5/2', '1/2.5', '1 ', ' 1', '1e3.5', '--1', '0x10', '1/2/3', 'a', '1,5', '+-1', 'inf', 'nan']) {
      expect(() => checkedNumber('--param beta', n), JSON.stringify(n)).toThrow(RangeError);
    }
    expect(() => checkedNumber('--param beta', 'x')).toThrow('--param beta: "x" is not a number (write 0.9, 9e-1 or 9/10)');
    expect(() => checkedNumber('--param beta', '1/0')).toThrow('--param beta: "1/0" divides by zero');
    expect(() => checkedNumber('--param beta', '-3/000')).toThrow('--param beta: "-3/000" divides by zero');
  });
});
