/**
 * src/simulate/adaptiveValidate.ts against closed forms (issue 16's mutation targets). On
 * L = x² + y² with ε = 0 the order −1 field is −g/|g| = −(1, 1) while x, y > 0, so GF from (1, 2)
 * is θ(t) = (1 − t, 2 − t) exactly; and on L = x²/2 + y²/2 with ε = 0 and x, y > 0 the EoM_0 field
 * for Adam is −1 + cη/θ_i with c = β2/(1 − β2) − β1/(1 − β1) (by hand: one step moves θ_i by
 * η M/√V = η(1 + η(β1/(1 − β1) − β2/(1 − β2))/θ_i + O(η²)), and the flow of −1 − ηξ_0 over η
 * moves it by η(1 + ηξ_0)), whose flow solves t = (θ_0 − θ) + cη ln((θ_0 − cη)/(θ − cη)).
 * The stepper the errors are measured against is held by test/adaptive-problem-mutants.test.ts.
 * Every object is built inside its `it` (Stryker activates mutants per test).
 */
import { describe, expect, it } from 'vitest';
import { adaptiveRule } from '../src/adaptive/methods.js';
import { rational } from '../src/series/fraction.js';
import { adaptiveProblem, AdaptiveStepper } from '../src/simulate/adaptiveProblem.js';
import { adaptiveFlow, adaptiveValidate, restAgainstManifold, settle } from '../src/simulate/adaptiveValidate.js';
import { DivergenceError } from '../src/simulate/divergence.js';

const adam = (b1: [number, number], b2: [number, number]) =>
  adaptiveRule('adam', new Map([['beta1', rational(...b1)], ['beta2', rational(...b2)], ['eps', rational(0)]]));
const dist = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!);
// GF of x² + y² with ε = 0 from θ: θ − t(1, 1).
const gf = (th: ArrayLike<number>, t: number) => [th[0]! - t, th[1]! - t];
const square = (maxOrder: number) =>
  adaptiveProblem({ loss: 'x^2 + y^2', init: { x: 1, y: 2 }, maxOrder, rule: adam([1, 2], [3, 5]) });

describe('adaptiveFlow', () => {
  it('GF (order −1) at the times kη: θ0 − kη(1, 1)', () => {
    const flow = adaptiveFlow(square(0), -1, 0.1, [1, 2], 3, {});
    expect(flow).toHaveLength(4);
    flow.forEach((y, k) => expect(dist(y, gf([1, 2], 0.1 * k))).toBeLessThan(1e-9));
  });

  it('EoM_0 (order 0) takes η into the field: t = (θ0 − θ) + cη ln((θ0 − cη)/(θ − cη))', () => {
    const p = adaptiveProblem({ loss: 'x^2/2 + y^2/2', init: { x: 1, y: 2 }, maxOrder: 1, rule: adam([1, 2], [3, 5]) });
    const lr = 0.05;
    const c = 1.5 - 1; // β2/(1 − β2) − β1/(1 − β1) with β1 = 1/2, β2 = 3/5
    const flow = adaptiveFlow(p, 0, lr, [1, 2], 4, {});
    flow.forEach((y, k) => {
      for (const [i, th0] of [[0, 1], [1, 2]] as const) {
        const t = th0 - y[i]! + c * lr * Math.log((th0 - c * lr) / (y[i]! - c * lr));
        expect(t).toBeCloseTo(k * lr, 9);
      }
    });
  });

  it('names the flow that failed (GF, EoM_j) when the field is singular', () => {
    // GF of x² + y² with ε = 0: −g/|g| jumps where x crosses 0 (t = 0.05), more than 3 integrator steps.
    let caught: unknown;
    try {
      adaptiveFlow(square(1), -1, 0.1, [0.05, 2], 3, { maxSteps: 3 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DivergenceError);
    expect((caught as Error).message).toMatch(/^GF of adam \(η = 0\.1\): the integrator stopped at step \d+ \(step limit reached on \[/);
    // EoM_0 of x²/2 + y²/2 with β1 = 3/5 > β2 = 1/2: dx/dt = −1 − η/(2x), infinite at x = 0.
    const q = adaptiveProblem({ loss: 'x^2/2 + y^2/2', init: { x: 1, y: 2 }, maxOrder: 1, rule: adam([3, 5], [1, 2]) });
    expect(() => adaptiveFlow(q, 0, 0.1, [0.05, 2], 3, {})).toThrow(/^EoM_0 of adam \(η = 0\.1\): the integrator stopped at step /);
  });
});

describe('settle', () => {
  // The rule of its docstring, applied in the test to a fresh stepper's offManifold.
  const expected = (lr: number, maxSteps: number, maxOrder = 1) => {
    const p = square(maxOrder);
    const ref = new AdaptiveStepper(p, lr, 'manifold');
    ref.step();
    const floor = ref.offManifold();
    const s = new AdaptiveStepper(p, lr, 'rest');
    const offs = [s.offManifold()];
    while (s.n < maxSteps && offs.at(-1)! > 2 * floor && (offs.length < 3 || offs.at(-1)! < offs.at(-2)!)) {
      s.step();
      offs.push(s.offManifold());
    }
    return offs;
  };

  it('steps from rest until e_n ≤ 2 × the manifold start\'s own; rate = (e_s/e_1)^{1/(s − 1)}', () => {
    const p = square(1);
    const r = settle(new AdaptiveStepper(p, 0.01, 'rest'));
    const offs = expected(0.01, 100_000);
    expect(r.lr).toBe(0.01);
    expect(r.offManifold).toEqual(offs);
    expect(r.settled).toBe(offs.length - 1);
    expect(r.settled).toBeGreaterThan(5);
    expect(r.rate).toBeCloseTo((offs.at(-1)! / offs[1]!) ** (1 / (offs.length - 2)), 12);
    // ≈ max(β1, β2) = 3/5.
    expect(r.rate).toBeGreaterThan(0.5);
    expect(r.rate).toBeLessThan(0.8);
  });

  it('stops at 2 × the floor while still falling (M_η, V_η truncated at K = 0: a higher floor)', () => {
    const p = square(0);
    const r = settle(new AdaptiveStepper(p, 0.02, 'rest'));
    const offs = expected(0.02, 100_000, 0);
    expect(r.offManifold).toEqual(offs);
    const ref = new AdaptiveStepper(p, 0.02, 'manifold');
    ref.step();
    expect(offs.at(-1)!).toBeLessThanOrEqual(2 * ref.offManifold());
    expect(offs.at(-1)!).toBeLessThan(offs.at(-2)!);
  });

  it('stops when e_n no longer falls, from the third value on', () => {
    // At η = 0.1 the distances from rest fall, then rise once (found by scanning a fresh stepper).
    const p = square(1);
    const scan = new AdaptiveStepper(p, 0.1, 'rest');
    const e = [scan.offManifold()];
    for (let k = 0; k < 12; k++) {
      scan.step();
      e.push(scan.offManifold());
    }
    const j = e.findIndex((_, n) => n >= 1 && e[n + 1]! >= e[n]!) - 1;
    expect(j).toBeGreaterThanOrEqual(0);
    const s = new AdaptiveStepper(p, 0.1, 'rest');
    for (let k = 0; k < j; k++) s.step();
    // From step j: e_j, e_{j+1} (falling), e_{j+2} (not): three values, then stop.
    const r = settle(s);
    expect(r.offManifold).toEqual(e.slice(j, j + 3));
    expect(r.settled).toBe(j + 2);
  });

  it('stops at maxSteps; two points give a rate, fewer none', () => {
    const p = square(1);
    const two = settle(new AdaptiveStepper(p, 0.01, 'rest'), 2);
    expect(two.settled).toBe(2);
    expect(two.offManifold).toEqual(expected(0.01, 2));
    expect(two.rate).toBeCloseTo(two.offManifold[2]! / two.offManifold[1]!, 12);
    const one = settle(new AdaptiveStepper(p, 0.01, 'rest'), 1);
    expect(one.settled).toBe(1);
    expect(one.rate).toBeNaN();
    // On the manifold already: e_0 = 0, no step.
    const none = settle(new AdaptiveStepper(p, 0.01, 'manifold'));
    expect([none.settled, none.offManifold]).toEqual([0, [0]]);
    expect(none.rate).toBeNaN();
  });
});

describe('adaptiveValidate', () => {
  it('refuses an order without ξ_{K+1}, and fewer than two different η', () => {
    const p = square(1);
    expect(() => adaptiveValidate(p, { order: 1, lrs: [0.02, 0.01] })).toThrow(new RangeError('validating order 1 needs ξ_2; the problem has 1'));
    expect(() => adaptiveValidate(p, { lrs: [0.02, 0.01] })).toThrow('validating order 1 needs ξ_2');
    expect(() => adaptiveValidate(p, { order: 0, lrs: [0.02, 0.02] })).toThrow(new RangeError('give at least two different learning rates to fit a slope'));
    expect(() => adaptiveValidate(p, { order: 0, lrs: [0.02] })).toThrow('give at least two different learning rates');
  });

  it('GF\'s errors are the distances from θ0 − kη(1, 1); the slopes their log-log fit; the defaults order 1, T = 0.2, manifold', () => {
    const p = square(2);
    const lrs = [0.02, 0.01];
    const v = adaptiveValidate(p, { lrs });
    expect(v.method).toBe('adam');
    expect(v.start).toBe('manifold');
    expect(v.params).toBe(p.rule.params);
    expect(v.transients).toEqual([]);
    expect(v.warnings).toEqual([]);
    expect(v.results.map((r) => [r.order, r.expectedLocalSlope, r.expectedGlobalSlope])).toEqual([[-1, 2, 1], [0, 3, 2], [1, 4, 3]]);
    const local = lrs.map((lr) => dist(new AdaptiveStepper(p, lr, 'manifold').step(), gf([1, 2], lr)));
    const global = lrs.map((lr) => {
      const s = new AdaptiveStepper(p, lr, 'manifold');
      let e = 0;
      for (let k = 1; k <= Math.round(0.2 / lr); k++) e = Math.max(e, dist(s.step(), gf([1, 2], k * lr)));
      return e;
    });
    const gfResult = v.results[0]!;
    expect(gfResult.lrs).toEqual(lrs);
    gfResult.local.forEach((x, i) => expect(x / local[i]!).toBeCloseTo(1, 6));
    gfResult.global.forEach((x, i) => expect(x / global[i]!).toBeCloseTo(1, 6));
    expect(gfResult.localSlope).toBeCloseTo(Math.log(local[0]! / local[1]!) / Math.log(2), 5);
    expect(gfResult.globalSlope).toBeCloseTo(Math.log(global[0]! / global[1]!) / Math.log(2), 5);
    for (const r of v.results) {
      expect(r.atNoiseFloor).toEqual([]);
      expect(r.passed).toBe(Math.abs(r.localSlope - r.expectedLocalSlope) <= 0.3 && Math.abs(r.globalSlope - r.expectedGlobalSlope) <= 0.3);
    }
    expect(v.passed).toBe(v.results.every((r) => r.passed));
    expect(v.passed).toBe(true);
  });

  it('the horizon sets the number of steps (at least one); the slope tolerance the verdict', () => {
    const p = square(1);
    const lrs = [0.02, 0.01];
    const v = adaptiveValidate(p, { order: 0, lrs, horizon: 0.001, slopeTolerance: 1e-9 });
    // One step: global = local.
    expect(v.results[0]!.global).toEqual(v.results[0]!.local);
    expect(v.results.map((r) => r.passed)).toEqual([false, false]);
    expect(v.passed).toBe(false);
    const w = adaptiveValidate(p, { order: 0, lrs, horizon: 0.06 });
    const three = (lr: number) => {
      const s = new AdaptiveStepper(p, lr, 'manifold');
      let e = 0;
      for (let k = 1; k <= Math.round(0.06 / lr); k++) e = Math.max(e, dist(s.step(), gf([1, 2], k * lr)));
      return e;
    };
    expect(w.results[0]!.global[0]! / three(0.02)).toBeCloseTo(1, 6);
    expect(w.results[0]!.global[1]! / three(0.01)).toBeCloseTo(1, 6);
  });

  it('from rest: a transient per η, the errors from the settled state; warnings per η outside the regime', () => {
    const p = square(1);
    const v = adaptiveValidate(p, { order: 0, lrs: [0.05, 0.025], horizon: 0.1, start: 'rest', maxSteps: 4 });
    expect(v.start).toBe('rest');
    expect(v.transients.map((t) => [t.lr, t.settled])).toEqual([[0.05, 4], [0.025, 4]]);
    const s = new AdaptiveStepper(p, 0.05, 'rest');
    for (let k = 0; k < 4; k++) s.step();
    const th = s.theta;
    expect(v.results[0]!.local[0]! / dist(s.step(), gf(th, 0.05))).toBeCloseTo(1, 6);
    // expansion = |λ|max/(min|g_i|(1 − 3/5)) = 2/(2·0.4) = 2.5 at (1, 2): η = 0.05 gives 0.125.
    expect(v.warnings).toEqual(['η = 0.05: η·|λ|max/((min|g_i| + ε)(1 − β)) = 0.125 at θ0: the EoM is a series in this and needs it ≪ 1 (smaller η)']);
  });

  it('leaves out of the fit the η whose errors are within 10× the integrator\'s noise', () => {
    // On a linear loss with ε = 0 the optimiser moves every θ_i by exactly η per step, as GF does:
    // every error is at the noise floor.
    const p = adaptiveProblem({ loss: 'x + y', init: { x: 1, y: 2 }, maxOrder: 1, rule: adam([1, 2], [3, 5]) });
    const v = adaptiveValidate(p, { order: 0, lrs: [0.02, 0.01], horizon: 0.04 });
    expect(v.results[0]!.atNoiseFloor).toEqual([0.02, 0.01]);
    expect(v.results[0]!.localSlope).toBeNaN();
    expect(v.results[0]!.passed).toBe(false);
  });
});

describe('adaptiveValidate: the global noise floor on its own', () => {
  it('flags an η whose global error is within 10× its noise while the local error is clear of its own', () => {
    // RMSProp with ε = 1 ≫ |g| near 0 on x²/2 + y²/2 contracts: the global error saturates at about
    // twice the local one, while the round-off floor ε_mach·max(|θ|, 1)·k grows with the steps k.
    // At T = 20, η = 0.05 (N = 400): EoM_1's global error (~3e-13) < 10·ε_mach·400 ≈ 9e-13, but its
    // local error (~3e-14) > 10·ε_mach ≈ 2e-15 (one step's floor).
    const rule = adaptiveRule('rmsprop', new Map([['rho', rational(1, 2)], ['eps', rational(1)]]));
    const p = adaptiveProblem({ loss: 'x^2/2 + y^2/2', init: { x: 1e-8, y: 2e-8 }, maxOrder: 2, rule });
    const short = adaptiveValidate(p, { order: 1, lrs: [0.1, 0.05], horizon: 2 }).results[2]!;
    const long = adaptiveValidate(p, { order: 1, lrs: [0.1, 0.05], horizon: 20 }).results[2]!;
    expect(short.atNoiseFloor).toEqual([]);
    expect(long.atNoiseFloor).toEqual([0.05]);
    expect(long.local).toEqual(short.local);
    expect(long.local[1]!).toBeGreaterThan(10 * Number.EPSILON);
    expect(long.global[1]!).toBeLessThan(10 * Number.EPSILON * 400);
    expect(long.global[1]!).toBeGreaterThan(10 * Number.EPSILON * 40);
  });
});

describe('adaptiveValidate: the verdict and the integrator', () => {
  it('an order passes when both slopes are within the tolerance (≤), the run when every order does', () => {
    const p = square(1);
    const lrs = [0.02, 0.01];
    const base = adaptiveValidate(p, { order: 0, lrs, horizon: 0.06 });
    const dev = base.results.map((r) => [Math.abs(r.localSlope - r.expectedLocalSlope), Math.abs(r.globalSlope - r.expectedGlobalSlope)] as const);
    let mixed = false;
    // Each tolerance exactly at one of the four deviations: the runs are deterministic, so the
    // deviations repeat bit for bit and the verdict is that of the rule a ≤ tol and b ≤ tol.
    for (const tol of dev.flat()) {
      const v = adaptiveValidate(p, { order: 0, lrs, horizon: 0.06, slopeTolerance: tol });
      const want = dev.map(([a, b]) => a <= tol && b <= tol);
      expect(v.results.map((r) => r.passed)).toEqual(want);
      expect(v.passed).toBe(want.every(Boolean));
      mixed ||= want.some(Boolean) && !want.every(Boolean);
    }
    // The four deviations are distinct, so some tolerance passes one slope and not the other.
    expect(new Set(dev.flat()).size).toBe(4);
    expect(mixed).toBe(true);
  });

  it('uses the integrator settings it is given (a coarse tolerance moves the curved EoM_0 flow)', () => {
    // square(1)'s EoM_0 field −1 + cη/θ_i is curved: a tolerance of 1e-2 changes the computed flow.
    const fine = adaptiveValidate(square(1), { order: 0, lrs: [0.02, 0.01], horizon: 0.06 });
    const coarse = adaptiveValidate(square(1), { order: 0, lrs: [0.02, 0.01], horizon: 0.06, integrator: { relativeTolerance: 1e-2, absoluteTolerance: 1e-2 } });
    expect(coarse.results[1]!.global).not.toEqual(fine.results[1]!.global);
    const r = restAgainstManifold(square(1), 0.01, 0, 6);
    const rc = restAgainstManifold(square(1), 0.01, 0, 6, { relativeTolerance: 1e-2, absoluteTolerance: 1e-2 });
    expect(rc.manifold).not.toBe(r.manifold);
  });
});

describe('restAgainstManifold', () => {
  it('the largest distance from the flow after the transient, beside the manifold start\'s from θ0', () => {
    const p = square(1);
    const lr = 0.01;
    const r = restAgainstManifold(p, lr, -1, 5);
    const rest = new AdaptiveStepper(p, lr, 'rest');
    const transient = settle(rest);
    expect(r.transient).toEqual(transient);
    const from = (s: AdaptiveStepper) => {
      const th0 = Float64Array.from(s.theta);
      let e = 0;
      for (let k = 1; k <= 5; k++) e = Math.max(e, dist(s.step(), gf(th0, k * lr)));
      return e;
    };
    expect(r.rest / from(rest)).toBeCloseTo(1, 6);
    expect(r.manifold / from(new AdaptiveStepper(p, lr, 'manifold'))).toBeCloseTo(1, 6);
  });
});
