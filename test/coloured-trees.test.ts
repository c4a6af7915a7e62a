/**
 * Coloured rooted trees (TreeStore({ colours: m })): the trees SGD's series lives on, each node
 * labelled by the batch whose loss it differentiates.
 * - counts against the generating function A(x) = m x exp(Σ_k A(x^k)/k), i.e. a_1 = m and
 *   (n−1) a_n = Σ_{k<n} c_k a_{n−k}, c_k = Σ_{d|k} d a_d; for m = 2 and 3 these are OEIS A000151
 *   (2, 4, 14, 52, 214, 916) and A038055 (3, 9, 45, 246, 1485, 9432);
 * - grafting and single-edge cuts are transposes: for every cut (trunk, branch, count) of ρ,
 *   count·σ(trunk)σ(branch) = (multiplicity of ρ in branch ▷ trunk)·σ(ρ) (Hairer, Lubich & Wanner,
 *   GNI §III.1, with coloured trees as in P-series);
 * - colour orbits partition each size, and a recoloured tree keeps its shape and symmetry.
 */
import { describe, expect, it } from 'vitest';
import { colourOrbits, recolour } from '../src/trees/colourOrbits.js';
import { EdgeCuts } from '../src/trees/edgeCuts.js';
import { graftEverywhere } from '../src/trees/graft.js';
import { treeOfLevelSequence } from '../src/trees/canonical.js';
import { TreeStore } from '../src/trees/store.js';

function colouredCounts(m: number, N: number): number[] {
  const a = [0, m];
  const c = (k: number) => {
    let s = 0;
    for (let d = 1; d <= k; d++) if (k % d === 0) s += d * a[d]!;
    return s;
  };
  for (let n = 2; n <= N; n++) {
    let s = 0;
    for (let k = 1; k < n; k++) s += c(k) * a[n - k]!;
    a.push(s / (n - 1));
  }
  return a.slice(1);
}

describe('coloured rooted trees', () => {
  it('the recurrence gives OEIS A000151 and A038055', () => {
    expect(colouredCounts(2, 6)).toEqual([2, 4, 14, 52, 214, 916]);
    expect(colouredCounts(3, 6)).toEqual([3, 9, 45, 246, 1485, 9432]);
  });

  for (const m of [1, 2, 3, 4]) {
    it(`${m} colours: the store enumerates each coloured tree once`, () => {
      const store = new TreeStore({ colours: m });
      const N = m <= 2 ? 7 : 5;
      expect(Array.from({ length: N }, (_, n) => store.ofOrder(n + 1).length)).toEqual(colouredCounts(m, N));
      // distinct (level, colour) sequences, and each reads back to its own id
      for (let n = 1; n <= N; n++) {
        const keys = new Set(store.ofOrder(n).map((t) => `${t.levelSequence}|${t.colourSequence}`));
        expect(keys.size).toBe(store.ofOrder(n).length);
      }
      for (const t of store.ofOrder(Math.min(N, 4))) expect(treeOfLevelSequence(t.levelSequence, store, t.colourSequence).id).toBe(t.id);
    });
  }

  it('a drawing in any order of its subtrees gives the same coloured tree', () => {
    const store = new TreeStore({ colours: 2 });
    // root 0 with children (1) and (0 → 1), drawn both ways
    const a = treeOfLevelSequence([1, 2, 2, 3], store, [0, 1, 0, 1]);
    const b = treeOfLevelSequence([1, 2, 3, 2], store, [0, 0, 1, 1]);
    expect(a.id).toBe(b.id);
    expect(() => treeOfLevelSequence([1, 2], store, [0, 2])).toThrow(/colour 2/);
    expect(() => treeOfLevelSequence([1, 2], store, [0])).toThrow(/1 colours for a tree of 2 nodes/);
  });

  it('symmetry counts colour-preserving automorphisms', () => {
    const store = new TreeStore({ colours: 2 });
    expect(treeOfLevelSequence([1, 2, 2], store, [0, 1, 1]).symmetry).toBe(2n);
    expect(treeOfLevelSequence([1, 2, 2], store, [0, 0, 1]).symmetry).toBe(1n);
    expect(treeOfLevelSequence([1, 2, 3, 2, 3], store, [1, 0, 1, 0, 1]).symmetry).toBe(2n);
    expect(treeOfLevelSequence([1, 2, 3, 2, 3], store, [1, 0, 1, 0, 0]).symmetry).toBe(1n);
  });

  it('grafting and cuts are transposes on coloured trees (3 colours, up to 5 nodes)', () => {
    const store = new TreeStore({ colours: 3 });
    const cuts = new EdgeCuts(store);
    for (let n = 2; n <= 5; n++) {
      for (const rho of store.ofOrder(n)) {
        let total = 0;
        for (const cut of cuts.of(rho)) {
          total += cut.count;
          const trunk = store.get(cut.trunk);
          const branch = store.get(cut.branch);
          const mult = graftEverywhere(branch, trunk, store).get(rho.id) ?? 0;
          expect(BigInt(cut.count) * trunk.symmetry * branch.symmetry).toBe(BigInt(mult) * rho.symmetry);
          expect(trunk.colour).toBe(rho.colour);
        }
        expect(total).toBe(n - 1);
      }
    }
  });

  it('colour orbits partition each size; recolouring keeps shape and symmetry', () => {
    const store = new TreeStore({ colours: 3 });
    for (let n = 1; n <= 4; n++) {
      const orbits = colourOrbits(store, n);
      const all = orbits.flat().sort((a, b) => a - b);
      expect(all).toEqual(store.ofOrder(n).map((t) => t.id));
      for (const orbit of orbits) {
        const t = store.get(orbit[0]!);
        // orbit size = 3!/(3 − p)! over the colour set's own symmetries: recolouring by the swap of two colours stays inside
        const swapped = store.get(recolour(store, t.id, [1, 0, 2]));
        expect(orbit).toContain(swapped.id);
        expect(swapped.levelSequence).toEqual(t.levelSequence);
        expect(swapped.symmetry).toBe(t.symmetry);
      }
    }
    // one colour: all 2-node trees of 2 colours fall into "same colour" and "different colours"
    const two = new TreeStore({ colours: 2 });
    expect(colourOrbits(two, 2).map((o) => o.length).sort()).toEqual([2, 2]);
  });
});
