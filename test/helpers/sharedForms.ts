/** Test helper for straight-line closed forms (src/loss/sharedForms.ts). */
import { Monomial, Poly } from '../../src/index.js';
import { Rational } from '../../src/series/fraction.js';

/** p with every reference replaced by its (expanded) definition. */
export function expandRefs(p: Poly, refs: ReadonlyMap<number, Poly>, memo = new Map<number, Poly>()): Poly {
  const parts: Poly[] = [];
  for (const t of p.terms()) {
    let acc = Poly.constant(t.coef);
    const rest: [number, number][] = [];
    t.mono.atoms.forEach((a, i) => {
      const def = refs.get(a);
      if (!def) return void rest.push([a, t.mono.exps[i]!]);
      let full = memo.get(a);
      if (!full) memo.set(a, (full = expandRefs(def, refs, memo)));
      acc = acc.mul(full.powInt(t.mono.exps[i]!));
    });
    parts.push(acc.mul(Poly.monomial(Monomial.fromPairs(rest), Rational.one)));
  }
  return Poly.sum(parts);
}
