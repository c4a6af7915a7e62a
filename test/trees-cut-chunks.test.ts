/**
 * Edge cuts past the first storage chunk: the cuts of every tree with up to 14 nodes fill about
 * 1.55 million ints, more than one 4 MiB chunk (2^20 ints) of src/trees/edgeCuts.ts, so the trees
 * enumerated last are stored in a second chunk. Truth that needs no cut code: a tree with n nodes
 * has n − 1 edges (the counts add up to n − 1), and each cut splits the nodes (trunk + branch = n).
 * The cuts are listed without merging, so the test also checks what edgeCuts.ts argues: no
 * (trunk, branch) pair of a tree appears twice.
 * Kept apart from test/trees-mutants.test.ts because it takes seconds.
 */
import { describe, expect, it } from 'vitest';
import { EdgeCuts } from '../src/trees/edgeCuts.js';
import { TreeStore } from '../src/trees/store.js';

describe('edge cuts across storage chunks', () => {
  it('every tree up to 14 nodes: counts add up to n − 1, each cut splits the n nodes, no pair twice', () => {
    const store = new TreeStore();
    const cuts = new EdgeCuts(store);
    let ints = 0;
    for (let n = 1; n <= 14; n++) {
      for (const rho of store.ofOrder(n)) {
        const { pool, start, end } = cuts.triples(rho.id);
        ints += end - start;
        let edges = 0;
        const pairs = new Set<string>();
        for (let i = start; i < end; i += 3) {
          edges += pool[i + 2]!;
          pairs.add(`${pool[i]}:${pool[i + 1]}`);
          if (store.get(pool[i]!).order + store.get(pool[i + 1]!).order !== n) expect.fail(`cut ${i} of tree ${rho.id}`);
        }
        if (edges !== n - 1) expect(edges).toBe(n - 1);
        if (pairs.size !== (end - start) / 3) expect.fail(`tree ${rho.id} lists a (trunk, branch) pair twice`);
      }
    }
    expect(ints).toBeGreaterThan(2 ** 20); // the second chunk was used
  });
});
