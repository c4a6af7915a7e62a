/**
 * Counter terms ξ_0 … ξ_K in each notation the CLI offers. Every LaTeX string is checked by KaTeX.
 * Coefficients are rationals, or rational functions of symbolic hyperparameters (coefficients.ts).
 *
 * @example
 *   seriesText(solveCounterTerms(1)[1]) // "1/3 H^2 g + 1/12 ∇³L[g, g]"
 *   seriesLatex(solveCounterTerms(0)[0]) // "\\frac{1}{2} H g"
 */
import type { Field } from '../series/field.js';
import type { TreeSeries } from '../series/treeSeries.js';
import type { RootedTree, TreeStore } from '../trees/store.js';
import { coefficientStyles } from './coefficients.js';
import { plainNotation, type TermNotation } from './termNotation.js';
import { AlignWriter, inlineMath, LATEX_DOCUMENT_TAIL, latexDocumentHead, latexText, splitTopLevelSum } from './latexDocument.js';
import { methodHeaderLines, methodLatexIntro, type MethodInfo, showsLeading } from './methodInfo.js';
import { collectOutput, type Write } from './sink.js';
import { signedTerms } from './sum.js';

export function seriesText<C>(series: TreeSeries<C>, notation: TermNotation = plainNotation): string {
  return joinedSum(signedTerms(bodies(series, (t, s) => notation.text(t, s)), coefficientStyles(series.field).text));
}

/**
 * A sum's LaTeX, composed from rules that test/notation.test.ts renders with KaTeX exhaustively
 * (every tree up to 10 nodes, every coefficient shape): no sum is re-checked at run time, since
 * KaTeX's cost grows quadratically with a sum's length. Loss closed forms stay checked in full.
 */
export function seriesLatex<C>(series: TreeSeries<C>, notation: TermNotation = plainNotation): string {
  return joinedSum(latexPieces(series, notation));
}

export function seriesIndex<C>(series: TreeSeries<C>, notation: TermNotation = plainNotation): string {
  return joinedSum(signedTerms(bodies(series, (t, s) => notation.index(t, s)), coefficientStyles(series.field).text));
}

/** writeSum's text as one string. */
function joinedSum(pieces: Iterable<string>): string {
  return collectOutput((write) => writeSum(write, pieces));
}

/** Writes ξ_0, ξ_1, … one order at a time, each term as it comes, then closes the document. */
export interface CounterTermsWriter<C> {
  /** The next order's series (ξ_0 first). */
  order(series: TreeSeries<C>): void;
  /** Everything after the last order. */
  end(): void;
}

/** What a writer needs to know before the first order. */
export interface CounterTermsHead<C> {
  /** The coefficient field of the series (undefined when there are none). */
  readonly field?: Field<C> | undefined;
  /** The method, for header lines (parameters, leading factor c). */
  readonly method?: MethodInfo<C> | undefined;
  /** How terms are written (default: elementary differentials). */
  readonly notation?: TermNotation | undefined;
}

/** Feed every series to a writer and close it. */
export function writeAll<C>(writer: CounterTermsWriter<C>, xi: readonly TreeSeries<C>[]): void {
  for (const s of xi) writer.order(s);
  writer.end();
}

/** A series' terms with their bodies, made one at a time. */
function* bodies<C>(series: TreeSeries<C>, body: (tree: RootedTree, store: TreeStore) => string): Generator<{ coefficient: C; body: string }> {
  for (const t of series.terms()) yield { coefficient: t.coefficient, body: body(t.tree, series.store) };
}

/** A signed sum written piece by piece: the pieces joined by spaces, "0" for none. */
export function writeSum(write: Write, pieces: Iterable<string>): void {
  let first = true;
  for (const piece of pieces) {
    write(first ? piece : ` ${piece}`);
    first = false;
  }
  if (first) write('0');
}

/** seriesLatex one signed term at a time (writeSum joins them). */
export function latexPieces<C>(series: TreeSeries<C>, notation: TermNotation = plainNotation): Generator<string> {
  return signedTerms(bodies(series, (t, s) => notation.latex(t, s)), coefficientStyles(series.field).latex);
}

/** The LaTeX sum of a series as its top-level terms (splitTopLevelSum's pieces); "0" for none. */
function* latexTerms<C>(series: TreeSeries<C>, notation: TermNotation): Generator<string> {
  let any = false;
  for (const piece of latexPieces(series, notation)) {
    yield* splitTopLevelSum(piece);
    any = true;
  }
  if (!any) yield '0';
}

/** Lines of text, then one line per order: `lhs(k)` and the sum in `body`'s notation. */
function listingWriter<C>(write: Write, head: readonly string[], lhs: (k: number) => string, body: (tree: RootedTree, store: TreeStore) => string): CounterTermsWriter<C> {
  for (const line of head) write(`${line}\n`);
  let k = 0;
  return {
    order(series) {
      write(lhs(k++));
      writeSum(write, signedTerms(bodies(series, body), coefficientStyles(series.field).text));
      write('\n');
    },
    end() {
      if (head.length === 0 && k === 0) write('\n');
    },
  };
}

/**
 * Plain-text listing, one line per order: "ξ_0 = 1/2 H g". For a method other than gradient
 * descent, comment lines first name it, its parameters and the leading factor c.
 */
export function counterTermsText<C>(xi: readonly TreeSeries<C>[], method?: MethodInfo<C>, notation: TermNotation = plainNotation): string {
  return collectOutput((write) => writeAll(counterTermsTextWriter(write, { field: xi[0]?.field, method, notation }), xi));
}

/**
 * counterTermsText written as it goes.
 *
 * @example
 *   const w = counterTermsTextWriter(write, { field: solver.field });
 *   w.order(solver.xi(0)); w.end(); // wrote "ξ_0 = 1/2 H g\n"
 */
export function counterTermsTextWriter<C>(write: Write, head: CounterTermsHead<C>): CounterTermsWriter<C> {
  const notation = head.notation ?? plainNotation;
  const lines = [...(head.method ? methodHeaderLines(head.method, head.field) : []), ...notation.legend];
  return listingWriter(write, lines, (k) => `ξ_${k} = `, (t, s) => notation.text(t, s));
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
  return collectOutput((write) => writeAll(counterTermsLatexWriter(write, xi.length - 1, xi[0]?.field, options), xi));
}

/**
 * counterTermsLatex of ξ_0 … ξ_K written as it goes (K sets the alignment and the document's text).
 * The rows are composed from rules that test/notation.test.ts renders with KaTeX exhaustively, so
 * no sum is re-checked here; the document's own sentences are (inlineMath).
 *
 * @example
 *   const w = counterTermsLatexWriter(write, 1, solver.field);
 *   w.order(solver.xi(0)); w.order(solver.xi(1)); w.end();
 */
export function counterTermsLatexWriter<C>(write: Write, K: number, field: Field<C> | undefined, options: CounterTermsLatexOptions<C> = {}): CounterTermsWriter<C> {
  const leading = options.info && field && showsLeading(options.info, field) ? coefficientStyles(field).exactLatex(options.info.leading) : undefined;
  const notation = options.notation ?? plainNotation;
  if (options.standalone) {
    const lead = leading !== undefined ? 'c\\, g(\\theta)' : 'g(\\theta)';
    const intro = [
      `Counter terms of the equation of motion ${inlineMath(`\\frac{d\\theta}{dt} = -${lead} - \\eta \\sum_{k \\ge 0} \\eta^{k} \\xi_{k}(\\theta)`)}`,
      `for the update rule \\texttt{${latexText(options.info?.name ?? options.method ?? 'gd')}} (Miyagawa, NeurIPS 2022), exact through order ${K}.`,
      ...(options.info ? methodLatexIntro(options.info) : []),
      `Here ${inlineMath('g = \\nabla L')}, ${inlineMath('H = \\nabla^{2} L')}, and ${inlineMath('\\nabla^{m+1} L[v_{1}, \\dots, v_{m}]')}`,
      `is the derivative tensor of order ${inlineMath('m+1')} of the loss applied to the vectors ${inlineMath('v_{1}, \\dots, v_{m}')}.`,
      ...(notation.latexLegend ? [notation.latexLegend] : []),
    ].join('\n');
    // The rows use no amssymb macro (symbols are Greek letters, \mathrm names or letters): the intro decides.
    write(latexDocumentHead(intro, { title: `Counter terms ${inlineMath(`\\xi_{0}, \\dots, \\xi_{${K}}`)}` }));
    write(`${intro}\n\n`);
  }
  const lhs = (k: number) => `\\xi_{${k}}`;
  const align = new AlignWriter([...(leading !== undefined ? ['c'] : []), ...Array.from({ length: K + 1 }, (_, k) => lhs(k))], write);
  if (leading !== undefined) align.row('c', splitTopLevelSum(leading));
  let k = 0;
  return {
    order: (series) => align.row(lhs(k++), latexTerms(series, notation)),
    end() {
      align.end();
      write(options.standalone ? LATEX_DOCUMENT_TAIL : '\n');
    },
  };
}

/** Index notation, one line per order, after a line defining the notation. */
export function counterTermsIndex<C>(xi: readonly TreeSeries<C>[], method?: MethodInfo<C>, notation: TermNotation = plainNotation): string {
  return collectOutput((write) => writeAll(counterTermsIndexWriter(write, { field: xi[0]?.field, method, notation }), xi));
}

/** counterTermsIndex written as it goes. @example counterTermsIndexWriter(write, { field: solver.field }).order(solver.xi(0)) */
export function counterTermsIndexWriter<C>(write: Write, head: CounterTermsHead<C>): CounterTermsWriter<C> {
  const notation = head.notation ?? plainNotation;
  const legend = '# L_{ij…} = ∂_i ∂_j … L (L_{i} is the gradient g_i); repeated indices are summed; i is free.';
  const lines = [...(head.method ? methodHeaderLines(head.method, head.field) : []), legend, ...notation.legend];
  return listingWriter(write, lines, (k) => `(ξ_${k})_i = `, (t, s) => notation.index(t, s));
}
