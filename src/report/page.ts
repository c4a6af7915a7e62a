/**
 * The page every report shares: the HTML document around its sections (KaTeX's stylesheet with
 * its fonts embedded, the page's CSS, no script), the section, fact-row and figure markup, and a
 * collector of rendered formulas for the body's data-formulas count.
 *
 * @example
 *   const f = formulaCollector();
 *   htmlPage({ title: 'T', formulas: f.count(), nav: [['setup', 'Setup']], sections: [section('setup', 'Setup', [f.formula('x^2')])], footer: '' })
 */
import { inlineKatexCss } from './katexAssets.js';
import { renderFormula, text } from './formula.js';

export interface PageParts {
  readonly title: string;
  /** The number of .formula elements in the sections. */
  readonly formulas: number;
  /** [section id, link text] of the navigation line. */
  readonly nav: readonly (readonly [string, string])[];
  readonly sections: readonly string[];
  /** The footer's inner HTML. */
  readonly footer: string;
}

/**
 * The whole document around the sections.
 *
 * @example
 *   htmlPage({ title: 'T', formulas: 0, nav: [], sections: [], footer: '' }) // '<!DOCTYPE html>…'
 */
export function htmlPage(parts: PageParts): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${text(parts.title)}</title>`,
    `<style>${inlineKatexCss()}</style>`,
    `<style>${PAGE_CSS}</style>`,
    '</head>',
    `<body data-formulas="${parts.formulas}">`,
    '<main>',
    `<h1>${text(parts.title)}</h1>`,
    `<nav>${parts.nav.map(([id, t]) => `<a href="#${id}">${t}</a>`).join(' · ')}</nav>`,
    ...parts.sections,
    `<footer>${parts.footer}</footer>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * Renders formulas and counts them.
 *
 * @example
 *   const f = formulaCollector(); f.formula('x'); f.count() // 1
 */
export function formulaCollector(): { formula: (tex: string) => string; count: () => number } {
  let n = 0;
  return {
    formula: (tex) => {
      n++;
      return renderFormula(tex);
    },
    count: () => n,
  };
}

/**
 * A scrolling table of plain-text cells, the first cell of each row its header.
 *
 * @example
 *   numbersTable(['flow', 'slope'], [['GF', '2.01']]) // '<div class="scroll"><table class="numbers">…'
 */
export function numbersTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `<div class="scroll"><table class="numbers"><thead><tr>${head.map((h) => `<th>${text(h)}</th>`).join('')}</tr></thead><tbody>`,
    ...rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${text(c)}</th>` : `<td>${text(c)}</td>`)).join('')}</tr>`),
    '</tbody></table></div>',
  ].join('\n');
}

/**
 * Markup helpers: a section with its heading, a fact row, a figure with its caption, subscript
 * digits, a number to 6 significant digits.
 *
 * @example
 *   section('setup', 'Setup', [fact('m', '3')]) // '<section id="setup">\n<h2>Setup</h2>\n<tr>…</tr>\n</section>'
 *   sub(12) // '₁₂'
 */
export const section = (id: string, title: string, body: string[]) => `<section id="${id}">\n<h2>${text(title)}</h2>\n${body.filter(Boolean).join('\n')}\n</section>`;
export const fact = (k: string, v: string) => `<tr><th scope="row">${text(k)}</th><td>${v}</td></tr>`;
export const figure = (svg: string, caption: string) => `<figure>${svg}<figcaption>${text(caption)}</figcaption></figure>`;
export const sub = (k: number) => String(k).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]!);
export const num = (x: number) => String(Number(x.toPrecision(6)));

/**
 * A parameter name as a LaTeX subscript (as `eom derive --format latex` writes it).
 *
 * @example
 *   latexName('x') // 'x';  latexName('w_1') // '\\mathrm{w\\_1}'
 */
export function latexName(v: string): string {
  return /^[A-Za-z]$/.test(v) ? v : `\\mathrm{${v.replace(/_/g, '\\_')}}`;
}

const PAGE_CSS = `
:root { color-scheme: light; }
body { margin: 0; background: #fafafa; color: #1a1a1a; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
h1 { font-size: 1.6rem; margin: 0.2em 0 0.4em; word-break: break-word; }
h2 { font-size: 1.25rem; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
h3 { font-size: 1.05rem; margin: 1.2em 0 0.3em; }
nav { font-size: 0.95rem; color: #555; }
nav a { color: #0b5cad; text-decoration: none; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; background: #f2f2f2; padding: 0 0.25em; border-radius: 3px; word-break: break-all; }
.formula { margin: 0.9em 0; padding-left: 2.5em; text-indent: -2.5em; line-height: 2.4; overflow-x: auto; overflow-y: hidden; }
.formula .katex { font-size: 1.12em; text-indent: 0; }
.formula.long { max-height: 24em; overflow: auto; border: 1px solid #ddd; border-radius: 4px; padding: 4px 8px; background: #fcfcfc; }
.long-note { font-size: 0.9rem; color: #7a4a00; margin: 0.3em 0; }
figure { margin: 1.2em 0; }
figure svg { width: 100%; height: auto; display: block; border: 1px solid #e6e6e6; border-radius: 4px; }
figcaption { font-size: 0.9rem; color: #444; margin-top: 0.4em; }
table { border-collapse: collapse; }
.facts th { text-align: left; font-weight: 600; padding: 2px 16px 2px 0; vertical-align: top; white-space: nowrap; }
.facts td { padding: 2px 0; }
.scroll { overflow-x: auto; }
.numbers { font-size: 0.88rem; font-variant-numeric: tabular-nums; margin: 0.8em 0; }
.numbers th, .numbers td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: right; white-space: nowrap; }
.numbers th[scope="row"] { text-align: left; }
.numbers thead th { border-bottom: 2px solid #ccc; }
.pass { color: #0a6b2f; font-weight: 600; }
.fail { color: #b00020; font-weight: 600; }
.warnings { color: #8a3b00; }
footer { margin-top: 3em; font-size: 0.85rem; color: #666; }
`;
