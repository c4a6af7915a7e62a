/**
 * Level sequences: a rooted tree drawn in the plane, written as the depth of each node in
 * depth-first preorder with the root at depth 1. `[1,2,3,2]` is a root with two children, the
 * first of which has a child. A level sequence is valid when it starts with 1 and each entry is at
 * least 2 and at most one more than the entry before it.
 *
 * @example
 *   isLevelSequence([1, 2, 3, 2]) // true
 *   compareLevelSequences([1, 2, 3], [1, 2, 2]) // 1
 */

/** Lexicographic comparison; a proper prefix is smaller. */
export function compareLevelSequences(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Why `seq` is not a level sequence, or undefined when it is one. */
export function levelSequenceProblem(seq: readonly unknown[]): string | undefined {
  if (seq.length === 0) return 'a level sequence needs at least the root';
  if (seq[0] !== 1) return 'a level sequence starts with 1 (the root)';
  for (let i = 1; i < seq.length; i++) {
    const v = seq[i];
    if (typeof v !== 'number' || !Number.isInteger(v)) return `entry ${i + 1} is not an integer`;
    if (v < 2) return `entry ${i + 1} is ${v}: only the root has level 1`;
    if (v > (seq[i - 1] as number) + 1) return `entry ${i + 1} is ${v}: a node is at most one level below the node before it`;
  }
  return undefined;
}

export function isLevelSequence(seq: readonly unknown[]): boolean {
  return levelSequenceProblem(seq) === undefined;
}

/**
 * Split a level sequence into the level sequences of the root's subtrees (each re-based so its
 * own root is at level 1).
 *
 * @example
 *   rootSubtrees([1, 2, 3, 2]) // [[1, 2], [1]]
 */
export function rootSubtrees(seq: readonly number[]): number[][] {
  const out: number[][] = [];
  for (let i = 1; i < seq.length; i++) {
    if (seq[i] === 2) out.push([]);
    out[out.length - 1]!.push(seq[i]! - 1);
  }
  return out;
}
