/**
 * Simulating multistep rules (heavy ball, both Nesterov forms): the recurrence stepper against
 * PyTorch's update formulas written out by hand, the manifold start against the closed-form
 * principal root on a quadratic, the transient from rest against β^n, and the measured orders of
 * EoM_0 … EoM_2 (the bar of issue 10) on a non-convex loss.
 *
 * Oracles: PyTorch's SGD (torch/optim/sgd.py, dampening 0): v ← βv + g (v = g at the first step,
 * empty buffer), θ ← θ − ηv, or θ ← θ − η(g + βv) with nesterov=True. The EoM of a multistep rule
 * is dθ/dt = −c·g − η Σ η^k ξ_k with c = 1/(1−β) for momentum (Kovachki & Stuart 2021), and the
 * series is one in η·λ/(1−β)²; its iterates follow one flow from a start on the slow manifold,
 * and a zero-velocity start relaxes onto it like β^n (Hairer–Lubich–Wanner ch. XV).
 */
import { describe, expect, it } from 'vitest';
import { methodRule } from '../src/derive/methods.js';
import { rational, type Rational } from '../src/series/fraction.js';
import { iterates, manifoldStart, restTransient, simulate, simulationProblem, validate } from '../src/index.js';

const LOSS = '(x^2 + y^2 - 1)^2 + 0.5*x*y^3';
const INIT = { x: 0.8, y: 0.4 };
/** ∇L of LOSS, by hand. */
function grad(theta: ArrayLike<number>): [number, number] {
  const x = theta[0]!;
  const y = theta[1]!;
  const r = x * x + y * y - 1;
  return [4 * x * r + 0.5 * y ** 3, 4 * y * r + 1.5 * x * y ** 2];
}

const rule = (name: string, beta: Rational) => methodRule(name, new Map([['beta', beta]]));
const problemFor = (name: string, beta: Rational, maxOrder = 3, loss = LOSS, init: Record<string, number> = INIT) =>
  simulationProblem({ loss, init, maxOrder, rule: rule(name, beta) });

const relClose = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => {
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i]!)));
};

describe('the recurrence stepper is PyTorch from rest', () => {
  const beta = 0.9;
  const lr = 0.01;
  /**
   * PyTorch's SGD loop by hand from an empty buffer: v = g at the first step, then v ← βv + g;
   * `update` is the step direction from g and the new v.
   */
  function pytorch(steps: number, update: (g: number, v: number) => number): number[][] {
    let theta = [INIT.x, INIT.y];
    let v: number[] | undefined;
    const out = [theta];
    for (let k = 1; k <= steps; k++) {
      const g = grad(theta);
      v = v ? v.map((vi, i) => beta * vi + g[i]!) : [...g];
      theta = theta.map((t, i) => t - lr * update(g[i]!, v![i]!));
      out.push(theta);
    }
    return out;
  }
  it('heavy ball: v ← βv + g, θ ← θ − ηv', () => {
    const got = iterates(problemFor('heavy-ball', rational(9, 10), 0), lr, 12, 'rest');
    pytorch(12, (_g, v) => v).forEach((theta, k) => relClose(got[k]!, theta, 1e-14));
  });
  it('Nesterov: v ← βv + g, θ ← θ − η(g + βv) (first step: θ_1 = θ_0 − η(1+β)g)', () => {
    const got = iterates(problemFor('nesterov', rational(9, 10), 0), lr, 12, 'rest');
    pytorch(12, (g, v) => g + beta * v).forEach((theta, k) => relClose(got[k]!, theta, 1e-14));
  });
  it('gradient descent is bit for bit θ − η g(θ)', () => {
    const p = simulationProblem({ loss: LOSS, init: INIT, maxOrder: 0 });
    const got = iterates(p, 0.05, 20, 'rest');
    let theta = Float64Array.from([INIT.x, INIT.y]);
    for (let k = 1; k <= 20; k++) {
      const g = p.compiled.gradient(theta);
      theta = theta.map((t, i) => t - 0.05 * g[i]!);
      expect(Array.from(got[k]!)).toEqual(Array.from(theta));
    }
  });
});

describe('the manifold start', () => {
  // L = a/2·x²: heavy ball is linear, θ_{n+1} = (1 + β − ηa)θ_n − βθ_{n−1}; on the slow manifold
  // θ_n = ζ^n θ_0 with ζ the root of ζ² − (1 + β − ηa)ζ + β = 0 near 1, so θ_{−1} = θ_0/ζ.
  it('heavy ball on a quadratic: θ_{−1} = θ_0/ζ up to O(η^{K+3}) of EoM_K', () => {
    const a = 2;
    const beta = 0.5;
    const errors = [0.005, 0.0025].map((lr) => {
      const p = simulationProblem({ loss: 'x^2', init: { x: 1 }, maxOrder: 3, rule: rule('heavy-ball', rational(1, 2)) });
      const s = 1 + beta - lr * a;
      const zeta = (s + Math.sqrt(s * s - 4 * beta)) / 2;
      const [, back] = manifoldStart(p, lr);
      return Math.abs(back![0]! - 1 / zeta);
    });
    // η·a/(1−β)² = 0.04, 0.02. EoM_3: the field misses by O(η^5), one step back by O(η^6)
    // (2^6 = 64 between the two η).
    expect(errors[0]).toBeLessThan(1e-7);
    expect(Math.log2(errors[0]! / errors[1]!)).toBeGreaterThan(5.5);
  });
});

describe('the transient from rest', () => {
  for (const [name, beta] of [
    ['heavy-ball', 0.9],
    ['nesterov', 0.9],
    ['heavy-ball', 0.5],
  ] as const) {
    it(`${name}, β = ${beta}: the off-manifold distance decays like β^n (fitted rate within 5 %)`, () => {
      const b = rational(beta * 10, 10);
      const p = problemFor(name, b);
      const lr = (0.02 * (1 - beta) ** 2) / p.curvature; // η·λmax/(1−β)² = 0.02
      const { transient } = restTransient(p, lr);
      expect(Math.abs(transient.rate / beta - 1)).toBeLessThan(0.05);
      expect(transient.reached).toBe(true);
      expect(transient.settled).toBeGreaterThan(5);
      if (name === 'heavy-ball') {
        // From rest the first step is GD's, −η g; on the manifold it is −η g/(1−β) + O(η²): the
        // gap after one step is ηβ/(1−β)·‖g(θ0)‖ to leading order.
        const g0 = Math.hypot(...grad([INIT.x, INIT.y]));
        expect(transient.size[1]! / ((lr * beta) / (1 - beta)) / g0).toBeCloseTo(1, 1);
      }
    });
  }
});

describe('validate passes at orders 0–2 for momentum from the manifold start (issue 10)', () => {
  for (const name of ['heavy-ball', 'nesterov', 'nesterov-lookahead']) {
    for (const [beta, b] of [
      [0.5, rational(1, 2)],
      [0.9, rational(9, 10)],
    ] as const) {
      it(`${name}, β = ${beta}`, () => {
        const p = problemFor(name, b);
        expect(p.leading).toBeCloseTo(1 / (1 - beta), 12); // c = 1/(1−β)
        // η·λmax/(1−β)² = 0.1 … 0.0125: well inside the series' regime.
        const unit = (1 - beta) ** 2 / p.curvature;
        const lrs = [0.1, 0.05, 0.025, 0.0125].map((x) => x * unit);
        const r = validate(p, { order: 2, lrs, horizon: 1 - beta });
        expect(r.warnings).toEqual([]);
        expect(r.method).toBe(name);
        expect(r.start).toBe('manifold');
        for (const o of r.results) {
          expect(o.atNoiseFloor).toEqual([]);
          expect(Math.abs(o.localSlope - o.expectedLocalSlope)).toBeLessThan(0.3);
          expect(Math.abs(o.globalSlope - o.expectedGlobalSlope)).toBeLessThan(0.3);
          // measured / predicted local error → 1 (η^{j+3}‖ξ_{j+1}‖ of the method's own series)
          expect(Math.abs(o.localRatio[o.localRatio.length - 1]! - 1)).toBeLessThan(0.1);
        }
        expect(r.passed).toBe(true);
      });
    }
  }

  it('from rest the orders hold after the transient, and the skipped steps are reported', () => {
    const p = problemFor('heavy-ball', rational(9, 10));
    const unit = 0.01 / p.curvature;
    const r = validate(p, { order: 2, lrs: [0.1, 0.05, 0.025, 0.0125].map((x) => x * unit), horizon: 0.1, start: 'rest' });
    expect(r.start).toBe('rest');
    expect(r.transients).toHaveLength(4);
    expect(r.skipped!.every((s, i) => s >= r.transients![i]!.settled && s > 0)).toBe(true);
    expect(r.passed).toBe(true);
  });

  it('a symbolic β cannot be simulated: a RangeError naming it', () => {
    expect(() => simulationProblem({ loss: LOSS, init: INIT, maxOrder: 0, rule: methodRule('heavy-ball') })).toThrow(/needs exact values for beta/);
  });

  it('a GD-sized step with β = 0.9 is outside the regime and says so in its own parameter', () => {
    const p = problemFor('heavy-ball', rational(9, 10), 0);
    const r = simulate(p, { lr: 0.05, steps: 2, orders: [-1] });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/^η·\|λ\|max\/\(1−β\)² = \d+(\.\d+)? ≥ 1 \(β = 9\/10\)/);
    expect(r.iterates).toBe('heavy-ball');
  });
});

describe('the report of a multistep method', () => {
  it('shows the method, both starts, the transient from rest and the fitted slopes of each, self-contained', async () => {
    const { reportData, reportHtml } = await import('../src/index.js');
    const p = problemFor('heavy-ball', rational(1, 2), 1);
    const unit = 0.25 / p.curvature; // η·λmax/(1−β)² = 0.1 … 0.025
    const lrs = [0.1, 0.05, 0.025].map((x) => x * unit);
    const data = reportData(p, { order: 0, lr: lrs[1]!, steps: 40, lrs, horizon: 40 * lrs[1]! });
    expect(data.simulation.start).toBe('manifold');
    expect(data.alternate!.simulation.start).toBe('rest');
    expect(data.alternate!.validation.transients).toHaveLength(3);
    expect(data.validation.passed).toBe(true);
    expect(data.alternate!.validation.passed).toBe(true);
    const html = reportHtml(data, { title: 'heavy ball' });
    expect(html).toContain('<section id="other-start">');
    expect(html).toContain('From rest (PyTorch’s start)');
    expect(html).toContain('heavy-ball, beta = 1/2');
    expect(html.match(/<ul class="transient"><li>/g)).toHaveLength(1);
    expect(html.match(/errors measured from step \d+/g)).toHaveLength(3);
    expect(html.match(/<table class="numbers slopes">/g)).toHaveLength(2);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });
});

describe('one-step methods with vanishing counter terms', () => {
  it("Heun's method (order 2, ξ_0 = 0): gradient flow and EoM_0 miss by η³ per step, EoM_1 by η⁴, and validate predicts so", async () => {
    const { heun } = await import('../src/derive/methods.js');
    const p = simulationProblem({ loss: LOSS, init: INIT, maxOrder: 2, rule: heun });
    expect(p.vanishing).toEqual([true, false, false]); // order conditions: ξ_0 = 0 exactly
    const r = validate(p, { order: 1, lrs: [0.02, 0.01, 0.005, 0.0025] });
    expect(r.results.map((o) => [o.expectedLocalSlope, o.expectedGlobalSlope])).toEqual([
      [3, 2],
      [3, 2],
      [4, 3],
    ]);
    expect(r.passed).toBe(true);
  });
});
