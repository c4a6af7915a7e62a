/**
 * Signed sums of coefficient × term, shared by the text, LaTeX and index renderers:
 * "1/3 H^2 g + 1/12 ∇³L[g, g]", a unit coefficient left out, minus signs pulled into the joins.
 * Coefficients are printed by a `CoefficientStyle` (notation/coefficients.ts): rationals, or
 * rational functions of symbolic hyperparameters.
 *
 * @example
 *   [...signedTerms(terms, rationalStyles.text)] // ["1/3 H^2 g", "+ 1/12 ∇³L[g, g]"]
 *   seriesText(ξ_1) (render.ts) joins them: "1/3 H^2 g + 1/12 ∇³L[g, g]"
 */
import type { CoefficientStyle } from './coefficients.js';

export type { CoefficientStyle } from './coefficients.js';

/**
 * The top-level pieces of the sum, one per term, produced one at a time: the first unsigned or
 * "-x", the others "+ x" or "- x"; none for no terms (render.ts's writeSum joins them, "0" for none).
 */
export function* signedTerms<C>(terms: Iterable<{ coefficient: C; body: string }>, style: CoefficientStyle<C>): Generator<string> {
  let first = true;
  for (const { coefficient, body } of terms) {
    const negative = style.negative(coefficient);
    const mag = style.magnitude(coefficient);
    const factor = mag === '' ? body : `${mag} ${body}`;
    yield first ? (negative ? `-${factor}` : factor) : `${negative ? '-' : '+'} ${factor}`;
    first = false;
  }
}
