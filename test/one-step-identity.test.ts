/**
 * Independent numeric check of the counter terms: the one-step identity of the truncated EoM.
 *
 * Theory (Source: docs/design.md §2.7 "Truncation and error orders"; Miyagawa, NeurIPS 2022, the EoM and its
 * discretization error analysis): integrating EoM_K, dθ/dt = −g − Σ_{k≤K} η^{k+1} ξ_k, from θ0 for
 * time η misses the GD step θ0 − η g(θ0) by η^{K+3} ξ_{K+1}(θ0) + O(η^{K+4}); gradient flow is
 * K = −1 and misses by η² ξ_0.
 *
 * This file only reads the solver's output (trees and exact rational coefficients). The
 * elementary differentials are evaluated from closed-form directional derivatives of concrete
 * losses (test/helpers/numericField.ts) and the flow is integrated with RK4 + Richardson
 * extrapolation; nothing here shares code with src/derive.
 */
import { describe, expect, it } from 'vitest';
import {
  defaultTreeStore,
  rational,
  Rational,
  solveCounterTerms,
  TreeSeries,
  treeOfLevelSequence,
} from '../src/index.js';
import {
  axpy,
  cosineWellLoss,
  dot,
  ElementaryDifferentials,
  eomField,
  evaluateSeries,
  logCoshLoss,
  logLogSlope,
  norm,
  numericSeries,
  ridge2dLoss,
  ridgeLoss,
  rk4Displacement,
  rk4Richardson,
  sub,
  type DirectionalLoss,
  type NumericSeries,
  type Vec,
} from './helpers/numericField.js';

const VERBOSE = process.env.EOM_VERBOSE === '1';

/** ξ_0 … ξ_4: EoM_K for K ≤ 3 plus the predicted leading error term ξ_{K+1}. */
const XI = solveCounterTerms(4);
const XI_NUM = XI.map(numericSeries);

/**
 * Learning-rate ladder. Chosen so that (i) the smallest error (K = 3, η = 0.02; measured 1.1e-12 to
 * 4e-11 across the losses) stays far above the ≲1e-16 round-off of the O(η) displacement
 * integration, and (ii) η·‖H‖ < 1 everywhere (‖H‖ ≤ 1.1 at the chosen θ0).
 */
const ETAS = [0.16, 0.08, 0.04, 0.02];
/** RK4 substeps over [0, η] for the coarsest of the three Richardson levels (STEPS, 2·STEPS, 4·STEPS). */
const STEPS = 32;

interface Case {
  readonly loss: DirectionalLoss;
  readonly theta0: Vec;
}

const CASES: readonly Case[] = [
  { loss: cosineWellLoss(), theta0: [0.5] },
  { loss: logCoshLoss(), theta0: [0.35] },
  { loss: ridge2dLoss(), theta0: [0.3, -0.2] },
];

interface Measurement {
  /** err(η) = ‖θ_EoM_K(η) − θ_GD‖ for each η in ETAS. */
  readonly errs: number[];
  /** θ_EoM_K(η) − θ_GD (vector) for each η. */
  readonly diffs: Vec[];
  /** Integrator error estimate (last Richardson correction) relative to err, per η. */
  readonly integratorRel: number[];
}

/** Run EoM_K (with the given ξ_0..ξ_K) one step of time η and compare with one GD step. */
function measure(c: Case, xis: readonly NumericSeries[]): Measurement {
  const g0 = c.loss.derivative(0, c.theta0, []);
  const errs: number[] = [];
  const diffs: Vec[] = [];
  const integratorRel: number[] = [];
  for (const eta of ETAS) {
    const f = eomField(c.loss, xis, eta);
    const { displacement, errorEstimate } = rk4Richardson(f, c.theta0, eta, STEPS);
    // θ_EoM − θ_GD = (θ0 + δ) − (θ0 − η g0) = δ + η g0, computed on O(η) quantities.
    const diff = axpy(eta, g0, displacement);
    diffs.push(diff);
    errs.push(norm(diff));
    integratorRel.push(errorEstimate / norm(diff));
  }
  return { errs, diffs, integratorRel };
}

interface Verdict {
  readonly slope: number;
  /** err / (η^{K+3} ‖ξ_{K+1}(θ0)‖) at the smallest η. */
  readonly ratio: number;
  /** Richardson extrapolation 2 r(η_min) − r(2η_min) of that ratio (removes the O(η) term). */
  readonly ratioExtrapolated: number;
  /** cos∠(θ_EoM − θ_GD, ξ_{K+1}) at the smallest η. */
  readonly cosine: number;
}

function verdict(m: Measurement, K: number, xiNext: Vec): Verdict {
  const n = ETAS.length;
  const ratios = m.errs.map((e, i) => e / (ETAS[i]! ** (K + 3) * norm(xiNext)));
  const last = m.diffs[n - 1]!;
  return {
    slope: logLogSlope(ETAS, m.errs),
    ratio: ratios[n - 1]!,
    ratioExtrapolated: 2 * ratios[n - 1]! - ratios[n - 2]!,
    cosine: dot(last, xiNext) / (norm(last) * norm(xiNext)),
  };
}

/**
 * Acceptance bounds. Source of the expectations: docs/design.md (2.17), the truncation error
 * η^{K+3} ξ_{K+1} + O(η^{K+4}) (Miyagawa 2022). The O(η^{K+4}) term makes the ratio 1 + O(η): at
 * η = 0.02 it is measured ≤ 4.5% off (2-D loss, K = 3), hence RATIO_TOL; after Richardson
 * extrapolation in η it is ≤ 0.3% off, hence EXTRAPOLATED_TOL.
 */
const SLOPE_TOL = 0.3;
const RATIO_TOL = 0.06;
const EXTRAPOLATED_TOL = 0.005;
const COSINE_MIN = 0.999;

/** The acceptance test used for the real counter terms (and expected to fail for wrong ones). */
function passes(v: Verdict, K: number): boolean {
  return (
    Math.abs(v.slope - (K + 3)) <= SLOPE_TOL &&
    Math.abs(v.ratio - 1) <= RATIO_TOL &&
    Math.abs(v.ratioExtrapolated - 1) <= EXTRAPOLATED_TOL &&
    v.cosine >= COSINE_MIN
  );
}

describe('numeric field (the oracle itself)', () => {
  const vectors: Vec[][] = [[[0.7], [-1.3], [0.4], [1.1], [-0.6]], [
    [0.6, -0.8],
    [0.3, 0.5],
    [-1.1, 0.2],
    [0.9, 0.7],
    [-0.4, -1.2],
  ]];

  it.each(CASES.map((c) => [c.loss.name, c] as const))(
    'D^m g of %s matches a central difference of D^{m-1} g, m = 1..5',
    (_name, c) => {
      // Source: definition D^m g(θ)[v1..vm] = d/dε D^{m−1} g(θ + ε vm)[v1..v_{m−1}] at ε = 0;
      // central difference error O(ε²), so 1e-6 relative with ε = 1e-4.
      const vs = vectors[c.loss.dim - 1]!;
      const eps = 1e-4;
      for (let m = 1; m <= 5; m++) {
        const head = vs.slice(0, m - 1);
        const v = vs[m - 1]!;
        const plus = c.loss.derivative(m - 1, axpy(eps, v, c.theta0), head);
        const minus = c.loss.derivative(m - 1, axpy(-eps, v, c.theta0), head);
        const fd = sub(plus, minus).map((x) => x / (2 * eps));
        const exact = c.loss.derivative(m, c.theta0, vs.slice(0, m));
        expect(norm(sub(fd, exact))).toBeLessThan(1e-6 * Math.max(1, norm(exact)));
        // Source: ∇^{m+1}L is a symmetric tensor, so the order of v1..vm does not matter.
        const reversed = c.loss.derivative(m, c.theta0, vs.slice(0, m).reverse());
        expect(norm(sub(reversed, exact))).toBeLessThan(1e-13 * Math.max(1, norm(exact)));
      }
    },
  );

  it('the 2-D loss has a non-diagonal Hessian, g is not an eigenvector, and no F(τ) vanishes (|τ| ≤ 6)', () => {
    const c = CASES[2]!;
    const E = new ElementaryDifferentials(c.loss, c.theta0);
    const H = [c.loss.derivative(1, c.theta0, [[1, 0]]), c.loss.derivative(1, c.theta0, [[0, 1]])];
    expect(Math.abs(H[0]![1]!)).toBeGreaterThan(0.05);
    const g = E.of(0);
    const Hg = c.loss.derivative(1, c.theta0, [g]);
    const sine = Math.abs(g[0]! * Hg[1]! - g[1]! * Hg[0]!) / (norm(g) * norm(Hg));
    expect(sine).toBeGreaterThan(0.05);
    for (let n = 1; n <= 6; n++) {
      for (const t of defaultTreeStore.ofOrder(n)) expect(norm(E.of(t))).toBeGreaterThan(1e-3);
    }
  });

  it('evaluates the published ξ_0, ξ_1 and the quadratic-loss closed form', () => {
    for (const c of CASES) {
      const L = c.loss;
      const th = c.theta0;
      const g = L.derivative(0, th, []);
      const Hg = L.derivative(1, th, [g]);
      const HHg = L.derivative(1, th, [Hg]);
      const D2gg = L.derivative(2, th, [g, g]);
      // Source: docs/design.md (2.13)–(2.14), the published values ξ_0 = ½ H g (Barrett & Dherin 2021),
      // ξ_1 = ⅓ H² g + 1/12 ∇³L[g, g] (Miyagawa 2022).
      const xi0 = Hg.map((x) => x / 2);
      const xi1 = HHg.map((x, i) => x / 3 + D2gg[i]! / 12);
      expect(norm(sub(evaluateSeries(L, th, XI[0]!), xi0))).toBeLessThan(1e-14);
      expect(norm(sub(evaluateSeries(L, th, XI[1]!), xi1))).toBeLessThan(1e-14);
    }
    // Source: docs/design.md (2.15), the quadratic loss L = ½θᵀAθ: ξ_k = H^{k+1} g / (k+2).
    const A = [
      [1.3, 0.4],
      [0.4, 0.7],
    ];
    const quad = ridgeLoss('½θᵀAθ', [], A);
    const th = [0.9, -0.5];
    let v = quad.derivative(0, th, []); // g
    for (let k = 0; k <= 4; k++) {
      v = quad.derivative(1, th, [v]); // H^{k+1} g
      const expected = v.map((x) => x / (k + 2));
      expect(norm(sub(evaluateSeries(quad, th, XI[k]!), expected))).toBeLessThan(1e-13);
    }
  });

  it('the integrator reproduces exact flows to ~1e-15 relative', () => {
    // Source: for L = ½ q θ² (1-D), gradient flow is θ(t) = θ0 e^{−q t} (closed form). q = 2.5 is
    // stiffer than any Hessian used below (‖H‖ ≤ ~1.2).
    const q = 2.5;
    const quad = ridgeLoss('½qθ²', [], [[q]]);
    for (const eta of ETAS) {
      const exact = Math.expm1(-q * eta);
      const plain = rk4Displacement(eomField(quad, [], eta), [1], eta, STEPS);
      const { displacement, errorEstimate } = rk4Richardson(eomField(quad, [], eta), [1], eta, STEPS);
      // Plain RK4 is only ~1e-12 relative at the largest η (so the extrapolation is what buys the
      // last digits); the extrapolated result is at round-off level for every η.
      if (eta === ETAS[0]) expect(Math.abs(plain[0]! - exact) / Math.abs(exact)).toBeGreaterThan(1e-13);
      expect(Math.abs(displacement[0]! - exact) / Math.abs(exact)).toBeLessThan(2e-15);
      expect(errorEstimate / Math.abs(exact)).toBeLessThan(1e-13);
    }
    // Source: an exact flow map is invertible by the reversed field (φ_{−t} ∘ φ_t = id), so
    // forward-then-backward on the nonlinear EoM_3 field of the cosine well must return to θ0.
    const c = CASES[0]!;
    const f = eomField(c.loss, XI_NUM.slice(0, 4), 0.16);
    const forward = rk4Richardson(f, c.theta0, 0.16, STEPS).displacement;
    const mid = axpy(1, forward, c.theta0);
    const back = rk4Richardson((th) => f(th).map((x) => -x), mid, 0.16, STEPS).displacement;
    expect(norm(axpy(1, back, forward))).toBeLessThan(1e-15);
  });
});

describe('one-step identity: EoM_K misses GD by η^{K+3} ξ_{K+1}(θ0)', () => {
  const rows: string[] = [];

  for (const c of CASES) {
    for (let K = -1; K <= 3; K++) {
      it(`${c.loss.name} at θ0 = [${c.theta0.join(', ')}], K = ${K}`, () => {
        const m = measure(c, XI_NUM.slice(0, K + 1));
        const xiNext = evaluateSeries(c.loss, c.theta0, XI_NUM[K + 1]!);
        const v = verdict(m, K, xiNext);
        rows.push(
          `${c.loss.name.padEnd(24).slice(0, 24)} K=${String(K).padStart(2)} slope=${v.slope.toFixed(3)} ` +
            `ratio=${v.ratio.toFixed(4)} extrap=${v.ratioExtrapolated.toFixed(5)} cos=${v.cosine.toFixed(6)} ` +
            `minErr=${m.errs[m.errs.length - 1]!.toExponential(2)} integ=${Math.max(...m.integratorRel).toExponential(1)}`,
        );
        // Integrator and round-off must not pollute the measurement: the last Richardson
        // correction is far below err.
        for (const r of m.integratorRel) expect(r).toBeLessThan(1e-4);
        // The measured errors must sit far above round-off (≲1e-16 on the O(η) displacement).
        expect(Math.min(...m.errs)).toBeGreaterThan(1e-13);
        // Source: docs/design.md (2.17), the truncation error η^{K+3} ξ_{K+1} + O(η^{K+4}) (Miyagawa 2022):
        // the log-log slope of err(η) is K + 3.
        expect(Math.abs(v.slope - (K + 3))).toBeLessThanOrEqual(SLOPE_TOL);
        // Same source: err / (η^{K+3}‖ξ_{K+1}‖) = 1 + O(η): within a few % at η = 0.02 …
        expect(Math.abs(v.ratio - 1)).toBeLessThanOrEqual(RATIO_TOL);
        // … and within 0.5% once the O(η) term is removed by Richardson extrapolation in η.
        expect(Math.abs(v.ratioExtrapolated - 1)).toBeLessThanOrEqual(EXTRAPOLATED_TOL);
        // Same source, as vectors: the miss points along +ξ_{K+1}(θ0) (sign included).
        expect(v.cosine).toBeGreaterThanOrEqual(COSINE_MIN);
        expect(passes(v, K)).toBe(true);
      });
    }
  }

  it('summary', () => {
    if (VERBOSE) console.info(rows.join('\n'));
    expect(rows.length).toBe(CASES.length * 5);
  });
});

describe('negative controls: wrong counter terms break the identity', () => {
  // Source: docs/design.md (2.14), the published ξ_1 = ⅓ H²g + 1/12 ∇³L[g, g]; [1,2,2] is the tree of ∇³L[g, g].
  const cherry = treeOfLevelSequence([1, 2, 2]);
  const wrongXi1 = TreeSeries.fromEntries(
    Rational,
    XI[1]!.terms().map((t) => [t.tree, t.tree.id === cherry.id ? rational(1, 6) : t.coefficient] as const),
  );

  it('the solver gives 1/12 on ∇³L[g, g], which the control replaces by 1/6', () => {
    expect(Rational.equals(XI[1]!.coefficient(cherry), rational(1, 12))).toBe(true);
    expect(Rational.equals(wrongXi1.coefficient(cherry), rational(1, 6))).toBe(true);
  });

  it.each(CASES.map((c) => [c.loss.name, c] as const))(
    'K = 1 with 1/12 → 1/6 on %s: slope drops from 4 towards 3',
    (_name, c) => {
      const m = measure(c, [XI_NUM[0]!, numericSeries(wrongXi1)]);
      const xiNext = evaluateSeries(c.loss, c.theta0, XI_NUM[2]!);
      const v = verdict(m, 1, xiNext);
      if (VERBOSE) console.info(`negative control ${c.loss.name}: slope=${v.slope.toFixed(3)} ratio=${v.ratio.toFixed(2)}`);
      // A wrong ξ_1 leaves an η²·(1/6 − 1/12)∇³L[g,g] velocity error, i.e. an η³ miss: the slope
      // leaves 4 ± 0.3 (it reads 2.7–3.4 on this ladder, an η³ term mixed with the true η⁴ one)
      // and the ratio to the predicted η⁴ ξ_2 term is far from 1.
      expect(passes(v, 1)).toBe(false);
      expect(v.slope).toBeLessThan(4 - SLOPE_TOL);
      expect(v.ratio).toBeGreaterThan(2);
    },
  );

  it('every coefficient of ξ_0..ξ_3 is pinned: ±1/720 on any one fails the check on the 2-D loss', () => {
    const c = CASES[2]!;
    const lines: string[] = [];
    for (let K = 0; K <= 3; K++) {
      const xiNext = evaluateSeries(c.loss, c.theta0, XI_NUM[K + 1]!);
      for (const term of XI_NUM[K]!) {
        // 1/720 is the smallest non-zero |coefficient| in ξ_0..ξ_3 (Source: the solver's ξ_3, whose
        // ∇⁴L[g,g,g] term is −1/720; checked below so the control is not vacuous).
        for (const delta of [1 / 720, -1 / 720]) {
          const perturbed = XI_NUM[K]!.map((t) =>
            t.treeId === term.treeId ? { treeId: t.treeId, coefficient: t.coefficient + delta } : t,
          );
          const v = verdict(measure(c, [...XI_NUM.slice(0, K), perturbed]), K, xiNext);
          lines.push(
            `K=${K} [${defaultTreeStore.get(term.treeId).levelSequence.join(',')}] ${delta > 0 ? '+' : '−'}1/720: ` +
              `slope=${v.slope.toFixed(3)} ratio=${v.ratio.toFixed(3)} extrap=${v.ratioExtrapolated.toFixed(3)}`,
          );
          // Source: docs/design.md (2.17), the truncation error η^{K+3} ξ_{K+1}; a wrong ξ_K coefficient adds an
          // η^{K+2} miss, so the acceptance test must reject it.
          expect(passes(v, K)).toBe(false);
        }
      }
    }
    if (VERBOSE) console.info(lines.join('\n'));
    const smallest = Math.min(...XI_NUM.slice(0, 4).flatMap((s) => s.map((t) => Math.abs(t.coefficient))));
    expect(smallest).toBeCloseTo(1 / 720, 15);
  });
});
