/**
 * A derivation as data (one JSON file in derivations/): its name, its source, its inputs and its
 * claims. Inputs are abstract (true for every loss, optionally assuming a quadratic loss), a
 * concrete loss with parameters, constants, weight decay and a declared symmetry, or SGD's batch
 * losses L_1 … L_m with their sampling (L is their mean). A claim is
 * symbolic (an expression that must be exactly zero, optionally for a range of k) or numeric (a
 * prediction compared with gradient-descent simulations, with a tolerance).
 *
 * @example
 *   parseDerivation(JSON.parse(text), 'derivations/published.json').claims[0].kind // 'symbolic'
 */
import { MAX_BATCH_LOSSES } from '../loss/counterTerms.js';
import type { Sampling } from '../derive/sgd.js';
import { parseClaimExpression } from './expression.js';
import { ClaimError } from './values.js';

/** Most cases one looped claim may run (k = 0..10 is 11). */
export const MAX_LOOP_CASES = 1000;

export interface AbstractInputs {
  readonly abstract: true;
  /** An update rule's name (gd, extragradient, …); default gd. */
  readonly rule?: string;
  /** The rule's hyperparameters: name → exact value ("9/10"), or the name itself to keep it symbolic. */
  readonly params?: ReadonlyMap<string, string>;
  readonly assume?: 'quadratic';
}

export interface LossInputs {
  readonly abstract?: false;
  readonly loss: string;
  readonly vars?: readonly string[];
  /** Exact values of constants, substituted before deriving. */
  readonly values?: Readonly<Record<string, string>>;
  /** λ: a number or a name that stays symbolic. */
  readonly weightDecay?: string;
  readonly symmetry?: { readonly kind: 'scale' | 'translation'; readonly group: readonly string[] };
  readonly rule?: string;
  /** The rule's hyperparameters: name → exact value ("9/10"), or the name itself to keep it symbolic. */
  readonly params?: ReadonlyMap<string, string>;
}

/** SGD over mini-batches: the batch losses L_1 … L_m (L is their mean) and how an epoch visits them. */
export interface BatchInputs {
  readonly abstract?: false;
  readonly batches: readonly string[];
  readonly sampling: Sampling;
  readonly vars?: readonly string[];
  readonly values?: Readonly<Record<string, string>>;
  /** λ, added to every L_k (so to L). */
  readonly weightDecay?: string;
}

export type Inputs = AbstractInputs | LossInputs | BatchInputs;

/**
 * Whether the inputs are SGD's batch losses.
 *
 * @example
 *   isBatchInputs({ batches: ['x^2', '(x-1)^2'], sampling: 'shuffle' }) // true
 */
export function isBatchInputs(inputs: Inputs): inputs is BatchInputs {
  return 'batches' in inputs;
}

/** k (or another loop variable) from `from` to `to`, inclusive. */
export type Loop = Readonly<Record<string, readonly [number, number]>>;

/**
 * Every binding of a loop's variables, in order: { k: [0, 2] } gives k = 0, 1, 2; no loop gives one
 * empty binding.
 *
 * @example
 *   loopCases({ k: [0, 1], j: [5, 5] }) // [{ k: 0, j: 5 }, { k: 1, j: 5 }]
 */
export function loopCases(loop: Loop | undefined): Record<string, number>[] {
  let out: Record<string, number>[] = [{}];
  for (const [name, [from, to]] of Object.entries(loop ?? {})) {
    out = out.flatMap((b) => Array.from({ length: to - from + 1 }, (_, i) => ({ ...b, [name]: from + i })));
  }
  return out;
}

export interface SymbolicClaim {
  readonly kind: 'symbolic';
  readonly name: string;
  /** Must evaluate to exactly zero (a scalar, or every component of a vector). */
  readonly expression: string;
  readonly for?: Loop;
}

export interface FlowsClaim {
  readonly kind: 'numeric';
  readonly check: 'symmetry-flows';
  readonly name: string;
  readonly init: Readonly<Record<string, number>>;
  /** Numeric values of the constants left symbolic (e.g. lambda). */
  readonly constants?: Readonly<Record<string, number>>;
  readonly lrs: readonly number[];
  readonly horizon: number;
  readonly orders: readonly number[];
  /** The fitted slope of each EoM_K's error must be within this of K + 2 (default 0.3). */
  readonly slopeTolerance?: number;
  /** Relative tolerance of the ODE integrator (default 1e-13; looser is faster on costly losses). */
  readonly integratorTolerance?: number;
}

export interface ConvergenceClaim {
  readonly kind: 'numeric';
  readonly check: 'convergence';
  readonly name: string;
  readonly init: Readonly<Record<string, number>>;
  readonly constants?: Readonly<Record<string, number>>;
  readonly order: number;
  readonly lrs: readonly number[];
  readonly horizon?: number;
  readonly slopeTolerance?: number;
}

/**
 * The symmetry's closed form of EoM_K (d‖θ‖²/dt or d(1·θ_A)/dt) against the loss's own compiled
 * EoM_K field, at sample points and learning rates: for orders where the exact check is too large.
 */
export interface ClosedFormClaim {
  readonly kind: 'numeric';
  readonly check: 'closed-form';
  readonly name: string;
  readonly points: readonly Readonly<Record<string, number>>[];
  readonly constants?: Readonly<Record<string, number>>;
  readonly lrs: readonly number[];
  readonly orders: readonly number[];
  /** Largest relative difference accepted (default 1e-9). */
  readonly tolerance?: number;
}

export type NumericClaim = FlowsClaim | ConvergenceClaim | ClosedFormClaim;
export type Claim = SymbolicClaim | NumericClaim;

export interface Derivation {
  readonly file: string;
  readonly name: string;
  readonly title: string;
  /** A paper's section or equation, or "derived here". */
  readonly source: string;
  readonly inputs: Inputs;
  readonly claims: readonly Claim[];
}

/** Validate parsed JSON; errors name the file and the field. */
export function parseDerivation(data: unknown, file: string): Derivation {
  const at = (path: string, msg: string) => new ClaimError(`${file}: ${path}: ${msg}`);
  const obj = (v: unknown, path: string): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw at(path, 'must be an object');
    return v as Record<string, unknown>;
  };
  const str = (v: unknown, path: string): string => {
    if (typeof v !== 'string' || v.trim() === '') throw at(path, 'must be a non-empty string');
    return v;
  };
  const num = (v: unknown, path: string, test: (x: number) => boolean = Number.isFinite, what = 'a finite number'): number => {
    if (typeof v !== 'number' || !test(v)) throw at(path, `must be ${what}`);
    return v;
  };
  const params = (v: unknown): Map<string, string> => {
    const o = obj(v, 'inputs.params');
    const out = new Map<string, string>();
    for (const [k, x] of Object.entries(o)) {
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(k)) throw at('inputs.params', `"${k}" is not a parameter name`);
      out.set(k, str(x, `inputs.params.${k}`));
    }
    return out;
  };
  const list = <T>(v: unknown, path: string, each: (x: unknown, p: string) => T, minLength = 1): T[] => {
    if (!Array.isArray(v) || v.length < minLength) throw at(path, `must be a list of at least ${minLength}`);
    return v.map((x, i) => each(x, `${path}[${i}]`));
  };
  const record = (v: unknown, path: string): Record<string, number> => {
    const o = obj(v, path);
    for (const [k, x] of Object.entries(o)) num(x, `${path}.${k}`);
    return o as Record<string, number>;
  };
  const constantValues = (v: unknown): Record<string, string> | undefined => {
    if (v === undefined) return undefined;
    const o = obj(v, 'inputs.values');
    for (const [k, x] of Object.entries(o)) str(x, `inputs.values.${k}`);
    return o as Record<string, string>;
  };
  const allowed = (o: Record<string, unknown>, path: string, keys: string[]) => {
    for (const k of Object.keys(o)) if (!keys.includes(k)) throw at(path, `unknown field "${k}" (expected: ${keys.join(', ')})`);
  };

  const root = obj(data, '(top level)');
  allowed(root, '(top level)', ['$comment', 'name', 'title', 'source', 'inputs', 'claims']);
  const name = str(root.name, 'name');
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw at('name', 'must be lower-case words joined by "-"');
  const inputsObj = obj(root.inputs, 'inputs');
  let inputs: Inputs;
  if (inputsObj.abstract === true) {
    allowed(inputsObj, 'inputs', ['$comment', 'abstract', 'rule', 'params', 'assume']);
    if (inputsObj.assume !== undefined && inputsObj.assume !== 'quadratic') throw at('inputs.assume', 'can only be "quadratic"');
    inputs = {
      abstract: true,
      ...(inputsObj.rule !== undefined ? { rule: str(inputsObj.rule, 'inputs.rule') } : {}),
      ...(inputsObj.params !== undefined ? { params: params(inputsObj.params) } : {}),
      ...(inputsObj.assume !== undefined ? { assume: 'quadratic' as const } : {}),
    };
  } else if (inputsObj.batches !== undefined) {
    if (inputsObj.loss !== undefined) throw at('inputs', 'give "batches" or "loss", not both (with batches, L is their mean)');
    allowed(inputsObj, 'inputs', ['$comment', 'abstract', 'batches', 'sampling', 'vars', 'values', 'weightDecay']);
    const batches = list(inputsObj.batches, 'inputs.batches', str);
    if (batches.length > MAX_BATCH_LOSSES) throw at('inputs.batches', `at most ${MAX_BATCH_LOSSES} batch losses, got ${batches.length}`);
    if (inputsObj.sampling !== 'shuffle' && inputsObj.sampling !== 'cyclic') throw at('inputs.sampling', 'must be "shuffle" or "cyclic"');
    const values = constantValues(inputsObj.values);
    inputs = {
      batches,
      sampling: inputsObj.sampling,
      ...(inputsObj.vars !== undefined ? { vars: list(inputsObj.vars, 'inputs.vars', str) } : {}),
      ...(values ? { values } : {}),
      ...(inputsObj.weightDecay !== undefined ? { weightDecay: str(inputsObj.weightDecay, 'inputs.weightDecay') } : {}),
    };
  } else {
    allowed(inputsObj, 'inputs', ['$comment', 'abstract', 'loss', 'vars', 'values', 'weightDecay', 'symmetry', 'rule', 'params']);
    const sym = inputsObj.symmetry === undefined ? undefined : obj(inputsObj.symmetry, 'inputs.symmetry');
    if (sym) {
      allowed(sym, 'inputs.symmetry', ['kind', 'group']);
      if (sym.kind !== 'scale' && sym.kind !== 'translation') throw at('inputs.symmetry.kind', 'must be "scale" or "translation"');
    }
    const values = constantValues(inputsObj.values);
    inputs = {
      loss: str(inputsObj.loss, 'inputs.loss'),
      ...(inputsObj.vars !== undefined ? { vars: list(inputsObj.vars, 'inputs.vars', str) } : {}),
      ...(values ? { values } : {}),
      ...(inputsObj.weightDecay !== undefined ? { weightDecay: str(inputsObj.weightDecay, 'inputs.weightDecay') } : {}),
      ...(sym ? { symmetry: { kind: sym.kind as 'scale' | 'translation', group: list(sym.group, 'inputs.symmetry.group', str) } } : {}),
      ...(inputsObj.rule !== undefined ? { rule: str(inputsObj.rule, 'inputs.rule') } : {}),
      ...(inputsObj.params !== undefined ? { params: params(inputsObj.params) } : {}),
    };
  }
  const claims = list(root.claims, 'claims', (c, path): Claim => {
    const o = obj(c, path);
    const claimName = str(o.name, `${path}.name`);
    if (o.kind === 'symbolic') {
      allowed(o, path, ['kind', 'name', 'expression', 'for', 'source']);
      let loop: Loop | undefined;
      if (o.for !== undefined) {
        const f = obj(o.for, `${path}.for`);
        const entries = Object.entries(f).map(([k, r]): [string, readonly [number, number]] => {
          const range = list(r, `${path}.for.${k}`, (x, p) => num(x, p, Number.isInteger, 'an integer'), 2);
          if (range.length !== 2 || range[0]! > range[1]!) throw at(`${path}.for.${k}`, 'must be [from, to] with from ≤ to');
          return [k, [range[0]!, range[1]!]];
        });
        loop = Object.fromEntries(entries);
      }
      const expression = str(o.expression, `${path}.expression`);
      try {
        parseClaimExpression(expression); // a syntax error is a malformed file, not a failed claim
      } catch (e) {
        throw at(`${path}.expression`, (e as Error).message);
      }
      const cases = Object.values(loop ?? {}).reduce((n, [a, b]) => n * (b - a + 1), 1);
      if (cases > MAX_LOOP_CASES) throw at(`${path}.for`, `runs ${cases} cases; at most ${MAX_LOOP_CASES}`);
      return { kind: 'symbolic', name: claimName, expression, ...(loop ? { for: loop } : {}) };
    }
    if (o.kind === 'numeric') {
      if (isBatchInputs(inputs)) throw at(`${path}.kind`, 'numeric claims simulate gradient descent; SGD inputs ("batches") take symbolic claims (simulate SGD with eom validate --method sgd)');
      const positive = (x: number) => Number.isFinite(x) && x > 0;
      if (o.check === 'symmetry-flows') {
        allowed(o, path, ['kind', 'check', 'name', 'init', 'constants', 'lrs', 'horizon', 'orders', 'slopeTolerance', 'integratorTolerance', 'source']);
        return {
          kind: 'numeric',
          check: 'symmetry-flows',
          name: claimName,
          init: record(o.init, `${path}.init`),
          ...(o.constants !== undefined ? { constants: record(o.constants, `${path}.constants`) } : {}),
          lrs: list(o.lrs, `${path}.lrs`, (x, p) => num(x, p, positive, 'a positive number'), 3),
          horizon: num(o.horizon, `${path}.horizon`, positive, 'a positive number'),
          orders: list(o.orders, `${path}.orders`, (x, p) => num(x, p, (v) => Number.isInteger(v) && v >= 0 && v <= 8, 'an integer from 0 to 8')),
          ...(o.slopeTolerance !== undefined ? { slopeTolerance: num(o.slopeTolerance, `${path}.slopeTolerance`, positive, 'a positive number') } : {}),
          ...(o.integratorTolerance !== undefined
            ? { integratorTolerance: num(o.integratorTolerance, `${path}.integratorTolerance`, (x) => x >= 1e-15 && x <= 1e-6, 'between 1e-15 and 1e-6') }
            : {}),
        };
      }
      if (o.check === 'convergence') {
        allowed(o, path, ['kind', 'check', 'name', 'init', 'constants', 'order', 'lrs', 'horizon', 'slopeTolerance', 'source']);
        return {
          kind: 'numeric',
          check: 'convergence',
          name: claimName,
          init: record(o.init, `${path}.init`),
          ...(o.constants !== undefined ? { constants: record(o.constants, `${path}.constants`) } : {}),
          order: num(o.order, `${path}.order`, (v) => Number.isInteger(v) && v >= 0 && v <= 8, 'an integer from 0 to 8'),
          lrs: list(o.lrs, `${path}.lrs`, (x, p) => num(x, p, positive, 'a positive number'), 3),
          ...(o.horizon !== undefined ? { horizon: num(o.horizon, `${path}.horizon`, positive, 'a positive number') } : {}),
          ...(o.slopeTolerance !== undefined ? { slopeTolerance: num(o.slopeTolerance, `${path}.slopeTolerance`, positive, 'a positive number') } : {}),
        };
      }
      if (o.check === 'closed-form') {
        allowed(o, path, ['kind', 'check', 'name', 'points', 'constants', 'lrs', 'orders', 'tolerance', 'source']);
        return {
          kind: 'numeric',
          check: 'closed-form',
          name: claimName,
          points: list(o.points, `${path}.points`, (x, p) => record(x, p)),
          ...(o.constants !== undefined ? { constants: record(o.constants, `${path}.constants`) } : {}),
          lrs: list(o.lrs, `${path}.lrs`, (x, p) => num(x, p, positive, 'a positive number')),
          orders: list(o.orders, `${path}.orders`, (x, p) => num(x, p, (v) => Number.isInteger(v) && v >= -1 && v <= 8, 'an integer from -1 to 8')),
          ...(o.tolerance !== undefined ? { tolerance: num(o.tolerance, `${path}.tolerance`, positive, 'a positive number') } : {}),
        };
      }
      throw at(`${path}.check`, 'must be "symmetry-flows", "convergence" or "closed-form"');
    }
    throw at(`${path}.kind`, 'must be "symbolic" or "numeric"');
  });
  return {
    file,
    name,
    title: root.title === undefined ? name : str(root.title, 'title'),
    source: str(root.source, 'source'),
    inputs,
    claims,
  };
}
