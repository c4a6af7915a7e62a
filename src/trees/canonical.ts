/**
 * Canonical form: any drawing of a tree (level sequence) to the stored tree it represents.
 *
 * @example
 *   const t = treeOfLevelSequence([1, 2, 2, 3]); // drawn with the longer branch last
 *   t.levelSequence // [1, 2, 3, 2], the canonical drawing
 */
import { levelSequenceProblem, rootSubtrees } from './levelSequence.js';
import { defaultTreeStore, type RootedTree, type TreeStore } from './store.js';

export function treeOfLevelSequence(seq: readonly number[], store: TreeStore = defaultTreeStore): RootedTree {
  const problem = levelSequenceProblem(seq);
  if (problem !== undefined) throw new RangeError(`[${seq.join(',')}] is not a level sequence: ${problem}`);
  return store.get(idOfLevelSequence(seq, store));
}

function idOfLevelSequence(seq: readonly number[], store: TreeStore): number {
  return store.idOf(rootSubtrees(seq).map((s) => idOfLevelSequence(s, store)));
}

/** Butcher's bracket: the tree whose root has the given subtrees. */
export function bracket(children: readonly RootedTree[], store: TreeStore = defaultTreeStore): RootedTree {
  return store.get(store.idOf(children.map((c) => c.id)));
}
