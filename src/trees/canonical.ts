/**
 * Canonical form: any drawing of a tree (level sequence) to the stored tree it represents.
 *
 * @example
 *   const t = treeOfLevelSequence([1, 2, 2, 3]); // drawn with the longer branch last
 *   t.levelSequence // [1, 2, 3, 2], the canonical drawing
 */
import { levelSequenceProblem, rootSubtrees } from './levelSequence.js';
import { defaultTreeStore, type RootedTree, type TreeStore } from './store.js';

export function treeOfLevelSequence(seq: readonly number[], store: TreeStore = defaultTreeStore, colours?: readonly number[]): RootedTree {
  const problem = levelSequenceProblem(seq);
  if (problem !== undefined) throw new RangeError(`[${seq.join(',')}] is not a level sequence: ${problem}`);
  const paint = colours ?? seq.map(() => 0);
  if (paint.length !== seq.length) throw new RangeError(`${paint.length} colours for a tree of ${seq.length} nodes`);
  const bad = paint.findIndex((c) => !Number.isInteger(c) || c < 0 || c >= store.colours);
  if (bad >= 0) throw new RangeError(`colour ${paint[bad]} is not one of 0..${store.colours - 1}`);
  return store.get(idOfLevelSequence(seq, paint, store));
}

/**
 * Coloured drawing → id. A child's nodes follow it in preorder, so its colours are the matching
 * slice of `colours`.
 */
function idOfLevelSequence(seq: readonly number[], colours: readonly number[], store: TreeStore): number {
  let at = 1;
  const kids = rootSubtrees(seq).map((s) => {
    const id = idOfLevelSequence(s, colours.slice(at, at + s.length), store);
    at += s.length;
    return id;
  });
  return store.idOf(kids, colours[0]);
}

/** Butcher's bracket: the tree whose root (of colour `colour`, default 0) has the given subtrees. */
export function bracket(children: readonly RootedTree[], store: TreeStore = defaultTreeStore, colour = 0): RootedTree {
  return store.get(store.idOf(children.map((c) => c.id), colour));
}
