/**
 * The JSON contract of `eom derive --format json` (other tools read it; keep it stable):
 *
 *   { "method": "gd", "order": K,
 *     "xi": [ { "k": 0, "terms": [ { "tree": [1,2], "coefficient": "1/2", "text": "H g", "latex": "H g" } ] } ] }
 *
 * `coefficient` c is exact ("p/q" or an integer) with ξ_k = Σ c·F(τ), no symmetry factor.
 */
import { Rational } from '../series/fraction.js';
import type { TreeSeries } from '../series/treeSeries.js';
import { elementaryLatex, elementaryText } from './elementary.js';
import { checkedLatex } from './katexCheck.js';

export interface CounterTermsJson {
  method: string;
  order: number;
  xi: { k: number; terms: { tree: number[]; coefficient: string; text: string; latex: string }[] }[];
}

export function counterTermsJson(method: string, xi: readonly TreeSeries<Rational>[]): CounterTermsJson {
  return {
    method,
    order: xi.length - 1,
    xi: xi.map((s, k) => ({
      k,
      terms: s.terms().map((t) => ({
        tree: [...t.tree.levelSequence],
        coefficient: Rational.toString(t.coefficient),
        text: elementaryText(t.tree, s.store),
        latex: checkedLatex(elementaryLatex(t.tree, s.store)),
      })),
    })),
  };
}
