/**
 * How large an order fits: the solver keeps, for every tree with n ≤ K + 2 nodes, about n exact
 * values plus its cuts and canonical form. Measured on Node 20 (bench/): about 300 bytes per
 * (tree × node), e.g. ~140 MB for K = 12 (32 973 trees of 14 nodes). The estimate is used to
 * refuse an order before starting a computation that would exhaust the heap.
 *
 * @example
 *   estimatedSolverBytes(12) // ≈ 2.1e8 (measured peak RSS about 180 MB)
 */
import { getHeapStatistics } from 'node:v8';
import { rootedTreeCounts } from '../trees/count.js';

const BYTES_PER_TREE_NODE = 300;

export function estimatedSolverBytes(K: number): number {
  const counts = rootedTreeCounts(K + 2);
  let bytes = 0;
  for (let n = 1; n <= K + 2; n++) bytes += Number(counts[n]!) * n * BYTES_PER_TREE_NODE;
  return bytes;
}

/** The heap this process may use (V8's limit), in bytes. */
export function heapLimitBytes(): number {
  return getHeapStatistics().heap_size_limit;
}

/** Largest K whose estimate fits in `fraction` of the heap limit. */
export function largestFeasibleOrder(fraction = 0.75, heapBytes = heapLimitBytes()): number {
  let K = 0;
  while (estimatedSolverBytes(K + 1) <= fraction * heapBytes) K++;
  return K;
}
