/**
 * The JSON contract of `eom derive --format json` (other tools read it; keep it stable):
 *
 *   { "method": "gd", "params": {}, "leading": "1", "order": K,
 *     "xi": [ { "k": 0, "terms": [ { "tree": [1,2], "coefficient": "1/2", "text": "H g", "latex": "H g" } ] } ] }
 *
 * `coefficient` c is exact and mathjs-parsable ("p/q", an integer, or a rational function of the
 * symbolic hyperparameters such as "(1 + beta)/(2*(1 - beta)^3)") with ξ_k = Σ c·F(τ), no symmetry
 * factor; `leading` is c in dθ/dt = −c·g − η Σ η^k ξ_k; `params` maps each hyperparameter to its
 * exact value, or to its own name when it is kept as a symbol.
 */
import type { TreeSeries } from '../series/treeSeries.js';
import { coefficientStyles } from './coefficients.js';
import type { MethodInfo } from './methodInfo.js';
import { plainNotation, type TermNotation } from './termNotation.js';

export interface CounterTermsJson {
  method: string;
  params: Record<string, string>;
  leading: string;
  condition?: string;
  order: number;
  xi: { k: number; terms: ({ tree: number[]; coefficient: string; text: string; latex: string } & Record<string, unknown>)[] }[];
}

/** With batch notation, each term also has "labels" (the batch label of each node, in tree order) and "labelSum". */
export function counterTermsJson<C>(method: string | MethodInfo<C>, xi: readonly TreeSeries<C>[], notation: TermNotation = plainNotation): CounterTermsJson {
  const info = typeof method === 'string' ? undefined : method;
  const styles = xi[0] ? coefficientStyles(xi[0].field) : undefined;
  // A null-prototype object: parameter names are user data.
  const params = Object.create(null) as Record<string, string>;
  for (const [k, v] of info?.params ?? []) params[k] = v;
  return {
    method: info?.name ?? (method as string),
    params,
    leading: info && styles ? styles.exact(info.leading) : '1',
    ...(info?.condition ? { condition: info.condition } : {}),
    order: xi.length - 1,
    xi: xi.map((s, k) => ({
      k,
      terms: s.terms().map((t) => ({
        tree: [...t.tree.levelSequence],
        ...notation.json?.(t.tree),
        coefficient: styles!.exact(t.coefficient),
        text: notation.text(t.tree, s.store),
        latex: notation.latex(t.tree, s.store),
      })),
    })),
  };
}
