/**
 * LaTeX for papers: long sums broken over lines of an `align*` environment, and complete documents
 * (article + amsmath) that compile with pdflatex. Pure functions over strings; every formula that
 * leaves here has been rendered by KaTeX (see katexCheck.ts), and the macros used are those of
 * LaTeX + amsmath (\frac, \sqrt, \left…\right, \operatorname, \mathrm, \lVert, Greek letters).
 *
 * A sum is handled as its list of top-level terms, each carrying its sign ("+ x", "- y"; the first
 * one unsigned or "-x"): joining them with spaces gives the sum back, and a line break can only
 * fall between two of them, so never inside braces or a \left…\right pair.
 *
 * @example
 *   splitTopLevelSum('a + \\left(b - c\\right) - \\frac{d + e}{2}')
 *   // ['a', '+ \\left(b - c\\right)', '- \\frac{d + e}{2}']
 *   alignBlock([{ lhs: '\\xi_{0}', rhs: '\\frac{1}{2} H g' }])
 *   // '\\begin{align*}\n\\xi_{0} &= \\frac{1}{2} H g\n\\end{align*}'
 */
import { checkedLatex } from './katexCheck.js';
import { collectOutput, type Write } from './sink.js';

/** Estimated width of a line in em at 10pt: the article class's \textwidth (345pt) with a margin for estimation error. */
export const DEFAULT_LINE_WIDTH_EM = 29;

/** One equation of an align* block: `lhs &= rhs`, the rhs a sum that may be broken over lines. */
export interface AlignRow {
  readonly lhs: string;
  readonly rhs: string;
}

/** Tokens of a LaTeX string: a control word (\frac), a control symbol (\{, \,), or one character. */
function tokenize(tex: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < tex.length; ) {
    if (tex[i] === '\\') {
      const m = /^\\([A-Za-z]+|.)/s.exec(tex.slice(i));
      const tok = m ? m[0] : '\\';
      out.push(tok);
      i += tok.length;
    } else {
      out.push(tex[i]!);
      i++;
    }
  }
  return out;
}

const OPEN = new Set(['{', '(', '[', '\\{']);
const CLOSE = new Set(['}', ')', ']', '\\}']);
/** After these a + or − is a sign, not a binary operator. */
const NOT_OPERAND = new Set(['+', '-', '=', '^', '_', ',', '&', '\\\\', '<', '>', '\\quad', '\\qquad', '\\cdot', '\\times']);

/**
 * The top-level terms of a sum: split at every + or − outside braces, brackets, parentheses and
 * \left…\right pairs that is a binary operator (not a leading or exponent sign). Each term after
 * the first keeps its sign: "+ b". Unbalanced input comes back whole, as one term.
 *
 * @example
 *   splitTopLevelSum('-x^{-1} + e^{-y} - \\sigma\\left(x + y\\right)')
 *   // ['-x^{-1}', '+ e^{-y}', '- \\sigma\\left(x + y\\right)']
 */
export function splitTopLevelSum(tex: string): string[] {
  const tokens = tokenize(tex);
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  let previous: string | undefined; // last non-space token
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '\\left' || t === '\\right') {
      // The delimiter that follows (possibly after spaces) belongs to the pair, whatever it is.
      let j = i + 1;
      while (tokens[j] === ' ') j++;
      const piece = tokens.slice(i, j + 1).join('');
      depth += t === '\\left' ? 1 : -1;
      current += piece;
      previous = tokens[j];
      i = j;
      if (depth < 0) return [tex];
      continue;
    }
    if (OPEN.has(t)) depth++;
    else if (CLOSE.has(t) && --depth < 0) return [tex];
    if (depth === 0 && (t === '+' || t === '-') && previous !== undefined && !NOT_OPERAND.has(previous) && !OPEN.has(previous)) {
      if (current.trim() !== '') terms.push(current.trim());
      current = '';
    }
    current += t;
    if (t.trim() !== '') previous = t;
  }
  if (depth !== 0) return [tex];
  if (current.trim() !== '') terms.push(current.trim());
  // "+x" → "+ x": one spelling of a signed term, so that joining with spaces reads naturally.
  return terms.map((term, i) => (i > 0 ? term.replace(/^([+-])\s*/, '$1 ') : term));
}

/**
 * The sum whose top-level terms these are (inverse of splitTopLevelSum); "0" for no terms.
 *
 * @example
 *   joinTerms(['a', '+ b', '- c']) // 'a + b - c'
 */
export function joinTerms(terms: readonly string[]): string {
  return terms.length === 0 ? '0' : terms.join(' ');
}

const NAMED_FUNCTIONS = new Set(['log', 'ln', 'exp', 'sin', 'cos', 'tan', 'sinh', 'cosh', 'tanh', 'arctan', 'max', 'min']);

/**
 * Rough typeset width of display maths in em (10pt Computer Modern): letters and digits ½ em,
 * binary operators with their spacing 1.2 em, \frac the wider of its parts, scripts at 70 %.
 * Used only to decide where lines break, so it errs on the wide side.
 *
 * @example
 *   latexWidth('\\frac{1}{2} H g') // 1.8: the fraction 0.8, H and g 0.5 each
 */
export function latexWidth(tex: string): number {
  const tokens = tokenize(tex);
  let i = 0;
  /** The next argument: a {group}'s content, or one token. */
  const arg = (): string => {
    while (tokens[i] === ' ') i++;
    if (tokens[i] !== '{') return tokens[i++] ?? '';
    let depth = 0;
    const start = i;
    for (; i < tokens.length; i++) {
      if (tokens[i] === '{') depth++;
      else if (tokens[i] === '}' && --depth === 0) break;
    }
    i++;
    return tokens.slice(start + 1, i - 1).join('');
  };
  let w = 0;
  while (i < tokens.length) {
    const t = tokens[i++]!;
    if (t.startsWith('\\') && /^\\[A-Za-z]+$/.test(t)) {
      const name = t.slice(1);
      if (name === 'frac') w += Math.max(latexWidth(arg()), latexWidth(arg())) + 0.3;
      else if (name === 'sqrt') {
        if (tokens[i] === '[') while (i < tokens.length && tokens[i++] !== ']');
        w += latexWidth(arg()) + 1;
      } else if (name === 'left' || name === 'right') {
        arg();
        w += 0.45;
      } else if (name === 'mathrm' || name === 'operatorname' || name === 'text' || name === 'mathit') w += 0.5 * arg().length + 0.2;
      else if (name === 'quad') w += 1;
      else if (name === 'qquad') w += 2;
      else if (NAMED_FUNCTIONS.has(name)) w += 0.5 * name.length + 0.2;
      else w += 0.65; // Greek letters, \nabla, \cdot, …
    } else if (t === '^' || t === '_') w += 0.7 * latexWidth(arg());
    else if (t === '\\,') w += 0.17;
    else if (t === '\\;' || t === '\\ ') w += 0.3;
    else if (t === '\\\\' || t === '{' || t === '}' || t === ' ' || t === '&' || t === '\n') continue;
    else if (t === '+' || t === '-') w += 1.2;
    else if (t === '=') w += 1.4;
    else if (t === ',') w += 0.45;
    else if ('()[]|'.includes(t)) w += 0.4;
    else w += 0.5;
  }
  return w;
}

/**
 * Greedy line filling: consecutive terms share a line while it stays within `width` em; a term
 * wider than a line gets a line of its own. `firstWidth` is the room on the first line.
 *
 * @example
 *   breakTerms(['a', '+ b', '- c'], 2, 2) // [['a'], ['+ b'], ['- c']]
 */
export function breakTerms(terms: readonly string[], width: number, firstWidth = width): string[][] {
  const lines: string[][] = [];
  const breaker = new LineBreaker(width, firstWidth, (line) => lines.push(line));
  for (const term of terms) breaker.add(term);
  breaker.end();
  return lines;
}

/**
 * breakTerms one term at a time: each line goes to `emit` (with its index) as soon as it is full,
 * so a sum of any length is broken without being held whole.
 *
 * @example
 *   const b = new LineBreaker(2, 2, (line, i) => console.log(i, line));
 *   b.add('a'); b.add('+ b'); b.end(); // 0 ['a'], then 1 ['+ b']
 */
export class LineBreaker {
  private line: string[] = [];
  private used = 0;
  private emitted = 0;

  constructor(
    private readonly width: number,
    private readonly firstWidth: number,
    private readonly emit: (line: string[], index: number) => void,
  ) {}

  add(term: string): void {
    const w = latexWidth(term);
    const room = this.emitted === 0 ? this.firstWidth : this.width;
    if (this.line.length > 0 && this.used + w > room) this.flush();
    this.line.push(term);
    this.used += w;
  }

  end(): void {
    if (this.line.length > 0) this.flush();
  }

  private flush(): void {
    this.emit(this.line, this.emitted++);
    this.line = [];
    this.used = 0;
  }
}

/**
 * An `align*` environment, one equation per row, each long right-hand side broken at top-level
 * + and − signs onto continuation lines `&\quad + …`. Checked by KaTeX as a whole unless
 * `check: false` (rows composed from rules the tests render exhaustively).
 *
 * @example
 *   alignBlock([{ lhs: 'y', rhs: 'a + b' }, { lhs: 'z', rhs: 'c' }])
 *   // '\\begin{align*}\ny &= a + b \\\\\nz &= c\n\\end{align*}'
 */
export function alignBlock(rows: readonly AlignRow[], width = DEFAULT_LINE_WIDTH_EM, options: { readonly check?: boolean } = {}): string {
  const block = collectOutput((write) => {
    const align = new AlignWriter(rows.map((r) => r.lhs), write, width);
    for (const { lhs, rhs } of rows) align.row(lhs, splitTopLevelSum(rhs));
    align.end();
  });
  // Rows built from checked rules (the tree series' notation) need no second pass over the whole.
  return options.check === false ? block : checkedLatex(block, true);
}

/**
 * alignBlock written piece by piece, a row's terms one at a time: the left-hand sides are known
 * first (they set the alignment), each right-hand side is given as its top-level terms
 * (splitTopLevelSum's pieces) and broken into lines as they come. Not checked by KaTeX: for
 * rows composed from rules the tests render exhaustively.
 *
 * @example
 *   const align = new AlignWriter(['y'], write);
 *   align.row('y', ['a', '+ b']);
 *   align.end(); // wrote '\\begin{align*}\ny &= a + b\n\\end{align*}'
 */
export class AlignWriter {
  private readonly lhsWidth: number;
  private lines = 0;

  constructor(
    lhs: readonly string[],
    private readonly write: Write,
    private readonly width = DEFAULT_LINE_WIDTH_EM,
  ) {
    this.lhsWidth = Math.max(0, ...lhs.map((l) => latexWidth(l))) + 1.4;
    write('\\begin{align*}\n');
  }

  /** One equation `lhs &= …` (no line at all for no terms: a zero sum is the term "0"). */
  row(lhs: string, terms: Iterable<string>): void {
    const breaker = new LineBreaker(this.width - this.lhsWidth - 1, this.width - this.lhsWidth, (line, j) => {
      this.write(`${this.lines++ > 0 ? ' \\\\\n' : ''}${j === 0 ? `${lhs} &= ` : '&\\quad '}${line.join(' ')}`);
    });
    for (const term of terms) breaker.add(term);
    breaker.end();
  }

  end(): void {
    this.write('\n\\end{align*}');
  }
}

/** Macros of amssymb (not in LaTeX + amsmath) that a formula might use. */
const AMSSYMB = /\\(mathbb|mathfrak|lesssim|gtrsim|leqslant|geqslant|varnothing|blacksquare|square|checkmark)(?![A-Za-z])/;

export interface LatexDocumentOptions {
  /** A \section* title (LaTeX, may contain $…$). */
  readonly title?: string;
}

/**
 * A complete article around a body of text and display maths: amsmath always, amssymb when the
 * body uses it, \allowdisplaybreaks so long align* blocks may break across pages. ASCII only.
 *
 * @example
 *   latexDocument('\\begin{align*}\nx &= 1\n\\end{align*}')
 *   // '\\documentclass{article}\n\\usepackage{amsmath}\n…\\end{document}\n'
 */
export function latexDocument(body: string, options: LatexDocumentOptions = {}): string {
  return latexDocumentHead(body, options) + body.trimEnd() + LATEX_DOCUMENT_TAIL;
}

/**
 * latexDocument up to its body, for a body written piece by piece after it: `probe` is text that
 * uses every macro the body will use (amssymb is loaded when it needs it).
 *
 * @example
 *   latexDocumentHead('x') + 'x' + LATEX_DOCUMENT_TAIL === latexDocument('x') // true
 */
export function latexDocumentHead(probe: string, options: LatexDocumentOptions = {}): string {
  const packages = ['amsmath', ...(AMSSYMB.test(probe) ? ['amssymb'] : [])];
  return [
    '\\documentclass{article}',
    ...packages.map((p) => `\\usepackage{${p}}`),
    '\\allowdisplaybreaks',
    '\\begin{document}',
    ...(options.title ? [`\\section*{${options.title}}`, ''] : []),
    '',
  ].join('\n');
}

/** What follows a document's body. */
export const LATEX_DOCUMENT_TAIL = '\n\\end{document}\n';

const TEXT_ESCAPES: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  $: '\\$',
  '&': '\\&',
  '#': '\\#',
  '%': '\\%',
  _: '\\_',
  '^': '\\^{}',
  '~': '\\~{}',
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  '|': '\\textbar{}',
};

/**
 * Any string as LaTeX text (for \texttt{…}): special characters escaped, non-ASCII shown as "?"
 * (pdflatex's default fonts have no glyphs for most of it).
 *
 * @example
 *   latexText('x_1^2 + 50%') // 'x\\_1\\^{}2 + 50\\%'
 */
export function latexText(s: string): string {
  return [...s].map((c) => TEXT_ESCAPES[c] ?? (/^[\x20-\x7e]$/.test(c) ? c : c.trim() === '' ? ' ' : '?')).join('');
}

/**
 * Inline maths for a document's text: `$…$`, checked by KaTeX.
 *
 * @example
 *   inlineMath('g = \\nabla L') // '$g = \\nabla L$'
 */
export function inlineMath(tex: string): string {
  return `$${checkedLatex(tex)}$`;
}
