/**
 * Element-wise claim functions for the adaptive methods (RMSProp, Adam act coordinate by
 * coordinate): `ewmul(u, v)` = u⊙v, `ewdiv(u, v)` = u⊘v and `ewsqrt(v)` = (√v_i)_i, on the
 * concrete semantics (vectors of normal forms). |g| is `ewsqrt(ewmul(g, g))`, the same atom
 * sqrt(g_i^2) the engine uses (src/adaptive/absGradient.ts).
 *
 * @example
 *   // "xi(0) - ewmul(ewdiv(H*ewdiv(g, s), ewmul(s, s)), …)" with s = ewsqrt(ewmul(g, g))
 */
import type { Loss } from '../loss/loss.js';
import type { Poly } from '../algebra/poly.js';
import { rational } from '../series/fraction.js';
import { ClaimError, expectVector, type ClaimFunction, type ClaimValue } from './values.js';

type Fns = Record<string, ClaimFunction<Poly, Poly[]>>;

/**
 * The three functions over `loss`'s atom table (reciprocals and roots are interned there).
 *
 * @example
 *   concreteSemantics({ loss, source, functions: elementwiseFunctions(loss) })
 */
export function elementwiseFunctions(loss: Loss): Fns {
  const vectors = (name: string, m: number, args: readonly ClaimValue<Poly, Poly[]>[]) => {
    if (args.length !== m) throw new ClaimError(`${name}(…) takes ${m} vector${m > 1 ? 's' : ''}, got ${args.length} arguments`);
    return args.map((a, i) => expectVector(a, `argument ${i + 1} of ${name}`));
  };
  const vector = (value: Poly[]): ClaimValue<Poly, Poly[]> => ({ type: 'vector', value });
  return {
    ewmul: (args) => {
      const [u, v] = vectors('ewmul', 2, args);
      return vector(u!.map((x, i) => x.mul(v![i]!)));
    },
    ewdiv: (args) => {
      const [u, v] = vectors('ewdiv', 2, args);
      return vector(
        u!.map((x, i) => {
          if (v![i]!.isZero()) throw new ClaimError('ewdiv: division by a zero component');
          return x.mul(loss.table.inverse(v![i]!));
        }),
      );
    },
    ewsqrt: (args) => {
      const [v] = vectors('ewsqrt', 1, args);
      return vector(v!.map((x) => loss.table.power(x, rational(1, 2))));
    },
  };
}
