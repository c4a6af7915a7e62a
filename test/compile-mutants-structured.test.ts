/**
 * What src/compile/structured.ts promises about sharing: g is declared once (F(•) = g, also for
 * the leaves of the trees), each elementary differential F(τ) once per function however many ξ_k
 * or parent trees use it, and each θ-only Taylor coefficient of an atom once for every tree. The
 * counts are by hand from the trees of ξ_0..ξ_2 (Miyagawa 2022, docs/counter-terms.md):
 *   ξ_0 = ½[•], ξ_1 = ⅓[[•]] + 1/12[•, •], ξ_2 = ¼[[[•]]] + 1/12[[•, •]] + 1/12[[•], •],
 * and the values by hand on L = exp(x), where every derivative of L is e^x: F(τ) = e^{|τ| x}, so
 *   ξ_0 = ½e^{2x}, ξ_1 = (⅓ + 1/12)e^{3x} = 5/12 e^{3x}, ξ_2 = (¼ + 1/12 + 1/12)e^{4x} = 5/12 e^{4x}.
 */
import { describe, expect, it } from 'vitest';
import { Loss, compileTreeCounterTerms, solveCounterTerms } from '../src/index.js';

const count = (src: string, prefix: string) => (src.match(new RegExp(`const ${prefix}\\d+ =`, 'g')) ?? []).length;

describe('the tree-shaped EoM_2 field of L = exp(x) computes each shared quantity once', () => {
  it('equals −e^x − η(½e^{2x} + η(5/12 e^{3x} + η·5/12 e^{4x})) by hand', () => {
    const c = compileTreeCounterTerms(Loss.parse('exp(x)'), solveCounterTerms(2));
    for (const [x, eta] of [[0.3, 0.1], [-1.2, 0.5]] as const) {
      const e = Math.exp(x);
      const want = -e - eta * (0.5 * e ** 2 + eta * ((5 / 12) * e ** 3 + eta * (5 / 12) * e ** 4));
      expect(c.field([x], eta)[0]).toBeCloseTo(want, 13);
      expect(c.xi[2]!([x])[0]).toBeCloseTo((5 / 12) * e ** 4, 13);
    }
  });

  it('one g, one F(τ) per distinct non-leaf tree, one Taylor coefficient e^x/2! for both two-child trees', () => {
    const src = compileTreeCounterTerms(Loss.parse('exp(x)'), solveCounterTerms(2)).field.toString();
    // g = (e^x): one component, declared once (the leaves read it, they do not declare it again).
    expect(count(src, 'g')).toBe(1);
    // Non-leaf trees of ξ_0..ξ_2 with their subtrees: [•], [[•]], [•, •], [[[•]]], [[•, •]], [[•], •]:
    // six contractions of one component each; [•] is a child of three of them and a term of ξ_0.
    expect(count(src, 'f')).toBe(6);
    // ∂²exp(u)/2! = 0.5·e^x is the only coefficient that is not already a name (∂exp = exp is the
    // atom itself); [•, •] and [[•], •] both need it, and it is declared once.
    expect(count(src, 'c')).toBe(1);
  });
});
