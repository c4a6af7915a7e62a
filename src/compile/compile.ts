/**
 * Compiled numeric functions of a loss from its closed forms: the gradient, each ξ_k, and the
 * EoM_K vector field −g − Σ_{k≤K} η^{k+1} ξ_k, as plain JavaScript over Float64Array, with shared
 * subexpressions computed once (codegen.ts). See structured.ts for the faster tree-shaped variant.
 *
 * @example
 *   const loss = Loss.parse('(x^2 + y^2 - 1)^2');
 *   const c = compileCounterTerms(loss, concreteCounterTerms(loss, solveCounterTerms(2)));
 *   c.field(new Float64Array([1, 0.5]), 0.1) // dθ/dt of EoM_2 at θ = (1, 0.5)
 */
import type { Loss } from '../loss/loss.js';
import type { Poly } from '../algebra/poly.js';
import { CodeBuilder, instantiate, numberLiteral, type CodegenContext } from './codegen.js';

export type VectorFunction = (theta: ArrayLike<number>, out?: Float64Array) => Float64Array;
export type FieldFunction = (theta: ArrayLike<number>, eta: number, out?: Float64Array) => Float64Array;

/** Compile polynomials p_0..p_{n−1} into θ ↦ (p_0(θ), …). */
export function compileVector(ctx: CodegenContext, outputs: readonly Poly[]): VectorFunction {
  const b = new CodeBuilder(ctx);
  b.countUses(outputs);
  const names = outputs.map((p) => b.declare('r', b.expr(p)));
  return instantiate<VectorFunction>(b, 'out', outputStatements(names));
}

/** Compile a scalar (e.g. the loss itself). */
export function compileScalar(ctx: CodegenContext, p: Poly): (theta: ArrayLike<number>) => number {
  const b = new CodeBuilder(ctx);
  b.countUses([p]);
  return instantiate<(theta: ArrayLike<number>) => number>(b, '', `return ${b.expr(p)};`);
}

/** out[i] = names[i], allocating `out` when not given. */
export function outputStatements(names: readonly string[]): string {
  return `if (out === undefined) out = new Float64Array(${names.length});\n${names.map((r, i) => `out[${i}] = ${r};`).join('\n')}\nreturn out;`;
}

/**
 * Options of the compiled EoM fields.
 *
 * @example
 *   compileTreeCounterTerms(loss, solveCounterTerms(2), {}, { leading: 1 / (1 - 0.9) }).field(theta, 0.01)
 */
export interface FieldOptions {
  /**
   * The method's leading factor c in F = −c·g − η Σ_k η^k ξ_k (1 for gradient descent, the
   * default; e.g. 1/(1−β) for heavy-ball momentum).
   */
  readonly leading?: number;
}

/** The EoM field −c·g_i − η(ξ0_i + η(ξ1_i + …)) in Horner form, into `out`. */
export function fieldStatements(g: readonly string[], xi: readonly (readonly string[])[], options: FieldOptions = {}): string {
  const c = options.leading ?? 1;
  const lead = c === 1 ? '-' : `${numberLiteral(-c)} * `;
  const assign = g.map((gi, i) => {
    let horner = '0';
    for (let k = xi.length - 1; k >= 0; k--) horner = `${xi[k]![i]} + eta * (${horner})`;
    return `out[${i}] = ${lead}${gi} - eta * (${horner});`;
  });
  return `if (out === undefined) out = new Float64Array(${g.length});\n${assign.join('\n')}\nreturn out;`;
}

/** The EoM_K field from closed forms, in one function (atoms shared between g and every ξ_k). */
export function compileField(ctx: CodegenContext, gradient: readonly Poly[], xi: readonly (readonly Poly[])[], options: FieldOptions = {}): FieldFunction {
  const b = new CodeBuilder(ctx);
  b.countUses([...gradient, ...xi.flat()]);
  const g = gradient.map((p) => b.declare('g', b.expr(p)));
  const x = xi.map((comps) => comps.map((p) => b.declare('x', b.expr(p))));
  return instantiate<FieldFunction>(b, 'eta, out', fieldStatements(g, x, options));
}

export interface CompiledCounterTerms {
  readonly loss: (theta: ArrayLike<number>) => number;
  readonly gradient: VectorFunction;
  /** xi[k] evaluates ξ_k. */
  readonly xi: readonly VectorFunction[];
  /** The EoM_K field for K = xi.length − 1. */
  readonly field: FieldFunction;
  /** The EoM_j field for j ≤ K (j = −1 is gradient flow). */
  fieldOfOrder(j: number): FieldFunction;
}

/** Lazily compiled fields of every order −1..K. */
export function fieldsByOrder(K: number, build: (j: number) => FieldFunction): (j: number) => FieldFunction {
  const fields = new Map<number, FieldFunction>();
  return (j) => {
    if (!Number.isInteger(j) || j < -1 || j > K) throw new RangeError(`order must be between -1 and ${K}, got ${j}`);
    if (!fields.has(j)) fields.set(j, build(j));
    return fields.get(j)!;
  };
}

/**
 * Everything numeric for a loss and its concrete counter terms (from `concreteCounterTerms`),
 * compiled from the closed forms. `constants` gives values to the loss's symbolic constants;
 * `options.leading` is the field's leading factor c (default 1).
 */
export function compileCounterTerms(
  loss: Loss,
  xi: readonly (readonly Poly[])[],
  constants: Readonly<Record<string, number>> = {},
  options: FieldOptions = {},
): CompiledCounterTerms {
  const ctx: CodegenContext = { table: loss.table, varIds: loss.varIds, constants };
  const g = loss.gradient();
  const fieldOfOrder = fieldsByOrder(xi.length - 1, (j) => compileField(ctx, g, xi.slice(0, j + 1), options));
  return {
    loss: compileScalar(ctx, loss.expr),
    gradient: compileVector(ctx, g),
    xi: xi.map((x) => compileVector(ctx, x)),
    field: fieldOfOrder(xi.length - 1),
    fieldOfOrder,
  };
}
