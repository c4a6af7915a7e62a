/**
 * Signed sums of coefficient × term, shared by the text, LaTeX and index renderers:
 * "1/3 H^2 g + 1/12 ∇³L[g, g]", a unit coefficient left out, minus signs pulled into the joins.
 * Coefficients are printed by a `CoefficientStyle` (notation/coefficients.ts): rationals, or
 * rational functions of symbolic hyperparameters.
 */
import type { CoefficientStyle } from './coefficients.js';

export type { CoefficientStyle } from './coefficients.js';

export function signedSum<C>(terms: readonly { coefficient: C; body: string }[], style: CoefficientStyle<C>): string {
  if (terms.length === 0) return '0';
  return terms
    .map(({ coefficient, body }, i) => {
      const negative = style.negative(coefficient);
      const mag = style.magnitude(coefficient);
      const factor = mag === '' ? body : `${mag} ${body}`;
      if (i === 0) return negative ? `-${factor}` : factor;
      return `${negative ? '-' : '+'} ${factor}`;
    })
    .join(' ');
}
