/**
 * Counter terms ξ_0 … ξ_K in each notation the CLI offers. Every LaTeX string is checked by KaTeX.
 * Coefficients are rationals, or rational functions of symbolic hyperparameters (coefficients.ts).
 *
 * @example
 *   seriesText(solveCounterTerms(1)[1]) // "1/3 H^2 g + 1/12 ∇³L[g, g]"
 *   seriesLatex(solveCounterTerms(0)[0]) // "\\frac{1}{2} H g"
 */
import type { TreeSeries } from '../series/treeSeries.js';
import { coefficientStyles } from './coefficients.js';
import { plainNotation, type TermNotation } from './termNotation.js';
import { alignBlock, inlineMath, latexDocument, latexText } from './latexDocument.js';
import { methodHeaderLines, methodLatexIntro, type MethodInfo, showsLeading } from './methodInfo.js';
import { signedSum } from './sum.js';

export function seriesText<C>(series: TreeSeries<C>, notation: TermNotation = plainNotation): string {
  return signedSum(
    series.terms().map((t) => ({ coefficient: t.coefficient, body: notation.text(t.tree, series.store) })),
    coefficientStyles(series.field).text,
  );
}

/**
 * A sum's LaTeX, composed from rules that test/notation.test.ts renders with KaTeX exhaustively
 * (every tree up to 10 nodes, every coefficient shape): no sum is re-checked at run time, since
 * KaTeX's cost grows quadratically with a sum's length. Loss closed forms stay checked in full.
 */
export function seriesLatex<C>(series: TreeSeries<C>, notation: TermNotation = plainNotation): string {
  return signedSum(
    series.terms().map((t) => ({ coefficient: t.coefficient, body: notation.latex(t.tree, series.store) })),
    coefficientStyles(series.field).latex,
  );
}

export function seriesIndex<C>(series: TreeSeries<C>, notation: TermNotation = plainNotation): string {
  return signedSum(
    series.terms().map((t) => ({ coefficient: t.coefficient, body: notation.index(t.tree, series.store) })),
    coefficientStyles(series.field).text,
  );
}

/**
 * Plain-text listing, one line per order: "ξ_0 = 1/2 H g". For a method other than gradient
 * descent, comment lines first name it, its parameters and the leading factor c.
 */
export function counterTermsText<C>(xi: readonly TreeSeries<C>[], method?: MethodInfo<C>, notation: TermNotation = plainNotation): string {
  const header = method ? methodHeaderLines(method, xi[0]?.field) : [];
  return [...header, ...notation.legend, ...xi.map((s, k) => `ξ_${k} = ${seriesText(s, notation)}`)].join('\n') + '\n';
}

export interface CounterTermsLatexOptions<C = unknown> {
  /** A complete article (preamble, a sentence of notation) instead of a fragment to paste. */
  readonly standalone?: boolean;
  /** The update rule's name, for the standalone document's text (default "gd"). */
  readonly method?: string;
  /** The method with its parameters and leading factor (adds a line for c when c ≠ 1). */
  readonly info?: MethodInfo<C>;
  /** How terms are written (default: elementary differentials). */
  readonly notation?: TermNotation;
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
export function counterTermsLatex<C>(xi: readonly TreeSeries<C>[], options: CounterTermsLatexOptions<C> = {}): string {
  const field = xi[0]?.field;
  const leadingRow = options.info && field && showsLeading(options.info, field) ? [{ lhs: 'c', rhs: coefficientStyles(field).exactLatex(options.info.leading) }] : [];
  const notation = options.notation ?? plainNotation;
  const block = alignBlock([...leadingRow, ...xi.map((s, k) => ({ lhs: `\\xi_{${k}}`, rhs: seriesLatex(s, notation) }))], undefined, { check: false });
  if (!options.standalone) return block + '\n';
  const K = xi.length - 1;
  const lead = leadingRow.length ? 'c\\, g(\\theta)' : 'g(\\theta)';
  const intro = [
    `Counter terms of the equation of motion ${inlineMath(`\\frac{d\\theta}{dt} = -${lead} - \\eta \\sum_{k \\ge 0} \\eta^{k} \\xi_{k}(\\theta)`)}`,
    `for the update rule \\texttt{${latexText(options.info?.name ?? options.method ?? 'gd')}} (Miyagawa, NeurIPS 2022), exact through order ${K}.`,
    ...(options.info ? methodLatexIntro(options.info) : []),
    `Here ${inlineMath('g = \\nabla L')}, ${inlineMath('H = \\nabla^{2} L')}, and ${inlineMath('\\nabla^{m+1} L[v_{1}, \\dots, v_{m}]')}`,
    `is the derivative tensor of order ${inlineMath('m+1')} of the loss applied to the vectors ${inlineMath('v_{1}, \\dots, v_{m}')}.`,
    ...(notation.latexLegend ? [notation.latexLegend] : []),
  ].join('\n');
  return latexDocument(`${intro}\n\n${block}`, { title: `Counter terms ${inlineMath(`\\xi_{0}, \\dots, \\xi_{${K}}`)}` });
}

/** Index notation, one line per order, after a line defining the notation. */
export function counterTermsIndex<C>(xi: readonly TreeSeries<C>[], method?: MethodInfo<C>, notation: TermNotation = plainNotation): string {
  const legend = '# L_{ij…} = ∂_i ∂_j … L (L_{i} is the gradient g_i); repeated indices are summed; i is free.';
  const header = method ? methodHeaderLines(method, xi[0]?.field) : [];
  return [...header, legend, ...notation.legend, ...xi.map((s, k) => `(ξ_${k})_i = ${seriesIndex(s, notation)}`)].join('\n') + '\n';
}
