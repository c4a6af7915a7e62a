/**
 * Bench cases for optimisers as data: the solver on momentum recurrences with β exact (the same
 * integer arithmetic as gradient descent) and with β kept as a symbol (coefficients in Q(β)).
 */
import { CounterTermSolver } from '../src/derive/solver.js';
import { methodRule } from '../src/derive/methods.js';
import { rational } from '../src/series/fraction.js';
import { TreeStore } from '../src/trees/store.js';

export interface MethodCase {
  readonly method: string;
  /** β's value, or undefined for a symbol. */
  readonly beta?: [number, number];
  readonly K: number;
  readonly note: string;
}

export const METHOD_CASES: Readonly<Record<string, MethodCase>> = {
  'gd-10': { method: 'gd', K: 10, note: 'gradient descent (reference)' },
  'heavy-ball-exact-10': { method: 'heavy-ball', beta: [9, 10], K: 10, note: 'heavy ball, β = 9/10' },
  'nesterov-exact-10': { method: 'nesterov', beta: [9, 10], K: 10, note: "Nesterov (PyTorch's), β = 9/10" },
  'heavy-ball-symbolic-6': { method: 'heavy-ball', K: 6, note: 'heavy ball, β symbolic' },
  'nesterov-symbolic-6': { method: 'nesterov', K: 6, note: 'Nesterov, β symbolic' },
  'lookahead-symbolic-6': { method: 'nesterov-lookahead', K: 6, note: "Nesterov's look-ahead form, β symbolic" },
};

/** Wall time of ξ_0 … ξ_K in this (fresh) process, tree store included. */
export function methodMs(name: string): number {
  const c = METHOD_CASES[name];
  if (!c) throw new RangeError(`unknown method case ${name}`);
  const params = c.method === 'gd' ? new Map() : new Map([['beta', c.beta ? rational(c.beta[0], c.beta[1]) : undefined]]);
  const t0 = performance.now();
  new CounterTermSolver(methodRule(c.method, params), { store: new TreeStore() }).solveThrough(c.K);
  return performance.now() - t0;
}
