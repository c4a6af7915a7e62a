/**
 * Claim expressions: parsed by mathjs (never evaluated by it), checked node by node against a
 * whitelist, then evaluated in a semantics (values.ts). Numbers are exact: 0.25 is 1/4.
 *
 * Grammar: numbers; names (g, H, theta, xi, parameters, loop variables such as k); + − * / ^;
 * parentheses; calls f(a, b). Products mix scalars, vectors and operators: s*v, H*v, H^2*g, H*H.
 *
 * @example
 *   const e = parseClaimExpression('xi(0) - 1/2*H*g');
 *   evaluateClaim(e, abstractSemantics(), {}) // the zero tree series
 */
import type { MathNode } from 'mathjs';
import { mathjsParse } from '../syntax/mathjsParser.js';
import { Rational, rational } from '../series/fraction.js';
import { decimalToRational } from '../series/decimal.js';
import { ClaimError, article, expectInteger, type ClaimValue, type Semantics } from './values.js';

/** Longest claim expression accepted, in characters. */
export const MAX_CLAIM_LENGTH = 5_000;

export interface ClaimExpression {
  readonly source: string;
  readonly tree: MathNode;
}

export function parseClaimExpression(source: string): ClaimExpression {
  if (typeof source !== 'string' || source.trim() === '') throw new ClaimError('the expression is empty');
  if (source.length > MAX_CLAIM_LENGTH) throw new ClaimError(`the expression is longer than ${MAX_CLAIM_LENGTH} characters`);
  let tree: MathNode;
  try {
    tree = mathjsParse(source);
  } catch (e) {
    throw new ClaimError(`cannot parse "${source}": ${(e as Error).message}`);
  }
  check(tree, source);
  return { source, tree };
}

const OPERATORS = new Set(['add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus']);

function check(node: MathNode, source: string): void {
  const n = node as MathNode & { fn?: unknown; args?: MathNode[]; content?: MathNode; name?: string; value?: unknown };
  switch (node.type) {
    case 'ConstantNode':
      if (typeof n.value === 'string' || typeof n.value === 'boolean' || n.value === null || n.value === undefined) {
        throw new ClaimError(`"${node.toString()}" is not a number (in "${source}")`);
      }
      return;
    case 'SymbolNode':
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(n.name!)) throw new ClaimError(`"${n.name}" is not a valid name (in "${source}")`);
      return;
    case 'ParenthesisNode':
      return check(n.content!, source);
    case 'OperatorNode':
      if (!OPERATORS.has(n.fn as string)) throw new ClaimError(`the operator "${(node as unknown as { op: string }).op}" is not allowed (in "${source}"); use + - * / ^`);
      return n.args!.forEach((a) => check(a, source));
    case 'FunctionNode': {
      const f = n.fn as MathNode & { name?: string };
      if (f.type !== 'SymbolNode') throw new ClaimError(`only named functions can be called (in "${source}")`);
      return n.args!.forEach((a) => check(a, source));
    }
    default:
      throw new ClaimError(`"${node.toString()}" is not allowed in a claim (in "${source}"): use numbers, names, + - * / ^, and function calls`);
  }
}

/** Evaluate in a semantics, with loop variables (k = 2) bound to exact numbers. */
export function evaluateClaim<S, V>(e: ClaimExpression, sem: Semantics<S, V>, bindings: Readonly<Record<string, Rational>>): ClaimValue<S, V> {
  const ev = (node: MathNode): ClaimValue<S, V> => {
    const n = node as MathNode & { fn?: string | MathNode; args?: MathNode[]; content?: MathNode; name?: string; value?: { toString(): string } };
    switch (node.type) {
      case 'ConstantNode':
        return { type: 'scalar', value: sem.scalar(decimalToRational(n.value!.toString())) };
      case 'ParenthesisNode':
        return ev(n.content!);
      case 'SymbolNode': {
        const bound = Object.hasOwn(bindings, n.name!) ? bindings[n.name!] : undefined; // not Object.prototype's names
        if (bound) return { type: 'scalar', value: sem.scalar(bound) };
        const v = sem.symbol(n.name!);
        if (!v) throw new ClaimError(`unknown name "${n.name}" in "${e.source}" (${sem.name} claims know: ${[...Object.keys(bindings), ...sem.symbolNames].join(', ')})`);
        return v;
      }
      case 'FunctionNode': {
        const name = (n.fn as MathNode & { name: string }).name;
        const v = sem.call(name, n.args!.map(ev));
        if (!v) throw new ClaimError(`unknown function "${name}" in "${e.source}" (${sem.name} claims know: ${sem.functionNames.join(', ')})`);
        return v;
      }
      case 'OperatorNode': {
        const args = n.args!.map(ev);
        return operate(sem, n.fn as string, args, e.source);
      }
      default:
        throw new ClaimError(`unexpected node in "${e.source}"`);
    }
  };
  return ev(e.tree);
}

function operate<S, V>(sem: Semantics<S, V>, fn: string, args: ClaimValue<S, V>[], source: string): ClaimValue<S, V> {
  const [a, b] = args as [ClaimValue<S, V>, ClaimValue<S, V>];
  const minusOne = sem.scalar(rational(-1));
  switch (fn) {
    case 'unaryPlus':
      return a;
    case 'unaryMinus':
      return scale(sem, minusOne, a);
    case 'add':
    case 'subtract': {
      const bb = fn === 'subtract' ? scale(sem, minusOne, b) : b;
      if (a.type === 'scalar' && bb.type === 'scalar') return { type: 'scalar', value: sem.addScalars(a.value, bb.value) };
      if (a.type === 'vector' && bb.type === 'vector') return { type: 'vector', value: sem.addVectors(a.value, bb.value) };
      if (a.type === 'operator' && bb.type === 'operator') return { type: 'operator', apply: (v) => sem.addVectors(a.apply(v), bb.apply(v)) };
      throw new ClaimError(`cannot ${fn === 'add' ? 'add' : 'subtract'} ${article(b.type)} ${fn === 'add' ? 'to' : 'from'} ${article(a.type)} in "${source}"`);
    }
    case 'multiply':
      if (a.type === 'scalar') return scale(sem, a.value, b);
      if (b.type === 'scalar') return scale(sem, b.value, a);
      if (a.type === 'operator' && b.type === 'vector') return { type: 'vector', value: a.apply(b.value) };
      if (a.type === 'operator' && b.type === 'operator') return { type: 'operator', apply: (v) => a.apply(b.apply(v)) };
      throw new ClaimError(`cannot multiply ${article(a.type)} by ${article(b.type)} in "${source}" (use dot(u, v) for an inner product)`);
    case 'divide':
      if (b.type !== 'scalar') throw new ClaimError(`cannot divide by ${article(b.type)} in "${source}"`);
      if (a.type === 'scalar') return { type: 'scalar', value: sem.divScalars(a.value, b.value) };
      return scale(sem, sem.divScalars(sem.scalar(Rational.one), b.value), a);
    case 'pow': {
      if (a.type === 'operator') {
        const n = expectInteger(sem, b, `the power of an operator in "${source}"`);
        if (n < 0 || n > 64) throw new ClaimError(`the power of an operator must be an integer from 0 to 64 in "${source}"`);
        return { type: 'operator', apply: (v) => { let out = v; for (let i = 0; i < n; i++) out = a.apply(out); return out; } };
      }
      if (a.type !== 'scalar' || b.type !== 'scalar') throw new ClaimError(`only scalars and operators have powers, in "${source}"`);
      const n = sem.integerOf(b.value);
      if (n === undefined) throw new ClaimError(`exponents must be integers in "${source}"`);
      return { type: 'scalar', value: sem.powScalar(a.value, rational(n)) };
    }
  }
  throw new ClaimError(`unexpected operator ${fn} in "${source}"`);
}

function scale<S, V>(sem: Semantics<S, V>, s: S, v: ClaimValue<S, V>): ClaimValue<S, V> {
  switch (v.type) {
    case 'scalar':
      return { type: 'scalar', value: sem.mulScalars(s, v.value) };
    case 'vector':
      return { type: 'vector', value: sem.scaleVector(s, v.value) };
    case 'operator':
      return { type: 'operator', apply: (x) => sem.scaleVector(s, v.apply(x)) };
  }
}
