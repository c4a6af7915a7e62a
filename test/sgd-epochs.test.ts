/**
 * Numeric SGD epochs (src/simulate/sgdEpochs.ts, sgdMonteCarlo.ts, sgdValidate.ts) held to
 * closed forms and independent routes:
 * - quadratic batches L_k = ½(θ − a_k)ᵀA_k(θ − a_k): a step is the affine map θ ↦ (I − ηA_k)θ + ηA_k a_k,
 *   so an epoch is M θ + c with M = (I − ηA_{π_m})…(I − ηA_{π_1}); composed here as 2×2 matrices,
 *   and the shuffle mean as the average of the m! affine maps; plus a case worked by hand;
 * - mulberry32 against an independent Python transcription (values in the test);
 * - Monte-Carlo: the standard error of a two-point distribution in closed form, and the exact mean
 *   inside a few standard errors;
 * - validation: gradient flow slope 2 and Smith et al.'s ξ_0 = (1/(2m)) Σ_k H_k g_k slope 3 (ICLR
 *   2021) written by hand for quadratics; EoM_0…EoM_2 of a non-convex 3-batch problem built from the
 *   exact SGD oracle (test/helpers/sgdEpochOracle.ts) slopes 3, 4, 5 — for cyclic and shuffle.
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_EXACT_MEAN_BATCHES,
  mulberry32,
  randomPermutation,
  sgdCyclicEpoch,
  sgdEpoch,
  sgdMeanEpochExact,
  sgdMonteCarlo,
  validateSgdEpoch,
  type SgdBatchGradient,
  type SgdField,
} from '../src/simulate/index.js';
import { gradient } from './helpers/polynomial.js';
import { canonicalPoly, oraclePolynomial, sgdEpochOracle, type CanonicalPoly, type OraclePolynomial } from './helpers/sgdEpochOracle.js';

// ---------------------------------------------------------------- quadratic batches

type Mat = [[number, number], [number, number]];
type Vec = [number, number];
const A: Mat[] = [
  [[2, 0.5], [0.5, 1]],
  [[1, -0.3], [-0.3, 3]],
  [[0.5, 0.2], [0.2, 0.8]],
];
const a: Vec[] = [[1, -1], [-0.5, 2], [0.3, 0.7]];
const mv = (M: Mat, v: ArrayLike<number>): Vec => [M[0][0] * v[0]! + M[0][1] * v[1]!, M[1][0] * v[0]! + M[1][1] * v[1]!];
const mm = (P: Mat, Q: Mat): Mat => [
  [P[0][0] * Q[0][0] + P[0][1] * Q[1][0], P[0][0] * Q[0][1] + P[0][1] * Q[1][1]],
  [P[1][0] * Q[0][0] + P[1][1] * Q[1][0], P[1][0] * Q[0][1] + P[1][1] * Q[1][1]],
];
const quadGrads: SgdBatchGradient[] = A.map((Ak, k) => (t) => Float64Array.from(mv(Ak, [t[0]! - a[k]![0], t[1]! - a[k]![1]])));

/** The epoch as an affine map M θ + c, composed from the steps' matrices. */
function affineEpoch(order: number[], eta: number): { M: Mat; c: Vec } {
  let M: Mat = [[1, 0], [0, 1]];
  let c: Vec = [0, 0];
  for (const k of order) {
    const S: Mat = [[1 - eta * A[k]![0][0], -eta * A[k]![0][1]], [-eta * A[k]![1][0], 1 - eta * A[k]![1][1]]];
    const b = mv(A[k]!, a[k]!);
    const Sc = mv(S, c);
    M = mm(S, M);
    c = [Sc[0] + eta * b[0], Sc[1] + eta * b[1]];
  }
  return { M, c };
}
const apply = ({ M, c }: { M: Mat; c: Vec }, t: Vec): Vec => {
  const r = mv(M, t);
  return [r[0] + c[0], r[1] + c[1]];
};
const permutations = (m: number): number[][] =>
  m === 0 ? [[]] : permutations(m - 1).flatMap((p) => Array.from({ length: m }, (_, i) => [...p.slice(0, i), m - 1, ...p.slice(i)]));

const close = (x: ArrayLike<number>, y: ArrayLike<number>, tol = 1e-14) => {
  expect(x.length).toBe(y.length);
  for (let i = 0; i < x.length; i++) expect(Math.abs(x[i]! - y[i]!), `coordinate ${i}: ${x[i]} vs ${y[i]}`).toBeLessThanOrEqual(tol);
};

describe('SGD epochs on quadratic batches (affine closed form)', () => {
  const theta0: Vec = [0.4, -0.2];
  it('a case by hand: 1-D batches x²/2·1 and (x−1)²/2·2 from x = 1, η = 1/4', () => {
    const g: SgdBatchGradient[] = [(t) => Float64Array.of(t[0]!), (t) => Float64Array.of(2 * (t[0]! - 1))];
    // order 0,1: 1 → 3/4 → 3/4 − (1/2)(−1/4) = 7/8;  order 1,0: 1 → 1 → 3/4;  mean 13/16
    close(sgdCyclicEpoch(g, [1], 0.25), [7 / 8]);
    close(sgdEpoch(g, [1], 0.25, [1, 0]), [3 / 4]);
    close(sgdMeanEpochExact(g, [1], 0.25), [13 / 16]);
  });
  it('cyclic epoch = (I − ηA_3)(I − ηA_2)(I − ηA_1)θ + c, in the default and a given order', () => {
    for (const eta of [0.1, 0.3]) {
      close(sgdCyclicEpoch(quadGrads, theta0, eta), apply(affineEpoch([0, 1, 2], eta), theta0));
      close(sgdEpoch(quadGrads, theta0, eta, [2, 0, 1]), apply(affineEpoch([2, 0, 1], eta), theta0));
    }
  });
  it('the exact shuffle mean is the mean of the 3! affine maps', () => {
    const eta = 0.2;
    const ends = permutations(3).map((p) => apply(affineEpoch(p, eta), theta0));
    const mean = [0, 1].map((i) => ends.reduce((s, e) => s + e[i]!, 0) / ends.length);
    close(sgdMeanEpochExact(quadGrads, theta0, eta), mean);
  });
  it('refuses more than 6 batches for the exact mean, a bad order, a wrong gradient length', () => {
    expect(MAX_EXACT_MEAN_BATCHES).toBe(6);
    const g7 = Array.from({ length: 7 }, () => quadGrads[0]!);
    expect(() => sgdMeanEpochExact(g7, theta0, 0.1)).toThrow(/limited to 6 batches \(got 7\).*Monte-Carlo/);
    expect(() => sgdEpoch(quadGrads, theta0, 0.1, [0, 0, 1])).toThrow(/permutation of 0 … 2/);
    expect(() => sgdCyclicEpoch([() => Float64Array.of(1)], theta0, 0.1)).toThrow(/1 components for 2 parameters/);
  });
  it('the exact mean handles 6 batches (720 orders)', () => {
    const g6 = Array.from({ length: 6 }, (_, k) => quadGrads[k % 3]!);
    const eta = 0.05;
    const ends = permutations(6).map((p) => apply(affineEpoch(p.map((k) => k % 3), eta), theta0));
    const mean = [0, 1].map((i) => ends.reduce((s, e) => s + e[i]!, 0) / ends.length);
    close(sgdMeanEpochExact(g6, theta0, eta), mean, 1e-13);
  });
});

// ---------------------------------------------------------------- the generator

describe('mulberry32 and random permutations', () => {
  it('matches an independent Python transcription of mulberry32 (values computed there)', () => {
    const expected: [number, number[]][] = [
      [0, [0.26642920868471265, 0.0003297457005828619, 0.2232720274478197, 0.1462021479383111]],
      [42, [0.6011037519201636, 0.44829055899754167, 0.8524657934904099, 0.6697340414393693]],
      [2 ** 31 + 7, [0.602476132567972, 0.7339559779502451, 0.5464768158271909, 0.6116817011497915]],
    ];
    for (const [seed, values] of expected) {
      const r = mulberry32(seed);
      expect(values.map(() => r())).toEqual(values);
    }
  });
  it('draws the 6 permutations of 3 about equally often (chi-square, 6000 draws)', () => {
    const rand = mulberry32(123);
    const counts = new Map<string, number>();
    for (let i = 0; i < 6000; i++) {
      const p = randomPermutation(3, rand);
      expect([...p].sort()).toEqual([0, 1, 2]);
      counts.set(p.join(''), (counts.get(p.join('')) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - 1000) ** 2 / 1000, 0);
    expect(chi2).toBeLessThan(20.5); // χ²_5 upper 0.1 % point
  });
});

// ---------------------------------------------------------------- Monte-Carlo

describe('Monte-Carlo mean over seeded runs', () => {
  it('is reproducible from its seed, and cyclic runs have standard error 0 and follow the epochs', () => {
    const opts = { sampling: 'shuffle' as const, runs: 50, epochs: 3, seed: 9 };
    const r1 = sgdMonteCarlo(quadGrads, [0.4, -0.2], 0.1, opts);
    const r2 = sgdMonteCarlo(quadGrads, [0.4, -0.2], 0.1, opts);
    expect(r1.trajectory).toEqual(r2.trajectory);
    expect(sgdMonteCarlo(quadGrads, [0.4, -0.2], 0.1, { ...opts, seed: 10 }).trajectory[3]!.mean).not.toEqual(r1.trajectory[3]!.mean);
    const c = sgdMonteCarlo(quadGrads, [0.4, -0.2], 0.1, { sampling: 'cyclic', runs: 3, epochs: 2, order: [1, 2, 0] });
    let theta: ArrayLike<number> = [0.4, -0.2];
    for (const e of c.trajectory) {
      close(e.mean, theta, 1e-15);
      close(e.standardError, [0, 0], 1e-15);
      theta = sgdEpoch(quadGrads, theta, 0.1, [1, 2, 0]);
    }
  });
  it('standard error of a two-point law: 1-D batches, the two orders end at 7/8 and 3/4, SE ≈ (1/16)/√R', () => {
    const g: SgdBatchGradient[] = [(t) => Float64Array.of(t[0]!), (t) => Float64Array.of(2 * (t[0]! - 1))];
    const R = 4000;
    const mc = sgdMonteCarlo(g, [1], 0.25, { sampling: 'shuffle', runs: R, epochs: 1, seed: 3 });
    const last = mc.trajectory[1]!;
    expect(mc.trajectory).toHaveLength(2);
    close(mc.trajectory[0]!.mean, [1], 0);
    // the sample SD of a fair two-point law at distance 1/8 is 1/16 (± a few % at R = 4000)
    expect(last.spread[0]! / Math.sqrt(R)).toBe(last.standardError[0]);
    expect(last.standardError[0]! * Math.sqrt(R)).toBeGreaterThan(0.0625 * 0.97);
    expect(last.standardError[0]! * Math.sqrt(R)).toBeLessThan(0.0625 * 1.03);
    expect(Math.abs(last.mean[0]! - 13 / 16)).toBeLessThan(4 * last.standardError[0]!);
  });
  it('after one epoch the shuffle Monte-Carlo mean agrees with the exact mean within 4 standard errors', () => {
    const theta0 = [0.4, -0.2];
    const mc = sgdMonteCarlo(quadGrads, theta0, 0.3, { sampling: 'shuffle', runs: 3000, epochs: 4, seed: 1 });
    const exact = sgdMeanEpochExact(quadGrads, theta0, 0.3);
    const e1 = mc.trajectory[1]!;
    for (let i = 0; i < 2; i++) {
      expect(e1.standardError[i]).toBeGreaterThan(0);
      expect(Math.abs(e1.mean[i]! - exact[i]!)).toBeLessThan(4 * e1.standardError[i]!);
    }
    expect(mc.trajectory.map((e) => e.epoch)).toEqual([0, 1, 2, 3, 4]);
  });
  it('refuses fewer than 2 runs, no epochs, an order with shuffle', () => {
    expect(() => sgdMonteCarlo(quadGrads, [0, 0], 0.1, { sampling: 'shuffle', runs: 1, epochs: 1 })).toThrow(/runs must be an integer ≥ 2/);
    expect(() => sgdMonteCarlo(quadGrads, [0, 0], 0.1, { sampling: 'shuffle', runs: 2, epochs: 0 })).toThrow(/epochs/);
    expect(() => sgdMonteCarlo(quadGrads, [0, 0], 0.1, { sampling: 'shuffle', runs: 2, epochs: 1, order: [0, 1, 2] })).toThrow(/cyclic/);
  });
});

// ---------------------------------------------------------------- validation

/** Smith et al.'s shuffle EoM_0 for the quadratic batches: −g − η (1/(2m)) Σ_k A_k g_k. */
const quadField =
  (withXi0: boolean): SgdField =>
  (t, eta) => {
    const gs = quadGrads.map((g) => Array.from(g(t)));
    const out = [0, 1].map((i) => -gs.reduce((s, g) => s + g[i]!, 0) / 3);
    if (withXi0) {
      A.forEach((Ak, k) => {
        const Hg = mv(Ak, gs[k]!);
        out[0]! -= (eta * Hg[0]) / 6;
        out[1]! -= (eta * Hg[1]) / 6;
      });
    }
    return out;
  };

describe('validateSgdEpoch: local error slopes', () => {
  const lrs = [0.08, 0.04, 0.02, 0.01];
  const problem = { gradients: quadGrads, theta0: [0.4, -0.2], sampling: 'shuffle' as const };
  it('quadratic batches, shuffle: gradient flow slope 2, Smith et al.’s ξ_0 slope 3', () => {
    const gf = validateSgdEpoch(problem, quadField(false), -1, { lrs });
    expect(gf.expectedLocalSlope).toBe(2);
    expect(gf.passed, `slope ${gf.localSlope}`).toBe(true);
    const eom0 = validateSgdEpoch(problem, quadField(true), 0, { lrs });
    expect(Math.abs(eom0.localSlope - 3)).toBeLessThan(0.15);
    expect(eom0.passed).toBe(true);
    expect(eom0.atNoiseFloor).toEqual([]);
  });
  it('cyclic sampling is not followed by the shuffle EoM_0 (slope 2, fails) — the check can fail', () => {
    const v = validateSgdEpoch({ ...problem, sampling: 'cyclic' }, quadField(true), 0, { lrs });
    expect(Math.abs(v.localSlope - 2)).toBeLessThan(0.2);
    expect(v.passed).toBe(false);
  });
});

// A non-convex problem: three batches in (x, y), fields ξ_0 … ξ_3 from the exact oracle.
const t = (n: bigint, d: bigint, ...exps: number[]) => ({ coef: [n, d] as const, exps });
const three: OraclePolynomial[] = [
  [t(1n, 3n, 3, 0), t(1n, 1n, 1, 1), t(1n, 2n, 0, 2)], //          x³/3 + xy + y²/2
  [t(1n, 4n, 0, 4), t(-1n, 1n, 2, 1), t(3n, 2n, 1, 0)], //         y⁴/4 − x²y + 3x/2
  [t(1n, 2n, 2, 0), t(-2n, 1n, 1, 1), t(2n, 1n, 0, 2), t(1n, 2n, 2, 2)], // (x − 2y)²/2 + x²y²/2
];
const evalCanonical = (p: CanonicalPoly, th: ArrayLike<number>): number => {
  let s = 0;
  for (const [exps, c] of p) {
    const [num, den = '1'] = c.split('/');
    s += exps.split(',').reduce((v, e, i) => v * th[i]! ** Number(e), Number(num) / Number(den));
  }
  return s;
};
const evalVec = (v: CanonicalPoly[], th: ArrayLike<number>) => v.map((p) => evalCanonical(p, th));
const polyGrads: SgdBatchGradient[] = three.map((b) => {
  const g = gradient(oraclePolynomial(b, 2)).map(canonicalPoly);
  return (th) => Float64Array.from(evalVec(g, th));
});

describe('validateSgdEpoch: the oracle’s EoM_0 … EoM_2 on a non-convex 3-batch problem', () => {
  const lrs = [0.04, 0.02, 0.01, 0.005];
  for (const sampling of ['shuffle', 'cyclic'] as const) {
    it(`${sampling}: slopes 3, 4, 5 and local/(m η^{j+3}‖ξ_{j+1}‖) → 1`, () => {
      const { F0, xi } = sgdEpochOracle(three, { sampling, order: 3 });
      for (let j = 0; j <= 2; j++) {
        const field: SgdField = (th, eta) => {
          const f = evalVec(F0, th);
          for (let k = 0; k <= j; k++) evalVec(xi[k]!, th).forEach((x, i) => (f[i]! -= eta ** (k + 1) * x));
          return f;
        };
        const v = validateSgdEpoch({ gradients: polyGrads, theta0: [0.6, -0.4], sampling }, field, j, {
          lrs,
          nextXi: (th) => evalVec(xi[j + 1]!, th),
        });
        expect(v.passed, `EoM_${j}: slope ${v.localSlope}, errors ${v.local}`).toBe(true);
        expect(Math.abs(v.localRatio!.at(-1)! - 1), `EoM_${j} ratio ${v.localRatio}`).toBeLessThan(0.15);
      }
    });
  }
});
