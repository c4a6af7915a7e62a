import { describe, expect, it } from 'vitest';
import {
  CounterTermSolver,
  Rational,
  defaultTreeStore,
  explicitRungeKuttaRule,
  extragradient,
  gradientDescent,
  rational,
  solveCounterTerms,
  treeOfLevelSequence,
  type ButcherTableau,
  type UpdateRule,
} from '../src/index.js';
import { coefficientText, counterTermsByGrafting, levelSequenceOf, rootedTreeCount, treeOfLevels } from './helpers/graftingLieSeries.js';
import { q } from './helpers/polynomial.js';
import { log1p, type Series } from './helpers/powerSeries.js';

const r = (n: number, d = 1) => rational(n, d);
const chain = (n: number) => treeOfLevelSequence(Array.from({ length: n }, (_, i) => i + 1));
const coeff = (s: ReturnType<typeof solveCounterTerms>[number], seq: number[]) => Rational.toString(s.coefficient(treeOfLevelSequence(seq)));

const heun: ButcherTableau = { a: [[r(0), r(0)], [r(1), r(0)]], b: [r(1, 2), r(1, 2)] };
const rk4: ButcherTableau = {
  a: [
    [r(0), r(0), r(0), r(0)],
    [r(1, 2), r(0), r(0), r(0)],
    [r(0), r(1, 2), r(0), r(0)],
    [r(0), r(0), r(1), r(0)],
  ],
  b: [r(1, 6), r(1, 3), r(1, 3), r(1, 6)],
};
const heunRule = explicitRungeKuttaRule('heun', "Heun's method", heun);
const rk4Rule = explicitRungeKuttaRule('rk4', 'classical Runge–Kutta', rk4);

describe('gradient descent: published values', () => {
  const xi = solveCounterTerms(1);
  it('ξ_0 = 1/2 H g', () => {
    // Source: Barrett & Dherin 2021 (implicit gradient regularisation); Miyagawa 2022, ξ_0 = ½Hg = ¼∇‖g‖².
    expect(xi[0]!.terms().map((t) => [t.tree.levelSequence, Rational.toString(t.coefficient)])).toEqual([[[1, 2], '1/2']]);
  });
  it('ξ_1 = 1/3 H²g + 1/12 ∇³L[g, g]', () => {
    // Source: Miyagawa 2022 (NeurIPS), counter term at O(η²); docs/design.md (2.14).
    expect(xi[1]!.terms().map((t) => [t.tree.levelSequence, Rational.toString(t.coefficient)])).toEqual([
      [[1, 2, 3], '1/3'],
      [[1, 2, 2], '1/12'],
    ]);
  });
});

describe('quadratic loss closed form', () => {
  it('ξ_k = H^{k+1} g/(k+2) for every k ≤ 10: the chain tree has coefficient 1/(k+2)', () => {
    // Source: L = ½θᵀAθ makes GD linear and the EoM exact, dθ/dt = η⁻¹ log(I − ηA) θ (docs/design.md (2.15));
    // every tree with a node of ≥ 2 children vanishes there, so only the chain carries H^{k+1}g.
    const xi = solveCounterTerms(10);
    xi.forEach((s, k) => expect(Rational.toString(s.coefficient(chain(k + 2)))).toBe(`1/${k + 2}`));
  });
});

/** Stability function R(z) = 1 + Σ_j z^j bᵀA^{j−1}1 of an explicit tableau, truncated after z^n. */
function stabilityFunction(t: ButcherTableau, n: number): Series {
  const s = t.b.length;
  const out: Series = [Rational.one];
  let v: Rational[] = Array.from({ length: s }, () => Rational.one); // A^{j-1} 1
  for (let j = 1; j <= n; j++) {
    out.push(t.b.reduce((acc, bi, i) => Rational.add(acc, Rational.mul(bi, v[i]!)), Rational.zero));
    v = t.a.map((row) => row.reduce((acc, aik, k) => Rational.add(acc, Rational.mul(aik, v[k]!)), Rational.zero));
  }
  return out;
}

describe('any Runge–Kutta-like rule on a quadratic loss', () => {
  it('chain coefficients equal the expansion of log R(−ηA)/η', () => {
    // Source: on L = ½θᵀAθ a Runge–Kutta step is θ ↦ R(−ηA)θ, so the EoM is exactly
    // dθ/dt = η⁻¹ log R(−ηA) θ; with log R(z) = Σ ℓ_j z^j, the chain with k+2 nodes has
    // coefficient c_k = −(−1)^k ℓ_{k+2}. Computed here by exact power series, no trees.
    const K = 6;
    const euler: ButcherTableau = { a: [[r(0)]], b: [r(1)] };
    for (const [tableau, rule] of [
      [euler, gradientDescent],
      [heun, heunRule],
      [rk4, rk4Rule],
      [{ a: [[r(0), r(0)], [r(1), r(0)]], b: [r(0), r(1)] }, extragradient],
    ] as [ButcherTableau, UpdateRule][]) {
      const R = stabilityFunction(tableau, K + 2);
      const logR = log1p([Rational.zero, ...R.slice(1)], K + 2);
      const xi = new CounterTermSolver(rule).solveThrough(K);
      for (let k = 0; k <= K; k++) {
        const expected = Rational.mul(Rational.fromInteger(k % 2 === 0 ? -1 : 1), logR[k + 2]!);
        expect(Rational.toString(xi[k]!.coefficient(chain(k + 2))), `${rule.name} k=${k}`).toBe(Rational.toString(expected));
      }
    }
  });

  it('a method of order p has ξ_0 = … = ξ_{p−2} = 0 and ξ_{p−1} ≠ 0', () => {
    // Source: Hairer, Lubich & Wanner, GNI Thm IX.1.2: the modified equation of an order-p method
    // agrees with the original field up to h^p.
    const heunXi = new CounterTermSolver(heunRule).solveThrough(2);
    expect(heunXi[0]!.isZero()).toBe(true);
    expect(heunXi[1]!.isZero()).toBe(false);
    const rk4Xi = new CounterTermSolver(rk4Rule).solveThrough(4);
    expect(rk4Xi.slice(0, 3).every((s) => s.isZero())).toBe(true);
    expect(rk4Xi[3]!.isZero()).toBe(false);
  });
});

describe('second algorithm: naive grafting Lie series from the tableau (test/helpers/graftingLieSeries.ts)', () => {
  // The oracle shares no code with src: its own trees, grafting, elementary weights Φ(τ) (HLW Thm
  // III.1.4) and rationals. Both sides get the same tableau numbers; src through explicitRungeKuttaRule.
  type Numbers = { a: (readonly [number, number])[][]; b: (readonly [number, number])[] };
  const tableaus: [string, Numbers][] = [
    ['gd (explicit Euler)', { a: [[[0, 1]]], b: [[1, 1]] }],
    ['extragradient', { a: [[[0, 1], [0, 1]], [[1, 1], [0, 1]]], b: [[0, 1], [1, 1]] }],
    ['heun', { a: [[[0, 1], [0, 1]], [[1, 1], [0, 1]]], b: [[1, 2], [1, 2]] }],
    ['midpoint', { a: [[[0, 1], [0, 1]], [[1, 2], [0, 1]]], b: [[0, 1], [1, 1]] }],
    ['ralston 3', { a: [[[0, 1], [0, 1], [0, 1]], [[1, 2], [0, 1], [0, 1]], [[0, 1], [3, 4], [0, 1]]], b: [[2, 9], [1, 3], [4, 9]] }],
    ['rk4', { a: [[[0, 1], [0, 1], [0, 1], [0, 1]], [[1, 2], [0, 1], [0, 1], [0, 1]], [[0, 1], [1, 2], [0, 1], [0, 1]], [[0, 1], [0, 1], [1, 1], [0, 1]]], b: [[1, 6], [1, 3], [1, 3], [1, 6]] }],
  ];

  it('enumerates the rooted trees of OEIS A000081 (1, 1, 2, 4, 9, 20, 48, 115)', () => {
    // Source: OEIS A000081.
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(rootedTreeCount)).toEqual([1, 1, 2, 4, 9, 20, 48, 115]);
  });

  for (const [name, t] of tableaus) {
    it(`agrees exactly with the solver for ${name}, ξ_0 … ξ_5`, () => {
      const oracle = counterTermsByGrafting(5, { a: t.a.map((row) => row.map(([n, d]) => q(n, d))), b: t.b.map(([n, d]) => q(n, d)) });
      const rule = explicitRungeKuttaRule(name, name, { a: t.a.map((row) => row.map(([n, d]) => r(n, d))), b: t.b.map(([n, d]) => r(n, d)) });
      const fast = solveCounterTerms(5, rule);
      oracle.forEach((x, k) => {
        let nonzero = 0;
        for (const tr of defaultTreeStore.ofOrder(k + 2)) {
          const key = levelSequenceOf(treeOfLevels(tr.levelSequence)).join(',');
          const expected = x.get(key);
          if (expected) nonzero++;
          expect(Rational.toString(fast[k]!.coefficient(tr)), `${name} ξ_${k} [${tr.levelSequence}]`).toBe(expected ? coefficientText(expected) : '0');
        }
        expect(nonzero, `${name} ξ_${k}: every oracle tree is one of the solver's`).toBe(x.size);
      });
    });
  }

  it("the oracle's own published values: ξ_0 = ½Hg, ξ_1 = ⅓H²g + 1/12 ∇³L[g, g] for gradient descent", () => {
    // Source: Miyagawa 2022 (NeurIPS); Barrett & Dherin 2021 for ξ_0.
    const [xi0, xi1] = counterTermsByGrafting(1, { a: [[q(0)]], b: [q(1)] });
    expect([...xi0!].map(([k, c]) => [k, coefficientText(c)])).toEqual([['1,2', '1/2']]);
    expect(new Map([...xi1!].map(([k, c]) => [k, coefficientText(c)]))).toEqual(new Map([['1,2,3', '1/3'], ['1,2,2', '1/12']]));
  });
});

describe('solver behaviour', () => {
  it('solves each order once, from the lower ones, and extends on demand', () => {
    const solver = new CounterTermSolver(gradientDescent);
    const seen: number[] = [];
    solver.solveThrough(3, (p) => seen.push(p.k));
    solver.solveThrough(5, (p) => seen.push(p.k));
    solver.xi(4);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    expect(solver.solvedThrough).toBe(5);
    const fresh = solveCounterTerms(5);
    fresh.forEach((s, k) => expect(solver.xi(k).equals(s)).toBe(true));
  });

  it('ξ_2 and ξ_3 of gradient descent (regression against the grafting algorithm above)', () => {
    // Source: values confirmed by test/helpers/graftingLieSeries.ts and by the polynomial Lie-series
    // oracle (test/lie-series-oracle.test.ts). The bushy tree [1,2,2,2] drops out of ξ_2.
    const xi = solveCounterTerms(3);
    expect(coeff(xi[2]!, [1, 2, 3, 4])).toBe('1/4');
    expect(coeff(xi[2]!, [1, 2, 3, 3])).toBe('1/12');
    expect(coeff(xi[2]!, [1, 2, 3, 2])).toBe('1/12');
    expect(coeff(xi[2]!, [1, 2, 2, 2])).toBe('0');
    expect(coeff(xi[3]!, [1, 2, 2, 2, 2])).toBe('-1/720');
  });

  it('refuses a rule that is not a step of −η∇L to first order, and bad tableaux', () => {
    const bad: UpdateRule = { ...gradientDescent, history: [rational(2), rational(-1, 2)] };
    expect(() => new CounterTermSolver(bad)).toThrow(/add up to 1, they add up to 3\/2/);
    const flat: UpdateRule = { ...gradientDescent, weights: [rational(0)] };
    expect(() => new CounterTermSolver(flat)).toThrow(/add up to 0/);
    const doubleRoot: UpdateRule = { ...gradientDescent, history: [rational(2), rational(-1)] };
    expect(() => new CounterTermSolver(doubleRoot)).toThrow(/double root/);
    expect(() => explicitRungeKuttaRule('x', 'x', { a: [[r(0)]], b: [r(1, 2)] })).toThrow(/add up to 1/);
    expect(() => explicitRungeKuttaRule('x', 'x', { a: [[r(1)]], b: [r(1)] })).toThrow(/explicit/);
    expect(() => explicitRungeKuttaRule('x', 'x', { a: [[r(0), r(0)]], b: [r(1)] })).toThrow(/1×1/);
    expect(() => solveCounterTerms(-1)).toThrow(/non-negative integer/);
  });
});
