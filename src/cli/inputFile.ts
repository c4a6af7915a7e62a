/**
 * Reading a small input file a user names (--tableau, --data): a regular file of bounded size,
 * read whole as UTF-8 (a leading byte-order mark dropped), with one-line errors that name the option. (--loss-file has its own reader:
 * it also takes stdin.)
 *
 * @example
 *   readBoundedFile('ralston.json', '--tableau', 64 * 1024)
 */
import { readFileSync, statSync } from 'node:fs';
import { UserError } from './errors.js';

/** "64 KiB" or "64 MiB". */
function sizeText(bytes: number): string {
  return bytes >= 2 ** 20 ? `${bytes / 2 ** 20} MiB` : `${bytes / 1024} KiB`;
}

export function readBoundedFile(path: string, option: string, maxBytes: number): string {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new UserError(`${option}: "${path}" is not a regular file`);
    size = st.size;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${option}: cannot read "${path}" (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (size > maxBytes) throw new UserError(`${option}: "${path}" is larger than ${sizeText(maxBytes)}`);
  return readFileSync(path, 'utf8').replace(/^\uFEFF/, ''); // a byte-order mark is not content
}
