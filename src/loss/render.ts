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
import type { LossCounterTerms } from './counterTerms.js';
import { PolyPrinter } from './print.js';

export interface LossCounterTermsJson {
  loss: string;
  vars: string[];
  order: number;
  xi: { k: number; components: Record<string, string>; latex: Record<string, string> }[];
}

export function lossCounterTermsJson(r: LossCounterTerms): LossCounterTermsJson {
  const printer = new PolyPrinter(r.loss);
  return {
    loss: r.loss.source,
    vars: [...r.loss.vars],
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

export function lossCounterTermsLatex(r: LossCounterTerms): string {
  const printer = new PolyPrinter(r.loss);
  const named = printer.named(r.xi.flat(), 'latex');
  const n = r.loss.vars.length;
  const lines: string[] = named.definitions.map(([name, def]) => checkedLatex(`${name} = ${def}`));
  r.xi.forEach((_, k) =>
    r.loss.vars.forEach((v, i) => lines.push(checkedLatex(`\\xi_{${k},${latexSubscript(v)}} = ${named.bodies[k * n + i]}`))),
  );
  return lines.join('\n') + '\n';
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

function latexSubscript(v: string): string {
  return /^[A-Za-z]$/.test(v) ? v : `\\mathrm{${v.replace(/_/g, '\\_')}}`;
}
