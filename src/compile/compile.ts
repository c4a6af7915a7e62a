/**
 * Compiled numeric functions of a loss: the gradient, each ξ_k, and the EoM_K vector field
 * −g − Σ_{k≤K} η^{k+1} ξ_k, as plain JavaScript over Float64Array, with shared subexpressions
 * computed once (codegen.ts). Functions are built with `new Function` from generated source only.
 *
 * @example
 *   const loss = Loss.parse('(x^2 + y^2 - 1)^2');
 *   const c = compileCounterTerms(loss, concreteCounterTerms(loss, solveCounterTerms(2)));
 *   c.field(new Float64Array([1, 0.5]), 0.1) // dθ/dt of EoM_2 at θ = (1, 0.5)
 */
import type { Loss } from '../loss/loss.js';
import type { Poly } from '../loss/poly.js';
import { generateCode, type CodegenContext } from './codegen.js';

export type VectorFunction = (theta: ArrayLike<number>, out?: Float64Array) => Float64Array;
export type FieldFunction = (theta: ArrayLike<number>, eta: number, out?: Float64Array) => Float64Array;

/** Compile polynomials p_0..p_{n−1} into θ ↦ (p_0(θ), …). */
export function compileVector(ctx: CodegenContext, outputs: readonly Poly[]): VectorFunction {
  const code = generateCode(ctx, outputs);
  const n = outputs.length;
  const source = `"use strict";\n${code.prelude}\nreturn function compiled(th, out) {\n${code.body}\nif (out === undefined) out = new Float64Array(${n});\n${code.results
    .map((r, i) => `out[${i}] = ${r};`)
    .join('\n')}\nreturn out;\n};`;
  return new Function(source)() as VectorFunction;
}

/** Compile a scalar (e.g. the loss itself). */
export function compileScalar(ctx: CodegenContext, p: Poly): (theta: ArrayLike<number>) => number {
  const f = compileVector(ctx, [p]);
  const buf = new Float64Array(1);
  return (theta) => f(theta, buf)[0]!;
}

/**
 * The EoM_K field θ ↦ −g(θ) − Σ_{k=0..K} η^{k+1} ξ_k(θ) in one function (atoms shared between g
 * and every ξ_k), the sum over k in Horner form.
 */
export function compileField(ctx: CodegenContext, gradient: readonly Poly[], xi: readonly (readonly Poly[])[]): FieldFunction {
  const n = gradient.length;
  const code = generateCode(ctx, [...gradient, ...xi.flat()]);
  const r = code.results;
  const assign = gradient.map((_, i) => {
    // −g_i − η(ξ0_i + η(ξ1_i + …))
    let horner = '0';
    for (let k = xi.length - 1; k >= 0; k--) horner = `${r[n + k * n + i]} + eta * (${horner})`;
    return `out[${i}] = -${r[i]} - eta * (${horner});`;
  });
  const source = `"use strict";\n${code.prelude}\nreturn function field(th, eta, out) {\n${code.body}\nif (out === undefined) out = new Float64Array(${n});\n${assign.join('\n')}\nreturn out;\n};`;
  return new Function(source)() as FieldFunction;
}

export interface CompiledCounterTerms {
  readonly loss: (theta: ArrayLike<number>) => number;
  readonly gradient: VectorFunction;
  /** xi[k] evaluates ξ_k. */
  readonly xi: readonly VectorFunction[];
  /** The EoM_K field for K = xi.length − 1; `fieldOfOrder(j)` for a lower truncation (−1 = gradient flow). */
  readonly field: FieldFunction;
  fieldOfOrder(j: number): FieldFunction;
}

/**
 * Everything numeric for a loss and its concrete counter terms (from `concreteCounterTerms`).
 * `constants` gives values to the loss's symbolic constants.
 */
export function compileCounterTerms(loss: Loss, xi: readonly (readonly Poly[])[], constants: Readonly<Record<string, number>> = {}): CompiledCounterTerms {
  const ctx: CodegenContext = { table: loss.table, varIds: loss.varIds, constants };
  const g = loss.gradient();
  const fields = new Map<number, FieldFunction>();
  const fieldOfOrder = (j: number): FieldFunction => {
    if (!Number.isInteger(j) || j < -1 || j >= xi.length) throw new RangeError(`order must be between -1 and ${xi.length - 1}, got ${j}`);
    if (!fields.has(j)) fields.set(j, compileField(ctx, g, xi.slice(0, j + 1)));
    return fields.get(j)!;
  };
  return {
    loss: compileScalar(ctx, loss.expr),
    gradient: compileVector(ctx, g),
    xi: xi.map((x) => compileVector(ctx, x)),
    field: fieldOfOrder(xi.length - 1),
    fieldOfOrder,
  };
}
