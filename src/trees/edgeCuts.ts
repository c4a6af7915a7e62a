/**
 * Single-edge cuts: removing one edge of ρ splits it into the part holding the root (the trunk)
 * and the part below the edge (the branch). This is the transpose of grafting, and the solver
 * differentiates tree series through it: with series written as Σ a(τ)/σ(τ) F(τ), the derivative
 * of the series a along the field b is  (∂_b a)(ρ) = Σ_{edges e of ρ} a(trunk_e) b(branch_e)
 * (Hairer, Lubich & Wanner, Geometric Numerical Integration, Lemma IX.9.1).
 *
 * Cuts of ρ = [c1, …, cm] come from those of its subtrees: cutting the edge above c_i, or cutting
 * inside c_i and keeping the rest of ρ. Equal children are cut once with their multiplicity as the
 * count, so a bushy tree with 13 leaves has one cut of count 13. No two routes give the same
 * (trunk, branch): a top cut of c and an inner cut of c' ≠ c with equal pairs would need
 * {c'} = {c, trunk of c'} as multisets, and inner cuts of c ≠ c' would need {c', t} = {c, t'} with t
 * smaller than c. So the list needs no merging (and the solver's sum over cuts would not need it either).
 *
 * Storage: every tree's cuts are computed once and kept as (trunk, branch, count) triples in large
 * Int32Array chunks, 12 bytes a cut (the 4.3 million cuts of the trees with up to 16 nodes take
 * 52 MB, where one object per cut took 250 MB). `triples` reads them in place (the solver's inner
 * loop); `of` and `ofId` build cut objects on request.
 *
 * @example
 *   const cuts = new EdgeCuts();
 *   cuts.of(treeOfLevelSequence([1, 2, 2])) // [{ trunk: id([1,2]), branch: id([1]), count: 2 }]
 */
import { removeOne } from './graft.js';
import { defaultTreeStore, type RootedTree, type TreeStore } from './store.js';

export interface EdgeCut {
  readonly trunk: number;
  readonly branch: number;
  readonly count: number;
}

/** A tree's cuts in place: trunk, branch and count at pool[i], pool[i + 1], pool[i + 2] for i = start, start + 3, … < end. */
export interface CutTriples {
  readonly pool: Int32Array;
  readonly start: number;
  readonly end: number;
}

/** Ints per chunk (4 MiB); a tree with n nodes needs at most 3(n − 1) of them, always in one chunk. */
const CHUNK_BITS = 20;
const CHUNK = 1 << CHUNK_BITS;

export class EdgeCuts {
  private readonly chunks: Int32Array[] = [];
  /** Ints used in the last chunk. */
  private used = CHUNK;
  /** Per tree id: 1 + the position of its first triple (chunk · CHUNK + offset), 0 before it is computed. */
  private where: Int32Array<ArrayBuffer> = new Int32Array(0);
  /** Per tree id: its number of distinct cuts. */
  private sizes: Int32Array<ArrayBuffer> = new Int32Array(0);

  constructor(readonly store: TreeStore = defaultTreeStore) {}

  of(tree: RootedTree): readonly EdgeCut[] {
    return this.ofId(tree.id);
  }

  ofId(id: number): readonly EdgeCut[] {
    const { pool, start, end } = this.triples(id);
    const cuts: EdgeCut[] = [];
    for (let i = start; i < end; i += 3) cuts.push({ trunk: pool[i]!, branch: pool[i + 1]!, count: pool[i + 2]! });
    return cuts;
  }

  /** The cuts of tree `id` in place (computed on first use, with those of its subtrees). */
  triples(id: number): CutTriples {
    if (id >= this.where.length || this.where[id] === 0) this.compute(id);
    const at = this.where[id]! - 1;
    const start = at & (CHUNK - 1);
    return { pool: this.chunks[at >>> CHUNK_BITS]!, start, end: start + 3 * this.sizes[id]! };
  }

  private compute(id: number): void {
    const tree = this.store.get(id);
    const cuts: [trunk: number, branch: number, count: number][] = [];
    const multiplicity = new Map<number, number>();
    for (const c of tree.children) multiplicity.set(c, (multiplicity.get(c) ?? 0) + 1);
    for (const [c, k] of multiplicity) {
      const rest = removeOne(tree.children, c);
      cuts.push([this.store.idOf(rest, tree.colour), c, k]);
      const { pool, start, end } = this.triples(c);
      for (let i = start; i < end; i += 3) cuts.push([this.store.idOf([...rest, pool[i]!], tree.colour), pool[i + 1]!, k * pool[i + 2]!]);
    }
    this.put(id, cuts);
  }

  private put(id: number, cuts: readonly (readonly [number, number, number])[]): void {
    if (this.used + 3 * cuts.length > CHUNK) {
      this.chunks.push(new Int32Array(CHUNK));
      this.used = 0;
    }
    const chunk = this.chunks[this.chunks.length - 1]!;
    for (const [k, cut] of cuts.entries()) chunk.set(cut, this.used + 3 * k);
    if (id >= this.where.length) {
      const size = Math.max(id + 1, 2 * this.where.length, 1024);
      this.where = grown(this.where, size);
      this.sizes = grown(this.sizes, size);
    }
    this.where[id] = 1 + (this.chunks.length - 1) * CHUNK + this.used;
    this.sizes[id] = cuts.length;
    this.used += 3 * cuts.length;
  }
}

function grown(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}
