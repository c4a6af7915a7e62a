/**
 * SGD's closed forms as a straight-line program (src/loss/sharedForms.ts with batch losses): each
 * node of colour c reads the derivative entries of L_c, named per batch. Oracles:
 * - the expanded route (concrete.ts, ElementaryDifferentials over the same coloured trees, which
 *   shares no code with the program): substituting every reference back gives exactly its normal
 *   forms, for shuffle and cyclic sampling, trees with repeated children included (ξ_2: D²g_k[g_j, g_l]);
 * - ξ_0 of shuffle SGD written out by hand from Smith et al. (ICLR 2021), (1/(2m)) Σ_k H_k g_k, through
 *   the program's `where` JSON;
 * - mathjs evaluating the `where` JSON (definitions in order) against the expanded closed form;
 * - the CLI past the expansion budget, and the SGD report's closed forms (KaTeX renders every row).
 */
import { evaluate } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { CounterTermSolver } from '../src/derive/solver.js';
import { sgdRule } from '../src/derive/sgd.js';
import { concreteCounterTerms } from '../src/loss/concrete.js';
import { batchLossCounterTerms, parseBatchLosses, sgdLossCounterTerms } from '../src/loss/counterTerms.js';
import { dataBatchLosses } from '../src/loss/dataBatches.js';
import { parseDataCsv } from '../src/loss/dataTable.js';
import { sharedCounterTerms } from '../src/loss/sharedForms.js';
import { lossCounterTermsJson } from '../src/index.js';
import { checkedLatex } from '../src/notation/katexCheck.js';
import { closedFormLatex, namedLatex } from '../src/report/reportData.js';
import { eomInProcess } from './helpers/cli.js';
import { prng } from './helpers/lossOracles.js';
import { expandRefs } from './helpers/sharedForms.js';

const CASES = [
  { batches: ['(x-1)^2*y^2 + x^4/4', '(y+1)^2 + x*y', 'x^2*y - y'], sampling: 'shuffle', order: 2 },
  { batches: ['tanh(x*y) + x^2', 'exp(-x)*y^2'], sampling: 'cyclic', order: 2 },
  { batches: ['x^3*y + y^4', 'sin(x) + (x - y)^2'], sampling: 'shuffle', order: 3 },
] as const;

describe('shared SGD closed forms against the expanded ones', () => {
  for (const c of CASES) {
    it(`${c.batches.join('; ')} (${c.sampling}), ξ_0 … ξ_${c.order}`, () => {
      const { mean, losses } = parseBatchLosses(c.batches);
      const series = new CounterTermSolver(sgdRule(losses.length, c.sampling)).solveThrough(c.order);
      const expanded = concreteCounterTerms(mean, series, undefined, losses);
      const shared = sharedCounterTerms(mean, series, losses);
      expect(shared.refs.size).toBeGreaterThan(0);
      shared.xi.forEach((xk, k) => xk.forEach((p, i) => expect(expandRefs(p, shared.refs).equals(expanded[k]![i]!), `ξ_${k},${mean.vars[i]}`).toBe(true)));
    });
  }

  it('reads each batch\'s own derivatives: ξ_0 of shuffle SGD on x^2 and x^4 is (1/4)(2·2x + 12x²·4x³) by hand', () => {
    // ξ_0 = (1/(2m)) Σ_k H_k g_k (Smith, Dherin, Barrett & De, ICLR 2021), m = 2: H_1 g_1 = 2·2x, H_2 g_2 = 12x²·4x³.
    const program = batchLossCounterTerms(['x^2', 'x^4'], { order: 0, expansionBudget: 0 });
    expect(program.refs?.size).toBeGreaterThan(0);
    const json = lossCounterTermsJson(program);
    for (const x of [-0.7, 0.3, 1.1]) {
      const scope: Record<string, number> = { x };
      for (const [name, d] of Object.entries(json.where!)) scope[name] = evaluate(d, { ...scope }) as number;
      expect(evaluate(json.xi[0]!.components['x']!, scope) as number).toBeCloseTo((2 * 2 * x + 12 * x ** 2 * 4 * x ** 3) / 4, 12);
    }
  });
});

describe('batchLossCounterTerms beyond its expansion budget', () => {
  const batches = ['tanh(x*y) + x^2', 'exp(-x)*y^2', '(x - y)^3'];
  const full = batchLossCounterTerms(batches, { order: 2 });
  const program = batchLossCounterTerms(batches, { order: 2, expansionBudget: 0 });

  it('is expanded within the budget and a program beyond it', () => {
    expect(full.refs).toBeUndefined();
    expect(program.refs?.size).toBeGreaterThan(0);
    expect(program.batches?.losses).toHaveLength(3);
  });

  it('prints JSON whose where form evaluates to the expanded closed form', () => {
    const named = lossCounterTermsJson(program);
    const reference = lossCounterTermsJson(full, { inline: true });
    expect(Object.keys(named.where ?? {}).length).toBeGreaterThan(0);
    const rand = prng(5);
    for (let t = 0; t < 3; t++) {
      const point: Record<string, number> = { x: 1.4 * rand() - 0.7, y: 1.4 * rand() - 0.7 };
      const scope: Record<string, number> = { ...point };
      for (const [name, d] of Object.entries(named.where!)) scope[name] = evaluate(d, { ...scope }) as number;
      named.xi.forEach((x, k) =>
        ['x', 'y'].forEach((v) => {
          const want = evaluate(reference.xi[k]!.components[v]!, { ...point }) as number;
          expect(Math.abs((evaluate(x.components[v]!, { ...scope }) as number) - want), `ξ_${k},${v}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
        }),
      );
    }
  });
});

describe('batches from a data table (derive --loss … --data) beyond the budget', () => {
  it('the program of each row-mean batch expands back to the expanded closed forms', () => {
    const data = parseDataCsv('x1,y1\n1,2\n-1,0.5\n2,-1\n0.5,1', 'rows.csv');
    const { mean, losses } = dataBatchLosses('log(1 + exp(-(w*x1 + c)*y1)) + w^2/10', data, 2);
    const full = sgdLossCounterTerms(mean, losses, { order: 2 });
    const program = sgdLossCounterTerms(mean, losses, { order: 2, expansionBudget: 0 });
    expect(full.refs).toBeUndefined();
    expect(program.refs?.size).toBeGreaterThan(0);
    program.xi.forEach((xk, k) => xk.forEach((p, i) => expect(expandRefs(p, program.refs!).equals(full.xi[k]![i]!), `ξ_${k},${mean.vars[i]}`).toBe(true)));
  });

  it('reports each order once, also when the budget runs out part way', () => {
    const { mean, losses } = parseBatchLosses(['tanh(x*y) + x^2', 'exp(-x)*y^2']);
    // 2,000 term products: ξ_0 expands within it, ξ_2 does not (the budget runs out after ξ_0 is reported).
    expect(sgdLossCounterTerms(mean, losses, { order: 0, expansionBudget: 2_000 }).refs).toBeUndefined();
    expect(sgdLossCounterTerms(mean, losses, { order: 2, expansionBudget: 2_000 }).refs).toBeDefined();
    for (const budget of [0, 2_000, Infinity]) {
      const seen: number[] = [];
      sgdLossCounterTerms(mean, losses, { order: 2, expansionBudget: budget, onProgress: (k) => seen.push(k) });
      expect(seen, `budget ${budget}`).toEqual([0, 1, 2]);
    }
  });
});

describe('the SGD report\'s closed forms keep the expansion budget', () => {
  const { mean, losses } = parseBatchLosses(['(x-1)^2*y^2 + x^4/4', '(y+1)^2 + x*y']);
  const series = new CounterTermSolver(sgdRule(2, 'shuffle')).solveThrough(2);

  it('below it: the expanded forms; beyond it: the program, every row of which KaTeX renders', () => {
    expect(closedFormLatex(mean, series, losses)).toEqual(namedLatex(mean, concreteCounterTerms(mean, series, undefined, losses)));
    const r = closedFormLatex(mean, series, losses, 10);
    const shared = sharedCounterTerms(mean, series, losses);
    expect(r).toEqual(namedLatex(mean, shared.xi, shared.refs));
    expect(r.definitions.length).toBeGreaterThan(0);
    for (const [name, def] of r.definitions) checkedLatex(`${name} = ${def}`);
    for (const x of r.xi) for (const c of x.components) checkedLatex(c.latex);
  });
});

describe('eom derive --batches past the budget', () => {
  it('writes JSON with a where section, and --inline writes every component out; both evaluate alike', async () => {
    const batches = 'log(1+exp(-x*y)) + x^4; (x-y)^4*exp(x); sin(x*y)^2 + y^2';
    const named = await eomInProcess('derive', '--batches', batches, '--order', '2', '--format', 'json');
    const inline = await eomInProcess('derive', '--batches', batches, '--order', '2', '--format', 'json', '--inline');
    expect(named.status).toBe(0);
    expect(inline.status).toBe(0);
    const a = JSON.parse(named.stdout) as { where?: Record<string, string>; xi: { components: Record<string, string> }[] };
    const b = JSON.parse(inline.stdout) as { where?: Record<string, string>; xi: { components: Record<string, string> }[] };
    expect(Object.keys(a.where ?? {}).length).toBeGreaterThan(0);
    expect(b.where).toBeUndefined();
    expect(named.stdout.length).toBeLessThan(inline.stdout.length);
    const point = { x: 0.4, y: -0.3 };
    const scope: Record<string, number> = { ...point };
    for (const [name, d] of Object.entries(a.where!)) scope[name] = evaluate(d, { ...scope }) as number;
    // ξ_0 and ξ_1 (mathjs's evaluator recurses too deep on the 100 kB inline ξ_2).
    for (const k of [0, 1]) {
      const want = evaluate(b.xi[k]!.components['x']!, { ...point }) as number;
      expect(Math.abs((evaluate(a.xi[k]!.components['x']!, { ...scope }) as number) - want), `ξ_${k}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
    }
  });
});
