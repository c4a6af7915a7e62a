/**
 * The recurrence stepper (src/simulate/recurrenceStepper.ts) against the recurrence (3.1) iterated
 * by hand with the whole history kept: θ_{n+1} = Σ_j a_j θ_{n−j} − η Σ_i b_i g(Y_i),
 * Y_i = Σ_j c_ij θ_{n−j} − η Σ_{l<i} d_il g(Y_l). The stepper carries increments instead of
 * iterates, so the two agree to rounding only: checked to 1e-13 relative. Gradients are written
 * by hand (no compiled loss), the rules by hand or taken from methodRule and their coefficients
 * checked against the values written in src/derive/methods.ts's descriptions.
 *
 * Objects are built inside each `it` (mutation testing activates mutants per test).
 */
import { describe, expect, it } from 'vitest';
import { methodRule } from '../src/derive/methods.js';
import { rational } from '../src/series/fraction.js';
import { lagsOf, numericRecurrence, RecurrenceStepper, type NumericRecurrence } from '../src/simulate/recurrenceStepper.js';

/** A nonlinear gradient field in two variables (any vector function will do for the stepper). */
const field = (t: ArrayLike<number>): [number, number] => [Math.sin(t[0]!) + 0.3 * t[1]!, t[0]! * t[1]! + t[1]! ** 3 - 0.5 * t[0]!];

/** The field as a VectorFunction that counts its calls and writes into `out` when given. */
function counted() {
  const calls: number[][] = [];
  const gradient = (t: ArrayLike<number>, out?: Float64Array) => {
    calls.push(Array.from(t));
    const g = field(t);
    const o = out ?? new Float64Array(2);
    o[0] = g[0];
    o[1] = g[1];
    return o;
  };
  return { gradient, calls };
}

/** (3.1) by hand: the iterates θ_1 … θ_steps from the history [θ_0, θ_{−1}, …] (index j = θ_{−j}). */
function byHand(rec: NumericRecurrence, lr: number, start: number[][], steps: number, first?: NumericRecurrence): number[][] {
  const hist = start.map((x) => [...x]); // hist[j] = θ_{n−j}
  const out: number[][] = [];
  for (let n = 0; n < steps; n++) {
    const r = n === 0 && first ? first : rec;
    const comb = (cs: readonly number[]) => [0, 1].map((i) => cs.reduce((s, c, j) => s + c * hist[Math.min(j, hist.length - 1)]![i]!, 0));
    const gs: number[][] = [];
    for (const st of r.stages) {
      const y = comb(st.iterates);
      const yy = [0, 1].map((i) => y[i]! - lr * st.gradients.reduce((s, d, l) => s + d * gs[l]![i]!, 0));
      gs.push(field(yy));
    }
    const a = comb(r.history);
    const next = [0, 1].map((i) => a[i]! - lr * r.weights.reduce((s, b, l) => s + b * gs[l]![i]!, 0));
    hist.unshift(next);
    out.push(next);
  }
  return out;
}

const close = (got: ArrayLike<number>, want: readonly number[], tol = 1e-13) => {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(Math.abs(got[i]! - w)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(w))));
};

describe('numericRecurrence and lagsOf', () => {
  it('heavy ball with β = 9/10: a = (1.9, −0.9), one stage at θ_n, b = (1) (methods.ts: θ_n − η∇L + β(θ_n − θ_{n−1}))', () => {
    const r = numericRecurrence(methodRule('heavy-ball', new Map([['beta', rational(9n, 10n)]])) as never);
    expect(r.history).toEqual([1.9, -0.9]);
    expect(r.stages).toEqual([{ iterates: [1], gradients: [] }]);
    expect(r.weights).toEqual([1]);
  });
  it('the midpoint rule: stage 2 at θ − ½η g, b = (0, 1)', () => {
    const r = numericRecurrence(methodRule('midpoint') as never);
    expect(r.history).toEqual([1]);
    expect(r.stages).toEqual([
      { iterates: [1], gradients: [] },
      { iterates: [1], gradients: [0.5] },
    ]);
    expect(r.weights).toEqual([0, 1]);
  });
  it('lags: the longest of the history and every stage', () => {
    expect(lagsOf({ history: [1], stages: [{ iterates: [1], gradients: [] }], weights: [1] })).toBe(1);
    expect(lagsOf({ history: [2, -1], stages: [{ iterates: [1], gradients: [] }], weights: [1] })).toBe(2);
    expect(lagsOf({ history: [1], stages: [{ iterates: [1], gradients: [] }, { iterates: [0, 0, 1], gradients: [0] }], weights: [1, 0] })).toBe(3);
    expect(lagsOf({ history: [1, 0, 0, 0], stages: [{ iterates: [0, 1], gradients: [] }], weights: [1] })).toBe(4);
  });
});

describe('the stepper against (3.1) by hand', () => {
  it('gradient descent: bit for bit θ − η g(θ), one gradient per step, θ_{n−0} = θ_n', () => {
    const { gradient, calls } = counted();
    const gd: NumericRecurrence = { history: [1], stages: [{ iterates: [1], gradients: [] }], weights: [1] };
    const s = new RecurrenceStepper(gradient, gd, 0.1, [[0.7, -0.4]]);
    let theta = [0.7, -0.4];
    for (let k = 1; k <= 15; k++) {
      const g = field(theta);
      theta = theta.map((t, i) => t - 0.1 * g[i]!);
      expect(Array.from(s.step())).toEqual(theta);
      expect(s.n).toBe(k);
    }
    expect(calls.length).toBe(15);
    expect(s.lagged(0)).toBe(s.theta);
  });

  it('heavy ball from two distinct start points: θ_{n+1} = θ_n − η g(θ_n) + β(θ_n − θ_{n−1}), one gradient per step', () => {
    const { gradient, calls } = counted();
    const beta = 0.8;
    const lr = 0.05;
    const hb: NumericRecurrence = { history: [1 + beta, -beta], stages: [{ iterates: [1], gradients: [] }], weights: [1] };
    const s = new RecurrenceStepper(gradient, hb, lr, [[0.9, 0.6], [1.0, 0.4]]);
    // The hand loop, written out for this rule alone.
    let prev = [1.0, 0.4];
    let theta = [0.9, 0.6];
    for (let k = 1; k <= 25; k++) {
      const g = field(theta);
      const next = theta.map((t, i) => t - lr * g[i]! + beta * (t - prev[i]!));
      prev = theta;
      theta = next;
      const got = s.step();
      close(got, theta);
      close(s.theta, theta);
      close(s.lagged(1), prev);
    }
    expect(calls.length).toBe(25);
  });

  it('heavy ball on a quadratic matches its closed form θ_n = A ζ₁ⁿ + B ζ₂ⁿ', () => {
    // L = a/2 x²: θ_{n+1} = (1 + β − ηa) θ_n − β θ_{n−1}; ζ² − (1 + β − ηa) ζ + β = 0.
    const a = 3;
    const beta = 0.5;
    const lr = 0.1;
    const sum = 1 + beta - lr * a; // 1.2, discriminant 1.44 − 2 < 0: complex roots
    const s = new RecurrenceStepper((t, out) => {
      const o = out ?? new Float64Array(1);
      o[0] = a * t[0]!;
      return o;
    }, { history: [1 + beta, -beta], stages: [{ iterates: [1], gradients: [] }], weights: [1] }, lr, [[1], [2]]);
    // Complex roots ρ e^{±iω}: θ_n = ρ^n (C cos nω + D sin nω) with θ_0 = 1, θ_{−1} = 2.
    const rho = Math.sqrt(beta);
    const omega = Math.acos(sum / (2 * rho));
    const C = 1;
    const D = (C * Math.cos(omega) - 2 * rho) / Math.sin(omega); // θ_{−1} = ρ^{−1}(C cos ω − D sin ω) = 2
    for (let n = 1; n <= 30; n++) {
      const want = rho ** n * (C * Math.cos(n * omega) + D * Math.sin(n * omega));
      expect(Math.abs(s.step()[0]! - want)).toBeLessThan(1e-12);
    }
  });

  it('a three-lag rule with a non-pure stage, a gradient at θ_{n−2} and a chained gradient term', () => {
    const rec: NumericRecurrence = {
      history: [1.5, -0.75, 0.25],
      stages: [
        { iterates: [1], gradients: [] },
        { iterates: [1.25, -0.5, 0.25], gradients: [0.7] },
        { iterates: [0, 0, 1], gradients: [] },
        { iterates: [0.5, 0.5], gradients: [0.3, -0.4] },
      ],
      weights: [0.4, 0.35, 0.15, 0.3],
    };
    const lr = 0.07;
    const start = [[0.6, -0.3], [0.55, -0.1], [0.4, 0.05]];
    const { gradient } = counted();
    const s = new RecurrenceStepper(gradient, rec, lr, start);
    const want = byHand(rec, lr, start, 20);
    const all = [...start].reverse().concat(want); // θ_{−2}, θ_{−1}, θ_0, θ_1, …
    for (let k = 1; k <= 20; k++) {
      close(s.step(), want[k - 1]!);
      for (let j = 0; j < 3; j++) close(s.lagged(j), all[k + 2 - j]!);
    }
  });

  it('missing start points repeat the last one given', () => {
    const rec: NumericRecurrence = {
      history: [1.5, -0.75, 0.25],
      stages: [{ iterates: [1], gradients: [] }, { iterates: [0, 0, 1], gradients: [] }],
      weights: [0.6, 0.4],
    };
    const { gradient } = counted();
    const s = new RecurrenceStepper(gradient, rec, 0.1, [[0.6, -0.3], [0.5, -0.2]]);
    const want = byHand(rec, 0.1, [[0.6, -0.3], [0.5, -0.2], [0.5, -0.2]], 6);
    close(s.lagged(2), [0.5, -0.2]);
    close(s.lagged(1), [0.5, -0.2]);
    for (const w of want) close(s.step(), w);
  });

  it("PyTorch's Nesterov from rest: first step θ_0 − η(1+β) g(θ_0), then the two-lag rule with g(θ_{n−1}) reused", () => {
    const beta = 0.9;
    const lr = 0.02;
    const rule: NumericRecurrence = {
      history: [1 + beta, -beta],
      stages: [{ iterates: [1], gradients: [] }, { iterates: [0, 1], gradients: [] }],
      weights: [1 + beta, -beta],
    };
    const first: NumericRecurrence = { history: [1], stages: [{ iterates: [1], gradients: [] }], weights: [1 + beta] };
    const { gradient, calls } = counted();
    const s = new RecurrenceStepper(gradient, rule, lr, [[0.8, 0.4]], first);
    // PyTorch's loop (torch/optim/sgd.py, nesterov=True, dampening 0): v = g, then v ← βv + g; θ ← θ − η(g + βv).
    let theta = [0.8, 0.4];
    let v: number[] | undefined;
    for (let k = 1; k <= 12; k++) {
      const g = field(theta);
      v = v ? v.map((vi, i) => beta * vi + g[i]!) : [...g];
      theta = theta.map((t, i) => t - lr * (g[i]! + beta * v![i]!));
      close(s.step(), theta);
    }
    // One gradient per step: g(θ_{n−1}) is the one computed at the step before.
    expect(calls.length).toBe(12);
  });

  it('the first-step rule applies at step 0 only, and its lags count (a one-step rule started by a two-lag step)', () => {
    const rule: NumericRecurrence = { history: [1], stages: [{ iterates: [1], gradients: [] }], weights: [1] };
    const first: NumericRecurrence = { history: [1.5, -0.5], stages: [{ iterates: [1], gradients: [] }], weights: [2] };
    const { gradient } = counted();
    const start = [[0.3, 0.2], [0.1, 0.5]];
    const s = new RecurrenceStepper(gradient, rule, 0.1, start, first);
    close(s.lagged(1), [0.1, 0.5]);
    for (const w of byHand(rule, 0.1, start, 5, first)) close(s.step(), w);
  });

  it('a Runge–Kutta stage reads the previous stage gradients (midpoint: g(θ − ½η g(θ)))', () => {
    const rec = numericRecurrence(methodRule('midpoint') as never);
    const { gradient, calls } = counted();
    const s = new RecurrenceStepper(gradient, rec, 0.2, [[0.5, 0.5]]);
    let theta = [0.5, 0.5];
    for (let k = 1; k <= 8; k++) {
      const g = field(theta);
      const mid = field(theta.map((t, i) => t - 0.1 * g[i]!));
      theta = theta.map((t, i) => t - 0.2 * mid[i]!);
      close(s.step(), theta);
    }
    expect(calls.length).toBe(16);
  });

  it('a stage that is one past iterate is recognised as such even with explicit zero gradient terms (no extra gradient)', () => {
    // Stage 1 at θ_n with d = (0): the gradient of stage 0, not a second evaluation; stage 2 at θ_{n−1}, d = (0, 0).
    const rec: NumericRecurrence = {
      history: [1.5, -0.5],
      stages: [{ iterates: [1], gradients: [] }, { iterates: [1], gradients: [0] }, { iterates: [0, 1], gradients: [0, 0] }],
      weights: [0.5, 0.25, 0.25],
    };
    const { gradient, calls } = counted();
    const start = [[0.6, -0.3], [0.5, -0.2]];
    const s = new RecurrenceStepper(gradient, rec, 0.1, start);
    for (const w of byHand(rec, 0.1, start, 10)) close(s.step(), w);
    // g(θ_{−1}) once at the first step, then one new gradient per step.
    expect(calls.length).toBe(11);
  });

  it('a stage combining several iterates without gradient terms is evaluated at that combination (look-ahead forms)', () => {
    // Y_0 = θ_n + ½(θ_{n−1} − θ_{n−2}) (coefficient of θ_n exactly 1, but not a single iterate),
    // Y_1 = 1.25θ_n − 0.25θ_{n−1} (Nesterov's look-ahead with β = 1/4).
    const rec: NumericRecurrence = {
      history: [1.25, -0.25],
      stages: [{ iterates: [1, 0.5, -0.5], gradients: [] }, { iterates: [1.25, -0.25], gradients: [] }],
      weights: [0.5, 0.5],
    };
    const { gradient } = counted();
    const start = [[0.6, -0.3], [0.5, -0.2], [0.2, 0.1]];
    const s = new RecurrenceStepper(gradient, rec, 0.1, start);
    for (const w of byHand(rec, 0.1, start, 10)) close(s.step(), w);
  });

  it('a gradient at a past iterate is taken at that iterate exactly, not at θ_n + D_j (a delayed gradient θ_{n+1} = θ_n − η g(θ_{n−2}))', () => {
    const rec: NumericRecurrence = { history: [1], stages: [{ iterates: [0, 0, 1], gradients: [] }], weights: [1] };
    const { gradient, calls } = counted();
    // Chosen so that θ_0 + (θ_{−j} − θ_0) rounds differently from θ_{−j} in every coordinate.
    const start = [[1.1, 0.3], [0.3, 0.001], [0.2, 0.9]];
    const s = new RecurrenceStepper(gradient, rec, 0.05, start);
    const got: number[][] = [];
    const want = byHand(rec, 0.05, start, 12);
    for (let k = 0; k < 12; k++) {
      got.push(Array.from(s.step()));
      close(got[k]!, want[k]!);
    }
    // Step n evaluates g once, at θ_{n−2}: the start points θ_{−2}, θ_{−1}, then the iterates returned.
    expect(calls).toEqual([start[2], start[1], start[0], ...got.slice(0, 9)]);
  });
});
