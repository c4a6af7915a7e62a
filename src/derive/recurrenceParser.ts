/**
 * A recurrence written out by the user, parsed (mathjs's parser, never evaluated) into the data of
 * updateRule.ts (3.1):
 *
 *     theta[n+1] = theta[n] - eta*grad(theta[n]) + beta*(theta[n] - theta[n-1])
 *
 * `theta[n-j]` are past iterates, `grad(…)` is ∇L at a linear combination of iterates and of other
 * gradients (each multiplied by `eta`), `eta` is the learning rate; every other name is a
 * hyperparameter (exact with --param, else a symbol). Anything outside the class — θ_{n+1} on the
 * right, a gradient at a non-linear combination, η anywhere but as the factor of a gradient, a
 * product of iterates — is refused with the reason.
 *
 * @example
 *   parseRecurrence('theta[n+1] = theta[n] - eta*grad(theta[n] - eta*grad(theta[n]))').stages.length // 2
 */
import type { MathNode } from 'mathjs';
import { decimalToRational } from '../series/decimal.js';
import { mathjsParse } from '../syntax/mathjsParser.js';
import { FractionField, Rational, type Fraction } from '../series/fraction.js';
import { symbolRing, symbolValue } from '../series/symbols.js';
import { parasiticRootsInside } from './stability.js';
import { validateRecurrence, type Stage, type UpdateRule } from './updateRule.js';


/** Longest recurrence accepted, in characters. */
export const MAX_RECURRENCE_LENGTH = 2000;
/** Deepest look-back θ_{n−j} accepted. */
export const MAX_LAG = 16;

const RESERVED = new Set(['theta', 'n', 'eta', 'grad']);

type Scalar = { kind: 'scalar'; value: Fraction<unknown>; eta: number };
type Term = { coef: Fraction<unknown>; eta: number };
/** Keys: "it:j" for θ_{n−j} (j = −1 is θ_{n+1}), "gr:i" for the gradient of stage i. */
type Linear = { kind: 'linear'; terms: Map<string, Term> };
type Value = Scalar | Linear;

export function parseRecurrence(text: string, given: ReadonlyMap<string, Rational | undefined> = new Map()): UpdateRule<unknown> {
  if (text.length > MAX_RECURRENCE_LENGTH) throw new RangeError(`--update: the recurrence is longer than ${MAX_RECURRENCE_LENGTH} characters`);
  let root: MathNode;
  try {
    root = mathjsParse(text);
  } catch (e) {
    throw new SyntaxError(`--update: ${(e as Error).message}`);
  }
  const names: string[] = [];
  root.traverse((node) => {
    if (node.type === 'SymbolNode') {
      const name = (node as unknown as { name: string }).name;
      if (!RESERVED.has(name) && !names.includes(name)) names.push(name);
    }
  });
  for (const name of names) if (!/^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(name)) throw new RangeError(`--update: "${name}" is not a parameter name (ASCII letters, digits and _, starting with a letter)`);
  for (const key of given.keys()) if (!names.includes(key)) throw new RangeError(`--param ${key}: the recurrence has no parameter "${key}" (its parameters: ${names.join(', ') || 'none'})`);
  const symbols = names.filter((n) => given.get(n) === undefined);
  const ring = symbolRing(symbols);
  const F = new FractionField(ring);
  const exact = (r: Rational): Fraction<unknown> => F.make(ring.fromInteger(r.num), ring.fromInteger(r.den));
  const stages: Stage<Fraction<unknown>>[] = [];
  const stageKeys: string[] = [];

  const fail = (why: string): never => {
    throw new RangeError(`--update: ${why}`);
  };
  const scalar = (value: Fraction<unknown>, eta = 0): Scalar => ({ kind: 'scalar', value, eta });
  const scale = (v: Linear, s: Scalar): Linear => ({
    kind: 'linear',
    terms: new Map([...v.terms].map(([k, t]) => [k, { coef: F.mul(t.coef, s.value), eta: t.eta + s.eta }] as const)),
  });
  const add = (a: Value, b: Value, sign: 1 | -1): Value => {
    if (a.kind === 'scalar' && b.kind === 'scalar') {
      if (a.eta !== b.eta) fail('eta may only multiply a gradient, e.g. eta*grad(theta[n])');
      return scalar(sign > 0 ? F.add(a.value, b.value) : F.sub(a.value, b.value), a.eta);
    }
    if (a.kind === 'scalar' || b.kind === 'scalar') fail('a constant added to iterates or gradients; every term must be a multiple of theta[n-j] or of eta*grad(…)');
    const terms = new Map((a as Linear).terms);
    for (const [k, t] of (b as Linear).terms) {
      const old = terms.get(k);
      const coef = sign > 0 ? t.coef : F.neg(t.coef);
      if (old && old.eta !== t.eta) fail('eta may only multiply a gradient, once');
      const sum = old ? F.add(old.coef, coef) : coef;
      if (F.isZero(sum)) terms.delete(k);
      else terms.set(k, { coef: sum, eta: t.eta });
    }
    return { kind: 'linear', terms };
  };

  const lagOf = (index: MathNode): number => {
    const s = index.toString().replace(/\s+/g, '');
    if (s === 'n') return 0;
    if (s === 'n+1') return -1;
    const m = /^n-(\d+)$/.exec(s);
    if (!m) return fail(`theta[${s}]: write theta[n+1], theta[n] or theta[n-j]`);
    const j = Number(m[1]);
    if (j > MAX_LAG) fail(`theta[n-${j}] looks back more than ${MAX_LAG} steps`);
    return j;
  };

  const walk = (node: MathNode): Value => {
    const n = node as unknown as Record<string, unknown> & MathNode;
    switch (node.type) {
      case 'ParenthesisNode':
        return walk(n['content'] as MathNode);
      case 'ConstantNode': {
        // mathjsParse gives BigNumber constants (all digits kept); plain numbers are accepted too.
        const v = n['value'] as unknown;
        const digits = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : undefined) : (v as { isBigNumber?: boolean })?.isBigNumber ? String(v) : undefined;
        if (digits === undefined) return fail(`${node.toString()} is not a number`);
        return scalar(exact(decimalToRational(digits)));
      }
      case 'SymbolNode': {
        const name = n['name'] as string;
        if (name === 'eta') return scalar(F.one, 1);
        if (name === 'theta') return fail('theta needs an index: theta[n], theta[n-1], …');
        if (name === 'n') return fail('n may only appear in an index, theta[n-j]');
        if (name === 'grad') return fail('grad is a function: grad(theta[n])');
        const v = given.get(name);
        return scalar(v === undefined ? { num: symbolValue(ring, name), den: ring.one } : exact(v));
      }
      case 'AccessorNode': {
        const object = n['object'] as MathNode;
        const index = n['index'] as { dimensions: MathNode[] };
        if (object.type !== 'SymbolNode' || (object as unknown as { name: string }).name !== 'theta' || index.dimensions.length !== 1) {
          return fail(`${node.toString()}: only theta[…] may be indexed`);
        }
        return { kind: 'linear', terms: new Map([[`it:${lagOf(index.dimensions[0]!)}`, { coef: F.one, eta: 0 }]]) };
      }
      case 'FunctionNode': {
        const fn = n['fn'] as MathNode;
        const name = fn.type === 'SymbolNode' ? (fn as unknown as { name: string }).name : fn.toString();
        if (name !== 'grad') return fail(`${name}(…) is not allowed; only grad(…) of a linear combination of iterates`);
        const args = n['args'] as MathNode[];
        if (args.length !== 1) return fail('grad takes one argument');
        return { kind: 'linear', terms: new Map([[`gr:${stageOf(walk(args[0]!), args[0]!)}`, { coef: F.one, eta: 0 }]]) };
      }
      case 'OperatorNode': {
        const op = n['op'] as string;
        const args = (n['args'] as MathNode[]).map(walk);
        if (args.length === 1) {
          if (op === '-') return args[0]!.kind === 'scalar' ? scalar(F.neg(args[0]!.value), args[0]!.eta) : scale(args[0]!, scalar(F.fromInteger(-1)));
          if (op === '+') return args[0]!;
        }
        const [a, b] = args as [Value, Value];
        switch (op) {
          case '+':
            return add(a, b, 1);
          case '-':
            return add(a, b, -1);
          case '*':
            if (a.kind === 'scalar' && b.kind === 'scalar') return scalar(F.mul(a.value, b.value), a.eta + b.eta);
            if (a.kind === 'linear' && b.kind === 'linear') return fail(`${node.toString()} multiplies iterates or gradients together; the recurrence must be linear in them`);
            return a.kind === 'linear' ? scale(a, b as Scalar) : scale(b as Linear, a);
          case '/':
            if (b.kind !== 'scalar' || b.eta !== 0) return fail(`${node.toString()}: divide only by numbers and parameters`);
            if (F.isZero(b.value)) return fail(`${node.toString()} divides by zero`);
            return a.kind === 'scalar' ? scalar(F.div(a.value, b.value), a.eta) : scale(a, scalar(F.div(F.one, b.value)));
          case '^': {
            const e = (n['args'] as MathNode[])[1]!;
            const raw = e.type === 'ConstantNode' ? (e as unknown as { value: unknown }).value : undefined;
            const k = raw === undefined ? undefined : Number(String(raw));
            if (a.kind !== 'scalar' || a.eta !== 0 || typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k > 16) {
              return fail(`${node.toString()}: only parameters may be raised to a small integer power`);
            }
            let out = F.one;
            for (let i = 0; i < k; i++) out = F.mul(out, a.value);
            return scalar(out);
          }
        }
        return fail(`the operator ${op} is not allowed`);
      }
      default:
        return fail(`${node.toString()} is not allowed in a recurrence`);
    }
  };

  /** Register grad's argument as a stage (identical points share one stage) and return its index. */
  const stageOf = (v: Value, node: MathNode): number => {
    if (v.kind !== 'linear') return fail(`grad(${node.toString()}): the gradient must be taken at a combination of iterates`);
    const iterates: Fraction<unknown>[] = [];
    const gradients: Fraction<unknown>[] = [];
    for (const [k, t] of v.terms) {
      const [kind, idx] = k.split(':') as [string, string];
      const i = Number(idx);
      if (kind === 'it') {
        if (i < 0) fail('theta[n+1] inside grad(…) makes the recurrence implicit');
        if (t.eta !== 0) fail(`grad(${node.toString()}): eta may only multiply a gradient`);
        iterates[i] = t.coef;
      } else {
        if (t.eta !== 1) fail(`grad(${node.toString()}): each gradient inside grad(…) must be multiplied by eta exactly once`);
        gradients[i] = F.neg(t.coef);
      }
    }
    const stage: Stage<Fraction<unknown>> = {
      iterates: Array.from({ length: iterates.length }, (_, i) => iterates[i] ?? F.zero),
      gradients: Array.from({ length: gradients.length }, (_, i) => gradients[i] ?? F.zero),
    };
    const key = JSON.stringify([stage.iterates.map((x) => F.toString(x)), stage.gradients.map((x) => F.toString(x))]);
    const hit = stageKeys.indexOf(key);
    if (hit >= 0) return hit;
    stages.push(stage);
    stageKeys.push(key);
    return stages.length - 1;
  };

  const assignment = root as unknown as { type: string; object?: MathNode; index?: { dimensions: MathNode[] }; value?: MathNode };
  if (root.type !== 'AssignmentNode' || assignment.object?.type !== 'SymbolNode' || (assignment.object as unknown as { name: string }).name !== 'theta' || !assignment.index) {
    fail('write the recurrence as theta[n+1] = …');
  }
  if (assignment.index!.dimensions.length !== 1 || lagOf(assignment.index!.dimensions[0]!) !== -1) fail('the left side must be theta[n+1]');
  const rhs = walk(assignment.value!);
  if (rhs.kind !== 'linear') return fail('the right side must combine iterates and gradients');
  const history: Fraction<unknown>[] = [];
  const weights: Fraction<unknown>[] = stages.map(() => F.zero);
  for (const [k, t] of rhs.terms) {
    const [kind, idx] = k.split(':') as [string, string];
    const i = Number(idx);
    if (kind === 'it') {
      if (i < 0) fail('theta[n+1] appears on both sides; the recurrence must be explicit');
      if (t.eta !== 0) fail('eta may only multiply a gradient, e.g. eta*grad(theta[n])');
      history[i] = t.coef;
    } else {
      if (t.eta !== 1) fail('each gradient must be multiplied by eta exactly once (eta*grad(…))');
      weights[i] = F.neg(t.coef);
    }
  }
  // Gradients used only inside other gradients carry weight 0 in θ_{n+1}.
  const rule: UpdateRule<unknown> = {
    name: 'recurrence',
    description: `the recurrence ${text.replace(/\s+/g, ' ').trim()}`,
    ring,
    params: new Map(names.map((name) => [name, given.get(name) === undefined ? name : Rational.toString(given.get(name)!)] as const)),
    history: Array.from({ length: history.length }, (_, i) => history[i] ?? F.zero),
    stages,
    weights,
  };
  validateRecurrence(rule);
  if (symbols.length === 0 && rule.history.length > 1 && !parasiticRootsInside(rule.history as Rational[])) {
    fail('a root of the characteristic polynomial other than 1 lies on or outside the unit circle, so the iterates do not settle on one flow');
  }
  return rule;
}
