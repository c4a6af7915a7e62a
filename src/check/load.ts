/**
 * Finding and reading derivation files: each path is a `.json` file or a folder whose `.json`
 * files (not recursively, sorted by name) are derivations.
 *
 * @example
 *   loadDerivations(['derivations']).map((d) => d.name)
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDerivation, type Derivation } from './derivationFile.js';
import { ClaimError } from './values.js';

export function derivationFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new ClaimError(`${p}: no such file or folder`);
    }
    if (st.isDirectory()) {
      const inside = readdirSync(p).filter((f) => f.endsWith('.json')).sort().map((f) => join(p, f));
      if (!inside.length) throw new ClaimError(`${p}: the folder has no .json derivation files`);
      files.push(...inside);
    } else files.push(p);
  }
  return files;
}

export function readDerivation(file: string): Derivation {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ClaimError(`${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ClaimError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  return parseDerivation(data, file);
}

export function loadDerivations(paths: readonly string[]): Derivation[] {
  const all = derivationFiles(paths).map(readDerivation);
  const seen = new Map<string, string>();
  for (const d of all) {
    const other = seen.get(d.name);
    if (other) throw new ClaimError(`${d.file}: the name "${d.name}" is also used by ${other}`);
    seen.set(d.name, d.file);
  }
  return all;
}
