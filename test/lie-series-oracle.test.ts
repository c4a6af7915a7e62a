/**
 * Independent check of the counter-term solver against an exact polynomial oracle.
 *
 * For concrete polynomial losses L, the oracle (test/helpers/lieSeriesOracle.ts) computes ξ_k(θ)
 * directly as polynomial vectors by solving the Lie-series equation order by order, without trees
 * and without any code from src/derive. The solver's tree series ξ_k = Σ c(τ) F(τ) is evaluated on
 * the same L (F(τ) by iterated directional derivatives of ∇L) and the two polynomial vectors must
 * be identical, exactly.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CounterTermSolver, defaultTreeStore, extragradient, gradientDescent, type TreeSeries } from '../src/index.js';
import {
  Poly,
  gradient,
  independentSextic,
  matVec,
  polyFromRows,
  q,
  rankOverQ,
  vecAdd,
  vecEquals,
  vecScale,
  vecSub,
  vecToString,
  type PolyVec,
} from './helpers/polynomial.js';
import {
  elementaryDifferential,
  evaluateTreeSeries,
  extragradientMap,
  gdMap,
  lieSeriesCounterTerms,
  lieSeriesResidual,
  updateCoefficients,
  type TreeShape,
} from './helpers/lieSeriesOracle.js';

// ---------------------------------------------------------------- test losses

const poly = polyFromRows;

interface Loss {
  readonly name: string;
  readonly L: Poly;
  /** highest k compared for gradient descent / extragradient */
  readonly gdK: number;
  readonly egK: number;
}

const losses: Loss[] = [
  {
    // L = x^4/4 + x y^2 − y^3/3 + 2 x y
    name: 'x^4/4 + x*y^2 - y^3/3 + 2*x*y',
    L: poly(2, [
      [q(1, 4), [4, 0]],
      [q(1), [1, 2]],
      [q(-1, 3), [0, 3]],
      [q(2), [1, 1]],
    ]),
    gdK: 4,
    egK: 3,
  },
  {
    // L = z^4/4 + x^2 y + y z^2/2 − x^3/6 + 3 x z − y^2/2 + x   (3 variables, mixed terms, linear term)
    name: 'z^4/4 + x^2*y + y*z^2/2 - x^3/6 + 3*x*z - y^2/2 + x',
    L: poly(3, [
      [q(1, 4), [0, 0, 4]],
      [q(1), [2, 1, 0]],
      [q(1, 2), [0, 1, 2]],
      [q(-1, 6), [3, 0, 0]],
      [q(3), [1, 0, 1]],
      [q(-1, 2), [0, 2, 0]],
      [q(1), [1, 0, 0]],
    ]),
    gdK: 4,
    egK: 3,
  },
  {
    // L = x^4/3 + x^2 y^2/2 − y^4/5 + x^3 y/7 + x^2/3 − 2y/3
    name: 'x^4/3 + x^2*y^2/2 - y^4/5 + x^3*y/7 + x^2/3 - 2*y/3',
    L: poly(2, [
      [q(1, 3), [4, 0]],
      [q(1, 2), [2, 2]],
      [q(-1, 5), [0, 4]],
      [q(1, 7), [3, 1]],
      [q(1, 3), [2, 0]],
      [q(-2, 3), [0, 1]],
    ]),
    gdK: 4,
    egK: 3,
  },
  {
    // L = x^6/6 + x y^5/5 − x^3 y^3/2 + y^3/3 + x y − x^2 y^2/4   (degree 6, so ∇^6 L ≠ 0: on it the
    // F(τ) of all trees with ≤ 6 nodes are linearly independent, see the rank test below, and matching
    // polynomials force matching tree coefficients; on the quartics F(τ) = 0 when a node has ≥ 4 children)
    name: 'x^6/6 + x*y^5/5 - x^3*y^3/2 + y^3/3 + x*y - x^2*y^2/4',
    L: independentSextic(),
    gdK: 4,
    egK: 3,
  },
];

/** Index in `losses` of the degree-6 loss on which elementary differentials are independent. */
const SEXTIC = 3;

// ---------------------------------------------------------------- tensors built directly from L

/** H = ∇²L as a matrix of polynomials. */
function hessian(L: Poly): Poly[][] {
  const g = gradient(L);
  return g.map((gi) => g.map((_, j) => gi.diff(j)));
}

/** ∇³L[u, v]_i = Σ_{j,k} ∂_i∂_j∂_k L · u_j v_k. */
function thirdDerivative(L: Poly, u: PolyVec, v: PolyVec): Poly[] {
  const n = L.nvars;
  return Array.from({ length: n }, (_, i) => {
    let s = Poly.zero(n);
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < n; k++) s = s.add(L.diff(i).diff(j).diff(k).mul(u[j]!).mul(v[k]!));
    }
    return s;
  });
}

// ---------------------------------------------------------------- solver side

const gdSolver = new CounterTermSolver(gradientDescent);
const egSolver = new CounterTermSolver(extragradient);

type Series = TreeSeries<{ num: bigint; den: bigint }>;

function evaluate(L: Poly, series: Series, cache: Map<number, PolyVec>): Poly[] {
  const lookup = (id: number): TreeShape => series.store.get(id);
  return evaluateTreeSeries(gradient(L), series.terms(), lookup, cache);
}

function expectSameVector(actual: PolyVec, expected: PolyVec, label: string): void {
  if (!vecEquals(actual, expected)) {
    expect.fail(`${label}\n  solver: ${vecToString(actual)}\n  oracle: ${vecToString(expected)}\n  diff:   ${vecToString(vecSub(actual, expected))}`);
  }
}

// ---------------------------------------------------------------- tests

for (const loss of losses) {
  describe(`L = ${loss.name}`, () => {
    const g = gradient(loss.L);
    let oracleGd: Poly[][] = [];
    let oracleEg: Poly[][] = [];
    const cache = new Map<number, PolyVec>(); // F(τ) on this loss, shared by GD and EG

    beforeAll(() => {
      // Source: Lie-series oracle in test/helpers/lieSeriesOracle.ts, independent of src/derive.
      oracleGd = lieSeriesCounterTerms(loss.L, gdMap, loss.gdK);
      oracleEg = lieSeriesCounterTerms(loss.L, extragradientMap, loss.egK);
    });

    it('oracle reproduces the published ξ_0 = ½ H g and ξ_1 = ⅓ H² g + 1/12 ∇³L[g,g] (GD)', () => {
      // Source: Barrett & Dherin 2021 (implicit gradient regularisation, ξ_0 = ½ H g) and
      // Miyagawa, NeurIPS 2022 (ξ_1 = ⅓ H² g + 1/12 ∇³L[g,g]); built here from H and ∇³L of L,
      // no trees, no solver.
      const H = hessian(loss.L);
      const Hg = matVec(H, g);
      expectSameVector(oracleGd[0]!, vecScale(Hg, q(1, 2)), 'ξ_0 vs ½ H g');
      const xi1 = vecAdd(vecScale(matVec(H, Hg), q(1, 3)), vecScale(thirdDerivative(loss.L, g, g), q(1, 12)));
      expectSameVector(oracleGd[1]!, xi1, 'ξ_1 vs ⅓ H² g + 1/12 ∇³L[g,g]');
    });

    it('extragradient map expands to θ − η g + η² H g − η³/2 ∇³L[g,g] (+ higher orders)', () => {
      // Source: hand Taylor expansion g(θ − η g) = g − η H g + η²/2 ∇³L[g,g] − …, checked against
      // the oracle's exact η-series substitution.
      const psi = updateCoefficients(loss.L, extragradientMap, 3);
      const H = hessian(loss.L);
      expectSameVector(psi[1]!, g.map((p) => p.neg()), 'Ψ[1]');
      expectSameVector(psi[2]!, matVec(H, g), 'Ψ[2]');
      expectSameVector(psi[3]!, vecScale(thirdDerivative(loss.L, g, g), q(-1, 2)), 'Ψ[3]');
    });

    it(`gradient descent: solver ξ_0..ξ_${loss.gdK} equal the oracle exactly`, () => {
      const solved = gdSolver.solveThrough(loss.gdK);
      for (let k = 0; k <= loss.gdK; k++) {
        // Expected: Source: Lie-series oracle in test/helpers/lieSeriesOracle.ts, independent of src/derive.
        expectSameVector(evaluate(loss.L, solved[k]!, cache), oracleGd[k]!, `GD ξ_${k}`);
      }
    });

    it(`extragradient: solver ξ_0..ξ_${loss.egK} equal the oracle exactly`, () => {
      const solved = egSolver.solveThrough(loss.egK);
      for (let k = 0; k <= loss.egK; k++) {
        // Expected: Source: Lie-series oracle in test/helpers/lieSeriesOracle.ts, independent of src/derive.
        expectSameVector(evaluate(loss.L, solved[k]!, cache), oracleEg[k]!, `extragradient ξ_${k}`);
      }
    });
  });
}

describe('coverage of tree coefficients', () => {
  it('on the sextic loss, F(τ) over all trees with n = 2..6 nodes are linearly independent', () => {
    // Source: exact rank computation here (rankOverQ in test/helpers/polynomial.ts). Consequence: the
    // equality of evaluated fields above fixes every tree coefficient of ξ_0..ξ_4 (GD) and ξ_0..ξ_3
    // (extragradient) uniquely, not just their sum on this loss.
    const g = gradient(losses[SEXTIC]!.L);
    const cache = new Map<number, PolyVec>();
    const lookup = (id: number): TreeShape => defaultTreeStore.get(id);
    for (let n = 2; n <= 6; n++) {
      const trees = defaultTreeStore.ofOrder(n);
      const fields = trees.map((t) => elementaryDifferential(g, t, lookup, cache));
      expect(rankOverQ(fields), `rank of F(τ), |τ| = ${n}`).toBe(trees.length);
    }
  });
});

describe('oracle self-checks', () => {
  const L = losses[0]!.L;

  it('brute-force Lie series with the oracle ξ_0..ξ_2 lands on the GD and extragradient steps through η^4', () => {
    // Source: the defining property of ξ (flow of the EoM over time η = one update step), recomputed
    // by a plain truncated Lie series in lieSeriesResidual (no order-by-order recursion).
    for (const map of [gdMap, extragradientMap]) {
      const xi = lieSeriesCounterTerms(L, map, 2);
      const residual = lieSeriesResidual(L, map, xi);
      residual.forEach((r, j) => expect(r.every((p) => p.isZero()), `residual at η^${j}`).toBe(true));
      // and a wrong ξ_1 breaks it at η^3
      const wrong = [xi[0]!, xi[1]!.map((p, i) => (i === 0 ? p.add(Poly.constant(L.nvars, q(1))) : p)), xi[2]!];
      const bad = lieSeriesResidual(L, map, wrong);
      expect(bad[3]!.every((p) => p.isZero())).toBe(false);
    }
  });

  it('negative control: a perturbed coefficient of the solver’s ξ_2 no longer matches the oracle', () => {
    // Source: Lie-series oracle (test/helpers/lieSeriesOracle.ts) for the expected ξ_2; the solver's
    // ξ_2 with 1/1000 added to one coefficient must then differ, so the comparison can fail.
    const series = gdSolver.xi(2);
    const oracle = lieSeriesCounterTerms(L, gdMap, 2)[2]!;
    const lookup = (id: number): TreeShape => series.store.get(id);
    const g = gradient(L);
    const terms = series.terms();
    expect(vecEquals(evaluateTreeSeries(g, terms, lookup), oracle)).toBe(true);
    for (let t = 0; t < terms.length; t++) {
      const perturbed = terms.map((term, i) =>
        i === t ? { tree: term.tree, coefficient: { num: term.coefficient.num * 1000n + term.coefficient.den, den: term.coefficient.den * 1000n } } : term,
      );
      expect(vecEquals(evaluateTreeSeries(g, perturbed, lookup), oracle), `perturbing term ${t}`).toBe(false);
    }
  });
});
