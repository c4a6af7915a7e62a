/**
 * Taylor coefficients ∂^β f(u)/β! of a several-argument function (src/compile/jets.ts,
 * callCoefficient), with multi-indices whose entries reach 10 and more (a node with ≥ 10 children):
 * each β has its own coefficient, so β = (1, 10) and β = (11, 0) (both "110" when written without a
 * separator) must not share one.
 *
 * Truth by hand: logsumexp(x, y) = y + softplus(x − y), so for |β| = a + b ≥ 2
 * ∂_x^a ∂_y^b logsumexp = (−1)^b softplus^{(a+b)}(x − y), and softplus' = σ, σ' = σ(1 − σ).
 */
import { describe, expect, it } from 'vitest';
import { CodeBuilder, instantiate } from '../src/compile/codegen.js';
import { JetEmitter } from '../src/compile/jets.js';
import { Loss } from '../src/loss/loss.js';

describe('callCoefficient keeps multi-indices with entries ≥ 10 apart', () => {
  it('∂^β logsumexp/β! for β = (11, 0), (1, 10), (10, 1), (0, 11), (1, 0), (2, 0)', () => {
    const loss = Loss.parse('logsumexp(x, y)');
    const id = [...loss.expr.terms()][0]!.mono.atoms[0]!;
    expect(loss.table.get(id).kind).toBe('call');
    const b = new CodeBuilder({ table: loss.table, varIds: loss.varIds, constants: {} });
    const jets = new JetEmitter(b, loss);
    const betas = [[11, 0], [1, 10], [10, 1], [0, 11], [1, 0], [2, 0]];
    const names = betas.map((beta) => jets.callCoefficient(id, beta));
    const f = instantiate<(th: number[]) => number[]>(b, '', `return [${names.join(', ')}];`);
    const [x, y] = [1, 0.3];
    const [c11, c1_10, c10_1, c0_11, c1, c2] = f([x, y]);
    const s = 1 / (1 + Math.exp(-(x - y)));
    // With S = softplus^{(11)}(x − y) ≠ 0 at x − y = 0.7: c11 = S/11!, c1_10 = S/(1!·10!) = 11·c11,
    // c10_1 = −S/10! = −11·c11, c0_11 = −S/11! = −c11.
    expect(Math.abs(c11!)).toBeGreaterThan(1e-12);
    expect(c1_10! / c11!).toBeCloseTo(11, 9);
    expect(c10_1! / c11!).toBeCloseTo(-11, 9);
    expect(c0_11! / c11!).toBeCloseTo(-1, 9);
    expect(c1).toBeCloseTo(s, 14); // ∂_x logsumexp = σ(x − y)
    expect(c2).toBeCloseTo((s * (1 - s)) / 2, 14); // ∂_x² logsumexp / 2! = σ'(x − y)/2
  });
});
