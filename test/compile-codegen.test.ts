/**
 * Generated JavaScript (src/compile/codegen.ts, compile.ts) against values computed by hand or by
 * plain JavaScript written here: real roots of every parity (odd roots keep the sign of a negative
 * base: (−8)^(1/3) = −2, where Math.pow gives NaN), integer powers of both signs, coefficients,
 * constants, number literals, placeholder directions, and the sharing of repeated subexpressions
 * the module promises (each atom and repeated monomial computed once).
 */
import { describe, expect, it } from 'vitest';
import { CodeBuilder, CodegenError, instantiate, numberLiteral } from '../src/compile/codegen.js';
import { compileField, compileScalar, compileVector } from '../src/compile/compile.js';
import { Loss } from '../src/loss/loss.js';
import type { Poly } from '../src/algebra/poly.js';
import { rational } from '../src/series/fraction.js';

const ctxOf = (loss: Loss, constants: Record<string, number> = {}) => ({ table: loss.table, varIds: loss.varIds, constants });
const scalar = (source: string, vars?: string[], constants: Record<string, number> = {}) => {
  const loss = Loss.parse(source, vars ? { vars } : {});
  return compileScalar(ctxOf(loss, constants), loss.expr);
};

describe('roots in generated code', () => {
  it('a cube root of a negative base is real and negative', () => {
    expect(scalar('(x - 9)^(1/3)')([1])).toBe(-2); // (−8)^(1/3)
    expect(scalar('(x - 9)^(1/3)')([36])).toBe(3);
    expect(scalar('x^(2/3)')([-8])).toBeCloseTo(4, 14);
    expect(scalar('x^(-1/3)')([-27])).toBeCloseTo(-1 / 3, 15);
  });

  it('odd roots above 3 keep the sign; even roots of negatives are NaN', () => {
    expect(scalar('x^(1/5)')([-32])).toBeCloseTo(-2, 14);
    expect(scalar('x^(1/5)')([32])).toBeCloseTo(2, 14);
    expect(scalar('x^(1/7)')([-128])).toBeCloseTo(-2, 14);
    expect(scalar('x^(1/4)')([16])).toBeCloseTo(2, 14);
    expect(scalar('x^(1/4)')([-16])).toBeNaN();
    expect(scalar('x^(1/6)')([64])).toBeCloseTo(2, 14);
    expect(scalar('x^(1/6)')([-64])).toBeNaN();
    expect(scalar('sqrt(x)')([2.25])).toBe(1.5);
    expect(scalar('sqrt(x)')([-1])).toBeNaN();
    expect(scalar('x^(3/2)')([4])).toBeCloseTo(8, 14);
  });
});

describe('powers, coefficients and literals', () => {
  it('integer powers of both signs of parameters and atoms', () => {
    const x = 1.1;
    const y = -0.7;
    expect(scalar('x^5 + x^2*y^3 - y^4')([x, y])).toBeCloseTo(x ** 5 + x * x * y ** 3 - y ** 4, 14);
    expect(scalar('x^(-3) + 1/y^2')([x, y])).toBeCloseTo(1 / x ** 3 + 1 / y ** 2, 14);
    expect(scalar('exp(x)^3 + 2/(1 + x^2)^3 - sin(y)^2')([x, y])).toBeCloseTo(Math.exp(3 * x) + 2 / (1 + x * x) ** 3 - Math.sin(y) ** 2, 13);
  });

  it('coefficients 1, −1, other rationals and a constant term', () => {
    const [x, y] = [0.3, -1.7];
    expect(scalar('x*y - x^2 + 2.5*y^3 - 0.5 + 3 - y')([x, y])).toBeCloseTo(x * y - x * x + 2.5 * y ** 3 + 2.5 - y, 14);
    expect(scalar('1e25*x - 1e-30*y')([x, y])).toBe(1e25 * x - 1e-30 * y);
    expect(scalar('-x')([x])).toBe(-x);
    const constant = Loss.parse('7 + 0*x', { vars: ['x'], partial: true });
    expect(compileScalar(ctxOf(constant), constant.expr)([x])).toBe(7);
  });

  it('a zero component is the literal 0', () => {
    const loss = Loss.parse('x^2', { vars: ['x', 'y'], partial: true });
    expect(Array.from(compileVector(ctxOf(loss), loss.gradient())([3, 4]))).toEqual([6, 0]);
  });

  it('number literals: negative numbers parenthesised, exponents kept, non-finite refused', () => {
    expect(numberLiteral(-2)).toBe('(-2)');
    expect(numberLiteral(0.5)).toBe('0.5');
    expect(numberLiteral(1e21)).toBe('1e+21');
    expect(numberLiteral(-1e-7)).toBe('(-1e-7)');
    expect(numberLiteral(0)).toBe('0');
    for (const x of [Infinity, -Infinity, NaN]) expect(() => numberLiteral(x)).toThrow(new CodegenError(`cannot compile the non-finite number ${x}`));
    expect(() => numberLiteral(Infinity)).toThrow(CodegenError);
  });
});

describe('constants and parameters', () => {
  it('symbolic constants take their value from the context; pi has its own', () => {
    expect(scalar('a*x^2 + b', ['x'], { a: 2, b: -0.5 })([3])).toBe(17.5);
    expect(scalar('pi*x', ['x'])([2])).toBe(2 * Math.PI);
  });

  it('a constant without a value is refused with the flag to give it, also for prototype names', () => {
    expect(() => scalar('a*x', ['x'])).toThrow(new CodegenError('no value for the constant "a" (give it with --set a=…)'));
    expect(() => scalar('a*x', ['x'], { b: 1 })).toThrow(CodegenError);
    expect(() => scalar('constructor*x', ['x'], {})).toThrow(/no value for the constant "constructor"/);
  });

  it('a variable that is not a parameter of the function is refused', () => {
    const loss = Loss.parse('x*y + y^2');
    const ctx = { table: loss.table, varIds: [loss.varIds[0]!], constants: {} };
    expect(() => compileScalar(ctx, loss.expr)).toThrow(new CodegenError('"y" is not a parameter of this function'));
  });
});

describe('shared subexpressions', () => {
  it('a monomial used twice is computed once; one used once stays inline', () => {
    const loss = Loss.parse('x*y*z + x + 2*x*y*z + y*z', { vars: ['x', 'y', 'z'] });
    const part = (s: string) => Loss.parse(s, { table: loss.table, vars: loss.vars, partial: true }).expr;
    const outputs = [part('x*y*z + x'), part('2*x*y*z + y*z')];
    const f = compileVector(ctxOf(loss), outputs);
    const src = f.toString();
    expect(src.split('v0 * v1 * v2').length - 1).toBe(1);
    expect(src).toMatch(/const m\d+ = v0 \* v1 \* v2;/);
    expect(src).not.toMatch(/const m\d+ = v1 \* v2;/);
    expect(Array.from(f([2, 3, 5]))).toEqual([32, 75]);
  });

  it('an atom (and each power of it) is declared once however often it occurs', () => {
    const loss = Loss.parse('exp(x*y)^2 + x*exp(x*y)^2 + y*exp(x*y)');
    const f = compileScalar(ctxOf(loss), loss.expr);
    const src = f.toString();
    expect(src.split('Math.exp(').length - 1).toBe(1);
    const [x, y] = [0.4, -0.9];
    expect(f([x, y])).toBeCloseTo((1 + x) * Math.exp(2 * x * y) + y * Math.exp(x * y), 14);
  });

  it('functions with a helper (softplus, logsumexp, sigmoid) bring it along', () => {
    const [x, y] = [0.3, -1.2];
    const want = Math.log(1 + Math.exp(x - y)) + Math.log(Math.exp(x) + Math.exp(y) + Math.exp(x * y)) + 1 / (1 + Math.exp(-x));
    expect(scalar('softplus(x - y) + logsumexp(x, y, x*y) + sigmoid(x)')([x, y])).toBeCloseTo(want, 14);
  });
});

describe('placeholder directions', () => {
  const loss = Loss.parse('x*y + y^3');
  const u0 = loss.table.direction(1, 0);
  const u1 = loss.table.direction(1, 1);
  const X = Loss.parse('x', { table: loss.table, vars: ['x', 'y'], partial: true }).expr;
  const Y = Loss.parse('y', { table: loss.table, vars: ['x', 'y'], partial: true }).expr;
  // p = x·y·u_0 + 3·y·u_1²: the same monomials read different vectors in different expressions.
  const p: Poly = X.mul(Y).mul(u0).add(Y.mul(u1).mul(u1).scale(rational(3)));

  it('are named per expression by the callback, and never shared between expressions', () => {
    const b = new CodeBuilder(ctxOf(loss));
    b.countUses([p, p]);
    const e1 = b.expr(p, (_slot, index) => `A[${index}]`);
    const e2 = b.expr(p, (slot, index) => `B[${slot - 1}][${index}]`);
    const f = instantiate<(th: number[], A: number[], B: number[][]) => number[]>(b, 'A, B', `return [${e1}, ${e2}];`);
    // x·y·a_0 + 3·y·a_1² with a = A, then with a = B[0].
    expect(f([2, 3], [5, 7], [[-1, 0.5]])).toEqual([2 * 3 * 5 + 3 * 3 * 49, 2 * 3 * -1 + 3 * 3 * 0.25]);
  });

  it('need names', () => {
    const b = new CodeBuilder(ctxOf(loss));
    expect(() => b.expr(p)).toThrow(/placeholder direction without names/);
  });
});

describe('compiled fields', () => {
  it('−c·g − η(ξ_0 + η ξ_1) by hand on a polynomial', () => {
    // L = x²y: g = (2xy, x²); take ξ_0 = (y, x), ξ_1 = (x², 1) as arbitrary polynomials.
    const loss = Loss.parse('x^2*y');
    const P = (s: string) => Loss.parse(s, { table: loss.table, vars: loss.vars, partial: true }).expr;
    const xi = [
      [P('y'), P('x')],
      [P('x^2'), P('1 + 0*x')],
    ];
    const [x, y, eta] = [1.5, -2, 0.1];
    const g = [2 * x * y, x * x];
    const want = (c: number) => [-c * g[0]! - eta * (y + eta * x * x), -c * g[1]! - eta * (x + eta * 1)];
    const f = compileField(ctxOf(loss), loss.gradient(), xi);
    const f1 = f([x, y], eta);
    want(1).forEach((v, i) => expect(f1[i]).toBeCloseTo(v, 13));
    const f3 = compileField(ctxOf(loss), loss.gradient(), xi, { leading: 3 });
    const out = new Float64Array(2);
    expect(f3([x, y], eta, out)).toBe(out);
    want(3).forEach((v, i) => expect(out[i]).toBeCloseTo(v, 13));
    // Gradient flow: no ξ.
    expect(Array.from(compileField(ctxOf(loss), loss.gradient(), [])([x, y], eta))).toEqual([-g[0]!, -g[1]!]);
  });
});
