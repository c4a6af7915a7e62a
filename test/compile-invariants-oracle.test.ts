/**
 * Compiled symmetry closed forms (src/compile/invariants.ts) against values by hand and against
 * the Cauchy-formula oracle (test/helpers/complexTaylor.ts: mathjs parse, complex arithmetic in
 * the test). For the scale rate the truth is d‖θ‖²/dt = 2θ·F_λ(θ) along the EoM_K field of the
 * weight-decayed loss L_λ = L + λ/2‖θ‖², F_λ = −g_λ − η ξ_0^λ − η² ξ_1^λ with ξ_0 = ½Hg and
 * ξ_1 = ⅓H²g + 1/12 ∇³L[g, g] (docs/counter-terms.md), all from the oracle.
 */
import { describe, expect, it } from 'vitest';
import { Loss, compileInvariant, compileScaleNormRate, defaultTreeStore, invariantOfCut, scaleNormRate, solveCounterTerms } from '../src/index.js';
import { complexLoss, contractionOracle, gradientOracle, type ComplexLoss } from './helpers/complexTaylor.js';

const store = defaultTreeStore;
const leaf = store.leaf;
const bush = store.get(store.idOf([leaf.id])); // [•]: F = Hg
const cherry = store.get(store.idOf([leaf.id, leaf.id])); // [•, •]: F = ∇³L[g, g]

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, x, i) => s + x * b[i]!, 0);

/** ξ_0, ξ_1 of a loss by the oracle. */
function xiOracle(L: ComplexLoss, th: readonly number[]): { g: number[]; xi: number[][] } {
  const g = gradientOracle(L, th);
  const Hg = contractionOracle(L, th, [g], [1]);
  const H2g = contractionOracle(L, th, [Hg], [1]);
  const D2gg = contractionOracle(L, th, [g], [2]);
  return { g, xi: [Hg.map((v) => v / 2), H2g.map((v, i) => v / 3 + D2gg[i]! / 12)] };
}

describe('invariants ⟨F(τa), F(τb)⟩', () => {
  it('‖g‖² by hand', () => {
    // L = x² + xy: g = (2x + y, x) = (4, 1) at (1, 2).
    expect(compileInvariant(Loss.parse('x^2 + x*y'), invariantOfCut(leaf, leaf), store)([1, 2])).toBe(17);
  });

  it('⟨g, Hg⟩, ⟨Hg, Hg⟩ and ⟨g, ∇³L[g, g]⟩ against the oracle, with a constant', () => {
    const source = 'a*exp(0.5*x*y) + log(2 + x^2) + 0.3*y^3 - x*y^2';
    const loss = Loss.parse(source, { vars: ['x', 'y'] });
    const L = complexLoss(source, ['x', 'y'], { a: 1.7 });
    const th = [0.35, -0.6];
    const g = gradientOracle(L, th);
    const Hg = contractionOracle(L, th, [g], [1]);
    const D2gg = contractionOracle(L, th, [g], [2]);
    const cases: [typeof leaf, typeof leaf, number][] = [
      [leaf, bush, dot(g, Hg)],
      [bush, bush, dot(Hg, Hg)],
      [cherry, leaf, dot(D2gg, g)],
    ];
    for (const [a, b, want] of cases) {
      const got = compileInvariant(loss, invariantOfCut(a, b), store, { a: 1.7 })(th);
      expect(Math.abs(got - want), `⟨F(${a.levelSequence}), F(${b.levelSequence})⟩: ${got} vs ${want}`).toBeLessThan(1e-9 * Math.abs(want));
    }
  });

  it('refuses a loss parsed with weight decay', () => {
    const decayed = Loss.parse('x^2*y + y^4', { weightDecay: '0.1' });
    const message = /the invariants are those of L, not of L \+ λ\/2‖θ‖²: parse the loss without weight decay \(got weight decay 0.1\) and pass λ to the compiled function/;
    expect(() => compileInvariant(decayed, invariantOfCut(leaf, leaf), store)).toThrow(message);
    expect(() => compileScaleNormRate(decayed, scaleNormRate(solveCounterTerms(0), 0))).toThrow(RangeError);
  });
});

describe('the scale rate d‖θ‖²/dt', () => {
  // Scale-invariant in (x, y): L(cθ) = L(θ).
  const plain = 'softplus(-(x - 2*y)/sqrt(x^2 + y^2)) + b*sigmoid((x + 0.5*y)/sqrt(x^2 + y^2))';
  const loss = Loss.parse(plain, { vars: ['x', 'y'] });
  const constants = { b: 0.8 };
  const xi = solveCounterTerms(1);

  for (const K of [-1, 0, 1]) {
    it(`equals 2θ·F_λ of EoM_${K} with weight decay (oracle), at several η and λ`, () => {
      const rate = compileScaleNormRate(loss, scaleNormRate(xi, K), constants);
      for (const [th, eta, lambda] of [
        [[0.3, -1.2], 0.1, 0.01],
        [[1.1, 0.4], 0.3, 0.2],
        [[-0.8, 0.9], 0.05, 0.5],
      ] as const) {
        const L = complexLoss(`${plain} + ${lambda}/2*(x^2 + y^2)`, ['x', 'y'], constants);
        const { g, xi: x } = xiOracle(L, th);
        let horner = [0, 0];
        for (let k = K; k >= 0; k--) horner = horner.map((h, i) => x[k]![i]! + eta * h);
        const F = g.map((gi, i) => -gi - eta * horner[i]!);
        const want = 2 * dot(th, F);
        const got = rate(th, eta, lambda);
        expect(Math.abs(got - want), `K = ${K} at ${th}, η = ${eta}, λ = ${lambda}: ${got} vs ${want}`).toBeLessThan(1e-8 * Math.abs(want));
      }
    });
  }

  it('at K = 0 by the closed form: −(2λ + ηλ²)‖θ‖² + η‖g‖²', () => {
    // docs/design.md (2.22): for scale-invariant L, θ·g = 0 and θ·Hg = −‖g‖² (Euler's identity).
    const rate = compileScaleNormRate(loss, scaleNormRate(xi, 0), constants);
    const L = complexLoss(plain, ['x', 'y'], constants);
    const th = [0.6, 0.7];
    const g = gradientOracle(L, th);
    const [eta, lambda] = [0.2, 0.1];
    const want = -(2 * lambda + eta * lambda * lambda) * dot(th, th) + eta * dot(g, g);
    expect(rate(th, eta, lambda)).toBeCloseTo(want, 10);
  });
});
