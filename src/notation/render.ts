/**
 * Counter terms ξ_0 … ξ_K in each notation the CLI offers. Every LaTeX string is checked by KaTeX.
 *
 * @example
 *   seriesText(solveCounterTerms(1)[1]) // "1/3 H^2 g + 1/12 ∇³L[g, g]"
 *   seriesLatex(solveCounterTerms(0)[0]) // "\\frac{1}{2} H g"
 */
import type { Rational } from '../series/fraction.js';
import type { TreeSeries } from '../series/treeSeries.js';
import { elementaryLatex, elementaryText } from './elementary.js';
import { indexForm } from './indexNotation.js';
import { checkedLatex } from './katexCheck.js';
import { latexCoefficients, signedSum, textCoefficients } from './sum.js';

export function seriesText(series: TreeSeries<Rational>): string {
  return signedSum(
    series.terms().map((t) => ({ coefficient: t.coefficient, body: elementaryText(t.tree, series.store) })),
    textCoefficients,
  );
}

export function seriesLatex(series: TreeSeries<Rational>): string {
  return checkedLatex(
    signedSum(
      series.terms().map((t) => ({ coefficient: t.coefficient, body: elementaryLatex(t.tree, series.store) })),
      latexCoefficients,
    ),
  );
}

export function seriesIndex(series: TreeSeries<Rational>): string {
  return signedSum(
    series.terms().map((t) => ({ coefficient: t.coefficient, body: indexForm(t.tree, series.store) })),
    textCoefficients,
  );
}

/** Plain-text listing, one line per order: "ξ_0 = 1/2 H g". */
export function counterTermsText(xi: readonly TreeSeries<Rational>[]): string {
  return xi.map((s, k) => `ξ_${k} = ${seriesText(s)}`).join('\n') + '\n';
}

/** LaTeX, one equation per line: "\xi_{0} = \frac{1}{2} H g". */
export function counterTermsLatex(xi: readonly TreeSeries<Rational>[]): string {
  return xi.map((s, k) => checkedLatex(`\\xi_{${k}} = ${seriesLatex(s)}`)).join('\n') + '\n';
}

/** Index notation, one line per order, after a line defining the notation. */
export function counterTermsIndex(xi: readonly TreeSeries<Rational>[]): string {
  const legend = '# L_{ij…} = ∂_i ∂_j … L (L_{i} is the gradient g_i); repeated indices are summed; i is free.';
  return [legend, ...xi.map((s, k) => `(ξ_${k})_i = ${seriesIndex(s)}`)].join('\n') + '\n';
}
