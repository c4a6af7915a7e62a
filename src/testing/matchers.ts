/**
 * Matchers for users' own test suites (vitest's `expect.extend`; they follow its matcher
 * contract, so jest's works too):
 *
 * - `toSatisfyIdentity(expression, { for: { k: [0, 3] } })` on `counterTerms(…)`: the claim
 *   expression is exactly zero (every k of the range);
 * - `toHaveConvergenceOrders()` on a `validate(…)` result: every fitted slope is within its
 *   tolerance of the predicted order;
 * - `toHoldAllClaims()` on a `runDerivation(…)` result.
 *
 * @example
 *   import { expect } from 'vitest';
 *   import { eomMatchers, counterTerms } from 'eomkit/testing';
 *   expect.extend(eomMatchers);
 *   expect(counterTerms('x^4 + y^2', 1)).toSatisfyIdentity('xi0 - 1/4*grad(norm2(g))');
 */
import type { ValidationResult } from '../simulate/validate.js';
import type { DerivationResult } from '../check/run.js';
import type { CounterTermsSubject } from './subject.js';
import { loopCases } from '../check/derivationFile.js';

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

interface IdentityOptions {
  /** Loop variables and their inclusive ranges, e.g. { k: [0, 4] }. */
  readonly for?: Readonly<Record<string, readonly [number, number]>>;
}

function isSubject(x: unknown): x is CounterTermsSubject {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'eomkit.counterTerms';
}

function cases(options: IdentityOptions): Record<string, number>[] {
  for (const [name, [from, to]] of Object.entries(options.for ?? {})) {
    // A reversed or fractional range would run no case (or odd ones) and pass vacuously.
    if (!Number.isInteger(from) || !Number.isInteger(to) || from > to) {
      throw new RangeError(`toSatisfyIdentity: for.${name} must be [from, to] with integers from ≤ to, got [${from}, ${to}]`);
    }
  }
  return loopCases(options.for);
}

export const eomMatchers = {
  toSatisfyIdentity(received: unknown, expression: string, options: IdentityOptions = {}): MatcherResult {
    if (!isSubject(received)) {
      return { pass: false, message: () => 'toSatisfyIdentity expects counterTerms(loss, order) from eomkit/testing' };
    }
    for (const b of cases(options)) {
      const verdict = received.check(expression, b);
      const where = Object.entries(b).map(([k, v]) => `${k} = ${v}`).join(', ');
      if (!verdict.zero && verdict.decided === false) {
        // Neither proved nor refuted: fail `expect(…)` and `expect(…).not` alike.
        throw new Error(`could not decide ${expression} = 0 for ${received.description}${where ? ` at ${where}` : ''}: ${verdict.residual}`);
      }
      if (!verdict.zero) {
        return { pass: false, message: () => `expected ${expression} = 0 for ${received.description}${where ? ` at ${where}` : ''}; it is not: ${verdict.residual}` };
      }
    }
    return { pass: true, message: () => `expected ${expression} not to vanish for ${received.description}, but it is exactly zero` };
  },

  toHaveConvergenceOrders(received: unknown): MatcherResult {
    const r = received as ValidationResult;
    if (!r || !Array.isArray(r.results)) return { pass: false, message: () => 'toHaveConvergenceOrders expects the result of validate(…)' };
    const lines = r.results.map(
      (o) => `${o.label}: local slope ${o.localSlope.toFixed(2)} (predicted ${o.expectedLocalSlope}), global ${o.globalSlope.toFixed(2)} (predicted ${o.expectedGlobalSlope})${o.passed ? '' : '  ← off'}`,
    );
    return {
      pass: r.passed,
      message: () => (r.passed ? `expected some slope to miss its prediction, but all match:\n${lines.join('\n')}` : `fitted slopes miss the predicted orders:\n${lines.join('\n')}`),
    };
  },

  toHoldAllClaims(received: unknown): MatcherResult {
    const r = received as DerivationResult;
    if (!r || !Array.isArray(r.results)) return { pass: false, message: () => 'toHoldAllClaims expects the result of runDerivation(…)' };
    const failed = r.results.filter((c) => !c.passed);
    return {
      pass: failed.length === 0,
      message: () =>
        failed.length ? `${failed.length} claim(s) of ${r.derivation.name} failed:\n${failed.map((c) => `${c.name}: ${c.detail}`).join('\n')}` : `expected a claim of ${r.derivation.name} to fail, but all hold`,
    };
  },
};

export interface EomMatchers<R = unknown> {
  toSatisfyIdentity(expression: string, options?: IdentityOptions): R;
  toHaveConvergenceOrders(): R;
  toHoldAllClaims(): R;
}
