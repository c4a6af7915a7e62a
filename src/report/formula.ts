/**
 * One formula rendered server-side by KaTeX (throwOnError: a formula that does not render is a
 * bug, never a red error box in the page), wrapped in an element of class `formula`. A closed
 * form longer than LONG_FORMULA characters of LaTeX is still rendered in full, inside a scrolling
 * box headed by its size, so it cannot break the page. One longer than SOURCE_FORMULA is checked by
 * KaTeX the same way but shown as its LaTeX source, to copy: KaTeX writes some 80 bytes of HTML per
 * character of LaTeX, so the 230,000-character ξ₂ of a modest two-parameter loss would put 18 MB of
 * markup in the page.
 *
 * @example
 *   renderFormula('\\xi_0 = \\tfrac12 H g') // '<div class="formula"><span class="katex-display">…</span></div>'
 */
import katex from 'katex';
import { escapeXml } from './plot/svgText.js';

/** LaTeX length from which a formula is shown in a scrolling box. */
export const LONG_FORMULA = 20_000;
/** LaTeX length from which a formula is shown as its (checked) LaTeX source instead of typeset. */
export const SOURCE_FORMULA = 50_000;

/** Whether renderFormula typesets `tex` (a `.formula` element) rather than showing its source. */
export function typesets(tex: string): boolean {
  return tex.length <= SOURCE_FORMULA;
}

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
  if (!typesets(tex)) {
    const mb = (Buffer.byteLength(html) / 1e6).toFixed(1);
    const note = `<p class="long-note">A very long closed form: ${tex.length.toLocaleString('en-US')} characters of LaTeX, too long to typeset in a page (KaTeX's HTML would be ${mb} MB). Its LaTeX source, checked by KaTeX, to copy:</p>`;
    return `${note}<pre class="formula-source" data-tex-length="${tex.length}">${escapeXml(tex)}</pre>`;
  }
  const note = `<p class="long-note">A long closed form: ${tex.length.toLocaleString('en-US')} characters of LaTeX, shown in full below (scroll inside the box).</p>`;
  return `${note}<div class="formula long" data-tex-length="${tex.length}">${html}</div>`;
}

/** Inline text that may contain a name of a parameter or a loss: always escaped. */
export const text = (s: string) => escapeXml(s);
