/**
 * A self-contained PyTorch module (standard library + torch) that evaluates ξ_0 … ξ_K of a tree
 * series on any model, matrix-free. The input is plain data (the method's name and numeric
 * parameters, the leading factor c of the EoM F = −c·g − η Σ η^k ξ_k, and the exact series), so
 * any method eomkit can solve plugs in without changes here.
 *
 * The generated source holds two tables built from the trees alone: TREES (each tree as the
 * indices of its subtrees, children before parents) and XI (ξ_k as (tree, coefficient) pairs),
 * with coefficients as exact `fractions.Fraction`s; they are turned into floats once, at import,
 * by CPython's correctly rounded integer division, so no rounding happens on this side and the
 * exact values stay readable in the file. The evaluator is the fixed code of pytorchRuntime.ts.
 *
 * @example
 *   const py = pytorchModule({ method: 'gd', description: 'gradient descent', params: new Map(),
 *     leading: rational(1), order: 1, xi: solveCounterTerms(1), version: '0.1.0' });
 *   py.includes('def counter_terms(') // true
 */
import { Rational } from '../series/fraction.js';
import type { TreeSeries } from '../series/treeSeries.js';
import { elementaryText } from '../notation/elementary.js';
import { seriesText } from '../notation/render.js';
import { checkedMethod, checkedName, checkedNumber, checkedVersion, docstringText, generatedLine, pythonFraction, pythonString, pythonTuple } from './pythonText.js';
import { MODIFIED_LOSS_RUNTIME, PYTORCH_RUNTIME } from './pytorchRuntime.js';

export interface PytorchModuleSpec {
  /** The method's short name, e.g. "gd" (a name: letters, digits, - and _). */
  readonly method: string;
  /** One line for people, e.g. "gradient descent θ ← θ − η∇L(θ)" (escaped into the docstring). */
  readonly description: string;
  /** Numeric hyperparameters the series was derived with, e.g. beta → "0.9" (names and numbers only). */
  readonly params: ReadonlyMap<string, string>;
  /** c in F = −c·g − η Σ η^k ξ_k (1 for GD). */
  readonly leading: Rational;
  /** K: the module evaluates ξ_0 … ξ_K. */
  readonly order: number;
  /** ξ_0 … ξ_K (exactly K + 1 series). */
  readonly xi: readonly TreeSeries<Rational>[];
  /** eomkit's version, stated in the header. */
  readonly version: string;
  /** The command that regenerates the module (escaped into the docstring), e.g. "eom export pytorch --order 2". */
  readonly command?: string;
}

/** Python source of the module; throws RangeError on a name, number or shape it cannot emit safely. */
export function pytorchModule(spec: PytorchModuleSpec): string {
  const method = checkedMethod(spec.method);
  const version = checkedVersion(spec.version);
  const params = [...spec.params].map(([name, value]) => [checkedName('parameter', name), checkedNumber(`parameter ${name}`, value)] as const);
  const K = spec.order;
  if (!Number.isInteger(K) || K < 0) throw new RangeError(`order must be a non-negative integer, got ${K}`);
  if (spec.xi.length !== K + 1) throw new RangeError(`order ${K} needs ξ_0 … ξ_${K} (${K + 1} series), got ${spec.xi.length}`);
  if (Rational.isZero(spec.leading)) throw new RangeError('the leading factor c must not be zero');
  const store = spec.xi[0]!.store;
  if (spec.xi.some((s) => s.store !== store)) throw new RangeError('every ξ_k must use the same tree store');

  // Every tree the series mention, with all their subtrees; store ids order children before parents.
  const ids = new Set<number>();
  const visit = (id: number): void => {
    if (ids.has(id)) return;
    ids.add(id);
    store.get(id).children.forEach(visit);
  };
  visit(store.leaf.id);
  spec.xi.forEach((s) => s.terms().forEach((t) => visit(t.tree.id)));
  const order = [...ids].sort((a, b) => a - b);
  const index = new Map(order.map((id, i) => [id, i]));

  const alpha = firstOrderHessianCoefficient(spec.xi[0]!);
  const lines: string[] = [
    '"""Counter terms of the continuous-time equation of motion (EoM), for PyTorch.',
    '',
    generatedLine(version, spec.command),
    'Do not edit; regenerate instead. Needs only the standard library and torch (1.13 or 2.x).',
    '',
    `Method: ${method} (${docstringText(spec.description)})`,
    `Parameters: ${params.length ? params.map(([n, v]) => `${n} = ${v}`).join(', ') : 'none'}`,
    `Order: K = ${K} (xi_0 .. xi_${K})`,
    '',
    'Step n of the method sits at time t = n*lr and follows the flow of',
    '',
    `    dtheta/dt = F(theta) = -c g - lr * sum_k lr^k xi_k,   g = grad L,   c = ${Rational.toString(spec.leading)},`,
    '',
    'with, exactly (H = Hessian, ∇^{m+1}L[v1, ..] the derivative tensor applied to vectors):',
    '',
    ...spec.xi.map((s, k) => `    xi_${k} = ${docstringText(s.isZero() ? '0' : seriesText(s))}`),
    '',
    ...gradientNote(alpha, spec.leading, K),
    '',
    'Functions: counter_terms(loss_fn, params, order) -> xi_0 .. xi_order, each a list of tensors',
    'shaped like params; eom_field(loss_fn, params, lr, order) -> F' + (alpha ? '; modified_loss(loss_fn, params, lr).' : '.'),
    'loss_fn(params) returns a scalar tensor. Everything is matrix-free (nested reverse mode, no',
    'Hessian formed) and follows the dtype (float32, float64) and device of params.',
    '"""',
    'from fractions import Fraction',
    '',
    'import torch',
    '',
    `__all__ = [${['counter_terms', 'eom_field', ...(alpha ? ['modified_loss'] : [])].map(pythonString).join(', ')}]`,
    '',
    `EOMKIT_VERSION = ${pythonString(version)}`,
    `METHOD = ${pythonString(method)}`,
    `PARAMS = {${params.map(([n, v]) => `${pythonString(n)}: Fraction(${pythonString(v)})`).join(', ')}}`,
    `ORDER = ${K}`,
    `LEADING = ${pythonFraction(spec.leading)}  # c`,
    '',
    '# TREES[i]: the subtrees of tree i, by index (children before parents); F(tree 0) = g and',
    '# F([t1, .., tm]) = D^m g[F(t1), .., F(tm)].',
    'TREES = (',
    ...order.map((id, i) => `    ${pythonTuple(store.get(id).children.map((c) => String(index.get(c))))},  # ${i}: ${docstringText(elementaryText(store.get(id), store))}`),
    ')',
    '',
    '# XI[k]: xi_k as (tree index, exact coefficient) pairs, xi_k = sum c F(tree).',
    'XI = (',
    ...spec.xi.flatMap((s, k) => [
      `    (  # xi_${k}`,
      ...s.terms().map((t) => `        (${index.get(t.tree.id)}, ${pythonFraction(t.coefficient)}),  # ${docstringText(elementaryText(t.tree, store))}`),
      '    ),',
    ]),
    ')',
    ...(alpha ? ['', `MODIFIED_LOSS_WEIGHT = ${pythonFraction(Rational.div(alpha, Rational.mul(Rational.fromInteger(2), spec.leading)))}  # alpha / (2c)`] : []),
    '',
    '_LEADING = float(LEADING)',
    '_XI = tuple(tuple((i, float(c)) for i, c in terms) for terms in XI)',
    ...(alpha ? ['_MODIFIED_LOSS_WEIGHT = float(MODIFIED_LOSS_WEIGHT)'] : []),
  ];
  return lines.join('\n') + '\n' + PYTORCH_RUNTIME + (alpha ? MODIFIED_LOSS_RUNTIME : '');
}

/** α when ξ_0 = α·H g (the only tree it holds is [•]), else undefined. */
function firstOrderHessianCoefficient(xi0: TreeSeries<Rational>): Rational | undefined {
  const terms = xi0.terms();
  if (terms.length === 0) return Rational.zero;
  if (terms.length !== 1 || terms[0]!.tree.levelSequence.join(',') !== '1,2') return undefined;
  return terms[0]!.coefficient;
}

function gradientNote(alpha: Rational | undefined, c: Rational, K: number): string[] {
  if (alpha === undefined) {
    return [
      'xi_0 is not a multiple of H g, so no first-order term is known to be a gradient and no',
      'modified_loss is emitted.',
    ];
  }
  const a = Rational.toString(alpha);
  const w = Rational.toString(Rational.div(alpha, Rational.mul(Rational.fromInteger(2), c)));
  return [
    `Gradients: xi_0 = ${a} H g = grad(${Rational.toString(Rational.div(alpha, Rational.fromInteger(2)))} |g|^2) is a gradient (grad |g|^2 = 2 H g), so`,
    `F = -c grad[L + lr * ${w} |g|^2] + O(lr^2): modified_loss returns that loss.` +
      (K >= 1 ? ' xi_1, xi_2, .. are in general not gradients; no loss form is claimed for them.' : ''),
  ];
}
