/**
 * LaTeX for papers: the line breaker (unit and property tests against sums whose terms are known by
 * construction), and the documents `eom derive --format latex [--standalone]` writes, compiled by
 * the real pdflatex (the independent judge of "valid LaTeX": KaTeX accepts things pdflatex does not).
 *
 * pdflatex is required: CI installs texlive-latex-base + texlive-latex-recommended (.ci/run). When it
 * is missing these tests fail, saying so; they never skip.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import katex from 'katex';
import { afterAll, describe, expect, it } from 'vitest';
import {
  alignBlock,
  breakTerms,
  counterTermsLatex,
  DEFAULT_LINE_WIDTH_EM,
  joinTerms,
  latexDocument,
  latexText,
  latexWidth,
  seriesLatex,
  solveCounterTerms,
  splitTopLevelSum,
} from '../src/index.js';
import { eom } from './helpers/cli.js';

const katexOk = (tex: string, displayMode = false) => {
  katex.renderToString(tex, { throwOnError: true, displayMode, macros: {}, maxExpand: Math.max(1000, tex.length) });
  return true;
};

describe('splitTopLevelSum', () => {
  it('splits at top-level signs only (hand-written cases)', () => {
    // Expected values written by hand: the terms are visible in the input.
    expect(splitTopLevelSum('\\frac{1}{3} H^{2} g + \\frac{1}{12} \\nabla^{3} L[g, g]')).toEqual(['\\frac{1}{3} H^{2} g', '+ \\frac{1}{12} \\nabla^{3} L[g, g]']);
    expect(splitTopLevelSum('-x^{-1} + e^{-y} - \\sigma\\left(x + y\\right)')).toEqual(['-x^{-1}', '+ e^{-y}', '- \\sigma\\left(x + y\\right)']);
    expect(splitTopLevelSum('\\frac{a - b}{2} - \\sqrt[3]{c + d} + \\left[ p - q \\right) - (r + s)')).toEqual([
      '\\frac{a - b}{2}',
      '- \\sqrt[3]{c + d}',
      '+ \\left[ p - q \\right)',
      '- (r + s)',
    ]);
    expect(splitTopLevelSum('\\left\\{a - b\\right\\} + x^-1 - \\lambda')).toEqual(['\\left\\{a - b\\right\\}', '+ x^-1', '- \\lambda']);
    expect(splitTopLevelSum('a+b-c')).toEqual(['a', '+ b', '- c']);
    expect(splitTopLevelSum('x')).toEqual(['x']);
  });

  it('returns unbalanced input whole', () => {
    expect(splitTopLevelSum('a + {b - c')).toEqual(['a + {b - c']);
    expect(splitTopLevelSum('a + b} - c')).toEqual(['a + b} - c']);
    expect(splitTopLevelSum('\\left( a + b')).toEqual(['\\left( a + b']);
  });

  // Random sums built from terms known by construction; inner sums sit inside braces, \left…\right
  // pairs, brackets and \sqrt, where they must not be split.
  const letter = fc.constantFrom('x', 'y', 'g', 'w_{1}', '\\lambda', 's_{2}', '\\mathrm{my\\_rate}');
  /** The signed terms of a sum of products, with sums nested `depth` levels deep inside them. */
  const termsOf = (depth: number): fc.Arbitrary<string[]> => {
    const inner = depth === 0 ? letter : termsOf(depth - 1).map((ts) => ts.join(' '));
    const atom = fc.oneof(
      letter,
      fc.tuple(letter, fc.integer({ min: 2, max: 9 })).map(([a, e]) => `${a}^{${e}}`),
      inner.map((s) => `\\left(${s}\\right)`),
      inner.map((s) => `\\sigma\\left(${s}\\right)`),
      fc.tuple(inner, inner).map(([a, b]) => `\\frac{${a}}{${b}}`),
      inner.map((s) => `\\sqrt{${s}}`),
      inner.map((s) => `e^{${s}}`),
      inner.map((s) => `x^{-${s}}`),
      fc.tuple(inner, inner).map(([a, b]) => `\\nabla^{3} L[${a}, ${b}]`),
    );
    const term = fc.tuple(fc.constantFrom('', '2 ', '\\frac{1}{12} '), fc.array(atom, { minLength: 1, maxLength: 3 })).map(([c, xs]) => c + xs.join(' '));
    return fc
      .tuple(fc.boolean(), fc.array(fc.tuple(fc.constantFrom('+', '-'), term), { minLength: 1, maxLength: 4 }))
      .map(([neg, ts]) => ts.map(([sign, t], i) => (i === 0 ? (neg ? `-${t}` : t) : `${sign} ${t}`)));
  };

  it('keeps every term, never splits inside a group, and joins back to the same sum (random sums)', () => {
    const termsArb = termsOf(2);
    fc.assert(
      fc.property(termsArb, (terms) => {
        const joined = joinTerms(terms);
        const split = splitTopLevelSum(joined);
        expect(split).toEqual(terms); // same terms, same order, so the same multiset
        expect(joinTerms(split)).toBe(joined);
        expect(katexOk(joined)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('breakTerms and alignBlock', () => {
  it('fills lines greedily within the width; a term wider than a line stands alone', () => {
    // Widths by latexWidth's rules: letters ½ em, a sign with its spacing 1.2 em; "a" = 0.5, "+ b" = 1.7.
    expect(latexWidth('a')).toBe(0.5);
    expect(latexWidth('+ b')).toBeCloseTo(1.7);
    expect(breakTerms(['a', '+ b', '- c'], 2.3)).toEqual([['a', '+ b'], ['- c']]);
    expect(breakTerms(['a', '+ b', '- c'], 1)).toEqual([['a'], ['+ b'], ['- c']]);
    expect(breakTerms([], 10)).toEqual([]);
  });

  it('breaks ξ_4 over lines that each render, keeping every term of the series', () => {
    const xi = solveCounterTerms(4);
    const block = alignBlock(xi.map((s, k) => ({ lhs: `\\xi_{${k}}`, rhs: seriesLatex(s) })));
    expect(katexOk(block, true)).toBe(true);
    const body = block.split('\n').slice(1, -1).join('\n');
    const lines = body.split(' \\\\\n');
    // ξ_4 has 20 trees; each series' terms are its nonzero coefficients (the engine's own count).
    const terms = lines.flatMap((line) => splitTopLevelSum(line.replace(/^\\xi_\{\d\} &= |^&\\quad /, '')));
    const expected = xi.flatMap((s) => splitTopLevelSum(seriesLatex(s)));
    expect(terms.length).toBe(xi.reduce((n, s) => n + s.terms().length, 0));
    expect([...terms].sort()).toEqual([...expected].sort());
    expect(lines.length).toBeGreaterThan(xi.length); // ξ_3 and ξ_4 do not fit on one line
    for (const line of lines) {
      const rhs = line.replace(/^\\xi_\{\d\} &= |^&\\quad /, '');
      // Within the estimated width (DEFAULT_LINE_WIDTH_EM less the "\\xi_{k} = " column), or a lone term.
      expect(latexWidth(rhs) <= DEFAULT_LINE_WIDTH_EM - latexWidth('\\xi_{0} =') || splitTopLevelSum(rhs).length === 1).toBe(true);
      expect(katexOk(rhs.replace(/^([+-]) /, '{} $1 '))).toBe(true);
      expect((line.match(/\\left/g) ?? []).length).toBe((line.match(/\\right/g) ?? []).length);
      expect((line.match(/\{/g) ?? []).length).toBe((line.match(/\}/g) ?? []).length);
    }
  });
});

describe('documents', () => {
  it('escapes text and needs amssymb only when used', () => {
    expect(latexText('x_1^2 + 50% & {a} # $ ~ \\ é')).toBe('x\\_1\\^{}2 + 50\\% \\& \\{a\\} \\# \\$ \\~{} \\textbackslash{} ?');
    expect(latexDocument('$x$')).not.toContain('amssymb');
    expect(latexDocument('$\\mathbb{R}$')).toContain('\\usepackage{amssymb}');
  });

  it('the fragment is one align* environment, with no preamble', () => {
    const tex = counterTermsLatex(solveCounterTerms(2));
    expect(tex.startsWith('\\begin{align*}\n')).toBe(true);
    expect(tex.endsWith('\\end{align*}\n')).toBe(true);
    expect(tex).not.toContain('\\documentclass');
  });
});

// ----------------------------------------------------------------------------------------------
// pdflatex

const PDFLATEX = 'pdflatex';
const work = mkdtempSync(join(tmpdir(), 'eom-latex-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Compiled {
  status: number | null;
  log: string;
  pdf: string;
}

function compile(name: string, tex: string): Compiled {
  const version = spawnSync(PDFLATEX, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (version.error || version.status !== 0) {
    throw new Error(
      `pdflatex is not installed (or does not run): ${version.error?.message ?? version.stderr}. ` +
        'Install texlive-latex-base and texlive-latex-recommended (as .ci/run does); the LaTeX export tests need it.',
    );
  }
  writeFileSync(join(work, `${name}.tex`), tex);
  const r = spawnSync(PDFLATEX, ['-interaction=nonstopmode', '-halt-on-error', `${name}.tex`], { cwd: work, encoding: 'utf8', timeout: 120_000 });
  const logPath = join(work, `${name}.log`);
  const log = existsSync(logPath) ? readFileSync(logPath, 'latin1') : r.stdout;
  if (r.status !== 0) throw new Error(`pdflatex failed on ${name}.tex (status ${r.status}${r.error ? `, ${r.error.message}` : ''}):\n${log.split('\n').filter((l) => l.startsWith('!')).join('\n') || log.slice(-2000)}`);
  return { status: r.status, log, pdf: join(work, `${name}.pdf`) };
}

/** Widest "Overfull \hbox (…pt too wide)" in a log, 0 if none. */
function worstOverfull(log: string): number {
  return Math.max(0, ...[...log.matchAll(/Overfull \\hbox \(([\d.]+)pt too wide\)/g)].map((m) => Number(m[1])));
}

function derive(...args: string[]): string {
  const r = eom('derive', ...args);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

describe('pdflatex compiles what eom derive writes', () => {
  it('the standalone document of ξ_0 … ξ_4, without overfull lines', () => {
    const tex = derive('--order', '4', '--format', 'latex', '--standalone');
    expect(tex).toMatch(/^\\documentclass\{article\}\n\\usepackage\{amsmath\}\n/);
    expect([...tex].every((c) => c.charCodeAt(0) < 128)).toBe(true); // pdflatex's default fonts: ASCII only
    const out = compile('abstract', tex);
    expect(out.status).toBe(0);
    expect(statSync(out.pdf).size).toBeGreaterThan(1000);
    expect(worstOverfull(out.log)).toBeLessThanOrEqual(20);

    // A look at the page, when poppler's pdftoppm is there (not required).
    const probe = spawnSync('pdftoppm', ['-v'], { encoding: 'utf8' });
    if (!probe.error) {
      const r = spawnSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', out.pdf, join(work, 'abstract')], { timeout: 60_000 });
      expect(r.status).toBe(0);
    }
  });

  it('the fragment, pasted into a minimal document that loads amsmath', () => {
    const fragment = derive('--order', '4', '--format', 'latex');
    const tex = `\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\nSome text.\n${fragment}More text.\n\\end{document}\n`;
    const out = compile('fragment', tex);
    expect(out.status).toBe(0);
    expect(worstOverfull(out.log)).toBeLessThanOrEqual(20);
  });

  it('a standalone document for a loss with exp, sigmoid, sqrt, a symbolic weight decay and long names (order 2)', () => {
    const tex = derive(
      '--loss', 'exp(-w_1*w_2) + sigmoid(w_1) + sqrt(1 + w_2^2) + my_rate*w_1^2*w_2',
      '--vars', 'w_1,w_2', '--weight-decay', 'lambda', '--order', '2', '--format', 'latex', '--standalone',
    ); // prettier-ignore
    expect([...tex].every((c) => c.charCodeAt(0) < 128)).toBe(true);
    expect(tex).toContain('\\xi_{2,w_{2}} &= ');
    expect(tex).toContain('\\mathrm{my\\_rate}');
    expect((tex.match(/\\begin\{align\*\}/g) ?? []).length).toBe(4); // shared subexpressions, then ξ_0, ξ_1, ξ_2
    expect((tex.match(/^&\\quad [+-] /gm) ?? []).length).toBeGreaterThan(20); // the long sums are broken
    const out = compile('loss', tex);
    expect(out.status).toBe(0);
    expect(worstOverfull(out.log)).toBeLessThanOrEqual(20);
  });

  it('names of every shape a loss may use come out as valid LaTeX', () => {
    // Names allowed by the loss parser: letters, digits and _ (a leading or trailing _, Greek names,
    // capitalised Greek names that LaTeX lacks as macros, digits as subscripts).
    const tex = derive(
      '--loss', 'Lambda*x_^2 + _a^4 + theta*a_b_c^2 + lambda1*x_ + exp(pi*_a) + e*theta + Delta*theta^2',
      '--vars', 'x_,_a,theta', '--weight-decay', 'eta', '--order', '1', '--format', 'latex', '--standalone',
    ); // prettier-ignore
    expect(tex).toContain('\\xi_{1,\\theta} &= ');
    expect(compile('names', tex).status).toBe(0);
  });

  it('a loss fragment with a numeric weight decay and --set, pasted into a document', () => {
    const fragment = derive('--loss', 'log(1 + exp(-a*x*y)) + tanh(x)^2', '--set', 'a=0.5', '--weight-decay', '0.01', '--order', '1', '--format', 'latex');
    const tex = `\\documentclass{article}\n\\usepackage{amsmath}\n\\allowdisplaybreaks\n\\begin{document}\n${fragment}\\end{document}\n`;
    expect(compile('lossfragment', tex).status).toBe(0);
  });
});

describe('--standalone needs --format latex', () => {
  it.each([
    [['derive', '--standalone']],
    [['derive', '--format', 'json', '--standalone']],
    [['derive', '--loss', 'x^2', '--format', 'markdown', '--standalone']],
  ])('%j exits 2 with one line', (args) => {
    const r = eom(...args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^eom: error: --standalone needs --format latex/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
