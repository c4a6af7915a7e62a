/**
 * Concrete counter terms as text, LaTeX, Markdown and the JSON contract of
 * `eom derive --loss … --format json`:
 *
 *   { "loss": "<as given>", "vars": ["x","y"], "order": K,
 *     "xi": [ { "k": 0, "components": { "x": "<mathjs expression>", … }, "latex": { "x": "…", … } } ] }
 *
 * JSON components are mathjs-parsable and exact (rationals, no decimals), every subexpression
 * written out. Text and LaTeX name shared subexpressions once (s1 = sigmoid(-x*y)).
 */
import { checkedLatex } from '../notation/katexCheck.js';
import { alignBlock, inlineMath, latexDocument, latexText } from '../notation/latexDocument.js';
import type { LossCounterTerms } from './counterTerms.js';
import { exactNumber } from './loss.js';
import { Poly } from './poly.js';
import { PolyPrinter } from './print.js';
import { parameterText } from '../notation/methodInfo.js';

export interface LossCounterTermsJson {
  loss: string;
  vars: string[];
  method: string;
  params: Record<string, string>;
  leading: string;
  order: number;
  xi: { k: number; components: Record<string, string>; latex: Record<string, string> }[];
}

export function lossCounterTermsJson(r: LossCounterTerms): LossCounterTermsJson {
  const printer = new PolyPrinter(r.loss);
  return {
    loss: r.loss.source,
    vars: [...r.loss.vars],
    method: r.rule.name,
    params: Object.assign(Object.create(null) as Record<string, string>, Object.fromEntries(r.rule.params)),
    leading: printer.mathjs(r.leading),
    order: r.order,
    xi: r.xi.map((components, k) => ({
      k,
      components: Object.fromEntries(r.loss.vars.map((v, i) => [v, printer.mathjs(components[i]!)])),
      latex: Object.fromEntries(r.loss.vars.map((v, i) => [v, printer.latexInline(components[i]!)])),
    })),
  };
}

function header(r: LossCounterTerms): string[] {
  const { loss } = r;
  const lines = [`loss: ${loss.source}`, `parameters: ${loss.vars.join(', ')}`];
  if (loss.constants.length) lines.push(`constants: ${loss.constants.join(', ')}`);
  if (loss.weightDecay !== undefined) lines.push(`weight decay: ${loss.weightDecay}/2 ‖θ‖² added`);
  if (hasMethodLines(r)) {
    lines.push(`method: ${r.rule.name}${r.rule.params.size ? ` (${parameterText(r.rule.params)})` : ''}`);
    lines.push(`dθ/dt = -c·g - η Σ_k η^k ξ_k with c = ${new PolyPrinter(r.loss).mathjs(r.leading)}`);
  }
  return lines;
}

/** Whether the rule needs saying: parameters, or a leading factor other than 1. */
function hasMethodLines(r: LossCounterTerms): boolean {
  return r.rule.params.size > 0 || !r.leading.sub(Poly.one).isZero();
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
  const leadingRow = hasMethodLines(r) ? [{ lhs: 'c', rhs: checkedLatex(printer.latexInline(r.leading)) }] : [];
  const orders = r.xi.map((_, k) => alignBlock([...(k === 0 ? leadingRow : []), ...names.map((v, i) => ({ lhs: `\\xi_{${k},${v}}`, rhs: named.bodies[k * n + i]! }))]));
  if (!options.standalone) return [...(definitions ? [definitions] : []), ...orders].join('\n') + '\n';

  const { loss } = r;
  const list = (xs: readonly string[]) => xs.map(inlineMath).join(', ');
  const facts = [`Loss: \\texttt{${latexText(loss.source)}}.`, `Parameters: ${list(names)}.`];
  if (loss.constants.length) facts.push(`Symbolic constants: ${list(loss.constants.map((c) => printer.latexInline(loss.table.constantSymbol(c))))}.`);
  if (loss.weightDecay !== undefined) facts.push(`Weight decay added: ${weightDecayLatex(loss.weightDecay, printer, r)}.`);
  if (hasMethodLines(r)) facts.push(`Update rule: \\texttt{${latexText(r.rule.name)}}${r.rule.params.size ? ` (${latexText(parameterText(r.rule.params))})` : ''}; ${inlineMath('\\frac{d\\theta}{dt} = -c\\, \\nabla L - \\eta \\sum_{k} \\eta^{k} \\xi_{k}')}.`);
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
