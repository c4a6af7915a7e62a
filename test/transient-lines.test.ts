/**
 * The text lines of a transient from rest (report/simulationTables.ts transientLines): a fitted rate
 * is printed with four decimals; with too few steps to fit one (rate NaN), the lines say so instead of
 * printing "?^n" or "NaN^n".
 */
import { describe, expect, it } from 'vitest';
import { transientLines } from '../src/report/simulationTables.js';
import type { Transient } from '../src/simulate/transient.js';

const base: Transient = { lr: 0.01, size: [0, 9.1e-4, 8.2e-4], offManifold: [1e-3, 9e-4, 8.1e-4], rate: 0.9, floor: 1e-15, settled: 40, reached: true };

describe('transientLines', () => {
  it('a fitted rate', () => {
    expect(transientLines(base)[1]).toBe('  distance from the slow manifold decays like 0.9000^n (fitted), on the manifold (distance ≤ noise floor 1.000e-15) from step 40');
  });

  it('too few steps to fit one: said in words, no ?^n or NaN', () => {
    const line = transientLines({ ...base, rate: Number.NaN, settled: 2, reached: false })[1]!;
    expect(line).toBe('  distance from the slow manifold: too few steps to measure the relaxation rate; still above the noise floor 1.000e-15 after 2 steps');
    expect(line).not.toMatch(/\?\^n|NaN/);
  });
});
