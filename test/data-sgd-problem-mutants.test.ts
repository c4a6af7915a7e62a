/**
 * src/simulate/dataSgdProblem.ts against hand-computed values (issue 16's mutation targets), beside
 * test/sgd-data.test.ts (ξ_k against the closed forms of the written-out batches). Here, on
 * ℓ = (w1·x − y)²/2 + w2²·x/2 over x = 1, 2, 3, 4 (y = 0, 1, 1, 2) in batches of 2:
 * ∇ℓ = (x(w1·x − y), w2·x), H = diag(x², x), so batch 1 has H = diag(5/2, 3/2), batch 2 diag(25/2, 7/2);
 * the limits, the refusals and the field −g − η ξ_0 − η² ξ_1 with its output buffers.
 * Every object is built inside its `it` (Stryker activates mutants per test).
 */
import { describe, expect, it } from 'vitest';
import { parseDataCsv } from '../src/loss/dataTable.js';
import { dataSgdProblem, MAX_DATA_ORDER, MAX_DATA_PARAMETERS } from '../src/simulate/dataSgdProblem.js';
import { sgdProblem } from '../src/simulate/sgdProblem.js';

const LOSS = '(w1*x - y)^2/2 + w2^2*x/2';
const CSV = 'x,y\n1,0\n2,1\n3,1\n4,2\n';
const problem = (extra: { weightDecay?: number; maxOrder?: number; sampling?: 'cyclic' | 'shuffle' } = {}) =>
  dataSgdProblem({ loss: LOSS, data: parseDataCsv(CSV), batchSize: 2, sampling: extra.sampling ?? 'shuffle', init: { w1: 0.5, w2: -1 }, maxOrder: extra.maxOrder ?? 1, weightDecay: extra.weightDecay });
const arr = (a: ArrayLike<number>) => Array.from(a);

describe('dataSgdProblem', () => {
  it('orders 0 … 2 only', () => {
    expect(MAX_DATA_ORDER).toBe(2);
    for (const maxOrder of [-1, 1.5, 3]) expect(() => problem({ maxOrder })).toThrow(new RangeError(`with --data the order is at most 2, got ${maxOrder}`));
    expect(problem({ maxOrder: 0 }).xi).toHaveLength(1);
    expect(problem({ maxOrder: 2 }).xi).toHaveLength(3);
  });

  it('at most 16 parameters', () => {
    expect(MAX_DATA_PARAMETERS).toBe(16);
    const names = (k: number) => Array.from({ length: k }, (_, i) => `w${i}`);
    const spec = (k: number) => ({
      loss: `${names(k).join(' + ')} + x`,
      data: parseDataCsv('x\n1\n'),
      batchSize: 1,
      sampling: 'cyclic' as const,
      init: Object.fromEntries(names(k).map((n) => [n, 0])),
      maxOrder: 0,
    });
    expect(() => dataSgdProblem(spec(17))).toThrow('at most 16 parameters with --data, got 17');
    expect(dataSgdProblem(spec(16)).vars).toHaveLength(16);
  });

  it('substitutes the constants\' values', () => {
    const base = { data: parseDataCsv(CSV), batchSize: 2, sampling: 'cyclic' as const, init: { w: 0 }, maxOrder: 0, vars: ['w'] };
    const p = dataSgdProblem({ ...base, loss: 'a*(w*x - y)^2', values: { a: '1/2' } });
    // g = mean of x(w x − y) = −(0 + 2 + 3 + 8)/4 at w = 0.
    expect(arr(p.gradient([0]))).toEqual([-13 / 4]);
  });

  it('the batch gradients (weight decay on each), their mean, the start and the description', () => {
    const p = problem();
    expect(p.vars).toEqual(['w1', 'w2']);
    expect(arr(p.init)).toEqual([0.5, -1]);
    expect([p.batchCount, p.sampling, p.describe]).toEqual([2, 'shuffle', '4 rows in 2 batches of 2']);
    expect(problem({ sampling: 'cyclic' }).sampling).toBe('cyclic');
    // At (1/2, −1): x(w1 x − y) = 1/2, 0, 3/2, 0 and w2 x = −1, −2, −3, −4.
    expect(arr(p.gradients[0]!([0.5, -1]))).toEqual([0.25, -1.5]);
    expect(arr(p.gradients[1]!([0.5, -1]))).toEqual([0.75, -3.5]);
    expect(arr(p.gradient([0.5, -1]))).toEqual([0.5, -2.5]);
    const out = new Float64Array([7, 7]);
    expect(p.gradient([0.5, -1], out)).toBe(out);
    expect(arr(out)).toEqual([0.5, -2.5]);
    const d = problem({ weightDecay: 0.5 });
    expect(arr(d.gradients[0]!([0.5, -1]))).toEqual([0.5, -2]);
    expect(arr(d.gradient([0.5, -1]))).toEqual([0.75, -3]);
  });

  it('curvature: the largest |λ| of the batch Hessians at θ0, weight decay included', () => {
    expect(problem().curvature).toBeCloseTo(12.5, 12);
    expect(problem({ weightDecay: 0.5 }).curvature).toBeCloseTo(13, 12);
  });

  it('the field: −g at order −1, −g − η ξ_0 − η² ξ_1 at order 1, into a buffer when given', () => {
    const p = problem({ maxOrder: 1 });
    const th = [0.5, -1];
    const g = [0.5, -2.5];
    const x0 = arr(p.xi[0]!(th));
    const x1 = arr(p.xi[1]!(th));
    expect(arr(p.fieldOfOrder(-1)(th, 0.1))).toEqual(g.map((v) => -v));
    const eta = 0.1;
    const f0 = arr(p.fieldOfOrder(0)(th, eta));
    f0.forEach((v, i) => expect(v).toBeCloseTo(-g[i]! - eta * x0[i]!, 14));
    const buf = new Float64Array(2);
    const f1 = p.fieldOfOrder(1)(th, eta, buf);
    expect(f1).toBe(buf);
    arr(f1).forEach((v, i) => expect(v).toBeCloseTo(-g[i]! - eta * x0[i]! - eta * eta * x1[i]!, 14));
    const xb = new Float64Array(2);
    expect(p.xi[1]!(th, xb)).toBe(xb);
    expect(arr(xb)).toEqual(x1);
    for (const j of [-2, 2, 0.5]) expect(() => p.fieldOfOrder(j)).toThrow(new RangeError(`order must be between -1 and 1, got ${j}`));
  });

  it('one batch of every row is GD: ξ_0 = ½ H g', () => {
    const p = dataSgdProblem({ loss: LOSS, data: parseDataCsv(CSV), batchSize: 4, sampling: 'shuffle', init: { w1: 0.5, w2: -1 }, maxOrder: 0 });
    // H = diag(30/4, 10/4), g = (1/2, −5/2): ½ H g = (15/8, −25/8).
    const x = arr(p.xi[0]!([0.5, -1]));
    expect(x[0]).toBeCloseTo(15 / 8, 13);
    expect(x[1]).toBeCloseTo(-25 / 8, 13);
  });

  it('refuses a start where a batch gradient is not finite, naming the batch', () => {
    // d/dw sqrt(w·x) = x/(2 sqrt(w·x)) is infinite at w = 0 (every row); d/dw sqrt(w − x) at w = x = 2 (row 2 only).
    const data = parseDataCsv('x\n1\n2\n');
    expect(() => dataSgdProblem({ loss: 'sqrt(w*x)', data, batchSize: 1, sampling: 'cyclic', init: { w: 0 }, maxOrder: 0 })).toThrow(
      '--init: the gradient of batch 1 is not finite at the starting point',
    );
    expect(() => dataSgdProblem({ loss: 'sqrt(w - x)', data, batchSize: 1, sampling: 'cyclic', init: { w: 2 }, maxOrder: 0 })).toThrow(
      '--init: the gradient of batch 2 is not finite at the starting point',
    );
    // One component infinite, the other finite (∂/∂w2 of w2² is 2): still refused.
    expect(() => dataSgdProblem({ loss: 'sqrt(w1*x) + w2^2', data, batchSize: 1, sampling: 'cyclic', init: { w1: 0, w2: 1 }, maxOrder: 0 })).toThrow(
      '--init: the gradient of batch 1 is not finite at the starting point',
    );
  });

  // ℓ with non-zero derivatives of every order ≤ 4 in (w1, w2), so every dense tensor is read.
  const RICH = '(w1*x + w2*x^2 - y)^2/2 + w1^2*w2*x/4 + w1^2*w2^2*x^2/8';
  const RICH_ROWS = [
    [0.5, 1],
    [-1, 0.25],
    [1.5, -0.5],
    [2, 1],
  ];
  /** L_k written out as an expression (the mean of ℓ over the rows of batch k). */
  const written = (rows: number[][], b: number) =>
    Array.from({ length: rows.length / b }, (_, k) =>
      `(${rows
        .slice(k * b, (k + 1) * b)
        .map(([x, y]) => `(${RICH.replace(/\bx\b/g, `(${x})`).replace(/\by\b/g, `(${y})`)})`)
        .join(' + ')})/${b}`,
    );

  it.each([
    ['shuffle', 2],
    ['cyclic', 2],
    ['shuffle', 1],
    ['cyclic', 1],
  ] as const)('%s, batch size %i: ξ_0 … ξ_2 and the field equal those compiled from the written-out batches (coloured trees)', (sampling, b) => {
    const rows = b === 1 ? RICH_ROWS.slice(0, 3) : RICH_ROWS;
    const csv = `x,y\n${rows.map((r) => r.join(',')).join('\n')}\n`;
    const p = dataSgdProblem({ loss: RICH, data: parseDataCsv(csv), batchSize: b, sampling, init: { w1: 0.3, w2: -0.7 }, maxOrder: 2, weightDecay: 0.25 });
    const q = sgdProblem({ batches: written(rows, b), sampling, init: { w1: 0.3, w2: -0.7 }, maxOrder: 2, vars: ['w1', 'w2'], weightDecay: '1/4' });
    expect(p.batchCount).toBe(q.batchCount);
    expect(p.curvature).toBeCloseTo(q.curvature, 10);
    for (const th of [
      [0.3, -0.7],
      [-1.1, 0.4],
    ]) {
      const close = (got: ArrayLike<number>, want: ArrayLike<number>) =>
        Array.from(got).forEach((x, i) => expect(Math.abs(x - want[i]!)).toBeLessThan(1e-11 * (1 + Math.abs(want[i]!))));
      for (let k = 0; k <= 2; k++) close(p.xi[k]!(th), q.xi[k]!(th));
      for (let k = 0; k < q.batchCount; k++) close(p.gradients[k]!(th), q.gradients[k]!(th));
      for (let j = -1; j <= 2; j++) close(p.fieldOfOrder(j)(th, 0.1), q.fieldOfOrder(j)(th, 0.1));
    }
  });
});
