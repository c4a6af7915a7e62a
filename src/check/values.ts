/**
 * The values a claim's expression evaluates to, and the semantics that give them meaning.
 *
 * One expression language serves two semantics (abstractSemantics.ts, concreteSemantics.ts):
 * abstract vectors are exact tree series (Σ c·F(τ), true for every loss), concrete vectors are
 * the exact normal forms of one loss's components. A claim holds when its expression evaluates
 * to zero: exactly, by the semantics' own zero test.
 *
 * @example
 *   // "xi(0) - 1/2*H*g" is a vector; "dot(theta, g)" a scalar; "H" an operator
 */
import type { Rational } from '../series/fraction.js';

export type ClaimValue<S, V> =
  | { readonly type: 'scalar'; readonly value: S }
  | { readonly type: 'vector'; readonly value: V }
  | { readonly type: 'operator'; readonly apply: (v: V) => V };

export interface ZeroVerdict {
  readonly zero: boolean;
  /** What is left when not zero, as short text. */
  readonly residual?: string;
  /** False when the zero test gave up (too large) rather than finding a non-zero remainder. */
  readonly decided?: boolean;
}

export interface Semantics<S, V> {
  /** 'abstract' or 'concrete', for messages. */
  readonly name: string;
  scalar(r: Rational): S;
  /** The integer a scalar holds, if it is one (for xi(k), H^k). */
  integerOf(s: S): number | undefined;
  addScalars(a: S, b: S): S;
  mulScalars(a: S, b: S): S;
  divScalars(a: S, b: S): S;
  powScalar(a: S, r: Rational): S;
  addVectors(a: V, b: V): V;
  scaleVector(s: S, v: V): V;
  /** A named value (g, H, theta, a parameter, …), or undefined when unknown. */
  symbol(name: string): ClaimValue<S, V> | undefined;
  /** A function of the language (xi, D, grad, dot, …), or undefined when unknown. */
  call(name: string, args: readonly ClaimValue<S, V>[]): ClaimValue<S, V> | undefined;
  /** Names known to this semantics, for error messages. */
  readonly symbolNames: readonly string[];
  readonly functionNames: readonly string[];
  isZero(value: ClaimValue<S, V>): ZeroVerdict;
}

/** A claim that cannot be evaluated: a bad expression, or a function used with the wrong values. */
export class ClaimError extends Error {}

/**
 * A claim that asks beyond what claims may ask (ξ_k past the order limit, trees too large): the file
 * is malformed (`eom check` exits 2), not a claim that failed.
 */
export class OrderLimitError extends ClaimError {}

export function expectScalar<S, V>(v: ClaimValue<S, V>, what: string): S {
  if (v.type !== 'scalar') throw new ClaimError(`${what} must be a scalar, got ${article(v.type)}`);
  return v.value;
}

export function expectVector<S, V>(v: ClaimValue<S, V>, what: string): V {
  if (v.type !== 'vector') throw new ClaimError(`${what} must be a vector, got ${article(v.type)}`);
  return v.value;
}

export function expectInteger<S, V>(sem: Semantics<S, V>, v: ClaimValue<S, V>, what: string): number {
  const n = v.type === 'scalar' ? sem.integerOf(v.value) : undefined;
  if (n === undefined) throw new ClaimError(`${what} must be an integer`);
  return n;
}

/** A function a claim may call beyond the built-in ones (a symmetry's `rate`, …), given the semantics it runs in. */
export type ClaimFunction<S, V> = (args: readonly ClaimValue<S, V>[], sem: Semantics<S, V>) => ClaimValue<S, V>;

export const article = (type: string) => (type === 'operator' ? 'an operator' : `a ${type}`);
