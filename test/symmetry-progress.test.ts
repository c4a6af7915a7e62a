/**
 * analyseSymmetry passes its onProgress to the comparison (src/symmetry/analysis.ts): the
 * comparison runs one simulation per η, each reporting (…, 'done') at its end, so with two
 * learning rates progress reaches ½ after the first η and 1 after the second, and only grows.
 */
import { describe, expect, it } from 'vitest';
import { analyseSymmetry } from '../src/symmetry/analysis.js';

describe('analyseSymmetry reports progress through the comparison', () => {
  it('calls onProgress with fractions that grow to 1, naming each η', () => {
    const calls: [number, string][] = [];
    const a = analyseSymmetry({
      loss: 'logsumexp(z1, z2) - z1',
      symmetry: { kind: 'translation', group: ['z1', 'z2'] },
      weightDecay: '0.5',
      order: 0,
      comparison: { init: { z1: 0.3, z2: -0.2 }, lrs: [0.1, 0.05], horizon: 0.2 },
      onProgress: (fraction, label) => calls.push([fraction, label]),
    });
    expect(a.comparison).toBeDefined();
    expect(calls.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < calls.length; i++) expect(calls[i]![0]).toBeGreaterThanOrEqual(calls[i - 1]![0]);
    for (const [f] of calls) expect(f).toBeGreaterThanOrEqual(0);
    expect(calls).toContainEqual([0.5, 'done, η = 0.1']);
    expect(calls[calls.length - 1]).toEqual([1, 'done, η = 0.05']);
  });
});
