/**
 * eomkit's version, from package.json (one source of truth): outputs name it so a result can be
 * traced to the code that produced it. The file is found by walking up from this module, so the
 * built package (dist/), the sources run by vitest (src/) and the bench build (dist-bench/src/)
 * all read the same package.json.
 *
 * @example
 *   eomkitVersion() // '0.1.0'
 */
import { existsSync, readFileSync } from 'node:fs';

let version: string | undefined;

export function eomkitVersion(): string {
  if (version !== undefined) return version;
  for (const up of ['../package.json', '../../package.json']) {
    const url = new URL(up, import.meta.url);
    if (!existsSync(url)) continue;
    const pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version: string };
    if (pkg.name === 'eomkit') return (version = pkg.version);
  }
  throw new Error('internal: eomkit\'s package.json was not found beside the code');
}
