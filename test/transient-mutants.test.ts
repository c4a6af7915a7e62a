/**
 * The transient from rest (src/simulate/transient.ts) for heavy ball on L = x² (a = 2) with EoM_0,
 * where every number has a closed form:
 * - the iterates solve θ_{n+1} = (1 + β − x)θ_n − βθ_{n−1}, x = ηa, so θ_n = Aζ₁^n + Bζ₂^n with
 *   ζ₁,₂ the roots of ζ² − (1 + β − x)ζ + β = 0 and A, B fitted to θ_0, θ_{−1};
 * - EoM_0 of heavy ball on a quadratic is linear, dθ/dt = c₀θ with c₀ = ln ζ₁/η to O(η): from
 *   ζ₁ = 1 − x/(1−β) − βx²/(1−β)³ + O(x³) (insert ζ = 1 + u in the quadratic),
 *   ln ζ₁ = −x/(1−β) − (1+β)x²/(2(1−β)³) + O(x³), so c₀ = −a/(1−β) − η a²(1+β)/(2(1−β)³);
 *   its flow back by jη multiplies by r^j, r = exp(−c₀η);
 * - so the manifold start is (θ_0, rθ_0), the off-manifold distance is e_n = |θ_{n−1} − rθ_n|, and
 *   ‖θ_n(rest) − θ_n(manifold)‖ is the difference of two such closed forms. Since r is 1/ζ₁ only to
 *   O(η²), e_n = |A(1 − rζ₁)ζ₁^{n−1} + B(1 − rζ₂)ζ₂^{n−1}| is ζ₂^n plus a small ζ₁^n part, and the
 *   rate is checked against the documented fit redone here: least squares of ln e_n over the steps
 *   1 ≤ n < settled with e_n > 100·floor (all of them if fewer than two).
 *
 * Objects are built inside each `it` (mutation testing activates mutants per test).
 */
import { describe, expect, it } from 'vitest';
import { methodRule } from '../src/derive/methods.js';
import { rational } from '../src/series/fraction.js';
import { DivergenceError } from '../src/simulate/divergence.js';
import { simulationProblem } from '../src/simulate/problem.js';
import { restTransient } from '../src/simulate/transient.js';

const BETA = 0.5;
const A = 2;
const problem = (loss = 'x^2', init: Record<string, number> = { x: 1 }) =>
  simulationProblem({ loss, init, maxOrder: 0, rule: methodRule('heavy-ball', new Map([['beta', rational(1n, 2n)]])) });

/** The closed forms above at learning rate lr. */
function closedForm(lr: number, a = A) {
  const s = 1 + BETA - lr * a;
  const d = Math.sqrt(s * s - 4 * BETA);
  const z1 = (s + d) / 2;
  const z2 = (s - d) / 2;
  const c0 = -a / (1 - BETA) - (lr * a * a * (1 + BETA)) / (2 * (1 - BETA) ** 3);
  const r = Math.exp(-c0 * lr);
  /** θ_n from θ_0 = 1 and θ_{−1} = back: A' + B' = 1, A'/ζ₁ + B'/ζ₂ = back. */
  const orbit = (back: number) => {
    const b = (back - 1 / z1) / (1 / z2 - 1 / z1);
    return (n: number) => (1 - b) * z1 ** n + b * z2 ** n;
  };
  const rest = orbit(1);
  const manifold = orbit(r);
  const e = (n: number) => Math.abs(rest(n - 1) - r * rest(n));
  // The floor: the manifold start's own e_1 = |θ_0 − rθ_1| (EoM_0 truncation, far above the integrator's noise).
  const floor = Math.abs(1 - r * manifold(1));
  // Settled: the first n ≥ 1 with e_n ≤ 2·floor, or e_n ≥ e_{n−1} from n = 2 on (step 1 always counts as falling).
  let settled = 1;
  while (e(settled) > 2 * floor && (settled < 2 || e(settled) < e(settled - 1))) settled++;
  return { z1, z2, r, rest, manifold, e, floor, settled };
}

/** exp of the least-squares slope of ln e(n) over the steps 1 ≤ n < settled, those above 100·floor if two or more. */
function fittedRate(e: (n: number) => number, settled: number, floor: number): number {
  const early = Array.from({ length: Math.max(0, settled - 1) }, (_, i) => i + 1);
  const clear = early.filter((n) => e(n) > 100 * floor);
  const ns = clear.length >= 2 ? clear : early;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const mn = mean(ns);
  const my = mean(ns.map((n) => Math.log(e(n))));
  const sxy = ns.reduce((s, n) => s + (n - mn) * (Math.log(e(n)) - my), 0);
  const sxx = ns.reduce((s, n) => s + (n - mn) ** 2, 0);
  return Math.exp(sxy / sxx);
}

describe('restTransient of heavy ball on x² (EoM_0, closed forms)', () => {
  it('e_n, the floor, the settled step, the size and the rate', () => {
    const lr = 0.002;
    const cf = closedForm(lr);
    const { transient: t, stepper } = restTransient(problem(), lr);
    expect(t.lr).toBe(lr);
    const { floor, settled } = cf;
    expect(Math.abs(t.floor / floor - 1)).toBeLessThan(1e-6);
    // e_n for n = 0 … settled.
    t.offManifold.forEach((e, n) => expect(Math.abs(e - cf.e(n))).toBeLessThan(1e-12));
    expect(t.settled).toBe(settled);
    expect(t.offManifold.length).toBe(settled + 1);
    expect(t.reached).toBe(true);
    expect(stepper.n).toBe(settled);
    expect(Math.abs(stepper.theta[0]! - cf.rest(settled))).toBeLessThan(1e-12);
    // The size over the default 10 steps.
    expect(t.size.length).toBe(11);
    t.size.forEach((x, n) => expect(Math.abs(x - Math.abs(cf.rest(n) - cf.manifold(n)))).toBeLessThan(1e-12));
    // The rate: the fit above, close to ζ₂ (≈ 0.504 here, not β).
    expect(Math.abs(t.rate / fittedRate(cf.e, settled, floor) - 1)).toBeLessThan(1e-9);
    expect(Math.abs(t.rate - cf.z2)).toBeLessThan(0.01);
  });

  it('the rate is fitted over the steps clear of the floor (100×) when there are two or more, else over all before settling', () => {
    // Steps with e_n > 100·floor: six at η = 0.002, two at η = 0.007, one at η = 0.01 (closed forms).
    for (const [lr, clear] of [[0.002, 6], [0.007, 2], [0.01, 1]] as const) {
      const cf = closedForm(lr);
      const { transient: t } = restTransient(problem(), lr);
      const floor = cf.floor;
      expect(Array.from({ length: t.settled - 1 }, (_, i) => cf.e(i + 1)).filter((e) => e > 100 * floor).length).toBe(clear);
      expect(Math.abs(t.rate / fittedRate(cf.e, t.settled, floor) - 1)).toBeLessThan(1e-9);
      // Fitted over every step before settling instead (the tail near the floor included), it would differ.
      const all = fittedRate(cf.e, t.settled, 0);
      if (clear >= 2) expect(Math.abs(t.rate / all - 1)).toBeGreaterThan(1e-4);
      else expect(Math.abs(t.rate / all - 1)).toBeLessThan(1e-9);
      t.offManifold.forEach((e, n) => expect(Math.abs(e - cf.e(n))).toBeLessThan(1e-12));
    }
  });

  it('settling when e_n stops falling above the floor (L = −x², growing modes): judged from step 2 on', () => {
    // a = −2, η = 0.3: e_n/floor = 1.50, 2.96, 5.47, … (closed forms): step 1 rises but always counts
    // as falling, step 2 rises again and is the settled step.
    const lr = 0.3;
    const cf = closedForm(lr, -2);
    expect(cf.settled).toBe(2);
    const { transient: t } = restTransient(problem('-x^2'), lr);
    expect(Math.abs(t.floor / cf.floor - 1)).toBeLessThan(1e-6);
    expect(t.settled).toBe(2);
    t.offManifold.forEach((e, n) => expect(Math.abs(e / cf.e(n) - 1)).toBeLessThan(1e-9));
    expect(t.reached).toBe(true);
  });

  it('a start at a minimum is on the manifold (e_0 = 0), and still takes its first step', () => {
    const { transient: t, stepper } = restTransient(problem('x^2', { x: 0 }), 0.01);
    expect(t.offManifold).toEqual([0, 0]);
    expect(t.settled).toBe(1);
    expect(stepper.n).toBe(1);
    expect(t.size.every((x) => x === 0)).toBe(true);
  });

  it('a linear loss: e_n = ηβ^n/(1−β) exactly, so the rate is β; the floor is the round-off floor', () => {
    // L = x: g = 1, every ξ_k = 0, so the EoM is dθ/dt = −1/(1−β) and the manifold start θ_{−1} = θ_0 + η/(1−β)
    // is exact. From rest the velocity v_n = θ_n − θ_{n−1} obeys v_{n+1} = βv_n − η, v_0 = 0, so
    // v_n = −η(1 − β^n)/(1−β) and e_n = |θ_{n−1} − θ_n − η/(1−β)| = ηβ^n/(1−β). The manifold run has
    // e_1 = 0 up to rounding, and the integrator is exact on a constant field: the floor is the
    // round-off floor ε·max(|θ_0|, 1) = 3ε (or a rounding error of that size).
    const lr = 0.01;
    const { transient: t } = restTransient(problem('x', { x: 3 }), lr);
    expect(t.floor).toBeGreaterThanOrEqual(3 * Number.EPSILON);
    expect(t.floor).toBeLessThan(1e-14);
    t.offManifold.forEach((e, n) => expect(Math.abs(e - (lr * BETA ** n) / (1 - BETA))).toBeLessThan(1e-14));
    expect(t.reached).toBe(true);
    expect(t.settled).toBeGreaterThan(30);
    expect(Math.abs(t.rate - BETA)).toBeLessThan(1e-4); // the last fitted points sit 100× above a floor of rounding errors
  });

  it('sizeSteps and maxSteps', () => {
    const lr = 0.002;
    const cf = closedForm(lr);
    const { transient: t, stepper } = restTransient(problem(), lr, { sizeSteps: 3, maxSteps: 4 });
    expect(t.size.length).toBe(4);
    expect(t.settled).toBe(4);
    expect(t.reached).toBe(false);
    expect(t.offManifold.length).toBe(5);
    expect(stepper.n).toBe(4);
    // Steps 1 … 3, all far above the floor.
    expect(Math.abs(t.rate / fittedRate(cf.e, 4, cf.floor) - 1)).toBeLessThan(1e-9);
    const none = restTransient(problem(), lr, { maxSteps: 1 }).transient;
    expect(none.settled).toBe(1);
    expect(none.rate).toBeNaN();
  });

  it('the integrator settings reach every flow', () => {
    const tight = { maxSteps: 1, relativeTolerance: 1e-15, absoluteTolerance: 1e-18 };
    expect(() => restTransient(problem('x^2 + x^4'), 0.3, { integrator: tight })).toThrow(/EoM_0 flow backward/);
  });

  it('a rest run that blows up stops with a DivergenceError at its step', () => {
    // L = x: the EoM is the constant field −1/(1−β) (no curvature, every ξ_k = 0), so the manifold
    // start is finite, while the first step from rest is θ_1 = θ_0 − η = 1 − 1e9, past the limit 1e8·(1 + 1).
    let err: unknown;
    try {
      restTransient(problem('x'), 1e9);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DivergenceError);
    expect((err as DivergenceError).trajectory).toBe('heavy-ball from rest');
    expect((err as DivergenceError).step).toBe(1);
  });
});
