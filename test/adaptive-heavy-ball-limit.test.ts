/**
 * Adam's EoM against heavy ball's in the ε-dominated limit, and RMSProp's and Adam's ξ_0 at ε = 0
 * against closed forms derived by hand: two engines that share no derivation code (src/adaptive's
 * slow-manifold solve; src/derive's B-series solver, its trees made concrete by the loss layer).
 *
 * The limit ε ≫ |g| (PyTorch's form, ε outside the root). Then 1/(√v + ε) = (1/ε)(1 + O(|g|/ε)) and
 * Adam is θ_{n+1} = θ_n − (η/ε) m_{n+1}, m_{n+1} = β1 m_n + (1−β1) g(θ_n). With buf = m/(1−β1) this
 * is PyTorch's SGD with momentum (buf ← β1 buf + g, θ ← θ − η' buf, dampening 0), η' = η(1−β1)/ε:
 * the same iterates. Adam's EoM runs at t = nη, heavy ball's at t' = nη' = t(1−β1)/ε, so
 *     dθ/dt = ((1−β1)/ε) dθ/dt' = ((1−β1)/ε) [−g/(1−β1) − Σ_k η'^{k+1} ξ_k^hb]
 *           = −g/ε − Σ_k η^{k+1} ((1−β1)/ε)^{k+2} ξ_k^hb,
 * against Adam's −g/(|g| + ε) − Σ_k η^{k+1} ξ_k^adam: order by order
 *     lim_{ε→∞} ε^{k+2} ξ_k^adam(θ) = (1−β1)^{k+2} ξ_k^hb(θ),  β = β1.                          (L)
 * Check at k = 0 by hand: heavy ball's ξ_0 = (1+β)/(2(1−β)³) H g (Kovachki & Stuart), so the right
 * side is (1+β1)/(2(1−β1)) H g; Adam's ξ_0 (docs/tutorials/adam.md, adam-first-correction.json) is
 * [H(g⊘(|g|+ε))]⊘(|g|+ε)²⊙(β1/(1−β1)(|g|+ε) − β2/(1−β2)|g| + ε/2), whose ε² multiple tends to
 * (β1/(1−β1) + 1/2) H g = (1+β1)/(2(1−β1)) H g. β2 drops out: v enters only through √v/ε.
 *
 * Both sides are evaluated exactly (rationals) at rational points. ε^{k+2} ξ_k^adam is a rational
 * function of ε whose expansion in 1/ε starts with the limit, so the difference d(ε) to the right
 * side of (L) is c/ε + O(1/ε²). c carries |g| and v's memory: V_j ∝ (1−β2)^{−j}, so up to
 * (1−β2)^{−k}·|g| relative (measured: 1.1·10⁶/ε at β2 = 999/1000, k = 2). The test requires
 * |d(ε)| ≤ 10⁻⁵·|limit| at ε = 10¹² (c/ε ≲ 10⁻⁶ here) and, what pins the limit itself, ε·d(ε) to
 * agree at ε = 10¹² and 10¹⁴ to 10⁻³ relative: a wrong limit leaves d(ε) → const ≠ 0, and ε·d(ε)
 * would grow a hundredfold.
 */
import { describe, expect, it } from 'vitest';
import { adaptiveCounterTerms } from '../src/adaptive/counterTerms.js';
import { adaptiveRule } from '../src/adaptive/methods.js';
import { methodRule } from '../src/derive/methods.js';
import { lossCounterTerms } from '../src/loss/counterTerms.js';
import { rational, rationalToNumber } from '../src/series/fraction.js';
import { exactNormalForm } from './helpers/exactNormalForm.js';
import { q, qadd, qdiv, qmul, qsub, qToString, type Q } from './helpers/polynomial.js';

/** Non-convex (∂²L/∂x² = 3x² − 1 < 0 for |x| < 1/√3), gradient nowhere identically zero. */
const LOSS = 'x^4/4 - x^2/2 + x*y + y^2';
const POINTS: [Q, Q][] = [
  [q(1, 2), q(1, 3)],
  [q(-1), q(1, 5)],
  [q(3, 2), q(-2)],
];
const K = 2;
const toNumber = (a: Q) => rationalToNumber(rational(a.n, a.d)); // numerator and denominator may pass 1e308
const pow = (a: Q, n: number): Q => Array.from({ length: n }).reduce<Q>((acc) => qmul(acc, a), q(1));

describe('Adam at ε → ∞ is heavy ball (PyTorch form, β = β1, η\' = η(1−β1)/ε): ε^{k+2} ξ_k^adam → (1−β1)^{k+2} ξ_k^hb', () => {
  const cases: [Q, Q][] = [
    [q(9, 10), q(999, 1000)],
    [q(1, 2), q(3, 4)],
  ];
  for (const [beta1, beta2] of cases) {
    it(`β1 = ${qToString(beta1)}, β2 = ${qToString(beta2)}: k = 0, 1, 2 at three points`, () => {
      // ε kept as a symbol (one solve), evaluated exactly at 10¹² and 10¹⁴.
      const adam = adaptiveCounterTerms(LOSS, {
        order: K,
        rule: adaptiveRule('adam', new Map([['beta1', rational(beta1.n, beta1.d)], ['beta2', rational(beta2.n, beta2.d)]])),
      });
      const hb = lossCounterTerms(LOSS, { order: K, rule: methodRule('heavy-ball', new Map([['beta', rational(beta1.n, beta1.d)]])) });
      for (const [x, y] of POINTS) {
        const at = new Map([['x', x], ['y', y]]);
        for (let k = 0; k <= K; k++) {
          for (let i = 0; i < 2; i++) {
            const limit = qmul(pow(qsub(q(1), beta1), k + 2), exactNormalForm(hb.xi[k]![i]!, hb.loss.table, at));
            const scaled = [10n ** 12n, 10n ** 14n].map((e) => {
              const eps = q(e);
              const value = exactNormalForm(adam.xi[k]![i]!, adam.loss.table, new Map([...at, ['eps', eps]]));
              const d = qsub(qmul(pow(eps, k + 2), value), limit);
              return { d, epsD: qmul(eps, d) };
            });
            const where = `k = ${k}, i = ${i}, θ = (${qToString(x)}, ${qToString(y)})`;
            expect(toNumber(limit), where).not.toBe(0);
            expect(Math.abs(toNumber(qdiv(scaled[0]!.d, limit))), where).toBeLessThan(1e-5);
            const drift = qdiv(qsub(scaled[1]!.epsD, scaled[0]!.epsD), scaled[0]!.epsD);
            expect(Math.abs(toNumber(drift)), where).toBeLessThan(1e-3);
          }
        }
      }
    }, 60_000);
  }

  it('k = 0 by hand: ε²ξ_0^adam → (1+β1)/(2(1−β1)) H g at β1 = 9/10 (19/2 H g), heavy ball gives the same', () => {
    const adam = adaptiveCounterTerms(LOSS, { order: 0, rule: adaptiveRule('adam', new Map([['beta1', rational(9, 10)], ['beta2', rational(999, 1000)]])) });
    const hb = lossCounterTerms(LOSS, { order: 0, rule: methodRule('heavy-ball', new Map([['beta', rational(9, 10)]])) });
    for (const [x, y] of POINTS) {
      // g and H of L by hand.
      const g = [qadd(qsub(pow(x, 3), x), y), qadd(x, qmul(q(2), y))];
      const H = [[qsub(qmul(q(3), pow(x, 2)), q(1)), q(1)], [q(1), q(2)]];
      const Hg = H.map((row) => qadd(qmul(row[0]!, g[0]!), qmul(row[1]!, g[1]!)));
      const expected = Hg.map((v) => qmul(q(19, 2), v));
      const at = new Map([['x', x], ['y', y]]);
      // heavy ball: (1/10)² · 950 H g = 19/2 H g exactly.
      expect(hb.xi[0]!.map((p) => qToString(qmul(q(1, 100), exactNormalForm(p, hb.loss.table, at))))).toEqual(expected.map(qToString));
      const eps = q(10n ** 12n);
      adam.xi[0]!.forEach((p, i) => {
        const got = qmul(pow(eps, 2), exactNormalForm(p, adam.loss.table, new Map([...at, ['eps', eps]])));
        expect(Math.abs(toNumber(qdiv(qsub(got, expected[i]!), expected[i]!)))).toBeLessThan(1e-7);
      });
    }
  });
});

describe('ξ_0 at ε = 0 by hand: (β1/(1−β1) − β2/(1−β2)) H sign(g) ⊘ |g| (RMSProp: β1 = 0, β2 = ρ)', () => {
  // By hand from (A.3)–(A.4) of src/adaptive/slowManifold.ts: F_0 = −sign(g) is locally constant, so
  // D_{F_0}F_0 = 0 and ξ_0 = [M/√V]_1. V_1 = (1 − 1/(1−β2)) D_{F_0}g² = 2 β2/(1−β2) g⊙H sign(g), so
  // √V = |g| + η V_1/(2|g|) + O(η²); M_1 = (1 − 1/(1−β1)) D_{F_0}g = β1/(1−β1) H sign(g). Then
  // [M/√V]_1 = M_1/|g| − g⊙V_1/(2|g|³) = (β1/(1−β1) − β2/(1−β2)) H sign(g) ⊘ |g|. RMSProp: M = g, β1 = 0.
  const at = (x: Q, y: Q) => {
    const g = [qadd(qsub(pow(x, 3), x), y), qadd(x, qmul(q(2), y))];
    const sign = g.map((v) => q(v.n > 0n ? 1 : -1));
    const H = [[qsub(qmul(q(3), pow(x, 2)), q(1)), q(1)], [q(1), q(2)]];
    const HSign = H.map((row) => qadd(qmul(row[0]!, sign[0]!), qmul(row[1]!, sign[1]!)));
    return HSign.map((v, i) => qdiv(v, qmul(sign[i]!, g[i]!)));
  };
  const coefficient = (b1: Q, b2: Q) => qsub(qdiv(b1, qsub(q(1), b1)), qdiv(b2, qsub(q(1), b2)));
  const decays = [q(0), q(1, 3), q(9, 10), q(999, 1000)];

  it('rmsprop, ρ symbolic: ξ_0 = −ρ/(1−ρ) H sign(g) ⊘ |g| at three points and four ρ', () => {
    const r = adaptiveCounterTerms(LOSS, { order: 0, rule: adaptiveRule('rmsprop', new Map([['rho', undefined], ['eps', rational(0)]])) });
    for (const [x, y] of POINTS)
      for (const rho of decays) {
        const got = r.xi[0]!.map((p) => qToString(exactNormalForm(p, r.loss.table, new Map([['x', x], ['y', y], ['rho', rho]]))));
        expect(got).toEqual(at(x, y).map((v) => qToString(qmul(coefficient(q(0), rho), v))));
      }
  });

  it('adam, β1 and β2 symbolic: the coefficient β1/(1−β1) − β2/(1−β2), an anti-penalty iff β2 > β1', () => {
    const r = adaptiveCounterTerms(LOSS, { order: 0, rule: adaptiveRule('adam', new Map([['eps', rational(0)]])) });
    for (const [x, y] of POINTS)
      for (const b1 of decays)
        for (const b2 of decays) {
          const got = r.xi[0]!.map((p) => qToString(exactNormalForm(p, r.loss.table, new Map([['x', x], ['y', y], ['beta1', b1], ['beta2', b2]]))));
          expect(got).toEqual(at(x, y).map((v) => qToString(qmul(coefficient(b1, b2), v))));
        }
  });
});
