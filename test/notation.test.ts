import katex from 'katex';
import { describe, expect, it } from 'vitest';
import {
  Rational,
  counterTermsIndex,
  counterTermsJson,
  counterTermsLatex,
  counterTermsMarkdown,
  counterTermsText,
  defaultTreeStore,
  elementaryLatex,
  elementaryText,
  indexForm,
  parseRational,
  seriesText,
  solveCounterTerms,
  treeOfLevelSequence,
  seriesLatex,
  rational,
  CounterTermSolver,
  methodRule,
  parseRecurrence,
} from '../src/index.js';
import { rationalStyles } from '../src/notation/coefficients.js';

const xi = solveCounterTerms(6);

describe('plain text', () => {
  it('prints the published forms', () => {
    // Source: Miyagawa 2022 / DESIGN.md §2 (ξ_0 = ½Hg, ξ_1 = ⅓H²g + 1/12 ∇³L[g,g]); the spelling is the issue's.
    expect(seriesText(xi[0]!)).toBe('1/2 H g');
    expect(seriesText(xi[1]!)).toBe('1/3 H^2 g + 1/12 ∇³L[g, g]');
  });

  it('collapses H chains and names every elementary differential', () => {
    // Source: F([τ]) = H F(τ), F([τ1..τm]) = ∇^{m+1}L[F(τ1)..F(τm)] (DESIGN.md §2), read off by hand.
    expect(elementaryText(treeOfLevelSequence([1]))).toBe('g');
    expect(elementaryText(treeOfLevelSequence([1, 2, 3, 4, 5]))).toBe('H^4 g');
    expect(elementaryText(treeOfLevelSequence([1, 2, 3, 2]))).toBe('∇³L[H g, g]');
    expect(elementaryText(treeOfLevelSequence([1, 2, 3, 3]))).toBe('H ∇³L[g, g]');
    expect(elementaryText(treeOfLevelSequence([1, 2, 3, 4, 4, 2]))).toBe('∇³L[H ∇³L[g, g], g]');
    expect(elementaryText(treeOfLevelSequence([1, ...Array(10).fill(2)]))).toBe(`∇¹¹L[${Array(10).fill('g').join(', ')}]`);
  });

  it('gives distinct trees distinct names (readable and unambiguous), up to 10 nodes', () => {
    for (let n = 1; n <= 10; n++) {
      const names = defaultTreeStore.ofOrder(n).map((t) => elementaryText(t));
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('lists one line per order with signs in the joins', () => {
    const text = counterTermsText(xi.slice(0, 4));
    expect(text.split('\n').filter(Boolean)).toHaveLength(4);
    expect(text).toContain(' - 1/720 ∇⁵L[g, g, g, g]');
    expect(text).not.toMatch(/\+ -/);
  });
});

describe('LaTeX', () => {
  it('every string renders with KaTeX (throwOnError)', () => {
    // The whole align* environment, as a display: KaTeX parses the environment and every line of it.
    expect(() => katex.renderToString(counterTermsLatex(xi), { throwOnError: true, displayMode: true })).not.toThrow();
    for (let n = 1; n <= 10; n++) {
      for (const t of defaultTreeStore.ofOrder(n)) {
        expect(() => katex.renderToString(elementaryLatex(t), { throwOnError: true })).not.toThrow();
      }
    }
  });

  it('every rule the unchecked run-time path composes renders: all trees ≤ 10 nodes, every coefficient shape, signs, joins, align rows', () => {
    // The run time does not re-check sums (KaTeX is quadratic in a sum's length): these rules are checked here instead.
    const render = (tex: string, display = false) => expect(() => katex.renderToString(tex, { throwOnError: true, displayMode: display, macros: {} }), tex).not.toThrow();
    const gd = solveCounterTerms(8); // every tree with 2 … 10 nodes that GD uses, with its coefficient
    for (const s of gd) render(seriesLatex(s));
    render(counterTermsLatex(gd), true);
    const R = rationalStyles.latex;
    for (const c of [rational(1), rational(-1), rational(7), rational(-1, 12), rational(123456789, 1000000007)]) {
      render(`${R.negative(c) ? '-' : ''}${R.magnitude(c)} H g`);
      render(rationalStyles.exactLatex(c));
    }
    for (const method of ['heavy-ball', 'nesterov', 'nesterov-lookahead']) {
      const solver = new CounterTermSolver(methodRule(method));
      const xi = solver.solveThrough(4);
      for (const s of xi) render(seriesLatex(s));
      render(counterTermsLatex(xi, { info: { name: method, description: method, params: new Map([['beta', 'beta']]), leading: solver.leading } }), true);
    }
    // Several symbols, long names and subscripts (Z[β][γ]… from a written recurrence).
    const two = new CounterTermSolver(parseRecurrence('theta[n+1] = theta[n] - eta*grad(theta[n]) + beta*(theta[n] - theta[n-1]) + gamma_2*(theta[n-1] - theta[n-2]) - eta*mylr*grad(theta[n-1]) + eta*mylr*grad(theta[n])'));
    for (const s of two.solveThrough(2)) render(seriesLatex(s));
  });

  it('uses fractions and braces', () => {
    // Published values (Miyagawa 2022; DESIGN §2): ξ_0 = ½ H g, ξ_1 = ⅓ H²g + 1/12 ∇³L[g,g], one align* row each.
    expect(counterTermsLatex(xi.slice(0, 2))).toBe(
      '\\begin{align*}\n\\xi_{0} &= \\frac{1}{2} H g \\\\\n\\xi_{1} &= \\frac{1}{3} H^{2} g + \\frac{1}{12} \\nabla^{3} L[g, g]\n\\end{align*}\n',
    );
  });
});

describe('index notation', () => {
  it('writes H²g and ∇³L[g,g] in Einstein form', () => {
    expect(indexForm(treeOfLevelSequence([1, 2, 3]))).toBe('L_{ij} L_{jk} L_{k}');
    expect(indexForm(treeOfLevelSequence([1, 2, 2]))).toBe('L_{ijk} L_{j} L_{k}');
    expect(counterTermsIndex(xi.slice(0, 1))).toContain('(ξ_0)_i = 1/2 L_{ij} L_{j}');
  });

  it('every summed index appears exactly twice and i once (all trees ≤ 12 nodes)', () => {
    for (let n = 1; n <= 12; n++) {
      for (const t of defaultTreeStore.ofOrder(n)) {
        const idx = [...indexForm(t).matchAll(/L_\{([^}]*)\}/g)].flatMap((m) => m[1]!.match(/j_\{\d+\}|[a-z]/g)!);
        const counts = new Map<string, number>();
        for (const x of idx) counts.set(x, (counts.get(x) ?? 0) + 1);
        expect(counts.get('i')).toBe(1);
        for (const [name, c] of counts) if (name !== 'i') expect(c, `${name} in ${indexForm(t)}`).toBe(2);
        expect(counts.size).toBe(n); // i plus one summed index per edge
      }
    }
  });
});

describe('JSON contract', () => {
  it('has method, order, and K+1 entries whose exact coefficients reproduce the series', () => {
    const json = JSON.parse(JSON.stringify(counterTermsJson('gd', xi)));
    expect(json.method).toBe('gd');
    expect(json.order).toBe(6);
    expect(json.xi).toHaveLength(7);
    expect(json.xi[0]).toEqual({ k: 0, terms: [{ tree: [1, 2], coefficient: '1/2', text: 'H g', latex: 'H g' }] });
    json.xi.forEach((entry: { k: number; terms: { tree: number[]; coefficient: string }[] }, k: number) => {
      expect(entry.k).toBe(k);
      expect(entry.terms).toHaveLength(xi[k]!.size); // zero coefficients left out
      for (const term of entry.terms) {
        expect(term.coefficient).toMatch(/^-?\d+(\/\d+)?$/);
        const c = parseRational(term.coefficient);
        expect(Rational.equals(c, xi[k]!.coefficient(treeOfLevelSequence(term.tree)))).toBe(true);
        expect(Rational.isZero(c)).toBe(false);
      }
    });
  });
});

describe('Markdown', () => {
  it('has a section and a table row per term', () => {
    const md = counterTermsMarkdown('gradient descent', xi.slice(0, 3));
    expect(md).toContain('## ξ_2');
    expect(md.match(/^\| \[/gm)).toHaveLength(1 + 2 + 3);
    expect(md).toContain('| [1,2,2] | 2 | 1/12 | ∇³L[g, g] | $\\nabla^{3} L[g, g]$ |');
  });
});
