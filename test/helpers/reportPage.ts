/** Checks every report page must pass, whatever it shows (the GD report and the SGD report). */
import { expect } from 'vitest';

/** No script, no URL but the SVG and MathML namespaces (names, never fetched), fonts as data: URIs. */
export function expectSelfContained(html: string): void {
  expect(html).not.toMatch(/<script/i);
  const urls = [...html.matchAll(/https?:\/\/[^\s"')]+/g)].map((m) => m[0]);
  expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1998/Math/MathML']));
  expect(html).not.toMatch(/url\((?!data:)/);
  expect(html).not.toMatch(/\.woff2?\)|\.ttf\)/);
  expect(html.match(/url\(data:font\/woff2;base64,/g)!.length).toBe(20); // KaTeX 0.16+ ships 20 font faces
}

/** The body's data-formulas is `expected`, and that many formulas are rendered by KaTeX, without errors. */
export function expectFormulas(html: string, expected: number): void {
  const declared = Number(/<body data-formulas="(\d+)"/.exec(html)![1]);
  expect(declared).toBe(expected);
  expect(html.match(/class="formula"/g)!.length).toBe(declared);
  expect(html.match(/class="katex"/g)!.length).toBe(declared);
  expect(html).not.toContain('katex-error');
}
