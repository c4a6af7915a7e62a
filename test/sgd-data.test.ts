/**
 * SGD on a per-example loss over a data table (src/simulate/dataSgdProblem.ts: compiled derivative
 * tensors averaged over each batch's rows, the pattern series summed over labels) against the
 * closed forms of the same batches written out as expressions (batchLossCounterTerms, coloured
 * trees with one colour per batch, itself held to the exact epoch-map oracle in
 * test/sgd-series.test.ts), and against simulated epochs.
 */
import { describe, expect, it } from 'vitest';
import { batchLossCounterTerms, sgdLossCounterTerms } from '../src/loss/counterTerms.js';
import { dataBatchLosses, MAX_CLOSED_FORM_ROWS } from '../src/loss/dataBatches.js';
import { parseDataCsv } from '../src/loss/dataTable.js';
import { evaluatePoly } from '../src/loss/evaluate.js';
import { dataSgdProblem } from '../src/simulate/dataSgdProblem.js';
import { validateSgdEpoch } from '../src/simulate/sgdValidate.js';

const LOSS = '(w1*x + w2*x^2 - y)^2/2 + w1^2*w2*x/4';
const ROWS = [
  [0.5, 1],
  [-1, 0.25],
  [1.5, -0.5],
  [2, 1],
  [-0.5, -1],
  [1, 2],
];
const CSV = `x,y\n${ROWS.map((r) => r.join(',')).join('\n')}\n`;

/** L_k = mean of ℓ over the rows of batch k, written out (test-only string building). */
function batchExpressions(b: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < ROWS.length / b; k++) {
    const rows = ROWS.slice(k * b, (k + 1) * b).map(([x, y]) => `(${LOSS.replace(/\bx\b/g, `(${x})`).replace(/\by\b/g, `(${y})`)})`);
    out.push(`(${rows.join(' + ')})/${b}`);
  }
  return out;
}

describe('--data: batches from a data table', () => {
  for (const sampling of ['shuffle', 'cyclic'] as const) {
    for (const b of [1, 2, 3]) {
      it(`${sampling}, batch size ${b}: ξ_0, ξ_1, ξ_2 equal the closed forms of the written-out batches`, () => {
        const p = dataSgdProblem({ loss: LOSS, data: parseDataCsv(CSV), batchSize: b, sampling, init: { w1: 0.3, w2: -0.7 }, maxOrder: 2 });
        expect(p.batchCount).toBe(6 / b);
        const K = b === 1 ? 1 : 2; // 6 batches: closed forms to ξ_1 keep the test quick
        const r = batchLossCounterTerms(batchExpressions(b), { order: K, sampling, vars: ['w1', 'w2'] });
        for (const point of [
          { w1: 0.3, w2: -0.7 },
          { w1: -1.1, w2: 0.4 },
        ]) {
          const th = Float64Array.from([point.w1, point.w2]);
          for (let k = 0; k <= K; k++) {
            const got = Array.from(p.xi[k]!(th));
            const want = r.xi[k]!.map((c) => evaluatePoly(c, r.loss.table, point));
            got.forEach((x, i) => expect(Math.abs(x - want[i]!), `ξ_${k}[${i}] at ${JSON.stringify(point)}`).toBeLessThan(1e-11 * (1 + Math.abs(want[i]!))));
          }
          const g = Array.from(p.gradient(th));
          r.loss.gradient().forEach((c, i) => expect(g[i]).toBeCloseTo(evaluatePoly(c, r.loss.table, point), 12));
        }
      });
    }
  }

  it('weight decay λ/2‖θ‖² on every example equals --weight-decay on every batch', () => {
    const p = dataSgdProblem({ loss: LOSS, data: parseDataCsv(CSV), batchSize: 2, sampling: 'shuffle', init: { w1: 0.3, w2: -0.7 }, maxOrder: 1, weightDecay: 0.1 });
    const r = batchLossCounterTerms(batchExpressions(2), { order: 1, sampling: 'shuffle', vars: ['w1', 'w2'], weightDecay: '0.1' });
    const point = { w1: 0.3, w2: -0.7 };
    for (let k = 0; k <= 1; k++) {
      const got = Array.from(p.xi[k]!(Float64Array.from([0.3, -0.7])));
      r.xi[k]!.forEach((c, i) => expect(got[i]).toBeCloseTo(evaluatePoly(c, r.loss.table, point), 11));
    }
  });

  it('one epoch follows EoM_0 and EoM_1 with local slopes 3 and 4', () => {
    const p = dataSgdProblem({ loss: LOSS, data: parseDataCsv(CSV), batchSize: 2, sampling: 'shuffle', init: { w1: 0.3, w2: -0.7 }, maxOrder: 2 });
    for (const j of [0, 1]) {
      const v = validateSgdEpoch({ gradients: p.gradients, theta0: p.init, sampling: 'shuffle' }, p.fieldOfOrder(j), j, { lrs: [0.02, 0.01, 0.005, 0.0025], nextXi: p.xi[j + 1] });
      expect(v.passed).toBe(true);
      expect(Math.abs(v.localSlope - (j + 3))).toBeLessThan(0.1);
    }
  });

  for (const sampling of ['shuffle', 'cyclic'] as const) {
    it(`${sampling}: closed forms from the table equal those of the written-out batches, exactly`, () => {
      const { mean, losses } = dataBatchLosses(LOSS, parseDataCsv(CSV), 2);
      const fromData = sgdLossCounterTerms(mean, losses, { order: 2, sampling });
      const written = batchLossCounterTerms(batchExpressions(2), { order: 2, sampling, vars: ['w1', 'w2'] });
      fromData.xi.forEach((xik, k) => xik.forEach((c, i) => expect(c.sub(written.xi[k]![i]!).isZero(), `ξ_${k}[${i}]`).toBe(true)));
      expect(mean.expr.sub(written.loss.expr).isZero()).toBe(true);
    });
  }

  it('a row whose loss is constant in θ is an example like any other; large tables are refused for closed forms', () => {
    // x = 0 makes ℓ = y²/2, constant in (w1, w2): its batch still counts it in the mean.
    const { losses } = dataBatchLosses('(w1*x + w2*x^2 - y)^2/2', parseDataCsv('x,y\n0,1\n1,1\n'), 2);
    expect(losses).toHaveLength(1);
    const big = `x,y\n${Array.from({ length: MAX_CLOSED_FORM_ROWS + 1 }, (_, r) => `${r},1`).join('\n')}\n`;
    expect(() => dataBatchLosses(LOSS, parseDataCsv(big), 1)).toThrow(/at most 64 rows/);
  });

  it('refuses a remainder, unknown names and bad files, with the reason', () => {
    const data = parseDataCsv(CSV);
    expect(() => dataSgdProblem({ loss: LOSS, data, batchSize: 4, sampling: 'shuffle', init: { w1: 0, w2: 0 }, maxOrder: 1 })).toThrow(/does not divide the 6 rows: 2 would be left over/);
    expect(() => dataSgdProblem({ loss: `${LOSS} + z`, data, batchSize: 2, sampling: 'shuffle', init: { w1: 0, w2: 0, z: 0 }, maxOrder: 1, vars: ['w1', 'w2'] })).toThrow(/"z" is neither a parameter/);
    expect(() => dataSgdProblem({ loss: LOSS, data, batchSize: 2, sampling: 'shuffle', init: { w1: 0, w2: 0 }, maxOrder: 1, vars: ['w1', 'x'] })).toThrow(/"x" is a column of the data file/);
    expect(() => parseDataCsv('x,y\n1,2\n3\n')).toThrow(/row 2 has 1 values, the header 2/);
    expect(() => parseDataCsv('x,1y\n1,2\n')).toThrow(/column 2 of the header is "1y"/);
    expect(() => parseDataCsv('x,y\n1,abc\n')).toThrow(/"abc" is not a number/);
    expect(() => parseDataCsv('x,y\n1,1e999\n')).toThrow(/not finite/);
    expect(() => parseDataCsv('x,x\n1,2\n')).toThrow(/"x" appears twice/);
    expect(() => parseDataCsv('')).toThrow(/empty/);
  });
});
