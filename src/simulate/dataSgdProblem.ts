/**
 * SGD on a per-example loss ℓ(θ; d) over a data table: batch k is the mean of ℓ over its b
 * consecutive rows, L_k = (1/b) Σ_{r ∈ k} ℓ(θ; d_r), and L = (1/m) Σ_k L_k. Nothing is summed
 * symbolically: the derivatives of ℓ are compiled once as functions of (θ, d) — the unique entries
 * of the symmetric tensors ∂^d ℓ/∂θ^d for d ≤ K + 2 — and each evaluation averages them over each
 * batch's rows. The EoM field is the pattern series of SGD (derive/batchPatterns.ts, (3.9)) at
 * this m: every labelled elementary differential contracts the batches' dense tensors, summed over
 * its labels (increasing or distinct).
 *
 * @example
 *   const p = dataSgdProblem({ loss: '(w*x - y)^2', data: parseDataCsv('x,y\n1,2\n2,3\n'), batchSize: 1, sampling: 'shuffle', init: { w: 0 }, maxOrder: 1 });
 *   p.fieldOfOrder(1)(p.init, 0.01)
 */
import { compileVector, type FieldFunction, type VectorFunction } from '../compile/compile.js';
import { sgdPatternSeries } from '../derive/batchPatterns.js';
import type { Sampling } from '../derive/sgd.js';
import type { DataTable } from '../loss/dataTable.js';
import { batchCount, dataParameters } from '../loss/dataBatches.js';
import { LossError } from '../loss/errors.js';
import { Loss, type LossOptions } from '../loss/loss.js';
import { nameRecord } from '../loss/names.js';
import type { Poly } from '../algebra/poly.js';
import { rationalToNumber, type Fraction, type Rational } from '../series/fraction.js';
import { evaluateSymbols } from '../series/symbols.js';
import type { RootedTree } from '../trees/store.js';
import { symmetricEigenvalues } from './hessian.js';
import { initialPoint } from './problem.js';
import type { SgdNumericProblem } from './sgdProblem.js';

export interface DataSgdSpec extends Omit<LossOptions, 'weightDecay' | 'table'> {
  /** The per-example loss ℓ(θ; d); its data symbols are columns of `data`. */
  readonly loss: string;
  readonly data: DataTable;
  /** b: rows per batch, consecutive; the row count must be a multiple of b. */
  readonly batchSize: number;
  readonly sampling: Sampling;
  readonly init: Readonly<Record<string, number>>;
  /** Highest ξ_k compiled (at most 2: ℓ's derivatives up to order K + 2 are compiled). */
  readonly maxOrder: number;
  /** λ of λ/2‖θ‖² added to every example, a number. */
  readonly weightDecay?: number;
}

/** Highest order for data batches (dense tensors of order K + 2 per batch). */
export const MAX_DATA_ORDER = 2;
/** Most parameters with --data (dense tensors have n^(K+2) entries). */
export const MAX_DATA_PARAMETERS = 16;

export function dataSgdProblem(spec: DataSgdSpec): SgdNumericProblem {
  const K = spec.maxOrder;
  if (!Number.isInteger(K) || K < 0 || K > MAX_DATA_ORDER) throw new RangeError(`with --data the order is at most ${MAX_DATA_ORDER}, got ${K}`);
  const { data } = spec;
  const b = spec.batchSize;
  const m = batchCount(data.rows, b);
  const { theta, dataNames } = dataParameters(spec.loss, data, spec);
  if (theta.length > MAX_DATA_PARAMETERS) throw new LossError(`at most ${MAX_DATA_PARAMETERS} parameters with --data, got ${theta.length}`);
  const loss = Loss.parse(spec.loss, { vars: [...theta, ...dataNames], values: spec.values });
  if (loss.constants.length) throw new LossError(`the constant${loss.constants.length > 1 ? 's' : ''} ${loss.constants.join(', ')} need${loss.constants.length > 1 ? '' : 's'} a value (--set)`);
  const n = theta.length;
  const init = initialPoint(theta, spec.init);
  const lambda = spec.weightDecay ?? 0;

  // The unique entries ∂^d ℓ/∂θ_{i1}…∂θ_{id}, i1 ≤ … ≤ id, for d = 1 … K + 2, as one compiled function of (θ, d).
  const D = K + 2;
  const entries: { order: number; index: number[]; poly: Poly }[] = [];
  const polyOf = new Map<string, Poly>([['', loss.expr]]);
  const visit = (index: number[], order: number) => {
    const parent = polyOf.get(index.slice(0, -1).join(','))!;
    const p = loss.diff.partial(parent, loss.varIds[index.at(-1)!]!);
    polyOf.set(index.join(','), p);
    entries.push({ order, index, poly: p });
    if (order < D) for (let j = index.at(-1)!; j < n; j++) visit([...index, j], order + 1);
  };
  for (let i = 0; i < n; i++) visit([i], 1);
  const ctx = { table: loss.table, varIds: loss.varIds, constants: nameRecord<number>() };
  const all = compileVector(ctx, entries.map((e) => e.poly));
  const gradOnly = compileVector(ctx, entries.filter((e) => e.order === 1).map((e) => e.poly));
  const columns = dataNames.map((c) => data.columns.get(c)!);
  const input = new Float64Array(n + columns.length);
  // Dense layout of each order: position → unique entry.
  const dense: Int32Array[] = [];
  const entryAt = new Map(entries.map((e, k) => [e.index.join(','), k]));
  for (let d = 1; d <= D; d++) {
    const size = n ** d;
    const map = new Int32Array(size);
    for (let pos = 0; pos < size; pos++) {
      const idx: number[] = [];
      let r = pos;
      for (let s = 0; s < d; s++) {
        idx.unshift(r % n);
        r = Math.floor(r / n);
      }
      map[pos] = entryAt.get(idx.sort((a, c) => a - c).join(','))!;
    }
    dense[d] = map;
  }

  /** Mean of f over the rows of batch k at θ. */
  const batchMean = (f: VectorFunction, k: number, th: ArrayLike<number>, size: number): Float64Array => {
    const acc = new Float64Array(size);
    for (let i = 0; i < n; i++) input[i] = th[i]!;
    for (let r = k * b; r < (k + 1) * b; r++) {
      columns.forEach((col, c) => (input[n + c] = col[r]!));
      const out = f(input);
      for (let e = 0; e < size; e++) acc[e] += out[e]!;
    }
    for (let e = 0; e < size; e++) acc[e] /= b;
    return acc;
  };
  const gradients = Array.from({ length: m }, (_, k) => (th: ArrayLike<number>) => {
    const g = batchMean(gradOnly, k, th, n);
    if (lambda) for (let i = 0; i < n; i++) g[i] += lambda * th[i]!;
    return g;
  });
  const fullGradient: VectorFunction = (th, out) => {
    const g = out ?? new Float64Array(n);
    g.fill(0);
    for (let k = 0; k < m; k++) {
      const gk = gradients[k]!(th);
      for (let i = 0; i < n; i++) g[i] += gk[i]! / m;
    }
    return g;
  };

  /** Dense tensors T[k][d] of batch k at θ, weight decay included. */
  const tensors = (th: ArrayLike<number>): Float64Array[][] =>
    Array.from({ length: m }, (_, k) => {
      const u = batchMean(all, k, th, entries.length);
      const T: Float64Array[] = [];
      for (let d = 1; d <= D; d++) T[d] = Float64Array.from(dense[d]!, (e) => u[e]!);
      if (lambda) {
        for (let i = 0; i < n; i++) T[1]![i] += lambda * th[i]!;
        for (let i = 0; i < n; i++) T[2]![i * n + i] += lambda;
      }
      return T;
    });

  const series = sgdPatternSeries(K, spec.sampling, m);
  // m is given, so every coefficient is a rational (the ring has no symbols).
  const none = new Map<string, Rational>();
  const coefficient = (c: Fraction<unknown>): number =>
    rationalToNumber(evaluateSymbols(series.field.ring, c.num, none)) / rationalToNumber(evaluateSymbols(series.field.ring, c.den, none));
  const terms = series.xi.map((s) =>
    s.terms().map((t) => ({ tree: t.tree, c: coefficient(t.coefficient), labels: labelTuples(new Set(t.tree.colourSequence).size, m, series.labelSum === 'increasing') })),
  );

  /**
   * F(τ) with node colours mapped to batches by `label`, contracting dense tensors (a tree of at
   * most K + 2 nodes costs a few n^r products: cheaper than memoising by string keys).
   */
  const elementary = (tree: RootedTree, label: readonly number[], T: Float64Array[][]): Float64Array => {
    const kids = tree.children.map((c) => elementary(series.store.get(c), label, T));
    const r = kids.length;
    const A = T[label[tree.colour]!]![r + 1]!;
    if (r === 0) return A; // F(•_k) = g_k, read only by the callers
    const out = new Float64Array(n);
    // out_i = Σ A[i, j1, …, jr] v1[j1] ⋯ vr[jr], A dense row-major.
    const stride = n ** r;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let pos = 0; pos < stride; pos++) {
        let w = A[i * stride + pos]!;
        let q = pos;
        for (let c = r - 1; c >= 0 && w !== 0; c--) {
          w *= kids[c]![q % n]!;
          q = Math.floor(q / n);
        }
        s += w;
      }
      out[i] = s;
    }
    return out;
  };

  const xiAt = (k: number, T: Float64Array[][]): Float64Array => {
    const out = new Float64Array(n);
    for (const { tree, c, labels } of terms[k]!) {
      for (const label of labels) {
        const F = elementary(tree, label, T);
        for (let i = 0; i < n; i++) out[i] += c * F[i]!;
      }
    }
    return out;
  };
  const xi: VectorFunction[] = terms.map((_, k) => (th, out) => {
    const x = xiAt(k, tensors(th));
    if (out) {
      out.set(x);
      return out;
    }
    return x;
  });
  const fieldOfOrder = (j: number): FieldFunction => {
    if (!Number.isInteger(j) || j < -1 || j > K) throw new RangeError(`order must be between -1 and ${K}, got ${j}`);
    return (th, eta, out) => {
      const T = tensors(th);
      const f = out ?? new Float64Array(n);
      // −g − Σ_{k≤j} η^{k+1} ξ_k, with g the mean of the batch gradients T[k][1].
      for (let i = 0; i < n; i++) f[i] = -T.reduce((s, Tk) => s + Tk[1]![i]!, 0) / m;
      let power = eta;
      for (let k = 0; k <= j; k++, power *= eta) {
        const x = xiAt(k, T);
        for (let i = 0; i < n; i++) f[i] -= power * x[i]!;
      }
      return f;
    };
  };
  for (const [k, g] of gradients.entries()) {
    if (!Array.from(g(init)).every(Number.isFinite)) throw new LossError(`--init: the gradient of batch ${k + 1} is not finite at the starting point`);
  }
  const T0 = tensors(init);
  const curvature = Math.max(...T0.map((Tk) => Math.max(...symmetricEigenvalues(Tk[2]!, n).map(Math.abs))));
  return { vars: theta, init, batchCount: m, sampling: spec.sampling, gradients, gradient: fullGradient, xi, fieldOfOrder, curvature, describe: `${data.rows} rows in ${m} batches of ${b}` };
}

/** Label tuples for a pattern with p colours among m batches: increasing, or all distinct. */
function labelTuples(p: number, m: number, increasing: boolean): number[][] {
  const out: number[][] = [];
  const pick = (acc: number[]) => {
    if (acc.length === p) return void out.push([...acc]);
    for (let k = increasing && acc.length ? acc.at(-1)! + 1 : 0; k < m; k++) if (!acc.includes(k)) pick([...acc, k]);
  };
  pick([]);
  return out;
}
