/**
 * Counter terms of RMSProp and Adam for a user's loss, end to end: parse the loss, solve the slow
 * manifold (slowManifold.ts), and return them in the shape every loss output prints
 * (`LossCounterTerms`, with the element-wise leading factor c_i = 1/(|g_i| + ε)).
 *
 * @example
 *   const r = adaptiveCounterTerms('x^4/4 + x*y + y^2', { order: 1, rule: adaptiveRule('adam', new Map([['eps', rational(0)]])) });
 *   lossCounterTermsText(r) // ξ_0, ξ_1 in beta1, beta2 and sqrt(g_i^2)
 */
import { Rational } from '../series/fraction.js';
import type { LossCounterTerms } from '../loss/counterTerms.js';
import { LossError } from '../loss/errors.js';
import { Loss, type LossOptions } from '../loss/loss.js';
import { hyperparameters, solveSlowManifold } from './slowManifold.js';
import { MAX_ADAPTIVE_ORDER, type AdaptiveRule } from './methods.js';

export interface AdaptiveCounterTermsOptions extends LossOptions {
  /** Highest k (default 1). */
  readonly order?: number;
  readonly rule: AdaptiveRule;
  readonly onProgress?: (k: number) => void;
}

/**
 * ξ_0 … ξ_K of an adaptive method for a loss, exact, as the loss layer's normal forms.
 *
 * @example
 *   adaptiveCounterTerms('x^2/2', { order: 0, rule: adaptiveRule('rmsprop', new Map([['rho', rational(1, 2)], ['eps', rational(0)]])) }).xi[0] // [−1/x]
 */
export function adaptiveCounterTerms(source: string, options: AdaptiveCounterTermsOptions): LossCounterTerms {
  const K = options.order ?? 1;
  if (!Number.isInteger(K) || K < 0) throw new RangeError(`order must be a non-negative integer, got ${K}`);
  if (K > MAX_ADAPTIVE_ORDER) throw new RangeError(`order must be at most ${MAX_ADAPTIVE_ORDER} for ${options.rule.spec.name} (each order costs about ten times the one before), got ${K}`);
  const { rule } = options;
  const loss = Loss.parse(source, options);
  const clash = [...rule.params.keys()].filter((p) => loss.vars.includes(p) || (rule.params.get(p) === p && loss.constants.includes(p)));
  if (clash.length) throw new LossError(`"${clash[0]}" is both a name in the loss and a hyperparameter of ${rule.spec.name}; rename one`);
  const solved = solveSlowManifold(loss, hyperparameters(loss.table, rule), K, options.onProgress);
  return {
    loss,
    order: K,
    xi: solved.xi,
    rule: { name: rule.spec.name, params: rule.params },
    // The scalar slot holds c's first component; every output reads the vector from `elementwise`.
    leading: solved.leading[0]!,
    elementwise: { leading: solved.leading, leadingText: leadingText(rule), validity: validity(rule) },
  };
}

/** c_i = 1/(|g_i| + ε) with |g_i| = sqrt(g_i^2), mathjs-parsable with g_i as a name. */
function leadingText(rule: AdaptiveRule): string {
  const eps = typeof rule.eps === 'string' ? rule.eps : Rational.toString(rule.eps);
  return eps === '0' ? '1/sqrt(g_i^2)' : `1/(sqrt(g_i^2) + ${eps})`;
}

/** Where the closed forms hold. */
function validity(rule: AdaptiveRule): string {
  const zero = typeof rule.eps !== 'string' && Rational.isZero(rule.eps);
  const beta = rule.spec.name === 'adam' ? 'max(beta1, beta2)' : 'rho';
  const where = zero ? 'where every g_i != 0 (eps = 0)' : typeof rule.eps === 'string' ? 'where eps > 0, or where every g_i != 0' : 'everywhere (eps > 0)';
  return `${where}; the series needs η·|λ|max/((min|g_i| + eps)(1 - ${beta})) ≪ 1`;
}
