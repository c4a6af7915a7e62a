/**
 * The notation of SGD's labelled terms: every body of ξ_0…ξ_3 (both samplings, m symbolic) renders
 * with KaTeX, on its own and with its coefficient, so no sum is checked at run time; text, index
 * notation and JSON name the labels consistently.
 */
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { sgdPatternSeries } from '../src/derive/batchPatterns.js';
import { batchNotation, labelLetters } from '../src/notation/batchNotation.js';
import { counterTermsIndex, counterTermsLatex, counterTermsText } from '../src/notation/render.js';
import { counterTermsJson } from '../src/notation/json.js';
import { counterTermsMarkdown } from '../src/notation/markdown.js';
import { treeOfLevelSequence } from '../src/trees/canonical.js';
import { TreeStore } from '../src/trees/store.js';

const render = (tex: string, displayMode = false) =>
  expect(() => katex.renderToString(tex, { throwOnError: true, displayMode, macros: {}, maxExpand: Math.max(1000, tex.length) }), tex).not.toThrow();

describe('labelled-tree notation', () => {
  for (const sampling of ['cyclic', 'shuffle'] as const) {
    it(`${sampling}: every body and every ξ_k through ξ_3 renders with KaTeX`, () => {
      const s = sgdPatternSeries(3, sampling);
      const notation = batchNotation(s.labelSum);
      let bodies = 0;
      for (const series of s.xi) {
        for (const t of series.terms()) {
          render(notation.latex(t.tree, s.store));
          bodies++;
        }
      }
      expect(bodies).toBeGreaterThan(sampling === 'cyclic' ? 300 : 40);
      // Every body above; the align* block (KaTeX is quadratic in a block's length) through ξ_1.
      const block = counterTermsLatex(s.xi.slice(0, 2), { notation });
      render(block, true);
      for (const [, math] of notation.latexLegend.matchAll(/\$([^$]*)\$/g)) render(math!);
    });
  }

  it('writes labels as sums: one label k, several j < k < l (cyclic) or distinct (shuffle)', () => {
    const store = new TreeStore({ colours: 3 });
    const same = treeOfLevelSequence([1, 2], store, [0, 0]);
    const two = treeOfLevelSequence([1, 2], store, [1, 0]);
    const three = treeOfLevelSequence([1, 2, 2], store, [2, 1, 0]);
    const cyclic = batchNotation('increasing');
    const shuffle = batchNotation('distinct');
    expect(cyclic.text(same, store)).toBe('Σ_k H_k g_k');
    expect(cyclic.text(two, store)).toBe('Σ_{j<k} H_k g_j');
    expect(shuffle.text(two, store)).toBe('Σ_{j≠k} H_k g_j');
    expect(shuffle.text(three, store)).toBe('Σ_{j,k,l distinct} ∇³L_l[g_k, g_j]');
    expect(cyclic.latex(three, store)).toBe('\\sum_{j < k < l} \\nabla^{3} L_{l}[g_{k}, g_{j}]');
    expect(cyclic.index(two, store)).toBe('Σ_{j<k} L^{(k)}_{ia} L^{(j)}_{a}');
    // A run of one batch's Hessian is a power; a change of batch breaks it.
    const chain = treeOfLevelSequence([1, 2, 3, 4], store, [1, 1, 0, 0]);
    expect(cyclic.text(chain, store)).toBe('Σ_{j<k} H_k^2 H_j g_j');
    expect(labelLetters(1)).toEqual(['k']);
    expect(labelLetters(7)).toEqual(['j', 'k', 'l', 'p', 'q', 'r', 's']);
    expect(() => labelLetters(8)).toThrow(/at most 7/);
    // distinct labels in LaTeX: two, and three or more
    expect(shuffle.latex(two, store)).toBe('\\sum_{j \\neq k} H_{k} g_{j}');
    expect(shuffle.latex(three, store)).toBe('\\sum_{j, k, l\\, \\mathrm{distinct}} \\nabla^{3} L_{l}[g_{k}, g_{j}]');
    expect(cyclic.text(three, store)).toBe('Σ_{j<k<l} ∇³L_l[g_k, g_j]');
    // index notation: tensor indices a, b, … per edge, in preorder; a root with two children has three indices
    expect(cyclic.index(three, store)).toBe('Σ_{j<k<l} L^{(l)}_{iab} L^{(k)}_{a} L^{(j)}_{b}');
    expect(cyclic.index(chain, store)).toBe('Σ_{j<k} L^{(k)}_{ia} L^{(k)}_{ab} L^{(j)}_{bc} L^{(j)}_{c}');
    // beyond eight edges the tensor indices continue as a_{9}, a_{10}, …
    const one = new TreeStore({ colours: 1 });
    const long = treeOfLevelSequence([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], one);
    expect(batchNotation('distinct').index(long, one)).toBe(
      'Σ_k L^{(k)}_{ia} L^{(k)}_{ab} L^{(k)}_{bc} L^{(k)}_{cd} L^{(k)}_{de} L^{(k)}_{ef} L^{(k)}_{fg} L^{(k)}_{gh} L^{(k)}_{ha_{9}} L^{(k)}_{a_{9}}',
    );
  });

  it('states how labels are summed, in the legend of every format', () => {
    expect(batchNotation('increasing').legend.join('\n')).toContain('labels j, k, l, … run over 1..m in increasing order');
    expect(batchNotation('distinct').legend.join('\n')).toContain('labels j, k, l, … run over 1..m over distinct values');
    expect(batchNotation('distinct').latexLegend).toBe(
      'Here $L = \\frac{1}{m} \\sum_{k} L_{k}$ over $m$ batches, $g_{k} = \\nabla L_{k}$, $H_{k} = \\nabla^{2} L_{k}$, and the batch labels $j, k, l, \\dots$ run over $1, \\dots, m$ over distinct values.',
    );
    expect(sgdPatternSeries(0, 'cyclic').labelSum).toBe('increasing');
    expect(sgdPatternSeries(0, 'shuffle').labelSum).toBe('distinct');
  });

  it('random reshuffling prints one term per orbit of patterns: ξ_1 has seven (hand derivation in derivations/sgd-shuffle-symmetric.json)', () => {
    const s = sgdPatternSeries(1, 'shuffle');
    expect(counterTermsText(s.xi, undefined, batchNotation(s.labelSum)).split('\n').at(-2)).toBe(
      'ξ_1 = 1/(12*m) Σ_{j≠k} H_k^2 g_j - 1/(6*m) Σ_{j≠k} H_k H_j g_k + 1/(12*m) Σ_{j≠k} H_k H_j g_j + 1/(3*m) Σ_k H_k^2 g_k - 1/(12*m) Σ_{j≠k} ∇³L_k[g_k, g_j] + 1/(12*m) Σ_{j≠k} ∇³L_k[g_j, g_j] + 1/(12*m) Σ_k ∇³L_k[g_k, g_k]',
    );
  });

  it('text, index, Markdown and JSON outputs carry the legend and the labels', () => {
    const s = sgdPatternSeries(1, 'shuffle');
    const notation = batchNotation(s.labelSum);
    const text = counterTermsText(s.xi, undefined, notation);
    expect(text).toContain('ξ_0 = 1/(2*m) Σ_k H_k g_k\n');
    expect(text).toMatch(/^# L = \(1\/m\) Σ_k L_k over m batches/);
    expect(counterTermsIndex(s.xi, undefined, notation)).toContain('(ξ_0)_i = 1/(2*m) Σ_k L^{(k)}_{ia} L^{(k)}_{a}');
    expect(counterTermsMarkdown('sgd', s.xi, undefined, notation)).toContain('| [1,2] | 1 | 1/(2*m) | Σ_k H_k g_k |');
    const json = counterTermsJson('sgd', s.xi, notation);
    expect(json.xi[0]!.terms).toEqual([{ tree: [1, 2], labels: ['k', 'k'], labelSum: 'distinct', coefficient: '1/(2*m)', text: 'Σ_k H_k g_k', latex: '\\sum_{k} H_{k} g_{k}' }]);
  });
});
