/**
 * The committed example reports in a real browser (Debian's chromium through playwright-core),
 * opened from disk with every non-file request blocked: no console or page errors, every formula
 * rendered by KaTeX (the count of rendered .formula elements equals the body's data-formulas),
 * no .katex-error, every plot an <svg> whose paths all have a non-empty d. A full-page screenshot
 * of each goes to test-output/<name>.png for a human to look at.
 *
 * Fails (does not skip) without /usr/bin/chromium: CI installs it with `apt-get install chromium`.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { repoRoot } from './helpers/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const EXAMPLE_REPORTS = ['quartic', 'logistic', 'sgd', 'adam'] as const;
/** Plots per page: quartic has two parameters (trajectories, distance, local and global errors); logistic no plane plot; sgd one per parameter, the distance to the mean and the one-epoch errors; adam one per parameter, the distance, PyTorch's transient, local and global errors. */
const PLOTS = { quartic: 4, logistic: 3, sgd: 4, adam: 6 } as const;

interface PageCounts {
  declared: number;
  formulas: number;
  rendered: number;
  katex: number;
  errors: number;
  svgs: number;
  emptyPaths: number;
  seriesPaths: number[];
  katexFontsLoaded: number;
}

describe('example reports in chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: the browser test needs it (apt-get install chromium)`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync', '--disable-quic'],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  for (const name of EXAMPLE_REPORTS) {
    it(`${name}.html renders offline without errors`, async () => {
      const file = join(repoRoot, 'docs', 'examples', `${name}.html`);
      expect(existsSync(file), `${file} is missing: run npm run docs:examples`).toBe(true);
      const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
      const problems: string[] = [];
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        problems.push(`network request blocked: ${url}`);
        return route.abort();
      });
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      // Page code as a string: the test's TypeScript has no DOM types, the browser runs it as is.
      await page.evaluate('document.fonts.ready.then(() => undefined)');
      const counts = (await page.evaluate(`(() => {
        const formulas = [...document.querySelectorAll('.formula')];
        return {
          declared: Number(document.body.dataset.formulas),
          formulas: formulas.length,
          // Exactly one rendered KaTeX root per formula (KaTeX does not nest .katex).
          rendered: formulas.filter((f) => f.querySelectorAll('.katex').length === 1).length,
          katex: document.querySelectorAll('.katex').length,
          errors: document.querySelectorAll('.katex-error').length,
          svgs: document.querySelectorAll('svg.plot').length,
          emptyPaths: [...document.querySelectorAll('svg.plot path')].filter((p) => (p.getAttribute('d') || '').trim() === '').length,
          seriesPaths: [...document.querySelectorAll('svg.plot')].map((s) => s.querySelectorAll('path.series[d], path.markers[d]').length),
          katexFontsLoaded: [...document.fonts].filter((f) => f.family.includes('KaTeX') && f.status === 'loaded').length,
        };
      })()`)) as PageCounts;
      expect(counts.declared).toBeGreaterThan(0);
      expect(counts.formulas).toBe(counts.declared);
      expect(counts.rendered).toBe(counts.declared);
      expect(counts.katex).toBe(counts.declared);
      expect(counts.errors).toBe(0);
      expect(counts.svgs).toBe(PLOTS[name]);
      expect(counts.emptyPaths).toBe(0);
      for (const n of counts.seriesPaths) expect(n).toBeGreaterThan(0);
      // The embedded fonts really are used (a data: URI that does not decode would leave them unloaded).
      expect(counts.katexFontsLoaded).toBeGreaterThan(0);

      mkdirSync(join(repoRoot, 'test-output'), { recursive: true });
      await page.screenshot({ path: join(repoRoot, 'test-output', `${name}.png`), fullPage: true });
      await context.close();
      expect(problems).toEqual([]);
    });
  }
});
