/**
 * One entry per smooth function a loss may use, holding everything about it (KaTeX's
 * `defineFunction` pattern): the whitelist, the differentiator, the code generator and the
 * printers all read this one table, so adding a function is one `defineFunction` call.
 */
import type { Rational } from '../../series/fraction.js';
import type { Poly } from '../poly.js';

/** What a function's rules may build with (supplied by atoms.ts, so entries import no engine code). */
export interface Builder {
  call(name: string, args: readonly Poly[]): Poly;
  power(base: Poly, exponent: Rational): Poly;
  constant(c: number | bigint | Rational): Poly;
  /** If p is exactly one function call f(args) (coefficient 1), its name and arguments. */
  callOf(p: Poly): { name: string; args: readonly Poly[] } | undefined;
}

export interface FunctionSpec {
  /** The name as written in a loss, e.g. "softplus". */
  readonly name: string;
  /** Number of arguments, or 'variadic' (one or more). */
  readonly arity: number | 'variadic';
  /** One line for `--help` and error messages. */
  readonly summary: string;
  /** ∂f/∂(argument k), as a normal form in the arguments. */
  derivative(args: readonly Poly[], k: number, b: Builder): Poly;
  /** Exact value or a rewrite to other forms, when there is one (e.g. exp(0) = 1, sqrt(u) = u^(1/2)). */
  simplify?(args: readonly Poly[], b: Builder): Poly | undefined;
  /** A helper function the generated code needs once (named after the function), if any. */
  readonly jsPrelude?: string;
  /** JavaScript for the value, given the arguments' JavaScript (numerically stable forms). */
  js(args: readonly string[]): string;
  /** LaTeX, given the arguments' LaTeX. */
  latex(args: readonly string[]): string;
  /** A mathjs-parsable form (mathjs has no sigmoid, softplus or logsumexp). */
  mathjs(args: readonly string[]): string;
  /** The value in floating point (the same formula as `js`). */
  evaluate(args: readonly number[]): number;
}

const registry = new Map<string, FunctionSpec>();

export function defineFunction(spec: FunctionSpec): FunctionSpec {
  if (registry.has(spec.name)) throw new Error(`internal: function ${spec.name} defined twice`);
  registry.set(spec.name, spec);
  return spec;
}

export function lookupFunction(name: string): FunctionSpec | undefined {
  return registry.get(name);
}

export function functionNames(): string[] {
  return [...registry.keys()].sort();
}

/**
 * Functions that are refused because they are not smooth, with what to do instead: a smooth
 * replacement, or for piecewise-constant functions (no smooth version: every derivative is zero
 * where one exists), removing them.
 */
const PIECEWISE_CONSTANT = 'it is piecewise constant (its derivative is 0 where it has one, and it jumps), so it has no smooth version; remove it from the loss';

export const NON_SMOOTH: ReadonlyMap<string, string> = new Map([
  ['abs', 'use sqrt(u^2 + eps) for a small constant eps instead'],
  ['max', 'use softplus, or logsumexp(a, b) for a smooth maximum, instead'],
  ['min', 'use -logsumexp(-a, -b) instead'],
  ['sign', 'use tanh(u/eps) instead'],
  ['floor', PIECEWISE_CONSTANT],
  ['ceil', PIECEWISE_CONSTANT],
  ['round', PIECEWISE_CONSTANT],
  ['fix', PIECEWISE_CONSTANT],
  ['mod', 'mod jumps where u crosses a multiple of the modulus and has no smooth version; remove it or write the periodic part with sin/cos'],
  ['relu', 'use softplus(u) instead'],
  ['heaviside', 'use sigmoid(u/eps) instead'],
]);
