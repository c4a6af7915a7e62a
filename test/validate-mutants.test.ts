/**
 * validate() (src/simulate/validate.ts) on L = x² (a = 2), where everything has a closed form:
 * gradient descent x_k = (1 − ηa)^k x0; ξ_k = H^{k+1}g/(k + 2) = a^{k+2}x/(k + 2), so EoM_j is
 * dx/dt = −r_j x with r_j = Σ_{m=0}^{j+1} a(ηa)^m/(m + 1) (GF: r = a) and x(t) = x0·e^{−r_j t}
 * (docs/design.md (2.16)–(2.18)). The local error is |x0 e^{−r_j η} − (1 − ηa)x0|, the global one
 * the max over k ≤ N = round(T/η) of |x0 e^{−r_j kη} − (1 − ηa)^k x0|, the predicted local error
 * η^{j+3}|ξ_{j+1}(x0)|. Plus the input checks, one message each, and the start of a multistep rule.
 */
import { describe, expect, it } from 'vitest';
import { DivergenceError, simulationProblem, validate } from '../src/index.js';
import { heun, methodRule, rk4 } from '../src/derive/methods.js';
import { restTransient } from '../src/simulate/transient.js';
import type { FieldFunction } from '../src/compile/compile.js';
import { rational } from '../src/series/fraction.js';

const A = 2;
const X0 = 0.8;
const rate = (j: number, eta: number): number => {
  let r = 0;
  for (let m = 0; m <= j + 1; m++) r += (A * (eta * A) ** m) / (m + 1);
  return r;
};
const flow = (j: number, eta: number, t: number) => X0 * Math.exp(-rate(j, eta) * t);
const gd = (eta: number, k: number) => X0 * (1 - eta * A) ** k;
const localError = (j: number, eta: number) => Math.abs(flow(j, eta, eta) - gd(eta, 1));
function globalError(j: number, eta: number, horizon: number): number {
  let worst = 0;
  for (let k = 0; k <= Math.max(1, Math.round(horizon / eta)); k++) worst = Math.max(worst, Math.abs(flow(j, eta, k * eta) - gd(eta, k)));
  return worst;
}
const close = (measured: number, exact: number, label: string) => expect(Math.abs(measured - exact), label).toBeLessThanOrEqual(1e-6 * exact);

describe('validate on a quadratic, against closed forms', () => {
  it('errors, ratios, slopes and labels of GF, EoM_0, EoM_1; progress in equal steps', () => {
    const p = simulationProblem({ loss: 'x^2', init: { x: X0 }, maxOrder: 2 });
    const lrs = [0.1, 0.05, 0.025];
    const progress: [number, string][] = [];
    const v = validate(p, { order: 1, lrs, horizon: 0.3, onProgress: (f, label) => progress.push([f, label]) });
    expect(v.vars).toEqual(['x']);
    expect(v.init).toEqual({ x: X0 });
    expect(v.horizon).toBe(0.3);
    expect(v.method).toBe('gd');
    expect([...v.params]).toEqual([]);
    expect(v.leading).toBe('1'); // θ ← θ − 1·η g
    expect(v.warnings).toEqual([]);
    expect('start' in v || 'transients' in v || 'skipped' in v).toBe(false);
    expect(v.results.map((r) => [r.order, r.label, r.expectedLocalSlope, r.expectedGlobalSlope])).toEqual([
      [-1, 'GF', 2, 1],
      [0, 'EoM_0', 3, 2],
      [1, 'EoM_1', 4, 3],
    ]);
    for (const r of v.results) {
      const j = r.order;
      expect(r.lrs).toEqual(lrs);
      lrs.forEach((eta, i) => {
        close(r.local[i]!, localError(j, eta), `${r.label} local at η = ${eta}`);
        close(r.global[i]!, globalError(j, eta, 0.3), `${r.label} global at η = ${eta}`);
        // |ξ_{j+1}(x0)| = a^{j+3}x0/(j + 3)
        close(r.localRatio[i]!, localError(j, eta) / (eta ** (j + 3) * (A ** (j + 3) * X0) / (j + 3)), `${r.label} ratio at η = ${eta}`);
        expect(r.localIntegratorError[i]!).toBeGreaterThan(0);
        expect(r.localIntegratorError[i]!).toBeLessThan(r.local[i]! / 1000);
        // the estimate is floored at what floating point resolves after k intervals, ε·max(|y|, 1)·k,
        // and the global one is the largest over k ≤ N = round(0.3/η)
        expect(r.globalIntegratorError[i]!).toBeGreaterThanOrEqual(Number.EPSILON * Math.round(0.3 / eta));
        expect(r.globalIntegratorError[i]!).toBeLessThan(r.global[i]! / 1000);
      });
      // the slopes of the closed-form errors, fitted by least squares on log-log here
      const fit = (ys: number[]) => {
        const xs = lrs.map(Math.log);
        const ls = ys.map(Math.log);
        const mx = xs.reduce((s, x) => s + x, 0) / xs.length;
        const my = ls.reduce((s, y) => s + y, 0) / ls.length;
        return xs.reduce((s, x, i) => s + (x - mx) * (ls[i]! - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
      };
      expect(r.localSlope).toBeCloseTo(fit(lrs.map((eta) => localError(j, eta))), 4);
      expect(r.globalSlope).toBeCloseTo(fit(lrs.map((eta) => globalError(j, eta, 0.3))), 4);
      expect(r.atNoiseFloor).toEqual([]);
      expect(r.passed).toBe(Math.abs(r.localSlope - (j + 3)) <= 0.3 && Math.abs(r.globalSlope - (j + 2)) <= 0.3);
    }
    expect(v.passed).toBe(v.results.every((r) => r.passed));
    // 3 orders × 3 learning rates: 1/9, 2/9, …, 1, each naming its flow and η
    expect(progress.map(([f]) => f)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => k / 9));
    expect(progress[0]![1]).toBe('GF, η = 0.1');
    expect(progress[8]![1]).toBe('EoM_1, η = 0.025');
  });

  it('defaults: order 2, the ladder 0.2 … 0.025, horizon 1, slope tolerance 0.3', () => {
    const p = simulationProblem({ loss: 'x^2', init: { x: X0 }, maxOrder: 3 });
    const v = validate(p);
    expect(v.results.map((r) => r.order)).toEqual([-1, 0, 1, 2]);
    expect(v.results[0]!.lrs).toEqual([0.2, 0.1, 0.05, 0.025]);
    expect(v.horizon).toBe(1);
    // η = 0.2: the global error over N = 5 steps
    close(v.results[1]!.global[0]!, globalError(0, 0.2, 1), 'EoM_0 global at η = 0.2');
    for (const r of v.results) expect(r.passed).toBe(Math.abs(r.localSlope - r.expectedLocalSlope) <= 0.3 && Math.abs(r.globalSlope - r.expectedGlobalSlope) <= 0.3);
    const strict = validate(p, { order: 0, lrs: [0.1, 0.05], slopeTolerance: 1e-9 });
    expect(strict.passed).toBe(false);
  });

  it('a slope passes exactly when within the tolerance (≤), and both slopes must pass', () => {
    const p = simulationProblem({ loss: 'x^2', init: { x: X0 }, maxOrder: 1 });
    // the first ladder's EoM_0 is further off in the global slope, the second's in the local one
    const sides: boolean[] = [];
    for (const lrs of [[0.1, 0.05, 0.025], [0.2, 0.1]]) {
      const r = validate(p, { order: 0, lrs, horizon: 0.3 }).results[1]!;
      const devL = Math.abs(r.localSlope - 3);
      const devG = Math.abs(r.globalSlope - 2);
      sides.push(devL > devG);
      const at = (slopeTolerance: number) => validate(p, { order: 0, lrs, horizon: 0.3, slopeTolerance }).results[1]!.passed;
      expect(at(Math.max(devL, devG))).toBe(true);
      expect(at((devL + devG) / 2)).toBe(false);
    }
    expect(sides).toEqual([false, true]);
  });

  it('a learning rate is at the noise floor when either its local or its global error is within 10× the estimate', () => {
    // Contract of validate.ts (errors within 10× the integrator's estimate carry no signal). Over
    // horizon 0.5, EoM_2's global error reaches the floor at larger η than its local error, so some η
    // are left out for their global error alone.
    const p = simulationProblem({ loss: 'x^2', init: { x: X0 }, maxOrder: 3 });
    const lrs = [0.02, 0.01, 0.0012, 0.001, 0.0009, 0.0008, 0.0007];
    const v = validate(p, { order: 2, lrs, horizon: 0.5 });
    let globalOnly = 0;
    for (const r of v.results) {
      const floorL = lrs.map((_, i) => r.local[i]! <= 10 * r.localIntegratorError[i]!);
      const floorG = lrs.map((_, i) => r.global[i]! <= 10 * r.globalIntegratorError[i]!);
      expect(r.atNoiseFloor, r.label).toEqual(lrs.filter((_, i) => floorL[i] || floorG[i]));
      globalOnly += lrs.filter((_, i) => floorG[i] && !floorL[i]).length;
    }
    expect(globalOnly).toBeGreaterThan(0);
  });

  it('order K needs ξ_{K+1}: order maxOrder − 1 runs, order maxOrder is refused', () => {
    const p = simulationProblem({ loss: 'x^2', init: { x: X0 }, maxOrder: 1 });
    expect(validate(p, { order: 0, lrs: [0.1, 0.05], horizon: 0.1 }).results).toHaveLength(2);
    expect(validate(p, { order: -1, lrs: [0.1, 0.05], horizon: 0.1 }).results.map((r) => r.label)).toEqual(['GF']);
    expect(() => validate(p, { order: 1 })).toThrow(new RangeError('validating order 1 needs counter terms up to ξ_2; the problem has 1'));
    expect(() => validate(p)).toThrow(new RangeError('validating order 2 needs counter terms up to ξ_3; the problem has 1'));
  });

  it('a horizon of one step of the largest η gives one step (N = 1) for it', () => {
    const p = simulationProblem({ loss: 'x^2', init: { x: X0 }, maxOrder: 1 });
    const v = validate(p, { order: 0, lrs: [0.1, 0.04], horizon: 0.1 });
    // η = 0.1: N = 1, the global error is the one-step error; η = 0.04: N = round(2.5) = 3
    close(v.results[1]!.global[0]!, localError(0, 0.1), 'EoM_0 global at η = 0.1');
    close(v.results[1]!.global[1]!, globalError(0, 0.04, 0.1), 'EoM_0 global at η = 0.04');
  });

  it('an integrator that gives up is a divergence of the flow at that η', () => {
    // a stiff field (rate 10^6) within 10 integrator steps: it cannot finish the first interval
    const p0 = simulationProblem({ loss: 'x^2', init: { x: X0 }, maxOrder: 1 });
    const stiff: FieldFunction = (theta, _eta, out = new Float64Array(1)) => out.fill(-1e6 * theta[0]!);
    const p = { ...p0, compiled: { ...p0.compiled, fieldOfOrder: () => stiff } };
    let err: unknown;
    try {
      validate(p, { order: 0, lrs: [0.1, 0.05], horizon: 0.2, integrator: { maxSteps: 10 } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DivergenceError);
    expect((err as DivergenceError).trajectory).toBe('GF (η = 0.1)');
  });

  it('warns for every η with η·|λ|max ≥ 1, naming it', () => {
    // H = 2, so η = 0.5 gives 1.00 and η = 0.6 gives 1.20; η = 0.25 gives 0.5
    const p = simulationProblem({ loss: 'x^2', init: { x: X0 }, maxOrder: 1 });
    const v = validate(p, { order: 0, lrs: [0.6, 0.5, 0.25], horizon: 1.2 });
    expect(v.warnings).toHaveLength(2);
    expect(v.warnings[0]).toMatch(/^η = 0\.6: η·\|λ\|max\(H\(θ0\)\) = 1\.20 ≥ 1/);
    expect(v.warnings[1]).toMatch(/^η = 0\.5: η·\|λ\|max\(H\(θ0\)\) = 1\.00 ≥ 1/);
  });

  it('refuses bad options, each with its own message', () => {
    const p = simulationProblem({ loss: 'x^2', init: { x: X0 }, maxOrder: 2 });
    const bad: [Parameters<typeof validate>[1], string][] = [
      [{ order: 0.5 }, 'order must be an integer ≥ −1, got 0.5'],
      [{ order: -2 }, 'order must be an integer ≥ −1, got -2'],
      [{ order: 0, lrs: [0.1, 0.1] }, 'give at least two different learning rates, each once, to fit a slope'],
      [{ order: 0, lrs: [0.1] }, 'give at least two different learning rates, each once, to fit a slope'],
      [{ order: 0, lrs: [0.1, 0] }, 'learning rates must be positive numbers, got 0'],
      [{ order: 0, lrs: [0.1, Infinity] }, 'learning rates must be positive numbers, got Infinity'],
      [{ order: 0, lrs: [0.1, NaN] }, 'learning rates must be positive numbers, got NaN'],
      [{ order: 0, horizon: -1 }, 'the horizon must be a positive number, got -1'],
      [{ order: 0, horizon: Infinity }, 'the horizon must be a positive number, got Infinity'],
      [{ order: 0, horizon: 0.1 }, 'the horizon 0.1 is shorter than one step of the largest learning rate 0.2'],
    ];
    for (const [options, message] of bad) expect(() => validate(p, options), message).toThrow(new RangeError(message));
    // exactly one step of the largest η is allowed
    expect(() => validate(p, { order: 0, lrs: [0.2, 0.1], horizon: 0.2 })).not.toThrow();
  });
});

describe('Runge–Kutta rules: the first non-vanishing counter term sets the prediction', () => {
  it("Heun (ξ_0 = 0): GF and EoM_0 are predicted at slopes 3 and 2, EoM_1 at 4 and 3", () => {
    // order conditions of a second-order method: ξ_0 = 0 exactly, ξ_1 ≠ 0
    const p = simulationProblem({ loss: 'x^2', init: { x: X0 }, maxOrder: 2, rule: heun });
    expect(p.vanishing).toEqual([true, false, false]);
    const v = validate(p, { order: 1, lrs: [0.1, 0.05], horizon: 0.2 });
    expect(v.results.map((r) => [r.expectedLocalSlope, r.expectedGlobalSlope])).toEqual([
      [3, 2],
      [3, 2],
      [4, 3],
    ]);
  });

  it('RK4 (ξ_0 = ξ_1 = ξ_2 = 0): GF is predicted at slopes 5 and 4, the first non-zero term being the last one computed', () => {
    const p = simulationProblem({ loss: 'x^2', init: { x: X0 }, maxOrder: 3, rule: rk4 });
    expect(p.vanishing).toEqual([true, true, true, false]);
    const v = validate(p, { order: -1, lrs: [0.2, 0.1], horizon: 0.2 });
    expect([v.results[0]!.expectedLocalSlope, v.results[0]!.expectedGlobalSlope]).toEqual([5, 4]);
    const eom1 = validate(p, { order: 1, lrs: [0.2, 0.1], horizon: 0.2 }).results;
    expect(eom1.map((r) => r.expectedLocalSlope)).toEqual([5, 5, 5]);
  });
});

describe('validate for a multistep rule', () => {
  const heavyBall = () =>
    simulationProblem({ loss: 'x^2', init: { x: X0 }, maxOrder: 1, rule: methodRule('heavy-ball', new Map([['beta', rational(1, 2)]])) });

  it('from the slow manifold by default, and says so', () => {
    const v = validate(heavyBall(), { order: 0, lrs: [0.02, 0.01], horizon: 0.1 });
    expect(v.start).toBe('manifold');
    expect(v.transients).toBeUndefined();
    expect(v.skipped).toBeUndefined();
  });

  it('from rest: each η skips to the first step at or after the latest settling time', () => {
    const lrs = [0.02, 0.01];
    const v = validate(heavyBall(), { order: 0, lrs, horizon: 0.1, start: 'rest' });
    expect(v.start).toBe('rest');
    const tr = v.transients!;
    const skipped = v.skipped!;
    expect(tr.map((t) => t.lr)).toEqual(lrs);
    const latest = Math.max(...tr.map((t) => t.settled * t.lr));
    expect(latest).toBeGreaterThan(0);
    lrs.forEach((lr, i) => {
      expect(skipped[i]!).toBeGreaterThanOrEqual(tr[i]!.settled);
      expect(skipped[i]! * lr).toBeGreaterThanOrEqual(latest - 1e-12);
      // the first such step: one step earlier is before the latest settling time, or before its own
      expect((skipped[i]! - 1) * lr < latest - 1e-12 || skipped[i]! - 1 < tr[i]!.settled).toBe(true);
    });
    // the errors are measured after the transient, so the orders hold
    expect(v.results.map((r) => r.atNoiseFloor)).toEqual([[], []]);
  });

  it('from rest: the errors are those of flows started at θ_s against the iterates θ_s … θ_{s+N} (heavy ball by hand)', () => {
    // heavy ball v ← βv + g, θ ← θ − ηv from rest (v = 0), g = 2x; the flow is EoM_0's compiled field,
    // integrated here with classical RK4 at η/400 per step (error ~ (η/400)^4, far below the errors).
    const p = heavyBall();
    const lrs = [0.02, 0.01];
    const v = validate(p, { order: 0, lrs, horizon: 0.1, start: 'rest' });
    const f = p.compiled.fieldOfOrder(0);
    const rk4Step = (x: number, eta: number, h: number) => {
      const d = (y: number) => f([y], eta)[0]!;
      const k1 = d(x);
      const k2 = d(x + (h / 2) * k1);
      const k3 = d(x + (h / 2) * k2);
      const k4 = d(x + h * k3);
      return x + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
    };
    lrs.forEach((eta, i) => {
      const s = v.skipped![i]!;
      const N = Math.round(0.1 / eta);
      const iterates: number[] = [];
      let [x, vel] = [X0, 0];
      for (let n = 0; n <= s + N; n++) {
        if (n >= s) iterates.push(x);
        vel = 0.5 * vel + 2 * x;
        x -= eta * vel;
      }
      let y = iterates[0]!;
      let local = 0;
      let global = 0;
      for (let k = 1; k <= N; k++) {
        for (let r = 0; r < 400; r++) y = rk4Step(y, eta, eta / 400);
        if (k === 1) local = Math.abs(y - iterates[1]!);
        global = Math.max(global, Math.abs(y - iterates[k]!));
      }
      const eom0 = v.results[1]!;
      expect(Math.abs(eom0.local[i]! - local)).toBeLessThanOrEqual(1e-6 * local);
      expect(Math.abs(eom0.global[i]! - global)).toBeLessThanOrEqual(1e-6 * global);
    });
  });

  it('from rest with given integrator settings: the transients are measured with them', () => {
    const p = heavyBall();
    const integrator = { relativeTolerance: 1e-9, absoluteTolerance: 1e-11 };
    const v = validate(p, { order: 0, lrs: [0.02, 0.01], horizon: 0.1, start: 'rest', integrator });
    const direct = [0.02, 0.01].map((lr) => restTransient(p, lr, { integrator }).transient);
    expect(v.transients).toEqual(direct);
    const defaults = [0.02, 0.01].map((lr) => restTransient(p, lr).transient);
    expect(direct).not.toEqual(defaults);
  });
});
