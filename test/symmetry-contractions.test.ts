/**
 * θ contracted into single trees (src/derive/symmetryRates.ts thetaContractions), and the order checks.
 *
 * Independent truth: Euler's identity for a scale-invariant L, ∇^{m+1}L[θ, v1..vm] = −m ∇^m L[v1..vm]
 * (θ·g = 0, Hθ = −g), applied by hand below to each λ-marking (a marked leaf is λθ, a marked node
 * with one child is λI). The tensor of degree d = 4 here is the one where a multiplier −(d − 2)
 * instead of −(d − 1) would first show (issue 16).
 */
import { describe, expect, it } from 'vitest';
import { gradientDescentTranslationRate, scaleNormRate, thetaContractions, translationRate } from '../src/derive/symmetryRates.js';
import { solveCounterTerms } from '../src/derive/solver.js';
import { invariantText } from '../src/notation/invariantNotation.js';
import { Rational } from '../src/series/fraction.js';
import { treeOfLevelSequence } from '../src/trees/canonical.js';
import { TreeStore, defaultTreeStore } from '../src/trees/store.js';
import { CounterTermSolver } from '../src/derive/solver.js';
import { gradientDescent } from '../src/derive/updateRule.js';

const contractions = (levels: number[]) =>
  thetaContractions(treeOfLevelSequence(levels), defaultTreeStore).map((c) => [c.lambdaPower, c.multiplier, c.factor === 'normSquared' ? '‖θ‖²' : invariantText(c.factor)]);
const named = (levels: number[]) => invariantText(
  (thetaContractions(treeOfLevelSequence([1, ...levels.map((l) => l + 1)]), defaultTreeStore)[0]!.factor as Exclude<ReturnType<typeof thetaContractions>[number]['factor'], 'normSquared'>),
);

describe('thetaContractions by hand', () => {
  it('θ·F_λ of H g: θ·Hg = −‖g‖², θ·λHθ = 0, θ·λg = 0, θ·λ²θ = λ²‖θ‖²', () => {
    expect(contractions([1, 2])).toEqual([
      [0, -1, '‖g‖²'],
      [2, 1, '‖θ‖²'],
    ]);
  });

  it('θ·∇³L[g_λ, g_λ]: −2⟨g, Hg⟩, and ∇³L[θ, θ, g] = −2(Hθ)·g = 2‖g‖² once per marked leaf', () => {
    const gHg = contractions([1, 2, 2])[0]![2];
    expect(contractions([1, 2, 2])).toEqual([
      [0, -2, gHg],
      [1, 2, '‖g‖²'],
      [1, 2, '‖g‖²'],
    ]);
    expect(gHg).toBe(contractions([1, 2, 3]).find((c) => c[0] === 0)![2]);
  });

  it('θ·∇⁴L[g_λ, g_λ, g_λ]: −3∇³L[g,g,g]; one λθ: (−3)(−2)⟨g, Hg⟩ = 6⟨g, Hg⟩; two: (−3)(−2)(−1)‖g‖² = −6‖g‖²', () => {
    const out = contractions([1, 2, 2, 2]);
    const gHg = contractions([1, 2, 2])[0]![2];
    expect(out.map((c) => [c[0], c[1]])).toEqual([
      [0, -3],
      [1, 6],
      [1, 6],
      [2, -6],
      [1, 6],
      [2, -6],
      [2, -6],
    ]);
    expect(out.filter((c) => c[0] === 1).every((c) => c[2] === gHg)).toBe(true);
    expect(out.filter((c) => c[0] === 2).every((c) => c[2] === '‖g‖²')).toBe(true);
    // ∇³L[g,g,g]: the star with three leaves, the same invariant as the bushy tree's own contraction.
    expect(out[0]![2]).toBe(named([1, 1, 1]));
  });

  it('θ·(H + λI)∇³L[g_λ, g_λ]: the λI node passes θ through; H(θ)… = −∇³L[g, g]·g', () => {
    // Tree [[•, •]]: root with one child (markable: H or λI), that child ∇³L with two leaves.
    // Unmarked root: θ·H∇³L[g,g] = (Hθ)·∇³L[g,g] = −∇³L[g,g,g]. Marked root: λ θ·∇³L[g,g] = −2λ⟨g, Hg⟩.
    const out = contractions([1, 2, 3, 3]);
    const gHg = contractions([1, 2, 2])[0]![2];
    expect(out[0]).toEqual([0, -1, named([1, 1, 1])]);
    expect(out[1]).toEqual([1, -2, gHg]);
  });
});

describe('order checks and the translation rates', () => {
  const xi = solveCounterTerms(1);
  it('refuses an order below −1, a fractional one, or one without counter terms', () => {
    expect(() => scaleNormRate(xi, 2)).toThrow(new RangeError('EoM_2 needs ξ_0..ξ_2, got 2 counter terms'));
    expect(() => translationRate(xi, -2)).toThrow(new RangeError('order K must be an integer ≥ −1 (−1 is gradient flow), got -2'));
    expect(() => scaleNormRate(xi, 0.5)).toThrow(new RangeError('order K must be an integer ≥ −1 (−1 is gradient flow), got 0.5'));
    expect(() => gradientDescentTranslationRate(-2)).toThrow(new RangeError('order K must be an integer ≥ −1, got -2'));
    expect(() => gradientDescentTranslationRate(0.5)).toThrow(new RangeError('order K must be an integer ≥ −1, got 0.5'));
    expect(scaleNormRate(xi, 1).order).toBe(1);
  });

  it('names invariants in the store of the counter terms (default: the shared store)', () => {
    const store = new TreeStore();
    const own = new CounterTermSolver(gradientDescent, { store }).solveThrough(0);
    expect(scaleNormRate(own, 0).store).toBe(store);
    expect(scaleNormRate([], -1).store).toBe(defaultTreeStore);
    expect(scaleNormRate(xi, 0).store).toBe(defaultTreeStore);
  });

  it('gradient flow (K = −1): d(1·θ)/dt = −λ(1·θ), and log(1 − ηλ)/η starts with −λ', () => {
    const strings = (ts: { etaPower: number; lambdaPower: number; coefficient: Rational }[]) => ts.map((t) => [t.etaPower, t.lambdaPower, Rational.toString(t.coefficient)]);
    expect(strings(translationRate([], -1))).toEqual([[0, 1, '-1']]);
    expect(strings(gradientDescentTranslationRate(-1))).toEqual([[0, 1, '-1']]);
    // −Σ_{j≥1} λ^j η^{j−1}/j: −λ, −ηλ²/2, −η²λ³/3.
    expect(strings(gradientDescentTranslationRate(1))).toEqual([[0, 1, '-1'], [1, 2, '-1/2'], [2, 3, '-1/3']]);
  });
});
