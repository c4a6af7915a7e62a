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

export function renderFormula(tex: string, options: { display?: boolean } = {}): string {
  const display = options.display ?? true;
  const long = tex.length > LONG_FORMULA;
  let html: string;
  try {
    // MathML beside the HTML for screen readers, except for long forms (it would double their size).
    html = katex.renderToString(tex, { throwOnError: true, displayMode: display, output: long ? 'html' : 'htmlAndMathml', macros: {}, maxExpand: Math.max(1000, tex.length) });
  } catch (e) {
    throw new Error(`internal: LaTeX does not render (${(e as Error).message}): ${tex.slice(0, 200)}`);
  }
  const tag = display ? 'div' : 'span';
  if (!long) return `<${tag} class="formula">${html}</${tag}>`;
  const note = `<p class="long-note">A long closed form: ${tex.length.toLocaleString('en-US')} characters of LaTeX, shown in full below (scroll inside the box).</p>`;
  return `${note}<${tag} class="formula long" data-tex-length="${tex.length}">${html}</${tag}>`;
}

/** Inline text that may contain a name of a parameter or a loss: always escaped. */
export const text = (s: string) => escapeXml(s);
