/**
 * The npm bin, dist/cli/eom.cjs (src/cli/eom.cts), runs the CLI bundled by scripts/bundle-cli.mjs with
 * the V8 code cache recorded at build time. The independent truth is the unbundled ES module entry,
 * dist/cli/main.js, which tsc builds from the same sources: for every kind of run the bin must write
 * the same bytes and exit with the same status. The runs chosen touch what bundling can break: files
 * found from import.meta.url (package.json for --version, KaTeX for LaTeX), mathjs's parser files
 * inlined by the bundle (decimal.js for a 0x1F literal), the commands' lazy modules, and a user error.
 * The cache itself: taken when it belongs to the bundle, refused (same output) when it does not. The
 * bin: strict mode, symlinks, a closed pipe, and its fallbacks to the ES modules.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eomBin, eomModuleEntry, repoRoot, runEntry } from './helpers/cli.js';


const RUNS: readonly (readonly string[])[] = [
  ['--version'],
  ['derive', '--help'],
  ['derive', '--order', '3', '--format', 'json'],
  ['derive', '--order', '2', '--format', 'latex', '--standalone'],
  ['derive', '--loss', '0x1F*x^2 + 1.5e-1*x*y + y^4', '--order', '1'],
  ['derive', '--loss', 'x^2*y', '--method', 'heavy-ball', '--param', 'beta=0.9', '--order', '1', '--format', 'json'],
  ['derive', '--loss', 'x^', '--order', '0'],
  ['no-such-command'],
];

const work = mkdtempSync(join(tmpdir(), 'eom-bundle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A directory under `work` from which the repository's node_modules resolve (package.json copied too). */
function packageDir(name: string): string {
  const root = join(work, name);
  mkdirSync(root);
  copyFileSync(join(repoRoot, 'package.json'), join(root, 'package.json'));
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  return root;
}

describe('the npm bin (bundle and code cache) against the ES module entry', () => {
  it.each(RUNS.map((args) => [args.join(' '), args] as const))('eom %s: same stdout, stderr and status', (_, args) => {
    const bin = runEntry(eomBin, args);
    const esm = runEntry(eomModuleEntry, args);
    expect(bin).toEqual(esm);
    expect(bin.stdout.length + bin.stderr.length).toBeGreaterThan(0);
  });

  it('--version is package.json\'s version, found from the bundle\'s own location', () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(runEntry(eomBin, ['--version']).stdout).toBe(`${version}\n`);
  });

  it('a user error keeps the contract: exit 2, one line', () => {
    const r = runEntry(eomBin, ['derive', '--loss', 'x^', '--order', '0']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^eom: error: [^\n]*\n$/);
  });
});

describe('the code cache', () => {
  const cache = join(repoRoot, 'dist', 'cli', 'eom-cli.cjs.cache');
  const args = ['derive', '--loss', 'x^2*y + exp(y)', '--order', '1'];
  const expected = runEntry(eomModuleEntry, args).stdout;
  /** Load the bundle with `cachePath` in a fresh node (with `flags`), print how the cache was used on stderr, then run `args`. */
  const load = (cachePath: string, flags: readonly string[] = []) => {
    const script = `const l = require(${JSON.stringify(eomBin)}); const r = l.loadCli(l.BUNDLE, ${JSON.stringify(cachePath)}); process.stderr.write(r.cache); r.exports.runCli(${JSON.stringify(args)});`;
    return spawnSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8', cwd: repoRoot, timeout: 60_000 });
  };
  const damaged = (name: string, at: (bytes: Buffer) => number) => {
    const bytes = readFileSync(cache);
    bytes[at(bytes)]! ^= 0x40;
    const path = join(work, name);
    writeFileSync(path, bytes);
    return path;
  };

  it('the cache the build wrote is accepted by a plain node', () => {
    const r = load(cache);
    expect(r.stderr).toBe('accepted');
    expect(r.stdout).toBe(expected);
  });

  it.each([
    ['its checksum', () => damaged('header', () => 0)],
    ['V8\'s data', () => damaged('data', (b) => b.length >> 1)],
  ])('a cache with one bit of %s changed is stale, and the bundle compiles as usual', (_, path) => {
    const r = load(path());
    expect(r.stderr).toBe('stale');
    expect(r.stdout).toBe(expected);
  });

  it('a cache recorded for another bundle is stale', () => {
    const other = join(packageDir('other'), 'eom-cli.cjs');
    writeFileSync(other, `${readFileSync(join(repoRoot, 'dist', 'cli', 'eom-cli.cjs'), 'utf8')}\n`);
    const script = `const l = require(${JSON.stringify(eomBin)}); process.stdout.write(l.loadCli(${JSON.stringify(other)}, ${JSON.stringify(cache)}).cache);`;
    expect(spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: repoRoot }).stdout).toBe('stale');
  });

  it('no cache, or one V8 refuses (other V8 flags), gives the same output', () => {
    const none = load(join(work, 'absent.cache'));
    expect(none.stderr).toBe('absent');
    expect(none.stdout).toBe(expected);
    const refused = load(cache, ['--stack-size=900']);
    expect(refused.stderr).toBe('rejected');
    expect(refused.stdout).toBe(expected);
  });
});

describe('the bundle as a program', () => {
  const bundle = readFileSync(join(repoRoot, 'dist', 'cli', 'eom-cli.cjs'), 'utf8');

  it('is strict mode code, as the ES modules it comes from', () => {
    expect(bundle.startsWith("'use strict';")).toBe(true);
    // Reading a function's .caller throws only in strict mode.
    const script = `const l = require(${JSON.stringify(eomBin)}); try { l.loadCli().exports.runCli.caller; process.stdout.write('sloppy'); } catch { process.stdout.write('strict'); }`;
    expect(spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: repoRoot }).stdout).toBe('strict');
  });

  it('has mathjs\'s parser files inlined (no lookup of the installed package at run time)', () => {
    expect(bundle).not.toContain('mathjs/package.json');
    expect(bundle).toContain('createParse');
  });

  it('runs through a symlink (npm\'s node_modules/.bin), also with --preserve-symlinks-main', () => {
    const link = join(work, 'eom-link');
    symlinkSync(eomBin, link);
    const args = ['derive', '--loss', 'x^2*y', '--order', '1'];
    const want = runEntry(eomModuleEntry, args);
    expect(runEntry(link, args)).toEqual(want);
    expect(runEntry(link, args, ['--preserve-symlinks-main'])).toEqual(want);
  });

  it('ends quietly, status 0, when the reader closes the pipe (eom … | head)', () => {
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${eomBin}" derive --order 8 | head -c 64 > /dev/null`], { encoding: 'utf8', cwd: repoRoot });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('when the bundle is missing, older than the modules, or broken', () => {
  const { entryFor } = createRequire(import.meta.url)(eomBin) as { entryFor(dir: string): 'bundle' | 'modules' };
  /** A copy of the built package under `work`, the bundle and its cache left out. */
  const copy = (name: string) => {
    const root = packageDir(name);
    cpSync(join(repoRoot, 'dist'), join(root, 'dist'), { recursive: true, filter: (src) => !/eom-cli\.cjs/.test(src) });
    return join(root, 'dist', 'cli');
  };
  const args = ['derive', '--loss', 'x^3', '--order', '1'];

  it('entryFor: the bundle when it is at least as new as main.js, else the modules', () => {
    const dir = copy('times');
    expect(entryFor(dir)).toBe('modules'); // no bundle
    writeFileSync(join(dir, 'eom-cli.cjs'), '');
    const t = new Date('2020-01-01T00:00:00Z');
    utimesSync(join(dir, 'main.js'), t, t);
    utimesSync(join(dir, 'eom-cli.cjs'), t, t);
    expect(entryFor(dir)).toBe('bundle'); // npm's tarball: one time for every file
    utimesSync(join(dir, 'main.js'), new Date(t.getTime() + 1000), new Date(t.getTime() + 1000));
    expect(entryFor(dir)).toBe('modules'); // tsc ran after the bundle was built
  });

  it('without a bundle (a tsc-only build) the bin runs the ES module entry', () => {
    const r = runEntry(join(copy('tsc-only'), 'eom.cjs'), args);
    expect(r).toEqual(runEntry(eomModuleEntry, args));
    expect(r.stdout).toContain('ξ_1');
  });

  it('a bundle that does not load is passed over for the ES module entry', () => {
    const dir = copy('broken');
    writeFileSync(join(dir, 'eom-cli.cjs'), 'this is not JavaScript (');
    expect(entryFor(dir)).toBe('bundle');
    expect(runEntry(join(dir, 'eom.cjs'), args)).toEqual(runEntry(eomModuleEntry, args));
  });
});
