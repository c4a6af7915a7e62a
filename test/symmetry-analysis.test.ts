/**
 * The symmetry analysis as a library: analyseSymmetry (src/symmetry), verifySymmetry and
 * symmetryRefusal (src/loss/symmetry.ts), compareQuantity (src/simulate/quantityFlows.ts).
 *
 * Independent truths: on a translation direction with weight decay λ, gradient descent multiplies
 * 1·θ by (1 − ηλ) each step and EoM_K is the linear ODE d(1·θ)/dt = r_K·(1·θ) with
 * r_K = −λ Σ_{j ≤ K+1} (ηλ)^j/(j+1) (the truncated series of log(1 − ηλ)/η; docs/design.md (2.24)), so every
 * error compareQuantity reports has a closed form here; gradient descent on a scale-invariant loss
 * run in this file with a gradient derived by hand; generators θ·∇L and 1·∇L computed by hand.
 */
import { describe, expect, test } from 'vitest';
import { analyseSymmetry, symmetryClosedForm } from '../src/symmetry/index.js';
import { solveCounterTerms } from '../src/derive/solver.js';
import { extragradient } from '../src/derive/updateRule.js';
import { checkedLatex } from '../src/notation/katexCheck.js';
import { symmetryRefusal, verifySymmetry } from '../src/loss/symmetry.js';
import { Loss } from '../src/loss/loss.js';
import { LossError } from '../src/loss/errors.js';
import { simulationProblem } from '../src/simulate/problem.js';
import { compareQuantity, groupSum, normSquared } from '../src/simulate/quantityFlows.js';
import { Rational } from '../src/series/fraction.js';

const TRANSLATION = 'logsumexp(z1, z2, z3) - z1';

describe('verifySymmetry and symmetryRefusal', () => {
  test('holds exactly for invariant losses, with symbolic constants too', () => {
    // Source: Euler's theorem (degree-0 homogeneous ⇒ θ·∇L = 0); softmax sums to 1 (1·∇logsumexp = 1).
    expect(verifySymmetry(Loss.parse('a*w1*w2/(w1^2 + w2^2)', { vars: ['w1', 'w2'] }), { kind: 'scale', group: ['w1', 'w2'] }).holds).toBe(true);
    expect(verifySymmetry(Loss.parse(TRANSLATION), { kind: 'translation', group: ['z1', 'z2', 'z3'] }).holds).toBe(true);
    // a sub-group: logsumexp(z1, z2) − z2 is translation-invariant in (z1, z2) alone; y is outside the group
    const partial = Loss.parse('logsumexp(z1, z2) - z2 + y^2');
    expect(verifySymmetry(partial, { kind: 'translation', group: ['z1', 'z2'] }).holds).toBe(true);
    expect(verifySymmetry(partial, { kind: 'translation', group: ['z1', 'z2', 'y'] }).holds).toBe(false);
    expect(verifySymmetry(partial, { kind: 'translation', group: ['z1'] }).holds).toBe(false);
  });

  test('a refusal names the identity and its value at the sample point', () => {
    // Source: θ·∇(w1w2/(w1² + w2²) + w1²) = 2w1² = 0.18 at w1 = 0.3.
    const symmetry = { kind: 'scale', group: ['w1', 'w2'] } as const;
    const v = verifySymmetry(Loss.parse('w1*w2/(w1^2 + w2^2) + w1^2'), symmetry);
    expect(v.holds).toBe(false);
    expect(v.sample!.at).toEqual({ w1: 0.3, w2: -0.7 });
    expect(v.sample!.value).toBeCloseTo(0.18, 12);
    const message = symmetryRefusal(symmetry, v);
    expect(message).toMatch(/^the loss is not scale-invariant in w1, w2: the identity θ_A·∇L = w1·∂L\/∂w1 \+ w2·∂L\/∂w2 = 0 does not hold/);
    expect(message).toMatch(/it is 0\.180000\)$/);
  });

  test('with free constants there is no sample value, but the residual is named', () => {
    // Source: 1·∇(logsumexp(z1, z2) + a·z1) = 1 + a.
    const symmetry = { kind: 'translation', group: ['z1', 'z2'] } as const;
    const v = verifySymmetry(Loss.parse('logsumexp(z1, z2) + a*z1', { vars: ['z1', 'z2'] }), symmetry);
    expect(v.holds).toBe(false);
    expect(v.sample).toBeUndefined();
    expect(symmetryRefusal(symmetry, v)).toMatch(/1_A·∇L = ∂L\/∂z1 \+ ∂L\/∂z2 = 0 does not hold \(it is .*a/);
  });

  test('a bad group is a LossError', () => {
    const loss = Loss.parse(TRANSLATION);
    expect(() => verifySymmetry(loss, { kind: 'translation', group: [] })).toThrow(/the symmetry group is empty/);
    expect(() => verifySymmetry(loss, { kind: 'translation', group: ['z1', 'z1'] })).toThrow(/names a parameter twice/);
    expect(() => verifySymmetry(loss, { kind: 'scale', group: ['w'] })).toThrow(LossError);
  });
});

/** The translation-direction truth: GD's and EoM_K's 1·θ in closed form, and the largest gap over N steps. */
function translationErrors(S0: number, lambda: number, lr: number, steps: number, K: number): number {
  // K = −1 is gradient flow (rate −λ).
  let rate = 0;
  for (let j = 0; j <= K + 1; j++) rate -= (lambda * (lr * lambda) ** j) / (j + 1);
  let worst = 0;
  for (let k = 0; k <= steps; k++) worst = Math.max(worst, Math.abs(S0 * Math.exp(rate * k * lr) - S0 * (1 - lr * lambda) ** k));
  return worst;
}

describe('compareQuantity', () => {
  test('translation: every error equals its closed form, and the slopes are 1, 2, 3', () => {
    const lambda = 0.5;
    const init = { z1: 1.3, z2: -0.4, z3: 0.9 };
    const S0 = 1.3 - 0.4 + 0.9;
    const problem = simulationProblem({ loss: TRANSLATION, init, maxOrder: 1, weightDecay: '0.5' });
    const lrs = [0.1, 0.05, 0.025];
    const c = compareQuantity(problem, groupSum(problem.vars, problem.vars), { lrs, horizon: 4, orders: [0, 1] });
    expect(c.quantity).toBe('1·θ_A');
    expect(c.labels).toEqual(['GF', 'EoM_0', 'EoM_1']);
    c.rows.forEach((row, i) => {
      expect(row.lr).toBe(lrs[i]);
      expect(row.steps).toBe(Math.round(4 / lrs[i]!));
      expect(row.gdFinal).toBeCloseTo(S0 * (1 - lrs[i]! * lambda) ** row.steps, 12);
      row.errors.forEach((e) => {
        const exact = translationErrors(S0, lambda, row.lr, row.steps, e.order);
        expect(Math.abs(e.maxError - exact), `${e.label} at η = ${row.lr}`).toBeLessThan(1e-6 * exact + 1e-11);
      });
    });
    // Source: docs/design.md (2.18): GF's error ∝ η, EoM_K's ∝ η^{K+2}.
    expect(c.slopes.map((s) => s.order)).toEqual([-1, 0, 1]);
    c.slopes.forEach((s) => expect(Math.abs(s.slope - (s.order === -1 ? 1 : s.order + 2)), s.label).toBeLessThan(0.15));
  });

  test('scale: GD matches gradient descent run here with a hand-derived gradient', () => {
    // L = (w1w2 + ½w1²)/r², r² = w1² + w2²: ∂L/∂w1 = (w2 + w1)/r² − 2w1·N/r⁴, ∂L/∂w2 = w1/r² − 2w2·N/r⁴, N = w1w2 + ½w1².
    const lambda = 0.1;
    const grad = (w1: number, w2: number): [number, number] => {
      const r2 = w1 * w1 + w2 * w2;
      const N = w1 * w2 + 0.5 * w1 * w1;
      return [(w2 + w1) / r2 - (2 * w1 * N) / r2 ** 2 + lambda * w1, w1 / r2 - (2 * w2 * N) / r2 ** 2 + lambda * w2];
    };
    const problem = simulationProblem({ loss: 'w1*w2/(w1^2 + w2^2) + 0.5*w1^2/(w1^2 + w2^2)', init: { w1: 1, w2: 0.5 }, maxOrder: 1, weightDecay: '0.1' });
    const c = compareQuantity(problem, normSquared(problem.vars, ['w1', 'w2']), { lrs: [0.1, 0.05, 0.025], horizon: 10, orders: [0, 1] });
    for (const row of c.rows) {
      let [w1, w2] = [1, 0.5];
      for (let k = 0; k < row.steps; k++) {
        const [g1, g2] = grad(w1, w2);
        [w1, w2] = [w1 - row.lr * g1, w2 - row.lr * g2];
      }
      expect(row.gdFinal).toBeCloseTo(w1 * w1 + w2 * w2, 12);
      expect(row.timeline[0]!.gd).toBeCloseTo(1.25, 14);
    }
    c.slopes.forEach((s) => expect(Math.abs(s.slope - (s.order === -1 ? 1 : s.order + 2)), s.label).toBeLessThan(0.3));
  });

  test('refuses fewer than two learning rates or a bad horizon', () => {
    const problem = simulationProblem({ loss: TRANSLATION, init: { z1: 1, z2: 0, z3: 0 }, maxOrder: 0, weightDecay: '0.5' });
    const q = groupSum(problem.vars, problem.vars);
    expect(() => compareQuantity(problem, q, { lrs: [0.1], horizon: 1, orders: [0] })).toThrow(RangeError);
    expect(() => compareQuantity(problem, q, { lrs: [0.1, 0.1], horizon: 1, orders: [0] })).toThrow(/two different learning rates/);
    expect(() => compareQuantity(problem, q, { lrs: [0.1, 0.05], horizon: 0, orders: [0] })).toThrow(/horizon must be a positive number/);
  });

  test('the quantities: ‖θ_A‖² and 1·θ_A over the group only', () => {
    const theta = [3, 4, 12];
    expect(normSquared(['a', 'b', 'c'], ['a', 'b']).value(theta)).toBe(25);
    expect(normSquared(['a', 'b', 'c'], ['a', 'b']).gradientNorm(theta)).toBe(10); // |∇‖θ_A‖²| = 2‖θ_A‖
    expect(groupSum(['a', 'b', 'c'], ['b', 'c']).value(theta)).toBe(16);
    expect(groupSum(['a', 'b', 'c'], ['b', 'c']).gradientNorm(theta)).toBeCloseTo(Math.SQRT2, 15);
  });
});

describe('analyseSymmetry', () => {
  test('translation: the verdict, the exact rate and the comparison', () => {
    const a = analyseSymmetry({
      loss: TRANSLATION,
      symmetry: { kind: 'translation', group: ['z1', 'z2', 'z3'] },
      weightDecay: 'lambda',
      order: 2,
      comparison: { init: { z1: 1.3, z2: -0.4, z3: 0.9 }, lrs: [0.1, 0.05], horizon: 2, constants: { lambda: 0.5 } },
    });
    expect(a.verdict.holds).toBe(true);
    expect(a.order).toBe(2);
    // Source: −log(1 − x)/x = Σ x^j/(j+1): the rate's η^j λ^{j+1} coefficient is −1/(j+1), j ≤ K + 1.
    expect(a.closedForm!.translation!.map((t) => [t.etaPower, t.lambdaPower, Rational.toString(t.coefficient)])).toEqual([
      [0, 1, '-1'],
      [1, 2, '-1/2'],
      [2, 3, '-1/3'],
      [3, 4, '-1/4'],
    ]);
    expect(a.closedForm!.lambda).toMatch(/lambda/);
    expect(a.comparison!.labels).toEqual(['GF', 'EoM_0', 'EoM_1', 'EoM_2']);
    for (const row of a.comparison!.rows) {
      const gf = row.errors[0]!;
      expect(Math.abs(gf.maxError - translationErrors(1.8, 0.5, row.lr, row.steps, -1))).toBeLessThan(1e-9);
    }
  });

  test('scale: the comparison follows ‖θ‖² of gradient descent, computed here by hand', () => {
    // Source: L = ab/(a² + b²) + λ/2‖θ‖², ∂L/∂a = b(b² − a²)/(a² + b²)² + λa, ∂L/∂b = a(a² − b²)/(a² + b²)² + λb
    // (quotient rule by hand); GD steps θ ← θ − η∇L, and the quantity is ‖θ‖².
    const lambda = 0.1;
    const a = analyseSymmetry({
      loss: 'a*b/(a^2 + b^2)',
      symmetry: { kind: 'scale' },
      weightDecay: '0.1',
      order: 0,
      comparison: { init: { a: 1, b: 0.5 }, lrs: [0.1, 0.05], horizon: 0.5 },
    });
    for (const row of a.comparison!.rows) {
      let [x, y] = [1, 0.5];
      for (let k = 0; k < row.steps; k++) {
        const r2 = x * x + y * y;
        const gx = (y * (y * y - x * x)) / r2 ** 2 + lambda * x;
        const gy = (x * (x * x - y * y)) / r2 ** 2 + lambda * y;
        [x, y] = [x - row.lr * gx, y - row.lr * gy];
      }
      expect(row.gdFinal).toBeCloseTo(x * x + y * y, 12);
    }
  });

  test('scale over part of the parameters: a note instead of a closed form', () => {
    const a = analyseSymmetry({
      loss: 'w1*w2/(w1^2 + w2^2) + v^2',
      symmetry: { kind: 'scale', group: ['w1', 'w2'] },
      weightDecay: '0.1',
      order: 0,
    });
    expect(a.verdict.holds).toBe(true);
    expect(a.closedForm).toBeUndefined();
    expect(a.closedFormNote).toMatch(/^no closed form: .*v is outside the group/);
    expect(a.comparison).toBeUndefined();
  });

  test('refuses a symmetry that does not hold, with a LossError naming the identity', () => {
    const run = () => analyseSymmetry({ loss: 'logsumexp(z1, z2) + z1^2', symmetry: { kind: 'translation', group: ['z1', 'z2'] } });
    expect(run).toThrow(LossError);
    // Source: 1·∇L = 1 + 2z1 = 1.6 at z1 = 0.3.
    expect(run).toThrow(/1_A·∇L = ∂L\/∂z1 \+ ∂L\/∂z2 = 0 does not hold .* it is 1\.60000\)/);
  });
});

describe('analyseSymmetry: the update rule reaches both the closed form and the comparison', () => {
  const spec = {
    loss: TRANSLATION,
    symmetry: { kind: 'translation' as const, group: ['z1', 'z2', 'z3'] },
    weightDecay: 'lambda',
    order: 1,
    rule: extragradient,
  };

  test("extragradient's closed form is log(1 − ηλ + η²λ²)/η", () => {
    // Source: on the translation direction extragradient is S ↦ (1 − u + u²)S, u = ηλ (H = λI there);
    // log(1 − u + u²) = −u + u²/2 + 2u³/3 + O(u⁴) (expanded by hand: x − x²/2 + x³/3 with x = −u + u²).
    const a = analyseSymmetry(spec);
    expect(a.closedForm!.translation!.map((t) => [t.etaPower, t.lambdaPower, Rational.toString(t.coefficient)])).toEqual([
      [0, 1, '-1'],
      [1, 2, '1/2'],
      [2, 3, '2/3'],
    ]);
  });

  test("the comparison steps extragradient itself: 1·θ_k = (1 − ηλ + η²λ²)^k 1·θ_0 along its iterates", () => {
    // Source: 1·∇L = 0 (translation invariance) and 1·(λθ) = λ·1·θ, so one extragradient step maps
    // S = 1·θ to S − ηλ(S − ηλS) = (1 − ηλ + η²λ²)S exactly; gradient descent would give (1 − ηλ)S.
    const init = { z1: 1.3, z2: -0.4, z3: 0.9 };
    const lambda = 0.5;
    const a = analyseSymmetry({ ...spec, comparison: { init, lrs: [0.1, 0.05], horizon: 1, constants: { lambda } } });
    const s0 = init.z1 + init.z2 + init.z3;
    for (const row of a.comparison!.rows) {
      const u = row.lr * lambda;
      expect(row.gdFinal).toBeCloseTo(s0 * (1 - u + u * u) ** row.steps, 12);
      expect(Math.abs(row.gdFinal - s0 * (1 - u) ** row.steps)).toBeGreaterThan(1e-4); // not GD's
    }
  });
});

describe('symmetryClosedForm: what λ stands for', () => {
  const series = solveCounterTerms(0);
  const lambdaOf = (weightDecay: string | number | undefined) => {
    const f = symmetryClosedForm({ kind: 'translation', group: ['z1', 'z2'] }, ['z1', 'z2'], series, 0, weightDecay);
    if (!('form' in f)) throw new Error('expected a closed form');
    return f.form.lambda;
  };

  test.each<[string | number | undefined, string]>([
    [undefined, 'none: set λ = 0'],
    ['lambda', 'λ is the weight decay lambda'],
    [' wd ', 'λ is the weight decay wd'],
    ['0.1', 'λ = 0.1'],
    ['1/10', 'λ = 1/10'],
    [0.25, 'λ = 0.25'],
    ['2e3', 'λ = 2e3'], // a number, though it ends in a letter and digits
  ])('weight decay %s', (weightDecay, expected) => {
    expect(lambdaOf(weightDecay)).toBe(expected);
  });

  test('kinds, the full group reads 1·θ, and the refusal names every parameter outside the group', () => {
    const t = symmetryClosedForm({ kind: 'translation', group: ['z1', 'z2'] }, ['z1', 'z2'], series, 0, 'lambda');
    if (!('form' in t)) throw new Error('expected a closed form');
    expect(t.form.kind).toBe('translation');
    expect(t.form.text).toBe('d(1·θ)/dt = -(λ + 1/2 ηλ²)(1·θ)');
    const sc = symmetryClosedForm({ kind: 'scale', group: ['a', 'b'] }, ['a', 'b'], series, 0, 'lambda');
    expect('form' in sc && sc.form.kind).toBe('scale');
    const part = symmetryClosedForm({ kind: 'scale', group: ['a'] }, ['a', 'v', 'w'], series, 0, 'lambda');
    expect('note' in part && part.note).toBe(
      'no closed form: the scale-invariance identities contract the whole parameter vector, and v, w are outside the group (the comparison with --init still runs)',
    );
  });

  test('the scale form carries the same label', () => {
    const f = symmetryClosedForm({ kind: 'scale', group: ['a', 'b'] }, ['a', 'b'], series, 0, '0.01');
    if (!('form' in f)) throw new Error('expected a closed form');
    expect(f.form.lambda).toBe('λ = 0.01');
    expect(f.form.text).toBe('d‖θ‖²/dt = -(2λ + ηλ²)‖θ‖² + η‖g‖²');
  });
});

describe('translation closed form of a smaller group', () => {
  test('names the quantity 1_A·θ in text and LaTeX (KaTeX-checked)', () => {
    const f = symmetryClosedForm({ kind: 'translation', group: ['z1', 'z2'] }, ['z1', 'z2', 'w'], solveCounterTerms(1), 1, 'lambda');
    if (!('form' in f)) throw new Error('expected a closed form');
    expect(f.form.text).toBe('d(1_A·θ)/dt = -(λ + 1/2 ηλ² + 1/3 η²λ³)(1_A·θ)');
    expect(f.form.latex).toContain('\\mathbf{1}_A\\cdot\\theta');
    expect(() => checkedLatex(f.form.latex)).not.toThrow();
  });
});
