/**
 * SGD figures for `npm run bench`:
 * - the abstract series with m symbolic, ξ_0 … ξ_3, both samplings (coloured trees with 5 colours);
 * - closed forms for 3 polynomial batch losses in 2 parameters, ξ_0 … ξ_2 (issue bar: ≤ 10 s);
 * - a data table of 2000 rows and 4 parameters (logistic regression, 20 batches of 100): the EoM_1
 *   field against the full-batch gradient, in the same process (issue bar: ≤ 50×).
 */
import { sgdPatternSeries } from '../src/derive/batchPatterns.js';
import { batchLossCounterTerms } from '../src/loss/counterTerms.js';
import { parseDataCsv } from '../src/loss/dataTable.js';
import { dataSgdProblem } from '../src/simulate/dataSgdProblem.js';
import { median } from './checkBench.js';

const BATCHES = ['(x-1)^2*y^2 + x^4/4', '(y+1)^2 + x*y', 'x^2*y - y'];
const LOGISTIC = 'log(1 + exp(-(2*y-1)*(w1*x1 + w2*x2 + w3*x3 + b)))';

/** 2000 rows of (x1, x2, x3, y) from a fixed linear congruential stream (the same data in every run). */
function logisticCsv(rows = 2000): string {
  let s = 12345;
  const next = () => ((s = (1103515245 * s + 12345) % 2 ** 31), s / 2 ** 31);
  const gauss = () => Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
  const lines = ['x1,x2,x3,y'];
  for (let r = 0; r < rows; r++) {
    const x = [gauss(), gauss(), gauss()];
    const y = 0.8 * x[0]! - 0.5 * x[1]! + 0.3 * x[2]! + 0.1 + 0.5 * gauss() > 0 ? 1 : 0;
    lines.push(`${x.map((v) => v.toFixed(6)).join(',')},${y}`);
  }
  return lines.join('\n');
}

function medianMs(f: () => void, reps: number, runs = 7): number {
  for (let i = 0; i < 3; i++) f();
  const ts: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f();
    ts.push((performance.now() - t0) / reps);
  }
  return median(ts);
}

export function sgdSection(): string[] {
  const abstract = (['shuffle', 'cyclic'] as const).map((s) => [s, medianMs(() => sgdPatternSeries(3, s), 1, 3)] as const);
  const closed = (['shuffle', 'cyclic'] as const).map((s) => [s, medianMs(() => batchLossCounterTerms(BATCHES, { order: 2, sampling: s }), 1, 3)] as const);
  const data = parseDataCsv(logisticCsv());
  const field = (['shuffle', 'cyclic'] as const).map((sampling) => {
    const p = dataSgdProblem({ loss: LOGISTIC, data, batchSize: 100, sampling, init: { w1: 0.1, w2: 0.2, w3: -0.1, b: 0 }, maxOrder: 1 });
    const f1 = p.fieldOfOrder(1);
    const g = medianMs(() => p.gradient(p.init), 100);
    const f = medianMs(() => f1(p.init, 0.01), 10);
    return { sampling, g, f };
  });
  return [
    '## SGD over mini-batches',
    '',
    '| case | figure |',
    '|---|---|',
    ...abstract.map(([s, ms]) => `| abstract series, m symbolic, ξ_0 … ξ_3, ${s} | ${ms.toFixed(0)} ms |`),
    ...closed.map(([s, ms]) => `| closed forms, 3 polynomial batches in 2 parameters, ξ_0 … ξ_2, ${s} | ${ms.toFixed(0)} ms |`),
    ...field.map((x) => `| 2000 rows, 4 parameters, 20 batches, ${x.sampling}: EoM_1 field / full-batch gradient | ${x.f.toFixed(2)} ms / ${x.g.toFixed(3)} ms = ${(x.f / x.g).toFixed(1)}× |`),
    '',
    'In-process medians. The data field averages the compiled derivative tensors of the per-example loss (orders 1–3) over each',
    "batch's rows and sums SGD's labelled terms over the batch labels (src/simulate/dataSgdProblem.ts); the gradient is the same",
    'pass over the rows with the first derivatives only.',
    '',
  ];
}
