/**
 * Rooted trees, stored once each and addressed by integer id; unlabelled by default, or with a
 * colour on every node (`new TreeStore({ colours: m })`: coloured trees, whose elementary
 * differentials read a different vector field at each colour, as the batches of SGD do).
 *
 * A tree is its multiset of root subtrees: τ = [τ1, …, τm] (Butcher's notation), and • = [] is the
 * single node. Trees are enumerated by number of nodes; inside one size they are sorted by
 * canonical level sequence in decreasing lexicographic order (so the tall tree comes first), and
 * ids follow that order. The children of a tree are listed in the same canonical order, which makes
 * its level sequence the lexicographically greatest one among all its drawings (the canonical
 * representation used by RootedTrees.jl).
 *
 * @example
 *   const store = new TreeStore();
 *   store.ofOrder(3).map((t) => t.levelSequence) // [[1,2,3], [1,2,2]]
 */
import { compareLevelSequences } from './levelSequence.js';

export interface TreeStoreOptions {
  /** Number of node colours (default 1: plain, unlabelled trees). Colours are 0, …, colours − 1. */
  readonly colours?: number;
}

export interface RootedTree {
  /** Index in the store; trees of fewer nodes have smaller ids. */
  readonly id: number;
  /** Number of nodes |τ|. */
  readonly order: number;
  /** Ids of the root's subtrees, in canonical order (greatest level sequence first), with repeats. */
  readonly children: readonly number[];
  /** Canonical level sequence: depth of each node in depth-first preorder, root = 1. */
  readonly levelSequence: readonly number[];
  /** Symmetry factor σ(τ) = Π m_i! σ(τ_i)^{m_i} for τ = [τ1^{m1}, …, τk^{mk}] (distinct τ_i). */
  readonly symmetry: bigint;
  /** Height: number of nodes on the longest root-to-leaf path. */
  readonly height: number;
  /** Colour of the root (0 in an unlabelled store). */
  readonly colour: number;
  /** Colour of each node, aligned with `levelSequence` (all 0 in an unlabelled store). */
  readonly colourSequence: readonly number[];
}

/**
 * Total order of trees within one size: level sequence, then colour sequence (both greatest
 * first). Children are listed in this order, so a tree's (level, colour) sequences are canonical.
 */
export function compareTrees(a: RootedTree, b: RootedTree): number {
  return compareLevelSequences(a.levelSequence, b.levelSequence) || compareLevelSequences(a.colourSequence, b.colourSequence);
}

/** Key of a root colour and a multiset of subtree ids (order-independent). */
function treeKey(ids: readonly number[], colour: number): string {
  const key = [...ids].sort((a, b) => a - b).join(',');
  return colour === 0 ? key : `${colour}|${key}`;
}

export class TreeStore {
  private readonly trees: RootedTree[] = [];
  /** firstIdOfOrder[n] = id of the first tree with n nodes; firstIdOfOrder[maxOrder+1] = trees.length. */
  private readonly firstIdOfOrder: number[] = [0, 0];
  private readonly idByChildren = new Map<string, number>();
  /** Number of node colours (1 for plain trees). */
  readonly colours: number;

  constructor(options: TreeStoreOptions = {}) {
    const colours = options.colours ?? 1;
    if (!Number.isInteger(colours) || colours < 1) throw new RangeError(`colours must be a positive integer, got ${colours}`);
    this.colours = colours;
    for (let c = 0; c < colours; c++) this.add([], 1, [1], 1n, 1, c, [c]);
    this.firstIdOfOrder.push(colours);
  }

  /** Largest n for which all trees with n nodes are stored. */
  get maxOrder(): number {
    return this.firstIdOfOrder.length - 2;
  }

  /** Number of stored trees. */
  get size(): number {
    return this.trees.length;
  }

  /** The tree with this id. */
  get(id: number): RootedTree {
    const t = this.trees[id];
    if (t === undefined) throw new RangeError(`no tree with id ${id}`);
    return t;
  }

  /** All trees with exactly n nodes, in canonical order (enumerating them if needed). */
  ofOrder(n: number): readonly RootedTree[] {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`tree size must be a positive integer, got ${n}`);
    this.ensureOrder(n);
    return this.trees.slice(this.firstIdOfOrder[n]!, this.firstIdOfOrder[n + 1]!);
  }

  /** Id range [start, end) of the trees with n nodes. */
  idRange(n: number): [number, number] {
    this.ensureOrder(n);
    return [this.firstIdOfOrder[n]!, this.firstIdOfOrder[n + 1]!];
  }

  /** The single node • (of colour 0). */
  get leaf(): RootedTree {
    return this.trees[0]!;
  }

  /**
   * Id of the tree [c1, …, cm] (root colour `colour`) for subtree ids in any order; the subtrees
   * must already be stored.
   */
  idOf(childIds: readonly number[], colour = 0): number {
    const order = 1 + childIds.reduce((s, c) => s + this.get(c).order, 0);
    this.ensureOrder(order);
    const id = this.idByChildren.get(treeKey(childIds, colour));
    if (id === undefined) throw new Error(`internal: tree [${childIds.join(',')}] of colour ${colour} missing from store`);
    return id;
  }

  /** Enumerate every size up to n. */
  ensureOrder(n: number): void {
    while (this.maxOrder < n) this.enumerateNext();
  }

  private add(children: number[], order: number, levelSequence: number[], symmetry: bigint, height: number, colour: number, colourSequence: readonly number[]): number {
    const id = this.trees.length;
    this.trees.push({ id, order, children, levelSequence, symmetry, height, colour, colourSequence });
    this.idByChildren.set(treeKey(children, colour), id);
    return id;
  }

  /**
   * Trees with n nodes are a root colour and a multiset of stored subtrees whose sizes add up to n − 1. They are
   * generated as non-increasing id sequences, so each multiset appears once; every partial choice
   * can be completed (with single nodes), so the work is proportional to the output.
   */
  private enumerateNext(): void {
    const n = this.maxOrder + 1;
    const found: number[][] = [];
    const chosen: number[] = [];
    const visit = (remaining: number, maxId: number): void => {
      if (remaining === 0) {
        found.push([...chosen]);
        return;
      }
      const end = Math.min(maxId, this.firstIdOfOrder[remaining + 1]! - 1);
      for (let id = end; id >= 0; id--) {
        chosen.push(id);
        visit(remaining - this.trees[id]!.order, id);
        chosen.pop();
      }
    };
    visit(n - 1, this.trees.length - 1);

    // A plain store shares one all-zero colour sequence per size (a copy per tree would cost 170 bytes).
    const plain: readonly number[] | undefined = this.colours === 1 ? Object.freeze(new Array<number>(n).fill(0)) : undefined;
    const built = found.flatMap((ids) => {
      const kids = ids.map((id) => this.trees[id]!);
      kids.sort((a, b) => compareTrees(b, a));
      const levelSequence = [1];
      for (const k of kids) for (const l of k.levelSequence) levelSequence.push(l + 1);
      const below: number[] = [];
      if (this.colours > 1) for (const k of kids) below.push(...k.colourSequence);
      // σ: product over groups of equal subtrees of m! σ(τ_i)^m
      let symmetry = 1n;
      let run = 0;
      for (let i = 0; i < kids.length; i++) {
        symmetry *= kids[i]!.symmetry;
        run = i > 0 && kids[i]!.id === kids[i - 1]!.id ? run + 1 : 1;
        symmetry *= BigInt(run); // builds m! incrementally within a run of equal subtrees
      }
      const height = 1 + kids.reduce((h, k) => Math.max(h, k.height), 0);
      const children = kids.map((k) => k.id);
      return Array.from({ length: this.colours }, (_, colour) => ({ children, levelSequence, symmetry, height, colour, colourSequence: plain ?? [colour, ...below] }));
    });
    built.sort(
      (a, b) =>
        compareLevelSequences(b.levelSequence, a.levelSequence) || compareLevelSequences(b.colourSequence, a.colourSequence),
    );
    for (const t of built) this.add(t.children, n, t.levelSequence, t.symmetry, t.height, t.colour, t.colourSequence);
    this.firstIdOfOrder.push(this.trees.length);
  }
}

/** The process-wide store used by the library (trees are immutable, so sharing is safe). */
export const defaultTreeStore = new TreeStore();
