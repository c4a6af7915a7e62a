/**
 * eomkit: counter terms of the continuous-time Equation of Motion of gradient descent.
 *
 * @example
 *   import { solveCounterTerms, seriesText } from 'eomkit';
 *   const xi = solveCounterTerms(1);
 *   seriesText(xi[1]); // "1/3 H^2 g + 1/12 ∇³L[g, g]"
 */
export * from './trees/index.js';
export * from './series/index.js';
export * from './derive/index.js';
export * from './notation/index.js';
export * from './export/index.js';
export * from './loss/index.js';
export * from './adaptive/index.js';
export * from './compile/index.js';
export * from './simulate/index.js';
export * from './report/index.js';
export * from './check/index.js';
export * from './symmetry/index.js';
