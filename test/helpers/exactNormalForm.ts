/**
 * Exact value of a loss-layer normal form at a rational point, for tests: variables and constant
 * symbols from `values`, reciprocals exactly, square roots only of rational squares (|g_i| at a
 * rational point of a polynomial loss). Arithmetic in test/helpers/polynomial.ts's rationals.
 *
 * @example
 *   const loss = Loss.parse('x^2 - y');
 *   exactNormalForm(loss.expr, loss.table, new Map([['x', q(1, 2)], ['y', q(1)]])) // −3/4
 */
import type { AtomTable } from '../../src/algebra/atoms.js';
import type { Poly } from '../../src/algebra/poly.js';
import { q, qadd, qdiv, qmul, qToString, type Q } from './polynomial.js';

export function exactNormalForm(p: Poly, table: AtomTable, values: ReadonlyMap<string, Q>): Q {
  const memo = new Map<number, Q>();
  const atom = (id: number): Q => {
    const hit = memo.get(id);
    if (hit) return hit;
    const a = table.get(id);
    let v: Q;
    if (a.kind === 'var' || a.kind === 'const') {
      const given = values.get(a.name);
      if (!given) throw new Error(`no value for ${a.name}`);
      v = given;
    } else if (a.kind === 'inv') v = qdiv(q(1), value(a.base));
    else if (a.kind === 'root' && a.q === 2) v = rationalSqrt(value(a.base));
    else throw new Error(`unexpected atom ${a.kind}`);
    memo.set(id, v);
    return v;
  };
  const value = (x: Poly): Q => {
    let s = q(0);
    for (const t of x.terms()) {
      let m = q(t.coef.num, t.coef.den);
      t.mono.atoms.forEach((a, i) => {
        const e = t.mono.exps[i]!;
        const base = e >= 0 ? atom(a) : qdiv(q(1), atom(a));
        for (let k = 0; k < Math.abs(e); k++) m = qmul(m, base);
      });
      s = qadd(s, m);
    }
    return s;
  };
  return value(p);
}

/** √a for a rational square a ≥ 0 (throws otherwise). */
export function rationalSqrt(a: Q): Q {
  const root = (x: bigint): bigint => {
    if (x < 0n) throw new Error(`negative: ${qToString(a)}`);
    let r = BigInt(Math.floor(Math.sqrt(Number(x))));
    while (r * r > x) r--;
    while ((r + 1n) * (r + 1n) <= x) r++;
    if (r * r !== x) throw new Error(`not a rational square: ${qToString(a)}`);
    return r;
  };
  return q(root(a.n), root(a.d));
}
