/**
 * The small inputs of src/derive: tableau files (tableauFile.ts), the stability test of a history
 * (stability.ts) and the memory estimate (limits.ts).
 *
 * Independent truths: polynomials built here from chosen roots (so where the roots lie is known
 * without the Schur–Cohn test), the rooted-tree counts of OEIS A000081, and each refusal's exact message.
 */
import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { Rational, rational } from '../src/series/fraction.js';
import { estimatedSolverBytes, heapLimitBytes, largestFeasibleOrder } from '../src/derive/limits.js';
import { parasiticPolynomial, parasiticRootsInside, rootsInsideUnitCircle } from '../src/derive/stability.js';
import { MAX_TABLEAU_STAGES, parseTableauJson } from '../src/derive/tableauFile.js';
import type { UpdateRule } from '../src/derive/updateRule.js';

const r = (n: number, d = 1) => rational(n, d);
const s = (xs: readonly Rational[]) => xs.map((x) => Rational.toString(x));

/** Π (ζ − root), lowest degree first. */
const fromRoots = (roots: readonly Rational[]): Rational[] =>
  roots.reduce<Rational[]>(
    (p, root) => [...p.map((c, k) => Rational.sub(k === 0 ? Rational.zero : p[k - 1]!, Rational.mul(root, c))), p[p.length - 1]!],
    [Rational.one],
  );

describe('stability: parasitic roots by Schur–Cohn', () => {
  it('ρ(ζ)/(ζ − 1) by hand', () => {
    // Heavy ball β = 1/2: ρ = ζ² − 3/2 ζ + 1/2 = (ζ − 1)(ζ − 1/2).
    expect(s(parasiticPolynomial([r(3, 2), r(-1, 2)]))).toEqual(['-1/2', '1']);
    // a = (1/2, 1/4, 1/4): ρ = ζ³ − ½ζ² − ¼ζ − ¼ = (ζ − 1)(ζ² + ½ζ + ¼).
    expect(s(parasiticPolynomial([r(1, 2), r(1, 4), r(1, 4)]))).toEqual(['1/4', '1/2', '1']);
    expect(s(parasiticPolynomial([r(1)]))).toEqual(['1']);
    expect(() => parasiticPolynomial([r(1), r(1, 2)])).toThrow(new RangeError('ρ(1) ≠ 0: the history coefficients do not add up to 1'));
  });

  it('decides polynomials with known roots', () => {
    const inside = [[r(1, 2)], [r(-1, 2)], [r(1, 2), r(-1, 3), r(1, 4)], [r(9, 10), r(-9, 10), r(1, 10), r(0)], [r(-7, 8), r(-7, 8)]];
    const outside = [[r(2)], [r(-1)], [r(1)], [r(3), r(1, 10)], [r(1, 2), r(1, 2), r(2)], [r(1, 10), r(1, 5), r(-3, 2)], [r(1, 3), r(-1)]];
    for (const roots of inside) expect(rootsInsideUnitCircle(fromRoots(roots)), `${s(roots)}`).toBe(true);
    for (const roots of outside) expect(rootsInsideUnitCircle(fromRoots(roots)), `${s(roots)}`).toBe(false);
    // ζ² + 1: roots ±i on the circle; a scaled polynomial and trailing zero coefficients change nothing.
    expect(rootsInsideUnitCircle([r(1), r(0), r(1)])).toBe(false);
    expect(rootsInsideUnitCircle([r(-3), r(6), r(0), r(0)])).toBe(true);
    expect(rootsInsideUnitCircle([r(-7), r(5)])).toBe(false);
    expect(rootsInsideUnitCircle([r(5)])).toBe(true);
    // ζ² + 3ζ − 1: roots (−3 ± √13)/2 ≈ 0.30 and −3.30; |q_0| = |q_2| already decides it.
    expect(rootsInsideUnitCircle([r(-1), r(3), r(1)])).toBe(false);
  });

  it('parasiticRootsInside: heavy ball a = (1+β, −β) is stable exactly for |β| < 1', () => {
    const hb = (b: Rational) => [Rational.add(Rational.one, b), Rational.neg(b)];
    expect([r(0), r(9, 10), r(-9, 10), r(99, 100)].map((b) => parasiticRootsInside(hb(b)))).toEqual([true, true, true, true]);
    expect([r(1), r(-1), r(2), r(-11, 10)].map((b) => parasiticRootsInside(hb(b)))).toEqual([false, false, false, false]);
  });
});

describe('limits: the memory estimate', () => {
  it('300 bytes per (tree × node) over the trees with ≤ K + 2 nodes', () => {
    // A000081: 1, 1, 2, 4, 9, 20, 48, 115, 286, 719, 1842, 4766, 12486, 32973 rooted trees with 1..14 nodes.
    const counts = [1, 1, 2, 4, 9, 20, 48, 115, 286, 719, 1842, 4766, 12486, 32973];
    const bytes = (K: number) => 300 * counts.slice(0, K + 2).reduce((acc, c, i) => acc + c * (i + 1), 0);
    expect([0, 1, 2, 12].map(estimatedSolverBytes)).toEqual([900, 2700, 7500, 213_781_200]);
    expect([3, 7, 11].map(estimatedSolverBytes)).toEqual([3, 7, 11].map(bytes));
  });

  it('largest order whose estimate fits in the given share of the heap', () => {
    // est(2) = 7500 = 0.75 · 10000 fits exactly; est(3) = 21000 does not.
    expect(largestFeasibleOrder(0.75, 10_000)).toBe(2);
    expect(largestFeasibleOrder(undefined, 10_000)).toBe(2);
    expect(largestFeasibleOrder(0.75, 9_999)).toBe(1);
    expect(largestFeasibleOrder(0.5, 10_000)).toBe(1);
    expect(largestFeasibleOrder(0.75, 1000)).toBe(0);
    expect(heapLimitBytes()).toBe(getHeapStatistics().heap_size_limit);
    expect(largestFeasibleOrder()).toBe(largestFeasibleOrder(0.75, getHeapStatistics().heap_size_limit));
  });
});

describe('tableau files', () => {
  const shape = (rule: UpdateRule) => ({ stages: rule.stages.map((st) => s(st.gradients)), weights: s(rule.weights) });
  const refuses = (text: string, error: Error, source?: string) => expect(() => parseTableauJson(text, source)).toThrow(error);

  it('reads integers, fractions and exact decimals; the name defaults to "tableau"', () => {
    // Ralston's second-order method: a₂₁ = 2/3, b = (1/4, 3/4).
    const ralston = parseTableauJson('{"name": "ralston", "a": [[0, 0], ["2/3", 0]], "b": ["0.25", " 3/4 "]}');
    expect(shape(ralston)).toEqual({ stages: [[], ['2/3']], weights: ['1/4', '3/4'] });
    expect([ralston.name, ralston.description]).toEqual(['ralston', 'explicit Runge–Kutta method "ralston" (2 stages)']);
    const plain = parseTableauJson('{"a": [[0, 0], [1, 0]], "b": [" -10.5 ", "11.5"]}');
    expect([plain.name, plain.description, shape(plain)]).toEqual(['tableau', 'explicit Runge–Kutta method "tableau" (2 stages)', { stages: [[], ['1']], weights: ['-21/2', '23/2'] }]);
    const name40 = `r${'x'.repeat(39)}`;
    expect(parseTableauJson(`{"name": "${name40}", "a": [[0]], "b": [1]}`).name).toBe(name40);
    expect(parseTableauJson('{"name": "a-b_1", "a": [[0]], "b": [1]}').name).toBe('a-b_1');
    const zeros = (n: number) => JSON.stringify(Array.from({ length: n }, () => Array.from({ length: n }, () => 0)));
    const b = (n: number) => JSON.stringify([1, ...Array.from({ length: n - 1 }, () => 0)]);
    expect(MAX_TABLEAU_STAGES).toBe(16);
    expect(parseTableauJson(`{"a": ${zeros(16)}, "b": ${b(16)}}`).stages.length).toBe(16);
    refuses(`{"a": ${zeros(17)}, "b": ${b(17)}}`, new RangeError('tableau: b must have 1 to 16 entries'));
  });

  it('refuses malformed files with the exact reason', () => {
    expect(() => parseTableauJson('{"a": ', 'file.json')).toThrow(/^file\.json: not valid JSON \(.+\)$/);
    expect(() => parseTableauJson('{"a": ')).toThrow(SyntaxError);
    for (const text of ['[1]', 'null', '3', '"a"']) refuses(text, new SyntaxError('tableau: expected an object {"a": [[…]], "b": […]}'));
    refuses('{"a": [[0]], "b": [1], "c": [0]}', new SyntaxError('file: unknown field "c" (fields: a, b, name)'), 'file');
    refuses('{"a": [[0]], "b": 1}', new SyntaxError('tableau: b must be an array'));
    refuses('{"a": [[0]]}', new SyntaxError('tableau: b must be an array'));
    refuses('{"a": [], "b": []}', new RangeError('tableau: b must have 1 to 16 entries'));
    refuses('{"a": {"0": [0]}, "b": [1]}', new SyntaxError('tableau: a must be an array of rows'));
    refuses('{"a": [[0, 0], 1], "b": ["1/2", "1/2"]}', new SyntaxError('tableau: a[1] must be an array'));
    refuses('{"a": [[0]], "b": [0.5]}', new SyntaxError('tableau: b[0]: 0.5 is not exact; write it as a string "p/q"'));
    refuses('{"a": [[0]], "b": [9007199254740993]}', new SyntaxError('tableau: b[0]: 9007199254740992 is not exact; write it as a string "p/q"'));
    refuses('{"a": [[true]], "b": [1]}', new SyntaxError('tableau: a[0][0] must be a number or a string "p/q"'));
    refuses('{"a": [[null]], "b": [1]}', new SyntaxError('tableau: a[0][0] must be a number or a string "p/q"'));
    refuses('{"a": [[0]], "b": ["x"]}', new SyntaxError('tableau: b[0]: "x" is not an exact number'));
    refuses('{"a": [[0]], "b": ["1.5.2"]}', new SyntaxError('tableau: b[0]: "1.5.2" is not an exact number'));
    refuses('{"a": [[0]], "b": ["x0.5"]}', new SyntaxError('tableau: b[0]: "x0.5" is not an exact number'));
    refuses('{"a": [[0]], "b": ["0.5x"]}', new SyntaxError('tableau: b[0]: "0.5x" is not an exact number'));
    for (const name of ['1x', '', `r${'x'.repeat(40)}`, 'a b', 5, null]) {
      refuses(`{"name": ${JSON.stringify(name)}, "a": [[0]], "b": [1]}`, new SyntaxError('tableau: name must be a short identifier (letters, digits, - and _)'));
    }
    refuses('{"a": [[1]], "b": [1]}', new RangeError('tableau: a[0][0] must be 0 for an explicit method'));
  });
});
