/**
 * Linear combinations of elementary differentials (src/series/treeSeries.ts): coefficients of sums,
 * differences and multiples against integer arithmetic done here in BigInt, repeated and cancelling
 * entries, the order of terms (by number of nodes, then the tall tree first) and the printed form.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rational, rational } from '../src/series/fraction.js';
import { TreeSeries } from '../src/series/treeSeries.js';
import { treeOfLevelSequence } from '../src/trees/canonical.js';
import { TreeStore } from '../src/trees/store.js';

const store = new TreeStore();
const SEQUENCES = [[1], [1, 2], [1, 2, 3], [1, 2, 2], [1, 2, 3, 4], [1, 2, 2, 2]];
const TREES = SEQUENCES.map((s) => treeOfLevelSequence(s, store));
const series = (cs: readonly bigint[]) => TreeSeries.fromEntries(Rational, cs.map((c, i) => [TREES[i]!, rational(c)] as const), store);
const coefficientsArb = fc.array(fc.bigInt({ min: -3n, max: 3n }), { minLength: TREES.length, maxLength: TREES.length });
/** Integer coefficients read back (all coefficients in these tests are integers). */
const read = (s: TreeSeries<Rational>) =>
  TREES.map((t) => {
    const c = s.coefficient(t);
    expect(c.den).toBe(1n);
    return c.num;
  });

describe('TreeSeries', () => {
  it('add, sub, scale and equals act coefficient-wise; zero coefficients are not stored', () => {
    fc.assert(
      fc.property(coefficientsArb, coefficientsArb, fc.bigInt({ min: -3n, max: 3n }), (a, b, k) => {
        const A = series(a);
        const B = series(b);
        expect(read(A)).toEqual(a);
        expect(A.size).toBe(a.filter((c) => c !== 0n).length);
        expect(A.isZero()).toBe(a.every((c) => c === 0n));
        expect(read(A.add(B))).toEqual(a.map((c, i) => c + b[i]!));
        expect(A.add(B).size).toBe(a.filter((c, i) => c + b[i]! !== 0n).length);
        expect(read(A.sub(B))).toEqual(a.map((c, i) => c - b[i]!));
        expect(read(A.scale(rational(k)))).toEqual(a.map((c) => k * c));
        expect(A.scale(rational(k)).size).toBe(k === 0n ? 0 : A.size);
        expect(A.equals(B)).toBe(a.every((c, i) => c === b[i]));
        expect(A.sub(A).isZero()).toBe(true);
        expect(A.add(B).store).toBe(store);
      }),
      { numRuns: 200 },
    );
  });

  it('adds repeated entries, drops those that cancel, and takes trees or ids', () => {
    const [leaf, edge, chain, cherry] = TREES as [typeof TREES[0], typeof TREES[0], typeof TREES[0], typeof TREES[0]];
    const s = TreeSeries.fromEntries(
      Rational,
      [
        [edge, rational(1, 2)],
        [chain.id, rational(1, 3)],
        [edge.id, rational(1, 3)],
        [chain, rational(-1, 3)],
        [cherry, rational(0)],
        [leaf, rational(2)],
        [leaf, rational(-1)],
      ],
      store,
    );
    expect(s.size).toBe(2);
    expect(s.coefficient(edge)).toEqual(rational(5, 6));
    expect(s.coefficient(edge.id)).toEqual(rational(5, 6));
    expect(s.coefficient(leaf)).toEqual(rational(1));
    expect(s.coefficient(chain)).toEqual(Rational.zero);
    expect(s.coefficient(cherry.id)).toEqual(Rational.zero);
    expect(s.isZero()).toBe(false);
    expect(() => TreeSeries.fromEntries(Rational, [[10 ** 9, rational(1)]], store)).toThrow(new RangeError(`no tree with id ${10 ** 9}`));
  });

  it('lists terms by number of nodes, then the tall tree first, and prints them', () => {
    const s = TreeSeries.fromEntries(
      Rational,
      [4, 3, 2, 1, 0].map((i) => [TREES[i]!, rational(i + 1, 2)] as const),
      store,
    );
    expect(s.terms().map((t) => t.tree.levelSequence)).toEqual([[1], [1, 2], [1, 2, 3], [1, 2, 2], [1, 2, 3, 4]]);
    expect(s.terms().map((t) => Rational.toString(t.coefficient))).toEqual(['1/2', '1', '3/2', '2', '5/2']);
    expect(s.toString()).toBe('1/2·F[1] + 1·F[1,2] + 3/2·F[1,2,3] + 2·F[1,2,2] + 5/2·F[1,2,3,4]');
    expect(series([0n, 0n, 0n, -1n, 0n, 0n]).toString()).toBe('-1·F[1,2,2]');
  });

  it('the zero series has no terms and every coefficient zero', () => {
    const z = TreeSeries.zero(Rational, store);
    expect(z.isZero()).toBe(true);
    expect(z.size).toBe(0);
    expect(z.terms()).toEqual([]);
    expect(z.toString()).toBe('');
    expect(z.coefficient(TREES[3]!)).toEqual(Rational.zero);
    expect(z.store).toBe(store);
    expect(TreeSeries.zero(Rational).isZero()).toBe(true);
    expect(z.equals(series([0n, 0n, 0n, 0n, 0n, 0n]))).toBe(true);
    expect(z.equals(series([0n, 0n, 0n, 0n, 0n, 1n]))).toBe(false);
  });
});
