/**
 * Direct floating-point evaluation of a normal form (atom by atom, through the registry's
 * `evaluate`). Slow but simple: the reference the compiled functions are tested against.
 *
 * @example
 *   evaluatePoly(loss.expr, loss, { x: 1, y: 2 })
 */
import { rationalToNumber } from '../series/fraction.js';
import type { AtomTable } from '../algebra/atoms.js';
import { LossError } from './errors.js';
import type { Poly } from '../algebra/poly.js';
import { ownValue } from './names.js';

export function evaluatePoly(p: Poly, table: AtomTable, values: Readonly<Record<string, number>>): number {
  const memo = new Map<number, number>();
  const atomValue = (id: number): number => {
    const hit = memo.get(id);
    if (hit !== undefined) return hit;
    const a = table.get(id);
    let v: number;
    switch (a.kind) {
      case 'var':
      case 'const': {
        const given = ownValue(values, a.name);
        const fallback = a.kind === 'const' ? a.value : undefined;
        if (given === undefined && fallback === undefined) throw new LossError(`no value for "${a.name}"`);
        v = given ?? fallback!;
        break;
      }
      case 'dir':
        throw new Error('internal: placeholder direction left in an expression');
      case 'call':
        v = a.fn.evaluate(a.args.map((x) => evalPoly(x)));
        break;
      case 'inv':
        v = 1 / evalPoly(a.base);
        break;
      case 'root': {
        // Odd roots are real and sign-preserving; even roots of negative numbers are NaN.
        const b = evalPoly(a.base);
        v = a.q % 2 === 1 ? Math.sign(b) * Math.pow(Math.abs(b), 1 / a.q) : Math.pow(b, 1 / a.q);
        break;
      }
    }
    memo.set(id, v);
    return v;
  };
  const evalPoly = (q: Poly): number => {
    let s = 0;
    for (const t of q.terms()) {
      let m = rationalToNumber(t.coef);
      t.mono.atoms.forEach((a, i) => (m *= Math.pow(atomValue(a), t.mono.exps[i]!)));
      s += m;
    }
    return s;
  };
  return evalPoly(p);
}
