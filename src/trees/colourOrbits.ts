/**
 * Colour relabelling of coloured trees, and the orbits of one size under all permutations of the
 * colours. Averaging a quantity over the m! relabellings of the batches (SGD with random
 * reshuffling) is averaging it over each orbit: by orbit–stabiliser every tree of an orbit is the
 * image of the same number of permutations.
 *
 * @example
 *   const store = new TreeStore({ colours: 2 });
 *   colourOrbits(store, 2) // [[id of 0→0, id of 1→1], [id of 0→1, id of 1→0]]: same colour, or not
 */
import type { TreeStore } from './store.js';

/** The tree with every colour c replaced by map[c]. */
export function recolour(store: TreeStore, id: number, map: readonly number[], memo = new Map<number, number>()): number {
  const hit = memo.get(id);
  if (hit !== undefined) return hit;
  const t = store.get(id);
  const out = store.idOf(
    t.children.map((c) => recolour(store, c, map, memo)),
    map[t.colour]!,
  );
  memo.set(id, out);
  return out;
}

/** The orbits of the trees with n nodes under permutations of the colours, each a list of ids. */
export function colourOrbits(store: TreeStore, n: number): number[][] {
  const [start, end] = store.idRange(n);
  const seen = new Set<number>();
  const orbits: number[][] = [];
  for (let id = start; id < end; id++) {
    if (seen.has(id)) continue;
    const used = [...new Set(store.get(id).colourSequence)];
    const orbit = new Set<number>();
    // Every injective map of the colours used into all colours (the rest of a permutation does not matter).
    const map: number[] = [];
    const taken = new Set<number>();
    const assign = (k: number): void => {
      if (k === used.length) {
        orbit.add(recolour(store, id, map));
        return;
      }
      for (let c = 0; c < store.colours; c++) {
        if (taken.has(c)) continue;
        taken.add(c);
        map[used[k]!] = c;
        assign(k + 1);
        taken.delete(c);
      }
    };
    assign(0);
    for (const x of orbit) seen.add(x);
    orbits.push([...orbit]);
  }
  return orbits;
}
