/**
 * The solver's bookkeeping (src/derive/solver.ts) beyond its numbers: the leading factor c, the
 * order check, progress reports and the tree store it is given.
 *
 * Independent truths: c = Σ b/ρ′(1) evaluated by hand for each method (docs/design.md §4: the O(1)
 * term of (4.3)), the rooted-tree counts of OEIS A000081, and each refusal's exact message.
 */
import { describe, expect, it } from 'vitest';
import { CounterTermSolver, solveCounterTerms, type SolverProgress } from '../src/derive/solver.js';
import { methodRule } from '../src/derive/methods.js';
import { extragradient, gradientDescent, type UpdateRule } from '../src/derive/updateRule.js';
import { Rational, rational } from '../src/series/fraction.js';
import { TreeStore, defaultTreeStore } from '../src/trees/store.js';

const r = (n: number, d = 1) => rational(n, d);
const exact = (name: string, beta: Rational) => methodRule(name, new Map([['beta', beta]])) as UpdateRule;

describe('the leading factor c of F = −c·g − η Σ η^k ξ_k', () => {
  it('c = Σ b / ρ′(1) by hand', () => {
    // GD and extragradient: c = 1. Heavy ball β: ρ′(1) = 1 − β, Σb = 1, c = 1/(1 − β).
    // Nesterov (PyTorch) β: Σb = (1 + β) − β = 1, same c. A 3-step rule a = (3/2, −1/4, −1/4), b = (2):
    // ρ′(1) = 1 − 1/4 − 2/4 = 1/4, c = 8.
    const threeStep: UpdateRule = { ...gradientDescent, name: 'three', history: [r(3, 2), r(-1, 4), r(-1, 4)], weights: [r(2)] };
    const cases: [UpdateRule, string][] = [
      [gradientDescent, '1'],
      [extragradient, '1'],
      [exact('heavy-ball', r(1, 2)), '2'],
      [exact('heavy-ball', r(-1, 3)), '3/4'],
      [exact('nesterov', r(9, 10)), '10'],
      [exact('nesterov-lookahead', r(1, 4)), '4/3'],
      [threeStep, '8'],
    ];
    for (const [rule, c] of cases) expect(Rational.toString(new CounterTermSolver(rule).leading), rule.name).toBe(c);
  });

  it('an update spanning s steps divides c and every ξ_k by s', () => {
    // The same recurrence read as one update of time sη: F is divided by s.
    const three = new CounterTermSolver({ ...gradientDescent, stepsPerUpdate: 3 });
    expect(Rational.toString(three.leading)).toBe('1/3');
    const plain = solveCounterTerms(2);
    three.solveThrough(2).forEach((x, k) => {
      for (const { tree, coefficient } of plain[k]!.terms()) expect(Rational.toString(x.coefficient(tree))).toBe(Rational.toString(Rational.div(coefficient, r(3))));
    });
  });
});

describe('orders, progress and stores', () => {
  it('refuses an order that is not a non-negative integer', () => {
    const solver = new CounterTermSolver(gradientDescent);
    for (const K of [-1, 1.5, Number.NaN]) expect(() => solver.solveThrough(K)).toThrow(new RangeError(`order must be a non-negative integer, got ${K}`));
    expect(() => solver.xi(-2)).toThrow(new RangeError('order must be a non-negative integer, got -2'));
    expect(solver.solvedThrough).toBe(-1);
    expect(solver.solveThrough(0).length).toBe(1);
    expect(solver.solvedThrough).toBe(0);
    // Asking for fewer orders than are solved returns only those.
    solver.solveThrough(3);
    expect(solver.solveThrough(1).length).toBe(2);
    expect(solver.solvedThrough).toBe(3);
  });

  it('reports each order once with its tree count (A000081: 1, 2, 4, 9, 20 trees with 2..6 nodes)', () => {
    const seen: SolverProgress[] = [];
    const xi = solveCounterTerms(4, extragradient, (p) => seen.push(p));
    expect(seen.map((p) => [p.k, p.trees])).toEqual([[0, 1], [1, 2], [2, 4], [3, 9], [4, 20]]);
    // Each order's time is a duration, not a clock reading: between 0 and the time since start-up.
    expect(seen.every((p) => Number.isFinite(p.milliseconds) && p.milliseconds >= 0 && p.milliseconds <= performance.now())).toBe(true);
    expect(xi.length).toBe(5);
    // The default rule is gradient descent: ξ_0 = ½Hg (Barrett & Dherin 2021).
    expect(solveCounterTerms(0)[0]!.terms().map((t) => [t.tree.levelSequence, Rational.toString(t.coefficient)])).toEqual([[[1, 2], '1/2']]);
  });

  it('uses the store it is given, and refuses one with the wrong number of colours', () => {
    const store = new TreeStore();
    const solver = new CounterTermSolver(gradientDescent, { store });
    expect(solver.store).toBe(store);
    expect(solver.xi(1).store).toBe(store);
    expect(new CounterTermSolver(gradientDescent).store).toBe(defaultTreeStore);
    expect(() => new CounterTermSolver(gradientDescent, { store: new TreeStore({ colours: 2 }) })).toThrow(new RangeError('the tree store has 2 colours, the rule 1 batches'));
  });
});
