/**
 * Derivatives of roots and rational powers, against an oracle that shares no code with src/loss:
 * mathjs's own symbolic `derivative` of the same expression, evaluated by a node walker written
 * here with the real-root convention eomkit documents (odd roots are real and sign-preserving:
 * (−8)^(1/3) = −2; even roots of negatives are not real). Chain rule for the oracle's side:
 * d(u^c)/dx = c·u^(c−1)·du/dx (mathjs), so a root b^(1/q) differentiates to (1/q)·b^(1/q − 1)·∂b.
 *
 * Checked: every root index q = 2..9 and some larger ones (16, 17, 64), exponents p/q of both signs,
 * negative bases for odd q, through the normal form (src/loss, evaluated by evaluatePoly) AND through
 * generated code (src/compile), which must keep odd roots of negative numbers real.
 */
import { describe, expect, it } from 'vitest';
import { all, create, type MathNode } from 'mathjs';
import { compileCounterTerms, evaluatePoly, Loss } from '../src/index.js';
import { prng } from './helpers/lossOracles.js';

const math = create(all, { number: 'number' });

/** x^e with the real-root convention: e = p/q (q ≤ 64) with q odd keeps the sign of a negative x. */
function realPow(x: number, e: number): number {
  if (x >= 0 || Number.isInteger(e)) return Math.pow(x, e);
  for (let q = 1; q <= 64; q++) {
    const p = Math.round(e * q);
    if (Math.abs(p - e * q) < 1e-9) return q % 2 === 1 ? (p % 2 === 0 ? 1 : -1) * Math.pow(-x, e) : NaN;
  }
  return NaN;
}

/** Evaluates a mathjs expression tree with real powers (the oracle's own evaluator). */
function evaluate(node: MathNode, scope: Readonly<Record<string, number>>): number {
  const n = node as MathNode & { fn?: string | { name: string }; args?: MathNode[]; content?: MathNode; name?: string; value?: unknown; op?: string };
  switch (node.type) {
    case 'ConstantNode':
      return Number(n.value);
    case 'SymbolNode': {
      const v = scope[n.name!];
      if (v === undefined) throw new Error(`no value for ${n.name}`);
      return v;
    }
    case 'ParenthesisNode':
      return evaluate(n.content!, scope);
    case 'OperatorNode': {
      const a = n.args!.map((x) => evaluate(x, scope));
      if (a.length === 1) {
        if (n.op === '-') return -a[0]!;
        if (n.op === '+') return a[0]!;
      }
      switch (n.op) {
        case '+':
          return a[0]! + a[1]!;
        case '-':
          return a[0]! - a[1]!;
        case '*':
          return a[0]! * a[1]!;
        case '/':
          return a[0]! / a[1]!;
        case '^':
          return realPow(a[0]!, a[1]!);
      }
      throw new Error(`operator ${n.op}`);
    }
    case 'FunctionNode': {
      const name = typeof n.fn === 'string' ? n.fn : n.fn!.name;
      const a = n.args!.map((x) => evaluate(x, scope));
      if (name === 'sqrt') return a[0]! < 0 ? NaN : Math.sqrt(a[0]!);
      if (name === 'exp') return Math.exp(a[0]!);
      if (name === 'log') return Math.log(a[0]!);
      throw new Error(`function ${name}`);
    }
  }
  throw new Error(`node ${node.type}`);
}

interface RootCase {
  readonly source: string;
  readonly vars: readonly string[];
  /** Points of interest; random ones are added. */
  readonly negativeBase: boolean;
}

/** b^(p/q) in one and two variables, with a base that can be made negative when q is odd. */
function cases(q: number): RootCase[] {
  const out: RootCase[] = [];
  for (const p of [1, -1, 2, -3, 5]) {
    if (p % q === 0) continue;
    const e = `(${p}/${q})`;
    out.push({ source: `x^${e}`, vars: ['x'], negativeBase: q % 2 === 1 });
    out.push({ source: `(x^2 + x*y + 3)^${e} + y`, vars: ['x', 'y'], negativeBase: false });
    out.push({ source: `x*(y - 2*x)^${e}`, vars: ['x', 'y'], negativeBase: q % 2 === 1 });
  }
  return out;
}

/** Random points where every base is safely away from 0 (positive, or negative when allowed). */
function points(c: RootCase, seed: number): Record<string, number>[] {
  const rand = prng(seed);
  const out: Record<string, number>[] = [];
  while (out.length < 4) {
    const pt: Record<string, number> = {};
    for (const v of c.vars) pt[v] = (rand() * 2 - 1) * 2;
    const bases = c.source.startsWith('x^') ? [pt.x!] : c.source.includes('y - 2*x') ? [pt.y! - 2 * pt.x!] : [];
    const ok = bases.every((b) => Math.abs(b) > 0.2 && (c.negativeBase || b > 0));
    if (ok) out.push(pt);
  }
  // The example of issue 16: d/dx x^(1/3) at 0.5 is (1/3)·0.5^(−2/3) = 0.529…, and at −0.5 the same.
  if (c.source === 'x^(1/3)') out.push({ x: 0.5 }, { x: -0.5 });
  return out;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-10 * Math.max(1, Math.abs(b));
const ROOT_INDICES = [2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 64];

describe('derivatives of roots against mathjs derivative (shares no code with src/loss)', () => {
  it('d/dx x^(1/3) at ±0.5 is (1/3)·0.5^(−2/3) = 0.5291…, not ½·0.5^(−2/3)', () => {
    // Source: d/dx x^(1/3) = 1/(3 x^(2/3)); 0.5^(−2/3) = 2^(2/3) = 1.5874…, so 0.52913 (by hand).
    const loss = Loss.parse('x^(1/3)');
    const g = loss.gradient()[0]!;
    expect(evaluatePoly(g, loss.table, { x: 0.5 })).toBeCloseTo(Math.cbrt(4) / 3, 14);
    expect(evaluatePoly(g, loss.table, { x: -0.5 })).toBeCloseTo(Math.cbrt(4) / 3, 14);
    expect(Math.cbrt(4) / 3).toBeCloseTo(0.52913, 5);
  });

  for (const q of ROOT_INDICES) {
    it(`root index ${q}: every exponent p/${q}, both signs of the base where real`, () => {
      for (const [i, c] of cases(q).entries()) {
        const loss = Loss.parse(c.source, { vars: c.vars });
        const oracle = c.vars.map((v) => math.derivative(math.parse(c.source), v));
        for (const pt of points(c, 1000 * q + i)) {
          c.vars.forEach((v, j) => {
            const expected = evaluate(oracle[j]!, pt);
            const got = evaluatePoly(loss.gradient()[j]!, loss.table, pt);
            expect(Number.isFinite(expected), `${c.source} oracle at ${JSON.stringify(pt)}`).toBe(true);
            expect(close(got, expected), `∂${c.source}/∂${v} at ${JSON.stringify(pt)}: ${got} vs ${expected}`).toBe(true);
          });
        }
      }
    });
  }
});

describe('derivatives of quotients against mathjs derivative', () => {
  // ∂(1/b) = −∂b/b² (quotient rule, mathjs's own); sums in the denominator make inverse atoms.
  it.each([
    ['(x^2 + 1)/(x*y + 3)'],
    ['1/(x - y + 4) + x/(1 + y^2)^2'],
    ['(x + y)^(1/3)/(x^2 + 2)'],
    ['x*y/(x^2 + y^2)'],
  ])('%s', (source) => {
    const vars = ['x', 'y'];
    const loss = Loss.parse(source, { vars });
    const oracle = vars.map((v) => math.derivative(math.parse(source), v));
    for (const pt of [{ x: 0.7, y: -0.4 }, { x: -1.3, y: 0.9 }, { x: 1.6, y: 1.1 }]) {
      vars.forEach((v, j) => {
        const expected = evaluate(oracle[j]!, pt);
        const got = evaluatePoly(loss.gradient()[j]!, loss.table, pt);
        expect(Number.isFinite(expected)).toBe(true);
        expect(close(got, expected), `∂${source}/∂${v} at ${JSON.stringify(pt)}: ${got} vs ${expected}`).toBe(true);
      });
    }
  });
});

describe('generated code keeps odd roots real and sign-preserving', () => {
  for (const q of [3, 5, 7, 9, 17]) {
    it(`index ${q}: compiled loss and gradient at negative bases`, () => {
      const source = `(y - 2*x)^(1/${q}) + x*(y - 2*x)^(2/${q})`;
      const loss = Loss.parse(source, { vars: ['x', 'y'] });
      const compiled = compileCounterTerms(loss, []);
      const oracle = ['x', 'y'].map((v) => math.derivative(math.parse(source), v));
      for (const [x, y] of [[1, -0.5], [0.3, 0.1], [-0.7, -2.9], [2, 0.5]] as const) {
        const pt = { x, y };
        const b = y - 2 * x;
        // Source: the real q-th root of b is −|b|^(1/q) for b < 0 (odd q), so L is finite and real.
        const root = Math.sign(b) * Math.abs(b) ** (1 / q);
        expect(compiled.loss([x, y])).toBeCloseTo(root + x * root * root, 12);
        const g = compiled.gradient([x, y]);
        [0, 1].forEach((j) => {
          const expected = evaluate(oracle[j]!, pt);
          expect(close(g[j]!, expected), `compiled ∂L/∂${'xy'[j]} at (${x}, ${y}): ${g[j]} vs ${expected}`).toBe(true);
        });
      }
    });
  }
});
