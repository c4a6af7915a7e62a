/**
 * `eom report` and the HTML it writes: self-contained (no script, no external URL, KaTeX fonts
 * embedded), one .formula per rendered formula as declared on <body>, long closed forms in a
 * scrolling box, deterministic bytes, and the CLI's handling of --out (atomic, one-line errors,
 * nothing left behind). The browser-side checks are in report-browser.test.ts.
 */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import katex from 'katex';
import { simulationProblem } from '../src/simulate/problem.js';
import { reportData, type ReportData } from '../src/report/reportData.js';
import { reportHtml } from '../src/report/html.js';
import { LONG_FORMULA, renderFormula, SOURCE_FORMULA } from '../src/report/formula.js';
import { formulaCollector } from '../src/report/page.js';
import { embedFonts } from '../src/report/katexAssets.js';
import { writeAtomically } from '../src/cli/outputFile.js';
import { eom, repoRoot } from './helpers/cli.js';
import { expectFormulas, expectSelfContained } from './helpers/reportPage.js';

const SMALL = ['--loss', 'x^2 + 3*y^2 + x*y', '--init', 'x=1,y=-0.5', '--order', '0', '--lr', '0.05', '--steps', '10', '--lrs', '0.1,0.05'];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eom-report-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reportHtml', () => {
  let data: ReportData;
  let html: string;
  beforeAll(() => {
    const p = simulationProblem({ loss: '(x^2 + y^2 - 1)^2', init: { x: 0.8, y: 0.4 }, maxOrder: 2 });
    data = reportData(p, { order: 1, lr: 0.05, steps: 20, lrs: [0.04, 0.02, 0.01], horizon: 1 });
    html = reportHtml(data, { title: 'ring <test>' });
  });

  it('is self-contained: no script, no external URL, fonts as data: URIs', () => {
    expectSelfContained(html);
  });

  it('declares as many formulas as it renders', () => {
    // The loss, and ξ_0, ξ_1 in x and y: 1 + 2·2 = 5 (no shared subexpressions in a polynomial loss).
    expectFormulas(html, 5);
  });

  it('shows ξ_0 = ½ H g of the loss', () => {
    // ξ_0 = ¼ ∇‖g‖² (Barrett & Dherin). With r = x²+y²−1, g = 4r(x, y), ¼‖g‖² = 4r²(x²+y²), whose
    // x-derivative 16x·r·(x²+y²) + 8x·r² has leading term 16x⁵ + 8x⁵ = 24x⁵.
    expect(data.counterTerms.xi[0]!.components[0]!.latex.startsWith('24 x^{5}')).toBe(true);
  });

  it('escapes the title and draws the four plots of a two-parameter loss', () => {
    expect(html).toContain('<title>ring &lt;test&gt;</title>');
    expect(html.match(/<svg class="plot"/g)).toHaveLength(4);
    // The first plot is the parameter plane: GD as one path of markers, GF and EoM_0, EoM_1 as lines.
    const plane = html.slice(html.indexOf('<svg class="plot"'), html.indexOf('</svg>'));
    expect(plane.match(/<path class="markers" d="M/g)).toHaveLength(1);
    expect(plane.match(/<path class="series" d="M/g)).toHaveLength(3);
  });

  it('writes every flow one way: EoM₀, never EoM_0', () => {
    expect(html).toContain('EoM₀');
    expect(html).not.toMatch(/EoM_/);
  });

  it('is deterministic', () => {
    expect(reportHtml(data, { title: 'ring <test>' })).toBe(html);
  });
});

describe('formulas', () => {
  it('render long closed forms in full, in a scrolling box with their size', () => {
    const tex = Array.from({ length: 2200 }, (_, i) => `x_{${i}}`).join(' + ');
    expect(tex.length).toBeGreaterThan(LONG_FORMULA);
    const out = renderFormula(tex);
    expect(out).toContain('class="formula long"');
    expect(out).toContain(`data-tex-length="${tex.length}"`);
    expect(out).toContain(`${tex.length.toLocaleString('en-US')} characters`);
    expect(out.match(/class="katex"/g)).toHaveLength(1);
  });

  it('show a closed form over SOURCE_FORMULA characters as its LaTeX source, escaped, not typeset', () => {
    const sum = (n: number) => Array.from({ length: n }, (_, i) => `\\frac{x_{${i}}}{2} < y`).join(' + ');
    let tex = sum(3000);
    expect(tex.length).toBeGreaterThan(SOURCE_FORMULA);
    const out = renderFormula(tex);
    expect(out).not.toContain('class="katex"');
    const pre = /<pre class="formula-source" data-tex-length="(\d+)">([^<]*)<\/pre>$/.exec(out);
    expect(pre?.[1]).toBe(String(tex.length));
    const unescaped = pre![2]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    expect(unescaped).toBe(tex);
    expect(out).toMatch(/too long to typeset in a page \(KaTeX's HTML would be \d+\.\d MB\)/);
    // The boundary: exactly SOURCE_FORMULA characters is still typeset (in the scrolling box).
    tex = tex.slice(0, SOURCE_FORMULA - 2).replace(/ \+ [^+]*$/, '');
    tex += ' '.repeat(SOURCE_FORMULA - tex.length);
    expect(tex.length).toBe(SOURCE_FORMULA);
    expect(renderFormula(tex)).toContain('class="formula long"');
    expect(renderFormula(`${tex}y`)).toContain('class="formula-source"');
  });

  it('count only typeset formulas in the page\'s data-formulas (the .formula elements)', () => {
    const f = formulaCollector();
    const huge = Array.from({ length: 6000 }, (_, i) => `x_{${i}}`).join(' + ');
    expect(huge.length).toBeGreaterThan(SOURCE_FORMULA);
    const html = [f.formula('x^2'), f.formula(huge), f.formula('y')].join('');
    expect(f.count()).toBe(2);
    expect(html.match(/class="formula"/g)).toHaveLength(2);
    expect(html.match(/class="formula-source"/g)).toHaveLength(1);
  });

  it('check a formula shown as source with KaTeX all the same', () => {
    const tex = `${Array.from({ length: 6000 }, (_, i) => `x_{${i}}`).join(' + ')} + \\frac{1}{`;
    expect(tex.length).toBeGreaterThan(SOURCE_FORMULA);
    expect(() => renderFormula(tex)).toThrow(/does not render/);
  });

  it('refuse LaTeX that KaTeX cannot render', () => {
    expect(() => renderFormula('\\frac{1}{')).toThrow(/does not render/);
    expect(katex.renderToString('x', { throwOnError: true })).toContain('katex');
  });

  it('embed only the woff2 source of each font face', () => {
    const css = '@font-face{font-family:A;src:url(fonts/A.woff2) format("woff2"),url(fonts/A.woff) format("woff")}';
    const out = embedFonts(css, (f) => Buffer.from(`bytes of ${f}`));
    expect(out).toBe(`@font-face{font-family:A;src:url(data:font/woff2;base64,${Buffer.from('bytes of fonts/A.woff2').toString('base64')}) format("woff2")}`);
  });
});

describe('eom report', () => {
  it('--help lists the built-in examples', () => {
    const r = eom('report', '--help');
    expect(r.status).toBe(0);
    for (const name of ['quartic', 'logistic', 'rosenbrock']) expect(r.stdout).toContain(`  ${name}`);
    expect(r.stdout).toContain('eom report --example quartic --out quartic.html');
  });

  it('writes the file and says how to open it', () => {
    const out = join(dir, 'small.html');
    const r = eom('report', ...SMALL, '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`wrote ${out}`);
    expect(r.stdout).toContain(`open it in a browser: ${pathToFileURL(out).href}`);
    expect(readFileSync(out, 'utf8').startsWith('<!DOCTYPE html>')).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses --out in a missing folder, before any work, leaving nothing', () => {
    const out = join(dir, 'missing', 'r.html');
    const r = eom('report', ...SMALL, '--out', out);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`eom: error: --out ${out}: the folder ${join(dir, 'missing')} does not exist\n`);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });

  it('refuses --out under a regular file (fails even as root)', () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    const r = eom('report', ...SMALL, '--out', join(file, 'r.html'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^eom: error: --out .*plain-file\/r\.html: .*plain-file is not a folder\n$/);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('reports a folder it cannot write into on one line and leaves nothing behind', () => {
    // As root chmod does not stop writes; /proc refuses new files to everyone.
    const root = process.geteuid?.() === 0;
    const target = root ? '/proc/eom-report-test.html' : join(dir, 'readonly', 'r.html');
    if (!root) {
      mkdirSync(join(dir, 'readonly'));
      chmodSync(join(dir, 'readonly'), 0o555);
    }
    const r = eom('report', ...SMALL, '--out', target);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^eom: error: --out .*eom-report-test\.html: cannot write \((ENOENT|EACCES|EPERM|EROFS)\)\n$|^eom: error: --out .*readonly\/r\.html: cannot write \((EACCES|EPERM)\)\n$/);
    expect(r.stderr.split('\n')).toHaveLength(2);
    if (!root) expect(readdirSync(join(dir, 'readonly'))).toEqual([]);
  });

  it('removes its temporary file when the final rename fails', () => {
    // Renaming a file over a non-empty folder fails (EISDIR / ENOTEMPTY) after the content is written.
    const target = join(dir, 'occupied');
    mkdirSync(target);
    writeFileSync(join(target, 'keep'), 'k');
    expect(() => writeAtomically(target, 'content')).toThrow(/cannot write/);
    expect(readdirSync(dir).filter((f) => f.startsWith('.occupied'))).toEqual([]);
  });

  it('refuses conflicting options with one line each', () => {
    const cases: [string[], RegExp][] = [
      [['--example', 'quartic', '--loss', 'x^2', '--out', join(dir, 'a.html')], /--example and --loss are alternatives/],
      [['--example', 'nope', '--out', join(dir, 'a.html')], /--example must be one of quartic, logistic, rosenbrock; got "nope"/],
      [[...SMALL, '--horizon', '1', '--out', join(dir, 'a.html')], /--steps and --horizon are alternatives/],
      [['--example', 'quartic'], /--out is required/],
      [['--example', 'quartic', '--out', dir], /is a folder; give a file name/],
    ];
    for (const [args, message] of cases) {
      const r = eom('report', ...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
    expect(existsSync(join(dir, 'a.html'))).toBe(false);
  });

  it('regenerates the committed example reports byte for byte (npm run docs:examples)', () => {
    // The SGD and Adam examples' options, as package.json's docs:examples writes them.
    const args = new Map([
      ['sgd', ['--batches', '(x-1)^2*y^2 + x^4/4; (y+1)^2 + x*y; x^2*y - y', '--init', 'x=0.5,y=0.3', '--lr', '0.02', '--epochs', '20']],
      ['adam', ['--loss', 'x^4/4 - x^2/2 + x*y + y^2', '--init', 'x=0.5,y=1', '--method', 'adam', '--param', 'beta1=0.5,beta2=0.6,eps=0.01']],
    ]);
    for (const name of ['quartic', 'logistic', 'sgd', 'adam']) {
      const out = join(dir, `${name}.html`);
      const r = eom('report', ...(args.get(name) ?? ['--example', name]), '--out', out);
      expect(r.status, r.stderr).toBe(0);
      const committed = readFileSync(join(repoRoot, 'docs', 'examples', `${name}.html`));
      expect(readFileSync(out).equals(committed), `docs/examples/${name}.html is stale: run npm run docs:examples`).toBe(true);
    }
  }, 240_000);
});
