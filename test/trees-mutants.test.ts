/**
 * Tests that kill the tree layer's surviving mutants (docs/mutation.md), each against truth that
 * does not come from the code under test: OEIS A000081 counts and hand-built trees.
 */
import { describe, expect, it } from 'vitest';
import { rootedTreeCounts } from '../src/trees/count.js';
import { treeOfLevelSequence } from '../src/trees/canonical.js';
import { EdgeCuts } from '../src/trees/edgeCuts.js';
import { TreeStore, type RootedTree } from '../src/trees/store.js';

/**
 * Brute-force single-edge cuts from a drawing: the edge above node i (i ≥ 1) holds the block of
 * nodes i, i + 1, … deeper than node i (preorder); the branch is that block re-based to level 1,
 * the trunk the rest. Pairs are canonicalised by treeOfLevelSequence and counted; keys 'trunk,branch'.
 */
function bruteCuts(tree: RootedTree, store: TreeStore): Map<string, number> {
  const seq = tree.levelSequence;
  const paint = tree.colourSequence;
  const out = new Map<string, number>();
  for (let i = 1; i < seq.length; i++) {
    let j = i + 1;
    while (j < seq.length && seq[j]! > seq[i]!) j++;
    const branch = treeOfLevelSequence(seq.slice(i, j).map((l) => l - seq[i]! + 1), store, paint.slice(i, j));
    const trunk = treeOfLevelSequence([...seq.slice(0, i), ...seq.slice(j)], store, [...paint.slice(0, i), ...paint.slice(j)]);
    const key = `${trunk.id},${branch.id}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/** Lexicographic order written here (a proper prefix is smaller). */
function lex(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Canonical drawing: at every node, the children's (level, colour) blocks are non-increasing. */
function isCanonicalDrawing(seq: readonly number[], paint: readonly number[]): boolean {
  for (let v = 0; v < seq.length; v++) {
    const blocks: [number[], number[]][] = [];
    for (let i = v + 1; i < seq.length && seq[i]! > seq[v]!; i++) {
      if (seq[i] === seq[v]! + 1) blocks.push([[], []]);
      blocks[blocks.length - 1]![0].push(seq[i]!);
      blocks[blocks.length - 1]![1].push(paint[i]!);
    }
    for (let k = 1; k < blocks.length; k++) {
      const c = lex(blocks[k - 1]![0], blocks[k]![0]) || lex(blocks[k - 1]![1], blocks[k]![1]);
      if (c < 0) return false;
    }
  }
  return true;
}

describe('tree layer: mutants the older tests let through', () => {
  it('the counting recurrence returns counts[0..n] even for n = 0', () => {
    // counts[m] for m = 0..n; A000081 starts 0 (m = 0), 1, 1, 2, 4.
    expect(rootedTreeCounts(0)).toEqual([0n]);
    expect(rootedTreeCounts(1)).toEqual([0n, 1n]);
  });

  // Stores are built inside each test: Stryker activates a mutant per test, so a store built at
  // collection time would be enumerated by the unmutated code.
  it('a fresh plain store: A000081 counts, heights from the level sequence, all-zero colours', () => {
    const store = new TreeStore();
    const a000081 = [1, 1, 2, 4, 9, 20, 48];
    for (let n = 1; n <= a000081.length; n++) {
      const trees = store.ofOrder(n);
      expect(trees.length).toBe(a000081[n - 1]);
      for (const t of trees) {
        expect(t.order).toBe(n);
        expect(t.levelSequence.length).toBe(n);
        // height: the deepest level, read off the drawing
        expect(t.height).toBe(Math.max(...t.levelSequence));
        expect(t.colour).toBe(0);
        expect([...t.colourSequence]).toEqual(new Array(n).fill(0));
      }
    }
    // Cayley: n^(n−1) labelled rooted trees, and τ has n!/σ(τ) labellings, so Σ_τ n!/σ(τ) = n^(n−1)
    for (let n = 1; n <= a000081.length; n++) {
      const fact = [...Array(n).keys()].reduce((f, k) => f * BigInt(k + 1), 1n);
      expect(store.ofOrder(n).reduce((s, t) => s + fact / t.symmetry, 0n)).toBe(BigInt(n) ** BigInt(n - 1));
    }
    // hand-built: the tall tree of 4 nodes has height 4, the bushy one height 2
    expect(store.ofOrder(4).map((t) => [t.levelSequence, t.height])).toEqual([
      [[1, 2, 3, 4], 4],
      [[1, 2, 3, 3], 3],
      [[1, 2, 3, 2], 3],
      [[1, 2, 2, 2], 2],
    ]);
  });

  it('a fresh 2-coloured store: OEIS A000151 counts and colour sequences aligned with the drawing', () => {
    const store = new TreeStore({ colours: 2 });
    const a000151 = [2, 4, 14, 52]; // rooted trees with nodes of 2 colours
    for (let n = 1; n <= a000151.length; n++) {
      const trees = store.ofOrder(n);
      expect(trees.length).toBe(a000151[n - 1]);
      for (const t of trees) {
        expect(t.colourSequence.length).toBe(n);
        expect(t.colourSequence[0]).toBe(t.colour);
        expect(t.height).toBe(Math.max(...t.levelSequence));
      }
      // Cayley with 2 colours: Σ_τ n!/σ(τ) = 2^n · n^(n−1) coloured labelled rooted trees
      const fact = [...Array(n).keys()].reduce((f, k) => f * BigInt(k + 1), 1n);
      expect(trees.reduce((s, t) => s + fact / t.symmetry, 0n)).toBe(2n ** BigInt(n) * BigInt(n) ** BigInt(n - 1));
      // every (drawing, colouring) pair is one tree: no two stored trees share both sequences
      expect(new Set(trees.map((t) => `${t.levelSequence}|${t.colourSequence}`)).size).toBe(trees.length);
    }
  });

  it('idOf refuses a root colour the store does not have', () => {
    const store = new TreeStore();
    expect(store.idOf([])).toBe(0);
    expect(() => store.idOf([], 1)).toThrow('internal: tree [] of colour 1 missing from store');
    expect(() => store.idOf([0, 0], 3)).toThrow('internal: tree [0,0] of colour 3 missing from store');
  });

  it('edge cuts match a brute-force cut of the drawing, in any order of first use (fresh store and cuts)', () => {
    const store = new TreeStore();
    const cuts = new EdgeCuts(store);
    // first use on a tree with id > 1024 (order 10), so the per-id tables grow past their first size
    const late = store.ofOrder(10)[600]!;
    expect(late.id).toBeGreaterThan(1024);
    const check = (rho: RootedTree) => {
      const got = cuts.of(rho);
      // merged: each (trunk, branch) pair once
      expect(new Set(got.map((c) => `${c.trunk},${c.branch}`)).size).toBe(got.length);
      expect(new Map(got.map((c) => [`${c.trunk},${c.branch}`, c.count]))).toEqual(bruteCuts(rho, store));
      // triples read in place agree with the objects
      const { pool, start, end } = cuts.triples(rho.id);
      expect(end - start).toBe(3 * got.length);
      expect(got).toEqual(cuts.ofId(rho.id));
      for (let k = 0; k < got.length; k++) expect([pool[start + 3 * k], pool[start + 3 * k + 1], pool[start + 3 * k + 2]]).toEqual([got[k]!.trunk, got[k]!.branch, got[k]!.count]);
    };
    check(late);
    for (let n = 7; n >= 1; n--) for (const rho of store.ofOrder(n)) check(rho);
    check(store.ofOrder(10)[0]!);
    // hand-built: the cherry [•,•] has one cut of count 2, (chain [•], •)
    const cherry = treeOfLevelSequence([1, 2, 2], store);
    expect(cuts.of(cherry)).toEqual([{ trunk: treeOfLevelSequence([1, 2], store).id, branch: 0, count: 2 }]);
    expect(cuts.of(store.leaf)).toEqual([]);
  });

  it('first use on a tree whose id is over twice the per-id table (the bush of 11 nodes)', () => {
    const store = new TreeStore();
    const cuts = new EdgeCuts(store);
    const bush = treeOfLevelSequence([1, ...new Array(10).fill(2)], store);
    expect(bush.id).toBeGreaterThan(2048); // its only child, •, fills a table of 1024 first
    expect(cuts.of(bush)).toEqual([{ trunk: treeOfLevelSequence([1, ...new Array(9).fill(2)], store).id, branch: 0, count: 10 }]);
  });

  it('coloured edge cuts match the brute force (2 colours, fresh store and cuts)', () => {
    const store = new TreeStore({ colours: 2 });
    const cuts = new EdgeCuts(store);
    for (let n = 5; n >= 1; n--) {
      for (const rho of store.ofOrder(n)) {
        expect(new Map(cuts.of(rho).map((c) => [`${c.trunk},${c.branch}`, c.count]))).toEqual(bruteCuts(rho, store));
      }
    }
  });

  it('stored drawings are canonical: children greatest first, by level then colour sequence', () => {
    // the oracle itself refuses a drawing with the smaller child first, by shape or by colour
    expect(isCanonicalDrawing([1, 2, 3, 3, 2, 3, 4], [0, 0, 0, 0, 0, 0, 0])).toBe(false);
    expect(isCanonicalDrawing([1, 2, 2], [0, 0, 1])).toBe(false);
    const store = new TreeStore();
    for (let n = 1; n <= 8; n++) {
      const trees = store.ofOrder(n);
      for (const t of trees) expect(isCanonicalDrawing(t.levelSequence, t.colourSequence)).toBe(true);
      for (let k = 1; k < trees.length; k++) expect(lex(trees[k - 1]!.levelSequence, trees[k]!.levelSequence)).toBeGreaterThan(0);
    }
    // hand-built: [chain of 3, cherry] is drawn chain first; [bush of 4, chain of 3] chain first too
    expect(treeOfLevelSequence([1, 2, 3, 3, 2, 3, 4], store).levelSequence).toEqual([1, 2, 3, 4, 2, 3, 3]);
    expect(treeOfLevelSequence([1, 2, 3, 3, 3, 2, 3, 4], store).levelSequence).toEqual([1, 2, 3, 4, 2, 3, 3, 3]);
    const two = new TreeStore({ colours: 2 });
    for (let n = 1; n <= 5; n++) for (const t of two.ofOrder(n)) expect(isCanonicalDrawing(t.levelSequence, t.colourSequence)).toBe(true);
    // two leaves of colours 0 and 1 under a root: the colour-1 leaf is drawn first
    expect(treeOfLevelSequence([1, 2, 2], two, [0, 0, 1]).colourSequence).toEqual([0, 1, 0]);
    expect(treeOfLevelSequence([1, 2, 3, 2, 3], two, [0, 0, 0, 0, 1]).colourSequence).toEqual([0, 0, 1, 0, 0]);
  });
});
