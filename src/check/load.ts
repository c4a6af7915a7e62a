/**
 * Finding and reading derivation files: each path is a `.json` file or a folder whose `.json`
 * files (not recursively, sorted by name) are derivations. Only regular files of at most
 * MAX_DERIVATION_BYTES are read (a device such as /dev/zero, a FIFO or a huge file is refused up
 * front, before any memory is spent on it).
 *
 * @example
 *   loadDerivations(['derivations']).map((d) => d.name)
 */
import { closeSync, constants as fsConstants, fstatSync, openSync, readSync, readdirSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { parseDerivation, type Derivation } from './derivationFile.js';
import { ClaimError } from './values.js';

/** Largest derivation file read (1 MiB; the shipped ones are under 10 kB). */
export const MAX_DERIVATION_BYTES = 1 << 20;

export function derivationFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    let st: Stats;
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
  for (const f of files) {
    let st: Stats;
    try {
      st = statSync(f);
    } catch (e) {
      throw new ClaimError(`${f}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    checkedFile(f, st);
  }
  return files;
}

/** A regular file within the size limit, or a ClaimError saying why not. */
function checkedFile(file: string, st: Stats): string {
  if (!st.isFile()) throw new ClaimError(`${file}: not a regular file; derivations are .json files`);
  if (st.size > MAX_DERIVATION_BYTES) throw new ClaimError(`${file}: ${st.size} bytes; derivation files are at most ${MAX_DERIVATION_BYTES} bytes (1 MiB)`);
  return file;
}

export function readDerivation(file: string): Derivation {
  let text: string;
  try {
    text = readLimited(file);
  } catch (e) {
    if (e instanceof ClaimError) throw e;
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

/** The file's text, read through one descriptor that is checked first (it may have changed since the listing). */
function readLimited(file: string): string {
  // Non-blocking, so that opening a FIFO does not wait for a writer before fstat refuses it.
  const fd = openSync(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  try {
    checkedFile(file, fstatSync(fd));
    const buf = Buffer.alloc(MAX_DERIVATION_BYTES + 1);
    let n = 0;
    for (let got; n < buf.length && (got = readSync(fd, buf, n, buf.length - n, null)) > 0; ) n += got;
    if (n > MAX_DERIVATION_BYTES) throw new ClaimError(`${file}: more than ${MAX_DERIVATION_BYTES} bytes; derivation files are at most 1 MiB`);
    return buf.toString('utf8', 0, n);
  } finally {
    closeSync(fd);
  }
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
