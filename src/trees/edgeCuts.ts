/**
 * Single-edge cuts: removing one edge of ρ splits it into the part holding the root (the trunk)
 * and the part below the edge (the branch). This is the transpose of grafting, and the solver
 * differentiates tree series through it: with series written as Σ a(τ)/σ(τ) F(τ), the derivative
 * of the series a along the field b is  (∂_b a)(ρ) = Σ_{edges e of ρ} a(trunk_e) b(branch_e)
 * (Hairer, Lubich & Wanner, Geometric Numerical Integration, Lemma IX.9.1).
 *
 * Cuts of ρ = [c1, …, cm] come from those of its subtrees: cutting the edge above c_i, or cutting
 * inside c_i and keeping the rest of ρ. Equal (trunk, branch) pairs are merged with a count, so a
 * bushy tree with 13 leaves has one cut of count 13.
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

export class EdgeCuts {
  private readonly cache: (readonly EdgeCut[])[] = [];

  constructor(readonly store: TreeStore = defaultTreeStore) {}

  of(tree: RootedTree): readonly EdgeCut[] {
    return this.ofId(tree.id);
  }

  ofId(id: number): readonly EdgeCut[] {
    const hit = this.cache[id];
    if (hit !== undefined) return hit;
    const tree = this.store.get(id);
    const merged = new Map<string, { trunk: number; branch: number; count: number }>();
    const add = (trunk: number, branch: number, count: number) => {
      const key = `${trunk}:${branch}`;
      const e = merged.get(key);
      if (e) e.count += count;
      else merged.set(key, { trunk, branch, count });
    };
    const multiplicity = new Map<number, number>();
    for (const c of tree.children) multiplicity.set(c, (multiplicity.get(c) ?? 0) + 1);
    for (const [c, k] of multiplicity) {
      const rest = removeOne(tree.children, c);
      add(this.store.idOf(rest, tree.colour), c, k);
      for (const cut of this.ofId(c)) add(this.store.idOf([...rest, cut.trunk], tree.colour), cut.branch, k * cut.count);
    }
    const cuts = [...merged.values()];
    this.cache[id] = cuts;
    return cuts;
  }
}
