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
import { alignBlock, inlineMath, latexDocument, latexText } from './latexDocument.js';
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

export interface CounterTermsLatexOptions {
  /** A complete article (preamble, a sentence of notation) instead of a fragment to paste. */
  readonly standalone?: boolean;
  /** The update rule's name, for the standalone document's text (default "gd"). */
  readonly method?: string;
}

/**
 * LaTeX for a paper: one `align*` environment with a line per order, long sums broken at top-level
 * signs (needs amsmath); with `standalone`, a whole document that pdflatex compiles.
 *
 * @example
 *   counterTermsLatex(solveCounterTerms(1))
 *   // "\\begin{align*}\n\\xi_{0} &= \\frac{1}{2} H g \\\\\n\\xi_{1} &= … \n\\end{align*}\n"
 *   counterTermsLatex(solveCounterTerms(4), { standalone: true }) // "\\documentclass{article}…"
 */
export function counterTermsLatex(xi: readonly TreeSeries<Rational>[], options: CounterTermsLatexOptions = {}): string {
  const block = alignBlock(xi.map((s, k) => ({ lhs: `\\xi_{${k}}`, rhs: seriesLatex(s) })));
  if (!options.standalone) return block + '\n';
  const K = xi.length - 1;
  const intro = [
    `Counter terms of the equation of motion ${inlineMath('\\frac{d\\theta}{dt} = -g(\\theta) - \\eta \\sum_{k \\ge 0} \\eta^{k} \\xi_{k}(\\theta)')}`,
    `for the update rule \\texttt{${latexText(options.method ?? 'gd')}} (Miyagawa, NeurIPS 2022), exact through order ${K}.`,
    `Here ${inlineMath('g = \\nabla L')}, ${inlineMath('H = \\nabla^{2} L')}, and ${inlineMath('\\nabla^{m+1} L[v_{1}, \\dots, v_{m}]')}`,
    `is the derivative tensor of order ${inlineMath('m+1')} of the loss applied to the vectors ${inlineMath('v_{1}, \\dots, v_{m}')}.`,
  ].join('\n');
  return latexDocument(`${intro}\n\n${block}`, { title: `Counter terms ${inlineMath(`\\xi_{0}, \\dots, \\xi_{${K}}`)}` });
}

/** Index notation, one line per order, after a line defining the notation. */
export function counterTermsIndex(xi: readonly TreeSeries<Rational>[]): string {
  const legend = '# L_{ij…} = ∂_i ∂_j … L (L_{i} is the gradient g_i); repeated indices are summed; i is free.';
  return [legend, ...xi.map((s, k) => `(ξ_${k})_i = ${seriesIndex(s)}`)].join('\n') + '\n';
}
