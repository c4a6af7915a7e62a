/**
 * `npm run build`'s last step: the command line in one file, and V8's code cache for it.
 *
 * 1. esbuild bundles dist/cli/main.js and every module it reaches, the dependencies' included, into
 *    dist/cli/eom-cli.cjs (CommonJS), so that their code is in the cache too (package.json pins every
 *    dependency's exact version). KaTeX alone stays in node_modules: notation/katexCheck and
 *    report/katexAssets load it and its files by path at run time, and one copy is enough. A
 *    command's modules stay behind a lazy initialiser, as their dynamic import() was, so a run still
 *    evaluates only the command it invokes. syntax/mathjsFiles.js, which loads mathjs's parser files
 *    by path at run time, is replaced by the same table of files required statically: they (and what
 *    they require) are inlined too.
 * 2. This process loads the bundle the way the bin does (dist/cli/eom.cjs), runs the commands a short
 *    run needs, their output discarded, and writes V8's cache of the compiled functions, behind the
 *    CRC-32 of the bundle and that data, to dist/cli/eom-cli.cjs.cache.
 *
 * Usage: node scripts/bundle-cli.mjs   (after tsc -p tsconfig.build.json)
 */
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const ENTRY = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const LAUNCHER = '../dist/cli/eom.cjs';

/** Commands whose functions the cache holds: the abstract derive and the loss derive (parser included). */
const WARM = [
  ['derive', '--order', '3'],
  ['derive', '--loss', 'x^2*y + y^4/4 + 0.5*exp(x)', '--order', '2'],
  ['derive', '--loss', 'x^2*y', '--method', 'heavy-ball', '--param', 'beta=0.9', '--order', '1', '--format', 'json'],
];

const { BUNDLE, CACHE, loadCli, cacheBytes } = require(LAUNCHER);
const { writeAtomically } = await import('../dist/cli/outputFile.js');
const { MATHJS_NODE_TYPES, MATHJS_PARSER_FILES } = await import('../dist/syntax/mathjsFiles.js');
const MATHJS_CJS = join(dirname(require.resolve('mathjs/package.json')), 'lib', 'cjs');

/** syntax/mathjsFiles.js with the same exports, its files required statically (esbuild inlines them). */
const mathjsFilesInlined = {
  name: 'mathjs-files-inlined',
  setup(build) {
    build.onLoad({ filter: /[\\/]dist[\\/]syntax[\\/]mathjsFiles\.js$/ }, () => ({
      loader: 'js',
      resolveDir: MATHJS_CJS,
      contents: [
        `export const MATHJS_NODE_TYPES = ${JSON.stringify(MATHJS_NODE_TYPES)};`,
        `export const MATHJS_PARSER_FILES = ${JSON.stringify(MATHJS_PARSER_FILES)};`,
        'const FILES = new Map([',
        ...MATHJS_PARSER_FILES.map((path) => `  [${JSON.stringify(path)}, () => require(${JSON.stringify(join(MATHJS_CJS, path))})],`),
        ']);',
        'export function requireMathjsFile(path) {',
        '  const file = FILES.get(path);',
        "  if (file === undefined) throw new Error(`internal: ${path} is not one of mathjs's parser files`);",
        '  return file();',
        '}',
      ].join('\n'),
    }));
  },
};
rmSync(CACHE, { force: true });

const [out] = (await build({
  entryPoints: [ENTRY],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['katex'],
  plugins: [mathjsFilesInlined],
  minifyWhitespace: true,
  minifySyntax: true,
  // import.meta.url (katex's and mathjs's files, package.json) becomes the bundle's own URL.
  define: { 'import.meta.url': '__eomModuleUrl' },
  // "use strict" first: a banner before esbuild's own directive would leave the bundle sloppy.
  banner: { js: "'use strict';const __eomModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  write: false,
  logLevel: 'warning',
})).outputFiles;
// main.js's "#!" line would be a syntax error inside the CommonJS wrapper.
writeAtomically(BUNDLE, out.text.replace(/^#!.*\n/, ''));

const { exports: cli, script, source } = loadCli(BUNDLE, CACHE);
const write = process.stdout.write;
const writeErr = process.stderr.write;
process.stdout.write = process.stderr.write = () => true;
try {
  for (const argv of WARM) {
    const status = await cli.main(argv);
    if (status !== 0) throw new Error(`bundle-cli: eom ${argv.join(' ')} exited with ${status}`);
  }
} finally {
  process.stdout.write = write;
  process.stderr.write = writeErr;
}
writeAtomically(CACHE, cacheBytes(source, script));
process.stdout.write(`bundle-cli: ${BUNDLE} (${(Buffer.byteLength(source) / 1024).toFixed(0)} kB), code cache ${(readFileSync(CACHE).length / 1024).toFixed(0)} kB\n`);
