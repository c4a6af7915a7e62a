/**
 * compileField (src/compile/compile.ts) shares a monomial between g and the ξ_k: the module
 * promises that a monomial occurring more than once among all the field's expressions is computed
 * once, not once per expression. Values by hand.
 */
import { describe, expect, it } from 'vitest';
import { compileField } from '../src/compile/compile.js';
import { Loss } from '../src/loss/loss.js';

describe('compileField shares monomials between the gradient and the counter terms', () => {
  it('x·y in g_z and in ξ_0 is declared once, and the field is −g − η ξ_0 by hand', () => {
    // L = x·y·z: g = (y·z, x·z, x·y); take ξ_0 = (x·y, 0, 1) (an arbitrary polynomial vector).
    const loss = Loss.parse('x*y*z');
    const P = (s: string) => Loss.parse(s, { table: loss.table, vars: loss.vars, partial: true }).expr;
    const f = compileField({ table: loss.table, varIds: loss.varIds, constants: {} }, loss.gradient(), [[P('x*y'), P('0*x'), P('1 + 0*x')]]);
    const src = f.toString();
    expect(src.split('v0 * v1').length - 1).toBe(1);
    expect(src).toMatch(/const m\d+ = v0 \* v1;/);
    const [x, y, z, eta] = [2, 3, 5, 0.5];
    // (−15 − 0.5·6, −10 − 0, −6 − 0.5·1)
    expect(Array.from(f([x, y, z], eta))).toEqual([-y * z - eta * x * y, -x * z, -x * y - eta]);
  });
});
