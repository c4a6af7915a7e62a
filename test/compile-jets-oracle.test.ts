/**
 * Forward-mode jets (src/compile/jets.ts) against an oracle that shares no code with src/: the
 * same loss string parsed by mathjs, evaluated in complex arithmetic written in the test, and
 * differentiated by Cauchy's integral formula (test/helpers/complexTaylor.ts). Each case compiles
 * one contraction D^m g[w_1^{k_1}, …, w_r^{k_r}] (distinct vectors w_j taken k_j times) and
 * compares it at random θ and random vectors, component by component, to 1e-7 relative (the
 * oracle's own error is below 1e-9 here).
 */
import { describe, expect, it } from 'vitest';
import { CodeBuilder, instantiate } from '../src/compile/codegen.js';
import { JetEmitter } from '../src/compile/jets.js';
import { Loss } from '../src/loss/loss.js';
import { complexLoss, contractionOracle, relativeError } from './helpers/complexTaylor.js';
import { prng } from './helpers/lossOracles.js';

type Contraction = (theta: readonly number[], vectors: readonly (readonly number[])[]) => number[];

/** D^m g[w_1^{k_1}, …] compiled by the jets, the vectors given at run time. */
function compileContraction(loss: Loss, counts: readonly number[], constants: Record<string, number> = {}): Contraction {
  const b = new CodeBuilder({ table: loss.table, varIds: loss.varIds, constants });
  const vectors = counts.map((_, j) => loss.vars.map((__, i) => b.declare('w', `W[${j}][${i}]`)));
  const names = new JetEmitter(b, loss).contraction(vectors, counts);
  return instantiate<Contraction>(b, 'W', `return [${names.join(', ')}];`);
}

/** Every count pattern with Σ k_j ≤ D (as multisets), r ≤ 3 distinct vectors. */
const PATTERNS: readonly (readonly number[])[] = [[1], [2], [1, 1], [3], [2, 1], [1, 1, 1], [4], [2, 2], [3, 1]];

function check(
  source: string,
  patterns: readonly (readonly number[])[],
  seed: number,
  options: { constants?: Record<string, number>; vars?: string[]; span?: number } = {},
): void {
  const constants = options.constants ?? {};
  const span = options.span ?? 0.7;
  const loss = Loss.parse(source, options.vars ? { vars: options.vars } : {});
  const L = complexLoss(source, loss.vars, constants);
  const rand = prng(seed);
  for (const counts of patterns) {
    const f = compileContraction(loss, counts, constants);
    const theta = loss.vars.map(() => span * (2 * rand() - 1));
    const vectors = counts.map(() => loss.vars.map(() => 2 * rand() - 1));
    const got = f(theta, vectors);
    const want = contractionOracle(L, theta, vectors, counts);
    expect(relativeError(got, want, 1e-9), `D^${counts.reduce((s, c) => s + c, 0)} g[${counts}] of ${source} at ${theta}: ${got} vs ${want}`).toBeLessThan(1e-7);
  }
}

describe('compiled contractions D^m g[w_1^{k_1}, …] against Cauchy-formula derivatives of the same string', () => {
  it('hand values on a cubic: D²g[u, v] and D²g[u, u] = 2·(½∂³L[u, u, ·])', () => {
    // L = x²y + y³: ∂³L/∂x²∂y = 2, ∂³L/∂y³ = 6, the rest 0.
    // D²g_x[u, v] = 2(u_x v_y + u_y v_x), D²g_y[u, v] = 2 u_x v_x + 6 u_y v_y.
    const loss = Loss.parse('x^2*y + y^3');
    const u = [1, 2];
    const v = [3, -1];
    expect(compileContraction(loss, [1, 1])([0.1, 0.2], [u, v])).toEqual([2 * (1 * -1 + 2 * 3), 2 * 3 + 6 * 2 * -1]);
    expect(compileContraction(loss, [2])([0.1, 0.2], [u])).toEqual([2 * 2 * (1 * 2), 2 * 1 + 6 * 4]);
  });

  it('a component of g that is constant in θ gives zero, not a missing name', () => {
    // L = x + y²: g = (1, 2y), so D g[w] = (0, 2w_y) and D²g = 0.
    const loss = Loss.parse('x + y^2');
    expect(compileContraction(loss, [1])([0.3, 0.4], [[5, 7]])).toEqual([0, 14]);
    expect(compileContraction(loss, [2])([0.3, 0.4], [[5, 7]])).toEqual([0, 0]);
    expect(compileContraction(loss, [1, 1])([0.3, 0.4], [[5, 7], [2, 3]])).toEqual([0, 0]);
  });

  it('a quick mix of atoms to m = 3 (exp, log, inverse, root, softplus, several arguments)', () => {
    check('exp(x*y) + log(2 + x^2) + 1/(1 + y^2) + (1 + x^2)^(1/3) + softplus(x - y) + logsumexp(x, y) + x^3*y', [[1], [2], [1, 1], [2, 1], [3]], 10);
  });

  it('exp, sin, cos, tan, atan of polynomials', () => {
    check('exp(x*y) + sin(x)*cos(y) + tan(0.3*y) + atan(x - y) + 3*exp(-x^2)', PATTERNS, 2);
  });

  it('log, log1p, square and cube roots, inverses', () => {
    check('log(2 + x^2) + log1p(y^2) + sqrt(1 + x^2 + y^2) + (1 + x^2*y^2)^(1/3) + 1/(1 + x^2) + 2/(3 + x*y)^2', PATTERNS, 3);
  });

  it('rational powers of both signs and other root indices', () => {
    check('(1 + x^2)^(-3/2) + (2 + y)^(5/2) + x^3/(1 + y^2)^2 + (3 + x - y)^(2/5) - (2 + x*y)^(-1/4)', PATTERNS, 4);
  });

  it('activations and several-argument functions', () => {
    check('softplus(x - 2*y) + sigmoid(x*y) + logsumexp(x, y, x*y) + tanh(x) + sinh(y) + cosh(x*y)', PATTERNS, 5);
  });

  it('nested atoms: a scale-invariant loss', () => {
    check('softplus(-(w1 + 2*w2)/sqrt(w1^2 + w2^2)) + sigmoid((0.5*w1 - w2)/sqrt(w1^2 + w2^2))^2', PATTERNS.slice(0, 6), 6, { span: 1 });
  });

  it('symbolic constants take their values from the context', () => {
    check('a*x^2*y + exp(a*y) + b*x/(1 + a*y^2)', PATTERNS.slice(0, 6), 7, { constants: { a: 0.7, b: -1.3 }, vars: ['x', 'y'] });
  });

  it('a single parameter: every order to 4 (one direction, powers of the atoms)', () => {
    check('exp(2*x) + x^7 - 3*x^4 + log(3 + x) + atan(x)^3 + (1 + x^2)^(1/3)', [[1], [2], [3], [4]], 8);
  });

  it('at a point with zero coordinates (no division by a parameter, no 0·∞)', () => {
    // Taylor coefficients of x^e with k > e vanish; they must not be written as 0·x^{e−k}.
    const source = 'x^2*y^3 + x^3*z + exp(x*z)*y^2 + z^2*x - y^4';
    const loss = Loss.parse(source);
    const L = complexLoss(source, loss.vars);
    const theta = [0, 0.5, 0];
    const rand = prng(9);
    for (const counts of [[1], [2], [3], [2, 1], [1, 1, 1], [4], [3, 1]]) {
      const vectors = counts.map(() => loss.vars.map(() => 2 * rand() - 1));
      const got = compileContraction(loss, counts)(theta, vectors);
      const want = contractionOracle(L, theta, vectors, counts);
      expect(relativeError(got, want, 1e-9), `[${counts}] at ${theta}: ${got} vs ${want}`).toBeLessThan(1e-7);
    }
  });

  it('a polynomial in three parameters (every pattern to m = 4)', () => {
    check('(x^2 + y^2 - 1)^2 + 0.5*x*y^3 - 2*x*y*z + z^4/3 + 7*x - 0.25*z^5', PATTERNS, 1);
  });
});
