/**
 * How large an order fits: the solver keeps, for every tree with n ≤ K + 2 nodes, about n exact
 * values plus its cuts and canonical form, and `eom derive` streams its output (only one order's
 * terms are held at a time). Measured peak RSS of `eom derive --order K --format json` on Node 20
 * (bench/): 174 MB at K = 12, 303 MB at K = 13, 648 MB at K = 14 — about 100 bytes per (tree × node)
 * above a fixed 120 MB, so each order needs ≈ 2.8× the memory of the one before. The estimate is
 * used to refuse an order before starting a computation that would exhaust the heap.
 *
 * @example
 *   estimatedSolverBytes(12) // ≈ 2.0e8 (measured peak RSS 174 MB)
 *   estimatedSolverBytes(15) // ≈ 1.8e9
 */
import { getHeapStatistics } from 'node:v8';
import { rootedTreeCounts } from '../trees/count.js';

const BYTES_PER_TREE_NODE = 100;
const FIXED_BYTES = 120 * 2 ** 20;

export function estimatedSolverBytes(K: number): number {
  const counts = rootedTreeCounts(K + 2);
  let bytes = FIXED_BYTES;
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
