/**
 * Free trees (src/derive/freeTrees.ts): adjacency lists, cuts and the canonical cut worked out by
 * hand from the definitions in the module comment (vertex 0 is the root, then depth-first
 * preorder; the canonical edge is between two centroids, or from the single centroid to its
 * largest child subtree, ties to the smaller store id; left has no more nodes than right).
 */
import { describe, expect, it } from 'vitest';
import {
  canonicalFreeTree,
  edgeCutsOfFreeTree,
  freeTreeKey,
  freeTreeOfRooted,
  freeTreesOfOrder,
  invariantOfCut,
  joinAtRoots,
  rootedPart,
  sameFreeTree,
} from '../src/derive/freeTrees.js';
import { TreeStore, defaultTreeStore } from '../src/trees/store.js';
import { treeOfLevelSequence } from '../src/trees/canonical.js';

const t = (levels: number[], store = defaultTreeStore) => treeOfLevelSequence(levels, store);
const id = (levels: number[], store = defaultTreeStore) => t(levels, store).id;

describe('adjacency of rooted trees and joins', () => {
  it('forgets the root: vertex 0 first, children in preorder, edges both ways', () => {
    // each vertex lists its children (added as the walk returns from them), then its parent
    expect(freeTreeOfRooted(t([1, 2, 2])).adjacency).toEqual([[1, 2], [0], [0]]);
    expect(freeTreeOfRooted(id([1, 2, 3])).adjacency).toEqual([[1], [2, 0], [1]]);
    // • joined to the path [1, 2]: vertex 0 is •, then the path shifted by 1, then the new edge 0–1
    expect(joinAtRoots(t([1]), t([1, 2])).adjacency).toEqual([[1], [2, 0], [1]]);
    expect(joinAtRoots(id([1, 2]), id([1])).adjacency).toEqual([[1, 2], [0], [0]]);
  });

  it('rooted parts and edge cuts (u < v, [part at u, part at v])', () => {
    const path3 = freeTreeOfRooted(t([1, 2, 3]));
    expect(rootedPart(path3, 0)).toBe(id([1, 2, 3])); // the whole path rooted at an end
    expect(rootedPart(path3, 1)).toBe(id([1, 2, 2])); // rooted in the middle
    expect(rootedPart(path3, 1, 0)).toBe(id([1, 2])); // without the edge to 0
    const cuts = edgeCutsOfFreeTree(path3).map(([a, b]) => [a.id, b.id]);
    expect(cuts).toEqual([
      [id([1]), id([1, 2])], // edge 0–1
      [id([1, 2]), id([1])], // edge 1–2
    ]);
  });
});

describe('the canonical cut', () => {
  it('path of 4: two centroids, the middle edge; path of 5: one centroid, its (equal) child paths', () => {
    const p4 = canonicalFreeTree(freeTreeOfRooted(t([1, 2, 3, 4])));
    expect([p4.key, p4.vertices, p4.left.id, p4.right.id]).toEqual([`${id([1, 2])}|${id([1, 2])}`, 4, id([1, 2]), id([1, 2])]);
    const p5 = canonicalFreeTree(freeTreeOfRooted(t([1, 2, 3, 4, 5])));
    expect([p5.key, p5.vertices]).toEqual([`${id([1, 2])}|${id([1, 2, 3])}`, 5]);
  });

  it('a star: the centre is the centroid, a leaf its largest child; left is the smaller part', () => {
    const star = canonicalFreeTree(freeTreeOfRooted(t([1, 2, 2, 2])));
    expect([star.left.id, star.right.id, star.key]).toEqual([id([1]), id([1, 2, 2]), `${id([1])}|${id([1, 2, 2])}`]);
    // the same star with its centre at vertex 3
    const relabelled = canonicalFreeTree({ adjacency: [[3], [3], [3], [0, 1, 2]] });
    expect(relabelled.key).toBe(star.key);
  });

  it('equal-sized child subtrees of the centroid: the smaller store id is cut off', () => {
    // centre c with two 3-vertex branches: a path hanging by its end ([1, 2, 3]) and a cherry
    // ([1, 2, 2]); 7 vertices, the centre is the only centroid (components 3 and 3).
    const [path, cherry] = [id([1, 2, 3]), id([1, 2, 2])];
    const small = Math.min(path, cherry);
    // the rest, rooted at the centre, is the centre with the other branch below it
    const rest = small === path ? id([1, 2, 3, 3]) : id([1, 2, 3, 4]);
    const expected = `${small}|${rest}`;
    // labelling 1: centre 0; path 1–2–3; cherry root 4 with leaves 5, 6
    const a = { adjacency: [[1, 4], [0, 2], [1, 3], [2], [0, 5, 6], [4], [4]] };
    // labelling 2: cherry first, centre 6
    const b = { adjacency: [[1, 2, 6], [0], [0], [4, 6], [3, 5], [4], [0, 3]] };
    expect(canonicalFreeTree(a).key).toBe(expected);
    expect(canonicalFreeTree(b).key).toBe(expected);
    expect(sameFreeTree(a, b)).toBe(true);
  });

  it('a centroid with children of different sizes: the largest is cut off', () => {
    // centre 3 with two leaves (0, 1) and a leg 2–4; the centre is the only centroid (components
    // 1, 1, 2 < 5/2), its largest child is the leg [1, 2], the rest the centre with two leaves.
    // Numbered so that a leaf (4) comes after the centroid.
    const spider = { adjacency: [[3], [3], [3, 4], [0, 1, 2], [2]] };
    const inv = canonicalFreeTree(spider);
    expect([inv.left.id, inv.right.id, inv.vertices]).toEqual([id([1, 2]), id([1, 2, 2]), 5]);
    expect(inv.key).toBe(canonicalFreeTree(freeTreeOfRooted(t([1, 2, 3, 2, 2]))).key);
  });

  it('two centroids with different halves: the smaller store id on the left', () => {
    // a path of 3 hanging by its end ([1, 2, 3]) joined at its root to a cherry ([1, 2, 2]): both
    // roots are centroids (halves of 3), the cut is between them
    const [path, cherry] = [id([1, 2, 3]), id([1, 2, 2])];
    for (const [a, b] of [[path, cherry], [cherry, path]] as const) {
      const inv = invariantOfCut(a, b);
      expect([inv.left.id, inv.right.id]).toEqual([Math.min(path, cherry), Math.max(path, cherry)]);
    }
  });

  it('one representative per free tree: the first rooted tree of its class in store order', () => {
    // classes decided by the AHU form (least encoding over all rootings), independent of the code
    const ahu = (tree: { adjacency: readonly (readonly number[])[] }): string => {
      const enc = (v: number, parent: number): string => `(${tree.adjacency[v]!.filter((w) => w !== parent).map((w) => enc(w, v)).sort().join('')})`;
      return tree.adjacency.map((_, r) => enc(r, -1)).sort()[0]!;
    };
    for (const n of [4, 5, 6]) {
      const firsts = new Map<string, number[][]>();
      for (const rooted of defaultTreeStore.ofOrder(n)) {
        const f = freeTreeOfRooted(rooted);
        if (!firsts.has(ahu(f))) firsts.set(ahu(f), f.adjacency as number[][]);
      }
      expect(freeTreesOfOrder(n).map((f) => f.adjacency)).toEqual([...firsts.values()]);
    }
  });

  it('refuses one vertex and a disconnected graph', () => {
    expect(() => canonicalFreeTree({ adjacency: [[]] })).toThrow(new RangeError('a free tree needs at least 2 vertices to be cut at an edge'));
    expect(() => canonicalFreeTree({ adjacency: [[1], [0], [3], [2]] })).toThrow(new RangeError('not a tree: the graph is not connected'));
  });

  it('keys: "•" for one vertex; different sizes are never the same tree', () => {
    expect(freeTreeKey({ adjacency: [[]] })).toBe('•');
    expect(freeTreeKey(freeTreeOfRooted(t([1, 2])))).toBe(`${id([1])}|${id([1])}`);
    expect(sameFreeTree({ adjacency: [[]] }, freeTreeOfRooted(t([1, 2])))).toBe(false);
    expect(sameFreeTree(freeTreeOfRooted(t([1, 2, 3])), freeTreeOfRooted(t([1, 2, 2])))).toBe(true);
    expect(sameFreeTree(freeTreeOfRooted(t([1, 2, 3, 4])), freeTreeOfRooted(t([1, 2, 2, 2])))).toBe(false);
  });
});

describe('another tree store', () => {
  it('every function names its trees in the store it is given', () => {
    const store = new TreeStore();
    const path4 = freeTreeOfRooted(id([1, 2, 3, 4], store), store);
    expect(path4.adjacency).toEqual([[1], [2, 0], [3, 1], [2]]);
    const inv = canonicalFreeTree(path4, store);
    expect(store.get(inv.left.id)).toBe(inv.left);
    expect(inv.left.levelSequence).toEqual([1, 2]);
    expect(inv.key).toBe(`${id([1, 2], store)}|${id([1, 2], store)}`);
    expect(invariantOfCut(id([1, 2], store), id([1, 2], store), store).key).toBe(inv.key);
    expect(freeTreeKey(path4, store)).toBe(inv.key);
    expect(sameFreeTree(path4, joinAtRoots(id([1, 2], store), id([1, 2], store), store), store)).toBe(true);
    for (const [a, b] of edgeCutsOfFreeTree(path4, store)) {
      expect(store.get(a.id)).toBe(a);
      expect(store.get(b.id)).toBe(b);
    }
    expect(rootedPart(path4, 0, -1, store)).toBe(id([1, 2, 3, 4], store));
    // OEIS A000055: 2 free trees with 4 vertices, 3 with 5
    expect(freeTreesOfOrder(4, store)).toHaveLength(2);
    expect(freeTreesOfOrder(5, store)).toHaveLength(3);
  });
});
