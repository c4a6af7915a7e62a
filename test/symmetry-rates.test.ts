/**
 * Layer symmetries under the truncated EoM with weight decay (src/derive/symmetryRates.ts).
 *
 * Independent truths: the O(η) formula (2.22) of docs/design.md; a hand derivation at O(η²); the exact GD and
 * extragradient maps on a translation direction (their logarithms, expanded here with exact
 * rationals by a separate power-series routine); and numerically, the EoM_K field of concrete
 * losses WITH weight decay (differentiated and compiled by src/loss + src/compile, which never see
 * the closed forms), contracted with θ or 1.
 */
import { describe, expect, it } from 'vitest';
import {
  Loss,
  Rational,
  compileScaleNormRate,
  compileTreeCounterTerms,
  extragradient,
  gradientDescent,
  gradientDescentTranslationRate,
  invariantText,
  rational,
  rationalToNumber,
  scaleNormRate,
  scaleNormRateLatex,
  scaleNormRateText,
  solveCounterTerms,
  translationRate,
  translationRateLatex,
  translationRateText,
  type ScaleNormRate,
  type UpdateRule,
} from '../src/index.js';

const XI_GD = solveCounterTerms(7);
const XI_EG = solveCounterTerms(4, extragradient);

/** Terms as readable tuples [η power, λ power, coefficient, factor name]. */
function tuples(rate: ScaleNormRate): [number, number, string, string][] {
  return rate.terms.map((t) => [
    t.etaPower,
    t.lambdaPower,
    Rational.toString(t.coefficient),
    t.factor === 'normSquared' ? '‖θ‖²' : invariantText(t.factor, rate.store),
  ]);
}

/** Power series in u with exact rational coefficients, truncated after u^N. */
type Series = Rational[];
const mulSeries = (a: Series, b: Series, N: number): Series => {
  const out: Series = Array.from({ length: N + 1 }, () => Rational.zero);
  a.forEach((x, i) => b.forEach((y, j) => i + j <= N && (out[i + j] = Rational.add(out[i + j]!, Rational.mul(x, y)))));
  return out;
};
/** log(1 + x(u)) for x(0) = 0: Σ_{n≥1} (−1)^{n+1} x^n / n, to u^N. */
function log1pSeries(x: Series, N: number): Series {
  let out: Series = Array.from({ length: N + 1 }, () => Rational.zero);
  let power: Series = [Rational.one];
  for (let n = 1; n <= N; n++) {
    power = mulSeries(power, x, N);
    const c = rational(n % 2 === 1 ? 1 : -1, n);
    out = out.map((o, i) => Rational.add(o, Rational.mul(c, power[i] ?? Rational.zero)));
  }
  return out;
}
/** A step factor 1 + x(u) (u = ηλ) ↦ the coefficients a_j of its rate log(1 + x)/η = Σ_{j≥1} a_j λ^j η^{j−1}. */
function rateFromStepFactor(stepMinusOne: Series, N: number): Rational[] {
  return log1pSeries(stepMinusOne, N).slice(1);
}
const strings = (cs: readonly Rational[]) => cs.map((c) => Rational.toString(c));

describe('scale-invariant layer: d‖θ‖²/dt', () => {
  it('gradient flow and EoM_0 give the formulas of docs/design.md (2.22)', () => {
    // Source: docs/design.md (2.22): GF gives −2λ‖θ‖²; the EoM gives −(2λ + ηλ²)‖θ‖² + η‖∇L‖² + O(η²).
    expect(tuples(scaleNormRate([], -1))).toEqual([[0, 1, '-2', '‖θ‖²']]);
    expect(tuples(scaleNormRate(XI_GD, 0))).toEqual([
      [0, 1, '-2', '‖θ‖²'],
      [1, 2, '-1', '‖θ‖²'],
      [1, 0, '1', '‖g‖²'],
    ]);
    expect(scaleNormRateText(scaleNormRate(XI_GD, 0))).toBe('d‖θ‖²/dt = -(2λ + ηλ²)‖θ‖² + η‖g‖²');
  });

  it('EoM_1 adds η²(⟨g, Hg⟩ − ⅔λ³‖θ‖²) for gradient descent', () => {
    // Source: hand derivation with ξ_1 = ⅓H²g + 1/12 ∇³L[g,g] (docs/design.md (2.14)) built from g_λ:
    // θ·H_λ²g_λ = (H_λθ)·H_λg_λ = (λθ − g)·(Hg + λ²θ) = −⟨g,Hg⟩ − λ‖g‖² + λ³‖θ‖²;
    // θ·∇³L[g_λ,g_λ] = −2 g_λ·H g_λ = −2⟨g,Hg⟩ + 4λ‖g‖²; so θ·ξ_1 = −½⟨g,Hg⟩ + ⅓λ³‖θ‖² and
    // the η² term of −2θ·Σηξ is ⟨g,Hg⟩ − ⅔λ³‖θ‖² (the λ‖g‖² terms cancel).
    expect(tuples(scaleNormRate(XI_GD, 1)).filter((t) => t[0] === 2)).toEqual([
      [2, 3, '-2/3', '‖θ‖²'],
      [2, 0, '1', '⟨g, H g⟩'],
    ]);
    expect(scaleNormRateText(scaleNormRate(XI_GD, 1))).toBe('d‖θ‖²/dt = -(2λ + ηλ² + 2/3 η²λ³)‖θ‖² + η‖g‖² + η²⟨g, H g⟩');
  });

  it('the ‖θ‖² coefficient is 2 log(1 − ηλ)/η for gradient descent, to η⁷', () => {
    // Source: with g ≡ 0 GD is θ ↦ (1 − ηλ)θ, so ‖θ‖² decays by (1 − ηλ)² per step (docs/design.md (2.21),
    // ‖θ_{k+1}‖² = (1−ηλ)²‖θ_k‖² + η²‖g‖²): rate 2 log(1 − u)/η, u = ηλ; series computed here.
    const rate = scaleNormRate(XI_GD, 6);
    const norm = rate.terms.filter((t) => t.factor === 'normSquared');
    const expected = strings(rateFromStepFactor([Rational.zero, rational(-1)], 8).map((c) => Rational.mul(rational(2), c)));
    expect(norm.map((t) => [t.etaPower, t.lambdaPower])).toEqual(expected.map((_, j) => [j, j + 1]));
    expect(norm.map((t) => Rational.toString(t.coefficient))).toEqual(expected);
  });

  it('renders LaTeX that KaTeX accepts', () => {
    // Source: same closed form as the text test above, written in LaTeX by hand.
    expect(scaleNormRateLatex(scaleNormRate(XI_GD, 0))).toBe(
      '\\frac{d\\lVert\\theta\\rVert^{2}}{dt} = -\\left(2 \\lambda + \\eta\\lambda^{2}\\right)\\lVert\\theta\\rVert^{2} + \\eta\\lVert g \\rVert^{2}',
    );
    for (const K of [2, 3, 4]) {
      expect(() => scaleNormRateLatex(scaleNormRate(XI_GD, K))).not.toThrow();
      expect(() => scaleNormRateLatex(scaleNormRate(XI_EG, K))).not.toThrow();
    }
  });

  it('refuses an order it has no counter terms for', () => {
    expect(() => scaleNormRate(XI_EG, 5)).toThrow(/needs ξ_0..ξ_5/);
    expect(() => scaleNormRate(XI_GD, -2)).toThrow(/integer ≥ −1/);
    expect(() => translationRate(XI_GD, 1.5)).toThrow(/integer ≥ −1/);
  });
});

describe('scale-invariant layer: numeric check on a concrete loss', () => {
  // L(w) = Σ_i softplus(−y_i x_i·w / ‖w‖): invariant under w ↦ aw (a > 0) in all three weights.
  const data: [number[], number][] = [
    [[1, 0.5, -0.3], 1],
    [[-0.4, 1.2, 0.8], -1],
    [[0.7, -0.9, 0.2], 1],
  ];
  const source = data
    .map(([x, y]) => `softplus(${-y} * (${x[0]}*a + ${x[1]}*b + ${x[2]}*c) / sqrt(a^2 + b^2 + c^2))`)
    .join(' + ');
  const lambda = 0.1;
  const plain = Loss.parse(source, { vars: ['a', 'b', 'c'] });
  const decayed = Loss.parse(source, { vars: ['a', 'b', 'c'], weightDecay: '0.1' });
  const points = [
    new Float64Array([0.8, -0.6, 1.1]),
    new Float64Array([-1.3, 0.4, 0.5]),
  ];

  const check = (rule: UpdateRule, xi: ReturnType<typeof solveCounterTerms>, K: number) => {
    // Truth: 2θ·(−g_λ − Σ_{k≤K} η^{k+1} ξ_k(θ)) from the counter terms of L + λ/2‖θ‖² (src/loss, src/compile).
    const field = compileTreeCounterTerms(decayed, xi.slice(0, Math.max(K, 0) + 1)).fieldOfOrder(K);
    const closed = compileScaleNormRate(plain, scaleNormRate(xi, K));
    for (const theta of points) {
      for (const eta of [0.05, 0.2, 0.5]) {
        const v = field(theta, eta);
        const truth = 2 * theta.reduce((s, x, i) => s + x * v[i]!, 0);
        const ours = closed(theta, eta, lambda);
        expect(Math.abs(ours - truth), `${rule.name} K=${K} η=${eta}`).toBeLessThan(1e-10 * Math.abs(truth));
      }
    }
  };

  it('matches 2θ·dθ/dt of EoM_K with weight decay, gradient descent, K = −1..2', () => {
    for (const K of [-1, 0, 1, 2]) check(gradientDescent, XI_GD.slice(0, 3), K);
  });

  it('matches for extragradient too (nothing GD-specific), K = 0..2', () => {
    for (const K of [0, 1, 2]) check(extragradient, XI_EG.slice(0, 3), K);
  });

  it('refuses a loss that already carries the weight decay', () => {
    expect(() => compileScaleNormRate(decayed, scaleNormRate(XI_GD, 0))).toThrow(/without weight decay/);
  });
});

describe('translation-invariant layer: d(1·θ)/dt', () => {
  it('gradient descent: the rate is the Taylor series of log(1 − ηλ)/η (c_k = 1/(k+2)), K = 7', () => {
    // Source: GD gives 1·θ_k = (1 − ηλ)^k 1·θ_0 (docs/design.md (2.23)); log(1 − u) expanded independently here.
    const expected = strings(rateFromStepFactor([Rational.zero, rational(-1)], 9));
    const rate = translationRate(XI_GD, 7);
    expect(rate.map((t) => [t.etaPower, t.lambdaPower])).toEqual(expected.map((_, j) => [j, j + 1]));
    expect(rate.map((t) => Rational.toString(t.coefficient))).toEqual(expected);
    expect(gradientDescentTranslationRate(7).map((t) => Rational.toString(t.coefficient))).toEqual(expected);
    expect(translationRateText(translationRate(XI_GD, 1))).toBe('d(1·θ)/dt = -(λ + 1/2 ηλ² + 1/3 η²λ³)(1·θ)');
    expect(translationRateLatex(translationRate(XI_GD, 0))).toBe(
      '\\frac{d(\\mathbf{1}\\cdot\\theta)}{dt} = -\\left(\\lambda + \\frac{1}{2} \\eta\\lambda^{2}\\right)(\\mathbf{1}\\cdot\\theta)',
    );
  });

  it('extragradient: the rate is the Taylor series of log(1 − ηλ + η²λ²)/η, K = 4', () => {
    // Source: on L_λ with H = λI (the translation direction) extragradient θ − ηg_λ(θ − ηg_λ(θ)) is
    // θ ↦ (1 − ηλ + η²λ²)θ; log(1 + x) with x = −u + u² expanded independently here.
    const expected = strings(rateFromStepFactor([Rational.zero, rational(-1), rational(1)], 6));
    expect(translationRate(XI_EG, 4).map((t) => Rational.toString(t.coefficient))).toEqual(expected);
  });

  it('numerically, 1·ξ_k = c_k λ^{k+2} (1·θ) for logsumexp(z) − z1 with weight decay', () => {
    // Truth: ξ_k of L + λ/2‖z‖² differentiated and compiled by src/loss + src/compile, summed over components.
    const lambda = 0.5;
    const loss = Loss.parse('logsumexp(z1, z2, z3) - z1', { vars: ['z1', 'z2', 'z3'], weightDecay: '1/2' });
    for (const [rule, xi] of [[gradientDescent, XI_GD.slice(0, 4)], [extragradient, XI_EG.slice(0, 4)]] as const) {
      const rate = translationRate(xi, 3);
      const compiled = compileTreeCounterTerms(loss, xi);
      for (const theta of [new Float64Array([0.3, -1.1, 0.9]), new Float64Array([-0.2, 0.4, 1.5])]) {
        const oneTheta = theta.reduce((s, x) => s + x, 0);
        for (let k = 0; k <= 3; k++) {
          const oneXi = compiled.xi[k]!(theta).reduce((s, x) => s + x, 0);
          // rate term k+1 is −c_k λ^{k+2} η^{k+1}
          const expected = -rationalToNumber(rate[k + 1]!.coefficient) * lambda ** (k + 2) * oneTheta;
          expect(Math.abs(oneXi - expected), `${rule.name} k=${k}`).toBeLessThan(1e-12);
        }
      }
    }
  });
});

describe('scale-invariant layer: the closed form term by term, K ≤ 4', () => {
  // Truth: d‖θ‖²/dt = 2θ·dθ/dt along EoM_K of L + λ/2‖θ‖², evaluated directly: θ·ξ_k(θ) from the
  // counter terms of the weight-decayed loss (λ a symbolic constant, differentiated and compiled by
  // src/loss + src/compile; the closed form's contraction identities are never used), split into
  // powers of λ by exact polynomial interpolation (θ·ξ_k is a polynomial of degree ≤ k + 2 in λ).
  // Each η^{k+1}λ^a term of the closed form must equal −2 × the λ^a coefficient of θ·ξ_k; a wrong
  // contraction multiplier for a tensor of degree ≥ 4 (first met in ξ_2's [•,•,•]) changes them.
  const source = '(x*y + x^2)/(x^2 + y^2)';
  const plain = Loss.parse(source, { vars: ['x', 'y'] });
  const decayed = Loss.parse(source, { vars: ['x', 'y'], weightDecay: 'lam' });
  const points = [new Float64Array([0.8, -0.6]), new Float64Array([-1.3, 0.4])];

  /** Coefficients c_0..c_n of the polynomial through (λ_j, v_j), Lagrange in the monomial basis. */
  const interpolate = (ls: readonly number[], vs: readonly number[]): number[] => {
    const n = ls.length;
    const out = new Array<number>(n).fill(0);
    for (let j = 0; j < n; j++) {
      let basis = [1];
      let denom = 1;
      for (let m = 0; m < n; m++) {
        if (m === j) continue;
        const next = new Array<number>(basis.length + 1).fill(0);
        basis.forEach((b, i) => {
          next[i + 1]! += b;
          next[i]! -= ls[m]! * b;
        });
        basis = next;
        denom *= ls[j]! - ls[m]!;
      }
      basis.forEach((b, i) => (out[i]! += (vs[j]! * b) / denom));
    }
    return out;
  };

  for (const [rule, xiAll] of [[gradientDescent, XI_GD], [extragradient, XI_EG]] as const) {
    it(`${rule.name}: every η^{k+1}λ^a term, k ≤ 4`, () => {
      const K = 4;
      const xi = xiAll.slice(0, K + 1);
      const rate = scaleNormRate(xi, K);
      const lambdas = Array.from({ length: K + 3 }, (_, j) => j / 2);
      const compiled = lambdas.map((l) => compileTreeCounterTerms(decayed, xi, { lam: l }));
      let nonzero = 0;
      for (let k = 0; k <= K; k++) {
        for (const theta of points) {
          const dots = compiled.map((c) => c.xi[k]!(theta).reduce((s, v, i) => s + v * theta[i]!, 0));
          const perLambda = interpolate(lambdas, dots);
          for (let a = 0; a < perLambda.length; a++) {
            const terms = rate.terms.filter((t) => t.etaPower === k + 1 && t.lambdaPower === a);
            const closed = terms.length ? compileScaleNormRate(plain, { ...rate, terms })(theta, 1, 1) : 0;
            const truth = -2 * perLambda[a]!;
            if (Math.abs(truth) > 1e-6) nonzero++;
            expect(Math.abs(closed - truth), `η^${k + 1} λ^${a} at (${[...theta]}): ${closed} vs ${truth}`).toBeLessThan(1e-7 * Math.max(1, Math.abs(truth)));
          }
        }
      }
      expect(nonzero).toBeGreaterThan(2 * (K + 1));
    }, 180_000);
  }
});
