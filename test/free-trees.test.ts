/**
 * Free trees (src/derive/freeTrees.ts): the canonical form is checked against the published counts
 * and against a second, independent canonical form (min over all rootings of an AHU string).
 */
import { describe, expect, it } from 'vitest';
import {
  Loss,
  Rational,
  TreeSeries,
  canonicalFreeTree,
  compileTreeCounterTerms,
  defaultTreeStore,
  edgeCutsOfFreeTree,
  freeTreeKey,
  freeTreeOfRooted,
  freeTreesOfOrder,
  invariantLatex,
  invariantOfCut,
  invariantText,
  joinAtRoots,
  sameFreeTree,
  treeOfLevelSequence,
  type FreeTree,
} from '../src/index.js';

const store = defaultTreeStore;

/** Independent canonical form: Aho–Hopcroft–Ullman string of each rooting, the least one wins. */
function ahuKey(tree: FreeTree): string {
  const enc = (v: number, parent: number): string =>
    `(${tree.adjacency[v]!.filter((w) => w !== parent).map((w) => enc(w, v)).sort().join('')})`;
  return tree.adjacency.map((_, r) => enc(r, -1)).sort()[0]!;
}

describe('canonical form of free trees', () => {
  it('counts the free trees with n vertices', () => {
    // Source: OEIS A000055 (number of trees with n unlabeled nodes), n = 1..10.
    const expected = [1, 1, 1, 2, 3, 6, 11, 23, 47, 106];
    expect(expected.map((_, i) => freeTreesOfOrder(i + 1).length)).toEqual(expected);
  });

  it('agrees with an independent canonical form (AHU, min over rootings) on every pair, n ≤ 8', () => {
    for (let n = 2; n <= 8; n++) {
      const trees = store.ofOrder(n).map((t) => freeTreeOfRooted(t));
      const ours = trees.map((t) => freeTreeKey(t));
      const theirs = trees.map(ahuKey);
      for (let i = 0; i < trees.length; i++) {
        for (let j = i + 1; j < trees.length; j++) expect(ours[i] === ours[j]).toBe(theirs[i] === theirs[j]);
      }
    }
  });

  it('joining the two parts of any edge cut gives the tree back', () => {
    // Source: a cut removes one edge and a join adds it back (definition); checked with the AHU form.
    for (let n = 2; n <= 8; n++) {
      for (const f of freeTreesOfOrder(n)) {
        const cuts = edgeCutsOfFreeTree(f);
        expect(cuts).toHaveLength(n - 1);
        for (const [a, b] of cuts) {
          expect(a.order + b.order).toBe(n);
          const joined = joinAtRoots(a, b);
          expect(ahuKey(joined)).toBe(ahuKey(f));
          expect(sameFreeTree(joined, f)).toBe(true);
          expect(invariantOfCut(b, a).key).toBe(canonicalFreeTree(f).key);
        }
        const { left, right } = canonicalFreeTree(f);
        expect(ahuKey(joinAtRoots(left, right))).toBe(ahuKey(f));
      }
    }
  });

  it('names the small invariants', () => {
    // Source: by hand from the definition (vertex v is ∇^{deg v}L; a cut edge gives ⟨F(τa), F(τb)⟩).
    const path = (n: number) => freeTreeOfRooted(treeOfLevelSequence(Array.from({ length: n }, (_, i) => i + 1)));
    const name = (f: FreeTree) => invariantText(canonicalFreeTree(f));
    expect(name(path(2))).toBe('‖g‖²');
    expect(name(path(3))).toBe('⟨g, H g⟩');
    expect(name(path(4))).toBe('‖H g‖²');
    expect(name(path(5))).toBe('⟨H g, H^2 g⟩');
    expect(name(freeTreeOfRooted(treeOfLevelSequence([1, 2, 2, 2])))).toBe('⟨g, ∇³L[g, g]⟩');
    expect(invariantLatex(canonicalFreeTree(path(3)))).toBe('\\langle g, H g \\rangle');
    expect(() => canonicalFreeTree(path(1))).toThrow(/at least 2 vertices/);
  });

  it('every cut of a free tree gives the same number ⟨F(τa), F(τb)⟩ on a concrete loss', () => {
    // Source: the full contraction of a tensor network does not depend on where it is split
    // (the invariants ⟨F(τa), F(τb)⟩ of docs/design.md §2.9); evaluated here with the compiled elementary differentials.
    const loss = Loss.parse('exp(x*y/3) + sin(x) * z^2 + z*x^3/5 + y^4/7');
    const trees = [4, 5].flatMap((n) => freeTreesOfOrder(n));
    const needed = new Map<number, number>();
    const cutsOf = trees.map((f) => edgeCutsOfFreeTree(f));
    for (const cuts of cutsOf) for (const [a, b] of cuts) for (const t of [a, b]) if (!needed.has(t.id)) needed.set(t.id, needed.size);
    const series = [...needed.keys()].map((id) => TreeSeries.fromEntries(Rational, [[id, Rational.one]]));
    const compiled = compileTreeCounterTerms(loss, series);
    const theta = new Float64Array([0.4, -0.7, 0.3]);
    const F = (id: number) => compiled.xi[needed.get(id)!]!(theta);
    const dot = (u: Float64Array, v: Float64Array) => u.reduce((s, x, i) => s + x * v[i]!, 0);
    for (const cuts of cutsOf) {
      const values = cuts.map(([a, b]) => dot(F(a.id), F(b.id)));
      for (const v of values) expect(v).toBeCloseTo(values[0]!, 10);
    }
  });
});
