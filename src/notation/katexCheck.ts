/**
 * Every LaTeX string leaves the program through here: KaTeX must render it with
 * `throwOnError: true`. A fresh `macros` object per call, since `\gdef` writes into it.
 * KaTeX is loaded on the first check, so commands that print no LaTeX never pay for it.
 *
 * @example
 *   checkedLatex('\\frac{1}{2} H g') // returns the string unchanged
 */
import { createRequire } from 'node:module';
import type KaTeX from 'katex';

let katex: typeof KaTeX | undefined;

export function checkedLatex(tex: string, displayMode = false): string {
  katex ??= createRequire(import.meta.url)('katex') as typeof KaTeX;
  try {
    // Long closed forms write many \\operatorname{…} out; allow expansions in proportion to the length.
    katex.renderToString(tex, { throwOnError: true, displayMode, macros: {}, maxExpand: Math.max(1000, tex.length) });
  } catch (e) {
    throw new Error(`internal: generated LaTeX does not render (${(e as Error).message}): ${tex}`);
  }
  return tex;
}
