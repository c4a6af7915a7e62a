/**
 * Index (Einstein summation) notation: L_{i j k} = ∂_i ∂_j ∂_k L and repeated indices are summed.
 * A node with m children is a derivative tensor L_{a b1 … bm} whose first index is shared with its
 * parent (the free index i at the root) and whose others are passed to its children.
 *
 * @example
 *   indexForm(treeOfLevelSequence([1, 2, 3])) // "L_{ij} L_{jk} L_{k}"
 */
import { defaultTreeStore, type RootedTree, type TreeStore } from '../trees/store.js';

const LETTERS = 'jklmnpqrstuvwabcdefh';

/** Name of the n-th summed index (0-based): j, k, l, … then j_{21}, j_{22}, …. */
export function dummyIndex(n: number): string {
  return n < LETTERS.length ? LETTERS[n]! : `j_{${n + 1}}`;
}

export function indexForm(tree: RootedTree, store: TreeStore = defaultTreeStore, freeIndex = 'i'): string {
  const factors: string[] = [];
  let next = 0;
  const visit = (t: RootedTree, own: string) => {
    const childIdx = t.children.map(() => dummyIndex(next++));
    factors.push(`L_{${own}${childIdx.join('')}}`);
    t.children.forEach((c, k) => visit(store.get(c), childIdx[k]!));
  };
  visit(tree, freeIndex);
  return factors.join(' ');
}
