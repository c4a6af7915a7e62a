/**
 * The starts of a multistep rule (src/simulate/starts.ts) on quadratics, where everything has a
 * closed form:
 * - gradient descent on L = a/2·x²: θ_n = (1 − ηa)^n θ_0, whose exact modified equation is
 *   dθ/dt = ln(1 − ηa)/η · θ = −a(1 + x/2 + x²/3 + …)θ, x = ηa; EoM_K keeps x^0 … x^K, so its flow
 *   is θ(t) = exp(−a Σ_{k≤K+1} x^k/(k+1) · t) θ_0 (EoM_K = −g − η ξ_0 − … − η^{K+1} ξ_K);
 * - heavy ball on L = a/2·x²: θ_{n+1} = (1 + β − ηa)θ_n − βθ_{n−1}, roots ζ₁ (near 1) and ζ₂ (near β)
 *   of ζ² − (1 + β − ηa)ζ + β = 0; on the slow manifold θ_{−j} = ζ₁^{−j} θ_0 (up to O(η^{K+3}));
 * - PyTorch's Nesterov from rest (torch/optim/sgd.py): θ_1 = θ_0 − η(1 + β) g(θ_0).
 *
 * Objects are built inside each `it` (mutation testing activates mutants per test).
 */
import { describe, expect, it } from 'vitest';
import { methodRule } from '../src/derive/methods.js';
import { rational } from '../src/series/fraction.js';
import { DivergenceError } from '../src/simulate/divergence.js';
import { simulationProblem } from '../src/simulate/problem.js';
import { eomFlow, iterates, iteratesLabel, manifoldStart, STARTS, stepperFrom } from '../src/simulate/starts.js';

const heavyBall = (beta: bigint, maxOrder = 3, loss = 'x^2') =>
  simulationProblem({ loss, init: { x: 1 }, maxOrder, rule: methodRule('heavy-ball', new Map([['beta', rational(beta, 10n)]])) });
/** ζ₁ of heavy ball on a/2·x² (the root near 1). */
const principal = (a: number, beta: number, lr: number) => {
  const s = 1 + beta - lr * a;
  return (s + Math.sqrt(s * s - 4 * beta)) / 2;
};

describe('eomFlow', () => {
  it('gradient descent on x² + 2y²: exp(−a Σ_{k≤K+1} (ηa)^k/(k+1) · t) per coordinate, for K = 3 (default) and K = 1', () => {
    const p = simulationProblem({ loss: 'x^2 + 2*y^2', init: { x: 1, y: -0.5 }, maxOrder: 3 });
    const lr = 0.05;
    const rate = (a: number, K: number) => -a * Array.from({ length: K + 2 }, (_, k) => (lr * a) ** k / (k + 1)).reduce((s, x) => s + x, 0);
    const times = [0, 0.3, 0.7];
    const check = (got: Float64Array[], K: number, sign: number) => {
      expect(got.length).toBe(3);
      times.forEach((t, n) => {
        expect(got[n]![0]!).toBeCloseTo(Math.exp(sign * rate(2, K) * t), 11);
        expect(got[n]![1]!).toBeCloseTo(-0.5 * Math.exp(sign * rate(4, K) * t), 11);
      });
    };
    check(eomFlow(p, lr, [1, -0.5], times), 3, 1);
    check(eomFlow(p, lr, [1, -0.5], times, {}, false, 1), 1, 1);
    check(eomFlow(p, lr, [1, -0.5], times, {}, true), 3, -1);
    check(eomFlow(p, lr, [1, -0.5], times, {}, true, 0), 0, -1);
  });
  it('a flow that blows up is a DivergenceError naming the order, the direction and η', () => {
    // L = x⁴ backward: dx/dt = 4x³ from x = 1 blows up at t = 1/8.
    const p = simulationProblem({ loss: 'x^4', init: { x: 1 }, maxOrder: 0 });
    const backward = () => eomFlow(p, 0.01, [1], [0, 1], { maxSteps: 200 }, true, 0);
    expect(backward).toThrow(DivergenceError);
    expect(backward).toThrow(/^the EoM_0 flow backward \(η = 0\.01\): the integrator stopped at step 1 \(step limit reached on \[0, 1\]\)$/);
    // Forward it decays: no error, and x(1) = 1/√(1 + 8) from dx/dt = −4x³ (the gradient flow, order −1);
    // for −x⁴ the gradient flow dx/dt = 4x³ blows up (at EoM_0 the term −η·24x⁵ would stop it).
    expect(eomFlow(p, 0.01, [1], [0, 1], {}, false, -1)[1]![0]!).toBeCloseTo(1 / 3, 10);
    const q = simulationProblem({ loss: '-x^4', init: { x: 1 }, maxOrder: 0 });
    expect(() => eomFlow(q, 0.02, [1], [0, 1], { maxSteps: 200 }, false, -1)).toThrow(/^the EoM_-1 flow \(η = 0\.02\): the integrator stopped at step 1 /);
  });
  it('an error that is not the integrator’s passes through unchanged', () => {
    const p = simulationProblem({ loss: 'x^2', init: { x: 1 }, maxOrder: 0 });
    const broken = { ...p, compiled: { ...p.compiled, fieldOfOrder: () => () => { throw new TypeError('boom'); } } };
    expect(() => eomFlow(broken as never, 0.01, [1], [0, 1])).toThrow(TypeError);
  });
});

describe('manifoldStart and stepperFrom', () => {
  it('heavy ball on x²: θ_0 and θ_{−1} = θ_0/ζ₁ up to O(η^{K+3})', () => {
    const p = heavyBall(5n);
    const lr = 0.002; // ηa/(1−β)² = 0.016: EoM_3 misses ζ₁ by ~1e-10
    const zeta = principal(2, 0.5, lr);
    for (const start of [manifoldStart(p, lr), manifoldStart(p, lr, [1]), manifoldStart(p, lr, p.init, {})]) {
      expect(start.length).toBe(2);
      expect(start[0]![0]).toBe(1);
      expect(Math.abs(start[1]![0]! - 1 / zeta)).toBeLessThan(1e-9);
    }
    const from2 = manifoldStart(p, lr, [2]);
    expect(Math.abs(from2[1]![0]! - 2 / zeta)).toBeLessThan(2e-9);
  });
  it('the integrator settings reach the flow (a step limit of 1 cannot go back one step at tolerance 1e-13)', () => {
    const p = heavyBall(5n, 3, 'x^2 + x^4');
    const tight = { maxSteps: 1, relativeTolerance: 1e-15, absoluteTolerance: 1e-18 };
    expect(() => manifoldStart(p, 0.3, p.init, tight)).toThrow(/EoM_3 flow backward/);
    expect(() => stepperFrom(p, 0.3, 'manifold', tight)).toThrow(/EoM_3 flow backward/);
    expect(() => iterates(p, 0.3, 2, 'manifold', () => true, tight)).toThrow(/EoM_3 flow backward/);
  });
  it('one-step rules read θ_0 alone (a copy)', () => {
    const p = simulationProblem({ loss: 'x^2', init: { x: 0.5 }, maxOrder: 1 });
    const start = manifoldStart(p, 0.1, [0.25]);
    expect(start.map((x) => Array.from(x))).toEqual([[0.25]]);
  });
  it('from the manifold heavy ball follows θ_n = ζ₁^n θ_0; from rest it does not (θ_1 = θ_0 − η g(θ_0) first)', () => {
    const p = heavyBall(5n);
    const lr = 0.002; // ηa/(1−β)² = 0.016: EoM_3 misses ζ₁ by ~1e-10
    const zeta = principal(2, 0.5, lr);
    const m = stepperFrom(p, lr, 'manifold');
    expect(Math.abs(m.lagged(1)[0]! - 1 / zeta)).toBeLessThan(1e-9);
    const r = stepperFrom(p, lr, 'rest');
    expect(r.lagged(1)[0]).toBe(1);
    expect(r.step()[0]).toBeCloseTo(1 - lr * 2, 15);
    for (let n = 1; n <= 5; n++) expect(Math.abs(m.step()[0]! - zeta ** n)).toBeLessThan(1e-9);
    expect(STARTS).toEqual(['manifold', 'rest']);
  });
  it("Nesterov from rest takes PyTorch's first step θ_0 − η(1 + β)g(θ_0)", () => {
    const p = simulationProblem({ loss: 'x^2', init: { x: 1 }, maxOrder: 0, rule: methodRule('nesterov', new Map([['beta', rational(9n, 10n)]])) });
    const s = stepperFrom(p, 0.01, 'rest');
    expect(s.step()[0]).toBeCloseTo(1 - 0.01 * 1.9 * 2, 15);
  });
});

describe('iterates and iteratesLabel', () => {
  it('the default start is the manifold; keep selects the iterates', () => {
    const p = heavyBall(5n);
    const lr = 0.002; // ηa/(1−β)² = 0.016: EoM_3 misses ζ₁ by ~1e-10
    const zeta = principal(2, 0.5, lr);
    const all = iterates(p, lr, 6);
    expect(all.length).toBe(7);
    all.forEach((x, n) => expect(Math.abs(x[0]! - zeta ** n)).toBeLessThan(1e-9));
    // From rest by hand: θ_{−1} = θ_0, θ_{n+1} = (1 + β − 2η)θ_n − βθ_{n−1}.
    const hand = [1, 1 - 2 * lr];
    for (let n = 1; n < 9; n++) hand.push((1.5 - 2 * lr) * hand[n]! - 0.5 * hand[n - 1]!);
    const kept = iterates(p, lr, 9, 'rest', (k) => k % 3 === 0);
    expect(kept.length).toBe(4);
    kept.forEach((x, i) => expect(x[0]).toBeCloseTo(hand[3 * i]!, 14));
    expect(iterates(p, lr, 3, 'rest', (k) => k > 0).map((x) => x[0])).toEqual(iterates(p, lr, 3, 'rest').slice(1).map((x) => x[0]));
    expect(iterates(p, lr, 0, 'rest').length).toBe(1);
  });
  it('a blow-up stops with a DivergenceError at the first bad step, named by the method', () => {
    // GD on x² at η = 2.5: θ_n = (−4)^n; the limit is 1e8·(1 + |θ_0|) = 2e8, passed at n = 14 (4^14 ≈ 2.7e8).
    const gd = simulationProblem({ loss: 'x^2', init: { x: 1 }, maxOrder: 0 });
    let err: unknown;
    try {
      iterates(gd, 2.5, 40, 'rest');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DivergenceError);
    expect((err as DivergenceError).trajectory).toBe('gradient descent');
    expect((err as DivergenceError).step).toBe(14);
    expect(() => iterates(gd, 2.5, 13, 'rest')).not.toThrow();
    // Heavy ball at β = 1/2, η = 2.5: θ_{n+1} = −3.5θ_n − 0.5θ_{n−1} from θ_{−1} = θ_0 = 1.
    const hand = [1, -4];
    while (Math.abs(hand[hand.length - 1]!) <= 2e8) hand.push(-3.5 * hand[hand.length - 1]! - 0.5 * hand[hand.length - 2]!);
    expect(() => iterates(heavyBall(5n, 0), 2.5, 40, 'rest')).toThrow(`heavy-ball diverged at step ${hand.length - 1}`);
    expect(iteratesLabel(gd)).toBe('GD');
    expect(iteratesLabel(heavyBall(5n, 0))).toBe('heavy-ball');
  });
});
