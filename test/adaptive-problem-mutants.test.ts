/**
 * src/simulate/adaptiveProblem.ts against independent truths (issue 16's mutation targets):
 * - the slow-manifold state M_η, V_η by its defining property: the optimiser maps the manifold to
 *   itself, M_η(θ_1) = β1 M_η(θ_0) + (1 − β1) g(θ_1) with θ_1 = θ_0 − η M_η(θ_0)/(√V_η(θ_0) + ε),
 *   up to the truncation O(η^{K+2}) (and the same for V with g⊙g), and its first-order closed form;
 * - the expansion parameter |λ|max(H)/((min|g_i| + ε)(1 − max(β1, β2))) on a quadratic whose Hessian
 *   is known by hand;
 * - the stepper against PyTorch's RMSprop and Adam updates iterated by hand in the test.
 * Every object is built inside its `it` (Stryker activates mutants per test).
 */
import { describe, expect, it } from 'vitest';
import { adaptiveRule } from '../src/adaptive/methods.js';
import { rational } from '../src/series/fraction.js';
import { adaptiveProblem, adaptiveRegimeWarning, AdaptiveStepper } from '../src/simulate/adaptiveProblem.js';

const adam = (b1: [number, number], b2: [number, number], eps: [number, number]) =>
  adaptiveRule('adam', new Map([['beta1', rational(...b1)], ['beta2', rational(...b2)], ['eps', rational(...eps)]]));
const rmsprop = (rho: [number, number], eps: [number, number]) =>
  adaptiveRule('rmsprop', new Map([['rho', rational(...rho)], ['eps', rational(...eps)]]));

// L = x^4/4 − x^2/2 + x y + y^2: g = (x³ − x + y, x + 2y), by hand.
const LOSS = 'x^4/4 - x^2/2 + x*y + y^2';
const grad = (t: readonly number[]) => [t[0]! ** 3 - t[0]! + t[1]!, t[0]! + 2 * t[1]!];

describe('the problem', () => {
  it('names the hyperparameter that is not exact (beta1, beta2, rho, eps)', () => {
    const init = { x: 0.5, y: 1 };
    expect(() => adaptiveProblem({ loss: LOSS, init, maxOrder: 0, rule: adaptiveRule('adam', new Map()) })).toThrow(
      'simulating needs an exact value for beta1 (e.g. --param beta1=0.9)',
    );
    const onlyB1 = adaptiveRule('adam', new Map([['beta1', rational(1, 2)]]));
    expect(() => adaptiveProblem({ loss: LOSS, init, maxOrder: 0, rule: onlyB1 })).toThrow('exact value for beta2 (e.g. --param beta2=0.9)');
    const noEps = adaptiveRule('adam', new Map([['beta1', rational(1, 2)], ['beta2', rational(1, 2)]]));
    expect(() => adaptiveProblem({ loss: LOSS, init, maxOrder: 0, rule: noEps })).toThrow('exact value for eps (e.g. --param eps=0.9)');
    expect(() => adaptiveProblem({ loss: LOSS, init, maxOrder: 0, rule: adaptiveRule('rmsprop', new Map()) })).toThrow(
      'exact value for rho (e.g. --param rho=0.9)',
    );
  });

  it('refuses a start where the gradient is not finite, and ε = 0 only where a g_i vanishes', () => {
    // d/dx sqrt(x) = 1/(2 sqrt(x)) is infinite at x = 0.
    expect(() => adaptiveProblem({ loss: 'sqrt(x) + y^2', init: { x: 0, y: 1 }, maxOrder: 0, rule: adam([1, 2], [1, 2], [1, 100]) })).toThrow(
      "--init: the gradient is not finite there (outside the loss's domain?)",
    );
    // g = (2x, 2y) = (0, 2) at (0, 1): one component vanishes.
    expect(() => adaptiveProblem({ loss: 'x^2 + y^2', init: { x: 0, y: 1 }, maxOrder: 0, rule: adam([1, 2], [1, 2], [0, 1]) })).toThrow(
      '--init: a component of the gradient vanishes there and eps = 0, so the update divides by zero; give eps > 0 or another point',
    );
    // ε > 0 with a vanishing component, and ε = 0 with none: both fine.
    expect(() => adaptiveProblem({ loss: 'x^2 + y^2', init: { x: 0, y: 1 }, maxOrder: 0, rule: adam([1, 2], [1, 2], [1, 100]) })).not.toThrow();
    expect(() => adaptiveProblem({ loss: 'x^2 + y^2', init: { x: 1, y: 2 }, maxOrder: 0, rule: adam([1, 2], [1, 2], [0, 1]) })).not.toThrow();
  });

  it('keeps the hyperparameters, the variables, the start and the order', () => {
    const p = adaptiveProblem({ loss: LOSS, init: { x: 0.5, y: 1 }, maxOrder: 1, rule: adam([1, 2], [3, 5], [1, 100]) });
    expect([p.beta1, p.beta2, p.eps, p.maxOrder]).toEqual([0.5, 0.6, 0.01, 1]);
    expect([...p.vars]).toEqual(['x', 'y']);
    expect([...p.init]).toEqual([0.5, 1]);
    expect([...p.gradient([0.5, 1])]).toEqual(grad([0.5, 1]));
    expect(p.xi).toHaveLength(2);
    const r = adaptiveProblem({ loss: LOSS, init: { x: 0.5, y: 1 }, maxOrder: 0, rule: rmsprop([3, 5], [1, 100]) });
    expect([r.beta1, r.beta2, r.eps]).toEqual([0, 0.6, 0.01]);
  });

  it('the expansion parameter |λ|max/((min|g_i| + ε)(1 − max(β1, β2))) on L = x² + 3y²/2 (H = diag(2, 3))', () => {
    // At (1, 1): g = (2, 3), min |g_i| = 2; |λ|max = 3.
    const p = adaptiveProblem({ loss: 'x^2 + 3*y^2/2', init: { x: 1, y: 1 }, maxOrder: 0, rule: adam([1, 2], [3, 5], [1, 100]) });
    expect(p.expansion).toBeCloseTo(3 / (2.01 * 0.4), 12);
    const q = adaptiveProblem({ loss: 'x^2 + 3*y^2/2', init: { x: 1, y: 1 }, maxOrder: 0, rule: adam([7, 10], [3, 5], [1, 100]) });
    expect(q.expansion).toBeCloseTo(3 / (2.01 * 0.3), 12);
  });

  it('warns from η·expansion = 0.1 on, with the value to 3 digits', () => {
    // L = x² + y² at (1, 2): |λ|max = 2, g = (2, 4), ε = 0, β = 1/2: expansion = 2/(2·1/2) = 2.
    const p = adaptiveProblem({ loss: 'x^2 + y^2', init: { x: 1, y: 2 }, maxOrder: 0, rule: adam([1, 2], [1, 2], [0, 1]) });
    expect(p.expansion).toBe(2);
    expect(adaptiveRegimeWarning(p, 0.04)).toBeUndefined();
    expect(adaptiveRegimeWarning(p, 0.05)).toBe(
      'η·|λ|max/((min|g_i| + ε)(1 − β)) = 0.100 at θ0: the EoM is a series in this and needs it ≪ 1 (smaller η)',
    );
    expect(adaptiveRegimeWarning(p, 0.5)).toMatch(/= 1\.00 at θ0/);
  });
});

describe('the fields', () => {
  it('GF is −g/(|g| + ε); EoM_0 on x²/2 + y²/2 with ε = 0 is −1 + cη/θ_i, c = β2/(1 − β2) − β1/(1 − β1)', () => {
    // By hand: one step moves θ_i (> 0) by η M/√V = η(1 − cη/θ_i + O(η²)) on the slow manifold, and
    // the flow of −1 − ηξ_0 over time η by η(1 + ηξ_0): ξ_0 = −c/θ_i (c = 3/2 − 1 = 1/2 here).
    const p = adaptiveProblem({ loss: 'x^2/2 + y^2/2', init: { x: 1, y: 2 }, maxOrder: 1, rule: adam([1, 2], [3, 5], [0, 1]) });
    expect(Array.from(p.fieldOfOrder(-1)([1, 2], 0.1))).toEqual([-1, -1]);
    expect(Array.from(p.xi[0]!([1, 2]))).toEqual([expect.closeTo(-0.5, 14), expect.closeTo(-0.25, 14)]);
    expect(Array.from(p.fieldOfOrder(0)([1, 2], 0.1))).toEqual([expect.closeTo(-1 + 0.05, 14), expect.closeTo(-1 + 0.025, 14)]);
    const q = adaptiveProblem({ loss: LOSS, init: { x: 0.5, y: 1 }, maxOrder: 1, rule: adam([1, 2], [3, 5], [1, 100]) });
    const g = grad([0.5, 1]);
    expect(Array.from(q.fieldOfOrder(-1)([0.5, 1], 0.1))).toEqual(g.map((x) => expect.closeTo(-x / (Math.abs(x) + 0.01), 14)));
    // Order 1 adds −η²ξ_1 to order 0 (ξ_1's numbers are src/adaptive's, held in test/adaptive-inputs.test.ts).
    const x0 = q.xi[0]!([0.5, 1]);
    const x1 = q.xi[1]!([0.5, 1]);
    const f1 = q.fieldOfOrder(1)([0.5, 1], 0.1);
    g.forEach((x, i) => expect(f1[i]).toBeCloseTo(-x / (Math.abs(x) + 0.01) - 0.1 * x0[i]! - 0.01 * x1[i]!, 13));
    expect(x1.some((v) => Math.abs(v) > 1e-3)).toBe(true);
  });
});

describe('the state on the slow manifold', () => {
  // The invariance residuals of (M, V) after one step from θ (see the header).
  const residual = (name: 'adam' | 'rmsprop', K: number, lr: number) => {
    const rule = name === 'adam' ? adam([1, 2], [3, 5], [1, 100]) : rmsprop([3, 5], [1, 100]);
    const p = adaptiveProblem({ loss: LOSS, init: { x: 0.5, y: 1 }, maxOrder: K, rule });
    const b1 = name === 'adam' ? 0.5 : 0;
    const b2 = 0.6;
    const t0 = [0.5, 1];
    const s0 = p.state(t0, lr);
    const t1 = t0.map((t, i) => t - (lr * s0.m[i]!) / (Math.sqrt(s0.v[i]!) + 0.01));
    const s1 = p.state(t1, lr);
    const g1 = grad(t1);
    let e = 0;
    for (let i = 0; i < 2; i++) {
      e = Math.max(e, Math.abs(s1.m[i]! - (b1 * s0.m[i]! + (1 - b1) * g1[i]!)));
      e = Math.max(e, Math.abs(s1.v[i]! - (b2 * s0.v[i]! + (1 - b2) * g1[i]! ** 2)));
    }
    return e;
  };

  it.each(['adam', 'rmsprop'] as const)('%s: at η → 0 it is (g, g⊙g); the first order is −β/(1 − β)·η·∂g·ġ', (name) => {
    const rule = name === 'adam' ? adam([1, 2], [3, 5], [1, 100]) : rmsprop([3, 5], [1, 100]);
    const p = adaptiveProblem({ loss: LOSS, init: { x: 0.5, y: 1 }, maxOrder: 1, rule });
    const t = [0.5, 1];
    const g = grad(t); // (0.625, 2.5)
    const s = p.state(t, 0);
    expect(Array.from(s.m)).toEqual(g.map((x) => expect.closeTo(x, 14)));
    expect(Array.from(s.v)).toEqual(g.map((x) => expect.closeTo(x * x, 14)));
    // First order by hand from the invariance equation: with u = −g/(|g| + ε) (the leading flow),
    // M_1 = −β1/(1 − β1)·(∂g/∂θ)u and V_1 = −β2/(1 − β2)·2 g⊙(∂g/∂θ)u.
    const u = g.map((x) => -x / (Math.abs(x) + 0.01));
    // ∂g/∂θ = [[3x² − 1, 1], [1, 2]] at (0.5, 1).
    const Ju = [(3 * 0.25 - 1) * u[0]! + u[1]!, u[0]! + 2 * u[1]!];
    const lr = 1e-6;
    const sl = p.state(t, lr);
    const b1 = name === 'adam' ? 0.5 : 0;
    for (let i = 0; i < 2; i++) {
      expect((sl.m[i]! - g[i]!) / lr).toBeCloseTo((-b1 / (1 - b1)) * Ju[i]!, 4);
      expect((sl.v[i]! - g[i]! ** 2) / lr).toBeCloseTo((-0.6 / 0.4) * 2 * g[i]! * Ju[i]!, 4);
    }
  });

  it.each(['adam', 'rmsprop'] as const)('%s: the optimiser maps it to itself up to O(η^{K+2})', (name) => {
    for (const K of [0, 1]) {
      const a = residual(name, K, 0.004);
      const b = residual(name, K, 0.002);
      // Halving η divides the residual by 2^{K+2}.
      expect(Math.log2(a / b)).toBeGreaterThan(K + 2 - 0.3);
      expect(Math.log2(a / b)).toBeLessThan(K + 2 + 0.3);
    }
  });
});

describe('the stepper', () => {
  it('RMSprop from rest: three steps of torch.optim.RMSprop written out (no bias correction)', () => {
    const p = adaptiveProblem({ loss: LOSS, init: { x: 0.5, y: 1 }, maxOrder: 0, rule: rmsprop([3, 5], [1, 100]) });
    const s = new AdaptiveStepper(p, 0.1, 'rest');
    let th = [0.5, 1];
    let v = [0, 0];
    for (let k = 1; k <= 3; k++) {
      const g = grad(th);
      v = v.map((vi, i) => 0.6 * vi + 0.4 * g[i]! ** 2);
      th = th.map((t, i) => t - (0.1 * g[i]!) / (Math.sqrt(v[i]!) + 0.01));
      const got = s.step();
      expect(got[0]).toBeCloseTo(th[0]!, 14);
      expect(got[1]).toBeCloseTo(th[1]!, 14);
      expect(s.n).toBe(k);
      expect(Array.from(s.v)).toEqual(v.map((x) => expect.closeTo(x, 14)));
      expect(Array.from(s.theta)).toEqual(Array.from(got));
    }
  });

  it('Adam from rest: three steps of torch.optim.Adam written out (bias correction 1 − βᵏ)', () => {
    const p = adaptiveProblem({ loss: LOSS, init: { x: 0.5, y: 1 }, maxOrder: 0, rule: adam([1, 2], [3, 5], [1, 100]) });
    const s = new AdaptiveStepper(p, 0.1, 'rest');
    let th = [0.5, 1];
    let m = [0, 0];
    let v = [0, 0];
    for (let k = 1; k <= 3; k++) {
      const g = grad(th);
      m = m.map((mi, i) => 0.5 * mi + 0.5 * g[i]!);
      v = v.map((vi, i) => 0.6 * vi + 0.4 * g[i]! ** 2);
      th = th.map((t, i) => t - (0.1 * m[i]!) / (1 - 0.5 ** k) / (Math.sqrt(v[i]! / (1 - 0.6 ** k)) + 0.01));
      const got = s.step();
      expect(got[0]).toBeCloseTo(th[0]!, 14);
      expect(got[1]).toBeCloseTo(th[1]!, 14);
      expect(Array.from(s.m)).toEqual(m.map((x) => expect.closeTo(x, 14)));
    }
  });

  it('from a given θ0 rather than the problem\'s start', () => {
    const p = adaptiveProblem({ loss: LOSS, init: { x: 0.5, y: 1 }, maxOrder: 0, rule: rmsprop([3, 5], [1, 100]) });
    const s = new AdaptiveStepper(p, 0.1, 'rest', [1, -1]);
    const g = grad([1, -1]); // (−1, −1)
    const got = s.step();
    // v = 0.4 g²: θ_1 = θ_0 − 0.1 g/(√0.4 |g| + 0.01).
    expect(got[0]).toBeCloseTo(1 + 0.1 / (Math.sqrt(0.4) + 0.01), 14);
    expect(got[1]).toBeCloseTo(-1 + 0.1 / (Math.sqrt(0.4) + 0.01), 14);
    expect(g).toEqual([-1, -1]);
  });

  it.each(['adam', 'rmsprop'] as const)('%s on the manifold: the first step uses (M_η, V_η)(θ0) as they are, later ones update it without bias correction', (name) => {
    const rule = name === 'adam' ? adam([1, 2], [3, 5], [1, 100]) : rmsprop([3, 5], [1, 100]);
    const p = adaptiveProblem({ loss: LOSS, init: { x: 0.5, y: 1 }, maxOrder: 1, rule });
    const lr = 0.01;
    const s = new AdaptiveStepper(p, lr, 'manifold');
    expect(s.offManifold()).toBe(0);
    const { m: M, v: V } = p.state([0.5, 1], lr);
    let th = [0.5, 1].map((t, i) => t - (lr * M[i]!) / (Math.sqrt(V[i]!) + 0.01));
    let m = Array.from(M);
    let v = Array.from(V);
    const b1 = name === 'adam' ? 0.5 : 0;
    let got = s.step();
    expect(Array.from(got)).toEqual(th.map((x) => expect.closeTo(x, 14)));
    expect(s.offManifold()).toBeLessThan(1e-3); // the truncation, O(η²) relative here; from rest it is ≈ β2
    expect(s.offManifold()).toBeGreaterThan(0);
    for (let k = 2; k <= 3; k++) {
      const g = grad(th);
      m = m.map((mi, i) => b1 * mi + (1 - b1) * g[i]!);
      v = v.map((vi, i) => 0.6 * vi + 0.4 * g[i]! ** 2);
      th = th.map((t, i) => t - (lr * m[i]!) / (Math.sqrt(v[i]!) + 0.01));
      got = s.step();
      expect(Array.from(got)).toEqual(th.map((x) => expect.closeTo(x, 14)));
    }
  });

  it.each(['adam', 'rmsprop'] as const)('%s from rest: offManifold is the relative distance of the next state from (M_η, V_η)(θ_n)', (name) => {
    const rule = name === 'adam' ? adam([1, 2], [3, 5], [1, 100]) : rmsprop([3, 5], [1, 100]);
    const p = adaptiveProblem({ loss: LOSS, init: { x: 0.5, y: 1 }, maxOrder: 1, rule });
    const lr = 0.01;
    const s = new AdaptiveStepper(p, lr, 'rest');
    const b1 = name === 'adam' ? 0.5 : 0;
    const bias = name === 'adam';
    let th = [0.5, 1];
    let m = [0, 0];
    let v = [0, 0];
    for (let k = 1; k <= 3; k++) {
      const g = grad(th);
      const mk = m.map((mi, i) => b1 * mi + (1 - b1) * g[i]!);
      const vk = v.map((vi, i) => 0.6 * vi + 0.4 * g[i]! ** 2);
      const c1 = bias ? 1 - 0.5 ** k : 1;
      const c2 = bias ? 1 - 0.6 ** k : 1;
      const S = p.state(th, lr);
      let e = 0;
      for (let i = 0; i < 2; i++) {
        e = Math.max(e, Math.abs(mk[i]! / c1 - S.m[i]!) / Math.abs(S.m[i]!), Math.abs(vk[i]! / c2 - S.v[i]!) / Math.abs(S.v[i]!));
      }
      expect(s.offManifold()).toBeCloseTo(e, 12);
      expect(e).toBeGreaterThan(1e-4);
      m = mk;
      v = vk;
      th = th.map((t, i) => t - (lr * m[i]!) / c1 / (Math.sqrt(v[i]! / c2) + 0.01));
      s.step();
    }
  });
});
