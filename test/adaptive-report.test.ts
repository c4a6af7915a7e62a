/**
 * `eom report --method rmsprop|adam`: the page states its inputs, shows c_i and ξ_0, ξ_1 as the
 * derive command's LaTeX writes them (a second printer: lossCounterTermsLatex) with where they hold,
 * one plot per parameter over time, PyTorch's transient (its rate ≈ max(β1, β2) = 0.6, the
 * bias-corrected state relaxing onto the slow manifold) and the error orders: on the non-convex
 * loss of adaptive-simulate.test.ts (H_xx = 3x² − 1 < 0 at x = 0.5) the local slopes are 2, 3, 4 for
 * GF, EoM_0, EoM_1 (docs/design.md (2.17)). Bad input gets one line; every other report is untouched
 * (report.test.ts compares the example pages byte for byte).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adaptiveCounterTerms } from '../src/adaptive/counterTerms.js';
import { adaptiveRule } from '../src/adaptive/methods.js';
import { lossCounterTermsLatex } from '../src/loss/render.js';
import { adaptiveReportHtml } from '../src/report/adaptiveHtml.js';
import { adaptiveReportData, type AdaptiveReportData } from '../src/report/adaptiveReport.js';
import { rational } from '../src/series/fraction.js';
import { adaptiveProblem } from '../src/simulate/adaptiveProblem.js';
import { eomInProcess, expectUserError } from './helpers/cli.js';
import { expectFormulas, expectSelfContained } from './helpers/reportPage.js';

const LOSS = 'x^4/4 - x^2/2 + x*y + y^2';
const INIT = { x: 0.5, y: 1 };
const LRS = [0.002, 0.001, 0.0005, 0.00025];
const adam = adaptiveRule('adam', new Map([['beta1', rational(1, 2)], ['beta2', rational(3, 5)], ['eps', rational(1, 100)]]));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eom-adaptive-report-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The body of one section of the page. */
function sectionOf(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`);
  expect(start).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</section>', start));
}

/** The TeX source KaTeX keeps of each rendered formula (MathML annotation), unescaped. */
const texSources = (html: string) =>
  [...html.matchAll(/<annotation encoding="application\/x-tex">([\s\S]*?)<\/annotation>/g)].map((m) => m[1]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>'));

describe('Adam report from the manifold start', () => {
  let data: AdaptiveReportData;
  let html: string;
  beforeAll(() => {
    const problem = adaptiveProblem({ loss: LOSS, init: INIT, maxOrder: 2, rule: adam });
    data = adaptiveReportData(problem, { order: 1, lr: 0.001, steps: 200, lrs: LRS, horizon: 0.2, start: 'manifold' });
    html = adaptiveReportHtml(data, { generator: 'eomkit test' });
  }, 120_000);

  it('is one self-contained page', () => {
    expectSelfContained(html);
  });

  it('states its inputs: loss, θ0, η, hyperparameters and start', () => {
    const setup = sectionOf(html, 'setup');
    expect(setup).toContain(`<code>${LOSS}</code>`);
    expect(setup).toContain('x = 0.5, y = 1');
    expect(setup).toContain('beta1 = 1/2, beta2 = 3/5, eps = 1/100');
    expect(setup).toContain('η = 0.001, 200 steps');
    expect(setup).toContain('η ∈ {0.002, 0.001, 0.0005, 0.00025}, global error over T = 0.2, from the manifold start');
    expect(setup).toContain('θ ← θ − η m/(√v + ε)');
  });

  it('shows the loss, c_x, c_y and ξ_0, ξ_1 as eom derive --format latex writes them, with the validity line', () => {
    const body = sectionOf(html, 'counter-terms');
    const derived = lossCounterTermsLatex(adaptiveCounterTerms(LOSS, { order: 1, rule: adam }));
    // lhs → rhs of each align* row, the broken sums (`\\ &\quad …`) joined again.
    const rows = new Map<string, string>();
    let last = '';
    for (const line of derived.split('\n').map((l) => l.replace(/ \\\\$/, ''))) {
      const m = /^(\S+) &= (.*)$/.exec(line);
      if (m) rows.set((last = m[1]!), m[2]!);
      else if (line.startsWith('&\\quad ')) rows.set(last, `${rows.get(last)} ${line.slice('&\\quad '.length)}`);
    }
    const shown = texSources(body);
    // The same shared subexpressions (s_1 … s_4), c_i = 1/(|g_i| + ε) and ξ_0, ξ_1, component by component.
    const lhss = ['s_{1}', 's_{2}', 's_{3}', 's_{4}', 'c_{x}', 'c_{y}', '\\xi_{0,x}', '\\xi_{0,y}', '\\xi_{1,x}', '\\xi_{1,y}'];
    for (const lhs of lhss) expect(shown, lhs).toContain(`\\displaystyle ${lhs} = ${rows.get(lhs)}`);
    expect(data.closedForms.definitions).toHaveLength(4);
    expect(shown).toContain('\\displaystyle L(\\theta) = \\frac{x^{4}}{4} - \\frac{x^{2}}{2} + x y + y^{2}');
    expect(body).toContain('Valid everywhere (eps &gt; 0)');
    // s_1 … s_4, the loss, c_x, c_y and the four components of ξ_0, ξ_1: every one rendered.
    expectFormulas(html, 4 + 1 + 2 + 4);
  });

  it('plots each parameter over time with both starts and every flow', () => {
    const svgs = [...sectionOf(html, 'trajectories').matchAll(/<svg class="plot"[\s\S]*?<\/svg>/g)].map((m) => m[0]);
    expect(svgs.filter((s) => /<text[^>]*>x over t = kη/.test(s))).toHaveLength(1);
    expect(svgs.filter((s) => /<text[^>]*>y over t = kη/.test(s))).toHaveLength(1);
    for (const label of ['GF', 'EoM₀', 'EoM₁', 'adam, manifold start', 'adam, PyTorch&#39;s start']) {
      expect(svgs[0]).toContain(label);
      expect(svgs[1]).toContain(label);
    }
  });

  it('fits local slopes within 0.3 of 2, 3, 4 and global within 0.3 of 1, 2, 3, and shows them', () => {
    const v = data.validation;
    expect(v.results.map((r) => r.order)).toEqual([-1, 0, 1]);
    [2, 3, 4].forEach((s, i) => expect(Math.abs(v.results[i]!.localSlope - s)).toBeLessThanOrEqual(0.3));
    [1, 2, 3].forEach((s, i) => expect(Math.abs(v.results[i]!.globalSlope - s)).toBeLessThanOrEqual(0.3));
    const orders = sectionOf(html, 'error-orders');
    for (const r of v.results) expect(orders).toContain(`<td>${r.localSlope.toFixed(3)}</td><td>${r.expectedLocalSlope}</td><td>${r.globalSlope.toFixed(3)}</td>`);
    expect(orders.match(/<svg class="plot"/g)).toHaveLength(2);
    expect(orders).toContain('Every fitted slope is within 0.3 of its prediction.');
    expect(data.warnings).toEqual([]);
  });

  it("states PyTorch's transient: it decays like max(β1, β2)ⁿ = 0.6ⁿ, then the iterates are within 2× the manifold start's distance", () => {
    const t = data.transient;
    expect(t.rate).toBeGreaterThan(0.5);
    expect(t.rate).toBeLessThan(0.75);
    expect(t.settled).toBeGreaterThan(5);
    expect(data.afterTransient.rest).toBeLessThan(2 * data.afterTransient.manifold);
    const body = sectionOf(html, 'transient');
    expect(body).toContain(`like ${t.rate.toFixed(4)}ⁿ`);
    expect(body).toContain(`settled after ${t.settled} steps`);
    expect(body).toContain('m = v = 0 with bias correction');
  });
});

describe('through the command', () => {
  it('eom report --method rmsprop --start rest writes the page, measuring the orders after the transient', async () => {
    const out = join(dir, 'rmsprop.html');
    const r = await eomInProcess('report', '--loss', LOSS, '--init', 'x=0.5,y=1', '--method', 'rmsprop', '--param', 'alpha=0.6,eps=0.01', '--order', '0', '--steps', '100', '--start', 'rest', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^wrote .*rmsprop\.html/);
    const html = readFileSync(out, 'utf8');
    expect(sectionOf(html, 'setup')).toContain("from PyTorch's start (after its transient)");
    expect(sectionOf(html, 'setup')).toContain('rho = 3/5, eps = 1/100');
    expect(sectionOf(html, 'error-orders')).toContain("from PyTorch's start, measured after its transient");
    expect(sectionOf(html, 'transient')).toMatch(/settled after \d+ steps/);
    expect(sectionOf(html, 'transient')).toContain('PyTorch starts from v = 0 (RMSprop has no bias correction)');
    expectFormulas(html, Number(/<body data-formulas="(\d+)"/.exec(html)![1]));
  }, 120_000);

  it('warns outside the regime, on stderr and on the page: η·|λ|max/((min|g_i| + ε)(1 − β)) = 0.937 at η = 0.1', async () => {
    // By hand at (0.5, 1): g = (x³ − x + y, x + 2y) = (0.625, 2.5); H = [[3x² − 1, 1], [1, 2]] = [[−0.25, 1], [1, 2]]
    // has eigenvalues (1.75 ± √12.0625)/2, so |λ|max = 2.38020; 0.1 · 2.38020/((0.625 + 0.01)(1 − 0.6)) = 0.93709.
    const out = join(dir, 'regime.html');
    const r = await eomInProcess('report', '--loss', LOSS, '--init', 'x=0.5,y=1', '--method', 'adam', '--param', 'beta1=0.5,beta2=0.6,eps=0.01', '--lr', '0.05', '--steps', '10', '--lrs', '0.1,0.05', '--order', '0', '--out', out);
    expect(r.stderr).toContain('η = 0.1: η·|λ|max/((min|g_i| + ε)(1 − β)) = 0.937 at θ0');
    expect(r.stderr).toContain('η = 0.05: η·|λ|max/((min|g_i| + ε)(1 − β)) = 0.469 at θ0');
    expect(sectionOf(readFileSync(out, 'utf8'), 'setup')).toContain('<li>warning: η = 0.1: η·|λ|max/((min|g_i| + ε)(1 − β)) = 0.937 at θ0');
  }, 60_000);

  it.each([
    // g_y = x + 2y vanishes at (0.5, −0.25): with ε = 0 the update divides by zero.
    [['--init', 'x=0.5,y=-0.25', '--param', 'beta1=0.5,beta2=0.6,eps=0'], /a component of the gradient vanishes there and eps = 0/],
    [['--init', 'x=0.5,y=1', '--param', 'beta1=0.5,eps=0.01'], /needs exact values for beta2/],
    [['--init', 'x=0.5,y=1', '--param', 'beta1=0.5,beta2=0.6,eps=0.01', '--order', '3'], /--order must be from 0 to 2 for an adam report/],
    [['--init', 'x=0.5,y=1', '--param', 'beta1=0.5,beta2=0.6,eps=0.01', '--axes', 'x,y'], /--axes does not apply to adam/],
    [['--param', 'beta1=0.5,beta2=0.6,eps=0.01'], /--init is required/],
  ])('refuses %j in one line', async (args, message) => {
    expectUserError(await eomInProcess('report', '--loss', LOSS, '--method', 'adam', ...args, '--out', join(dir, 'never.html')), message);
  });

  it('refuses --example with adam, and --out missing', async () => {
    expectUserError(await eomInProcess('report', '--example', 'quartic', '--method', 'adam', '--out', join(dir, 'never.html')), /--example is a loss for gradient descent's report/);
    expectUserError(await eomInProcess('report', '--loss', LOSS, '--init', 'x=0.5,y=1', '--method', 'adam'), /--out is required/);
  });
});
