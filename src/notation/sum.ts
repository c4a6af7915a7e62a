/**
 * Signed sums of coefficient × term, shared by the text, LaTeX and index renderers:
 * "1/3 H^2 g + 1/12 ∇³L[g, g]", a unit coefficient left out, minus signs pulled into the joins.
 */
import type { Rational } from '../series/fraction.js';

export interface CoefficientStyle {
  /** |c| as printed before a term, or '' for |c| = 1. */
  magnitude(c: Rational): string;
}

export const textCoefficients: CoefficientStyle = {
  magnitude: (c) => {
    const n = c.num < 0n ? -c.num : c.num;
    if (n === 1n && c.den === 1n) return '';
    return c.den === 1n ? `${n}` : `${n}/${c.den}`;
  },
};

export const latexCoefficients: CoefficientStyle = {
  magnitude: (c) => {
    const n = c.num < 0n ? -c.num : c.num;
    if (n === 1n && c.den === 1n) return '';
    return c.den === 1n ? `${n}` : `\\frac{${n}}{${c.den}}`;
  },
};

export function signedSum(terms: readonly { coefficient: Rational; body: string }[], style: CoefficientStyle): string {
  if (terms.length === 0) return '0';
  return terms
    .map(({ coefficient, body }, i) => {
      const negative = coefficient.num < 0n;
      const mag = style.magnitude(coefficient);
      const factor = mag === '' ? body : `${mag} ${body}`;
      if (i === 0) return negative ? `-${factor}` : factor;
      return `${negative ? '-' : '+'} ${factor}`;
    })
    .join(' ');
}
