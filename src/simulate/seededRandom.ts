/**
 * A small seeded pseudo-random generator for reproducible Monte-Carlo runs: mulberry32 (Tommy
 * Ettinger, 2017; public domain), 32 bits of state, period 2^32, uniform doubles in [0, 1) with
 * 32-bit resolution. Ample for shuffling a few mini-batches; not for cryptography.
 *
 * @example
 *   const rand = mulberry32(0);
 *   rand()                       // 0.26642920868471265
 *   randomPermutation(4, rand)   // e.g. [2, 0, 3, 1]
 */

/** The mulberry32 generator started from `seed` (any number; its low 32 bits are used). */
export function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A uniformly random permutation of 0 … m−1 (Fisher–Yates, m − 1 draws of `rand`).
 *
 * @example
 *   randomPermutation(3, mulberry32(1)) // a permutation of [0, 1, 2]
 */
export function randomPermutation(m: number, rand: () => number): number[] {
  const p = Array.from({ length: m }, (_, i) => i);
  for (let i = m - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}
