/**
 * Concrete counter terms as text, LaTeX, Markdown and the JSON contract of
 * `eom derive --loss … --format json`:
 *
 *   { "loss": "<as given>", "vars": ["x","y"], "order": K, "where": { "s1": "…" }, "whereLatex": { "s_{1}": "…" },
 *     "xi": [ { "k": 0, "components": { "x": "<mathjs expression>", … }, "latex": { "x": "…", … } } ] }
 *
 * JSON components are mathjs-parsable and exact (rationals, no decimals), written in shared
 * subexpressions stated once under `where` (or every subexpression written out with `inline`).
 * Text and LaTeX name shared subexpressions once too (s1 = sigmoid(-x*y)).
 */
import { checkedLatex } from '../notation/katexCheck.js';
import { alignBlock, inlineMath, latexDocument, latexText } from '../notation/latexDocument.js';
import type { LossCounterTerms } from './counterTerms.js';
import { exactNumber } from './loss.js';
import { Poly } from './poly.js';
import { PolyPrinter } from './print.js';

export interface LossCounterTermsJson {
  loss: string;
  vars: string[];
  order: number;
  /**
   * Shared subexpressions, each stated once, in dependency order (a definition uses only earlier
   * names): mathjs definitions by name, and LaTeX definitions by LaTeX name (s_{1}). Absent with
   * `inline`, where every component writes every subexpression out.
   */
  where?: Record<string, string>;
  whereLatex?: Record<string, string>;
  xi: { k: number; components: Record<string, string>; latex: Record<string, string> }[];
}

export interface LossCounterTermsJsonOptions {
  /** Write every shared subexpression out in every component (no `where`; much larger). */
  readonly inline?: boolean;
}

/**
 * The JSON contract of `eom derive --loss … --format json`. By default shared subexpressions are
 * named once (`where`, `whereLatex`) and the components are written in those names; substituting
 * the definitions back (in order) gives the `inline` form. Both are mathjs-parsable.
 *
 * @example
 *   lossCounterTermsJson(lossCounterTerms('log(1 + exp(-x*y))', { order: 0 })).where // { s1: '1 / (1 + exp(-(-x*y)))' }
 */
export function lossCounterTermsJson(r: LossCounterTerms, options: LossCounterTermsJsonOptions = {}): LossCounterTermsJson {
  const printer = new PolyPrinter(r.loss);
  const n = r.loss.vars.length;
  const head = { loss: r.loss.source, vars: [...r.loss.vars], order: r.order };
  const perOrder = (k: number, of: (i: number) => string) => Object.fromEntries(r.loss.vars.map((v, i) => [v, of(k * n + i)]));
  if (options.inline) {
    const all = r.xi.flat();
    return {
      ...head,
      xi: r.xi.map((_, k) => ({ k, components: perOrder(k, (j) => printer.mathjs(all[j]!)), latex: perOrder(k, (j) => printer.latexInline(all[j]!)) })),
    };
  }
  const mathjs = printer.named(r.xi.flat(), 'mathjs');
  const latex = printer.named(r.xi.flat(), 'latex');
  return {
    ...head,
    where: Object.fromEntries(mathjs.definitions),
    whereLatex: Object.fromEntries(latex.definitions),
    xi: r.xi.map((_, k) => ({ k, components: perOrder(k, (j) => mathjs.bodies[j]!), latex: perOrder(k, (j) => latex.bodies[j]!) })),
  };
}

function header(r: LossCounterTerms): string[] {
  const { loss } = r;
  const lines = [`loss: ${loss.source}`, `parameters: ${loss.vars.join(', ')}`];
  if (loss.constants.length) lines.push(`constants: ${loss.constants.join(', ')}`);
  if (loss.weightDecay !== undefined) lines.push(`weight decay: ${loss.weightDecay}/2 ‖θ‖² added`);
  return lines;
}

export function lossCounterTermsText(r: LossCounterTerms): string {
  const printer = new PolyPrinter(r.loss);
  const named = printer.named([r.loss.gradient(), ...r.xi].flat(), 'text');
  const n = r.loss.vars.length;
  const lines = header(r);
  if (named.definitions.length) {
    lines.push('where');
    for (const [name, def] of named.definitions) lines.push(`  ${name} = ${def}`);
  }
  const block = (title: string, j: number) => {
    lines.push(title);
    r.loss.vars.forEach((v, i) => lines.push(`  ${v}: ${named.bodies[j * n + i]}`));
  };
  block('gradient g:', 0);
  r.xi.forEach((_, k) => block(`ξ_${k}:`, k + 1));
  return lines.join('\n') + '\n';
}

export interface LossCounterTermsLatexOptions {
  /** A complete article (the loss, its parameters, then the formulas) instead of a fragment. */
  readonly standalone?: boolean;
}

/**
 * LaTeX for a paper: an `align*` block of the shared subexpressions s_1, s_2, … (if any), then one
 * `align*` block per order with a line per parameter, \xi_{k,x} = …, long sums broken at top-level
 * signs (needs amsmath). With `standalone`, a whole document that pdflatex compiles.
 *
 * @example
 *   lossCounterTermsLatex(lossCounterTerms('x^2 + 3*y^2', { order: 0 }))
 *   // "\\begin{align*}\n\\xi_{0,x} &= 2 x \\\\\n\\xi_{0,y} &= 18 y\n\\end{align*}\n"
 */
export function lossCounterTermsLatex(r: LossCounterTerms, options: LossCounterTermsLatexOptions = {}): string {
  const printer = new PolyPrinter(r.loss);
  const named = printer.named(r.xi.flat(), 'latex');
  const n = r.loss.vars.length;
  const names = r.loss.vars.map((v) => printer.latexInline(r.loss.table.variable(v)));
  const definitions = named.definitions.length ? alignBlock(named.definitions.map(([lhs, rhs]) => ({ lhs, rhs }))) : undefined;
  const orders = r.xi.map((_, k) => alignBlock(names.map((v, i) => ({ lhs: `\\xi_{${k},${v}}`, rhs: named.bodies[k * n + i]! }))));
  if (!options.standalone) return [...(definitions ? [definitions] : []), ...orders].join('\n') + '\n';

  const { loss } = r;
  const list = (xs: readonly string[]) => xs.map(inlineMath).join(', ');
  const facts = [`Loss: \\texttt{${latexText(loss.source)}}.`, `Parameters: ${list(names)}.`];
  if (loss.constants.length) facts.push(`Symbolic constants: ${list(loss.constants.map((c) => printer.latexInline(loss.table.constantSymbol(c))))}.`);
  if (loss.weightDecay !== undefined) facts.push(`Weight decay added: ${weightDecayLatex(loss.weightDecay, printer, r)}.`);
  const body = [
    facts.join('\n'),
    '',
    `The counter terms of the equation of motion ${inlineMath('\\frac{d\\theta}{dt} = -\\nabla L(\\theta) - \\eta \\sum_{k \\ge 0} \\eta^{k} \\xi_{k}(\\theta)')}`,
    `(Miyagawa, NeurIPS 2022), one component per parameter, exact through order ${r.order}${definitions ? ', written with shared subexpressions:' : '.'}`,
    ...(definitions ? [definitions] : []),
    ...orders.flatMap((block, k) => ['', `\\subsection*{${inlineMath(`\\xi_{${k}}`)}}`, block]),
  ];
  return latexDocument(body.join('\n'), { title: 'Counter terms of a loss' });
}

export function lossCounterTermsMarkdown(r: LossCounterTerms): string {
  const printer = new PolyPrinter(r.loss);
  const named = printer.named(r.xi.flat(), 'latex');
  const n = r.loss.vars.length;
  const out = [`# Counter terms of \`${r.loss.source.replace(/`/g, "'")}\``, '', ...header(r).slice(1).map((l) => `- ${l}`), ''];
  if (named.definitions.length) {
    out.push('Shared subexpressions:', '');
    for (const [name, def] of named.definitions) out.push(`- $${checkedLatex(`${name} = ${def}`)}$`);
    out.push('');
  }
  r.xi.forEach((_, k) => {
    out.push(`## ξ_${k}`, '', '| component | expression |', '|---|---|');
    r.loss.vars.forEach((v, i) => out.push(`| ${v} | $${checkedLatex(named.bodies[k * n + i]!)}$ |`));
    out.push('');
  });
  return out.join('\n');
}

/** λ/2 ‖θ‖² with λ by name (\\lambda), or \\lambda and its exact value (\\frac{1}{10}). */
function weightDecayLatex(wd: string, printer: PolyPrinter, r: LossCounterTerms): string {
  const norm = '\\lVert \\theta \\rVert^{2}';
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(wd)) return inlineMath(`\\frac{${printer.latexInline(r.loss.table.constantSymbol(wd))}}{2} ${norm}`);
  return `${inlineMath(`\\frac{\\lambda}{2} ${norm}`)} with ${inlineMath(`\\lambda = ${printer.latexInline(Poly.constant(exactNumber(wd, '--weight-decay')))}`)}`;
}
