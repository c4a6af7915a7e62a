/**
 * eomkit's version, from package.json (one source of truth): outputs name it so a result can be
 * traced to the code that produced it.
 *
 * @example
 *   eomkitVersion() // '0.1.0'
 */
import { readFileSync } from 'node:fs';

let version: string | undefined;

export function eomkitVersion(): string {
  return (version ??= (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version);
}
