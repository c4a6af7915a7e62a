/**
 * ξ_0 and ξ_1 (and ξ_2 once) of Adam and RMSProp held by a second, independent route (issue 12's bar): a direct
 * expansion of the state recurrence on the loss that shares no code with src/adaptive.
 *
 * The route (test/helpers/adaptiveDirectExpansion.ts): a fixed point of the state recurrence in
 * truncated Taylor polynomials in (η, δθ) at a rational point, then the field whose time-η flow is the
 * step, by Picard iteration; no Lie series.
 *
 * The engine's closed forms (β1, β2 symbolic, ε an exact number) are evaluated exactly at θ* and at
 * several rational β's, and must agree exactly.
 */
import { describe, expect, it } from 'vitest';
import { adaptiveCounterTerms } from '../src/adaptive/counterTerms.js';
import { adaptiveRule } from '../src/adaptive/methods.js';
import { rational } from '../src/series/fraction.js';
import { directXi, LOSS, X0, Y0 } from './helpers/adaptiveDirectExpansion.js';
import { exactNormalForm } from './helpers/exactNormalForm.js';
import { q, qToString as qstr, type Q } from './helpers/polynomial.js';

const BETAS: [Q, Q][] = [
  [q(0), q(0)],
  [q(9, 10), q(999, 1000)],
  [q(1, 2), q(3, 4)],
  [q(3, 4), q(1, 3)],
];

describe('Adam and RMSProp: ξ_0, ξ_1 against a direct expansion of the state recurrence', () => {
  for (const eps of [q(0), q(1, 10)]) {
    it(`adam, β1 and β2 symbolic, eps = ${qstr(eps)}`, () => {
      const r = adaptiveCounterTerms(LOSS, { order: 1, rule: adaptiveRule('adam', new Map([['eps', rational(eps.n, eps.d)]])) });
      for (const [b1, b2] of BETAS) {
        const direct = directXi(b1, b2, eps);
        const values = new Map([['x', X0], ['y', Y0], ['beta1', b1], ['beta2', b2]]);
        const engine = r.xi.map((xi) => xi.map((p) => qstr(exactNormalForm(p, r.loss.table, values))));
        expect(engine).toEqual(direct.map((row) => row.map(qstr)));
      }
    });
    it(`rmsprop, rho symbolic (given as alpha), eps = ${qstr(eps)}`, () => {
      const r = adaptiveCounterTerms(LOSS, { order: 1, rule: adaptiveRule('rmsprop', new Map([['alpha', undefined], ['eps', rational(eps.n, eps.d)]])) });
      for (const [, rho] of BETAS) {
        const direct = directXi(q(0), rho, eps, true);
        const values = new Map([['x', X0], ['y', Y0], ['rho', rho]]);
        const engine = r.xi.map((xi) => xi.map((p) => qstr(exactNormalForm(p, r.loss.table, values))));
        expect(engine).toEqual(direct.map((row) => row.map(qstr)));
      }
    });
  }

  it('ξ_2 too: adam at β1 = 1/2, β2 = 3/4, ε = 1/10 (degree 4)', () => {
    {
      const r = adaptiveCounterTerms(LOSS, { order: 2, rule: adaptiveRule('adam', new Map([['eps', rational(1, 10)]])) });
      const values = new Map([['x', X0], ['y', Y0], ['beta1', q(1, 2)], ['beta2', q(3, 4)]]);
      const engine = r.xi.map((xi) => xi.map((p) => qstr(exactNormalForm(p, r.loss.table, values))));
      expect(engine).toEqual(directXi(q(1, 2), q(3, 4), q(1, 10), false, 4).map((row) => row.map(qstr)));
    }
  }, 120_000);

  it('at β1 = β2 = 0 and ε = 0 Adam is sign descent θ ← θ − η sign(g), whose EoM has no counter terms', () => {
    expect(directXi(q(0), q(0), q(0)).flat().map(qstr)).toEqual(['0', '0', '0', '0']);
  });
});
