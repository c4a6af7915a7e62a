/**
 * The adaptive optimisers by name, as PyTorch defines them (bias correction off: see below), with
 * hyperparameters that are exact numbers or kept as symbols:
 *
 *     adam:     m ← β1 m + (1 − β1) g,   v ← β2 v + (1 − β2) g⊙g,   θ ← θ − η m/(√v + ε)
 *     rmsprop:  v ← ρ v + (1 − ρ) g⊙g,                             θ ← θ − η g/(√v + ε)
 *
 * element-wise, ε outside the square root (torch.optim.Adam, torch.optim.RMSprop whose ρ is
 * called `alpha`). RMSProp is Adam with β1 = 0 and β2 = ρ, which is how the engine runs it.
 * PyTorch's Adam divides m and v by 1 − β1ⁿ⁺¹ and 1 − β2ⁿ⁺¹ (bias correction); the slow
 * manifold has no such factors (they tend to 1), so the EoM describes the uncorrected recurrence,
 * and a start at m = v = 0 with correction is a transient that decays like β2ⁿ.
 *
 * @example
 *   const spec = adaptiveMethod('rmsprop', new Map([['alpha', rational(99, 100)]]));
 *   spec.beta1 // 0 (exact);  spec.beta2 // 99/100;  spec.eps // undefined (symbolic "eps")
 */
import { Rational } from '../series/fraction.js';

export interface AdaptiveParameter {
  readonly name: string;
  /** Other names accepted (PyTorch's). */
  readonly aliases: readonly string[];
  readonly about: string;
}

export interface AdaptiveMethodSpec {
  readonly name: 'adam' | 'rmsprop';
  readonly description: string;
  readonly params: readonly AdaptiveParameter[];
  /** Where the series exists. */
  readonly condition: string;
}

const eps: AdaptiveParameter = { name: 'eps', aliases: ['epsilon'], about: 'ε added to √v (outside the root, as in PyTorch), ε ≥ 0' };

export const adaptiveMethods: ReadonlyMap<string, AdaptiveMethodSpec> = new Map<string, AdaptiveMethodSpec>([
  [
    'rmsprop',
    {
      name: 'rmsprop',
      description: 'RMSProp as in PyTorch: v ← ρv + (1−ρ)∇L⊙∇L, θ ← θ − η∇L/(√v + ε) (element-wise; ρ is PyTorch\'s alpha)',
      params: [{ name: 'rho', aliases: ['alpha'], about: 'decay ρ of the squared-gradient average, 0 ≤ ρ < 1' }, eps],
      condition: '0 <= rho < 1, eps >= 0; every g_i != 0 where eps = 0',
    },
  ],
  [
    'adam',
    {
      name: 'adam',
      description: 'Adam as in PyTorch without bias correction: m ← β1m + (1−β1)∇L, v ← β2v + (1−β2)∇L⊙∇L, θ ← θ − ηm/(√v + ε) (element-wise)',
      params: [
        { name: 'beta1', aliases: [], about: 'decay β1 of the gradient average, 0 ≤ β1 < 1' },
        { name: 'beta2', aliases: [], about: 'decay β2 of the squared-gradient average, 0 ≤ β2 < 1' },
        eps,
      ],
      condition: '0 <= beta1 < 1, 0 <= beta2 < 1, eps >= 0; every g_i != 0 where eps = 0',
    },
  ],
]);

/**
 * Highest order of closed forms for RMSProp and Adam: each order composes every lower one with
 * the flow, and the forms grow about tenfold per order (ξ_3 of a quartic in two parameters takes
 * seconds, ξ_4 minutes).
 */
export const MAX_ADAPTIVE_ORDER = 4;

/** A hyperparameter: an exact value, or undefined to keep it as a symbol of that name. */
export type AdaptiveValue = Rational | undefined;

/** A method with its hyperparameters resolved: β1 (0 for RMSProp), β2 (ρ) and ε, each exact or a symbol name. */
export interface AdaptiveRule {
  readonly spec: AdaptiveMethodSpec;
  /** name → exact value ("9/10") or, when symbolic, the name itself (as UpdateRule.params). */
  readonly params: ReadonlyMap<string, string>;
  readonly beta1: Rational | string;
  readonly beta2: Rational | string;
  readonly eps: Rational | string;
}

/**
 * Whether `name` is an adaptive method (`adam`, `rmsprop`).
 *
 * @example
 *   isAdaptiveMethod('adam') // true;  isAdaptiveMethod('heavy-ball') // false
 */
export function isAdaptiveMethod(name: string): boolean {
  return adaptiveMethods.has(name);
}

/**
 * The rule of an adaptive method from `--param` values (aliases accepted: alpha for rho). Refuses
 * unknown parameters, exact decays outside [0, 1) and a negative ε, with a RangeError.
 *
 * @example
 *   adaptiveRule('adam', new Map([['beta1', rational(9, 10)], ['eps', rational(0)]])).beta2 // 'beta2'
 */
export function adaptiveRule(name: string, given: ReadonlyMap<string, AdaptiveValue> = new Map()): AdaptiveRule {
  const spec = adaptiveMethods.get(name);
  if (!spec) throw new RangeError(`unknown adaptive method "${name}" (known: ${[...adaptiveMethods.keys()].join(', ')})`);
  const values = new Map<string, AdaptiveValue>();
  for (const [key, value] of given) {
    const param = spec.params.find((q) => q.name === key || q.aliases.includes(key));
    if (!param) throw new RangeError(`method "${name}" has no parameter "${key}" (its parameters: ${spec.params.map((q) => q.name).join(', ')})`);
    if (values.has(param.name)) throw new RangeError(`parameter "${param.name}" of "${name}" is given twice`);
    values.set(param.name, value);
  }
  const of = (p: string): Rational | string => values.get(p) ?? p;
  for (const p of spec.params) {
    const v = values.get(p.name);
    if (v === undefined) continue;
    if (p.name === 'eps' ? v.num < 0n : v.num < 0n || v.num >= v.den) {
      throw new RangeError(`${name}: ${p.name} = ${Rational.toString(v)} is outside its range (${p.about})`);
    }
  }
  const params = new Map(spec.params.map((q) => [q.name, values.get(q.name) === undefined ? q.name : Rational.toString(values.get(q.name)!)] as const));
  return spec.name === 'adam'
    ? { spec, params, beta1: of('beta1'), beta2: of('beta2'), eps: of('eps') }
    : { spec, params, beta1: Rational.zero, beta2: of('rho'), eps: of('eps') };
}
