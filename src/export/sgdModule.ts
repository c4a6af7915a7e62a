/**
 * A self-contained PyTorch module (standard library + torch) for SGD over m mini-batches: ξ_0 … ξ_K
 * of the abstract SGD series with m symbolic (derive/batchPatterns.ts, docs/design.md §3.4 (3.9)),
 * evaluated matrix-free on the batch losses given at call time.
 *
 * The generated source holds the patterns (coloured trees: TREES as (colour, children) with children
 * before parents) and XI (ξ_k as (tree, number of labels p, numerator, denominator) with the
 * coefficient c(m) = num(m)/den(m) as integer polynomial coefficients in m, ascending). At run time
 * m = len(batch_losses); each coefficient is evaluated exactly with fractions.Fraction, and every
 * pattern is summed over its label tuples (cyclic: increasing, shuffle: distinct). The evaluator is
 * the fixed code of sgdRuntime.ts.
 *
 * @example
 *   const py = sgdPytorchModule({ sampling: 'shuffle', order: 1, series: sgdPatternSeries(1, 'shuffle'), version: '0.1.0' });
 *   py.includes('def counter_terms(batch_losses, params, order=ORDER):') // true
 */
import type { SgdPatternSeries } from '../derive/batchPatterns.js';
import type { Fraction, FractionField } from '../series/fraction.js';
import { monomials } from '../series/symbols.js';
import { batchNotation } from '../notation/batchNotation.js';
import { seriesText } from '../notation/render.js';
import { checkedVersion, docstringText, generatedLine, pythonString, pythonTuple } from './pythonText.js';
import { SGD_RUNTIME } from './sgdRuntime.js';

/** Highest order exported for SGD: ξ_K sums patterns of up to K + 2 labels, m^(K+2) label tuples. */
export const MAX_SGD_EXPORT_ORDER = 2;

/**
 * Largest m the generated module accepts when ξ_0 … ξ_K are asked for, by K (index 0 also bounds
 * the field of order −1): the label sums grow like m^(K+2), so these keep a call below ~10^5
 * labelled elementary differentials (cyclic ξ_0 … ξ_2 at m = 12: about 4·10^4; shuffle fewer).
 */
export const SGD_EXPORT_MAX_BATCHES: readonly number[] = [64, 32, 12];

export interface SgdPytorchModuleSpec {
  readonly sampling: SgdPatternSeries['sampling'];
  /** K: the module evaluates ξ_0 … ξ_K (at most MAX_SGD_EXPORT_ORDER). */
  readonly order: number;
  /** The abstract series with m symbolic, ξ_0 … ξ_K (sgdPatternSeries(K, sampling)). */
  readonly series: SgdPatternSeries;
  /** eomkit's version, stated in the header. */
  readonly version: string;
  /** The command that regenerates the module (escaped into the docstring). */
  readonly command?: string;
}

/** Python source of the SGD module; throws RangeError on a shape it cannot emit. */
export function sgdPytorchModule(spec: SgdPytorchModuleSpec): string {
  const version = checkedVersion(spec.version);
  const { series, sampling } = spec;
  const K = spec.order;
  if (!Number.isInteger(K) || K < 0 || K > MAX_SGD_EXPORT_ORDER) throw new RangeError(`order must be an integer from 0 to ${MAX_SGD_EXPORT_ORDER}, got ${K}`);
  if (series.xi.length !== K + 1) throw new RangeError(`order ${K} needs ξ_0 … ξ_${K} (${K + 1} series), got ${series.xi.length}`);
  if (series.batchCount !== undefined) throw new RangeError('the SGD module needs the series with m symbolic');
  if (series.sampling !== sampling) throw new RangeError(`the series is for ${series.sampling} sampling, not ${sampling}`);
  const store = series.store;
  const notation = batchNotation(series.labelSum);

  const ids = new Set<number>();
  const visit = (id: number): void => {
    if (ids.has(id)) return;
    ids.add(id);
    store.get(id).children.forEach(visit);
  };
  series.xi.forEach((s) => s.terms().forEach((t) => visit(t.tree.id)));
  const order = [...ids].sort((a, b) => a - b);
  const index = new Map(order.map((id, i) => [id, i]));
  const field = series.field;
  const limits = SGD_EXPORT_MAX_BATCHES.slice(0, K + 1);

  const lines: string[] = [
    '"""Counter terms of the continuous-time equation of motion (EoM) of mini-batch SGD, for PyTorch.',
    '',
    generatedLine(version, spec.command),
    'Do not edit; regenerate instead. Needs only the standard library and torch (1.13 or 2.x).',
    '',
    sampling === 'shuffle'
      ? 'Method: SGD with random reshuffling: every epoch visits the m batches in a fresh random order,'
      : 'Method: SGD, cyclic: every epoch visits the m batches in the given order 1, .., m,',
    '    theta <- theta - lr * grad L_k(theta), one step per batch.',
    `Order: K = ${K} (xi_0 .. xi_${K}); m = len(batch_losses), at most ${limits.join(', ')} for order ${limits.map((_, k) => k).join(', ')}.`,
    '',
    sampling === 'shuffle'
      ? 'Step n sits at time t = n*lr (an epoch spans m*lr); the mean epoch over the random orders follows'
      : 'Step n sits at time t = n*lr (an epoch spans m*lr); the epochs follow',
    'the flow of',
    '',
    '    dtheta/dt = F(theta) = -g - lr * sum_k lr^k xi_k,   g = (1/m) sum_k g_k,',
    '',
    `with L = (1/m) sum_k L_k, g_k = grad L_k, H_k its Hessian; labels j, k, l, .. run over the`,
    `batches ${series.labelSum === 'increasing' ? 'in increasing order' : 'over distinct values'}, exactly:`,
    '',
    ...series.xi.map((s, k) => `    xi_${k} = ${docstringText(s.isZero() ? '0' : seriesText(s, notation))}`),
    '',
    'Functions: counter_terms(batch_losses, params, order) -> xi_0 .. xi_order, each a list of',
    'tensors shaped like params; eom_field(batch_losses, params, lr, order) -> F. batch_losses is',
    'the list of batch loss closures, loss_k(params) -> scalar tensor, in epoch order. Everything is',
    'matrix-free (nested reverse mode per labelled elementary differential, no Hessian formed) and',
    'follows the dtype (float32, float64) and device of params.',
    '"""',
    'import itertools',
    'from fractions import Fraction',
    '',
    'import torch',
    '',
    `__all__ = [${['counter_terms', 'eom_field'].map(pythonString).join(', ')}]`,
    '',
    `EOMKIT_VERSION = ${pythonString(version)}`,
    'METHOD = "sgd"',
    `SAMPLING = ${pythonString(sampling)}`,
    `LABEL_SUM = ${pythonString(series.labelSum)}  # labels of a pattern: increasing (cyclic) or distinct (shuffle)`,
    `ORDER = ${K}`,
    `MAX_BATCHES = ${pythonTuple(limits.map(String))}  # MAX_BATCHES[k]: most batches for xi_0 .. xi_k (label sums grow like m^(k+2))`,
    '',
    '# TREES[i] = (colour, subtrees): a pattern node of colour c reads the batch of label c;',
    '# F(leaf of batch b) = g_b, F([t1, .., tj] of batch b) = D^j g_b[F(t1), .., F(tj)].',
    'TREES = (',
    ...order.map((id, i) => {
      const t = store.get(id);
      return `    (${t.colour}, ${pythonTuple(t.children.map((c) => String(index.get(c))))}),  # ${i}`;
    }),
    ')',
    '',
    '# XI[k]: xi_k as (tree, p, num, den): c(m) = num(m)/den(m) (integer coefficients, ascending powers',
    '# of m) times the sum over the label tuples (j_0, .., j_{p-1}) of F(tree with colour c -> j_c).',
    'XI = (',
    ...series.xi.flatMap((s, k) => [
      `    (  # xi_${k}`,
      ...s.terms().map((t) => {
        const p = new Set(t.tree.colourSequence).size;
        const [num, den] = [t.coefficient.num, t.coefficient.den].map((a) => pythonTuple(polynomialCoefficients(field, a).map(String)));
        return `        (${index.get(t.tree.id)}, ${p}, ${num}, ${den}),  # ${docstringText(notation.text(t.tree, store))}`;
      }),
      '    ),',
    ]),
    ')',
  ];
  return lines.join('\n') + '\n\n' + SGD_RUNTIME;
}

/** An element of Z[m] as its integer coefficients c_0, c_1, … (c_i of m^i). */
function polynomialCoefficients(field: FractionField<unknown>, a: Fraction<unknown>['num']): bigint[] {
  const out: bigint[] = [];
  for (const mono of monomials(field.ring, a)) {
    const e = mono.exponents.get('m') ?? 0;
    if (mono.exponents.size > (mono.exponents.has('m') ? 1 : 0)) throw new RangeError('SGD coefficients must be rational functions of m alone');
    while (out.length <= e) out.push(0n);
    out[e] = mono.coefficient;
  }
  return out.length ? out : [0n];
}
