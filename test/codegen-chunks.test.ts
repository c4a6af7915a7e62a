/**
 * Long sums are emitted as chunks in small inner functions (V8 leaves a function whose bytecode is
 * too large unoptimised). The chunked code must compute the same number as the normal form,
 * checked against the direct evaluator (loss/evaluate.ts), an independent route.
 */
import { describe, expect, test } from 'vitest';
import { CHUNK_CHARS, CodeBuilder } from '../src/compile/codegen.js';
import { compileScalar } from '../src/compile/compile.js';
import { Loss } from '../src/loss/loss.js';
import { evaluatePoly } from '../src/loss/evaluate.js';

describe('chunked sums', () => {
  // (1 + x + y + z + sigmoid(x·y))^9 expands to thousands of terms: far beyond one chunk.
  const loss = Loss.parse('(1 + x + y + z + sigmoid(x*y))^12');
  const ctx = { table: loss.table, varIds: loss.varIds, constants: {} };

  test('a sum longer than a chunk is split into functions outside the per-call body, called with the locals they read', () => {
    const b = new CodeBuilder(ctx);
    const code = b.expr(loss.expr);
    expect(loss.expr.size).toBeGreaterThan(1000);
    const calls = code.split(' + ');
    expect(calls.length).toBeGreaterThan(1);
    for (const c of calls) expect(c).toMatch(/^chunk\d+\([\w, ]*\)$/);
    // Each chunk is a parenthesised function in the prelude (compiled once, at instantiation).
    const hoisted = b.prelude.split('\n').filter((l) => l.startsWith('const chunk'));
    expect(hoisted).toHaveLength(calls.length);
    for (const h of hoisted) {
      expect(h).toMatch(/^const chunk\d+ = \(function \(/);
      expect(h.length).toBeLessThan(CHUNK_CHARS + 2000);
    }
    // Arguments are exactly the body's locals a chunk reads: here the parameters and atoms it uses.
    expect(calls[0]).toContain('v0');
    expect(b.lines.join('\n')).not.toContain('chunk');
  });

  test('the chunked function computes the normal form', () => {
    const f = compileScalar(ctx, loss.expr);
    for (const [x, y, z] of [
      [0.1, -0.2, 0.3],
      [-0.7, 0.4, 0.05],
      [0.25, 0.5, -0.45],
    ] as const) {
      const direct = evaluatePoly(loss.expr, loss.table, { x, y, z });
      // Exact value: (1 + x + y + z + σ(xy))^12, computed without the normal form at all.
      const closed = (1 + x + y + z + 1 / (1 + Math.exp(-x * y))) ** 12;
      expect(f([x, y, z])).toBeCloseTo(closed, 9);
      expect(direct).toBeCloseTo(closed, 9);
    }
  });

  test('a short sum stays inline', () => {
    const b = new CodeBuilder(ctx);
    expect(b.expr(Loss.parse('x + 2*y').expr)).not.toContain('=>');
  });
});
