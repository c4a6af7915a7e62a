/**
 * Exact partial derivatives of normal forms. A term c·Π a_i^{e_i} differentiates by the product
 * rule, c·Σ_i e_i a_i^{e_i−1} (Π_{j≠i} a_j^{e_j}) ∂a_i, and each atom's derivative is computed once
 * and cached: a function call by the chain rule with the derivative from its registry entry,
 * ∂(1/b) = −(1/b)²∂b, ∂(b^{1/q}) = (1/q) b^{1/q} (1/b) ∂b.
 *
 * @example
 *   const x = atoms.variable('x'), xId = [...x.atomIds()][0];
 *   partial(atoms.call('exp', [x.mul(x)]), xId) // 2·x·exp(x²)
 */
import { Rational, rational } from '../series/fraction.js';
import { atoms as defaultAtoms, type AtomTable } from './atoms.js';
import { Poly } from './poly.js';

export class Differentiator {
  private readonly atomCache = new Map<string, Poly>();
  private readonly polyCache = new Map<string, Poly>();

  constructor(readonly table: AtomTable = defaultAtoms) {}

  /** ∂p/∂(atom `wrt`), where `wrt` is a parameter's atom id. */
  partial(p: Poly, wrt: number): Poly {
    const key = `${wrt}|${p.key}`;
    const hit = this.polyCache.get(key);
    if (hit) return hit;
    const parts: Poly[] = [];
    for (const t of p.terms()) {
      t.mono.atoms.forEach((a, i) => {
        const da = this.atomPartial(a, wrt);
        if (da.isZero()) return;
        const e = t.mono.exps[i]!;
        parts.push(da.mulMonomial(t.mono.lower(a), Rational.mul(t.coef, rational(e))));
      });
    }
    const out = Poly.sum(parts);
    this.polyCache.set(key, out);
    return out;
  }

  /** ∂a/∂(wrt) for one atom. */
  atomPartial(id: number, wrt: number): Poly {
    if (id === wrt) return Poly.one;
    const key = `${id}|${wrt}`;
    const hit = this.atomCache.get(key);
    if (hit) return hit;
    const a = this.table.get(id);
    let out: Poly;
    switch (a.kind) {
      case 'var':
      case 'const':
      case 'dir':
        out = Poly.zero;
        break;
      case 'call':
        out = Poly.sum(
          a.args.map((arg, k) => {
            const darg = this.partial(arg, wrt);
            return darg.isZero() ? Poly.zero : a.fn.derivative(a.args, k, this.table).mul(darg);
          }),
        );
        break;
      case 'inv': {
        const db = this.partial(a.base, wrt);
        out = db.isZero() ? Poly.zero : Poly.atom(id, 2).mul(db).neg();
        break;
      }
      case 'root': {
        const db = this.partial(a.base, wrt);
        out = db.isZero() ? Poly.zero : Poly.atom(id).mul(this.table.inverse(a.base)).mul(db).scale(rational(1, a.q));
        break;
      }
    }
    this.atomCache.set(key, out);
    return out;
  }

  /** The gradient (∂p/∂θ_1, …, ∂p/∂θ_n) for parameter atom ids. */
  gradient(p: Poly, wrt: readonly number[]): Poly[] {
    return wrt.map((v) => this.partial(p, v));
  }
}
