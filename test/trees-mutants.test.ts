/**
 * Tests that kill the tree layer's surviving mutants (docs/mutation.md), each against truth that
 * does not come from the code under test: OEIS A000081 counts and hand-built trees.
 */
import { describe, expect, it } from 'vitest';
import { rootedTreeCounts } from '../src/trees/count.js';

describe('tree layer: mutants the older tests let through', () => {
  it('the counting recurrence returns counts[0..n] even for n = 0', () => {
    // counts[m] for m = 0..n; A000081 starts 0 (m = 0), 1, 1, 2, 4.
    expect(rootedTreeCounts(0)).toEqual([0n]);
    expect(rootedTreeCounts(1)).toEqual([0n, 1n]);
  });
});
