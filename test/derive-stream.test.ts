/**
 * `eom derive` streams its output order by order and term by term (cli/deriveOutput.ts, the
 * CounterTermsWriter of each format). Held here:
 * - the streamed JSON equals JSON.stringify of the JSON object (counterTermsJson, built whole: an
 *   independent route) for gradient descent, symbolic heavy ball, RK4 (orders with no terms) and
 *   SGD (fields after "xi");
 * - the CLI's output, written as each order is solved, equals the renderers' strings and the
 *   committed golden docs/counter-terms.md, and reaches stdout in bounded chunks;
 * - the memory model and the time extrapolation behind the estimate printed before large orders.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { sgdPatternSeries } from '../src/derive/batchPatterns.js';
import { estimatedSolverBytes, largestFeasibleOrder } from '../src/derive/limits.js';
import { methodRule } from '../src/derive/methods.js';
import { CounterTermSolver, solveCounterTerms } from '../src/derive/solver.js';
import type { TreeSeries } from '../src/series/treeSeries.js';
import { batchNotation } from '../src/notation/batchNotation.js';
import type { MethodInfo } from '../src/notation/methodInfo.js';
import type { TermNotation } from '../src/notation/termNotation.js';
import { counterTermsJson, counterTermsJsonWriter } from '../src/notation/json.js';
import { counterTermsMarkdown } from '../src/notation/markdown.js';
import { counterTermsIndex, counterTermsLatex, counterTermsText, writeAll } from '../src/notation/render.js';
import { chunkedWriter, collectOutput } from '../src/notation/sink.js';
import { DeriveProgress, orderWork, remainingSeconds } from '../src/cli/deriveProgress.js';
import { eomInProcess, repoRoot } from './helpers/cli.js';

/** The streamed JSON of ξ_0 … ξ_K, collected. */
function streamedJson<C>(xi: readonly TreeSeries<C>[], method: string | MethodInfo<C>, notation?: TermNotation, after?: Record<string, unknown>): string {
  return collectOutput((write) => writeAll(counterTermsJsonWriter(write, method, xi.length - 1, xi[0]?.field, notation, after), xi));
}

describe('streamed JSON equals the JSON object stringified whole', () => {
  it('gradient descent through ξ_6', () => {
    const xi = solveCounterTerms(6);
    expect(streamedJson(xi, 'gd')).toBe(JSON.stringify(counterTermsJson('gd', xi), null, 2) + '\n');
  });

  it('heavy ball with β symbolic (parameters, leading factor, condition) and RK4 (ξ_0 … ξ_2 have no terms)', () => {
    for (const [name, K] of [['heavy-ball', 3], ['rk4', 4]] as const) {
      const solver = new CounterTermSolver(methodRule(name, name === 'heavy-ball' ? new Map([['beta', undefined]]) : new Map()));
      const xi = solver.solveThrough(K);
      const rule = solver.rule;
      const info = { name: rule.name, description: rule.description, params: rule.params, leading: solver.leading, ...(rule.condition ? { condition: rule.condition } : {}) };
      const whole = JSON.stringify(counterTermsJson(info, xi), null, 2) + '\n';
      expect(streamedJson(xi, info)).toBe(whole);
      if (name === 'rk4') expect(whole).toContain('"terms": []');
      else expect(whole).toContain('"condition"');
    }
  });

  it('SGD: labels in every term and the fields after "xi"', () => {
    const series = sgdPatternSeries(2, 'shuffle');
    const notation = batchNotation(series.labelSum);
    const info = { name: 'sgd', description: 'SGD', params: new Map([['m', 'm']]), leading: series.leading };
    const after = { sampling: 'shuffle', batches: 'm' };
    const whole = JSON.stringify({ ...counterTermsJson(info, series.xi, notation), ...after }, null, 2) + '\n';
    expect(streamedJson(series.xi, info, notation, after)).toBe(whole);
  });

  it('no orders at all: an empty "xi"', () => {
    expect(streamedJson([], 'gd')).toBe(JSON.stringify(counterTermsJson('gd', []), null, 2) + '\n');
  });
});

describe('eom derive writes each order as it is solved', () => {
  it('equals the renderers at order 6 in every format, and docs/counter-terms.md at order 4', async () => {
    const xi = solveCounterTerms(6);
    const expected: Record<string, string> = {
      text: counterTermsText(xi),
      latex: counterTermsLatex(xi, { method: 'gd' }),
      index: counterTermsIndex(xi),
      json: JSON.stringify(counterTermsJson('gd', xi), null, 2) + '\n',
    };
    for (const [format, text] of Object.entries(expected)) {
      const r = await eomInProcess('derive', '--order', '6', '--format', format);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(text);
    }
    const markdown = await eomInProcess('derive', '--order', '4', '--format', 'markdown');
    expect(markdown.stdout).toBe(readFileSync(join(repoRoot, 'docs', 'counter-terms.md'), 'utf8'));
    // The Markdown renderer and the CLI agree above order 4 too (the description is the method's).
    const md6 = await eomInProcess('derive', '--order', '6', '--format', 'markdown');
    expect(md6.stdout.split('\n').slice(4)).toEqual(counterTermsMarkdown('x', xi).split('\n').slice(4));
  });

  it('reaches stdout in chunks of about 64 kB, never as one string', async () => {
    const chunks: number[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (chunks.push(String(s).length), true));
    try {
      const { main } = await import('../src/cli/main.js');
      expect(await main(['derive', '--order', '8', '--format', 'json'])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const total = chunks.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(300_000); // ξ_0 … ξ_8 as JSON: about 384 000 characters
    expect(chunks.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...chunks)).toBeLessThan(70_000);
  });

  it('chunkedWriter passes every piece on, in order, in chunks of at least the chunk size but the last', () => {
    const chunks: string[] = [];
    const out = chunkedWriter((s) => chunks.push(s), 10);
    const pieces = Array.from({ length: 40 }, (_, i) => `p${i};`);
    for (const p of pieces) out.write(p);
    out.flush();
    out.flush(); // nothing left: no empty chunk
    expect(chunks.join('')).toBe(pieces.join(''));
    expect(chunks.slice(0, -1).every((c) => c.length >= 10)).toBe(true);
    expect(chunks.every((c) => c.length > 0)).toBe(true);
  });
});

describe('the estimate before a large order', () => {
  it('the memory model is within 25 % of the measured peak RSS at orders 12–14', () => {
    // Measured: /usr/bin/time -f %M of `eom derive --order K --format json` on Node 20: 174444, 303336, 648392 KB.
    for (const [K, measured] of [[12, 174444 * 1024], [13, 303336 * 1024], [14, 648392 * 1024]] as const) {
      expect(Math.abs(estimatedSolverBytes(K) / measured - 1)).toBeLessThan(0.25);
    }
  });

  it('with the default 4 GiB heap, order 15 fits and 16 does not (with the 0.75 margin)', () => {
    expect(largestFeasibleOrder(0.75, 4144 * 2 ** 20)).toBe(15);
    expect(largestFeasibleOrder(0.75, 8 * 2 ** 30)).toBe(16);
  });

  it('time grows with N² T(N): T(N) the rooted trees with N nodes (OEIS A000081)', () => {
    // A000081: T(14) = 32973, T(15) = 87811, T(16) = 235381.
    expect(orderWork(12)).toBe(14 * 14 * 32973);
    expect(remainingSeconds(2, 12, 14)).toBeCloseTo((2 * (15 * 15 * 87811 + 16 * 16 * 235381)) / (14 * 14 * 32973), 9);
    expect(remainingSeconds(2, 12, 12)).toBe(0);
  });

  it('one line per order with --progress, and the estimate after ξ_12 for K ≥ 14', () => {
    const lines: string[] = [];
    const stream = { write: (s: string) => (lines.push(s), true), isTTY: false } as unknown as NodeJS.WriteStream;
    const report = new DeriveProgress(14, { lines: true }, stream);
    for (let k = 0; k <= 14; k++) report.solved(k, 1);
    report.done();
    expect(lines.filter((l) => /^eom: ξ_\d+ done/.test(l))).toHaveLength(14);
    const estimate = lines.filter((l) => l.startsWith('eom: ξ_0 … ξ_14: about'));
    expect(estimate).toHaveLength(1);
    expect(estimate[0]).toMatch(/peak memory \(an estimate: /);
    expect(lines.every((l) => l.endsWith('\n'))).toBe(true);
  });

  it('nothing on stderr for a small order without --progress', async () => {
    const r = await eomInProcess('derive', '--order', '5');
    expect(r.stderr).toBe('');
  });
});
