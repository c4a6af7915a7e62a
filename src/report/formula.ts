/**
 * One formula rendered server-side by KaTeX (throwOnError: a formula that does not render is a
 * bug, never a red error box in the page), wrapped in an element of class `formula`. A closed
 * form longer than LONG_FORMULA characters of LaTeX is still rendered in full, inside a scrolling
 * box headed by its size, so it cannot break the page.
 *
 * @example
 *   renderFormula('\\xi_0 = \\tfrac12 H g') // '<div class="formula"><span class="katex-display">…</span></div>'
 */
import katex from 'katex';
import { escapeXml } from './plot/svgText.js';

/** LaTeX length from which a formula is shown in a scrolling box. */
export const LONG_FORMULA = 20_000;

export function renderFormula(tex: string): string {
  const long = tex.length > LONG_FORMULA;
  let html: string;
  try {
    // Inline mode in \displaystyle: display-sized fractions, and KaTeX may break the line after a
    // top-level + or =, so a long closed form wraps instead of running off the page.
    // MathML beside the HTML for screen readers, except for long forms (it would double their size).
    html = katex.renderToString(`\\displaystyle ${tex}`, {
      throwOnError: true,
      displayMode: false,
      output: long ? 'html' : 'htmlAndMathml',
      macros: {},
      maxExpand: Math.max(1000, tex.length),
    });
  } catch (e) {
    throw new Error(`internal: LaTeX does not render (${(e as Error).message}): ${tex.slice(0, 200)}`);
  }
  if (!long) return `<div class="formula">${html}</div>`;
  const note = `<p class="long-note">A long closed form: ${tex.length.toLocaleString('en-US')} characters of LaTeX, shown in full below (scroll inside the box).</p>`;
  return `${note}<div class="formula long" data-tex-length="${tex.length}">${html}</div>`;
}

/** Inline text that may contain a name of a parameter or a loss: always escaped. */
export const text = (s: string) => escapeXml(s);
