/**
 * src/simulate/sgdProblem.ts against hand-computed values (issue 16's mutation targets): the batch
 * gradients and their mean, the order range, the largest batch curvature on quadratics whose
 * Hessians are known by hand, the refusal of a start where a batch gradient is not finite.
 * Every object is built inside its `it` (Stryker activates mutants per test).
 */
import { describe, expect, it } from 'vitest';
import { MAX_SGD_NUMERIC_ORDER, sgdProblem } from '../src/simulate/sgdProblem.js';

// L_1 = x² + y² (H = 2I), L_2 = 3x² + y²/2 + x·y (H = [[6, 1], [1, 1]], |λ|max = (7 + √29)/2).
const BATCHES = ['x^2 + y^2', '3*x^2 + y^2/2 + x*y'];

describe('sgdProblem', () => {
  it('orders 0 … 4 only', () => {
    expect(MAX_SGD_NUMERIC_ORDER).toBe(4);
    for (const maxOrder of [-1, 0.5, 5]) {
      expect(() => sgdProblem({ batches: BATCHES, sampling: 'cyclic', init: { x: 1, y: 2 }, maxOrder })).toThrow(
        new RangeError(`maxOrder must be an integer from 0 to 4 for SGD, got ${maxOrder}`),
      );
    }
    expect(sgdProblem({ batches: BATCHES, sampling: 'cyclic', init: { x: 1, y: 2 }, maxOrder: 0 }).xi).toHaveLength(1);
    expect(sgdProblem({ batches: ['x^2', 'x^2/2'], sampling: 'shuffle', init: { x: 1 }, maxOrder: 4 }).xi).toHaveLength(5);
  });

  it('the batch gradients, their mean, the start, the names and the sampling', () => {
    const p = sgdProblem({ batches: BATCHES, sampling: 'shuffle', init: { x: 1, y: 2 }, maxOrder: 1 });
    expect([...p.vars]).toEqual(['x', 'y']);
    expect([...p.init]).toEqual([1, 2]);
    expect(p.batchCount).toBe(2);
    expect(p.batches).toHaveLength(2);
    expect(p.sampling).toBe('shuffle');
    expect(p.xi).toHaveLength(2);
    // ∇L_1 = (2x, 2y), ∇L_2 = (6x + y, y + x) at (1, 2).
    expect(Array.from(p.gradients[0]!([1, 2]))).toEqual([2, 4]);
    expect(Array.from(p.gradients[1]!([1, 2]))).toEqual([8, 3]);
    expect(Array.from(p.gradient([1, 2]))).toEqual([5, 3.5]);
    // GF: −g.
    expect(Array.from(p.fieldOfOrder(-1)([1, 2], 0.1, new Float64Array(2)))).toEqual([-5, -3.5]);
    expect(p.loss.vars).toEqual(['x', 'y']);
    expect(p.compiled.xi).toBe(p.xi);
    expect(p.describe).toBe('batches: x^2 + y^2; 3*x^2 + y^2/2 + x*y');
    expect(sgdProblem({ batches: BATCHES, sampling: 'cyclic', init: { x: 1, y: 2 }, maxOrder: 0 }).sampling).toBe('cyclic');
  });

  it('curvature: the largest spectral radius over the batches at θ0', () => {
    const p = sgdProblem({ batches: BATCHES, sampling: 'cyclic', init: { x: 1, y: 2 }, maxOrder: 0 });
    expect(p.curvature).toBeCloseTo((7 + Math.sqrt(29)) / 2, 12);
    const q = sgdProblem({ batches: [BATCHES[1]!, BATCHES[0]!], sampling: 'cyclic', init: { x: 1, y: 2 }, maxOrder: 0 });
    expect(q.curvature).toBeCloseTo((7 + Math.sqrt(29)) / 2, 12);
  });

  it('refuses a start where a batch gradient is not finite, naming the batch', () => {
    // d/dx sqrt(x) = 1/(2 sqrt(x)) is infinite at x = 0.
    expect(() => sgdProblem({ batches: ['x^2 + y^2', 'sqrt(x) + y^2'], sampling: 'cyclic', init: { x: 0, y: 1 }, maxOrder: 0 })).toThrow(
      '--init: the gradient of batch 2 is not finite at the starting point',
    );
    expect(() => sgdProblem({ batches: ['x^2 + y^2', 'sqrt(x) + y^2'], sampling: 'cyclic', init: { x: 1, y: 1 }, maxOrder: 0 })).not.toThrow();
  });

  it('needs a value for every constant', () => {
    const spec = { batches: ['a*x^2', 'x^2'], sampling: 'cyclic', init: { x: 1 }, maxOrder: 0, vars: ['x'] } as const;
    expect(() => sgdProblem(spec)).toThrow('the constant a needs a value to simulate (--set a=…)');
    const p = sgdProblem({ ...spec, constants: { a: 3 } });
    // ∇(3x²) = 6x, ∇(x²) = 2x: mean 4 at x = 1.
    expect(Array.from(p.gradient([1]))).toEqual([4]);
    expect(Array.from(p.gradients[0]!([1]))).toEqual([6]);
    expect(p.curvature).toBeCloseTo(6, 12);
  });

  it.each(['cyclic', 'shuffle'] as const)('%s: ξ_0 is that of the batches, not of their mean (by hand: two steps against the flow over 2η)', (sampling) => {
    // Cyclic, m = 2: θ_2 = θ0 − η(g1 + g2) + η² H2 g1 + O(η³); the flow of −g − ηξ_0 over 2η is
    // θ0 − 2ηg − 2η²ξ_0 + 2η² H g + O(η³), so ξ_0 = H g − H2 g1/2; shuffling averages the two
    // orders: ξ_0 = H g − (H2 g1 + H1 g2)/4 = (H1 g1 + H2 g2)/4. At (1, 2): g1 = (2, 4), g2 = (8, 3),
    // H2 g1 = H1 g2 = (16, 6), H g = (21.75, 7.75): both give (13.75, 4.75); GD's ½ H g would be (10.875, 3.875).
    const p = sgdProblem({ batches: BATCHES, sampling, init: { x: 1, y: 2 }, maxOrder: 0 });
    const x = Array.from(p.xi[0]!([1, 2]));
    expect(x[0]).toBeCloseTo(13.75, 12);
    expect(x[1]).toBeCloseTo(4.75, 12);
  });
});
