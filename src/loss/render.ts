/**
 * Concrete counter terms as text, LaTeX, Markdown and the JSON contract of
 * `eom derive --loss … --format json`:
 *
 *   { "loss": "<as given>", "vars": ["x","y"], "constants": […], "values": { "a": "1/2" },
 *     "weightDecay": "lambda" | "1/100" | null, "method": "gd", "params": {}, "leading": "1", "eomkit": "0.1.0", "order": K,
 *     "where": { "s1": "…" }, "whereLatex": { "s_{1}": "…" },
 *     "xi": [ { "k": 0, "components": { "x": "<mathjs expression>", … }, "latex": { "x": "…", … } } ] }
 *
 * Every output states every input that determines it (`lossInputs`). JSON components are
 * mathjs-parsable and exact (rationals, no decimals), written in shared subexpressions stated once
 * under `where` (or every subexpression written out with `inline`). Text and LaTeX name shared
 * subexpressions once too (s1 = sigmoid(-x*y)), by the same names in every output.
 */
import { alignBlock, inlineMath, latexDocument, latexText } from '../notation/latexDocument.js';
import type { LossCounterTerms } from './counterTerms.js';
import { exactNumber, isName } from './loss.js';
import { Poly } from '../algebra/poly.js';
import { PolyPrinter, namingBasis } from './print.js';
import { nameRecord } from './names.js';
import { lossOnOneLine } from './parse.js';
import { Rational } from '../series/fraction.js';
import { eomkitVersion } from '../version.js';
import { parameterText } from '../notation/methodInfo.js';

export interface LossCounterTermsJson {
  loss: string;
  vars: string[];
  /** Names that stay symbolic. */
  constants: string[];
  /** Exact values given to constants (--set), as rationals. */
  values: Record<string, string>;
  /** λ of λ/2‖θ‖² as given (a number or a name), or null. */
  weightDecay: string | null;
  /** The update rule, its hyperparameters and its leading factor c (dθ/dt = −c·g − η Σ η^k ξ_k). */
  method: string;
  params: Record<string, string>;
  leading: string;
  /** Element-wise methods (rmsprop, adam) only: c_i per parameter, and where the closed forms hold. */
  leadingComponents?: Record<string, string>;
  validity?: string;
  /** SGD (--batches): the number of batch losses, the losses L_k as given, and the sampling. */
  batches?: number;
  batchLosses?: string[];
  /** SGD with --data: the file, its rows and the rows per batch (the loss is per example). */
  data?: { file: string; rows: number; batchSize: number };
  sampling?: 'cyclic' | 'shuffle';
  /** The eomkit version that derived this. */
  eomkit: string;
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
  const printer = new PolyPrinter(r.loss, r.refs);
  const n = r.loss.vars.length;
  const head = {
    loss: r.loss.source,
    vars: [...r.loss.vars],
    constants: [...r.loss.constants],
    values: nameRecord([...r.loss.values].map(([k, v]) => [k, Rational.toString(v)] as const)),
    weightDecay: r.loss.weightDecay === undefined ? null : weightDecayExact(r.loss.weightDecay),
    method: r.rule.name,
    params: nameRecord(r.rule.params),
    leading: r.elementwise ? r.elementwise.leadingText : printer.mathjs(r.leading),
    ...(r.elementwise
      ? { leadingComponents: Object.fromEntries(r.loss.vars.map((v, i) => [v, printer.mathjs(r.elementwise!.leading[i]!)])), validity: r.elementwise.validity }
      : {}),
    ...(r.batches
      ? {
          batches: r.batches.losses.length,
          ...(r.batches.data ? { data: { ...r.batches.data } } : { batchLosses: r.batches.losses.map((l) => l.source) }),
          sampling: r.batches.sampling,
        }
      : {}),
    eomkit: eomkitVersion(),
    order: r.order,
  };
  const perOrder = (k: number, of: (i: number) => string) => Object.fromEntries(r.loss.vars.map((v, i) => [v, of(k * n + i)]));
  if (options.inline) {
    const all = r.xi.flat();
    return {
      ...head,
      xi: r.xi.map((_, k) => ({ k, components: perOrder(k, (j) => printer.mathjs(all[j]!)), latex: perOrder(k, (j) => printer.latexInline(all[j]!)) })),
    };
  }
  // Named as in every other output of this loss (the gradient, then ξ_0, ξ_1, …).
  const basis = namingBasis(r.loss, r.xi);
  const mathjs = printer.named(r.xi.flat(), 'mathjs', basis);
  const latex = printer.named(r.xi.flat(), 'latex', basis);
  return {
    ...head,
    where: Object.fromEntries(mathjs.definitions),
    whereLatex: Object.fromEntries(latex.definitions),
    xi: r.xi.map((_, k) => ({ k, components: perOrder(k, (j) => mathjs.bodies[j]!), latex: perOrder(k, (j) => latex.bodies[j]!) })),
  };
}

/**
 * Every input that determines the closed forms, as [label, value]: the loss (on one line), its
 * parameters in order, symbolic constants, the values given by --set, the weight decay, the
 * update rule and the eomkit version. Text, Markdown and LaTeX print these; JSON has them as fields.
 *
 * @example
 *   lossInputs(lossCounterTerms('a*x^2', { values: { a: '1/2' }, order: 0 }))
 *   // [['loss', 'a*x^2'], ['parameters', 'x'], ['constants set', 'a = 1/2'], ['method', 'gd'], ['eomkit', '0.1.0']]
 */
export function lossInputs(r: LossCounterTerms): [string, string][] {
  const { loss } = r;
  const out: [string, string][] = [['loss', lossOnOneLine(loss.source)]];
  if (r.batches) {
    const how = `m = ${r.batches.losses.length}, ${r.batches.sampling === 'shuffle' ? 'random reshuffling' : 'cyclic'}`;
    const { data } = r.batches;
    out.push(['batches', data ? `${how}: the loss is per example, averaged over ${data.rows} rows of ${data.file} in batches of ${data.batchSize} consecutive rows` : `${how}: ${r.batches.losses.map((l) => lossOnOneLine(l.source)).join('; ')}`]);
  }
  out.push(['parameters', loss.vars.join(', ')]);
  if (loss.constants.length) out.push(['constants', loss.constants.join(', ')]);
  if (loss.values.size) out.push(['constants set', [...loss.values].map(([k, v]) => `${k} = ${Rational.toString(v)}`).join(', ')]);
  if (loss.weightDecay !== undefined) {
    const wd = weightDecayExact(loss.weightDecay);
    out.push(['weight decay', isName(wd) ? `${wd}/2 ‖θ‖² added` : `λ/2 ‖θ‖² added, λ = ${wd}`]);
  }
  out.push(['method', `${r.rule.name}${r.rule.params.size ? ` (${parameterText(r.rule.params)})` : ''}`]);
  if (r.elementwise) {
    out.push(['leading factor', `c_i = ${r.elementwise.leadingText} (element-wise) in dθ/dt = -c⊙g - η Σ_k η^k ξ_k`]);
    out.push(['valid', r.elementwise.validity]);
  } else if (hasMethodLines(r)) out.push(['leading factor', `c = ${new PolyPrinter(r.loss, r.refs).mathjs(r.leading)} in dθ/dt = -c·g - η Σ_k η^k ξ_k`]);
  out.push(['eomkit', eomkitVersion()]);
  return out;
}

function header(r: LossCounterTerms): string[] {
  return lossInputs(r).map(([label, value]) => `${label}: ${value}`);
}

/** Whether the rule needs saying: parameters, or a leading factor other than 1. */
function hasMethodLines(r: LossCounterTerms): boolean {
  return r.rule.params.size > 0 || !r.leading.sub(Poly.one).isZero();
}

export function lossCounterTermsText(r: LossCounterTerms): string {
  const printer = new PolyPrinter(r.loss, r.refs);
  const named = printer.named([r.loss.gradient(), ...r.xi].flat(), 'text', namingBasis(r.loss, r.xi));
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

/** alignBlock's option for rows PolyPrinter has checked factor by factor. */
const NO_CHECK = { check: false } as const;

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
  const printer = new PolyPrinter(r.loss, r.refs);
  const named = printer.named(r.xi.flat(), 'latex', namingBasis(r.loss, r.xi));
  const n = r.loss.vars.length;
  const names = r.loss.vars.map((v) => printer.latexInline(r.loss.table.variable(v)));
  // Every row is made of checked factors (PolyPrinter): no second pass over whole sums.
  const definitions = named.definitions.length ? alignBlock(named.definitions.map(([lhs, rhs]) => ({ lhs, rhs })), undefined, NO_CHECK) : undefined;
  const leadingRow = r.elementwise
    ? names.map((v, i) => ({ lhs: `c_{${v}}`, rhs: printer.latexInline(r.elementwise!.leading[i]!) }))
    : hasMethodLines(r)
      ? [{ lhs: 'c', rhs: printer.latexInline(r.leading) }]
      : [];
  const orders = r.xi.map((_, k) => alignBlock([...(k === 0 ? leadingRow : []), ...names.map((v, i) => ({ lhs: `\\xi_{${k},${v}}`, rhs: named.bodies[k * n + i]! }))], undefined, NO_CHECK));
  // A fragment opens with its inputs as LaTeX comments: pasted into a paper, it still says what it is.
  const comments = lossInputs(r).map(([label, value]) => `% ${label}: ${value}`);
  if (!options.standalone) return [...comments, ...(definitions ? [definitions] : []), ...orders].join('\n') + '\n';

  const { loss } = r;
  const list = (xs: readonly string[]) => xs.map(inlineMath).join(', ');
  const facts = [`Loss: \\texttt{${latexText(lossOnOneLine(loss.source))}}.`, `Parameters: ${list(names)}.`];
  if (loss.constants.length) facts.push(`Symbolic constants: ${list(loss.constants.map((c) => printer.latexInline(loss.table.constantSymbol(c))))}.`);
  if (loss.values.size) {
    const set = [...loss.values].map(([c, v]) => inlineMath(`${latexNameOf(printer, r, c)} = ${printer.latexInline(Poly.constant(v))}`));
    facts.push(`Constants set: ${set.join(', ')}.`);
  }
  if (loss.weightDecay !== undefined) facts.push(`Weight decay added: ${weightDecayLatex(loss.weightDecay, printer, r)}.`);
  const params = r.rule.params.size ? ` (${latexText(parameterText(r.rule.params))})` : '';
  const law = hasMethodLines(r) ? `; ${inlineMath(`\\frac{d\\theta}{dt} = -c${r.elementwise ? ' \\odot' : '\\,'} \\nabla L - \\eta \\sum_{k} \\eta^{k} \\xi_{k}`)}` : '';
  facts.push(`Update rule: \\texttt{${latexText(r.rule.name)}}${params}${law}. Derived by eomkit ${latexText(eomkitVersion())}.`);
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
  const printer = new PolyPrinter(r.loss, r.refs);
  const named = printer.named(r.xi.flat(), 'latex', namingBasis(r.loss, r.xi));
  const n = r.loss.vars.length;
  const out = [`# Counter terms of \`${lossOnOneLine(r.loss.source).replace(/`/g, "'")}\``, '', ...header(r).slice(1).map((l) => `- ${l}`), ''];
  if (named.definitions.length) {
    out.push('Shared subexpressions:', '');
    for (const [name, def] of named.definitions) out.push(`- $${name} = ${def}$`);
    out.push('');
  }
  r.xi.forEach((_, k) => {
    out.push(`## ξ_${k}`, '', '| component | expression |', '|---|---|');
    r.loss.vars.forEach((v, i) => out.push(`| ${v} | $${named.bodies[k * n + i]!}$ |`));
    out.push('');
  });
  return out.join('\n');
}

/** A constant's name in LaTeX (a, \\lambda, x_{1}). */
function latexNameOf(printer: PolyPrinter, r: LossCounterTerms, name: string): string {
  return printer.latexInline(r.loss.table.constantSymbol(name));
}

/**
 * --weight-decay as the exact outputs state it: its name, or its exact value ("0.01" → "1/100").
 *
 * @example
 *   weightDecayExact('0.01') // '1/100'
 */
function weightDecayExact(wd: string): string {
  return isName(wd) ? wd : Rational.toString(exactNumber(wd, '--weight-decay'));
}

/** λ/2 ‖θ‖² with λ by name (\\lambda), or \\lambda and its exact value (\\frac{1}{10}). */
function weightDecayLatex(wd: string, printer: PolyPrinter, r: LossCounterTerms): string {
  const norm = '\\lVert \\theta \\rVert^{2}';
  if (isName(wd)) return inlineMath(`\\frac{${printer.latexInline(r.loss.table.constantSymbol(wd))}}{2} ${norm}`);
  return `${inlineMath(`\\frac{\\lambda}{2} ${norm}`)} with ${inlineMath(`\\lambda = ${printer.latexInline(Poly.constant(exactNumber(wd, '--weight-decay')))}`)}`;
}
