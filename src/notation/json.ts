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
 *
 * counterTermsJsonWriter writes the same document as `JSON.stringify(counterTermsJson(…), null, 2)`,
 * a term at a time (orders 13 and up run to hundreds of MB).
 */
import type { Field } from '../series/field.js';
import type { TreeSeries } from '../series/treeSeries.js';
import type { RootedTree, TreeStore } from '../trees/store.js';
import { coefficientStyles, type CoefficientStyles } from './coefficients.js';
import type { MethodInfo } from './methodInfo.js';
import type { CounterTermsWriter } from './render.js';
import type { Write } from './sink.js';
import { plainNotation, type TermNotation } from './termNotation.js';

type TermJson = { tree: number[]; coefficient: string; text: string; latex: string } & Record<string, unknown>;

export interface CounterTermsJson {
  method: string;
  params: Record<string, string>;
  leading: string;
  condition?: string;
  order: number;
  xi: { k: number; terms: TermJson[] }[];
}

/** With batch notation, each term also has "labels" (the batch label of each node, in tree order) and "labelSum". */
export function counterTermsJson<C>(method: string | MethodInfo<C>, xi: readonly TreeSeries<C>[], notation: TermNotation = plainNotation): CounterTermsJson {
  const styles = xi[0] ? coefficientStyles(xi[0].field) : undefined;
  return {
    ...jsonHead(method, styles, xi.length - 1),
    xi: xi.map((s, k) => ({ k, terms: s.terms().map((t) => termJson(t.tree, t.coefficient, s.store, styles!, notation)) })),
  };
}

/** Everything before "xi". */
function jsonHead<C>(method: string | MethodInfo<C>, styles: CoefficientStyles<C> | undefined, K: number): Omit<CounterTermsJson, 'xi'> {
  const info = typeof method === 'string' ? undefined : method;
  // A null-prototype object: parameter names are user data.
  const params = Object.create(null) as Record<string, string>;
  for (const [k, v] of info?.params ?? []) params[k] = v;
  return {
    method: info?.name ?? (method as string),
    params,
    leading: info && styles ? styles.exact(info.leading) : '1',
    ...(info?.condition ? { condition: info.condition } : {}),
    order: K,
  };
}

function termJson<C>(tree: RootedTree, coefficient: C, store: TreeStore, styles: CoefficientStyles<C>, notation: TermNotation): TermJson {
  return {
    tree: [...tree.levelSequence],
    ...notation.json?.(tree),
    coefficient: styles.exact(coefficient),
    text: notation.text(tree, store),
    latex: notation.latex(tree, store),
  };
}

/** `value` as JSON.stringify(…, null, 2) prints it at nesting depth `depth` (its lines indented). */
function nested(value: unknown, depth: number): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${'  '.repeat(depth)}`);
}

/**
 * `JSON.stringify({ ...counterTermsJson(method, xi, notation), ...after }, null, 2) + '\n'` for
 * ξ_0 … ξ_K, written as it goes: the head, then each order's terms one by one, then the fields of
 * `after` (SGD adds its sampling and batch count).
 *
 * @example
 *   const w = counterTermsJsonWriter(write, info, 1, solver.field);
 *   w.order(solver.xi(0)); w.order(solver.xi(1)); w.end();
 */
export function counterTermsJsonWriter<C>(
  write: Write,
  method: string | MethodInfo<C>,
  K: number,
  field: Field<C> | undefined,
  notation: TermNotation = plainNotation,
  after: Readonly<Record<string, unknown>> = {},
): CounterTermsWriter<C> {
  const styles = field ? coefficientStyles(field) : undefined;
  const head = JSON.stringify(jsonHead(method, styles, K), null, 2);
  write(`${head.slice(0, -2)},\n  "xi": [`);
  let k = 0;
  return {
    order(s) {
      write(`${k > 0 ? ',' : ''}\n    {\n      "k": ${k},\n      "terms": [`);
      let first = true;
      for (const t of s.terms()) {
        write(`${first ? '' : ','}\n        ${nested(termJson(t.tree, t.coefficient, s.store, styles!, notation), 4)}`);
        first = false;
      }
      write(first ? ']\n    }' : '\n      ]\n    }');
      k++;
    },
    end() {
      write(k > 0 ? '\n  ]' : ']');
      for (const [key, value] of Object.entries(after)) write(`,\n  ${JSON.stringify(key)}: ${nested(value, 1)}`);
      write('\n}\n');
    },
  };
}
