/**
 * The tree layer's inputs and small contracts, found untested by the mutation run of 2026-11-30
 * (docs/mutation.md): every refusal names what is wrong, level sequences compare as documented
 * (lexicographic, a proper prefix smaller), the counting recurrence returns exactly n + 1 entries,
 * and grafting at the root and Butcher's bracket build the trees they name.
 */
import { describe, expect, it } from 'vitest';
import { bracket, treeOfLevelSequence } from '../src/trees/canonical.js';
import { countRootedTrees, rootedTreeCounts } from '../src/trees/count.js';
import { graftAtRoot, removeOne } from '../src/trees/graft.js';
import { compareLevelSequences, isLevelSequence, levelSequenceProblem } from '../src/trees/levelSequence.js';
import { TreeStore, defaultTreeStore } from '../src/trees/store.js';

describe('tree inputs and contracts', () => {
  it('compares level sequences lexicographically, a proper prefix first', () => {
    expect(compareLevelSequences([1, 2, 3], [1, 2, 2])).toBe(1);
    expect(compareLevelSequences([1, 2, 2], [1, 2, 3])).toBe(-1);
    expect(compareLevelSequences([1, 2], [1, 2, 3])).toBe(-1);
    expect(compareLevelSequences([1, 2, 3], [1, 2])).toBe(1);
    expect(compareLevelSequences([1, 2, 2], [1, 2, 2])).toBe(0);
    expect(compareLevelSequences([1, 3], [1, 2, 5])).toBe(1);
  });

  it('says what is wrong with a level sequence, entry by entry (1-based)', () => {
    expect(levelSequenceProblem([])).toBe('a level sequence needs at least the root');
    expect(levelSequenceProblem([2])).toBe('a level sequence starts with 1 (the root)');
    expect(levelSequenceProblem([1, 2.5])).toBe('entry 2 is not an integer');
    expect(levelSequenceProblem([1, '2'])).toBe('entry 2 is not an integer');
    expect(levelSequenceProblem([1, 2, 1])).toBe('entry 3 is 1: only the root has level 1');
    expect(levelSequenceProblem([1, 2, 4])).toBe('entry 3 is 4: a node is at most one level below the node before it');
    expect(isLevelSequence([1, 2, 3, 2])).toBe(true);
    expect(isLevelSequence([1, 3])).toBe(false);
    expect(() => treeOfLevelSequence([1, 3])).toThrow('[1,3] is not a level sequence: entry 2 is 3: a node is at most one level below the node before it');
  });

  it('refuses colours outside the store, and plain stores take colour 0 only', () => {
    const two = new TreeStore({ colours: 2 });
    expect(() => treeOfLevelSequence([1, 2], two, [0, 2])).toThrow('colour 2 is not one of 0..1');
    expect(() => treeOfLevelSequence([1, 2], two, [-1, 0])).toThrow('colour -1 is not one of 0..1');
    expect(() => treeOfLevelSequence([1, 2], two, [0, 0.5])).toThrow('colour 0.5 is not one of 0..1');
    // An undefined colour (untyped input) is refused too, not mistaken for "no bad colour".
    expect(() => treeOfLevelSequence([1, 2], two, [0, undefined as unknown as number])).toThrow('colour undefined is not one of 0..1');
    expect(() => treeOfLevelSequence([1, 2], defaultTreeStore, [0, 1])).toThrow('colour 1 is not one of 0..0');
    expect(treeOfLevelSequence([1, 2], two, [1, 1]).colourSequence).toEqual([1, 1]);
    expect(treeOfLevelSequence([1, 2], defaultTreeStore).colourSequence).toEqual([0, 0]);
    expect(() => new TreeStore({ colours: 0 })).toThrow('colours must be a positive integer, got 0');
    expect(() => new TreeStore({ colours: 1.5 })).toThrow('colours must be a positive integer, got 1.5');
    expect(new TreeStore().colours).toBe(1);
    expect(new TreeStore({ colours: 3 }).ofOrder(1).map((t) => t.colour)).toEqual([0, 1, 2]);
  });

  it('refuses bad sizes and ids, and reports its size', () => {
    const store = new TreeStore();
    expect(() => store.ofOrder(0)).toThrow('tree size must be a positive integer, got 0');
    expect(() => store.ofOrder(2.5)).toThrow('tree size must be a positive integer, got 2.5');
    expect(() => store.get(10 ** 6)).toThrow(`no tree with id ${10 ** 6}`);
    store.ensureOrder(4);
    expect(store.size).toBe(1 + 1 + 2 + 4);
    expect(() => countRootedTrees(0)).toThrow('tree size must be a positive integer, got 0');
    expect(() => countRootedTrees(1.5)).toThrow('tree size must be a positive integer, got 1.5');
    expect(countRootedTrees(1)).toBe(1n);
    expect(rootedTreeCounts(5)).toEqual([0n, 1n, 1n, 2n, 4n, 9n]); // OEIS A000081, counts[0] = 0
    expect(rootedTreeCounts(1)).toEqual([0n, 1n]);
  });

  it('grafts at the root and brackets, keeping the root colour', () => {
    const two = new TreeStore({ colours: 2 });
    const root = treeOfLevelSequence([1, 2], two, [1, 0]);
    const leaf0 = treeOfLevelSequence([1], two, [0]);
    expect(graftAtRoot(root, leaf0, two).id).toBe(treeOfLevelSequence([1, 2, 2], two, [1, 0, 0]).id);
    expect(bracket([leaf0, leaf0], two, 1).id).toBe(treeOfLevelSequence([1, 2, 2], two, [1, 0, 0]).id);
    expect(bracket([treeOfLevelSequence([1])]).levelSequence).toEqual([1, 2]);
    expect(removeOne([3, 1, 3], 3)).toEqual([1, 3]);
    expect(() => removeOne([1, 2], 5)).toThrow('internal: 5 not among [1,2]');
  });
});
