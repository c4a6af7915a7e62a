/**
 * Number of unlabelled rooted trees with n nodes (OEIS A000081), by the classical
 * recurrence  a(n+1) = (1/n) Σ_{k=1..n} ( Σ_{d | k} d·a(d) ) · a(n−k+1),  a(1) = 1
 * (Cayley 1857). Independent of the enumeration in `store.ts`, so each can check the other.
 *
 * @example
 *   countRootedTrees(14) // 32973n
 */
export function countRootedTrees(n: number): bigint {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`tree size must be a positive integer, got ${n}`);
  return rootedTreeCounts(n)[n]!;
}

/** counts[m] for m = 0..n (counts[0] = 0). */
export function rootedTreeCounts(n: number): bigint[] {
  const a: bigint[] = [0n, 1n];
  for (let m = 1; m < n; m++) {
    // s[k] = Σ_{d | k} d·a(d)
    let total = 0n;
    for (let k = 1; k <= m; k++) {
      let s = 0n;
      for (let d = 1; d <= k; d++) if (k % d === 0) s += BigInt(d) * a[d]!;
      total += s * a[m - k + 1]!;
    }
    a.push(total / BigInt(m));
  }
  return a.slice(0, n + 1);
}
