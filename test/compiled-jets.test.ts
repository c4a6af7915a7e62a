/**
 * Compiled EoM fields contract derivative tensors with forward-mode jets (src/compile/jets.ts), so
 * the generated source stays small. Oracle: the closed forms — ξ_k expanded exactly by
 * concreteCounterTerms and compiled monomial by monomial (compileCounterTerms), a different route
 * that shares no jet code — at random points, to 1e-12 relative.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileCounterTerms, compileTreeCounterTerms, concreteCounterTerms, Loss, solveCounterTerms } from '../src/index.js';
import { prng } from './helpers/lossOracles.js';

const scale = JSON.parse(readFileSync(new URL('../derivations/scale-weight-decay.json', import.meta.url), 'utf8')) as {
  inputs: { loss: string; vars: string[] };
};

/** max_i |a_i − b_i| / max(‖b‖_∞, tiny). */
function rel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return d / Math.max(s, 1e-300);
}

function agree(loss: Loss, K: number, seed: number, points = 4): void {
  const tree = compileTreeCounterTerms(loss, solveCounterTerms(K));
  const closed = compileCounterTerms(loss, concreteCounterTerms(loss, solveCounterTerms(K)));
  const rand = prng(seed);
  for (let t = 0; t < points; t++) {
    const th = loss.vars.map(() => 1.4 * rand() - 0.7);
    // Each ξ_k alone to 1e-11: the expanded closed form sums hundreds of terms that cancel (seen:
    // 1.7e-12 on ξ_2 of the 2-weight loss, where the jets agree with the previous contraction code
    // to 1e-15); the field to 1e-12 at learning rates inside the series' range.
    for (let k = 0; k <= K; k++) expect(rel(tree.xi[k]!(th), closed.xi[k]!(th)), `ξ_${k} at ${th}`).toBeLessThan(1e-11);
    for (const eta of [0.1, 0.02]) expect(rel(tree.field(th, eta), closed.field(th, eta)), `EoM_${K} at ${th}, η = ${eta}`).toBeLessThan(1e-12);
  }
}

describe('compiled fields by jets', () => {
  it('the 3-weight scale-invariant EoM_2 field is below 100 kB of source, and its ξ_0 is the closed form', () => {
    const loss = Loss.parse(scale.inputs.loss, { vars: scale.inputs.vars, weightDecay: '0.1' });
    const c = compileTreeCounterTerms(loss, solveCounterTerms(2));
    // Size bound of issue 14 (the monomial-by-monomial contractions were ~1 MB).
    expect(c.fieldOfOrder(2).toString().length).toBeLessThan(100_000);
    agree(loss, 0, 11);
  });

  it('a 2-weight scale-invariant loss with weight decay: EoM_2 equals the closed forms', () => {
    agree(Loss.parse('softplus(-(w1 + 2*w2)/sqrt(w1^2 + w2^2)) + softplus((0.5*w1 - w2)/sqrt(w1^2 + w2^2))', { weightDecay: '0.1' }), 2, 12, 3);
  });

  it('several-argument functions, logs, cube roots and tangents: EoM_2 equals the closed forms', () => {
    agree(Loss.parse('logsumexp(x, y, x*y) + log(2 + x^2) + tan(0.3*y) + (1 + x^2*y^2)^(1/3) + atan(x - y)'), 2, 13, 3);
  });

  it('a polynomial to EoM_4 equals the closed forms', () => {
    agree(Loss.parse('(x^2 + y^2 - 1)^2 + 0.5*x*y^3'), 4, 14, 3);
  });

  it('takes a leading factor c: F = −c·g − η Σ η^k ξ_k', () => {
    // Hand: L = 3/2 x², g = 3x, H = 3, ξ_k = H^{k+1} g/(k+2) = 3^{k+2} x/(k+2) (quadratic loss,
    // docs/design.md §2.6 / derivations/quadratic-loss.json); so with c = 2, x = 0.5, η = 0.1, K = 2:
    // F = −2·1.5 − 0.1·(9/2·0.5 + 0.1·27/3·0.5 + 0.01·81/4·0.5).
    const x = 0.5;
    const eta = 0.1;
    const want = -2 * 3 * x - eta * ((9 / 2) * x + eta * ((27 / 3) * x + eta * ((81 / 4) * x)));
    const loss = Loss.parse('1.5*x^2');
    const tree = compileTreeCounterTerms(loss, solveCounterTerms(2), {}, { leading: 2 });
    const closed = compileCounterTerms(loss, concreteCounterTerms(loss, solveCounterTerms(2)), {}, { leading: 2 });
    expect(tree.field([x], eta)[0]).toBeCloseTo(want, 13);
    expect(closed.field([x], eta)[0]).toBeCloseTo(want, 13);
    // The default is gradient descent's c = 1.
    expect(compileTreeCounterTerms(loss, solveCounterTerms(2)).field([x], eta)[0]).toBeCloseTo(want + 3 * x, 13);
  });
});
