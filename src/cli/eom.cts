#!/usr/bin/env node
/**
 * The `eom` program as npm installs it (package.json "bin"). It loads the command line bundled into
 * one file, cli/eom-cli.cjs (scripts/bundle-cli.mjs builds it from cli/main.js and what it imports),
 * with the V8 code cache the build recorded for it, cli/eom-cli.cjs.cache. A short
 * run is mostly start-up: this way it neither resolves and links some seventy ES modules nor compiles
 * the functions a derive needs again (docs/benchmarks.md, "Start-up").
 *
 * The cache is used only when its first 4 bytes are the CRC-32 of the bundle as it is now followed by
 * the rest of the cache (V8 checks the source's length, not its text, and in release builds not its
 * own data either), and only as V8 accepts it (the same V8 and flags); otherwise the bundle is
 * compiled as usual, with the same output. The CRC guards against a stale or damaged cache; it is not
 * a security boundary (whoever can write the cache can write the bundle). CRC-32 rather than SHA-256:
 * loading node:crypto alone costs about 8 ms of a 0.2 s run.
 * Nothing is written at run time. Without a bundle, or with one older than cli/main.js (`tsc` run
 * since the last `npm run build`), or one that fails to load, the ES module entry runs instead.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script, constants } from 'node:vm';
import { crc32 } from 'node:zlib';

/** What the bundle exports: cli/main.ts's entry points. */
export interface CliExports {
  runCli(argv?: string[]): void;
  main(argv: string[]): Promise<number>;
}

/** How a load used the code cache: V8 took it, V8 refused it, it belongs to another bundle, there is none. */
export type CacheUse = 'accepted' | 'rejected' | 'stale' | 'absent';

/** This file's own folder, through any symlink (npm's node_modules/.bin, --preserve-symlinks-main). */
const DIR = dirname(realpathSync(__filename));
export const BUNDLE = join(DIR, 'eom-cli.cjs');
export const CACHE = `${BUNDLE}.cache`;

const HASH_BYTES = 4;

/** CRC-32 of the bundle's bytes followed by V8's data, big-endian. */
function checksum(bundle: Buffer, data: Buffer): Buffer {
  const out = Buffer.alloc(HASH_BYTES);
  out.writeUInt32BE(crc32(data, crc32(bundle)));
  return out;
}

/** V8's data from `cachePath` when the file was recorded for `bundle` and is whole, else why not. */
function cachedDataFor(bundle: Buffer, cachePath: string): Buffer | 'stale' | 'absent' {
  let file: Buffer;
  try {
    file = readFileSync(cachePath);
  } catch {
    return 'absent';
  }
  const data = file.subarray(HASH_BYTES);
  return file.length > HASH_BYTES && checksum(bundle, data).equals(file.subarray(0, HASH_BYTES)) ? data : 'stale';
}

/**
 * Compile and run the bundle as a CommonJS module (what Node's loader does for a .cjs file), with
 * the code cache when it belongs to it. Running it only defines the exports.
 */
export function loadCli(bundle: string = BUNDLE, cachePath: string = CACHE): { exports: CliExports; script: Script; source: string; cache: CacheUse } {
  const bundlePath = resolve(bundle);
  const bytes = readFileSync(bundlePath);
  const source = bytes.toString('utf8');
  const cached = cachedDataFor(bytes, cachePath);
  // Node's own CommonJS wrapper, written out.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n});`, {
    filename: bundlePath,
    ...(typeof cached === 'string' ? {} : { cachedData: cached }),
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const holder = { exports: {} as CliExports };
  const body = script.runInThisContext() as (...args: unknown[]) => void;
  body.call(holder.exports, holder.exports, createRequire(bundlePath), holder, bundlePath, dirname(bundlePath));
  const cache: CacheUse = typeof cached === 'string' ? cached : script.cachedDataRejected ? 'rejected' : 'accepted';
  return { exports: holder.exports, script, source, cache };
}

/** The cache file's bytes for a loaded bundle: the CRC-32, then V8's cache of every function compiled so far. */
export function cacheBytes(source: string, script: Script): Buffer {
  const data = script.createCachedData();
  return Buffer.concat([checksum(Buffer.from(source, 'utf8'), data), data]);
}

/**
 * What the bin runs from `dir`: the bundle, unless it is missing or older than `dir`/main.js (which
 * `tsc` rewrites; `npm run build` writes the bundle after it, and npm's tarball gives both one time).
 */
export function entryFor(dir: string): 'bundle' | 'modules' {
  try {
    return statSync(join(dir, 'eom-cli.cjs')).mtimeMs >= statSync(join(dir, 'main.js')).mtimeMs ? 'bundle' : 'modules';
  } catch {
    return 'modules';
  }
}

function internalError(e: unknown): void {
  process.stderr.write(`eom: internal error: ${String(e)}\n`);
  process.exitCode = 1;
}

if (require.main === module) {
  let cli: CliExports | undefined;
  if (entryFor(DIR) === 'bundle') {
    try {
      cli = loadCli().exports;
    } catch (e) {
      if (process.env['EOM_DEBUG']) process.stderr.write(`eom: the bundle did not load (${String(e)}); running the ES modules\n`);
    }
  }
  if (cli) cli.runCli();
  else import(pathToFileURL(join(DIR, 'main.js')).href).then((m: CliExports) => m.runCli(), internalError);
}
