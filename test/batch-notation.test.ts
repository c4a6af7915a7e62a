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
      const block = counterTermsLatex(s.xi, { notation });
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
    expect(() => labelLetters(8)).toThrow(/at most 7/);
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
