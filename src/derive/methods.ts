/**
 * The optimisers eomkit knows by name, each a recurrence (updateRule.ts (3.1)) with hyperparameters
 * that are exact numbers or symbols. A hyperparameter without a value stays a symbol, and the
 * coefficients then live in Q(β) (rings of polynomials in the symbols, series/symbols.ts).
 *
 * - heavy-ball: θ_{n+1} = θ_n − η g(θ_n) + β(θ_n − θ_{n−1}) (PyTorch SGD, momentum β, dampening 0).
 * - nesterov (PyTorch's nesterov=True): v ← βv + g(θ), θ ← θ − η(g(θ) + βv), i.e.
 *   θ_{n+1} = (1+β)θ_n − βθ_{n−1} − η[(1+β) g(θ_n) − β g(θ_{n−1})].
 * - nesterov-lookahead: θ_{n+1} = y_n − η g(y_n), y_n = θ_n + β(θ_n − θ_{n−1}).
 * - midpoint, heun, rk4: explicit Runge–Kutta methods on the gradient flow.
 *
 * @example
 *   const hb = methodRule('heavy-ball', new Map([['beta', undefined]]));   // β symbolic
 *   new CounterTermSolver(hb).xi(0) // (1 + β)/(2(1 − β)³) H g
 */
import { FractionField, Rational, parseRational, rational, type Fraction } from '../series/fraction.js';
import { decimalToRational } from '../series/decimal.js';
import type { Field } from '../series/field.js';
import { symbolRing, symbolValue } from '../series/symbols.js';
import { parasiticRootsInside } from './stability.js';
import { explicitRungeKuttaRule, extragradient, gradientDescent, validateRecurrence, type Recurrence, type UpdateRule } from './updateRule.js';

export interface MethodParameter {
  readonly name: string;
  /** Other names accepted for it (PyTorch's, e.g. "momentum"). */
  readonly aliases: readonly string[];
  readonly about: string;
}

export interface MethodSpec {
  readonly name: string;
  /** One line with the update, in terms of the parameters. */
  readonly description: string;
  readonly params: readonly MethodParameter[];
  /** Where the series exists, in the parameters (printed when they are symbolic). */
  readonly condition?: string;
  build<C>(F: Field<C>, p: (name: string) => C): { recurrence: Recurrence<C>; restFirstStep?: Recurrence<C> };
}

/**
 * A hyperparameter's exact value from "0.9" (exact decimal: 9/10), "1e-3" or "9/10"; a RangeError
 * or SyntaxError otherwise.
 *
 * @example
 *   parameterValue('0.9') // 9/10
 */
export function parameterValue(text: string): Rational {
  return /\//.test(text) ? parseRational(text) : decimalToRational(text);
}

/** A hyperparameter value: exact, or undefined to keep it as a symbol. */
export type ParameterValues = ReadonlyMap<string, Rational | undefined>;

const beta: MethodParameter = { name: 'beta', aliases: ['momentum'], about: 'momentum coefficient β, |β| < 1' };

const at = <C>(one: C): Recurrence<C>['stages'][number] => ({ iterates: [one], gradients: [] });

const heavyBall: MethodSpec = {
  name: 'heavy-ball',
  description: 'heavy-ball momentum θ_{n+1} = θ_n − η∇L(θ_n) + β(θ_n − θ_{n−1})',
  params: [beta],
  condition: '|beta| < 1',
  build: (F, p) => ({
    recurrence: { history: [F.add(F.one, p('beta')), F.neg(p('beta'))], stages: [at(F.one)], weights: [F.one] },
  }),
};

const nesterov: MethodSpec = {
  name: 'nesterov',
  description: "Nesterov momentum as in PyTorch: v ← βv + ∇L(θ), θ ← θ − η(∇L(θ) + βv)",
  params: [beta],
  condition: '|beta| < 1',
  build: (F, p) => ({
    recurrence: {
      history: [F.add(F.one, p('beta')), F.neg(p('beta'))],
      stages: [at(F.one), { iterates: [F.zero, F.one], gradients: [] }],
      weights: [F.add(F.one, p('beta')), F.neg(p('beta'))],
    },
    // PyTorch's first step (empty buffer: v = ∇L(θ_0)) is θ_1 = θ_0 − η(1 + β)∇L(θ_0).
    restFirstStep: { history: [F.one], stages: [at(F.one)], weights: [F.add(F.one, p('beta'))] },
  }),
};

const nesterovLookahead: MethodSpec = {
  name: 'nesterov-lookahead',
  description: "Nesterov's look-ahead form θ_{n+1} = y_n − η∇L(y_n), y_n = θ_n + β(θ_n − θ_{n−1})",
  params: [beta],
  condition: '|beta| < 1',
  build: (F, p) => {
    const history = [F.add(F.one, p('beta')), F.neg(p('beta'))];
    return { recurrence: { history, stages: [{ iterates: history, gradients: [] }], weights: [F.one] } };
  },
};

/** A rule without hyperparameters, as a method. */
function fixed(rule: UpdateRule): MethodSpec {
  return {
    name: rule.name,
    description: rule.description,
    params: [],
    build: <C>(F: Field<C>) => {
      // The rule's rational coefficients, re-expressed in the field F (which contains Q).
      const lift = (x: Rational): C => F.div(F.fromInteger(x.num), F.fromInteger(x.den));
      return {
        recurrence: {
          history: rule.history.map(lift),
          stages: rule.stages.map((s) => ({ iterates: s.iterates.map(lift), gradients: s.gradients.map(lift) })),
          weights: rule.weights.map(lift),
        },
      };
    },
  };
}

const r = rational;
/** The explicit midpoint rule: a₂₁ = 1/2, b = (0, 1). */
export const midpoint = explicitRungeKuttaRule('midpoint', 'explicit midpoint rule θ ← θ − η∇L(θ − ½η∇L(θ))', {
  a: [
    [r(0), r(0)],
    [r(1, 2), r(0)],
  ],
  b: [r(0), r(1)],
});
/** Heun's method: a₂₁ = 1, b = (1/2, 1/2). */
export const heun = explicitRungeKuttaRule('heun', "Heun's method θ ← θ − ½η[∇L(θ) + ∇L(θ − η∇L(θ))]", {
  a: [
    [r(0), r(0)],
    [r(1), r(0)],
  ],
  b: [r(1, 2), r(1, 2)],
});
/** The classical fourth-order Runge–Kutta method. */
export const rk4 = explicitRungeKuttaRule('rk4', 'classical Runge–Kutta (RK4) on the gradient flow', {
  a: [
    [r(0), r(0), r(0), r(0)],
    [r(1, 2), r(0), r(0), r(0)],
    [r(0), r(1, 2), r(0), r(0)],
    [r(0), r(0), r(1), r(0)],
  ],
  b: [r(1, 6), r(1, 3), r(1, 3), r(1, 6)],
});

/** Every method by name (what `--method` accepts). */
export const methods: ReadonlyMap<string, MethodSpec> = new Map(
  [fixed(gradientDescent), heavyBall, nesterov, nesterovLookahead, fixed(extragradient), fixed(midpoint), fixed(heun), fixed(rk4)].map((m) => [m.name, m] as const),
);

/**
 * The update rule of a method with the given hyperparameters (missing ones stay symbolic).
 * Refuses unknown parameters and, for exact values, a recurrence whose parasitic roots are not
 * strictly inside the unit circle (stability.ts).
 */
export function methodRule(name: string, given: ParameterValues = new Map()): UpdateRule<unknown> {
  const spec = methods.get(name);
  if (!spec) throw new RangeError(`unknown method "${name}" (known: ${[...methods.keys()].join(', ')})`);
  const values = new Map<string, Rational | undefined>();
  for (const [key, value] of given) {
    const param = spec.params.find((q) => q.name === key || q.aliases.includes(key));
    if (!param) {
      const known = spec.params.length ? `its parameters: ${spec.params.map((q) => q.name).join(', ')}` : 'it has no parameters';
      throw new RangeError(`method "${name}" has no parameter "${key}" (${known})`);
    }
    if (values.has(param.name)) throw new RangeError(`parameter "${param.name}" of "${name}" is given twice`);
    values.set(param.name, value);
  }
  return instantiate(spec, values);
}

/**
 * The rule of a method spec for exact values or symbols: the numerator ring is Z[symbols…]
 * (the integers when every parameter has a value).
 */
export function instantiate(spec: MethodSpec, values: ParameterValues): UpdateRule<unknown> {
  const symbols = spec.params.map((q) => q.name).filter((q) => values.get(q) === undefined);
  const ring = symbolRing(symbols);
  const F = new FractionField(ring);
  const p = (q: string): Fraction<unknown> => {
    if (!spec.params.some((x) => x.name === q)) throw new RangeError(`method "${spec.name}" reads an undeclared parameter "${q}"`);
    const v = values.get(q);
    return v === undefined ? { num: symbolValue(ring, q), den: ring.one } : F.make(ring.fromInteger(v.num), ring.fromInteger(v.den));
  };
  const { recurrence, restFirstStep } = spec.build(F, p);
  const params = new Map(spec.params.map((q) => [q.name, values.get(q.name) === undefined ? q.name : Rational.toString(values.get(q.name)!)] as const));
  const rule: UpdateRule<unknown> = {
    name: spec.name,
    description: spec.description,
    ring,
    params,
    ...recurrence,
    ...(restFirstStep ? { restFirstStep } : {}),
    ...(spec.condition && symbols.length ? { condition: spec.condition } : {}),
  };
  try {
    validateRecurrence(rule);
  } catch (e) {
    const shown = [...params].map(([k, v]) => (k === v ? k : `${k} = ${v}`)).join(', ');
    throw new RangeError(`${spec.name}${shown ? ` with ${shown}` : ''}: ${(e as Error).message.replace(/^update rule "[^"]*": /, '')}${spec.condition ? `; the series needs ${spec.condition}` : ''}`);
  }
  if (symbols.length === 0) {
    const history = rule.history.map((x) => x as Rational);
    if (history.length > 1 && !parasiticRootsInside(history)) {
      const shown = [...params].map(([k, v]) => `${k} = ${v}`).join(', ');
      throw new RangeError(
        `${spec.name}${shown ? ` with ${shown}` : ''}: the iterates do not settle on one flow (a root of the characteristic polynomial other than 1 lies on or outside the unit circle${spec.condition ? `; the series needs ${spec.condition}` : ''})`,
      );
    }
  }
  return rule;
}
