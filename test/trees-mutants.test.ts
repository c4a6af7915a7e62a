/**
 * Tests that kill the tree layer's surviving mutants (docs/mutation.md), each against truth that
 * does not come from the code under test: OEIS A000081 counts and hand-built trees.
 */
import { describe, expect, it } from 'vitest';
import { rootedTreeCounts } from '../src/trees/count.js';
import { TreeStore } from '../src/trees/store.js';

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
});
