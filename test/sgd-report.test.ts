/**
 * `eom report` for SGD (--batches, --data): the page states its inputs, shows ξ_0 in the labelled
 * notation (Smith, Dherin, Barrett & De, ICLR 2021: ξ_0 = (1/(2m)) Σ_k H_k g_k under random
 * reshuffling), one mean plot per parameter with one error bar per epoch, the distance to the mean,
 * the several-epochs statement and the one-epoch validation slopes; shuffle with m > 6 skips the
 * validation and says why; bad input gets one line.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sgdProblem } from '../src/simulate/sgdProblem.js';
import { sgdReportData, type SgdReportData } from '../src/report/sgdReport.js';
import { sgdReportHtml } from '../src/report/sgdHtml.js';
import { barEnds, linePlot } from '../src/report/plot/linePlot.js';
import { eomInProcess, expectUserError } from './helpers/cli.js';
import { expectFormulas, expectSelfContained } from './helpers/reportPage.js';

const BATCHES = ['(x-1)^2*y^2 + x^4/4', '(y+1)^2 + x*y', 'x^2*y - y'];
const EPOCHS = 5;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eom-sgd-report-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The SVG plots of one section of the page. */
function plotsIn(html: string, id: string): string[] {
  const start = html.indexOf(`<section id="${id}">`);
  const body = html.slice(start, html.indexOf('</section>', start));
  return [...body.matchAll(/<svg class="plot"[\s\S]*?<\/svg>/g)].map((m) => m[0]);
}

/** The number of segments (one M each) of each error-bar path of a plot. */
const errorBarCounts = (svg: string) => [...svg.matchAll(/<path class="error-bars" d="([^"]*)"/g)].map((m) => (m[1]!.match(/M/g) ?? []).length);

describe('SGD report, 3 batches with random reshuffling', () => {
  let data: SgdReportData;
  let html: string;
  beforeAll(() => {
    const p = sgdProblem({ batches: BATCHES, sampling: 'shuffle', init: { x: 0.5, y: 0.3 }, maxOrder: 2 });
    data = sgdReportData(p, {
      order: 1,
      lr: 0.02,
      epochs: EPOCHS,
      runs: 50,
      seed: 7,
      lrs: [0.1, 0.05, 0.025],
      source: { kind: 'batches', batches: BATCHES },
      closedForms: { loss: p.loss, batches: p.batches },
    });
    html = sgdReportHtml(data, { generator: 'eomkit test' });
  });

  it('states its inputs: the batches (escaped), m, sampling, seed and runs', () => {
    for (const b of BATCHES) expect(html).toContain(`<code>${b}</code>`);
    expect(html).toMatch(/batches m<\/th><td>3</);
    expect(html).toContain('shuffle: a fresh uniformly random order');
    expect(html).toContain('50 seeded runs, seed 7');
    expect(html).toContain('η = 0.02, 5 epochs of 3 steps');
  });

  it('shows ξ_0 = (1/(2m)) Σ_k H_k g_k in the labelled notation, rendered by KaTeX', () => {
    expect(data.abstract[0]!.latex).toBe('\\frac{1}{2 m} \\sum_{k} H_{k} g_{k}');
    // KaTeX keeps the source in the MathML annotation.
    expect(html).toContain('<annotation encoding="application/x-tex">\\displaystyle \\xi_{0} = \\frac{1}{2 m} \\sum_{k} H_{k} g_{k}</annotation>');
    expect(html).toContain('Smith, Dherin, Barrett &amp; De');
  });

  it('gives the closed forms of these batches: ξ_0 at θ = (0, 0) is (1/(2m)) Σ_k H_k g_k by hand', () => {
    // At θ = 0: g_1 = (0, 0) (∂x: 2(x−1)y² + x³, ∂y: 2(x−1)²y), g_2 = (y, 2(y+1) + x) = (0, 2),
    // g_3 = (2xy, x² − 1) = (0, −1); H_2 = [[0, 1], [1, 2]], H_3 = [[2y, 2x], [2x, 0]] = 0.
    // ξ_0(0) = (1/6)(H_2 g_2) = (1/6)(2, 4) = (1/3, 2/3): the constant terms of the closed forms.
    if ('skipped' in data.closedForms) throw new Error('closed forms were skipped');
    const [x, y] = data.closedForms.xi[0]!.components;
    expect(x!.latex).toMatch(/\+ \\frac\{1\}\{3\}$/);
    expect(y!.latex).toMatch(/\+ \\frac\{2\}\{3\}$/);
  });

  it('is self-contained and declares as many formulas as it renders', () => {
    expectSelfContained(html);
    // ξ_0, ξ_1 abstract; L; ξ_0, ξ_1 in x and y: 2 + 1 + 4.
    expectFormulas(html, 7);
  });

  it('draws one plot per parameter with one error bar per epoch, and the distance to the mean', () => {
    const plots = plotsIn(html, 'epochs');
    expect(plots).toHaveLength(3);
    for (const [i, v] of ['x', 'y'].entries()) {
      expect(plots[i]).toContain(`aria-label="${v} per epoch`);
      // The spread of single runs and ± the standard error: a bar at each epoch 1 … E (epoch 0 has none).
      expect(errorBarCounts(plots[i]!)).toEqual([EPOCHS, EPOCHS]);
      // GF, EoM_0, EoM_1 as lines.
      expect(plots[i]!.match(/<path class="series" d="M/g)).toHaveLength(3);
    }
    expect(plots[2]).toContain('Distance to the mean SGD iterate');
  });

  it('has error bars as long as the standard error: s.e. = spread/√runs at every epoch', () => {
    for (const s of data.monteCarlo.trajectory.slice(1)) {
      for (let i = 0; i < 2; i++) expect(s.standardError[i]).toBeCloseTo(s.spread[i]! / Math.sqrt(50), 15);
    }
  });

  it('states what several epochs can and cannot confirm', () => {
    expect(html).toContain('O(η⁵) per epoch');
    expect(html).not.toMatch(/EoM_/);
  });

  it('validates one epoch: slopes 2, 3, 4 within 0.3', () => {
    if ('skipped' in data.validation) throw new Error('validation was skipped');
    const slopes = data.validation.results.map((r) => r.localSlope);
    slopes.forEach((s, j) => expect(Math.abs(s - (j + 2))).toBeLessThan(0.3));
    expect(plotsIn(html, 'validation')).toHaveLength(1);
    for (const s of slopes) expect(html).toContain(`<td>${s.toFixed(3)}</td>`);
    expect(html).toContain('Every fitted slope is within 0.3 of its prediction.');
  });

  it('is deterministic (seeded)', () => {
    const p = sgdProblem({ batches: BATCHES, sampling: 'shuffle', init: { x: 0.5, y: 0.3 }, maxOrder: 2 });
    const again = sgdReportData(p, { ...data.options, closedForms: { loss: p.loss, batches: p.batches } });
    expect(sgdReportHtml(again, { generator: 'eomkit test' })).toBe(html);
  });
});

describe('error bars in a line plot', () => {
  it('spans y ± e where e > 0 and the axis can show it', () => {
    expect(barEnds([[1, 2], [2, 3], null, [4, 1]], [0.5, 0, 1, 2], false)).toEqual([[[1, 1.5], [1, 2.5]], [[4, -1], [4, 3]]]);
    // On a log axis a bar reaching 0 or below cannot be drawn.
    expect(barEnds([[1, 2], [4, 1]], [0.5, 2], true)).toEqual([[[1, 1.5], [1, 2.5]]]);
  });

  it('draws one vertical segment per bar, inside the axis range', () => {
    // y from 0 to 1 with a bar of ±1 at (1, 1): the axis grows to show y = 2; the segment is vertical (V).
    const svg = linePlot({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ label: 'm', points: [[0, 0], [1, 1]], mark: 'markers', errorBars: [0, 1] }] });
    const d = /<path class="error-bars" d="([^"]*)"/.exec(svg)![1]!;
    expect(d).toMatch(/^M[\d.]+,[\d.]+V[\d.]+$/);
    expect(svg).toContain('>2.0<');
    expect(linePlot({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ label: 'm', points: [[0, 0], [1, 1]], mark: 'markers' }] })).not.toContain('>2.0<');
  });
});

describe('SGD report: shuffle with more than 6 batches', () => {
  it('skips the exact validation and says why; leaves out closed forms that would be too large', () => {
    const batches = Array.from({ length: 7 }, (_, k) => `(x - ${k})^2 + x^4/10`);
    const p = sgdProblem({ batches, sampling: 'shuffle', init: { x: 0.5 }, maxOrder: 2 });
    const data = sgdReportData(p, { order: 1, lr: 0.01, epochs: 3, runs: 20, seed: 0, lrs: [0.1, 0.05], source: { kind: 'batches', batches }, closedForms: { loss: p.loss, batches: p.batches } });
    expect(data.validation).toEqual({ skipped: expect.stringMatching(/exact mean over all m! orders, so at most 6 batches \(got 7\)/) });
    expect(data.closedForms).toEqual({ skipped: expect.stringContaining('343 labelled trees') });
    const html = sgdReportHtml(data);
    expect(html).toContain('Validation skipped: validating random reshuffling takes the exact mean over all m! orders');
    expect(plotsIn(html, 'validation')).toHaveLength(0);
    expect(plotsIn(html, 'epochs')).toHaveLength(2);
  });
});

describe('eom report --batches / --data (CLI, in process)', () => {
  it('writes the page for --batches and cyclic order', async () => {
    const out = join(dir, 'cyclic.html');
    const r = await eomInProcess('report', '--batches', BATCHES.join('; '), '--sampling', 'cyclic', '--init', 'x=0.5,y=0.3', '--order', '0', '--lr', '0.02', '--epochs', '4', '--lrs', '0.1,0.05', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*cyclic\.html/);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('cyclic: the batches in the given order every epoch');
    // Cyclic SGD is deterministic: no error bars, and no Monte-Carlo statement.
    expect(html).not.toContain('class="error-bars"');
    expect(html).toContain('Cyclic order adds to ξ₀ a term antisymmetric in the labels');
    expect(plotsIn(html, 'epochs')).toHaveLength(3);
  });

  it('writes the page for --loss with --data and --batch-size', async () => {
    const csv = join(dir, 'data.csv');
    writeFileSync(csv, 'x,y\n0.5,1\n1,1.5\n-0.5,0\n0.25,0.5\n0.8,1.2\n-1,-0.5\n');
    const out = join(dir, 'data.html');
    const r = await eomInProcess('report', '--loss', '(w*x + b - y)^2', '--data', csv, '--batch-size', '2', '--init', 'w=0,b=0', '--order', '1', '--lr', '0.02', '--epochs', '3', '--runs', '20', '--lrs', '0.1,0.05,0.025', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<code>(w*x + b - y)^2</code>');
    expect(html).toContain('6 rows');
    expect(html).toContain('2 consecutive rows per batch');
    expect(html).toContain('The batches come from a data file');
    expect(plotsIn(html, 'epochs')).toHaveLength(3);
    expect(html).toContain('Every fitted slope is within 0.3 of its prediction.');
  });

  it('refuses bad input with one line and writes nothing', async () => {
    const out = join(dir, 'bad.html');
    const base = ['report', '--batches', BATCHES.join('; '), '--init', 'x=0.5,y=0.3', '--out', out];
    expectUserError(await eomInProcess(...base, '--steps', '10'), /--steps does not apply to SGD/);
    expectUserError(await eomInProcess(...base, '--order', '3'), /--order must be from 0 to 2 for an SGD report/);
    expectUserError(await eomInProcess(...base, '--sampling', 'random'), /--sampling/);
    expectUserError(await eomInProcess(...base, '--method', 'heavy-ball'), /--batches is SGD's input/);
    expectUserError(await eomInProcess('report', '--method', 'sgd', '--init', 'x=1', '--out', out), /--method sgd needs --batches/);
    expectUserError(await eomInProcess('report', '--example', 'quartic', '--batches', 'x^2; x^4', '--out', out), /--example/);
    expectUserError(await eomInProcess(...base, '--runs', '1'), /--runs/);
    expectUserError(await eomInProcess('report', '--loss', 'x^2', '--init', 'x=1', '--epochs', '3', '--out', out), /--epochs is for SGD \(--method sgd, --batches or --data\)/);
    expect(existsSync(out)).toBe(false);
  });
});
