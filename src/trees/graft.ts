/**
 * Grafting: attach a tree σ by an extra edge below a node of τ. Summed over the nodes of τ this is
 * the pre-Lie product σ ▷ τ, which is how elementary differentials differentiate:
 * D_{F(σ)} F(τ) = Σ_{v ∈ τ} F(τ ∘_v σ) (Leibniz rule, one term per node).
 *
 * @example
 *   const leaf = defaultTreeStore.leaf;
 *   const cherryAndChain = graftEverywhere(leaf, treeOfLevelSequence([1, 2]));
 *   // Map { id([1,2,3]) => 1, id([1,2,2]) => 1 }
 */
import { defaultTreeStore, type RootedTree, type TreeStore } from './store.js';

/** Multiset { τ ∘_v σ : v a node of τ } as a map tree id → multiplicity. */
export function graftEverywhere(sigma: RootedTree, tau: RootedTree, store: TreeStore = defaultTreeStore): Map<number, number> {
  const out = new Map<number, number>();
  const add = (id: number, k: number) => out.set(id, (out.get(id) ?? 0) + k);
  add(store.idOf([...tau.children, sigma.id], tau.colour), 1); // at the root
  const counts = new Map<number, number>();
  for (const c of tau.children) counts.set(c, (counts.get(c) ?? 0) + 1);
  for (const [c, k] of counts) {
    const rest = removeOne(tau.children, c);
    for (const [r, m] of graftEverywhere(sigma, store.get(c), store)) add(store.idOf([...rest, r], tau.colour), k * m);
  }
  return out;
}

/** The Butcher product τ ∘ σ: σ grafted onto the root of τ. */
export function graftAtRoot(tau: RootedTree, sigma: RootedTree, store: TreeStore = defaultTreeStore): RootedTree {
  return store.get(store.idOf([...tau.children, sigma.id], tau.colour));
}

export function removeOne(ids: readonly number[], id: number): number[] {
  const i = ids.indexOf(id);
  if (i < 0) throw new Error(`internal: ${id} not among [${ids.join(',')}]`);
  return [...ids.slice(0, i), ...ids.slice(i + 1)];
}
