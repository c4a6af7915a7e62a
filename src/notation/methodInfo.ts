/**
 * What the renderers say about the update rule behind a series: its name, its hyperparameters
 * (exact or symbolic), where the series exists, and the leading factor c of
 * dθ/dt = −c·g − η Σ_k η^k ξ_k (c = 1 for gradient descent, 1/(1 − β) for heavy ball).
 *
 * @example
 *   methodHeaderLines({ name: 'heavy-ball', description: '…', params: new Map([['beta', 'beta']]), leading: c }, field)
 *   // ["# heavy-ball momentum …", "# parameters: beta (symbolic); valid for |beta| < 1",
 *   //  "# dθ/dt = -c·g - η Σ_k η^k ξ_k with c = 1/(1 - beta)"]
 */
import type { Field } from '../series/field.js';
import { coefficientStyles } from './coefficients.js';
import { inlineMath } from './latexDocument.js';
import { symbolLatex } from './symbolLatex.js';

export interface MethodInfo<C> {
  readonly name: string;
  readonly description: string;
  /** name → exact value, or the name itself when symbolic. */
  readonly params: ReadonlyMap<string, string>;
  readonly leading: C;
  readonly condition?: string;
}

/** Whether anything beyond gradient descent's defaults needs saying (c ≠ 1 or parameters). */
export function showsLeading<C>(info: MethodInfo<C>, field: Field<C>): boolean {
  return !field.equals(info.leading, field.one);
}

/** Parameters as "beta = 9/10" or "beta (symbolic)". */
export function parameterText(params: ReadonlyMap<string, string>): string {
  return [...params].map(([k, v]) => (k === v ? `${k} (symbolic)` : `${k} = ${v}`)).join(', ');
}

/**
 * Comment lines for text outputs: the method's name and description for every rule but plain
 * gradient descent (whose outputs carry no header), then its parameters and the leading factor c
 * when it has parameters or c ≠ 1.
 *
 * @example
 *   methodHeaderLines({ name: 'rk4', description: 'classical Runge–Kutta …', params: new Map(), leading: 1 }, field)
 *   // ['# rk4: classical Runge–Kutta …']
 */
export function methodHeaderLines<C>(info: MethodInfo<C>, field: Field<C> | undefined): string[] {
  if (!field) return [];
  const detailed = info.params.size > 0 || showsLeading(info, field);
  if (info.name === 'gd' && !detailed) return [];
  const lines = [`# ${info.name}: ${info.description.replace(new RegExp(`^${info.name} `), '')}`];
  if (info.params.size) lines.push(`# parameters: ${parameterText(info.params)}${info.condition ? `; valid for ${info.condition}` : ''}`);
  if (detailed) lines.push(`# dθ/dt = -c·g - η Σ_k η^k ξ_k with c = ${coefficientStyles(field).exact(info.leading)}`);
  return lines;
}

/** Sentences for a standalone LaTeX document. */
export function methodLatexIntro<C>(info: MethodInfo<C>): string[] {
  if (info.params.size === 0) return [];
  const shown = [...info.params].map(([k, v]) => inlineMath(k === v ? symbolLatex(k) : `${symbolLatex(k)} = ${v}`));
  const condition = info.condition ? ` (the series exists for ${inlineMath(info.condition.replace(/[A-Za-z]+/g, symbolLatex))})` : '';
  return [`Hyperparameters: ${shown.join(', ')}${condition}, kept exact.`];
}
