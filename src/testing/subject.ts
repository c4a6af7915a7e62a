/**
 * What the matchers look at: the counter terms of a loss (or of every loss, abstractly) with the
 * claim language of derivations ready to evaluate on them.
 *
 * @example
 *   const xi = counterTerms('x^4 + x*y^2', 1);
 *   xi.check('xi0 - 1/4*grad(norm2(g))').zero // true
 */
import { gradientDescent, updateRules, type UpdateRule } from '../derive/updateRule.js';
import { Loss, type LossOptions } from '../loss/loss.js';
import { rational } from '../series/fraction.js';
import { abstractSemantics } from '../check/abstractSemantics.js';
import { concreteSemantics } from '../check/concreteSemantics.js';
import { CounterTermSource } from '../check/counterTermSource.js';
import { evaluateClaim, parseClaimExpression } from '../check/expression.js';
import type { Semantics, ZeroVerdict } from '../check/values.js';

export interface CounterTermsSubject {
  readonly kind: 'eomkit.counterTerms';
  /** The loss's source, or "abstract". */
  readonly description: string;
  readonly order: number;
  /** Evaluate a claim expression; `bindings` gives loop variables (k = 2). */
  check(expression: string, bindings?: Readonly<Record<string, number>>): ZeroVerdict;
}

export interface CounterTermsOptions extends LossOptions {
  /** An update rule or its name (default gradient descent). */
  readonly rule?: UpdateRule | string;
}

/**
 * The counter terms ξ_0 … ξ_order of a loss given as text, or of every loss with `'abstract'`.
 * Nothing is computed until a claim asks for it.
 */
export function counterTerms(loss: string, order: number, options: CounterTermsOptions = {}): CounterTermsSubject {
  if (!Number.isInteger(order) || order < 0) throw new RangeError(`order must be a non-negative integer, got ${order}`);
  const rule = typeof options.rule === 'string' ? updateRules.get(options.rule) : (options.rule ?? gradientDescent);
  if (!rule) throw new RangeError(`unknown update rule "${String(options.rule)}" (known: ${[...updateRules.keys()].join(', ')})`);
  const source = new CounterTermSource(rule, undefined, undefined, order);
  let sem: Semantics<unknown, unknown>;
  if (loss === 'abstract') sem = abstractSemantics(source) as Semantics<unknown, unknown>;
  else {
    const { rule: _rule, ...lossOptions } = options;
    const full = Loss.parse(loss, lossOptions);
    sem = concreteSemantics({ loss: full, lossWithoutDecay: full.withoutWeightDecay(), source }) as unknown as Semantics<unknown, unknown>;
  }
  return {
    kind: 'eomkit.counterTerms',
    description: loss,
    order,
    check(expression, bindings = {}) {
      const b = Object.fromEntries(Object.entries(bindings).map(([k, v]) => [k, rational(v)]));
      return sem.isZero(evaluateClaim(parseClaimExpression(expression), sem, b));
    },
  };
}
