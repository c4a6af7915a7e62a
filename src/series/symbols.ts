/**
 * Rings of hyperparameters kept as symbols. The numerator ring for symbols [s1, …, sn] is
 * Z[s1][s2]…[sn] (nested `PolynomialRing`s over the integers); fractions over it are the
 * rational functions Q(s1, …, sn) in which the coefficients of momentum's counter terms live.
 * Reading an element back as monomials, evaluating it at exact values and differentiating
 * recurse through the nesting.
 *
 * @example
 *   const R = symbolRing(['beta']);
 *   const b = symbolValue(R, 'beta');
 *   evaluateSymbols(R, R.mul(b, b), new Map([['beta', rational(1, 2)]])) // 1/4
 */
import { Rational, rational } from './fraction.js';
import { PolynomialRing, type Polynomial } from './polynomial.js';
import { integers, type CoefficientRing } from './ring.js';

/** Z[s1]…[sn]; the integers when there are no symbols. Symbols must be distinct. */
export function symbolRing(symbols: readonly string[]): CoefficientRing<unknown> {
  if (new Set(symbols).size !== symbols.length) throw new RangeError(`repeated symbol in ${symbols.join(', ')}`);
  let ring: CoefficientRing<unknown> = integers as CoefficientRing<unknown>;
  for (const s of symbols) ring = new PolynomialRing(ring, s) as CoefficientRing<unknown>;
  return ring;
}

/** The symbols of a ring built by `symbolRing`, innermost first. */
export function ringSymbols(ring: CoefficientRing<unknown>): string[] {
  return ring instanceof PolynomialRing ? [...ringSymbols(ring.base), ring.variable] : [];
}

/** The element s of the ring (a symbol of it). */
export function symbolValue(ring: CoefficientRing<unknown>, symbol: string): unknown {
  if (!(ring instanceof PolynomialRing)) throw new RangeError(`"${symbol}" is not a symbol of the coefficient ring`);
  if (ring.variable === symbol) return ring.x;
  return ring.constant(symbolValue(ring.base, symbol));
}

/** The element for an exact integer. */
export function integerValue(ring: CoefficientRing<unknown>, n: bigint): unknown {
  return ring.fromInteger(n);
}

/** One monomial: integer coefficient times Π s^e (exponents by symbol, zero exponents left out). */
export interface Monomial {
  readonly coefficient: bigint;
  readonly exponents: ReadonlyMap<string, number>;
}

/** The monomials of an element, by increasing total degree, then by exponents innermost-first. */
export function monomials(ring: CoefficientRing<unknown>, a: unknown): Monomial[] {
  const out: Monomial[] = [];
  const walk = (r: CoefficientRing<unknown>, x: unknown, exps: Map<string, number>): void => {
    if (!(r instanceof PolynomialRing)) {
      const c = x as bigint;
      if (c !== 0n) out.push({ coefficient: c, exponents: new Map(exps) });
      return;
    }
    (x as Polynomial<unknown>).forEach((c, i) => {
      if (r.base.isZero(c)) return;
      const next = new Map(exps);
      if (i > 0) next.set(r.variable, i);
      walk(r.base, c, next);
    });
  };
  walk(ring, a, new Map());
  const symbols = ringSymbols(ring);
  const degree = (m: Monomial) => [...m.exponents.values()].reduce((s, e) => s + e, 0);
  return out.sort((m, n) => {
    const d = degree(m) - degree(n);
    if (d !== 0) return d;
    for (const s of symbols) {
      const e = (m.exponents.get(s) ?? 0) - (n.exponents.get(s) ?? 0);
      if (e !== 0) return -e;
    }
    return 0;
  });
}

/** The exact value at the given values of the symbols (every symbol needs a value). */
export function evaluateSymbols(ring: CoefficientRing<unknown>, a: unknown, values: ReadonlyMap<string, Rational>): Rational {
  if (!(ring instanceof PolynomialRing)) return rational(a as bigint);
  const v = values.get(ring.variable);
  if (v === undefined) throw new RangeError(`no value for the symbol "${ring.variable}"`);
  let acc = Rational.zero;
  const coefficients = a as Polynomial<unknown>;
  for (let i = coefficients.length - 1; i >= 0; i--) {
    acc = Rational.add(Rational.mul(acc, v), evaluateSymbols(ring.base, coefficients[i], values));
  }
  return acc;
}

/** The integer an element equals when it is a constant (no symbol occurs), else undefined. */
export function constantValue(ring: CoefficientRing<unknown>, a: unknown): bigint | undefined {
  if (!(ring instanceof PolynomialRing)) return a as bigint;
  const p = a as Polynomial<unknown>;
  if (p.length === 0) return 0n;
  return p.length === 1 ? constantValue(ring.base, p[0]) : undefined;
}
