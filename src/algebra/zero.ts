/**
 * A sound exact zero test for normal forms (poly.ts), which are not canonical: (x+1)·inv(x+1),
 * sqrt(u)² − u or Σ_k exp(z_k − logsumexp(z)) − 1 are zero as functions but not as polynomials in
 * their atoms. The test
 *
 * 1. rewrites every atom so that the relations between exp, log, logsumexp, softplus, sigmoid,
 *    sinh/cosh/tanh, roots and inverses become polynomial (zeroRewrite.ts);
 * 2. clears denominators: for z = inv(b) with largest exponent N ≥ 0, p = Σ_j p_j z^j is replaced
 *    by Σ_j p_j b^{N−j} = b^N·p (b ≠ 0 wherever p is defined), deepest inv first, reducing root
 *    powers after each step, until no inv atom is left;
 * 3. multiplies by cos(u)^k to clear negative powers of cos and reduces cos(u)^2 = 1 − sin(u)^2;
 * 4. answers zero iff the resulting Laurent polynomial in the remaining atoms is 0.
 *
 * Every step replaces p by an equal function or by p times a factor that is non-zero wherever p
 * is defined, and the remaining atoms are treated as independent indeterminates, so `zero: true`
 * is always right. `zero: false` means "not proved": relations outside the list above (for
 * example log(2) + log(3) = log(6), exp(x/(x+1)) = exp(1 − 1/(x+1)), sin(2u) = 2 sin u cos u,
 * exp(x/2)·exp(x/3) = exp(5x/6)) are not known.
 *
 * @example
 *   const x = atoms.variable('x');
 *   const p = x.add(Poly.one).mul(atoms.inverse(x.add(Poly.one))).sub(Poly.one);
 *   zeroTest(p) // { zero: true }
 *   zeroTest(x) // { zero: false, residual: x, reason: 'the reduced numerator is not zero' }
 */
import { Rational } from '../series/fraction.js';
import { atoms as defaultAtoms, type AtomTable } from './atoms.js';
import { Monomial, Poly } from './poly.js';
import { ZeroRewriter } from './zeroRewrite.js';

export interface ZeroTestResult {
  readonly zero: boolean;
  /** the fully reduced numerator, when not proved zero */
  readonly residual?: Poly;
  readonly reason?: string;
}

export interface ZeroTestOptions {
  /** Give up ("too large") when an intermediate polynomial has more terms (default 200 000). */
  readonly maxTerms?: number;
  /** The atom table p's atoms live in (default: the process-wide table). */
  readonly table?: AtomTable;
}

export const DEFAULT_MAX_TERMS = 200_000;
/** Largest number of denominator-clearing steps. */
const MAX_CLEARINGS = 10_000;

const rewriters = new WeakMap<AtomTable, ZeroRewriter>();

/**
 * Whether p is identically zero as a function (where defined). Sound: `zero: true` is a proof.
 *
 * @example
 *   const u = atoms.variable('u');
 *   zeroTest(atoms.call('sigmoid', [u]).add(atoms.call('sigmoid', [u.neg()])).sub(Poly.one)).zero // true
 */
export function zeroTest(p: Poly, options: ZeroTestOptions = {}): ZeroTestResult {
  if (p.isZero()) return { zero: true };
  const maxTerms = options.maxTerms ?? DEFAULT_MAX_TERMS;
  const table = options.table ?? defaultAtoms;
  let rw = rewriters.get(table);
  if (!rw) rewriters.set(table, (rw = new ZeroRewriter(table)));
  const tooLarge: ZeroTestResult = { zero: false, reason: 'too large' };
  try {
    let q = rw.rewrite(p);
    for (let step = 0; ; step++) {
      if (q.isZero()) return { zero: true };
      if (q.size > maxTerms || step > MAX_CLEARINGS) return tooLarge;
      const z = deepestInverse(q, rw);
      if (z === undefined) break;
      q = rw.reduceRoots(clearInverse(q, z, table));
    }
    q = reduceCosSquares(q, table);
    if (q.isZero()) return { zero: true };
    if (q.size > maxTerms) return tooLarge;
    return { zero: false, residual: q, reason: 'the reduced numerator is not zero' };
  } catch (err) {
    // ExpansionError (a RangeError) or a power beyond the table's limits; also 1/0 met while rewriting
    if (err instanceof RangeError) return { zero: false, reason: /division by zero|not a real number/.test(err.message) ? `not proved: ${err.message}` : 'too large' };
    throw err;
  }
}

/** The inv atom of greatest depth in q (clearing it never brings it back), if any. */
function deepestInverse(q: Poly, rw: ZeroRewriter): number | undefined {
  let best: number | undefined;
  for (const id of q.atomIds()) {
    if (rw.table.get(id).kind !== 'inv') continue;
    if (best === undefined || rw.depth(id) > rw.depth(best) || (rw.depth(id) === rw.depth(best) && id < best)) best = id;
  }
  return best;
}

/** b^N·q for z = inv(b) = 1/b with N = max(0, largest exponent of z): Σ_j q_j z^j → Σ_j q_j b^{N−j}. */
function clearInverse(q: Poly, z: number, table: AtomTable): Poly {
  const a = table.get(z);
  if (a.kind !== 'inv') throw new Error('internal: not an inv atom');
  let n = 0;
  for (const t of q.terms()) n = Math.max(n, t.mono.exponentOf(z));
  const byExp = new Map<number, Poly[]>();
  for (const t of q.terms()) {
    const j = t.mono.exponentOf(z);
    const rest = j === 0 ? t.mono : t.mono.mul(Monomial.of(z, -j));
    const list = byExp.get(j) ?? [];
    list.push(Poly.monomial(rest, t.coef));
    byExp.set(j, list);
  }
  const powers = new Map<number, Poly>();
  const power = (k: number): Poly => {
    let hit = powers.get(k);
    if (!hit) powers.set(k, (hit = a.base.powInt(k)));
    return hit;
  };
  return Poly.sum([...byExp].map(([j, parts]) => Poly.sum(parts).mul(power(n - j))));
}

/**
 * cos(u)^k·q with k clearing cos's negative exponents (cos u ≠ 0 where q is defined), then
 * cos(u)^{2i+r} → (1 − sin(u)^2)^i·cos(u)^r: the remainder modulo sin² + cos² − 1.
 */
function reduceCosSquares(q: Poly, table: AtomTable): Poly {
  const cosAtoms = [...q.atomIds()].filter((id) => {
    const a = table.get(id);
    return a.kind === 'call' && a.fn.name === 'cos';
  });
  if (cosAtoms.length === 0) return q;
  const clear: [number, number][] = [];
  for (const id of cosAtoms) {
    let low = 0;
    for (const t of q.terms()) low = Math.min(low, t.mono.exponentOf(id));
    if (low < 0) clear.push([id, -low]);
  }
  if (clear.length) q = q.mulMonomial(Monomial.fromPairs(clear), Rational.one);
  const parts: Poly[] = [];
  for (const t of q.terms()) {
    let term = Poly.monomial(t.mono, t.coef);
    for (const id of cosAtoms) {
      const e = t.mono.exponentOf(id);
      if (e < 2) continue;
      const a = table.get(id);
      if (a.kind !== 'call') continue;
      const sin2 = table.call('sin', a.args).powInt(2);
      const half = Math.floor(e / 2);
      term = term.mulMonomial(Monomial.of(id, -2 * half), Rational.one).mul(Poly.one.sub(sin2).powInt(half));
    }
    parts.push(term);
  }
  return Poly.sum(parts);
}
