import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EdgeCuts,
  compareLevelSequences,
  TreeStore,
  countRootedTrees,
  defaultTreeStore,
  graftEverywhere,
  isLevelSequence,
  treeOfLevelSequence,
  type RootedTree,
} from '../src/index.js';

// Source: OEIS A000081 (unlabelled rooted trees with n nodes), as listed in docs/design.md §2.5.
const A000081 = [1, 1, 2, 4, 9, 20, 48, 115, 286, 719, 1842, 4766, 12486, 32973];

/** All level sequences of length n (every drawing of every tree), by brute force. */
function allLevelSequences(n: number): number[][] {
  const out: number[][] = [];
  const rec = (seq: number[]) => {
    if (seq.length === n) return void out.push([...seq]);
    const last = seq[seq.length - 1]!;
    for (let l = 2; l <= last + 1; l++) rec([...seq, l]);
  };
  rec([1]);
  return out;
}

/** Parent array of a level sequence (parent[0] = -1). */
function parents(seq: readonly number[]): number[] {
  const stack: number[] = [];
  return seq.map((l, i) => {
    stack.length = l - 1;
    const p = l === 1 ? -1 : stack[l - 2]!;
    stack[l - 1] = i;
    return p;
  });
}

/** Automorphisms of a tree counted by brute force over node permutations (independent of σ's formula). */
function automorphisms(seq: readonly number[]): number {
  const par = parents(seq);
  const n = seq.length;
  let count = 0;
  const perm: number[] = [];
  const used = new Array<boolean>(n).fill(false);
  const rec = () => {
    const i = perm.length;
    if (i === n) return void count++;
    for (let j = 0; j < n; j++) {
      if (used[j]) continue;
      // perm must map parent of i to parent of perm(i); parents come earlier in preorder.
      const pi = par[i]!;
      if ((pi === -1) !== (par[j] === -1)) continue;
      if (pi !== -1 && perm[pi] !== par[j]) continue;
      used[j] = true;
      perm.push(j);
      rec();
      perm.pop();
      used[j] = false;
    }
  };
  rec();
  return count;
}

/** A random drawing of a tree: shuffle subtrees at every node. */
function randomDrawing(tree: RootedTree, rand: () => number): number[] {
  const kids = tree.children.map((c) => randomDrawing(defaultTreeStore.get(c), rand));
  for (let i = kids.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [kids[i], kids[j]] = [kids[j]!, kids[i]!];
  }
  return [1, ...kids.flat().map((l) => l + 1)];
}

describe('enumeration', () => {
  it('counts match OEIS A000081 for 1..14 nodes, by enumeration and by the counting recurrence', () => {
    const store = new TreeStore();
    expect(A000081.map((_, i) => store.ofOrder(i + 1).length)).toEqual(A000081);
    expect(A000081.map((_, i) => Number(countRootedTrees(i + 1)))).toEqual(A000081);
  });

  it('equals the set of distinct canonical forms of all drawings (brute force, n ≤ 9)', () => {
    for (let n = 1; n <= 9; n++) {
      const canon = new Set(allLevelSequences(n).map((s) => treeOfLevelSequence(s).id));
      expect(canon.size).toBe(A000081[n - 1]);
      expect([...canon].sort((a, b) => a - b)).toEqual(defaultTreeStore.ofOrder(n).map((t) => t.id));
    }
  });

  it('lists each order tall tree first, in decreasing canonical level sequence', () => {
    // Source: hand enumeration of the four trees with 4 nodes.
    expect(defaultTreeStore.ofOrder(4).map((t) => t.levelSequence)).toEqual([
      [1, 2, 3, 4],
      [1, 2, 3, 3],
      [1, 2, 3, 2],
      [1, 2, 2, 2],
    ]);
  });
});

describe('canonical form', () => {
  it('a canonical level sequence is the greatest drawing, and every drawing maps back to its tree', () => {
    for (let n = 1; n <= 8; n++) {
      for (const s of allLevelSequences(n)) {
        const t = treeOfLevelSequence(s);
        expect(isLevelSequence(t.levelSequence)).toBe(true);
        expect(compareLevelSequences(t.levelSequence, s)).toBeGreaterThanOrEqual(0);
        expect(treeOfLevelSequence(t.levelSequence).id).toBe(t.id);
      }
    }
  });

  it('random redrawings of random trees canonicalise to the same tree (property)', () => {
    const trees = defaultTreeStore.ofOrder(11);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: trees.length - 1 }), fc.integer(), (i, seed) => {
        let x = seed >>> 0 || 1;
        const rand = () => ((x = (x * 1103515245 + 12345) >>> 0), x / 2 ** 32);
        const tree = trees[i]!;
        return treeOfLevelSequence(randomDrawing(tree, rand)).id === tree.id;
      }),
    );
  });

  it('rejects invalid level sequences with the reason', () => {
    expect(() => treeOfLevelSequence([])).toThrow(/at least the root/);
    expect(() => treeOfLevelSequence([2, 3])).toThrow(/starts with 1/);
    expect(() => treeOfLevelSequence([1, 3])).toThrow(/entry 2/);
    expect(() => treeOfLevelSequence([1, 2, 1])).toThrow(/only the root/);
  });
});

describe('symmetry factor', () => {
  it('equals the automorphism count found by brute force (n ≤ 8)', () => {
    for (let n = 1; n <= 8; n++) {
      for (const t of defaultTreeStore.ofOrder(n)) expect(Number(t.symmetry)).toBe(automorphisms(t.levelSequence));
    }
  });

  it('matches hand-computed values', () => {
    // Source: σ([•^m]) = m!, σ of a chain = 1, σ([[•,•],[•,•]]) = 2!·2·2 = 8 (Butcher's definition).
    expect(treeOfLevelSequence([1, 2, 2, 2, 2]).symmetry).toBe(24n);
    expect(treeOfLevelSequence([1, 2, 3, 4, 5]).symmetry).toBe(1n);
    expect(treeOfLevelSequence([1, 2, 3, 3, 2, 3, 3]).symmetry).toBe(8n);
  });
});

describe('grafting and single-edge cuts', () => {
  const cuts = new EdgeCuts();

  it('grafting onto every node gives |τ| trees; cutting every edge gives |ρ| − 1 pairs', () => {
    for (let n = 1; n <= 7; n++) {
      for (const tau of defaultTreeStore.ofOrder(n)) {
        for (const sigma of defaultTreeStore.ofOrder(3)) {
          const total = [...graftEverywhere(sigma, tau).values()].reduce((a, b) => a + b, 0);
          expect(total).toBe(n);
        }
        const edges = cuts.of(tau).reduce((a, c) => a + c.count, 0);
        expect(edges).toBe(n - 1);
      }
    }
  });

  it('cuts are the transpose of grafting: #grafts(σ→τ = ρ)·σ(ρ) = #cuts(ρ → τ, σ)·σ(τ)σ(σ)', () => {
    // Source: orbit counting (the identity behind GNI Lemma IX.9.1), checked on every pair with ≤ 8 nodes.
    for (let n = 2; n <= 8; n++) {
      for (const rho of defaultTreeStore.ofOrder(n)) {
        for (const cut of cuts.of(rho)) {
          const tau = defaultTreeStore.get(cut.trunk);
          const sigma = defaultTreeStore.get(cut.branch);
          const grafts = graftEverywhere(sigma, tau).get(rho.id) ?? 0;
          expect(BigInt(grafts) * rho.symmetry).toBe(BigInt(cut.count) * tau.symmetry * sigma.symmetry);
        }
      }
    }
  });

  it('grafting • onto [•] gives the chain and the cherry once each', () => {
    const g = graftEverywhere(defaultTreeStore.leaf, treeOfLevelSequence([1, 2]));
    expect(g).toEqual(new Map([[treeOfLevelSequence([1, 2, 3]).id, 1], [treeOfLevelSequence([1, 2, 2]).id, 1]]));
  });
});
