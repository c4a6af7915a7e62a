/**
 * How closed forms print constants and roots (src/loss/print.ts): exp(c)^n of a constant is written
 * exp(n·c) (e², not exp(1)^2), and a root is one factor without redundant parentheses (x^(1/3),
 * nthRoot(…), \sqrt[3]{…}). Every printed form is checked against the value by hand (mathjs evaluates
 * the JSON form; the counter term comes from ξ_0 = ½ H g).
 */
import { evaluate } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { Loss, PolyPrinter, lossCounterTerms, lossCounterTermsJson, lossCounterTermsLatex, lossCounterTermsText } from '../src/index.js';

describe('powers of exp of a constant', () => {
  // L = e·x²: g = 2e·x, H = 2e, ξ_0 = ½ H g = 2e²·x.
  const r = lossCounterTerms('e*x^2', { order: 0 });

  it('are written exp(2), e^{2}, never exp(1)^2', () => {
    const json = lossCounterTermsJson(r).xi[0]!.components['x']!;
    expect(json).toBe('2*x*exp(2)');
    expect(lossCounterTermsText(r)).toContain('x: 2*x*exp(2)');
    expect(lossCounterTermsText(r)).not.toMatch(/exp\(1\)\^/);
    expect(lossCounterTermsLatex(r)).toContain('2 x e^{2}');
    expect(evaluate(json, { x: 1.3 })).toBeCloseTo(2 * Math.E ** 2 * 1.3, 12);
  });

  it('in a denominator and with a fractional constant', () => {
    // L = x²/e: ξ_0 = ½ (2/e)(2x/e) = 2x/e²;  L = exp(1/2)·x²: ξ_0 = 2e·x = 2·exp(1/2)²·x.
    const down = lossCounterTermsJson(lossCounterTerms('x^2/e', { order: 0 })).xi[0]!.components['x']!;
    expect(down).toBe('2*x/exp(2)');
    const half = lossCounterTermsJson(lossCounterTerms('exp(1/2)*x^2', { order: 0 })).xi[0]!.components['x']!;
    expect(half).toBe('2*x*exp(1)');
    expect(evaluate(down, { x: 0.7 })).toBeCloseTo((2 * 0.7) / Math.E ** 2, 12);
  });
});

describe('roots', () => {
  it('of a name: x^(1/3), not (x)^(1/3)', () => {
    const r = lossCounterTerms('x^(1/3)*y^2 + y^4', { order: 0, vars: ['x', 'y'] });
    const text = lossCounterTermsText(r);
    expect(text).toContain('s1 = x^(1/3)\n');
    expect(text).not.toContain('(x)^(1/3)');
  });

  it('of a sum: (x^2 + 1)^(1/3) in text, nthRoot(…) and \\sqrt[3]{…} without extra parentheses', () => {
    const loss = Loss.parse('(x^2 + 1)^(1/3)');
    const p = new PolyPrinter(loss);
    const g = loss.gradient()[0]!; // d/dx (x²+1)^(1/3) = (2x/3)(x²+1)^(1/3)/(x²+1)
    const mathjs = p.mathjs(g);
    expect(mathjs).toBe('2/3*x*nthRoot(x^2 + 1, 3)/(x^2 + 1)');
    expect(p.latexInline(g)).toBe('\\frac{2 x \\sqrt[3]{x^{2} + 1}}{3 \\left(x^{2} + 1\\right)}');
    // The names are labels (numbered by first appearance, print.ts); what matters is each definition's parentheses.
    expect(p.named([g], 'text').definitions.map(([, d]) => d).sort()).toEqual(['(x^2 + 1)^(1/3)', '1/(x^2 + 1)']);
    const x = 0.8;
    expect(evaluate(mathjs, { x })).toBeCloseTo(((2 * x) / 3) * (x * x + 1) ** (-2 / 3), 12);
  });

  it('raised to a power keep the parentheses they need', () => {
    // L = (x² + 1)^(2/3) = nthRoot(x²+1, 3)²: the square of the root must stay grouped in every style.
    const loss = Loss.parse('(x^2 + 1)^(2/3)');
    const p = new PolyPrinter(loss);
    const x = 1.7;
    expect(evaluate(p.mathjs(loss.expr), { x })).toBeCloseTo((x * x + 1) ** (2 / 3), 12);
    expect(p.latexInline(loss.expr)).toBe('\\left(\\sqrt[3]{x^{2} + 1}\\right)^{2}');
  });
});
