/**
 * Tree-shaped compiled counter terms (src/compile/structured.ts) and the fields built from them
 * (src/compile/compile.ts), against an oracle that shares no code with src/compile or src/loss:
 * the loss string parsed by mathjs and differentiated by Cauchy's formula in complex arithmetic
 * written in the test (test/helpers/complexTaylor.ts). The elementary differentials F(τ) are
 * computed by that oracle tree by tree; the counter terms are checked twice: against the published
 * closed forms typed here by hand (ξ_0 = ½Hg, ξ_1 = ⅓H²g + 1/12 ∇³L[g, g],
 * ξ_2 = ¼H³g + 1/12 H∇³L[g, g] + 1/12 ∇³L[Hg, g]: Miyagawa 2022, docs/counter-terms.md), and to
 * ξ_3 as Σ c(τ)·F(τ) over the solver's coefficients (src/derive, which compile never sees).
 */
import { describe, expect, it } from 'vitest';
import {
  CounterTermSolver,
  Loss,
  compileCounterTerms,
  compileTreeCounterTerms,
  concreteCounterTerms,
  parseBatchLosses,
  rationalToNumber,
  sgdRule,
  solveCounterTerms,
  type Rational,
  type TreeSeries,
} from '../src/index.js';
import {
  complexLoss,
  contractionOracle,
  elementaryDifferential,
  gradientOracle,
  relativeError,
  type ComplexLoss,
} from './helpers/complexTaylor.js';
import { prng } from './helpers/lossOracles.js';

const TOL = 1e-8;

/** Σ c(τ) F(τ) of one series by the oracle. */
function seriesOracle(losses: readonly ComplexLoss[], theta: readonly number[], s: TreeSeries<Rational>, memo: Map<number, number[]>): number[] {
  const out = theta.map(() => 0);
  for (const t of s.terms()) {
    const F = elementaryDifferential(losses, theta, t.tree, (id) => s.store.get(id), memo);
    const c = rationalToNumber(t.coefficient);
    F.forEach((f, i) => (out[i] += c * f));
  }
  return out;
}

const axpy = (a: number, x: readonly number[], y: readonly number[]) => x.map((xi, i) => a * xi + y[i]!);

/** −c·g − η(ξ_0 + η(ξ_1 + …)) over ξ_0..ξ_j. */
function fieldOracle(g: readonly number[], xi: readonly (readonly number[])[], j: number, eta: number, c = 1): number[] {
  let horner = g.map(() => 0);
  for (let k = j; k >= 0; k--) horner = axpy(eta, horner, xi[k]!);
  return g.map((gi, i) => -c * gi - eta * horner[i]!);
}

describe('tree-shaped counter terms against Cauchy-formula derivatives of the loss string', () => {
  const source = 'exp(0.5*x*y) + log(2 + x^2) + 0.3*y^3 + atan(x - y) + x^2*y^2/4';
  const loss = Loss.parse(source);
  const L = complexLoss(source, loss.vars);
  const series = solveCounterTerms(3);
  const compiled = compileTreeCounterTerms(loss, series);
  const rand = prng(21);
  const points = [0, 1].map(() => loss.vars.map(() => 1.2 * rand() - 0.6));

  it('ξ_0, ξ_1, ξ_2 are the published closed forms', () => {
    for (const th of points) {
      const g = gradientOracle(L, th);
      const Hg = contractionOracle(L, th, [g], [1]);
      const H2g = contractionOracle(L, th, [Hg], [1]);
      const H3g = contractionOracle(L, th, [H2g], [1]);
      const D2gg = contractionOracle(L, th, [g], [2]);
      const HD2gg = contractionOracle(L, th, [D2gg], [1]);
      const D2Hgg = contractionOracle(L, th, [Hg, g], [1, 1]);
      const xi0 = Hg.map((v) => v / 2);
      const xi1 = H2g.map((v, i) => v / 3 + D2gg[i]! / 12);
      const xi2 = H3g.map((v, i) => v / 4 + HD2gg[i]! / 12 + D2Hgg[i]! / 12);
      expect(relativeError(compiled.xi[0]!(th), xi0), `ξ_0 at ${th}`).toBeLessThan(TOL);
      expect(relativeError(compiled.xi[1]!(th), xi1), `ξ_1 at ${th}`).toBeLessThan(TOL);
      expect(relativeError(compiled.xi[2]!(th), xi2), `ξ_2 at ${th}`).toBeLessThan(TOL);
    }
  });

  it('ξ_3, the loss, g and the EoM fields of every order −1..3 equal the oracle', () => {
    for (const th of points) {
      const memo = new Map<number, number[]>();
      const xi = series.map((s) => seriesOracle([L], th, s, memo));
      expect(relativeError(compiled.xi[3]!(th), xi[3]!), `ξ_3 at ${th}`).toBeLessThan(TOL);
      const g = gradientOracle(L, th);
      expect(compiled.loss(th)).toBeCloseTo(L(th.map((t) => [t, 0] as const))[0], 13);
      expect(relativeError(compiled.gradient(th), g)).toBeLessThan(TOL);
      for (const eta of [0.3, 0.05]) {
        expect(relativeError(compiled.field(th, eta), fieldOracle(g, xi, 3, eta)), `EoM_3 at ${th}, η = ${eta}`).toBeLessThan(TOL);
        for (let j = -1; j <= 3; j++) {
          expect(relativeError(compiled.fieldOfOrder(j)(th, eta), fieldOracle(g, xi, j, eta)), `EoM_${j} at ${th}, η = ${eta}`).toBeLessThan(TOL);
        }
      }
    }
  });

  it('fields of other orders are refused with the range', () => {
    for (const j of [-2, 4, 0.5, Number.NaN]) expect(() => compiled.fieldOfOrder(j)).toThrow(new RangeError(`order must be between -1 and 3, got ${j}`));
    // The same order twice is the same compiled function.
    expect(compiled.fieldOfOrder(1)).toBe(compiled.fieldOfOrder(1));
    expect(compiled.fieldOfOrder(3)).toBe(compiled.field);
  });

  it('writes into a given output array and allocates one otherwise', () => {
    const th = points[0]!;
    const out = new Float64Array(2);
    expect(compiled.field(th, 0.1, out)).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(compiled.field(th, 0.1)));
    const o2 = new Float64Array(2);
    expect(compiled.xi[1]!(th, o2)).toBe(o2);
    expect(Array.from(o2)).toEqual(Array.from(compiled.xi[1]!(th)));
    expect(compiled.field(th, 0.1)).not.toBe(compiled.field(th, 0.1));
  });

  it('a leading factor c: F = −c·g − η Σ η^k ξ_k', () => {
    const c2 = compileTreeCounterTerms(loss, series.slice(0, 2), {}, { leading: 2.5 });
    const th = points[1]!;
    const memo = new Map<number, number[]>();
    const xi = series.slice(0, 2).map((s) => seriesOracle([L], th, s, memo));
    const g = gradientOracle(L, th);
    expect(relativeError(c2.field(th, 0.2), fieldOracle(g, xi, 1, 0.2, 2.5))).toBeLessThan(TOL);
    expect(relativeError(c2.fieldOfOrder(-1)(th, 0.2), g.map((v) => -2.5 * v))).toBeLessThan(TOL);
  });
});

describe('three parameters, symbolic constants', () => {
  it('ξ_0..ξ_2 and EoM_2 with constants given at compile time', () => {
    const source = 'a*x^2*y + exp(a*z*y) + b*x/(1 + a*y^2) + softplus(x - z)';
    const constants = { a: 0.7, b: -1.3 };
    const loss = Loss.parse(source, { vars: ['x', 'y', 'z'] });
    const L = complexLoss(source, loss.vars, constants);
    const series = solveCounterTerms(2);
    const compiled = compileTreeCounterTerms(loss, series, constants);
    const th = [0.4, -0.3, 0.2];
    const memo = new Map<number, number[]>();
    const xi = series.map((s) => seriesOracle([L], th, s, memo));
    for (let k = 0; k <= 2; k++) expect(relativeError(compiled.xi[k]!(th), xi[k]!), `ξ_${k}`).toBeLessThan(TOL);
    expect(relativeError(compiled.field(th, 0.15), fieldOracle(gradientOracle(L, th), xi, 2, 0.15))).toBeLessThan(TOL);
  });

  it('an empty series: only gradient flow', () => {
    const loss = Loss.parse('x^2*y + y^4');
    const c = compileTreeCounterTerms(loss, []);
    expect(c.xi).toHaveLength(0);
    // g = (2xy, x² + 4y³) at (1, 0.5): (1, 1.5).
    expect(Array.from(c.field([1, 0.5], 0.1))).toEqual([-1, -1.5]);
    expect(() => c.fieldOfOrder(0)).toThrow(/between -1 and -1/);
  });
});

describe('closed forms compiled monomial by monomial (compileCounterTerms)', () => {
  it('the loss, g, ξ_0..ξ_2 and the fields of every order equal the oracle', () => {
    const source = 'x^2*y + exp(0.5*x) - y^3/3 + x*y^2';
    const loss = Loss.parse(source);
    const L = complexLoss(source, loss.vars);
    const series = solveCounterTerms(2);
    const compiled = compileCounterTerms(loss, concreteCounterTerms(loss, series), {}, { leading: 1.5 });
    const th = [0.45, -0.35];
    const memo = new Map<number, number[]>();
    const xi = series.map((s) => seriesOracle([L], th, s, memo));
    const g = gradientOracle(L, th);
    expect(compiled.loss(th)).toBeCloseTo(L(th.map((t) => [t, 0] as const))[0], 13);
    expect(relativeError(compiled.gradient(th), g)).toBeLessThan(TOL);
    for (let k = 0; k <= 2; k++) expect(relativeError(compiled.xi[k]!(th), xi[k]!), `ξ_${k}`).toBeLessThan(TOL);
    expect(relativeError(compiled.field(th, 0.2), fieldOracle(g, xi, 2, 0.2, 1.5))).toBeLessThan(TOL);
    for (let j = -1; j <= 2; j++) expect(relativeError(compiled.fieldOfOrder(j)(th, 0.2), fieldOracle(g, xi, j, 0.2, 1.5)), `EoM_${j}`).toBeLessThan(TOL);
    expect(() => compiled.fieldOfOrder(3)).toThrow(RangeError);
  });
});

describe('SGD: coloured trees read the batch loss of their colour', () => {
  const sources = ['(x - 1)^2*y^2 + x^4/4 + sin(x)', 'exp(0.5*x*y) + y^2 - x^3*y'];
  const { mean, losses } = parseBatchLosses(sources);
  const oracles = sources.map((s) => complexLoss(s, mean.vars));
  const meanOracle = complexLoss(`((${sources.join(') + (')})) / 2`, mean.vars);

  it('ξ_0..ξ_2 and the EoM_2 field of cyclic SGD over two batches', () => {
    const series = new CounterTermSolver(sgdRule(2, 'cyclic')).solveThrough(2) as unknown as TreeSeries<Rational>[];
    const compiled = compileTreeCounterTerms(mean, series, {}, { batches: losses });
    const th = [0.3, -0.45];
    const memo = new Map<number, number[]>();
    // Every colour occurs (the oracle reads loss c for a node of colour c).
    const colours = new Set(series.flatMap((s) => s.terms().flatMap((t) => t.tree.colourSequence)));
    expect([...colours].sort()).toEqual([0, 1]);
    const xi = series.map((s) => seriesOracle(oracles, th, s, memo));
    for (let k = 0; k <= 2; k++) expect(relativeError(compiled.xi[k]!(th), xi[k]!), `ξ_${k}`).toBeLessThan(TOL);
    // The field's g is the mean loss's gradient.
    const g = gradientOracle(meanOracle, th);
    expect(relativeError(compiled.gradient(th), g)).toBeLessThan(TOL);
    expect(relativeError(compiled.field(th, 0.1), fieldOracle(g, xi, 2, 0.1))).toBeLessThan(TOL);
  });

  it('a colour without a batch loss is refused', () => {
    const series = new CounterTermSolver(sgdRule(2, 'cyclic')).solveThrough(1) as unknown as TreeSeries<Rational>[];
    expect(() => compileTreeCounterTerms(mean, series, {}, { batches: losses.slice(0, 1) })).toThrow(new RangeError('no batch loss for colour 1 (1 given)'));
  });
});
