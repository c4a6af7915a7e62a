/**
 * Free (unrooted, unlabelled) trees: the shape of a scalar invariant of the loss. A free tree whose
 * every vertex v is the tensor ∇^{deg v}L, with all edges contracted, is a number; cutting any
 * edge splits it into two rooted trees τa, τb (each rooted at its end of the edge) and the number
 * is ⟨F(τa), F(τb)⟩. E.g. the path with 2 vertices is ‖g‖², with 3 vertices ⟨g, H g⟩, the star
 * with 3 leaves ⟨g, ∇³L[g, g]⟩ = ∇³L[g, g, g].
 *
 * Canonical form: the cut at the centroid. A tree has one centroid (every component left by
 * removing it has < n/2 vertices) or two adjacent ones. With two, the canonical edge is the one
 * between them; with one, it is the edge to the centroid's largest child subtree (ties broken by
 * the canonical order of the store, so equal choices are isomorphic). The unordered pair of rooted
 * trees of that cut determines the tree, and the tree determines the pair, so the pair is a
 * canonical key. The cut is also the most balanced one, which gives the shortest names
 * (‖H g‖² rather than ⟨g, H² g⟩).
 *
 * @example
 *   const path3 = freeTreeOfRooted(treeOfLevelSequence([1, 2, 3]));
 *   const inv = canonicalFreeTree(path3); // { vertices: 3, left: •, right: [•], key: "0|1" }
 *   sameFreeTree(path3, freeTreeOfRooted(treeOfLevelSequence([1, 2, 2]))) // true (both are the path of 3)
 */
import { defaultTreeStore, type RootedTree, type TreeStore } from '../trees/store.js';

/** A free tree on vertices 0..n−1, as symmetric adjacency lists (n − 1 edges, connected). */
export interface FreeTree {
  readonly adjacency: readonly (readonly number[])[];
}

/**
 * The canonical cut of a free tree with at least 2 vertices. `left` has no more nodes than `right`
 * (equal sizes: the smaller store id first); the invariant it names is ⟨F(left), F(right)⟩.
 */
export interface FreeTreeInvariant {
  /** Canonical key: equal keys ⇔ isomorphic trees. */
  readonly key: string;
  /** Number of vertices = left.order + right.order. */
  readonly vertices: number;
  readonly left: RootedTree;
  readonly right: RootedTree;
}

/** Forget the root of a rooted tree. Vertex 0 is the root, then depth-first preorder. */
export function freeTreeOfRooted(tree: RootedTree | number, store: TreeStore = defaultTreeStore): FreeTree {
  const adjacency: number[][] = [];
  const add = (id: number): number => {
    const v = adjacency.length;
    adjacency.push([]);
    for (const c of store.get(id).children) {
      const w = add(c);
      adjacency[v]!.push(w);
      adjacency[w]!.push(v);
    }
    return v;
  };
  add(typeof tree === 'number' ? tree : tree.id);
  return { adjacency };
}

/**
 * The free tree made of two rooted trees with an edge between their roots (the inverse of a cut).
 *
 * @example
 *   joinAtRoots(leafTree, leafTree) // the path with 2 vertices (‖g‖²)
 */
export function joinAtRoots(a: RootedTree | number, b: RootedTree | number, store: TreeStore = defaultTreeStore): FreeTree {
  const A = freeTreeOfRooted(a, store).adjacency;
  const B = freeTreeOfRooted(b, store).adjacency;
  const shift = A.length;
  const adjacency = [...A.map((n) => [...n]), ...B.map((n) => n.map((w) => w + shift))];
  adjacency[0]!.push(shift);
  adjacency[shift]!.push(0);
  return { adjacency };
}

/**
 * Store id of the rooted tree hanging from `root` when the edge to `parent` is removed (parent −1:
 * the whole tree rooted at `root`).
 */
export function rootedPart(tree: FreeTree, root: number, parent = -1, store: TreeStore = defaultTreeStore): number {
  const kids = tree.adjacency[root]!.filter((w) => w !== parent).map((w) => rootedPart(tree, w, root, store));
  return store.idOf(kids);
}

/** The two rooted trees of every edge {u, v} (u < v): [part at u, part at v]. */
export function edgeCutsOfFreeTree(tree: FreeTree, store: TreeStore = defaultTreeStore): [RootedTree, RootedTree][] {
  const out: [RootedTree, RootedTree][] = [];
  tree.adjacency.forEach((nbrs, u) => {
    for (const v of nbrs) {
      if (u < v) out.push([store.get(rootedPart(tree, u, v, store)), store.get(rootedPart(tree, v, u, store))]);
    }
  });
  return out;
}

/** Canonical form of a free tree with ≥ 2 vertices (see the file comment). */
export function canonicalFreeTree(tree: FreeTree, store: TreeStore = defaultTreeStore): FreeTreeInvariant {
  const n = tree.adjacency.length;
  if (n < 2) throw new RangeError('a free tree needs at least 2 vertices to be cut at an edge');
  const { centroids } = centroidsOf(tree);
  let a: number;
  let b: number;
  if (centroids.length === 2) {
    const [c, d] = centroids as [number, number];
    a = rootedPart(tree, c, d, store);
    b = rootedPart(tree, d, c, store);
  } else {
    const c = centroids[0]!;
    // Largest child subtree of the centroid; among equal sizes the smallest store id (canonical).
    let best = -1;
    let bestChild = -1;
    for (const w of tree.adjacency[c]!) {
      const id = rootedPart(tree, w, c, store);
      if (best < 0 || better(store.get(id), store.get(best))) {
        best = id;
        bestChild = w;
      }
    }
    a = best;
    b = rootedPart(tree, c, bestChild, store);
  }
  const [left, right] = orderPair(store.get(a), store.get(b));
  return { key: `${left.id}|${right.id}`, vertices: n, left, right };
}

/** The invariant ⟨F(a), F(b)⟩ in canonical form (a, b rooted trees or store ids). */
export function invariantOfCut(a: RootedTree | number, b: RootedTree | number, store: TreeStore = defaultTreeStore): FreeTreeInvariant {
  return canonicalFreeTree(joinAtRoots(a, b, store), store);
}

/** Canonical key of any free tree (also the single vertex, key "•"). */
export function freeTreeKey(tree: FreeTree, store: TreeStore = defaultTreeStore): string {
  return tree.adjacency.length === 1 ? '•' : canonicalFreeTree(tree, store).key;
}

/** Whether two free trees are isomorphic. */
export function sameFreeTree(a: FreeTree, b: FreeTree, store: TreeStore = defaultTreeStore): boolean {
  return a.adjacency.length === b.adjacency.length && freeTreeKey(a, store) === freeTreeKey(b, store);
}

/**
 * One representative of each free tree with n vertices, by forgetting the roots of the rooted trees
 * with n nodes and keeping one per canonical key.
 *
 * @example
 *   freeTreesOfOrder(4).length // 2 (the path and the star)
 */
export function freeTreesOfOrder(n: number, store: TreeStore = defaultTreeStore): FreeTree[] {
  const seen = new Map<string, FreeTree>();
  for (const t of store.ofOrder(n)) {
    const f = freeTreeOfRooted(t, store);
    const key = freeTreeKey(f, store);
    if (!seen.has(key)) seen.set(key, f);
  }
  return [...seen.values()];
}

/** Larger subtree first, then the store's canonical order (smaller id). */
function better(x: RootedTree, y: RootedTree): boolean {
  return x.order !== y.order ? x.order > y.order : x.id < y.id;
}

function orderPair(x: RootedTree, y: RootedTree): [RootedTree, RootedTree] {
  return x.order < y.order || (x.order === y.order && x.id <= y.id) ? [x, y] : [y, x];
}

/** Vertices minimising the largest component left when they are removed (one, or two adjacent). */
function centroidsOf(tree: FreeTree): { centroids: number[] } {
  const n = tree.adjacency.length;
  const parent = new Array<number>(n).fill(-1);
  const order: number[] = [0];
  const visited = new Array<boolean>(n).fill(false);
  visited[0] = true;
  for (let i = 0; i < order.length; i++) {
    const v = order[i]!;
    for (const w of tree.adjacency[v]!) {
      if (!visited[w]) {
        visited[w] = true;
        parent[w] = v;
        order.push(w);
      }
    }
  }
  if (order.length !== n) throw new RangeError('not a tree: the graph is not connected');
  const size = new Array<number>(n).fill(1);
  for (let i = n - 1; i > 0; i--) size[parent[order[i]!]!]! += size[order[i]!]!;
  let bestMax = Infinity;
  let centroids: number[] = [];
  for (let v = 0; v < n; v++) {
    let largest = n - size[v]!;
    for (const w of tree.adjacency[v]!) if (w !== parent[v]) largest = Math.max(largest, size[w]!);
    if (largest < bestMax) {
      bestMax = largest;
      centroids = [v];
    } else if (largest === bestMax) centroids.push(v);
  }
  return { centroids };
}
