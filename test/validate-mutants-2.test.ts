/**
 * validateUntilDivergence keeps only a DivergenceError: any other error while computing the
 * iterates (a bug, not a divergence) is thrown, never reported as the run's `divergence`.
 */
import { describe, expect, it } from 'vitest';
import { DivergenceError, simulationProblem, validate } from '../src/index.js';
import { validateUntilDivergence } from '../src/simulate/validate.js';

describe('validateUntilDivergence and errors that are not divergences', () => {
  const p0 = simulationProblem({ loss: 'x^2', init: { x: 1 }, maxOrder: 1 });
  // The gradient itself fails: the first step of the iterates throws a TypeError.
  const broken = { ...p0, compiled: { ...p0.compiled, gradient: () => { throw new TypeError('gradient failed'); } } };

  it('a TypeError in the iterates is thrown, not kept as the divergence', () => {
    expect(() => validateUntilDivergence(broken, { order: 0, lrs: [0.1, 0.05], horizon: 0.2 })).toThrow(TypeError);
    expect(() => validateUntilDivergence(broken, { order: 0, lrs: [0.1, 0.05], horizon: 0.2 })).toThrow('gradient failed');
    expect(() => validate(broken, { order: 0, lrs: [0.1, 0.05], horizon: 0.2 })).toThrow('gradient failed');
  });

  it('while a blow-up of the iterates is kept: no orders measured, passed false', () => {
    // Source: GD on x⁴ from x = 3 at η = 0.5: x ← x − 2x³ gives 3 → −51 → 265251 → ≈ −3.7e16 (blow-up at step 3).
    const p = simulationProblem({ loss: 'x^4', init: { x: 3 }, maxOrder: 1 });
    const v = validateUntilDivergence(p, { order: 0, lrs: [0.5, 0.25], horizon: 2 });
    expect(v.divergence).toBeInstanceOf(DivergenceError);
    expect([v.divergence!.step, v.results, v.passed]).toEqual([3, [], false]);
  });
});
