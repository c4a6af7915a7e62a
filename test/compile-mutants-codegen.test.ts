/**
 * CodeBuilder (src/compile/codegen.ts) at the edges its docstrings state: a sum of at most
 * CHUNK_CHARS characters is emitted inline and a longer one is split, packing terms into a chunk
 * while it stays within CHUNK_CHARS; a chunk takes as arguments exactly the locals it reads (not,
 * say, the `e` of a literal 1e-30); the prelude holds only the helpers the code calls. Lengths are
 * counted by hand from the documented names: parameter x is v0 and its power x^i is v0_i.
 */
import { describe, expect, it } from 'vitest';
import { CHUNK_CHARS, CodeBuilder, instantiate } from '../src/compile/codegen.js';
import { Loss } from '../src/loss/loss.js';
import { Poly } from '../src/algebra/poly.js';
import { rational } from '../src/series/fraction.js';

/** Length of the code of x^i: v0, v0_2, v0_3, … */
const nameLength = (i: number) => (i === 1 ? 2 : 3 + String(i).length);

/** n and a k-digit constant K with K + x + x² + … + x^n exactly CHUNK_CHARS characters long. */
function exactSum(): { n: number; k: number } {
  // Joined with ' + ': k + Σ_{i ≤ n} (3 + |x^i|) characters.
  let n = 0;
  let length = 1;
  while (length + 3 + nameLength(n + 1) <= CHUNK_CHARS) length += 3 + nameLength(++n);
  return { n, k: 1 + CHUNK_CHARS - length };
}

describe('chunking at the documented boundary', () => {
  it('a sum of exactly CHUNK_CHARS characters stays inline', () => {
    const loss = Loss.parse('x');
    const x = loss.varIds[0]!;
    const { n, k } = exactSum();
    expect(k).toBeGreaterThanOrEqual(1);
    expect(k).toBeLessThanOrEqual(15);
    const K = Number('9'.repeat(k));
    const p = Poly.sum([Poly.constant(rational(BigInt(K))), ...Array.from({ length: n }, (_, i) => Poly.atom(x, i + 1))]);
    const b = new CodeBuilder({ table: loss.table, varIds: loss.varIds, constants: {} });
    const code = b.expr(p);
    expect(code).toHaveLength(CHUNK_CHARS);
    expect(code).not.toContain('chunk');
    // K + Σ_{i=1}^n 2^{−i} = K + 1 − 2^{−n}.
    expect(instantiate<(th: number[]) => number>(b, '', `return ${code};`)([0.5])).toBeCloseTo(K + 1 - 2 ** -n, 5);
  });

  it('one term more is split greedily: the first chunk is exactly CHUNK_CHARS characters, the literal 1e-30 is no argument', () => {
    const loss = Loss.parse('x');
    const x = loss.varIds[0]!;
    const { n, k } = exactSum();
    const K = Number('9'.repeat(k));
    const tail = Poly.atom(x, n + 1).scale(rational(1n, 10n ** 30n)); // 1e-30 · x^{n+1}
    const p = Poly.sum([Poly.constant(rational(BigInt(K))), ...Array.from({ length: n }, (_, i) => Poly.atom(x, i + 1)), tail]);
    const b = new CodeBuilder({ table: loss.table, varIds: loss.varIds, constants: {} });
    const code = b.expr(p);
    const hoisted = b.prelude.split('\n');
    expect(hoisted).toHaveLength(2);
    const bodies = hoisted.map((h) => /^const chunk\d+ = \(function \(([\w, ]*)\) \{ return (.*); \}\);$/.exec(h)!);
    expect(bodies[0]![2]).toHaveLength(CHUNK_CHARS);
    // 10^−30 prints with an exponent (9.999999999999999e-31): its `e` is no local.
    expect(bodies[1]![2]).toMatch(new RegExp(`^[\\d.]+e-3[01] \\* v0_${n + 1}$`));
    expect(bodies[1]![1]).toBe(`v0_${n + 1}`);
    expect(code).toBe(`chunk0(${bodies[0]![1]}) + chunk1(v0_${n + 1})`);
    expect(instantiate<(th: number[]) => number>(b, '', `return ${code};`)([0.5])).toBeCloseTo(K + 1 - 2 ** -n, 5);
  });
});

describe('the prelude', () => {
  it('holds only the helpers the code calls (none for exp, one line for softplus)', () => {
    const loss = Loss.parse('exp(x) + softplus(x)');
    const b = new CodeBuilder({ table: loss.table, varIds: loss.varIds, constants: {} });
    b.expr(Loss.parse('exp(x)', { table: loss.table, vars: loss.vars }).expr);
    expect(b.prelude).toBe('');
    const code = b.expr(loss.expr);
    expect(b.prelude.split('\n')).toHaveLength(1);
    expect(b.prelude).toMatch(/^function softplus\(t\) \{/);
    // e^0.5 + log(1 + e^0.5)
    expect(instantiate<(th: number[]) => number>(b, '', `return ${code};`)([0.5])).toBeCloseTo(Math.exp(0.5) + Math.log(1 + Math.exp(0.5)), 14);
  });
});

describe('square and cube roots use Math.sqrt and Math.cbrt', () => {
  const scalar = (source: string) => {
    const loss = Loss.parse(source);
    const b = new CodeBuilder({ table: loss.table, varIds: loss.varIds, constants: {} });
    return instantiate<(th: number[]) => number>(b, '', `return ${b.expr(loss.expr)};`);
  };

  it('an even root of −∞ is NaN like that of any negative number (Math.pow(−∞, 1/2) would be +∞)', () => {
    expect(scalar('sqrt(x)')([-Infinity])).toBeNaN();
    expect(scalar('sqrt(x)')([Infinity])).toBe(Infinity);
  });

  it('cube roots of perfect cubes are exact: ∛64 = 4, ∛(−64) = −4 (Math.pow(64, 1/3) is 3.9999999999999996)', () => {
    expect(scalar('x^(1/3)')([64])).toBe(4);
    expect(scalar('x^(1/3)')([-64])).toBe(-4);
    expect(scalar('x^(1/3)')([1000])).toBe(10);
  });
});
