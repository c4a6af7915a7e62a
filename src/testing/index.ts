/**
 * eomkit/testing: check derivations in your own test suite.
 *
 * @example
 *   import { expect, test } from 'vitest';
 *   import { eomMatchers, counterTerms } from 'eomkit/testing';
 *   expect.extend(eomMatchers);
 *   test('implicit regulariser', () => {
 *     expect(counterTerms('log(1 + exp(-x*y))', 1)).toSatisfyIdentity('xi0 - 1/4*grad(norm2(g))');
 *   });
 *
 * For TypeScript, declare the matchers once (e.g. in a vitest.d.ts):
 *   import type { EomMatchers } from 'eomkit/testing';
 *   declare module 'vitest' { interface Assertion<T = any> extends EomMatchers<T> {} }
 */
export { eomMatchers, type EomMatchers } from './matchers.js';
export { counterTerms, type CounterTermsSubject, type CounterTermsOptions } from './subject.js';
export { runDerivation, type DerivationResult } from '../check/run.js';
export { readDerivation, loadDerivations } from '../check/load.js';
export { parseDerivation } from '../check/derivationFile.js';
