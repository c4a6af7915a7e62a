/**
 * The SGD epoch oracle (test/helpers/sgdEpochOracle.ts) held to facts computed without it:
 * - m = 1 is gradient descent: ξ_0 = ½Hg, ξ_1 = ⅓H²g + (1/12)∇³L[g,g], ξ_2 = ¼H³g + (1/12)H∇³L[g,g]
 *   + (1/12)∇³L[Hg,g] (Miyagawa, NeurIPS 2022), built here from H and ∇³L of the polynomial;
 * - random reshuffling: ξ_0 = (1/(2m)) Σ_k H_k g_k (Smith, Dherin, Barrett & De, ICLR 2021, whose
 *   modified loss is L + η/(4m) Σ_k ‖∇L_k‖²);
 * - cyclic: ξ_0 = (1/(2m)) Σ_k H_k g_k + (1/(2m)) Σ_{j<k} (H_j g_k − H_k g_j). By hand for m = 2: the
 *   epoch is θ − η(g_1 + g_2) + η² H_2 g_1 + O(η³); the time-2η flow of F_0 + ηF_1 is
 *   θ + 2ηF_0 + η²(2F_1 + 2Hg) + O(η³), so F_0 = −g and ξ_0 = −F_1 = Hg − ½H_2g_1, which is the formula.
 * - identical batches: m steps of GD, so GD's series with time step η;
 * - one variable, L_k = a_k x²/2: every step is multiplication by (1 − ηa_k), they commute, and the
 *   field is F = log Π_k(1 − ηa_k) x/(mη), so ξ_j = (1/m) Σ_k a_k^{j+2}/(j+2) x for every j and both
 *   samplings;
 * - the shuffle series is symmetric in the batches.
 */
import { describe, expect, it } from 'vitest';
import { Poly, gradient, q, vecAdd, vecScale, vecSub, type PolyVec } from './helpers/polynomial.js';
import { gdMap, lieSeriesCounterTerms } from './helpers/lieSeriesOracle.js';
import {
  canonicalPoly,
  oraclePolynomial,
  sgdEpochOracle,
  type CanonicalPoly,
  type OraclePolynomial,
} from './helpers/sgdEpochOracle.js';

// ---------------------------------------------------------------- derivatives by hand

const hessian = (L: Poly): Poly[][] => gradient(L).map((gi) => gradient(gi));
const matVec = (M: Poly[][], v: PolyVec): Poly[] =>
  M.map((row) => row.reduce((s, Mij, j) => s.add(Mij.mul(v[j]!)), Poly.zero(v[0]!.nvars)));
/** ∇³L[u, v]_i = Σ_{j,k} ∂_i∂_j∂_k L u_j v_k */
const third = (L: Poly, u: PolyVec, v: PolyVec): Poly[] =>
  hessian(L).map((row) => matVec(row.map((Lij) => gradient(Lij)), v).reduce((s, t, j) => s.add(t.mul(u[j]!)), Poly.zero(L.nvars)));

const canon = (v: PolyVec): CanonicalPoly[] => v.map(canonicalPoly);

/** GD's ξ_0, ξ_1, ξ_2 from H and ∇³L (the closed forms in the file comment). */
function gdClosedForms(L: Poly): Poly[][] {
  const g = gradient(L);
  const H = hessian(L);
  const Hg = matVec(H, g);
  const Tgg = third(L, g, g);
  const xi0 = vecScale(Hg, q(1, 2));
  const xi1 = vecAdd(vecScale(matVec(H, Hg), q(1, 3)), vecScale(Tgg, q(1, 12)));
  const xi2 = vecAdd(
    vecAdd(vecScale(matVec(H, matVec(H, Hg)), q(1, 4)), vecScale(matVec(H, Tgg), q(1, 12))),
    vecScale(third(L, Hg, g), q(1, 12)),
  );
  return [xi0, xi1, xi2];
}

// ---------------------------------------------------------------- examples

const t = (n: bigint, d: bigint, ...exps: number[]) => ({ coef: [n, d] as const, exps });

/** A non-convex 2-variable loss: x⁴/4 + x y² − y³/3 + 2xy. */
const single: OraclePolynomial = [t(1n, 4n, 4, 0), t(1n, 1n, 1, 2), t(-1n, 3n, 0, 3), t(2n, 1n, 1, 1)];

/** Three batches in (x, y). */
const three: OraclePolynomial[] = [
  [t(1n, 3n, 3, 0), t(1n, 1n, 1, 1), t(1n, 2n, 0, 2)], //          x³/3 + xy + y²/2
  [t(1n, 4n, 0, 4), t(-1n, 1n, 2, 1), t(3n, 2n, 1, 0)], //         y⁴/4 − x²y + 3x/2
  [t(1n, 2n, 2, 0), t(-2n, 1n, 1, 1), t(2n, 1n, 0, 2), t(1n, 2n, 2, 2)], // (x − 2y)²/2 + x²y²/2
];
const threePolys = three.map((b) => oraclePolynomial(b, 2));
const HkGk = (k: number): Poly[] => matVec(hessian(threePolys[k]!), gradient(threePolys[k]!));
const HjGk = (j: number, k: number): Poly[] => matVec(hessian(threePolys[j]!), gradient(threePolys[k]!));
const meanGradient = (polys: Poly[]): Poly[] =>
  vecScale(polys.map(gradient).reduce((a, b) => vecAdd(a, b)), q(1n, BigInt(polys.length)));

/** (1/(2m)) Σ_k H_k g_k */
function smithXi0(m: number): Poly[] {
  let s = HkGk(0);
  for (let k = 1; k < m; k++) s = vecAdd(s, HkGk(k));
  return vecScale(s, q(1n, BigInt(2 * m)));
}
/** (1/(2m)) Σ_k H_k g_k + (1/(2m)) Σ_{j<k} (H_j g_k − H_k g_j) for the batch order `order`. */
function cyclicXi0(order: number[]): Poly[] {
  const m = order.length;
  let s = smithXi0(m);
  for (let a = 0; a < m; a++) {
    for (let b = a + 1; b < m; b++) {
      const [j, k] = [order[a]!, order[b]!];
      s = vecAdd(s, vecScale(vecSub(HjGk(j, k), HjGk(k, j)), q(1n, BigInt(2 * m))));
    }
  }
  return s;
}

// ---------------------------------------------------------------- tests

describe('sgdEpochOracle: m = 1 is gradient descent', () => {
  const L = oraclePolynomial(single, 2);
  it('F_0 = −g and ξ_0, ξ_1, ξ_2 are the GD closed forms', () => {
    const r = sgdEpochOracle([single], { sampling: 'cyclic', order: 2 });
    expect(r.F0).toEqual(canon(gradient(L).map((p) => p.neg())));
    const expected = gdClosedForms(L);
    expect(r.xi).toHaveLength(3);
    r.xi.forEach((xi, k) => expect(xi, `ξ_${k}`).toEqual(canon(expected[k]!)));
  });
  it('ξ_3 agrees with the one-step GD oracle (a single substitution, not a composition of steps)', () => {
    const r = sgdEpochOracle([single], { sampling: 'shuffle', order: 3 });
    expect(r.xi[3]).toEqual(canon(lieSeriesCounterTerms(L, gdMap, 3)[3]!));
  });
});

describe('sgdEpochOracle: first order, three batches in two variables', () => {
  it('shuffle: ξ_0 = (1/(2m)) Σ_k H_k g_k (Smith et al. 2021), F_0 = −g', () => {
    const r = sgdEpochOracle(three, { sampling: 'shuffle', order: 0 });
    expect(r.F0).toEqual(canon(meanGradient(threePolys).map((p) => p.neg())));
    expect(r.xi[0]).toEqual(canon(smithXi0(3)));
  });
  it('cyclic: ξ_0 adds (1/(2m)) Σ_{j<k} (H_j g_k − H_k g_j), for the default and a given order', () => {
    expect(sgdEpochOracle(three, { sampling: 'cyclic', order: 0 }).xi[0]).toEqual(canon(cyclicXi0([0, 1, 2])));
    const r = sgdEpochOracle(three, { sampling: 'cyclic', order: 0, cyclicOrder: [2, 0, 1] });
    expect(r.xi[0]).toEqual(canon(cyclicXi0([2, 0, 1])));
    // the order-dependent term is really there (not a vacuous comparison)
    expect(canon(cyclicXi0([0, 1, 2]))).not.toEqual(canon(smithXi0(3)));
  });
});

describe('sgdEpochOracle: identical batches give GD’s series with time step η', () => {
  const L = oraclePolynomial(single, 2);
  for (const sampling of ['cyclic', 'shuffle'] as const) {
    it(`${sampling}, m = 3: ξ_0, ξ_1, ξ_2`, () => {
      const r = sgdEpochOracle([single, single, single], { sampling, order: 2 });
      const expected = gdClosedForms(L);
      r.xi.forEach((xi, k) => expect(xi, `ξ_${k}`).toEqual(canon(expected[k]!)));
    });
  }
});

describe('sgdEpochOracle: commuting quadratic batches a_k x²/2 (closed form to order 3)', () => {
  const a = [1n, 2n, -3n, 5n];
  const batches = a.map((ak) => [t(ak, 2n, 2)]);
  for (const sampling of ['cyclic', 'shuffle'] as const) {
    it(`${sampling}, m = 4: ξ_j = (1/m) Σ_k a_k^{j+2}/(j+2) x`, () => {
      const r = sgdEpochOracle(batches, { sampling, order: 3 });
      r.xi.forEach((xi, j) => {
        const s = a.reduce((acc, ak) => acc + ak ** BigInt(j + 2), 0n);
        const c = q(s, BigInt(a.length * (j + 2)));
        expect(xi, `ξ_${j}`).toEqual([canonicalPoly(Poly.monomial(1, c, [1]))]);
      });
    });
  }
});

describe('sgdEpochOracle: the shuffle series is symmetric in the batches', () => {
  it('every permutation of three batches gives the same ξ_0, ξ_1 (and cyclic does not)', () => {
    const base = sgdEpochOracle(three, { sampling: 'shuffle', order: 1 });
    for (const perm of [[1, 0, 2], [2, 1, 0], [1, 2, 0]]) {
      const r = sgdEpochOracle(perm.map((k) => three[k]!), { sampling: 'shuffle', order: 1 });
      expect(r).toEqual(base);
    }
    const c1 = sgdEpochOracle(three, { sampling: 'cyclic', order: 1 });
    const c2 = sgdEpochOracle([three[1]!, three[0]!, three[2]!], { sampling: 'cyclic', order: 1 });
    expect(c1.xi[1]).not.toEqual(c2.xi[1]);
  });
});

describe('sgdEpochOracle: bad input', () => {
  const b: OraclePolynomial = [t(1n, 2n, 2)];
  it('refuses more than 5 batches for shuffle, orders above 3, a bad permutation, ragged exponents', () => {
    expect(() => sgdEpochOracle(Array(6).fill(b), { sampling: 'shuffle', order: 0 })).toThrow(/at most 5/);
    expect(() => sgdEpochOracle([b], { sampling: 'cyclic', order: 4 })).toThrow(/order/);
    expect(() => sgdEpochOracle([b, b], { sampling: 'cyclic', order: 0, cyclicOrder: [0, 0] })).toThrow(/permutation/);
    expect(() => sgdEpochOracle([b, [t(1n, 1n, 1, 1)]], { sampling: 'cyclic', order: 0 })).toThrow(/exponents/);
  });
});
