/**
 * Exact coefficients as people read them: rationals ("1/12", \frac{1}{12}) and rational functions
 * of symbolic hyperparameters with factored denominators ("(1 + beta)/(2*(1 - beta)^3)",
 * \frac{1 + \beta}{2 (1 - \beta)^{3}}). The text form is mathjs-parsable and exact.
 *
 * @example
 *   const style = coefficientStyles(series.field);
 *   style.text.magnitude(c)  // "(1 + beta)/(2*(1 - beta)^3)"
 *   style.exact(c)           // the same with its sign: what JSON prints
 */
import { FractionField, Rational, isRationalField, type Fraction } from '../series/fraction.js';
import type { Field } from '../series/field.js';
import { squareFree } from '../series/factor.js';
import type { CoefficientRing } from '../series/ring.js';
import { monomials, ringSymbols, type Monomial } from '../series/symbols.js';
import { checkedLatex } from './katexCheck.js';
import { symbolLatex } from './symbolLatex.js';

export interface CoefficientStyle<C> {
  /** Whether the coefficient is printed with a leading minus sign. */
  negative(c: C): boolean;
  /** |c| as printed before a term ('' for 1), in a form that binds tighter than the term. */
  magnitude(c: C): string;
}

export interface CoefficientStyles<C> {
  readonly text: CoefficientStyle<C>;
  readonly latex: CoefficientStyle<C>;
  /** The exact value with its sign, mathjs-parsable ("-1/12", "(1 + beta)/(2*(1 - beta)^3)"). */
  exact(c: C): string;
  /** The exact value in LaTeX with its sign. */
  exactLatex(c: C): string;
}

/** Styles for exact rationals. */
export const rationalStyles: CoefficientStyles<Rational> = {
  text: {
    negative: (c) => c.num < 0n,
    magnitude: (c) => {
      const n = c.num < 0n ? -c.num : c.num;
      if (n === 1n && c.den === 1n) return '';
      return c.den === 1n ? `${n}` : `${n}/${c.den}`;
    },
  },
  latex: {
    negative: (c) => c.num < 0n,
    magnitude: (c) => {
      const n = c.num < 0n ? -c.num : c.num;
      if (n === 1n && c.den === 1n) return '';
      return c.den === 1n ? `${n}` : `\\frac{${n}}{${c.den}}`;
    },
  },
  exact: (c) => Rational.toString(c),
  exactLatex: (c) => {
    const n = c.num < 0n ? -c.num : c.num;
    const body = c.den === 1n ? `${n}` : `\\frac{${n}}{${c.den}}`;
    return c.num < 0n ? `-${body}` : body;
  },
};

/** The styles for the coefficients of a series over `field` (rationals or rational functions). */
export function coefficientStyles<C>(field: Field<C>): CoefficientStyles<C> {
  if (isRationalField(field) || !(field instanceof FractionField)) return rationalStyles as unknown as CoefficientStyles<C>;
  const ring = field.ring as CoefficientRing<unknown>;
  let styles = stylesByRing.get(ring);
  if (!styles) stylesByRing.set(ring, (styles = rationalFunctionStyles(ring)));
  return styles as unknown as CoefficientStyles<C>;
}

/** One set of styles per ring: its symbol names are checked, and its factorisations cached, once. */
const stylesByRing = new WeakMap<CoefficientRing<unknown>, CoefficientStyles<Fraction<unknown>>>();

interface Parts {
  negative: boolean;
  /** Numerator monomials with the sign taken out. */
  numerator: Monomial[];
  denominatorUnit: bigint;
  denominatorFactors: { monomials: Monomial[]; multiplicity: number }[];
}

function rationalFunctionStyles(ring: CoefficientRing<unknown>): CoefficientStyles<Fraction<unknown>> {
  // Symbol names are the one input here not covered by the exhaustive tests: each is checked once.
  for (const s of ringSymbols(ring)) checkedLatex(symbolLatex(s));
  const cache = new WeakMap<object, Parts>();
  const parts = (c: Fraction<unknown>): Parts => {
    const hit = cache.get(c);
    if (hit) return hit;
    const den = squareFree(ring, c.den);
    let numerator = monomials(ring, c.num);
    // Signs: the denominator's unit sign moves up; the printed sign is that of the lowest monomial.
    if (den.unit < 0n) numerator = numerator.map((m) => ({ ...m, coefficient: -m.coefficient }));
    const negative = numerator.length > 0 && numerator[0]!.coefficient < 0n;
    if (negative) numerator = numerator.map((m) => ({ ...m, coefficient: -m.coefficient }));
    const out: Parts = {
      negative,
      numerator,
      denominatorUnit: den.unit < 0n ? -den.unit : den.unit,
      denominatorFactors: den.factors.map((f) => ({ monomials: monomials(ring, f.factor), multiplicity: f.multiplicity })),
    };
    cache.set(c, out);
    return out;
  };

  const text = (c: Fraction<unknown>, signed: boolean): string => {
    const p = parts(c);
    const num = polynomialText(p.numerator);
    const single = p.numerator.length === 1;
    const factors = [
      ...(p.denominatorUnit !== 1n ? [`${p.denominatorUnit}`] : []),
      ...p.denominatorFactors.map((f) => power(group(polynomialText(f.monomials), f.monomials.length > 1), f.multiplicity, (b, e) => `${b}^${e}`)),
    ];
    let body: string;
    if (factors.length === 0) body = single ? (num === '1' && !signed ? '' : num) : `(${num})`;
    else body = `${single ? num : `(${num})`}/${factors.length > 1 ? `(${factors.join('*')})` : factors[0]}`;
    return signed && p.negative ? `-${body}` : body;
  };

  const latex = (c: Fraction<unknown>, signed: boolean): string => {
    const p = parts(c);
    const num = polynomialLatex(p.numerator);
    const factors = [
      ...(p.denominatorUnit !== 1n ? [`${p.denominatorUnit}`] : []),
      ...p.denominatorFactors.map((f) => {
        const alone = p.denominatorFactors.length === 1 && p.denominatorUnit === 1n && f.multiplicity === 1;
        return power(f.monomials.length > 1 && !alone ? `(${polynomialLatex(f.monomials)})` : polynomialLatex(f.monomials), f.multiplicity, (b, e) => `${b}^{${e}}`);
      }),
    ];
    let body: string;
    if (factors.length) body = `\\frac{${num}}{${factors.join(' ')}}`;
    else if (!signed && num === '1') body = '';
    else body = p.numerator.length > 1 && !signed ? `\\left(${num}\\right)` : num;
    if (!signed || !p.negative) return body;
    return factors.length || p.numerator.length === 1 ? `-${body}` : `-\\left(${num}\\right)`;
  };

  return {
    text: { negative: (c) => parts(c).negative, magnitude: (c) => text(c, false) },
    latex: { negative: (c) => parts(c).negative, magnitude: (c) => latex(c, false) },
    exact: (c) => (ring.isZero(c.num) ? '0' : text(c, true)),
    exactLatex: (c) => (ring.isZero(c.num) ? '0' : latex(c, true)),
  };
}

function group(s: string, needed: boolean): string {
  return needed ? `(${s})` : s;
}

function power(base: string, e: number, fmt: (b: string, e: number) => string): string {
  return e === 1 ? base : fmt(base, e);
}

function monomialText(m: Monomial): string {
  const a = m.coefficient < 0n ? -m.coefficient : m.coefficient;
  const vars = [...m.exponents].map(([s, e]) => (e === 1 ? s : `${s}^${e}`));
  if (vars.length === 0) return `${a}`;
  return a === 1n ? vars.join('*') : `${a}*${vars.join('*')}`;
}

function monomialLatex(m: Monomial): string {
  const a = m.coefficient < 0n ? -m.coefficient : m.coefficient;
  const vars = [...m.exponents].map(([s, e]) => (e === 1 ? symbolLatex(s) : `${symbolLatex(s)}^{${e}}`));
  if (vars.length === 0) return `${a}`;
  return a === 1n ? vars.join(' ') : `${a} ${vars.join(' ')}`;
}

function polynomialText(ms: readonly Monomial[]): string {
  return joinSigned(ms, monomialText);
}

function polynomialLatex(ms: readonly Monomial[]): string {
  return joinSigned(ms, monomialLatex);
}

function joinSigned(ms: readonly Monomial[], fmt: (m: Monomial) => string): string {
  if (ms.length === 0) return '0';
  return ms.map((m, i) => (i === 0 ? (m.coefficient < 0n ? `-${fmt(m)}` : fmt(m)) : `${m.coefficient < 0n ? '-' : '+'} ${fmt(m)}`)).join(' ');
}
