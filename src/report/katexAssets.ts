/**
 * KaTeX's stylesheet made self-contained: each @font-face keeps only its woff2 source, embedded
 * as a base64 data: URI read from the installed katex package, so a report needs no network.
 *
 * @example
 *   const css = inlineKatexCss(); // '.katex{…}@font-face{font-family:KaTeX_AMS;src:url(data:font/woff2;base64,…)…'
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: string | undefined;

export function inlineKatexCss(): string {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve('katex/dist/katex.min.css'));
  const css = readFileSync(join(dist, 'katex.min.css'), 'utf8');
  cached = embedFonts(css, (file) => readFileSync(join(dist, file)));
  return cached;
}

/**
 * Rewrite every `src:` of an @font-face to its woff2 file as a data: URI (the woff/ttf fallbacks
 * are dropped: every browser that runs KaTeX reads woff2). Throws if a font-face has no woff2.
 *
 * @example
 *   embedFonts('@font-face{src:url(fonts/A.woff2) format("woff2")}', readFont)
 *   // '@font-face{src:url(data:font/woff2;base64,…) format("woff2")}'
 */
export function embedFonts(css: string, read: (file: string) => Buffer): string {
  return css.replace(/src:([^;}]*)/g, (_all, sources: string) => {
    const woff2 = /url\(["']?([^)"']+\.woff2)["']?\)/.exec(sources);
    if (!woff2) throw new Error(`internal: a KaTeX @font-face has no woff2 source: ${sources.slice(0, 80)}`);
    return `src:url(data:font/woff2;base64,${read(woff2[1]!).toString('base64')}) format("woff2")`;
  });
}
