/**
 * Edge cases of the compiled counter terms (src/compile), with values by hand: a series with no
 * trees (its ξ is the zero vector), and gradient flow (no ξ at all).
 */
import { describe, expect, it } from 'vitest';
import { Loss, Rational, TreeSeries, compileTreeCounterTerms, defaultTreeStore } from '../src/index.js';

describe('series without trees', () => {
  it('compile to the zero vector, and the field is then −g − η·0', () => {
    // L = x²y + y⁴: g = (2xy, x² + 4y³) = (1, 1.5) at (1, 0.5).
    const loss = Loss.parse('x^2*y + y^4');
    const empty = TreeSeries.fromEntries(Rational, [], defaultTreeStore);
    const c = compileTreeCounterTerms(loss, [empty, empty]);
    expect(Array.from(c.xi[0]!([1, 0.5]))).toEqual([0, 0]);
    expect(Array.from(c.xi[1]!([1, 0.5]))).toEqual([0, 0]);
    expect(Array.from(c.field([1, 0.5], 0.1))).toEqual([-1, -1.5]);
  });
});
